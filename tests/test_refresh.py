"""`python -m loaders refresh` against a local server holding inputs in their published formats.

The first run in each test moves the shipped data onto six Transport Department cameras (so
the lists stay small); the second run is the one under test.
"""
from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest

from loaders.refresh import RefreshError, load_recipe, main_refresh, refresh, yaml_text_records
from tests import published_formats
from tests.conftest import DATA
from tests.localhttp import LocalServer, local_server  # noqa: F401  (fixture)

EN, TC = "/td/Traffic_Camera_Locations_En.csv", "/td/Traffic_Camera_Locations_Tc.xml"
HAD, OSM = "/had/hksar_18_district_boundary.json", "/api/interpreter"
NODES = [{"id": 101, "lat": 22.3, "lon": 114.17, "tags": {"operator": "Hong Kong Police Force"}},
         {"id": 102, "lat": 22.28, "lon": 114.155}]


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def serve(server, cams, nodes=NODES):
    server.serve(EN, published_formats.td_csv(cams))
    server.serve(TC, published_formats.td_tc_xml(cams))
    server.serve(HAD, published_formats.had_geojson())
    server.serve(OSM, published_formats.overpass(nodes))


@pytest.fixture(scope="module")
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def base(server, tmp_path_factory):
    """The shipped data refreshed once onto the first six shipped cameras (built once per module)."""
    import shutil

    root = tmp_path_factory.mktemp("base") / "data"
    shutil.copytree(DATA, root)
    (root / "refresh.yaml").write_text(published_formats.recipe(server.base), encoding="utf-8")
    serve(server, published_formats.shipped_cameras(6))
    refresh(root, accessed="2026-12-01", allow_shrink=True)
    return root


