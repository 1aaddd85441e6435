"""ui/content/html.py, map.py and the phases comparison: our Markdown as escaped HTML, tables that stack on a phone."""
from __future__ import annotations

import pandas as pd
import pytest

from metrics.views.phases import phases_view
from ui import escape
from ui.content import html
from ui.content import map as map_words
from ui.content import phases as phase_words
from ui.i18n import t
from ui.present import Presenter

XSS = '<img src=x onerror=alert(1)> & "q"'


def test_inline_turns_our_markup_into_html_and_data_into_text():
    md = f"**{escape.md('60,000 *cameras*')}** _{escape.md('end_of_2028')}_ {escape.md(XSS)}"
    out = html.inline(md)
    assert out.startswith("<strong>60,000 *cameras*</strong> <em>end_of_2028</em> ")
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt; &amp;" in out


def test_block_makes_lists_and_paragraphs():
    assert html.block("intro\n- one\n- **two**\nafter") == "<p>intro</p><ul><li>one</li><li><strong>two</strong></li></ul><p>after</p>"


def test_table_escapes_cells_labels_them_and_links_only_to_web_addresses():
    out = html.table(["Line", "Amount", "Source"], [[XSS, "HK$1", ("HKFP", "javascript:alert(1)")], ["b", "2", ("x", "https://a.hk/?q=1&r=2")]],
                  caption="Cap", label_sep="：")
    assert "<img" not in out and "javascript:" not in out
    assert 'href="https://a.hk/?q=1&amp;r=2"' in out
    assert 'data-label="Amount："' in out and "<th scope=\"row\">" in out and "<caption>Cap</caption>" in out


def test_citation_marks_the_quote_language_and_escapes_the_quote(shipped):
    pr = Presenter.for_bundle(shipped, "zh-Hant")
    sid = shipped["sources"]["id"].iloc[0]
    out = html.citation(pr, sid, XSS, "zh-Hant")
    assert '<blockquote lang="zh-Hant">' in out and "<img" not in out
    assert html.citation(pr, sid, "q", "zh-Hant\" onmouseover=\"x").count("lang=") == 0  # not a language tag: left out


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_phase_comparison_has_one_cell_per_row_and_phase_in_phase_order(shipped, lang):
    pr = Presenter.for_bundle(shipped, lang)
    view = phases_view(shipped, lang)
    out = phase_words.comparison_html(view, pr, {})
    rows = len(phase_words.phase_card(view.views[0], view, pr).sections)
    assert out.count('class="hkc-cell"') == len(view.views) * (rows + 1)  # sections + the sources cell
    assert out.count("<h3>") == len(view.views)
    names = [pr.localised(v.phase, "name") for v in view.views]
    assert [out.index(n) for n in names] == sorted(out.index(n) for n in names)  # read phase by phase
    assert out.count('aria-hidden="true"') == rows  # the desktop row names are not read twice
    assert t("phases.by_whom", lang) in out


def test_district_table_reads_labels_and_says_not_published():
    pr = Presenter("zh-Hant", {}, None)
    frame = pd.DataFrame([{"id": "td-1", "description_en": "Road", "description_zh": None, "operator": "transport_department",
                           "programme": "td_traffic_snapshot", "precision": "district", "district_code": "E",
                           "latitude": None, "longitude": None, "first_seen": pd.NaT, "first_seen_precision": None,
                           "source": None}])
    table = map_words.camera_table(frame, pr)
    row = table.iloc[0].to_dict()
    assert row["描述"] == "Road" and row["營運者"] == "運輸署" and row["首次發現"] == "未有公布"
    assert row["緯度"] == "" and "None" not in map(str, row.values())


def test_shown_count_says_how_many_and_which_filters():
    pr = Presenter("en", {}, None)
    assert map_words.shown_count(16, 591, ["Operator"], pr) == "Showing 16 of 591 known cameras. Filters on: Operator."
    assert map_words.shown_count(591, 591, [], pr).endswith("No filters.")
