"""Every download button gives a file whose content matches the data and the view it came from."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from loaders.datasets import load_all
from loaders.schema import LAT_RANGE, LON_RANGE
from tests.browser.conftest import PAGES

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements-dev.txt").expect

BUTTONS = '[data-testid="stMainBlockContainer"] [data-testid="stDownloadButton"]'
FORMULA_START = ("=", "+", "@", "\t", "\r")  # what a spreadsheet would run; "-5" is a number, so not "-"


def download_all(tab, scope: str = BUTTONS, at_least: int = 1) -> dict[str, bytes]:
    """Click every visible download button (waiting for at_least of them); file name -> bytes."""
    files = {}
    buttons = tab.page.locator(scope)
    # The map draws its district panel after the deck: its second button can arrive a moment later.
    expect(buttons.nth(at_least - 1), f"fewer than {at_least} download buttons on the page").to_be_visible(timeout=30_000)
    for i in range(buttons.count()):
        button = buttons.nth(i)
        if not button.is_visible():
            continue
        with tab.page.expect_download(timeout=60_000) as info:
            button.locator("button:visible").first.click()
        dl = info.value
        assert dl.failure() is None, f"download {dl.suggested_filename} failed: {dl.failure()}"
        files[dl.suggested_filename] = dl.path().read_bytes()
    return files


def csv_rows(data: bytes, bom: bool) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf") == bom, "BOM expected" if bom else "no BOM expected"
    text = data.decode("utf-8-sig")
    assert "\r\n" not in text, "CSV lines should end in LF"
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for col, cell in row.items():
            assert not (cell or "").startswith(FORMULA_START), f"formula-like cell not neutralised: {col}={cell!r}"
    return rows


def check_points_geojson(data: bytes, ids: set[str]) -> None:
    fc = json.loads(data)
    assert fc["type"] == "FeatureCollection"
    assert {f["properties"]["id"] for f in fc["features"]} == ids
    for f in fc["features"]:
        if f["properties"].get("precision") == "district":
            # Known only to its district: no point at all (RFC 7946 §3.2: a null geometry), never a stand-in point.
            assert f["geometry"] is None, f["properties"]["id"]
            continue
        lon, lat = f["geometry"]["coordinates"]
        assert LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1], f["properties"]["id"]


def one(files: dict[str, bytes], predicate) -> bytes:
    found = [data for name, data in files.items() if predicate(name)]
    assert len(found) == 1, f"expected one matching file among {sorted(files)}"
    return found[0]


def test_data_page_downloads_match_the_dataset(tab):
    bundle = load_all()
    cams = bundle["cameras"]
    ids = set(cams["id"])
    tab.open("data", query={"d_ds": "cameras"})
    files = download_all(tab)

    plain = csv_rows(one(files, lambda n: n.endswith(".csv") and "_excel" not in n and "_sources_" not in n), bom=False)
    assert {r["id"] for r in plain} == ids and len(plain) == len(cams)
    excel = csv_rows(one(files, lambda n: n.endswith("_excel.csv")), bom=True)
    assert [r["id"] for r in excel] == [r["id"] for r in plain]
    records = json.loads(one(files, lambda n: n.endswith(".json")))
    assert {r["id"] for r in records} == ids
    check_points_geojson(one(files, lambda n: n.endswith(".geojson")), ids)
    cited = csv_rows(one(files, lambda n: "_sources_" in n), bom=False)
    assert {r["id"] for r in cited} == set(cams["source"]) & set(bundle["sources"]["id"])

    package = zipfile.ZipFile(io.BytesIO(one(files, lambda n: n.endswith(".zip"))))
    assert package.testzip() is None
    names = package.namelist()
    descriptor = json.loads(package.read(next(n for n in names if n.endswith("datapackage.json"))))
    root = next(n for n in names if n.endswith("datapackage.json")).removesuffix("datapackage.json")
    for resource in descriptor["resources"]:
        assert root + resource["path"] in names, f"{resource['path']} listed but not in the zip"
        if resource["path"].endswith(".csv") and resource.get("name") in bundle.frames:
            rows = list(csv.DictReader(io.StringIO(package.read(root + resource["path"]).decode("utf-8-sig"), newline="")))
            assert len(rows) == len(bundle[resource["name"]]), resource["name"]
    tab.assert_clean()


def test_map_district_downloads_hold_that_districts_cameras(tab):
    cams = load_all()["cameras"]
    code = cams["district_code"].value_counts().index[0]
    ids = set(cams.loc[cams["district_code"].eq(code), "id"])
    tab.open("map", query={"m_dist": code})
    files = download_all(tab, at_least=2)  # CSV and GeoJSON
    rows = csv_rows(one(files, lambda n: n.endswith(".csv")), bom=True)
    assert {r["id"] for r in rows} == ids and {r["district_code"] for r in rows} == {code}
    check_points_geojson(one(files, lambda n: n.endswith(".geojson")), ids)
    tab.assert_clean()


BRIEFING_PAGES = [p for p in ("phases", "safeguards") if p in PAGES]  # the pages with a "Download briefing" button


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
@pytest.mark.parametrize("name", BRIEFING_PAGES)
def test_briefing_download_is_a_self_contained_page(tab, name, lang):
    from ui.i18n import t

    tab.open(name, lang)
    files = download_all(tab)
    html = one(files, lambda n: n.endswith(".html")).decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert f'<html lang="{lang}"' in html
    assert t("briefing.title", lang) in html.replace("&quot;", '"')
    # Self-contained and inert: no scripts, nothing fetched from elsewhere when it is opened.
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and " onerror=" not in lowered and " onload=" not in lowered
    assert 'src="http' not in lowered and "<link rel=\"stylesheet\" href=\"http" not in lowered
    tab.assert_clean()