@pytest.fixture
def six(server, base, tmp_path):
    """A fresh copy of the base data, with the server answering as it did for the base."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(base, root)
    cams = published_formats.shipped_cameras(6)
    serve(server, cams)
    return root, cams


def second_list(cams):
    """Two cameras added, one removed, one moved 50 m, one moved 4 m, one description changed."""
    new = copy.deepcopy(cams)
    new[0]["latitude"] = f"{float(new[0]['latitude']) + 0.00045:.6f}"
    new[3]["latitude"] = f"{float(new[3]['latitude']) + 0.00004:.6f}"
    new[4]["description"] = "Chatham Road North near Hung Hom (renamed)"
    del new[2]
    for key, lat, lon in (("ZZ901F", "22.302", "114.171"), ("ZZ902F", "22.371", "114.112")):
        new.append({"key": key, "district": "Yau Tsim Mong", "region": "Kowloon", "description": f"Test camera {key}",
                    "description_zh": f"測試鏡頭 {key}", "latitude": lat, "longitude": lon})
    return new


# ---------------------------------------------------------------- what a refresh reports and writes

def test_refresh_lists_cameras_added_removed_and_moved(six, server):
    root, cams = six
    serve(server, second_list(cams))
    summary = refresh(root, accessed="2026-12-02").summary
    block = summary[summary.index("cameras_td.csv:"):].split("\ncameras_osm.csv")[0].split("\ngeo/")[0]
    assert block.splitlines() == [
        "cameras_td.csv: 7 cameras (was 6): 2 added, 1 removed, 1 moved more than 10 m",
        "  added: td-ZZ901F, td-ZZ902F",
        "  removed: td-AID01110",
        "  moved: td-AID01108 (50 m)",
        "  other fields changed: description_en (1 camera)",
    ]


def test_refresh_writes_the_new_cameras(six, server):
    root, cams = six
    serve(server, second_list(cams))
    refresh(root, accessed="2026-12-02")
    text = (root / "cameras_td.csv").read_text(encoding="utf-8")
    assert "td-ZZ901F,22.302,114.171,E,Yau Tsim Mong,transport_department" in text  # the publisher's district kept beside the code
    assert "td-AID01110" not in text
    assert "td-AID01108,22.272313,114.180125," in text


def test_refresh_updates_the_origin_hash_size_and_access_date(six, server):
    root, cams = six
    body = published_formats.td_csv(second_list(cams))
    serve(server, second_list(cams))
    refresh(root, accessed="2026-12-02")
    origin = next(r for r in yaml_text_records(root / "origins.yaml") if r["id"] == "td-camera-locations-en")
    assert (origin["sha256"], origin["size"], origin["date_accessed"]) == (hashlib.sha256(body).hexdigest(), len(body), "2026-12-02")
    assert origin["derived_files"] == ["cameras_td.csv"]
    assert origin["url_download"] == server.url(EN)


def test_refresh_retires_the_origins_it_replaces(six):
    root, _ = six
    origins = (root / "origins.yaml").read_text(encoding="utf-8")
    assert "- id: td-traffic-cameras-2021-03" not in origins
    assert "- id: hkdatasets-district-summary" in origins  # not refreshed, so kept


def test_refresh_adds_the_live_sources_once(six, server):
    root, cams = six
    serve(server, second_list(cams))
    refresh(root, accessed="2026-12-02")
    sources = (root / "sources.yaml").read_text(encoding="utf-8")
    assert sources.count("- id: td-camera-locations-en-live\n") == 1
    block = sources[sources.index("- id: td-camera-locations-en-live"):].split("\n\n")[0]
    assert '  accessed: "2026-12-02"' in block and "  published: undated" in block


def test_refreshed_data_passes_check(six):
    from loaders.datasets import load_all

    assert load_all(six[0]).problems == []


def test_refresh_of_unchanged_inputs_changes_nothing(six):
    root, _ = six
    before = files(root)
    result = refresh(root, accessed="2026-12-09")
    assert result.changed == [] and result.summary.endswith("Nothing changed in data/.\n")
    assert files(root) == before  # not even the access date: it belongs to the bytes the files came from


def test_refresh_gives_the_same_bytes_for_the_same_inputs(server, tmp_path):
    import shutil

    outputs = []
    for name in ("a", "b"):
        root = tmp_path / name
        shutil.copytree(DATA, root)
        (root / "refresh.yaml").write_text(published_formats.recipe(server.base), encoding="utf-8")
        serve(server, published_formats.shipped_cameras(6))
        refresh(root, accessed="2026-12-01", allow_shrink=True)
        outputs.append(files(root))
    assert outputs[0] == outputs[1]


def test_refresh_only_fetches_the_named_input(six, server):
    root, _ = six
    server.serve(EN, b"", status=500)
    server.serve(HAD, b"", status=500)
    server.serve(OSM, published_formats.overpass(NODES + [{"id": 103, "lat": 22.45, "lon": 114.03}]))
    before = files(root)
    result = refresh(root, only=["osm-surveillance-nodes"], accessed="2026-12-02")
    assert result.changed == ["cameras_osm.csv", "origins.yaml", "sources.yaml"]
    assert "  added: osm-node-103" in result.summary
    assert all(files(root)[f] == before[f] for f in before if f not in result.changed)


def test_refresh_reads_the_english_xml_list_too(six, server):
    root, cams = six
    recipe = (root / "refresh.yaml").read_text(encoding="utf-8")
    recipe = recipe.replace(EN, "/td/Traffic_Camera_Locations_En.xml").replace(
        "format: td_csv\n  columns: [key, district, description, latitude, longitude]",
        "format: td_xml\n  columns: [key, description, latitude, longitude]")
    (root / "refresh.yaml").write_text(recipe, encoding="utf-8")
    server.serve("/td/Traffic_Camera_Locations_En.xml", published_formats.td_tc_xml(second_list(cams), english=True))
    server.serve(TC, published_formats.td_tc_xml(second_list(cams)))
    summary = refresh(root, accessed="2026-12-02").summary
    assert "cameras_td.csv: 7 cameras (was 6): 2 added, 1 removed, 1 moved more than 10 m" in summary
    assert "td-camera-locations-en: Traffic_Camera_Locations_En.xml, " in summary


def test_refresh_of_the_chinese_list_fetches_the_english_one_too(six, server):
    root, _ = six
    server.routes[EN].hits.clear()
    refresh(root, only=["td-camera-locations-tc"], accessed="2026-12-02")
    assert len(server.routes[EN].hits) == 1


# ---------------------------------------------------------------- failures change nothing

def _route(server, path, **kw):
    route = server.routes[path]
    for k, v in kw.items():
        setattr(route, k, v)


FAILURES = {
    "http-500": (lambda s, cams: _route(s, EN, status=500),
                 "td-camera-locations-en: HTTP 500 Internal Server Error at "),
    "time-out": (lambda s, cams: _route(s, OSM, hang=True),
                 "osm-surveillance-nodes: timed out after 0.5 s at "),
    "truncated": (lambda s, cams: _route(s, HAD, truncate_to=1000),
                  "had-district-boundaries: truncated: 1,000 of "),
    "renamed-column": (lambda s, cams: s.serve(EN, published_formats.td_csv(cams, header=[h if h != "latitude" else "lat" for h in published_formats.TD_HEADER])),
                       "td-camera-locations-en: column latitude missing or renamed (found: key, region, district, description, easting, northing, lat, longitude, url)"),
    "camera-outside-hk": (lambda s, cams: s.serve(EN, published_formats.td_csv([*cams[:5], {**cams[5], "latitude": "31.2304"}])),
                          "the point is outside Hong Kong"),
    "osm-node-outside-hk": (lambda s, cams: s.serve(OSM, published_formats.overpass(NODES + [{"id": 104, "lat": 22.3, "lon": 121.47}])),
                            "osm-surveillance-nodes: 1 problem at "),
    "boundary-outside-hk": (lambda s, cams: s.serve(HAD, published_formats.had_geojson().replace(b"[114.14951,22.29748]", b"[104.14951,22.29748]", 1)),
                            "had-district-boundaries: 1 boundary points outside Hong Kong, e.g. lon 104.14951, lat 22.29748"),
    "not-a-camera-list": (lambda s, cams: s.serve(TC, b"<html><body>Service unavailable</body></html>"),
                          "td-camera-locations-tc: an HTML page is not a camera list"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_failed_refresh_changes_nothing_and_names_the_input(six, server, case):
    root, cams = six
    serve(server, second_list(cams))
    breaker, message = FAILURES[case]
    breaker(server, second_list(cams))
    before = files(root)
    with pytest.raises(RefreshError) as err:
        refresh(root, accessed="2026-12-02", timeout=0.5)
    assert message in str(err.value)
    assert files(root) == before
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".refresh-")]  # the work copy is gone


def test_out_of_hong_kong_camera_is_named_by_row(six, server):
    root, cams = six
    server.serve(EN, published_formats.td_csv([*cams[:5], {**cams[5], "latitude": "31.2304"}]))
    with pytest.raises(RefreshError) as err:
        refresh(root, accessed="2026-12-02")
    assert "Traffic_Camera_Locations_En.csv:7: latitude: expected a number between 22.1 and 22.6 (Hong Kong), got '31.2304'" in str(err.value)


def test_refresh_refuses_a_list_that_lost_most_rows(six, server):
    root, cams = six
    serve(server, cams[:2])
    before = files(root)
    with pytest.raises(RefreshError, match=r"td-camera-locations-en: cameras_td.csv would shrink from 6 to 2 rows"):
        refresh(root, accessed="2026-12-02")
    assert files(root) == before


def test_refresh_cli_fails_with_the_reason_and_exit_1(six, server, capsys, tmp_path):
    root, _ = six
    _route(server, HAD, status=503)
    summary = tmp_path / "summary.md"
    assert main_refresh(["--data-dir", str(root), "--accessed", "2026-12-02", "--summary", str(summary)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("refresh failed, nothing in data/ changed: had-district-boundaries: HTTP 503 Service Unavailable")
    assert summary.read_text(encoding="utf-8") == err


def test_refresh_cli_writes_the_summary_file(six, server, capsys, tmp_path):
    root, cams = six
    serve(server, second_list(cams))
    summary = tmp_path / "summary.md"
    assert main_refresh(["--data-dir", str(root), "--accessed", "2026-12-02", "--summary", str(summary)]) == 0
    text = summary.read_text(encoding="utf-8")
    assert text == capsys.readouterr().out
    assert text.startswith("Refresh of the published inputs, accessed 2026-12-02\n")


def test_refresh_cli_rejects_a_bad_access_date(capsys):
    assert main_refresh(["--accessed", "2026-13-01"]) == 2
    assert "--accessed: expected a date YYYY-MM-DD, got '2026-13-01'" in capsys.readouterr().err


# ---------------------------------------------------------------- the recipe

def test_shipped_recipe_lists_the_published_inputs():
    inputs = {i.id: i for i in load_recipe(DATA)}
    assert set(inputs) == {"had-district-boundaries", "td-camera-locations-en", "td-camera-locations-tc", "osm-surveillance-nodes"}
    assert inputs["td-camera-locations-en"].url == "https://static.data.gov.hk/td/traffic-snapshot-images/code/Traffic_Camera_Locations_En.csv"
    assert inputs["td-camera-locations-en"].zh == "td-camera-locations-tc"
    assert 'node["man_made"="surveillance"](area.hk)' in inputs["osm-surveillance-nodes"].query


def test_recipe_problems_name_file_line_and_field(tmp_path):
    (tmp_path / "refresh.yaml").write_text("- id: x\n  url: ftp://example.org/a.csv\n  format: td_csv\n  colour: red\n",
                                           encoding="utf-8")
    with pytest.raises(RefreshError) as err:
        load_recipe(tmp_path)
    text = str(err.value)
    assert "refresh.yaml:4: colour: unknown field" in text
    assert "refresh.yaml:2: url: expected an http(s) URL, got 'ftp://example.org/a.csv'" in text
    assert "refresh.yaml:1: source: required field is missing" in text
