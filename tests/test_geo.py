"""Geometry: the committed district shapes, point-in-polygon, lookup, marker points, simplification."""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pandas as pd
import pytest

from loaders.district_names import CODES, name_en, name_zh
from loaders.geo import (DistrictIndex, build_geo, dumps_geojson, geometry_area, load_districts_geojson,
                         point_in_polygon, representative_point, simplify_feature_collection)
from loaders.problems import DataError

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "data" / "geo" / "districts.geojson"
CAMERAS = ROOT / "data" / "cameras_td.csv"

SQUARE_WITH_HOLE = {"type": "Polygon", "coordinates": [
    [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
    [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]],
]}


@pytest.fixture(scope="module")
def districts() -> dict:
    return load_districts_geojson(GEO)


def had_feature(code: str, en: str, zh: str, ring: list) -> dict:
    """A feature shaped like the Home Affairs Department file."""
    return {"type": "Feature", "properties": {"地區號碼": code, "District": en, "地區": zh},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def wiggly_pair() -> dict:
    """Two districts sharing a wiggly border x≈1 (tiny wiggles, well under the tolerance)."""
    border = [[1 + (0.00001 if i % 2 else 0), i / 100] for i in range(101)]  # bottom to top
    left = [[0, 0]] + border + [[0, 1], [0, 0]]
    right = [[2, 0], [2, 1]] + border[::-1] + [[2, 0]]
    return {"type": "FeatureCollection", "features": [
        had_feature("A", "Central And Western", "中西區", left),
        had_feature("B", "Wan Chai", "灣仔", right),
    ]}


# ---------------------------------------------------------------- the committed file

def test_districts_geojson_has_18_features_with_codes_a_to_t(districts):
    assert [f["properties"]["code"] for f in districts["features"]] == list(CODES)


def test_districts_geojson_is_under_300_kb():
    assert GEO.stat().st_size < 300_000


def test_districts_geojson_names_come_from_district_table(districts):
    for f in districts["features"]:
        p = f["properties"]
        assert p == {"code": p["code"], "name_en": name_en(p["code"]), "name_zh": name_zh(p["code"])}


def test_districts_geojson_rings_closed_with_at_least_4_points(districts):
    for f in districts["features"]:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        for poly in polys:
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1]


def test_districts_geojson_bytes_are_canonical(districts):
    assert GEO.read_text(encoding="utf-8") == dumps_geojson(districts)


# ---------------------------------------------------------------- point in polygon

@pytest.mark.parametrize("lon, lat, inside", [
    (1, 1, True), (9, 5, True), (5, 5, False), (5, 4.5, False), (3.9, 5, True), (11, 5, False), (-1, -1, False),
])
def test_point_in_square_with_hole(lon, lat, inside):
    assert point_in_polygon(lon, lat, SQUARE_WITH_HOLE) is inside


def test_point_in_multipolygon_checks_every_part():
    multi = {"type": "MultiPolygon", "coordinates": [
        SQUARE_WITH_HOLE["coordinates"], [[[20, 20], [22, 20], [22, 22], [20, 22], [20, 20]]],
    ]}
    assert point_in_polygon(21, 21, multi) and point_in_polygon(1, 1, multi)
    assert not point_in_polygon(5, 5, multi) and not point_in_polygon(15, 15, multi)


def test_district_index_respects_holes():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A"}, "geometry": SQUARE_WITH_HOLE}]}
    idx = DistrictIndex(fc)
    assert (idx.code_for(1, 1), idx.code_for(5, 5), idx.code_for(50, 50)) == ("A", None, None)


def test_every_td_camera_lies_in_its_recorded_district(districts):
    cams = pd.read_csv(CAMERAS, dtype={"district_code": str}, keep_default_na=False)
    index = DistrictIndex(districts)
    found = index.codes_for(cams["longitude"], cams["latitude"])
    differ = [(i, code) for i, code, got in zip(cams["id"], cams["district_code"], found) if got != code]
    assert differ == [("td-AID07131", "F")]  # 1 m outside Sham Shui Po, on the boundary road
    assert all(index.fits(c, x, y) for c, x, y in zip(cams["district_code"], cams["longitude"], cams["latitude"]))


