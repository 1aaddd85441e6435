"""The map page under AppTest: layers and counts for the shipped data, URL state, escaping,
the district panel and uploads.

AppTest cannot click inside the deck.gl canvas, and the URL is written by the browser when a
bound widget changes, so clicking a district and widget -> URL are checked in
test_map_browser.py; here the URL -> widget -> map direction and the selection rule (as a
plain function, in test_map_layers.py) are tested.
"""
from __future__ import annotations

import json

import pytest

from loaders.datasets import load_all
from metrics import map_stats as stats
from ui import url_state
from ui.charts import map_deck
from tests.apptest import all_text, run_page

XSS = "<img src=x onerror=alert(1)>"


def deck(at) -> tuple[dict, str]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    text = charts[0].proto.json
    return json.loads(text), text


def layer(spec: dict, layer_id: str) -> list:
    found = [x for x in spec["layers"] if x["id"] == layer_id]
    assert found, f"no layer {layer_id}: {[x['id'] for x in spec['layers']]}"
    data = found[0]["data"]
    return data["features"] if isinstance(data, dict) else data


@pytest.fixture(autouse=True)
def tiles_online(monkeypatch):
    """The street-map switch is shown only when the tile host answers; these tests assume it does."""
    monkeypatch.setenv("HKCCTV_TILES", "on")


@pytest.fixture(scope="module")
def shipped():
    bundle = load_all()
    return bundle, stats.prepare_cameras(bundle["cameras"], bundle["sources"])


def test_map_renders_with_expected_layers_and_point_count(shipped):
    bundle, cams = shipped
    at = run_page("map")
    assert not at.exception
    spec, text = deck(at)
    ids = [x["id"] for x in spec["layers"]]
    assert ids[0] == "districts" and len(layer(spec, "districts")) == 18
    located = cams[cams["precision"].isin(["exact", "street"])]
    drawn = sum(len(layer(spec, i)) for i in ids if i in ("cameras-td", "cameras-smartview", "cameras-other", "cameras-street"))
    assert drawn == len(located)
    assert len(layer(spec, "cameras-td")) == ((located["category"] == "td") & (located["precision"] == "exact")).sum()
    district_only = cams[cams["precision"] == "district"]
    if len(district_only):
        rings = layer(spec, "cameras-district")
        assert sum(int(r["n"]) for r in rings) == len(district_only)
        assert {r["z"] for r in rings} == set(district_only["district_code"])
    assert len(text.encode()) < 1_500_000
    assert f"{len(cams):,} known cameras" in all_text(at)


def test_map_renders_in_chinese(shipped):
    at = run_page("map", lang="zh-Hant")
    assert not at.exception
    spec, _ = deck(at)
    assert "已知鏡頭地圖" in all_text(at)
    assert layer(spec, "cameras-td")[0]["b"].startswith("運輸署")
    assert "未有公布" in layer(spec, "districts")[0]["properties"]["d"]


def test_filters_and_view_are_read_from_the_url(shipped):
    bundle, cams = shipped
    at = run_page("map", query={"m_dist": "M", "m_ops": ["transport_department"], "m_prec": ["exact"],
                                "m_tiles": "false", "m_layers": ["points", "shading"], "m_metric": "perkm2"})
    assert not at.exception
    assert at.selectbox(key="m_dist").value == "M"
    assert at.pills(key="m_ops").value == ["transport_department"]
    assert at.pills(key="m_prec").value == ["exact"]
    assert at.toggle(key="m_tiles").value is False
    assert at.radio(key="m_metric").value == "perkm2"
    spec, _ = deck(at)
    expected = cams[(cams["district_code"] == "M") & (cams["operator"] == "transport_department") & (cams["precision"] == "exact")]
    assert sorted(o["z"] for o in layer(spec, "cameras-td")) == ["M"] * len(expected)
    assert spec["mapStyle"] == map_deck.NO_BASE_MAP and "mapProvider" not in spec
    assert spec["initialViewState"] == map_deck.view_state(bundle.geo, "M")
    assert "district-selected" in [x["id"] for x in spec["layers"]]
    assert map_deck.district_name("M", "en", bundle["districts"]) in all_text(at)  # the district panel opened


