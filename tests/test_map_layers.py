"""metrics/map_stats.py and ui/charts/map_deck.py: filters, district totals, hexagons, selection -> district, deck spec."""
from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from loaders import schema
from loaders.datasets import load_all, to_frame
from loaders.geo import point_in_polygon
from metrics import map_stats as stats
from ui import url_state
from ui.charts import map_deck as deck


def cams_frame(rows: list[dict]) -> pd.DataFrame:
    """Camera rows in the loader's shape (typed like load_all's), prepared for the map."""
    base = {"district_code": "A", "operator": "transport_department", "programme": "td_traffic_snapshot",
            "kind": "traffic_snapshot", "description_en": "cam", "description_zh": None, "precision": "exact",
            "first_seen": None, "source": "src-a", "latitude": 22.28, "longitude": 114.15}
    return stats.prepare_cameras(to_frame([base | {"id": f"c{i}"} | r for i, r in enumerate(rows)], schema.CAMERAS))


@pytest.fixture(scope="module")
def bundle():
    return load_all()


# ---------------------------------------------------------------- filters

def test_category_separates_td_smartview_and_other():
    cams = cams_frame([{}, {"programme": "smartview", "kind": "smartview_site", "operator": "police"},
                       {"programme": "osm", "kind": "surveillance", "operator": "other"}])
    assert list(cams["category"]) == ["td", "smartview", "other"]


def test_filter_by_operator_programme_precision_and_district():
    cams = cams_frame([{}, {"operator": "police", "programme": "smartview", "kind": "smartview_site", "precision": "district"},
                       {"district_code": "B"}])
    assert list(stats.filter_cameras(cams, stats.CameraFilter(operators=("police",)))["id"]) == ["c1"]
    assert list(stats.filter_cameras(cams, stats.CameraFilter(precisions=("exact",)))["id"]) == ["c0", "c2"]
    assert list(stats.filter_cameras(cams, stats.CameraFilter(district="B"))["id"]) == ["c2"]
    assert list(stats.filter_cameras(cams, stats.CameraFilter(programmes=()))["id"]) == []
    assert len(stats.filter_cameras(cams, stats.CameraFilter())) == 3


def test_date_range_keeps_undated_only_when_asked():
    cams = cams_frame([{"first_seen": "2024-04-18"}, {"first_seen": "2025-06-01"}, {}])
    window = dict(seen_from=dt.date(2024, 1, 1), seen_to=dt.date(2024, 12, 31))
    assert list(stats.filter_cameras(cams, stats.CameraFilter(**window))["id"]) == ["c0", "c2"]
    assert list(stats.filter_cameras(cams, stats.CameraFilter(**window, include_undated=False))["id"]) == ["c0"]
    # No range: the undated switch changes nothing.
    assert len(stats.filter_cameras(cams, stats.CameraFilter(include_undated=False))) == 3


def test_without_district_keeps_every_other_filter():
    flt = stats.CameraFilter(operators=("police",), district="B", seen_from=dt.date(2024, 1, 1), include_undated=False)
    other = flt.without_district()
    assert other.district is None and other.operators == ("police",) and other.seen_from == dt.date(2024, 1, 1)
    assert other.include_undated is False


# ---------------------------------------------------------------- districts

def test_district_table_counts_known_cameras_and_rates(bundle):
    cams = stats.prepare_cameras(bundle["cameras"], bundle["sources"])
    table = stats.district_table(cams, bundle["districts"])
    assert list(table["code"]) == list(schema.CODES)
    assert table["known"].sum() == len(cams[cams["district_code"].isin(schema.CODES)])
    for code, group in cams.groupby("district_code"):
        assert table.loc[code, "td"] == (group["category"] == "td").sum()
        assert table.loc[code, "smartview"] == (group["category"] == "smartview").sum()
    row = bundle["districts"].set_index("code").loc["A"]
    if pd.notna(row["population_2021"]):
        assert table.loc["A", "per100k"] == pytest.approx(table.loc["A", "known"] / row["population_2021"] * 100_000)
    if pd.notna(row["area_km2"]):
        assert table.loc["A", "perkm2"] == pytest.approx(table.loc["A", "known"] / row["area_km2"])


