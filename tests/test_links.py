"""Links as readers share them: codes in both languages, old label links, values that cannot be used, coming back."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.apptest import run_page
from ui.i18n import t


def _infos(at) -> str:
    return "\n".join(str(e.value) for e in at.info).replace("\\", "")  # notices are escaped Markdown


@pytest.mark.parametrize("page, query, param", [
    ("phases", {"s_rate": "1e308"}, "s_rate"),
    ("phases", {"s_start": "1999-12-31"}, "s_start"),
    ("map", {"m_from": "1999-12-31"}, "m_from"),
    ("map", {"m_to": "2099-01-01"}, "m_to"),
    ("map", {"m_dist": "<script>"}, "m_dist"),
    ("progress", {"p_cmp": "per_planet"}, "p_cmp"),
    ("progress", {"p_log": "maybe"}, "p_log"),
])
def test_a_value_the_page_cannot_use_is_named_never_a_traceback(page, query, param):
    at = run_page(page, "en", query)
    assert not at.exception, [e.value for e in at.exception]
    assert f"{param}=" in _infos(at)


def test_map_dates_outside_the_range_are_clamped_and_the_map_still_draws():
    at = run_page("map", "en", {"m_from": "1999-12-31", "m_to": "2099-01-01"})
    assert not at.exception
    assert at.date_input(key="m_from").value == dt.date(2000, 1, 1)
    assert at.date_input(key="m_to").value == dt.date(2035, 12, 31)
    assert at.get("deck_gl_json_chart")


def test_a_crawling_pace_is_not_reached_before_2100():
    at = run_page("phases", "en", {"s_rate": "1"})
    assert not at.exception
    assert t("phases.scenario.beyond", "en", year=2100) in [m.value for m in at.metric]


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_an_english_link_opens_the_same_view_in_either_language(lang):
    at = run_page("progress", lang, {"p_cmp": "per_km2", "p_bases": ["in_system_total"], "p_log": "true"})
    assert not at.exception
    assert at.button_group(key="p_cmp").value == "per_km2"
    assert at.button_group(key="p_bases").value == ["in_system_total"]
    assert at.toggle(key="p_log").value is True
    assert not at.info or "p_" not in _infos(at)


@pytest.mark.parametrize("label_lang", ["en", "zh-Hant"])
def test_an_old_link_with_a_display_label_opens_the_right_view_and_says_so(label_lang):
    label = t("progress.basis.installed_by_police", label_lang)
    at = run_page("progress", "en", {"p_bases": [label]})
    assert not at.exception
    assert at.button_group(key="p_bases").value == ["installed_by_police"]
    assert "p_bases" in _infos(at)
    base = t("phases.basis.installed_by_police", label_lang)
    ph = run_page("phases", "zh-Hant", {"s_base": base})
    assert ph.selectbox(key="s_base").value == "installed_by_police"


def test_widgets_write_codes_to_the_link():
    at = run_page("progress", "zh-Hant")
    at.button_group(key="p_cmp").set_value("per_km2").run()
    assert at.query_params["p_cmp"] == ["per_km2"] or at.query_params["p_cmp"] == "per_km2"
    at = run_page("phases", "zh-Hant")
    at.selectbox(key="s_base").set_value("installed_by_police").run()
    assert "installed_by_police" in str(at.query_params["s_base"])


def test_the_map_view_survives_leaving_the_page_and_coming_back():
    at = run_page("map", "en", {"m_dist": "E", "m_ops": ["police"]})
    assert at.selectbox(key="m_dist").value == "E"
    at.query_params.clear()  # the sidebar's page links carry no query string
    at.switch_page("pages/phases.py").run()
    assert not at.exception
    at.query_params.clear()
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert at.selectbox(key="m_dist").value == "E"
    assert at.button_group(key="m_ops").value == ["police"]
    assert str(at.query_params.get("m_dist")) in ("E", "['E']")  # and the link says so again