def test_distance_and_tolerance_in_metres():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A"}, "geometry": {"type": "Polygon", "coordinates": [
            [[114.0, 22.0], [114.1, 22.0], [114.1, 22.1], [114.0, 22.1], [114.0, 22.0]]]}}]}
    idx = DistrictIndex(fc)
    assert idx.distance_m("A", 114.05, 22.05) == 0
    assert idx.distance_m("A", 114.05, 22.1001) == pytest.approx(11.06, abs=0.01)  # 0.0001° of latitude
    assert idx.fits("A", 114.05, 22.1001) and not idx.fits("A", 114.05, 22.1002)
    assert idx.nearest(114.05, 22.1001) == "A" and idx.nearest(114.05, 22.2) is None
    assert idx.distance_m("B", 114.05, 22.05) is None


def test_codes_for_agrees_with_code_for(districts):
    rng = random.Random(3)
    lons = [rng.uniform(113.8, 114.5) for _ in range(500)] + [float("nan")]
    lats = [rng.uniform(22.1, 22.6) for _ in range(500)] + [22.3]
    idx = DistrictIndex(districts)
    assert idx.codes_for(lons, lats) == [idx.code_for(x, y) for x, y in zip(lons, lats)]


def test_codes_for_60000_points_within_seconds(districts):
    rng = random.Random(7)
    lons = [rng.uniform(113.8, 114.5) for _ in range(60_000)]
    lats = [rng.uniform(22.1, 22.6) for _ in range(60_000)]
    idx = DistrictIndex(districts)
    start = time.perf_counter()
    codes = idx.codes_for(lons, lats)
    assert time.perf_counter() - start < 5
    assert len(codes) == 60_000 and set(codes) - {None} == set(CODES)


# ---------------------------------------------------------------- marker placement

def test_representative_point_inside_every_district(districts):
    for f in districts["features"]:
        lon, lat = representative_point(f["geometry"])
        assert point_in_polygon(lon, lat, f["geometry"]), f["properties"]["code"]


def test_representative_point_inside_u_shape_whose_centroid_is_outside():
    u = {"type": "Polygon", "coordinates": [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]]}
    assert not point_in_polygon(1.5, 1.4, u)  # the centroid is in the notch
    assert point_in_polygon(*representative_point(u), u)


def test_representative_point_avoids_hole():
    ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    holed = {"type": "Polygon", "coordinates": [ring, [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]]]}
    assert point_in_polygon(*representative_point(holed), holed)


# ---------------------------------------------------------------- simplification

def test_simplify_maps_had_properties_through_district_table():
    out = simplify_feature_collection(wiggly_pair(), 0.001)
    assert [f["properties"] for f in out["features"]] == [
        {"code": "A", "name_en": "Central and Western", "name_zh": "中西區"},
        {"code": "B", "name_en": "Wan Chai", "name_zh": "灣仔區"},
    ]


def test_simplify_removes_vertices_and_keeps_rings_closed():
    out = simplify_feature_collection(wiggly_pair(), 0.001)
    for f in out["features"]:
        ring = f["geometry"]["coordinates"][0]
        assert 4 <= len(ring) < 20 and ring[0] == ring[-1]


def test_simplify_keeps_at_least_4_points_for_a_tiny_ring():
    tri = [[114.0, 22.3], [114.00001, 22.3], [114.0, 22.30001], [114.0, 22.3]]
    out = simplify_feature_collection({"type": "FeatureCollection", "features": [had_feature("T", "Islands", "離島", tri)]}, 1.0)
    assert out["features"][0]["geometry"]["coordinates"][0] == tri