def test_widget_changes_are_written_to_the_url_as_codes():
    at = run_page("map")
    assert not any(k.startswith("m_") for k in at.query_params)  # defaults leave the URL clean
    at.selectbox(key="m_dist").set_value("E").run()
    at.pills(key="m_ops").set_value(["police"]).run()
    at.toggle(key="m_tiles").set_value(False).run()
    assert at.query_params["m_dist"] == "E"
    assert at.query_params["m_ops"] in ("police", ["police"])
    assert at.query_params["m_tiles"] == "false"
    # The same address in a new session (in the other language) restores the same view.
    again = run_page("map", lang="zh-Hant", query={k: v for k, v in at.query_params.items() if k.startswith("m_")})
    assert again.selectbox(key="m_dist").value == "E"
    assert again.pills(key="m_ops").value == ["police"] and again.toggle(key="m_tiles").value is False
    at.selectbox(key="m_dist").set_value("all").run()
    assert "m_dist" not in at.query_params


def test_url_values_that_are_not_codes_are_ignored():
    at = run_page("map", query={"m_dist": "<script>", "m_ops": ["nobody"], "m_from": "yesterday"})
    assert not at.exception
    assert at.selectbox(key="m_dist").value == "all"
    assert at.pills(key="m_ops").value == list(url_state.MAP.get("m_ops").default)
    spec, _ = deck(at)
    assert "district-selected" not in [x["id"] for x in spec["layers"]]


def test_changing_a_filter_changes_the_map(shipped):
    bundle, cams = shipped
    at = run_page("map")
    at.pills(key="m_ops").set_value(["police"]).run()
    spec, _ = deck(at)
    assert "cameras-td" not in [x["id"] for x in spec["layers"]]
    at.selectbox(key="m_dist").set_value("E").run()
    spec, _ = deck(at)
    assert spec["initialViewState"] == map_deck.view_state(bundle.geo, "E")


def test_description_with_markup_is_escaped_in_the_deck_json(data_copy):
    with (data_copy / "cameras_td.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(f"td-XSS1,22.28,114.15,A,,transport_department,td_traffic_snapshot,traffic_snapshot,,,{XSS},{XSS},exact,,,"
                "td-traffic-cameras-2021-03\n")
    at = run_page("map")
    assert not at.exception
    _, text = deck(at)
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    at = run_page("map", lang="zh-Hant")
    assert "<img" not in deck(at)[1]


def test_district_panel_shows_population_gaps_and_exact_table(shipped):
    bundle, cams = shipped
    at = run_page("map", query={"m_dist": "E"})
    assert not at.exception
    text = all_text(at)
    assert "How many SmartView cameras are in this district: not published" in text
    table = at.dataframe[0].value
    in_district = cams[cams["district_code"] == "E"]
    assert len(table) == len(in_district) and set(table["ID"]) == set(in_district["id"])
    assert set(table["Operator"]) <= {"Transport Department", "Hong Kong Police Force"}
    assert not table.isin(["None", "nan", "NaT"]).any().any()
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download GeoJSON"]
    row = bundle["districts"].set_index("code").loc["E"]
    metrics = {m.label: m.value for m in at.metric}
    if row["population_2021"] == row["population_2021"]:
        assert metrics["Population (2021)"] == f"{int(row['population_2021']):,}"


