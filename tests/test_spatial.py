"""Spatial truth: `loaders check` names a camera whose point is not in its district; a site known
only to its district has no coordinates, in the data and in the exports, and the map draws it
at a point inside the district when drawing."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd

from loaders import export
from loaders.datasets import load_all
from loaders.geo import BOUNDARY_TOLERANCE_M, representative_point
from loaders.spatial import check_districts
from metrics import map_stats as stats
from ui.charts import map_deck as deck

SQUARES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "A"}, "geometry": {"type": "Polygon", "coordinates": [
        [[114.0, 22.2], [114.1, 22.2], [114.1, 22.3], [114.0, 22.3], [114.0, 22.2]]]}},
    {"type": "Feature", "properties": {"code": "B"}, "geometry": {"type": "Polygon", "coordinates": [
        [[114.1, 22.2], [114.2, 22.2], [114.2, 22.3], [114.1, 22.3], [114.1, 22.2]]]}},
]}


def camera(cam_id: str, lon: float | None, lat: float | None, code: str | None, line: int) -> dict:
    return {"id": cam_id, "longitude": lon, "latitude": lat, "district_code": code, "_line": line,
            "_lines": {"district_code": line, "latitude": line}}


def test_point_in_another_district_is_named_by_file_line_and_field():
    # 0.05° of longitude at 22.35°N: 0.05 × 111,320 m × cos(22.35°) ≈ 5,148 m
    problems = check_districts([camera("c1", 114.15, 22.25, "A", 7)], [], SQUARES)
    assert [str(p) for p in problems] == [
        f"cameras_td.csv:7: district_code: c1: the point (22.250000, 114.150000) lies in Wan Chai (B), 5,148 m outside "
        f"Central and Western (tolerance {BOUNDARY_TOLERANCE_M} m); set district_code from the point and keep the "
        "source's wording in district_as_published"]


def test_point_on_the_border_within_the_tolerance_passes():
    # 0.00005° (about 5 m) east of the A/B border, coded A
    assert check_districts([camera("c1", 114.10005, 22.25, "A", 2)], [], SQUARES) == []


def test_point_outside_every_district_is_named():
    problems = check_districts([camera("c1", 114.5, 22.5, "A", 3)], [], SQUARES)
    assert [str(p) for p in problems] == [
        "cameras_td.csv:3: latitude: c1: the point (22.500000, 114.500000) lies outside every district boundary"]


def test_camera_without_coordinates_is_not_checked_by_point():
    assert check_districts([camera("sv-x", None, None, "A", 4)], [], SQUARES) == []


def test_street_site_is_checked_against_the_camera_that_places_it():
    site = {"id": "s", "precision": "street", "td_camera_key": "K1", "district_code": "A", "_line": 9,
            "_lines": {"td_camera_key": 12}}
    problems = check_districts([camera("td-K1", 114.15, 22.25, "B", 2)], [site], SQUARES)
    assert [str(p) for p in problems] == [
        "smartview_sites.yaml:12: td_camera_key: camera td-K1: the point (22.250000, 114.150000) lies in Wan Chai (B), "
        f"5,148 m outside Central and Western (tolerance {BOUNDARY_TOLERANCE_M} m), the site's district"]


def test_shipped_data_passes_the_spatial_check():
    bundle = load_all()
    assert bundle.problems == []


def test_check_command_names_a_miscoded_camera(data_copy, capsys):
    path = data_copy / "cameras_td.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("td-AID05104,22.318882,114.207797,J,", "td-AID05104,22.318882,114.207797,E,"), encoding="utf-8")
    from loaders.__main__ import main

    assert main(["check", "--data-dir", str(data_copy)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "cameras_td.csv:157: district_code: td-AID05104: the point (22.318882, 114.207797) lies in Kwun Tong (J), "
        f"2,898 m outside Yau Tsim Mong (tolerance {BOUNDARY_TOLERANCE_M} m); set district_code from the point and keep "
        "the source's wording in district_as_published"]


def test_sites_known_only_to_their_district_have_no_coordinates():
    cams = load_all()["cameras"]
    sites = cams[cams["id"].str.startswith("sv-")].set_index("id")
    district_only = sites[sites["precision"].eq("district")]
    assert len(district_only) == 15
    assert district_only["latitude"].isna().all() and district_only["longitude"].isna().all()
    street = sites.loc["sv-mong-kok-argyle-street"]
    td = cams.set_index("id").loc["td-K202F"]
    assert (street["precision"], street["latitude"], street["longitude"]) == ("street", td["latitude"], td["longitude"])
    assert sites.loc["sv-western-district-des-voeux-road-west", "first_seen_precision"] == "year"


def test_csv_export_leaves_district_only_coordinates_empty():
    cams = load_all()["cameras"]
    rows = list(csv.DictReader(io.StringIO(export.to_csv_bytes(cams).decode("utf-8"))))
    district_only = [r for r in rows if r["precision"] == "district"]
    assert len(district_only) == 15
    assert {(r["latitude"], r["longitude"]) for r in district_only} == {("", "")}
    assert all(r["district_code"] for r in district_only)


def test_map_draws_district_only_sites_at_a_point_inside_their_district():
    bundle = load_all()
    cams = stats.prepare_cameras(bundle["cameras"], bundle["sources"])
    district_only = cams[cams["precision"].eq("district")]
    rings = deck.district_ring_objects(district_only, stats.district_points(bundle.geo), "en", bundle["districts"])
    shapes = {f["properties"]["code"]: f["geometry"] for f in bundle.geo["features"]}
    assert {r["z"]: r["n"] for r in rings} == {k: str(v) for k, v in district_only["district_code"].value_counts().items()}
    for ring in rings:
        assert ring["p"] == [round(c, deck.COORD_DIGITS) for c in representative_point(shapes[ring["z"]])]


def test_exports_no_longer_share_one_placeholder_point():
    cams = load_all()["cameras"]
    located = cams.dropna(subset=["latitude", "longitude"])
    shared = located[located["id"].str.startswith("sv-")].groupby(["latitude", "longitude"]).size()
    assert (shared <= 1).all()
    assert pd.isna(cams.set_index("id").loc["sv-tai-kok-tsui", "latitude"])


def test_geojson_export_gives_district_only_cameras_a_null_geometry():
    cams = load_all()["cameras"]
    fc = json.loads(export.to_geojson_bytes(cams))
    district_only = [f for f in fc["features"] if f["properties"]["precision"] == "district"]
    assert len(district_only) == 15 and all(f["geometry"] is None for f in district_only)
