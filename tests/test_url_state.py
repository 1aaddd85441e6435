"""ui/url_state.py: links hold codes, parse into valid values or say what they replaced, and read the same in both languages."""
from __future__ import annotations

import datetime as dt

import pytest

from ui import url_state
from ui.i18n import t

MAP = url_state.MAP


def test_map_state_round_trips_with_codes():
    values, notices = url_state.decode_all(MAP.params, {"m_dist": ["E"], "m_ops": ["police", "other"], "m_prog": [""],
                                                "m_from": ["2024-04-01"], "m_tiles": ["false"], "m_layers": ["density"],
                                                "m_metric": ["per100k"]})
    assert notices == []
    assert values["m_dist"] == "E" and values["m_ops"] == ["police", "other"] and values["m_prog"] == []
    assert values["m_from"] == dt.date(2024, 4, 1) and values["m_tiles"] is False
    url = url_state.encode_all(MAP.params, values)
    assert url == {"m_dist": "E", "m_ops": ["police", "other"], "m_prog": "", "m_from": "2024-04-01",
                   "m_layers": ["density"], "m_metric": "per100k", "m_tiles": "false"}
    assert url_state.decode_all(MAP.params, url)[0] == values


def test_defaults_leave_the_link_empty():
    defaults = {p.key: url_state.default_value(p) for p in MAP.params}
    assert url_state.encode_all(MAP.params, defaults) == {}


def test_junk_falls_back_to_the_default_with_a_notice_naming_the_parameter():
    values, notices = url_state.decode_all(MAP.params, {"m_dist": ["<script>"], "m_ops": ["nobody"], "m_from": ["soon"],
                                                "m_tiles": ["maybe"]})
    assert values == {"m_dist": "all", "m_ops": list(MAP.get("m_ops").default), "m_from": None, "m_tiles": True}
    assert {(n.param, n.reason) for n in notices} == {("m_dist", "unknown"), ("m_ops", "unknown"), ("m_from", "not_date"),
                                                      ("m_tiles", "unknown")}
    text = url_state.notice_text(next(n for n in notices if n.param == "m_dist"), MAP.get("m_dist"), "en")
    assert text == "The link's m_dist=<script> is not one of the choices here; showing All districts."
    zh = url_state.notice_text(next(n for n in notices if n.param == "m_ops"), MAP.get("m_ops"), "zh-Hant")
    assert "m_ops=nobody" in zh and t("map.operator.police", "zh-Hant") in zh


@pytest.mark.parametrize("raw, value, reason", [
    ("1999-12-31", dt.date(2000, 1, 1), "below"),
    ("2099-01-01", dt.date(2035, 12, 31), "above"),
    ("2024-07-01", dt.date(2024, 7, 1), None),
])
def test_map_dates_outside_the_widget_range_are_clamped(raw, value, reason):
    got, notice = url_state.parse(MAP.get("m_from"), [raw])
    assert got == value
    assert (notice.reason if notice else None) == reason


@pytest.mark.parametrize("raw, value, reason", [
    ("20000", 20_000, None), ("1e308", 500_000, "above"), ("-5", 0, "below"), ("abc", 7_000, "not_number"),
    ("nan", 7_000, "not_number"), ("12,500", 12_500, None),
])
def test_scenario_pace_is_parsed_and_clamped(raw, value, reason):
    spec = url_state.phases_params(preset_rate=7_000, preset_start=dt.date(2026, 4, 1), preset_base="in_system_total")
    got, notice = url_state.parse(spec.get("s_rate"), [raw])
    assert got == value
    assert (notice.reason if notice else None) == reason


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_an_old_link_with_display_labels_opens_the_same_view_in_either_language(lang):
    spec = url_state.progress_params()
    label = t("progress.basis.installed_by_police", lang)
    values, notices = url_state.decode_all(spec.params, {"p_bases": [label]})
    assert values["p_bases"] == ["installed_by_police"]
    assert [(n.param, n.reason) for n in notices] == [("p_bases", "label")]
    base, notice = url_state.parse(url_state.phases_params(preset_base="in_system_total").get("s_base"), [t("phases.basis.installed_by_police", lang)])
    assert base == "installed_by_police" and notice.reason == "label"


def test_a_link_made_in_english_reads_the_same_with_lang_zh_hant():
    spec = url_state.progress_params(["comparitech-2020"], "comparitech-2020")
    state = {"p_bases": ["in_system_total"], "p_cmp": "per_km2", "p_ed": "comparitech-2020", "p_log": True}
    url = url_state.encode_all(spec.params, state)
    assert all(isinstance(v, (str, list)) for v in url.values())
    assert url_state.decode_all(spec.params, url)[0] == {k: state[k] for k in url}
    assert "per_km2" in url.values() and t("progress.cities.short_per_km2", "en") not in str(url)


def test_an_empty_multi_choice_is_a_choice_of_nothing():
    assert url_state.parse(MAP.get("m_ops"), [""]) == ([], None)
    assert url_state.encode(MAP.get("m_ops"), []) == ""


def test_active_map_filters_name_what_narrows_the_map():
    state = {p.key: url_state.default_value(p) for p in MAP.params}
    assert url_state.active_map_filters(state) == []
    state |= {"m_ops": ["police"], "m_dist": "E", "m_tiles": False}
    assert url_state.active_map_filters(state) == ["m_ops"]  # the district and the view are not filters here
    state["m_undated"] = False
    assert url_state.active_map_filters(state) == ["m_ops"]  # the undated switch only matters with a date
    state["m_from"] = dt.date(2024, 1, 1)
    assert url_state.active_map_filters(state) == ["m_ops", "m_from", "m_undated"]


def test_a_notice_shows_a_long_value_cut():
    _, notice = url_state.parse(MAP.get("m_dist"), ["x" * 10_000])
    assert len(notice.raw) == url_state.MAX_RAW_CHARS
