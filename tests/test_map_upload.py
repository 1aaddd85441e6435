"""metrics/map_upload.py: uploads go through the importer and the schema, stay in memory,
and bad input is reported by row and field. (Dragging a real file onto the page is the
browser suite's job; AppTest drives st.file_uploader in test_map_page.py.)"""
from __future__ import annotations

import builtins
import json

import pytest

from metrics import map_upload
GOOD_CSV = b"latitude,longitude,description\n22.28,114.15,Shop camera\n22.30,114.17,Lamp post camera\n"
BAD_CSV = b"latitude,longitude,description\n22.28,114.15,ok\n99,114.1,north pole\n22.3,abc,typo\n"
GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"description": "Mall entrance", "first_seen": "2025-03-01"},
     "geometry": {"type": "Point", "coordinates": [114.17, 22.30]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[114.1, 22.3], [114.2, 22.3]]}},
]}).encode()
OVERPASS = json.dumps({"elements": [
    {"type": "node", "id": 101, "lat": 22.28, "lon": 114.16, "tags": {"man_made": "surveillance", "operator": "Hong Kong Police"}},
    {"type": "node", "id": 102, "lat": 22.29, "lon": 114.17, "tags": {"amenity": "bench"}},
]}).encode()


@pytest.fixture
def no_disk_writes(monkeypatch):
    """Fail the test if anything opens a file for writing."""
    real_open = builtins.open

    def guarded(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            raise AssertionError(f"upload handling wrote to disk: {file}")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)


def test_csv_with_latitude_and_longitude_becomes_a_layer(no_disk_writes):
    up = map_upload.read_upload(GOOD_CSV, "mine.csv")
    assert up.ok and len(up.frame) == 2 and not up.problems
    assert set(up.frame["source"]) == {map_upload.SOURCE_ID}
    assert set(up.frame["district_code"]) <= set("ABCDEFGHJKLMNPQRST")
    layer = map_upload.prepare_upload(up)
    assert set(layer["category"]) == {"upload"} and set(layer["source_label"]) == {"mine.csv"}


def test_bad_rows_are_named_by_row_and_field_and_the_rest_is_kept(no_disk_writes):
    up = map_upload.read_upload(BAD_CSV, "sightings.csv")
    assert len(up.frame) == 1
    where = {(p.file, p.line, p.field) for p in up.problems}
    assert ("sightings.csv", 3, "latitude") in where
    assert ("sightings.csv", 4, "longitude") in where
    assert any("outside Hong Kong" in p.message for p in up.problems)


def test_geojson_points_are_read_and_other_geometries_reported(no_disk_writes):
    up = map_upload.read_upload(GEOJSON, "walk.geojson")
    assert len(up.frame) == 1 and up.frame["first_seen"].iloc[0].date().isoformat() == "2025-03-01"
    assert [(p.line, p.field) for p in up.problems] == [(2, "geometry")]


def test_overpass_json_keeps_only_surveillance_nodes(no_disk_writes):
    up = map_upload.read_upload(OVERPASS, "overpass.json")
    assert list(up.frame["id"]) == ["osm-node-101"]
    assert up.frame["operator"].iloc[0] == "police" and up.frame["programme"].iloc[0] == "osm"


def test_unknown_file_gets_a_clear_message():
    up = map_upload.read_upload(b"\x89PNG\r\n\x1a\n....", "photo.png")
    assert not up.ok and up.problems and up.problems[0].file == "photo.png"


def test_size_and_row_limits_refuse_the_whole_file():
    big = map_upload.read_upload(GOOD_CSV, "big.csv", max_bytes=10)
    assert not big.ok and "limit" in big.problems[0].message
    many = map_upload.read_upload(GOOD_CSV, "many.csv", max_rows=1)
    assert not many.ok and "limit" in many.problems[0].message
    assert map_upload.MAX_BYTES == 20_000_000 and map_upload.MAX_ROWS == 200_000


def test_markup_in_an_upload_stays_text_until_the_map_neutralises_it():
    up = map_upload.read_upload(b"latitude,longitude,description\n22.28,114.15,<img src=x onerror=alert(1)>\n", "x.csv")
    from ui.charts import map_deck as deck

    objs = deck.camera_objects(map_upload.prepare_upload(up), "en", None, upload_name="x.csv")
    assert "<img" not in json.dumps(objs) and "&lt;img" in objs[0]["a"]


def test_kml_upload_becomes_a_layer_and_its_notes_are_kept_apart(no_disk_writes):
    from pathlib import Path

    data = (Path(__file__).resolve().parent / "fixtures" / "import" / "mymaps.kmz").read_bytes()
    up = map_upload.read_upload(data, "mymaps.kmz")
    assert len(up.frame) == 2 and set(up.frame["operator"]) == {"police", "other"}
    assert [str(p) for p in up.problems] == [
        "mymaps.kmz/doc.kml:32: geometry: placemark 3 'Test walking route': expected a Point, got LineString; skipped"]
    assert [(p.line, p.field) for p in up.notes] == [(8, "Photo"), (24, "first_seen")]
    assert "kml" in map_upload.ACCEPTED_TYPES and "kmz" in map_upload.ACCEPTED_TYPES


def test_upload_rows_without_a_point_are_left_out_and_sources_are_not_taken_from_the_file(no_disk_writes):
    data = (b"id,latitude,longitude,district,precision,source\n"
            b"a,,,E,district,scmp-2024\nb,22.30,114.17,,exact,scmp-2024\n")
    up = map_upload.read_upload(data, "mixed.csv")
    assert up.frame["id"].tolist() == ["b"] and set(up.frame["source"]) == {map_upload.SOURCE_ID}
    assert [str(p) for p in up.problems] == ["mixed.csv:2: latitude: no coordinates; the map can only place rows that have a point"]
    assert [str(p) for p in up.notes] == ["mixed.csv: source: the file's own source values are not used; every row is marked 'user-upload'"]


def test_upload_point_in_shenzhen_is_refused(no_disk_writes):
    up = map_upload.read_upload(b"latitude,longitude\n22.543,114.06\n22.30,114.17\n", "sz.csv")
    assert len(up.frame) == 1
    assert [(p.line, p.field) for p in up.problems] == [(2, "coordinates")]
    assert "outside Hong Kong" in up.problems[0].message


def test_prepared_upload_keeps_the_precision_of_its_dates(no_disk_writes):
    up = map_upload.read_upload(b"latitude,longitude,first_seen\n22.30,114.17,2024-07\n22.31,114.17,\n", "d.csv")
    layer = map_upload.prepare_upload(up)
    assert sorted(layer["first_seen_precision"]) == ["day", "month"]