def test_upload_adds_a_session_layer_and_bad_rows_are_named(tmp_path):
    at = run_page("map")
    good = b"latitude,longitude,description\n22.28,114.15,Shop camera\n99,114.1,bad row\n"
    at.file_uploader(key="m_upload").set_value(("mine.csv", good, "text/csv")).run()
    assert not at.exception
    spec, _ = deck(at)
    objs = layer(spec, "upload")
    assert len(objs) == 1 and "mine.csv" in objs[0]["d"]
    text = all_text(at).replace("\\", "")
    assert "Points from mine.csv on the map: 1" in text
    assert "mine.csv:3: latitude" in text
    at.file_uploader(key="m_upload").set_value(("junk.txt", b"hello", "text/plain")).run()
    assert not at.exception
    assert "upload" not in [x["id"] for x in deck(at)[0]["layers"]]
    assert "Nothing usable in junk" in all_text(at).replace("\\", "")


def test_map_still_renders_without_district_outlines(data_copy):
    (data_copy / "geo" / "districts.geojson").write_text("{not json", encoding="utf-8")
    at = run_page("map")
    assert not at.exception
    spec, _ = deck(at)
    assert "districts" not in [x["id"] for x in spec["layers"]] and layer(spec, "cameras-td")
    assert "District outlines could not be loaded" in all_text(at)
    assert "geo/districts.geojson" in all_text(at).replace("\\", "")


def test_many_cameras_switch_to_density_and_stay_small(tmp_path, monkeypatch):
    from benchmarks.synthetic import make_data_dir

    dest = make_data_dir(tmp_path / "synthetic", stats.POINT_LIMIT + 500, seed=1)
    monkeypatch.setenv("HKCCTV_DATA_DIR", str(dest))
    at = run_page("map")
    assert not at.exception
    spec, text = deck(at)
    ids = [x["id"] for x in spec["layers"]]
    assert "density" in ids and "cameras-td" not in ids
    assert "too many to read one by one" in all_text(at)
    assert len(text.encode()) < 1_500_000


def test_district_table_reads_in_chinese_without_codes():
    at = run_page("map", lang="zh-Hant", query={"m_dist": "E"})
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["編號", "描述", "營運者"]
    assert "transport_department" not in set(table["營運者"]) and "運輸署" in set(table["營運者"])
    assert set(table["地區"]) == {"油尖旺區"}
    assert "未有公布" in set(table["首次發現"])  # the Transport Department list gives no first-seen date


def test_count_of_cameras_shown_sits_beside_the_filters(shipped):
    _, cams = shipped
    at = run_page("map", query={"m_ops": "police"})
    shown = int(cams["operator"].eq("police").sum())
    assert f"Showing {shown} of {len(cams)} known cameras. Filters on: Operator." in all_text(at)


def test_first_tap_on_a_filter_shows_only_that_choice():
    at = run_page("map")
    everything = list(url_state.MAP.get("m_ops").default)
    # Tapping "Transport Department" when all are shown deselects it in the widget ...
    at.pills(key="m_ops").set_value([o for o in everything if o != "transport_department"]).run()
    # ... which the page reads as "show only the Transport Department".
    assert at.pills(key="m_ops").value == ["transport_department"]
    spec, _ = deck(at)
    assert "cameras-smartview" not in [x["id"] for x in spec["layers"]]
    # A second tap adds a choice back; removing the last one shows everything again.
    at.pills(key="m_ops").set_value(["transport_department", "police"]).run()
    assert at.pills(key="m_ops").value == ["transport_department", "police"]
    at.pills(key="m_ops").set_value([]).run()
    assert at.pills(key="m_ops").value == everything


def test_offline_map_draws_outlines_and_says_so(monkeypatch):
    monkeypatch.setenv("HKCCTV_TILES", "off")
    at = run_page("map")
    assert not at.exception
    spec, _ = deck(at)
    assert spec["mapStyle"] == map_deck.NO_BASE_MAP and "mapProvider" not in spec
    assert "Street-map tiles cannot be reached from here, so the outline map is shown." in all_text(at)
    assert not [t for t in at.toggle if t.key == "m_tiles"]
