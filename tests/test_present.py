"""ui/present.py: how a record reads in English and Chinese; one place, used by every page and the briefing."""
from __future__ import annotations

import pandas as pd
import pytest

from ui.present import Presenter, missing

SOURCES = {
    "orig": {"id": "orig", "publisher": "HKFP", "title": "Police to add cameras", "url": "https://hongkongfp.com/x",
             "published": "2025-07-22", "original": True, "original_publisher": None},
    "copy": {"id": "copy", "publisher": "Daily8", "title": "Police (copy)", "url": "https://daily8.example/x (1)",
             "published": "undated", "original": False, "original_publisher": "HKFP"},
}
EN, ZH = Presenter("en", SOURCES), Presenter("zh-Hant", SOURCES)


def rec(**kw) -> dict:
    base = {"value": 5000, "value_high": None, "qualifier": "about", "unit": "camera", "as_of": pd.Timestamp("2025-12-31"),
            "as_of_precision": "year", "source": "orig", "quote": "約5,000支", "quote_lang": "zh-Hant", "note": None}
    return base | kw


@pytest.mark.parametrize("record, en, zh", [
    (rec(), "about 5,000 cameras", "約5,000支鏡頭"),
    (rec(value=615, qualifier="exact", unit="set"), "615 sets", "615組"),
    (rec(value=1, qualifier="exact"), "1 camera", "1支鏡頭"),
    (rec(value=2000, value_high=2500, qualifier="range", unit="set"), "2,000–2,500 sets", "2,000–2,500組"),
    (rec(value=4.06e9, qualifier="exact", unit="hkd"), "HK$4.06 billion", "40.6億港元"),
    (rec(value=240e6, qualifier="more_than", unit="hkd_per_year"), "more than HK$240 million a year", "每年逾2.4億港元"),
    (rec(value=1000, qualifier="about", unit="hkd"), "about HK$1,000", "約1,000港元"),
    (rec(value=4.2, qualifier="exact", unit="percent"), "4.2%", "4.2%"),
])
def test_a_value_keeps_its_qualifier_and_unit(record, en, zh):
    assert EN.value(record) == en
    assert ZH.value(record) == zh


def test_dates_are_only_as_precise_as_published():
    assert EN.date(pd.Timestamp("2028-12-31"), "year") == "end of 2028"
    assert ZH.date(pd.Timestamp("2028-12-31"), "year") == "2028年底"
    assert EN.date(pd.Timestamp("2026-02-24"), "day") == "24 Feb 2026"
    assert EN.date(None) == "date not published" and ZH.date(pd.NaT) == "日期未有公布"
    assert EN.date(pd.Timestamp("2024-01-01"), "undated") == "date not published"


def test_a_copied_source_is_marked_as_a_copy_everywhere():
    assert EN.source_label("orig") == "HKFP (2025-07-22)"
    assert EN.source_label("copy") == "Daily8 (date not published) [copy of HKFP]"
    assert ZH.source_label("copy") == "Daily8 (日期未有公布) ［轉載自HKFP］"
    assert "copy of an article by HKFP" in EN.citation_md("copy")
    assert "copy of" not in EN.citation_md("orig")


def test_a_citation_carries_the_verbatim_quote_and_its_language_escaped():
    md = EN.cite_md(rec(quote="*not* [a](link)", note="read <b>this</b>"))
    assert "**about 5,000 cameras** · end of 2025" in md
    assert r"\*not\* \[a\]\(link\)" in md and "verbatim quote, in Traditional Chinese" in md
    assert r"read \<b\>this\<\/b\>" in md or r"read \<b\>this\</b\>" in md
    assert "](https://hongkongfp.com/x)" in md
    assert "%20(1%29" in EN.citation_md("copy")  # a URL cannot break out of the Markdown link


def test_a_hover_is_escaped_and_wrapped():
    text = EN.hover("<script>alert(1)</script> " + "word " * 30, width=40)
    assert "<script>" not in text and "&lt;script&gt;" in text and text.count("<br>") >= 3


def test_an_unknown_source_is_named_by_its_id():
    assert EN.source_label("nowhere") == "nowhere"
    assert EN.citation_md("nowhere") == "Source: nowhere"


def test_qualifier_marks_keep_chart_labels_honest():
    assert EN.marked(4500, "more_than") == ">4,500" and EN.marked(60000, "about") == "~60,000" and EN.marked(7, "exact") == "7"


def test_missing_covers_every_empty_value_pandas_uses():
    assert all(missing(v) for v in (None, float("nan"), pd.NaT, pd.NA))
    assert not any(missing(v) for v in ("", [], 0, "text"))


def test_count_reads_one_camera_and_many_cameras():
    from ui.present import Presenter

    en, zh = Presenter("en"), Presenter("zh-Hant")
    assert en.count(1, "camera") == "1 camera" and en.count(576, "camera") == "576 cameras"
    assert en.count(1, "statement") == "1 statement" and zh.count(2, "statement") == "2項陳述"
    assert zh.count(576, "camera") == "576支鏡頭"


def test_note_of_picks_the_chinese_note_in_chinese_and_falls_back_to_english():
    from ui.present import Presenter

    r = {"note": "Superseded.", "note_zh": "已被取代。"}
    assert Presenter("zh-Hant").note_of(r) == "已被取代。" and Presenter("en").note_of(r) == "Superseded."
    assert Presenter("zh-Hant").note_of({"note": "Only English.", "note_zh": float("nan")}) == "Only English."
    assert "已被取代。" in Presenter("zh-Hant").note_md(r)
