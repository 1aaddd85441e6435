"""Camera importer: every accepted format, bad rows, limits, determinism, fetch and the CLI.

Format-by-format fixtures (OSM exporters, KML/KMZ, HK1980 Grid, Chinese headers, the app's own
exports) are in test_import_formats.py."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pandas as pd
import pytest

from loaders.importers import cameras as cam
from loaders.importers.cameras import (
    COLUMNS,
    Notice,
    detect_format,
    errors,
    fetch,
    import_cameras,
    main_import_cameras,
    sniff,
    to_csv_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "import"
SRC = "test-source"

TD_CSV_HEADER = "key\tregion\tdistrict\tdescription\teasting\tnorthing\tlatitude\tlongitude\turl"
TD_CSV_ROW = ("H429F\tHong Kong Island\tSouthern\tAberdeen Praya Road near Fish Market [H429F]\t833514\t812196"
              "\t22.2485255\t114.1501576\thttp://tdcctv.data.one.gov.hk/H429F.JPG")


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def run(data: bytes, name: str, **kw):
    kw.setdefault("source_id", SRC)
    return import_cameras(data, name, **kw)


def one(df: pd.DataFrame, cam_id: str) -> dict:
    rows = df[df["id"] == cam_id].to_dict("records")
    assert len(rows) == 1, f"{cam_id} not found once in {df['id'].tolist()}"
    return rows[0]


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def left_out(problems) -> list[str]:
    """Problems that left a row or the file out (notices about kept rows excluded)."""
    return [str(p) for p in errors(problems)]


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("fname, fmt", [
    ("td_en.xml", "td_xml"), ("td_tc.xml", "td_xml"), ("td.json", "td_json"),
    ("overpass.json", "overpass_json"), ("osm_export.geojson", "geojson"), ("points.geojson", "geojson"),
])
def test_detects_format_of_fixture(fname, fmt):
    assert detect_format(fixture(fname), fname) == fmt


def test_detects_by_content_not_extension():
    assert detect_format(fixture("td.json"), "cameras.txt") == "td_json"
    assert detect_format(fixture("td_en.xml"), "list.csv") == "td_xml"


def test_detects_utf16_tab_csv_as_td_csv():
    data = ("\ufeff" + TD_CSV_HEADER + "\r\n" + TD_CSV_ROW + "\r\n").encode("utf-16-le")
    assert detect_format(data, "Traffic_Camera_Locations_En.csv") == "td_csv"


def test_detects_plain_csv():
    assert detect_format(b"id,lat,lon\n1,22.3,114.17\n", "x.csv") == "plain_csv"


def test_unknown_format_names_file_and_accepted_formats():
    with pytest.raises(cam.DataError) as err:
        detect_format(b"just some words", "notes.txt")
    (prob,) = err.value.problems
    assert prob.file == "notes.txt" and prob.field == "file"
    for word in ("Transport Department", "Overpass", "GeoJSON", "CSV"):
        assert word in prob.message


def test_unknown_format_from_import_is_a_problem_not_an_exception():
    df, problems = run(b"<gpx><trk/></gpx>", "walk.gpx")
    assert df.empty and list(df.columns) == COLUMNS
    assert messages(problems) == [f"walk.gpx: file: XML with root <gpx> is not a camera list; accepted: {cam.ACCEPTED}"]


# ---------------------------------------------------------------- TD formats

def test_td_xml_rows_get_td_ids_and_fixed_fields():
    df, problems = run(fixture("td_en.xml"), "td_en.xml")
    assert problems == []
    assert df["id"].tolist() == ["td-H210F", "td-H429F", "td-X002F"]  # sorted by id
    row = one(df, "td-H429F")
    assert (row["operator"], row["programme"], row["kind"], row["precision"]) == \
        ("transport_department", "td_traffic_snapshot", "traffic_snapshot", "exact")
    assert (row["latitude"], row["longitude"]) == (22.248525, 114.150158)
    assert row["description_en"] == "Aberdeen Praya Road near Fish Market"
    assert row["description_zh"] == "" and row["first_seen"] == "" and row["source"] == SRC


def test_td_xml_without_district_field_uses_point_in_polygon():
    df, _ = run(fixture("td_en.xml"), "td_en.xml")
    assert dict(zip(df["id"], df["district_code"])) == {"td-H210F": "B", "td-H429F": "D", "td-X002F": "G"}


def test_tc_xml_joins_chinese_descriptions_on_key():
    df, problems = run(fixture("td_en.xml"), "td_en.xml", zh=fixture("td_tc.xml"), zh_name="td_tc.xml")
    assert problems == []
    assert one(df, "td-H429F")["description_zh"] == "香港仔海傍道近魚市場"
    assert one(df, "td-H210F")["description_zh"] == "香港仔隧道灣仔入口"
    assert one(df, "td-X002F")["description_zh"] == ""  # no match in the Chinese file
    assert "td-ZZ999" not in set(df["id"])  # the Chinese file adds no rows


def test_td_json_drops_trailing_key_from_description():
    df, problems = run(fixture("td.json"), "td.json")
    assert left_out(problems) == []
    assert one(df, "td-H210F")["description_en"] == "Aberdeen Tunnel - Wan Chai Side"
    assert one(df, "td-H210F")["latitude"] == 22.274906


def test_td_json_published_district_kept_when_the_point_lies_in_it():
    df, _ = run(fixture("td.json"), "td.json")
    row = one(df, "td-H429F")
    assert (row["district_code"], row["district_as_published"]) == ("D", "Southern")


def test_td_json_district_comes_from_the_point_when_the_published_one_disagrees():
    df, problems = run(fixture("td.json"), "td.json")
    row = one(df, "td-X001F")  # published "Central & Western", the point is in Tsuen Wan
    assert (row["district_code"], row["district_as_published"]) == ("K", "Central & Western")
    (note,) = problems
    assert isinstance(note, Notice) and (note.file, note.line, note.field) == ("td.json", 3, "district")
    assert note.message.startswith("given as 'Central & Western' (A), but the point lies in Tsuen Wan (K), ")
    assert note.message.endswith("district_code is set from the point and the published name kept in district_as_published")


def test_td_csv_utf16_tab_separated_any_column_order_and_case(tmp_path):
    header = "LONGITUDE\tLatitude\tKey\tDescription\tDistrict\tURL"
    row = "114.1501576\t22.2485255\tH429F\tAberdeen Praya Road near Fish Market [H429F]\tSouthern\thttp://x/H429F.JPG"
    data = ("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-16-le")
    df, problems = run(data, "Traffic_Camera_Locations_En.csv")
    assert problems == []
    r = one(df, "td-H429F")
    assert (r["district_code"], r["description_en"], r["latitude"]) == ("D", "Aberdeen Praya Road near Fish Market", 22.248525)


def test_td_csv_problem_uses_physical_line_number():
    bad = TD_CSV_ROW.replace("H429F", "H999F").replace("22.2485255", "n/a")
    data = ("\ufeff" + TD_CSV_HEADER + "\r\n" + TD_CSV_ROW + "\r\n" + bad + "\r\n").encode("utf-16-le")
    df, problems = run(data, "td.csv")
    assert len(df) == 1
    assert [(p.file, p.line, p.field) for p in problems] == [("td.csv", 3, "latitude")]


# ---------------------------------------------------------------- OpenStreetMap and GeoJSON

def test_overpass_keeps_only_surveillance_elements_and_says_what_it_skipped():
    df, problems = run(fixture("overpass.json"), "overpass.json")
    assert df["id"].tolist() == ["osm-node-1001", "osm-node-1002", "osm-way-2001"]
    # the untagged node 1004 is a way's corner, not a feature: not counted
    assert messages(problems) == ["overpass.json: man_made: 1 feature was skipped: not tagged man_made=surveillance "
                                  "(node/1003 amenity=bench)"]
    assert errors(problems) == []


def test_overpass_operator_police_only_when_tag_says_police():
    df, _ = run(fixture("overpass.json"), "overpass.json")
    assert one(df, "osm-node-1001")["operator"] == "police"
    assert one(df, "osm-node-1002")["operator"] == "other"
    assert one(df, "osm-way-2001")["operator"] == "other"


def test_overpass_fields_description_and_programme():
    df, _ = run(fixture("overpass.json"), "overpass.json")
    r = one(df, "osm-node-1001")
    assert (r["programme"], r["kind"], r["precision"], r["district_code"]) == ("osm", "surveillance", "exact", "A")
    assert (r["surveillance_type"], r["camera_type"], r["description_en"]) == ("camera", "dome", "")
    assert one(df, "osm-node-1002")["description_en"] == "Mong Kok Road camera; surveillance=public"


def test_overpass_way_centre_is_street_precision():
    df, _ = run(fixture("overpass.json"), "overpass.json")
    assert one(df, "osm-way-2001")["precision"] == "street"


def test_geojson_osm_export_skips_non_surveillance_and_reads_operator():
    df, problems = run(fixture("osm_export.geojson"), "export.geojson")
    assert messages(problems) == ["export.geojson: man_made: 1 feature was skipped: not tagged man_made=surveillance "
                                  "(node/3002 man_made=flagpole)"]
    assert df["id"].tolist() == ["osm-node-3001"]
    r = one(df, "osm-node-3001")
    assert (r["operator"], r["programme"], r["latitude"], r["longitude"]) == ("police", "osm", 22.2819, 114.1582)


def test_plain_geojson_points_accepted():
    df, problems = run(fixture("points.geojson"), "points.geojson")
    assert problems == []
    assert df["id"].tolist() == ["mk-1", "row-2"]
    r = one(df, "mk-1")
    assert (r["programme"], r["operator"], r["first_seen"], r["description_en"], r["district_code"]) == \
        ("user", "other", "2024-05-01", "Camera on lamppost", "E")


def test_geojson_non_point_feature_is_a_problem():
    data = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},' \
           b'"geometry":{"type":"LineString","coordinates":[[114.1,22.3],[114.2,22.3]]}}]}'
    df, problems = run(data, "lines.geojson")
    assert df.empty
    assert [(p.file, p.line, p.field) for p in problems] == [("lines.geojson", 1, "geometry")]


# ---------------------------------------------------------------- plain CSV

def test_plain_csv_with_bom_and_crlf():
    data = "\ufeffID,Latitude,Longitude,Description\r\ncam-1,22.3193,114.1694,Nathan Road\r\n".encode("utf-8")
    df, problems = run(data, "mine.csv")
    assert problems == []
    r = one(df, "cam-1")
    assert (r["latitude"], r["longitude"], r["description_en"], r["programme"]) == (22.3193, 114.1694, "Nathan Road", "user")


def test_semicolon_csv_with_decimal_commas():
    data = "lat;lng;description_zh\n22,3193;114,1694;彌敦道\n".encode()
    df, problems = run(data, "semi.csv")
    assert problems == []
    r = one(df, "row-1")
    assert (r["latitude"], r["longitude"], r["description_zh"]) == (22.3193, 114.1694, "彌敦道")


def test_plain_csv_x_y_columns_and_caller_programme():
    data = b"x,y\n114.1694,22.3193\n"
    df, problems = run(data, "xy.csv", programme="smartview", operator="police")
    assert problems == []
    r = one(df, "row-1")
    assert (r["programme"], r["operator"], r["kind"]) == ("smartview", "police", "smartview_site")


def test_plain_csv_precision_column_used_when_valid_else_exact():
    data = b"id,lat,lon,precision\na,22.3193,114.1694,district\nb,22.3193,114.1694,roughly\n"
    df, problems = run(data, "p.csv")
    assert dict(zip(df["id"], df["precision"])) == {"a": "district", "b": "exact"}
    assert messages(problems) == ["p.csv:3: precision: 'roughly' is not one of exact, street, district; 'exact' used"]


def test_plain_csv_district_column_resolved_through_district_names():
    data = b"id,lat,lon,district\na,22.2819,114.1582,Central & Western\nb,22.3193,114.1694,\n"
    df, problems = run(data, "d.csv")
    assert dict(zip(df["id"], df["district_code"])) == {"a": "A", "b": "E"}  # b: from the polygons
    assert dict(zip(df["id"], df["district_as_published"])) == {"a": "Central & Western", "b": ""}
    assert problems == []


def test_unknown_district_name_is_a_notice_and_the_point_decides():
    df, problems = run(b"id,lat,lon,district\na,22.3193,114.1694,Gotham\n", "d.csv")
    assert one(df, "a")["district_code"] == "E"
    assert messages(problems) == ["d.csv:2: district: 'Gotham' is not one of Hong Kong's 18 districts; "
                                  "district_code is taken from the point"]


def test_first_seen_iso_day_month_or_year_else_kept_empty_with_a_notice():
    data = (b"id,lat,lon,first_seen\na,22.3193,114.1694,2024-05-01T10:00:00Z\nb,22.3193,114.1694,May 2024\n"
            b"c,22.3193,114.1694,2024-07\nd,22.3193,114.1694,2023\n")
    df, problems = run(data, "f.csv")
    assert dict(zip(df["id"], zip(df["first_seen"], df["first_seen_precision"]))) == {
        "a": ("2024-05-01", "day"), "b": ("", ""), "c": ("2024-07-01", "month"), "d": ("2023-01-01", "year")}
    assert messages(problems) == ["f.csv:3: first_seen: 'May 2024' is not a date written YYYY-MM-DD, YYYY-MM or YYYY; "
                                  "the row is kept with first_seen empty"]


# ---------------------------------------------------------------- bad rows

def test_non_number_latitude_names_file_row_and_field():
    lines = ["id,latitude,longitude"] + [f"c{i},22.3,114.17" for i in range(5)] + ["bad,abc,114.17"]
    df, problems = run("\n".join(lines).encode(), "sightings.csv")
    assert len(df) == 5
    assert messages(problems) == ["sightings.csv:7: latitude: expected a number between 22.1 and 22.6 (Hong Kong), got 'abc'"]


def test_point_outside_hong_kong_is_dropped():
    df, problems = run(b"id,lat,lon\nlondon,51.5,-0.12\nok,22.3,114.17\n", "far.csv")
    assert df["id"].tolist() == ["ok"]
    assert [(p.file, p.line, p.field) for p in problems] == [("far.csv", 2, "latitude"), ("far.csv", 2, "longitude")]
    assert "outside Hong Kong" in problems[0].message


def test_swapped_latitude_longitude_are_flagged():
    df, problems = run(b"lat,lon\n114.17,22.3\n", "swap.csv")
    assert df.empty and all("swapped" in p.message for p in problems)


def test_duplicate_id_later_row_dropped():
    df, problems = run(b"id,lat,lon,description\na,22.30,114.17,first\na,22.31,114.18,second\n", "dup.csv")
    assert df["description_en"].tolist() == ["first"]
    assert messages(problems) == ["dup.csv:3: id: duplicate id 'a' (first at dup.csv:2); this row is dropped"]


def test_missing_latitude_column_is_a_problem():
    df, problems = run(b"id,longitude\na,114.17\n", "nolat.csv")
    assert df.empty
    assert [(p.file, p.line, p.field) for p in problems] == [("nolat.csv", 1, "latitude")]
    assert "no latitude column" in problems[0].message


def test_td_json_bad_record_reported_by_record_number():
    data = b'[{"key":"A1","latitude":22.3,"longitude":114.17},{"key":"A2","latitude":"x","longitude":114.17}]'
    df, problems = run(data, "td.json")
    assert df["id"].tolist() == ["td-A1"]
    assert [(p.line, p.field) for p in problems] == [(2, "latitude")]


def test_xml_problem_reports_line_of_image():
    text = fixture("td_en.xml").decode().replace("<latitude>22.27490622</latitude>", "<latitude></latitude>")
    df, problems = run(text.encode(), "td_en.xml")
    assert len(df) == 2
    assert messages(problems) == ["td_en.xml:13: latitude: expected a number between 22.1 and 22.6 (Hong Kong), got nothing"]


# ---------------------------------------------------------------- limits, encodings, safety

def test_too_big_input_rejected_without_parsing(monkeypatch):
    def boom(*_a, **_k):
        raise AssertionError("parsed a file that was too big")

    monkeypatch.setattr(sniff, "decode", boom)
    df, problems = run(fixture("td.json"), "td.json", max_bytes=100)
    assert df.empty
    assert [(p.file, p.line, p.field) for p in problems] == [("td.json", None, "file")]
    assert "limit is 100" in problems[0].message


def test_row_limit_is_a_problem():
    data = b"lat,lon\n" + b"22.3,114.17\n" * 5
    df, problems = run(data, "many.csv", max_rows=3)
    assert df.empty
    assert messages(problems) == ["many.csv: file: 5 rows; the limit is 3"]


def test_non_utf8_bytes_message_names_encoding():
    data = "id,lat,lon,description\na,22.3,114.17,彌敦道\n".encode("big5")
    df, problems = run(data, "big5.csv")
    assert df.empty
    (p,) = problems
    assert (p.file, p.line, p.field) == ("big5.csv", 2, "encoding")
    assert "not valid UTF-8" in p.message and "Big5" in p.message


def test_html_in_description_kept_as_literal_text():
    data = b'id,lat,lon,description\na,22.3,114.17,"<img src=x onerror=alert(1)>"\n'
    df, problems = run(data, "xss.csv")
    assert problems == []
    assert one(df, "a")["description_en"] == "<img src=x onerror=alert(1)>"
    assert b"<img src=x onerror=alert(1)>" in to_csv_bytes(df)


def test_control_characters_stripped_and_whitespace_collapsed():
    data = 'id,lat,lon,description\na,22.3,114.17,"  two\tlines\r\nhere\x07 and\u202e rtl "\n'.encode()
    df, _ = run(data, "ctl.csv")
    assert one(df, "a")["description_en"] == "two lines here and rtl"


def test_xml_with_doctype_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE image-list [<!ENTITY a "aaaaaaaaaa">]>'
            b"<image-list><image><key>&a;</key></image></image-list>")
    df, problems = run(data, "bomb.xml")
    assert df.empty
    assert [(p.field, p.message) for p in problems] == [("file", "XML with a DOCTYPE is not accepted")]


def test_bad_source_id_is_a_problem():
    df, problems = run(fixture("td.json"), "td.json", source_id="Not A Slug")
    assert df.empty and [p.field for p in problems] == ["source"]


# ---------------------------------------------------------------- output and determinism

def test_same_input_gives_same_bytes():
    kw = dict(zh=fixture("td_tc.xml"), zh_name="td_tc.xml")
    first = to_csv_bytes(run(fixture("td_en.xml"), "td_en.xml", **kw)[0])
    second = to_csv_bytes(run(fixture("td_en.xml"), "td_en.xml", **kw)[0])
    assert first == second


def test_csv_bytes_are_utf8_lf_with_fixed_columns_and_short_floats():
    df, _ = run(fixture("td.json"), "td.json")
    out = to_csv_bytes(df)
    assert b"\r" not in out and out.endswith(b"\n")
    lines = out.decode("utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith("td-H210F,22.274906,114.179164,B,")
    assert ",22.3712,114.1142," in out.decode()  # no trailing zeros


def test_committed_cameras_td_csv_has_575_rows_in_18_districts():
    df = pd.read_csv(ROOT / "data" / "cameras_td.csv", dtype=str, keep_default_na=False)
    assert list(df.columns) == COLUMNS
    assert len(df) == 575 and df["id"].is_unique
    assert df["district_code"].nunique() == 18
    assert df["id"].tolist() == sorted(df["id"])


def test_committed_cameras_td_csv_recoded_from_the_point_keeps_the_published_district():
    df = pd.read_csv(ROOT / "data" / "cameras_td.csv", dtype=str, keep_default_na=False).set_index("id")
    recoded = {"td-AID01111": ("E", "Kowloon City"), "td-AID01112": ("E", "Kowloon City"),
               "td-AID01213": ("E", "Kowloon City"), "td-AID05104": ("J", "Yau Tsim Mong"),
               "td-AID05129": ("S", "Tsuen Wan"), "td-AID09110": ("R", "Tsuen Wan"), "td-AID10120": ("L", "Yuen Long")}
    for cam_id, (code, published) in recoded.items():
        assert (df.loc[cam_id, "district_code"], df.loc[cam_id, "district_as_published"]) == (code, published), cam_id
    # 1.2 m from Sham Shui Po on a boundary road: within the tolerance, the published district stays
    assert (df.loc["td-AID07131", "district_code"], df.loc["td-AID07131", "district_as_published"]) == ("F", "Sham Shui Po")


# ---------------------------------------------------------------- fetch and CLI

@pytest.fixture
def local_server(tmp_path, monkeypatch):
    """A static file server on 127.0.0.1 (port chosen by the OS) serving tmp_path."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_url_gives_same_bytes_as_file(tmp_path, local_server):
    (tmp_path / "td.json").write_bytes(fixture("td.json"))
    from_url = fetch(f"{local_server}/td.json")
    from_file = fetch(str(FIX / "td.json"))
    assert from_url == from_file == (fixture("td.json"), "td.json")