def test_simplify_gives_neighbours_the_same_border():
    out = simplify_feature_collection(wiggly_pair(), 0.001)
    left, right = (set(map(tuple, f["geometry"]["coordinates"][0])) for f in out["features"])
    on_border = lambda pts: {p for p in pts if 0.5 < p[0] < 1.5}  # noqa: E731
    assert on_border(left) == on_border(right)  # no gaps, no slivers
    assert {(1, 0.0), (1, 1.0)} <= on_border(left)  # junctions with the outer edge are kept


def test_simplify_drops_tiny_islands_only_when_asked():
    main = [[114.0, 22.3], [114.1, 22.3], [114.1, 22.4], [114.0, 22.4], [114.0, 22.3]]
    islet = [[114.2, 22.3], [114.2001, 22.3], [114.2001, 22.3001], [114.2, 22.3001], [114.2, 22.3]]
    feat = had_feature("T", "Islands", "離島", main)
    feat["geometry"] = {"type": "MultiPolygon", "coordinates": [[main], [islet]]}
    fc = {"type": "FeatureCollection", "features": [feat]}
    assert simplify_feature_collection(fc, 0.0001)["features"][0]["geometry"]["type"] == "MultiPolygon"
    kept = simplify_feature_collection(fc, 0.0001, min_ring_area=1e-6)["features"][0]["geometry"]
    assert kept == {"type": "Polygon", "coordinates": [main]}


def test_simplify_rounds_to_precision():
    ring = [[114.1234567, 22.3], [114.2, 22.3], [114.2, 22.4], [114.1234567, 22.4], [114.1234567, 22.3]]
    out = simplify_feature_collection({"type": "FeatureCollection", "features": [had_feature("E", "Yau Tsim Mong", "油尖旺", ring)]}, 0.0, precision=3)
    assert out["features"][0]["geometry"]["coordinates"][0][0] == [114.123, 22.3]


def test_simplify_unknown_district_is_a_problem():
    fc = {"type": "FeatureCollection", "features": [had_feature("Z", "Atlantis", "亞特蘭提斯", [[0, 0], [1, 0], [1, 1], [0, 0]])]}
    with pytest.raises(DataError) as err:
        simplify_feature_collection(fc, 0.001)
    assert err.value.problems[0].field == "code"


def test_simplify_output_is_deterministic(tmp_path):
    src = tmp_path / "had.json"
    src.write_text(json.dumps(wiggly_pair(), ensure_ascii=False), encoding="utf-8")
    fc = wiggly_pair()
    first = dumps_geojson(simplify_feature_collection(fc, 0.001))
    second = dumps_geojson(simplify_feature_collection(json.loads(src.read_text(encoding="utf-8")), 0.001))
    assert first == second and first.endswith("}\n") and ", " not in first


def test_build_geo_refuses_a_tolerance_that_distorts_areas(tmp_path, districts):
    # Rebuild from the committed file (HAD-style input is not needed: `code` properties are read too).
    src = tmp_path / "in.geojson"
    src.write_text(dumps_geojson(districts), encoding="utf-8")
    with pytest.raises(DataError) as err:
        build_geo(src, tmp_path / "out.geojson", tolerance=0.05)
    assert "area changed" in err.value.problems[0].message
    assert not (tmp_path / "out.geojson").exists()


def test_build_geo_writes_file_and_reports_sizes(tmp_path, districts):
    src = tmp_path / "in.geojson"
    src.write_text(dumps_geojson(districts), encoding="utf-8")
    stats = build_geo(src, tmp_path / "out.geojson", tolerance=0.0002)
    assert stats["bytes"] == (tmp_path / "out.geojson").stat().st_size
    assert stats["vertices_after"] < stats["vertices_before"] and abs(stats["max_area_change"]) < 0.05
    out = load_districts_geojson(tmp_path / "out.geojson")
    for a, b in zip(districts["features"], out["features"]):
        assert geometry_area(b["geometry"]) == pytest.approx(geometry_area(a["geometry"]), rel=0.05)
