"""Camera importer, format by format: OpenStreetMap exporters, KML/KMZ, HK1980 Grid, headers in
Chinese and with units, and the app's own CSV/GeoJSON exports read back. Each test names the
rows produced and the exact messages for what was skipped, ignored or left empty."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from loaders import export
from loaders.datasets import load_all
from loaders.importers.cameras import Notice, detect_format, errors, import_cameras, typed_frame
from loaders.importers.cameras.grid import to_wgs84
from loaders.importers.cameras.values import fold_key, operator_code, parse_date

FIX = Path(__file__).resolve().parent / "fixtures" / "import"
SRC = "test-source"


def run(data: bytes, name: str, **kw):
    kw.setdefault("source_id", SRC)
    return import_cameras(data, name, **kw)


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def rows(df: pd.DataFrame, *cols: str) -> dict:
    """id -> (col values...) for compact assertions."""
    return {r["id"]: tuple(r[c] for c in cols) for r in df.to_dict("records")}


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


# ---------------------------------------------------------------- OpenStreetMap exporters

def test_osmtogeojson_nested_tags_map_to_their_fields():
    df, _ = run(fixture("osmtogeojson.geojson"), "osm.geojson")
    assert rows(df, "operator", "description_en", "description_zh", "surveillance_type", "camera_type",
                "first_seen", "first_seen_precision", "precision", "district_code")["osm-node-5001"] == (
        "police", "Test camera at a junction", "測試鏡頭", "camera", "dome", "2024-07-01", "month", "exact", "E")


def test_osm_area_is_taken_at_its_centroid_with_street_precision():
    df, _ = run(fixture("osmtogeojson.geojson"), "osm.geojson")
    assert rows(df, "latitude", "longitude", "precision", "operator", "surveillance_type")["osm-way-6001"] == (
        22.2815, 114.1585, "street", "transport_department", "ALPR")


def test_osm_street_lamp_is_not_a_camera_and_the_skip_is_reported():
    df, problems = run(fixture("osmtogeojson.geojson"), "osm.geojson")
    assert df["id"].tolist() == ["osm-node-5001", "osm-way-6001"]
    assert messages(problems) == ["osm.geojson: man_made: 1 feature was skipped: not tagged man_made=surveillance "
                                  "(node/5002 highway=street_lamp)"]
    assert all(isinstance(p, Notice) for p in problems)


def test_quickosm_full_id_gives_osm_ids_and_chinese_name_goes_to_description_zh():
    df, _ = run(fixture("quickosm.geojson"), "quickosm.geojson")
    assert rows(df, "operator", "description_en", "description_zh", "camera_type", "first_seen", "first_seen_precision") == {
        "osm-node-7001": ("police", "", "測試鏡頭二", "fixed", "2023-01-01", "year"),
        "osm-way-7002": ("other", "", "", "", "", ""),
    }


def test_quickosm_line_is_taken_at_its_centroid_and_a_vague_start_date_is_left_empty():
    df, problems = run(fixture("quickosm.geojson"), "quickosm.geojson")
    assert rows(df, "latitude", "longitude", "precision")["osm-way-7002"] == (22.3185, 114.1695, "street")
    assert messages(problems) == [
        "quickosm.geojson: man_made: 1 feature was skipped: not tagged man_made=surveillance (node/7003 highway=street_lamp)",
        "quickosm.geojson:2: first_seen: 'before 2020' is not a date written YYYY-MM-DD, YYYY-MM or YYYY; "
        "the row is kept with first_seen empty",
    ]


def test_overpass_way_without_center_is_placed_from_its_geometry_or_its_nodes():
    data = json.dumps({"elements": [
        {"type": "way", "id": 1, "tags": {"man_made": "surveillance"},
         "geometry": [{"lat": 22.30, "lon": 114.17}, {"lat": 22.31, "lon": 114.17}]},
        {"type": "way", "id": 2, "tags": {"man_made": "surveillance"}, "nodes": [10, 11]},
        {"type": "node", "id": 10, "lat": 22.28, "lon": 114.15},
        {"type": "node", "id": 11, "lat": 22.28, "lon": 114.16},
        {"type": "way", "id": 3, "tags": {"man_made": "surveillance"}},
    ]}).encode()
    df, problems = run(data, "ways.json")
    assert rows(df, "latitude", "longitude", "precision") == {
        "osm-way-1": (22.305, 114.17, "street"), "osm-way-2": (22.28, 114.155, "street")}
    assert messages(problems) == ["ways.json:5: geometry: way 3 has no position; run the Overpass query with "
                                  "'out center' or 'out geom'"]


def test_operator_names_map_the_same_on_every_path():
    found = {}
    for name in ("osmtogeojson.geojson", "quickosm.geojson", "mymaps.kml", "wgs84_headers.csv", "chinese_headers.csv"):
        df, _ = run(fixture(name), name)
        found.update({(name, i): op for i, op in zip(df["id"], df["operator"])})
    assert found == {
        ("osmtogeojson.geojson", "osm-node-5001"): "police",  # Hong Kong Police Force
        ("osmtogeojson.geojson", "osm-way-6001"): "transport_department",  # 運輸署
        ("quickosm.geojson", "osm-node-7001"): "police",  # 香港警務處
        ("quickosm.geojson", "osm-way-7002"): "other",  # none given
        ("mymaps.kml", "row-1"): "police",  # 香港警務處
        ("mymaps.kml", "row-2"): "other",  # Test Mall Ltd
        ("wgs84_headers.csv", "W-1"): "police",  # Hong Kong Police Force
        ("wgs84_headers.csv", "W-2"): "other",
        ("chinese_headers.csv", "Z-1"): "police",  # 香港警務處
        ("chinese_headers.csv", "Z-2"): "police",  # Hong Kong Police Force
    }


@pytest.mark.parametrize("text, code", [
    ("Hong Kong Police Force", "police"), ("香港警務處", "police"), ("HKPF", "police"), ("警方", "police"),
    ("police", "police"), ("Transport Department", "transport_department"), ("運輸署", "transport_department"),
    ("transport_department", "transport_department"), ("MTR Corporation", "other"), ("", None),
])
def test_operator_code(text, code):
    assert operator_code(text) == code


# ---------------------------------------------------------------- KML and KMZ

def test_kml_point_placemarks_become_rows_with_name_description_and_extended_data():
    df, _ = run(fixture("mymaps.kml"), "mymaps.kml")
    assert rows(df, "description_en", "operator", "first_seen", "district_code", "district_as_published", "latitude") == {
        "row-1": ("Test camera on a lamppost; Seen on a walk; two lenses", "police", "2025-03-01", "E", "油尖旺", 22.3193),
        "row-2": ("Test camera at a mall", "other", "", "A", "", 22.2819),
    }


def test_kml_reports_the_line_placemark_the_unused_field_and_the_ambiguous_date():
    _, problems = run(fixture("mymaps.kml"), "mymaps.kml")
    assert messages(problems) == [
        "mymaps.kml:32: geometry: placemark 3 'Test walking route': expected a Point, got LineString; skipped",
        "mymaps.kml:8: Photo: ExtendedData field not used by the importer; its values are ignored",
        "mymaps.kml:24: first_seen: '01/07/2024' is not a date written YYYY-MM-DD, YYYY-MM or YYYY "
        "(it could be 1 July 2024 or 7 January 2024); the row is kept with first_seen empty",
    ]
    assert messages(errors(problems)) == messages(problems)[:1]


def test_kmz_reads_the_kml_inside():
    assert detect_format(fixture("mymaps.kmz"), "mymaps.kmz") == "kmz"
    kmz, kmz_problems = run(fixture("mymaps.kmz"), "mymaps.kmz")
    kml, _ = run(fixture("mymaps.kml"), "mymaps.kml")
    pd.testing.assert_frame_equal(kmz, kml)
    assert messages(kmz_problems)[0].startswith("mymaps.kmz/doc.kml:32: geometry: placemark 3")


def test_zip_without_kml_says_it_is_not_a_kmz():
    df, problems = run(zipped({"photo.jpg": b"\xff\xd8", "notes.txt": b"hello"}), "cameras.kmz")
    assert df.empty
    assert len(problems) == 1 and problems[0].message.startswith(
        "a zip file with no .kml inside (it holds photo.jpg, notes.txt), so not a KMZ; accepted: ")


def test_excel_workbook_is_named_and_csv_suggested():
    data = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    _, problems = run(data, "cameras.xlsx")
    assert problems[0].message.startswith("an Excel workbook (.xlsx), not a camera list; save the sheet as CSV UTF-8")


def test_kmz_whose_kml_unpacks_past_the_limit_is_refused():
    data = zipped({"doc.kml": b"<kml>" + b" " * 50_000 + b"</kml>"})
    assert len(data) < 1_000
    df, problems = run(data, "big.kmz", max_bytes=1_000)
    assert df.empty
    assert messages(problems) == ["big.kmz: file: doc.kml in the KMZ is 50,011 bytes unpacked; the limit is 1,000"]


def test_kml_with_an_external_entity_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<kml><Placemark><name>&xxe;</name><Point><coordinates>114.17,22.3</coordinates></Point></Placemark></kml>')
    df, problems = run(data, "xxe.kml")
    assert df.empty
    assert messages(problems) == ["xxe.kml:1: file: XML with a DOCTYPE is not accepted"]


def test_kml_description_html_becomes_plain_text():
    data = (b'<kml><Placemark><description>&lt;b&gt;Lamp&lt;/b&gt; post&lt;br&gt;&lt;img src=x onerror=alert(1)&gt;'
            b'</description><Point><coordinates>114.1694,22.3193</coordinates></Point></Placemark></kml>')
    df, problems = run(data, "html.kml")
    assert problems == [] and df["description_en"].tolist() == ["Lamp post"]


# ---------------------------------------------------------------- HK1980 Grid and headers with units

def test_hk1980_grid_columns_are_converted_to_wgs84():
    df, _ = run(fixture("hk1980.csv"), "hk1980.csv")
    # The Transport Department publishes these two grid points with WGS84 22.2485255, 114.1501576
    # (H429F) and 22.30412026, 114.1809989 (AID01111).
    got = rows(df, "latitude", "longitude", "district_code")
    assert got["T-1"] == (pytest.approx(22.2485255, abs=2e-6), pytest.approx(114.1501576, abs=2e-6), "D")
    assert got["T-2"] == (pytest.approx(22.30412026, abs=2e-6), pytest.approx(114.1809989, abs=2e-6), "E")


def test_hk1980_value_out_of_range_names_the_row_and_column():
    df, problems = run(fixture("hk1980.csv"), "hk1980.csv")
    assert df["id"].tolist() == ["T-1", "T-2"]
    assert messages(problems) == ["hk1980.csv:4: easting: expected HK1980 Grid metres between 790,000 and 880,000 "
                                  "(Hong Kong), got '83669'"]


def test_grid_conversion_matches_the_departments_own_coordinates():
    for rec in json.loads(fixture("td.json"))[:2]:  # the published pairs (the third is a made-up test row)
        lon, lat = to_wgs84(rec["easting"], rec["northing"])
        assert (lon, lat) == (pytest.approx(rec["longitude"], abs=1.5e-5), pytest.approx(rec["latitude"], abs=1.5e-5))


def test_x_y_columns_in_grid_metres_are_converted_with_a_notice():
    df, problems = run(b"x,y\n836693,818352\n", "xy.csv")
    assert rows(df, "latitude", "longitude") == {"row-1": (22.30412, 114.180999)}
    assert messages(problems) == ["xy.csv:2: longitude: values look like HK1980 Grid easting/northing in metres; "
                                  "converted to WGS84"]


def test_latitude_wgs84_headers_are_read():
    df, problems = run(fixture("wgs84_headers.csv"), "wgs84.csv")
    assert problems == []
    assert rows(df, "latitude", "longitude", "description_en", "district_code") == {
        "W-1": (22.3193, 114.1694, "Test camera on Nathan Road", "E"),
        "W-2": (22.2819, 114.1582, "Test camera in a car park", "A")}


@pytest.mark.parametrize("header, key", [("Latitude (WGS84)", "latitude"), ("緯度（WGS84）", "緯度"),
                                         ("first_seen", "firstseen"), ("\ufeffName:EN", "nameen")])
def test_fold_key(header, key):
    assert fold_key(header) == key


# ---------------------------------------------------------------- Chinese headers, dates, districts

def test_chinese_headers_map_to_their_fields():
    df, _ = run(fixture("chinese_headers.csv"), "zh.csv")
    assert rows(df, "description_en", "description_zh", "district_code", "district_as_published", "operator", "first_seen") == {
        "Z-1": ("", "測試鏡頭（彌敦道）", "E", "油尖旺", "police", "2024-07-01"),
        "Z-2": ("Test camera on Des Voeux Road", "", "A", "中西區", "police", ""),
    }


def test_chinese_headers_messages_name_the_unused_column_the_date_and_the_shenzhen_point():
    _, problems = run(fixture("chinese_headers.csv"), "zh.csv")
    assert messages(problems) == [
        "zh.csv:1: 備註: column not used by the importer; its values are ignored",
        "zh.csv:3: first_seen: '01/07/2024' is not a date written YYYY-MM-DD, YYYY-MM or YYYY "
        "(it could be 1 July 2024 or 7 January 2024); the row is kept with first_seen empty",
        "zh.csv:4: coordinates: the point (22.543000, 114.060000) is outside Hong Kong: it lies in none of the 18 "
        "districts' boundaries",
    ]
    assert messages(errors(problems)) == messages(problems)[2:]


@pytest.mark.parametrize("text, precision, expected", [
    ("2024-07-01", None, ("2024-07-01", "day")), ("2024-07", None, ("2024-07-01", "month")),
    ("2024", None, ("2024-01-01", "year")), ("2024-07-01", "month", ("2024-07-01", "month")),
    ("2024-07-15", "year", ("2024-01-01", "year")), ("2024", "day", ("2024-01-01", "year")),
    ("2024-07-01T08:00:00+08:00", None, ("2024-07-01", "day")), ("", None, ("", "")), ("undated", "day", ("", "")),
    ("01/07/2024", None, None), ("2024-02-30", None, None), ("July 2024", None, None),
])
def test_parse_date(text, precision, expected):
    assert parse_date(text, precision) == expected


# ---------------------------------------------------------------- the app's own exports, read back

@pytest.fixture(scope="module")
def cameras() -> pd.DataFrame:
    return load_all()["cameras"]


@pytest.mark.parametrize("kind", ["csv", "excel-csv", "geojson"])
def test_reimporting_an_export_gives_back_the_same_records(cameras, kind):
    data = {"csv": lambda: export.to_csv_bytes(cameras), "excel-csv": lambda: export.to_csv_bytes(cameras, bom=True),
            "geojson": lambda: export.to_geojson_bytes(cameras)}[kind]()
    df, problems = run(data, f"cameras.{kind}", source_id="not-used")
    assert problems == []
    back, more = typed_frame(df, "cameras")
    assert more == []
    pd.testing.assert_frame_equal(back, cameras.sort_values("id").reset_index(drop=True))


def test_reimport_keeps_programme_kind_source_and_district_only_rows(cameras):
    df, _ = run(export.to_csv_bytes(cameras), "cameras.csv", source_id="not-used")
    assert df["programme"].value_counts().to_dict() == cameras["programme"].value_counts().to_dict()
    assert set(df["source"]) == set(cameras["source"])
    district_only = df[df["precision"].eq("district")]
    assert len(district_only) == 15 and district_only["latitude"].isna().all()


def test_export_with_a_precision_column_and_partial_dates_is_read():
    data = (b"id,latitude,longitude,district_code,operator,programme,kind,precision,first_seen,first_seen_precision,source\n"
            b"a,,,E,police,smartview,smartview_site,district,2025,year,some-source\n"
            b"b,22.3193,114.1694,E,police,smartview,smartview_site,street,2024-07,month,some-source\n"
            b"c,22.3193,114.1694,E,police,smartview,smartview_site,street,2024-07-01,month,some-source\n")
    df, problems = run(data, "split.csv")
    assert problems == []
    assert rows(df, "first_seen", "first_seen_precision", "latitude") == {
        "a": ("2025-01-01", "year", pytest.approx(float("nan"), nan_ok=True)),
        "b": ("2024-07-01", "month", 22.3193), "c": ("2024-07-01", "month", 22.3193)}


def test_row_without_coordinates_needs_precision_district_and_a_district():
    data = (b"id,latitude,longitude,district,precision\n"
            b"a,,,E,district\nb,,,,district\nc,,,E,exact\n")
    df, problems = run(data, "nopoint.csv")
    assert df["id"].tolist() == ["a"]
    assert messages(problems) == [
        "nopoint.csv:3: district: a row without coordinates needs its district (A-T or a district name)",
        "nopoint.csv:4: latitude: expected a number between 22.1 and 22.6 (Hong Kong), got nothing",
        "nopoint.csv:4: longitude: expected a number between 113.8 and 114.5 (Hong Kong), got nothing",
    ]


def test_upload_path_can_refuse_rows_without_a_point():
    df, problems = run(b"id,latitude,longitude,district,precision\na,,,E,district\n", "up.csv", require_point=True)
    assert df.empty
    assert messages(problems) == ["up.csv:2: latitude: no coordinates; the map can only place rows that have a point"]