def test_district_table_marks_missing_population_as_not_published():
    cams = cams_frame([{}])
    districts = pd.DataFrame({"code": ["A"], "name_en": ["Central and Western"], "name_zh": ["中西區"],
                              "population_2019": [240500], "population_2021": [None], "area_km2": [None]})
    table = stats.district_table(cams, districts)
    assert table.loc["A", "known"] == 1
    assert math.isnan(table.loc["A", "per100k"]) and math.isnan(table.loc["A", "perkm2"])
    assert stats.class_index(table.loc["A", "per100k"], [1.0, 2.0]) is None
    assert deck.ramp_colour(None, 5, deck.SHADING_RAMP) == deck.NOT_PUBLISHED_FILL
    # Districts missing from districts.csv still get their names.
    assert table.loc["T", "name_en"] == "Islands" and table.loc["T", "known"] == 0


def test_class_breaks_and_labels():
    breaks = stats.class_breaks(pd.Series([0, 1, 2, 3, 10, 30]), whole=True)
    assert breaks == sorted(breaks) and breaks[-1] == 30 and all(float(b).is_integer() for b in breaks)
    assert stats.class_index(0, breaks) == 0 and stats.class_index(30, breaks) == len(breaks) - 1
    labels = deck.class_labels([2.0, 5.0, 9.0], "en", whole=True)
    assert labels == ["0–2", "3–5", "6–9"]
    assert deck.class_labels([2.5, 7.25], "en", whole=False) == ["0.0–2.5", "2.5–7.2"]
    assert stats.class_breaks(pd.Series([float("nan")])) == []


# ---------------------------------------------------------------- hexagons

def test_hex_bins_count_every_point_and_centres_are_near_their_points():
    lon = [114.15, 114.1501, 114.1502, 114.20, 114.30]
    lat = [22.28, 22.2801, 22.2802, 22.30, 22.40]
    bins = stats.hex_bins(lon, lat, groups=["td", "td", "smartview", "td", "other"])
    assert bins["n"].sum() == 5
    assert bins["n"].max() == 3  # the three close points share a hexagon
    first = bins.loc[bins["n"].idxmax()]
    assert first["td"] == 2 and first["smartview"] == 1
    for x, y in zip(lon, lat):
        d = min(math.hypot((x - cx) * 111_320 * math.cos(math.radians(22.3)), (y - cy) * 110_574)
                for cx, cy in zip(bins["lon"], bins["lat"]))
        assert d <= stats.HEX_RADIUS_M + 1


def test_hex_bins_of_nothing_is_empty():
    assert stats.hex_bins([], []).empty


# ---------------------------------------------------------------- selection -> filter

def test_district_from_selection_reads_district_shapes_and_cameras():
    assert stats.district_from_selection({"objects": {"districts": [{"properties": {"code": "M"}}]}}) == "M"
    assert stats.district_from_selection({"objects": {"cameras-td": [{"z": "B", "a": "x"}]}}) == "B"
    assert stats.district_from_selection({"objects": {"cameras-district": [{"z": "E"}]}}) == "E"
    assert stats.district_from_selection({"objects": {"density": [{"z": ""}]}}) is None
    assert stats.district_from_selection({"objects": {"districts": [{"properties": {"code": "<script>"}}]}}) is None
    assert stats.district_from_selection({"indices": {}, "objects": {}}) is None
    assert stats.district_from_selection(None) is None


def test_next_district_keeps_the_choice_on_an_empty_click():
    assert stats.next_district({"objects": {"districts": [{"properties": {"code": "B"}}]}}, "A") == "B"
    assert stats.next_district({"indices": {}, "objects": {}}, "A") == "A"
    assert stats.next_district(None, None) is None


# ---------------------------------------------------------------- view

def test_view_state_fits_a_district_and_falls_back_to_hong_kong(bundle):
    whole = deck.view_state(bundle.geo, None)
    one = deck.view_state(bundle.geo, "E")
    assert one["zoom"] > whole["zoom"]
    feat = next(f for f in bundle.geo["features"] if f["properties"]["code"] == "E")
    xs = [x for x, _ in feat["geometry"]["coordinates"][0]]
    assert min(xs) <= one["longitude"] <= max(xs)
    assert deck.view_state(None, "E") == deck.fit_view(deck.HK_BOUNDS)