def test_url_not_found_is_a_clear_problem(local_server):
    with pytest.raises(cam.DataError) as err:
        fetch(f"{local_server}/missing.json")
    assert "HTTP 404" in err.value.problems[0].message


def test_url_larger_than_cap_is_refused(tmp_path, local_server):
    (tmp_path / "big.csv").write_bytes(b"x" * 5000)
    with pytest.raises(cam.DataError) as err:
        fetch(f"{local_server}/big.csv", max_bytes=1000)
    assert "5,000 bytes (limit 1,000)" in err.value.problems[0].message


def test_missing_file_is_a_clear_problem(tmp_path):
    with pytest.raises(cam.DataError) as err:
        fetch(str(tmp_path / "nope.csv"))
    (p,) = err.value.problems
    assert p.file == "nope.csv" and "cannot read" in p.message


def test_cli_exits_0_when_only_notices(tmp_path, capsys):
    out = tmp_path / "cams.csv"
    assert main_import_cameras([str(FIX / "td.json"), "--out", str(out), "--source-id", SRC]) == 0
    assert "td.json:3: district: given as 'Central & Western'" in capsys.readouterr().err
    assert len(pd.read_csv(out)) == 3


def test_cli_writes_csv_and_exits_0_when_clean(tmp_path, capsys):
    out = tmp_path / "out" / "cams.csv"
    rc = main_import_cameras([str(FIX / "td_en.xml"), "--zh", str(FIX / "td_tc.xml"), "--out", str(out), "--source-id", SRC])
    assert rc == 0
    expected = to_csv_bytes(run(fixture("td_en.xml"), "td_en.xml", zh=fixture("td_tc.xml"), zh_name="td_tc.xml")[0])
    assert out.read_bytes() == expected


def test_cli_prints_problems_writes_good_rows_and_exits_1(tmp_path, capsys):
    src = tmp_path / "sightings.csv"
    src.write_bytes(b"id,lat,lon\na,22.3,114.17\nb,abc,114.17\n")
    out = tmp_path / "cams.csv"
    rc = main_import_cameras([str(src), "--out", str(out)])
    assert rc == 1
    assert "sightings.csv:3: latitude: expected a number" in capsys.readouterr().err
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df["id"].tolist() == ["a"] and df["source"].tolist() == ["sightings"]


def test_cli_does_not_overwrite_output_when_nothing_usable(tmp_path):
    out = tmp_path / "cams.csv"
    out.write_text("keep me")
    src = tmp_path / "notes.txt"
    src.write_text("hello")
    assert main_import_cameras([str(src), "--out", str(out)]) == 1
    assert out.read_text() == "keep me"
