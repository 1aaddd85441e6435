"""What the corrected record shows on the pages: when sources were last checked, open matters, phase starts,
contested figures, what changed, and sources whose headline is not known."""
from __future__ import annotations

import pytest

from loaders import changes
from tests.apptest import all_text, html_text, run_page
from ui.i18n import t
from ui.present import Presenter

PAGES = ("progress", "map", "phases", "safeguards", "data")


def _sidebar_and_footer(at) -> str:
    return "\n".join(str(c.value) for c in at.sidebar.caption) + "\n" + "\n".join(str(c.value) for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_when_the_sources_were_last_checked_apart_from_the_newest_figure(page, lang, shipped):
    at = run_page(page, lang)
    assert not at.exception
    checked = shipped["freshness"].loc[shipped["freshness"]["kind"] == "sources", "checked"].max()
    pr = Presenter.for_bundle(shipped, lang)
    expected = t("freshness.checked", lang, checked=pr.date(checked), newest="")
    text = _sidebar_and_footer(at)
    assert expected.split(pr.date(checked))[0] + pr.date(checked) in text
    assert pr.date(checked) != pr.date(shipped["figures"]["stated"].max())  # two different dates, both shown


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_the_home_page_lists_each_open_matter_with_no_later_source_found(lang, shipped):
    at = run_page("progress", lang)
    text = all_text(at).replace("\\", "")
    matters = shipped["freshness"][shipped["freshness"]["kind"] == "open_matter"]
    assert len(matters) >= 4
    title_col = "title_zh" if lang == "zh-Hant" else "title_en"
    for title in matters[title_col]:
        assert title in text
    pr = Presenter.for_bundle(shipped, lang)
    assert t("freshness.nothing_later", lang, date=pr.date(matters["checked"].max())) in text


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_a_phase_no_source_confirms_is_planned_not_under_way(lang, shipped):
    at = run_page("phases", lang)
    comparison = html_text(at)[0]  # the phases side by side, one heading and status line per phase
    pr = Presenter.for_bundle(shipped, lang)
    phase2 = shipped["phases"].set_index("id").loc["phase-2"]
    assert phase2["start_status"] != "confirmed"
    planned = t("freshness.phase.start_not_confirmed", lang, date=pr.date(phase2["start"], "month"))
    name = pr.localised(phase2, "name")
    assert f"{name} {planned} ·" in comparison
    assert f"{name} {t('phases.status.current', lang)}" not in comparison


def test_a_briefing_never_calls_an_unconfirmed_phase_under_way(shipped):
    from ui.briefing import build_briefing

    html = build_briefing(shipped, "en", "2026-12-06")
    assert "start not confirmed" in html and "Under way" not in html
    assert "Sources last checked" in html


def test_the_contested_37_shows_both_categories_with_both_sources():
    at = run_page("progress", "en")
    labels = [str(e.label) for e in at.expander]
    hit = [x for x in labels if "robberies" in x and "burglaries" in x]
    assert hit, labels


def test_whats_new_lists_record_changes_with_links_to_the_records():
    at = run_page("progress", "en")
    text = "\n".join(str(m.value) for m in at.markdown)
    latest = changes.latest_changes(3, datasets=("figures", "sources", "phases", "capabilities", "capability_events",
                                                    "safeguards", "safeguard_entries", "open_questions", "freshness"))
    assert t("changes.whats_new", "en") in [str(s.value) for s in at.subheader]
    for r in latest.to_dict("records"):
        assert f"(data?d_ds={r['dataset']}&d_q={r['id']}&lang=en)" in text


def test_the_data_page_lists_every_version():
    at = run_page("data", "en")
    table = next(d.value for d in at.dataframe if t("changes.col.version", "en") in d.value.columns)
    assert list(table[t("changes.col.version", "en")])[::-1] == [v.label for v in changes.versions()]
    assert at.selectbox(key="d_ver").options


def test_a_source_whose_headline_is_not_known_says_so(shipped):
    unknown = shipped["sources"][shipped["sources"]["title"].isna()]
    assert len(unknown)
    pr = Presenter.for_bundle(shipped, "zh-Hant")
    assert "[標題不詳]" in pr.citation_md(unknown["id"].iloc[0])