def _span_px(view: dict, lon0: float, lat0: float, lon1: float, lat1: float) -> tuple[float, float]:
    """How wide and tall a lon/lat box is drawn at the view's zoom (deck.gl: 512-px world at zoom 0)."""
    import math

    scale = 512 * 2 ** view["zoom"] / 360
    merc = [math.degrees(math.log(math.tan(math.pi / 4 + math.radians(y) / 2))) for y in (lat0, lat1)]
    return (lon1 - lon0) * scale, (merc[1] - merc[0]) * scale


@pytest.mark.parametrize("code", [None, "T", "M", "E"])
def test_initial_view_fits_the_narrowest_phone_column(bundle, code):
    feats = [f for f in bundle.geo["features"] if code is None or f["properties"]["code"] == code]
    boxes = [deck._bounds(f["geometry"]) for f in feats]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    view = deck.view_state(bundle.geo, code)
    width, height = _span_px(view, *box)
    # Lantau to Sai Kung (or the whole district) inside a 320 x 360 px chart, with a margin.
    assert width <= deck.FIT_WIDTH and height <= deck.FIT_HEIGHT
    assert width >= deck.FIT_WIDTH * 0.85 or height >= deck.FIT_HEIGHT * 0.85  # fitted, not lost in the sea


# ---------------------------------------------------------------- tooltips and the deck

def test_safe_neutralises_markup_but_keeps_apostrophes():
    assert deck.safe("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert deck.safe("Tate's Cairn & Co") == "Tate's Cairn & Co"
    assert deck.safe(None) == "" and deck.safe(float("nan")) == ""


def test_every_pickable_object_carries_every_tooltip_field(bundle):
    cams = stats.prepare_cameras(bundle["cameras"], bundle["sources"])
    result = deck.build_map(cams, cams, bundle["districts"], bundle.geo, deck.MapRequest(layers=frozenset(url_state.MAP_LAYERS)))
    fields = set("abcd")
    for layer in result.spec["layers"]:
        if not layer.get("pickable"):
            continue
        data = layer["data"]["features"] if isinstance(layer["data"], dict) else layer["data"]
        for obj in data:
            have = obj["properties"] if "properties" in obj else obj
            assert fields <= set(have), (layer["id"], have)


def test_build_map_draws_every_known_camera_once(bundle):
    cams = stats.prepare_cameras(bundle["cameras"], bundle["sources"])
    result = deck.build_map(cams, cams, bundle["districts"], bundle.geo, deck.MapRequest())
    located = cams["precision"].isin(["exact", "street"]).sum()
    district_only = cams["precision"].eq("district").sum()
    assert deck.points_drawn(result) == located
    assert result.drawn.get("cameras-district", 0) == district_only
    assert "districts" in result.layer_ids and result.drawn["districts"] == 18
    for layer in result.spec["layers"]:
        for obj in layer["data"] if isinstance(layer["data"], list) else []:
            assert all(len(str(c).split(".")[-1]) <= deck.COORD_DIGITS for c in obj["p"])


def test_street_and_district_precision_are_drawn_as_rings_not_dots():
    cams = cams_frame([{}, {"precision": "street", "id": "s1"}, {"precision": "district", "district_code": "E"},
                       {"precision": "district", "district_code": "E"}])
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "E"},
         "geometry": {"type": "Polygon", "coordinates": [[[114.16, 22.30], [114.18, 22.30], [114.18, 22.32], [114.16, 22.32], [114.16, 22.30]]]}}]}
    result = deck.build_map(cams, cams, None, geo, deck.MapRequest())
    layers = {layer["id"]: layer for layer in result.spec["layers"]}
    assert layers["cameras-street"]["filled"] is False and len(layers["cameras-street"]["data"]) == 1
    ring = layers["cameras-district"]
    assert ring["filled"] is False and len(ring["data"]) == 1 and ring["data"][0]["n"] == "2"
    assert point_in_polygon(*ring["data"][0]["p"], geo["features"][0]["geometry"])
    assert len(layers["cameras-td"]["data"]) == 1  # only the exact camera is a dot


def test_density_takes_over_above_the_point_limit():
    n = stats.POINT_LIMIT + 1
    cams = cams_frame([{"latitude": 22.25 + (i % 100) * 0.002, "longitude": 114.0 + (i // 100) * 0.004} for i in range(n)])
    result = deck.build_map(cams, cams, None, None, deck.MapRequest())
    assert "density" in result.layer_ids and "cameras-td" not in result.layer_ids
    assert "map.notice_density_takeover" in result.notices
    hexes = next(layer for layer in result.spec["layers"] if layer["id"] == "density")["data"]
    assert sum(int(h["a"].rsplit(": ", 1)[1].replace(",", "")) for h in hexes) == n


def test_tiles_switch_sets_the_base_map():
    cams = cams_frame([{}])
    on = deck.build_map(cams, cams, None, None, deck.MapRequest(tiles=True)).spec
    off = deck.build_map(cams, cams, None, None, deck.MapRequest(tiles=False)).spec
    assert on.get("mapProvider") == "carto" and "mapStyle" not in on
    assert off["mapStyle"] == deck.NO_BASE_MAP and "mapProvider" not in off


def test_shading_colours_districts_by_the_chosen_metric(bundle):
    cams = stats.prepare_cameras(bundle["cameras"], bundle["sources"])
    shaded = deck.build_map(cams, cams, bundle["districts"], bundle.geo, deck.MapRequest(layers=frozenset({"shading"}), metric="perkm2"))
    plain = deck.build_map(cams, cams, bundle["districts"], bundle.geo, deck.MapRequest(layers=frozenset()))
    fills = {f["properties"]["k"][3] for f in shaded.spec["layers"][0]["data"]["features"]}
    assert fills == {150} and shaded.shading_breaks
    assert {f["properties"]["k"][3] for f in plain.spec["layers"][0]["data"]["features"]} == {1}
    assert "cameras-td" not in plain.layer_ids  # the points layer is off


def test_deck_json_is_compact_and_prebuilt_deck_returns_it():
    spec = {"layers": [], "initialViewState": stats.HK_CENTRE}
    text = deck.to_json(spec)
    assert " " not in text and json.loads(text) == spec
    prebuilt = deck.PrebuiltDeck(text, deck.TOOLTIP)
    assert prebuilt.to_json() == text and prebuilt._tooltip == deck.TOOLTIP


def test_legend_lists_what_is_drawn_with_its_scale():
    req = deck.MapRequest(layers=frozenset({"points", "shading"}), metric="per100k")
    html = deck.legend_html("en", req, [1.5, 3.0], [], has_upload=False)
    assert "Transport Department traffic cameras" in html and "source gives only the district" in html
    assert "0.0–1.5" in html and "1.5–3.0" in html and "not published" in html
    assert "Your upload" not in html and "hexagon" not in html
    zh = deck.legend_html("zh-Hant", deck.MapRequest(lang="zh-Hant", layers=frozenset({"density"})), [], [3.0, 8.0])
    assert "六角格" in zh and "0–3" in zh and "4–8" in zh and "運輸署交通攝影機" not in zh


def test_payload_stays_small_at_the_point_limit_even_with_long_descriptions():
    def at_limit(text):
        cams = cams_frame([{"latitude": 22.25 + (i % 80) * 0.003, "longitude": 114.0 + (i // 80) * 0.005,
                            "description_en": text, "description_zh": text} for i in range(stats.POINT_LIMIT)])
        return deck.build_map(cams, cams, None, load_all().geo, deck.MapRequest(layers=frozenset(url_state.MAP_LAYERS)))

    plain = at_limit("Kwun Tong Bypass near Trade & Exhibition Centre - Northbound")
    assert "cameras-td" in plain.layer_ids and len(deck.to_json(plain.spec).encode()) < deck.MAX_DECK_BYTES
    assert all(len(o["a"]) <= deck.TIP_CHARS for o in plain.spec["layers"][-1]["data"])
    wordy = at_limit("攝影機位於一條名稱非常長的道路旁邊" * 20)  # 3 bytes a character, cut to TIP_CHARS
    assert len(deck.to_json(wordy.spec).encode()) < deck.MAX_DECK_BYTES
    if "cameras-td" not in wordy.layer_ids:  # too heavy as points: hexagons, and the reader is told
        assert "density" in wordy.layer_ids and "map.notice_density_takeover" in wordy.notices


def test_short_cuts_long_text_with_an_ellipsis():
    assert deck.short("a  b\nc") == "a b c"
    assert deck.short("x" * 200, 10) == "x" * 9 + "…"
    assert deck.short(None) == ""
