"""The map in Chromium: what AppTest cannot do (click the canvas, see the address bar, see network requests)."""
from __future__ import annotations

import io
import math
import re

import pytest

from loaders.geo import representative_point
from tests.browser.conftest import new_tab, wait_canvas_drawn, wait_ready, wait_rerun
from ui.charts import map_deck as deck
from ui.i18n import t

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements-dev.txt").expect

DECK = '[data-testid="stDeckGlJsonChart"]'
MAIN = '[data-testid="stMainBlockContainer"]'


def open_map(tab, query: dict | None = None) -> None:
    tab.open("map", query=query)
    assert wait_canvas_drawn(tab.page) > 0.005, "the map canvas stayed blank"


def requests_seen(tab) -> list[str]:
    seen: list[str] = []
    tab.page.on("request", lambda r: seen.append(r.url))
    return seen


def pixel_of(page, view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Where a lon/lat is drawn on the deck canvas (Web Mercator, 512-px world at zoom 0)."""
    box = page.locator(f"{DECK} canvas").first.bounding_box()
    scale = 512 * 2 ** view["zoom"]

    def merc(lo, la):
        return (lo + 180) / 360 * scale, (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * scale

    cx, cy = merc(view["longitude"], view["latitude"])
    x, y = merc(lon, lat)
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def test_tiles_off_draws_districts_without_asking_for_a_base_map(tab):
    seen = requests_seen(tab)
    open_map(tab, {"m_tiles": "false"})
    assert not [u for u in seen if "cartocdn" in u or "mapbox" in u]


def test_street_tiles_are_asked_for_only_when_the_tile_host_answers(tab):
    """Offline (as on the test machine) the map says it shows the outline map and the browser
    asks nothing of the tile host, so its console stays clean; online it loads the street map."""
    from ui.basemap import tiles_reachable

    seen = requests_seen(tab)
    open_map(tab)
    asked = [u for u in seen if "basemaps.cartocdn.com" in u]
    if tiles_reachable():
        assert asked
    else:
        assert not asked
        expect(tab.page.locator(MAIN)).to_contain_text(t("map.tiles_offline", "en"))
    tab.assert_clean()


def canvas_png(page):
    from PIL import Image

    canvas = page.locator(f"{DECK} canvas").first
    return Image.open(io.BytesIO(canvas.screenshot())).convert("RGB"), canvas.bounding_box()


def pixel_in(img, box, x: float, y: float) -> tuple[int, int, int] | None:
    ix, iy = int((x - box["x"]) * img.width / box["width"]), int((y - box["y"]) * img.height / box["height"])
    return img.getpixel((ix, iy)) if 0 <= ix < img.width and 0 <= iy < img.height else None


@pytest.mark.parametrize("size", ["tab", "phone_tab"])
def test_map_opens_with_all_18_districts_in_view(request, size, shipped):
    """Lantau to Sai Kung: every district's outline falls inside the chart as drawn, at a
    desktop column's width and at a phone's, and every district is filled (drawn) there."""
    tab = request.getfixturevalue(size)
    open_map(tab, {"m_tiles": "false"})
    page = tab.page
    view = deck.view_state(shipped.geo, None, *deck.fit_for(size == "phone_tab"))
    img, box = canvas_png(page)
    background = img.getpixel((2, 2))  # the chart's corner lies in the sea, outside every district
    assert len(shipped.geo["features"]) == 18
    for feat in shipped.geo["features"]:
        x0, y0, x1, y1 = deck._bounds(feat["geometry"])
        for lon, lat in ((x0, y0), (x1, y1)):
            x, y = pixel_of(page, view, lon, lat)
            assert box["x"] - 1 <= x <= box["x"] + box["width"] + 1 and box["y"] - 1 <= y <= box["y"] + box["height"] + 1, \
                f"{feat['properties']['code']} runs off the map ({size}: chart {box['width']:.0f}x{box['height']:.0f})"
        x, y = pixel_of(page, view, *representative_point(feat["geometry"]))
        # Drawn: filled (the palest shading class is still off-white), unlike the empty corner. A
        # few pixels around the point, as a camera dot's white rim may sit right on it.
        around = [pixel_in(img, box, x + dx, y + dy) for dx in (-3, 0, 3) for dy in (-3, 0, 3)]
        assert any(c is not None and max(abs(a - b) for a, b in zip(c, background)) >= 2 for c in around), \
            f"{feat['properties']['code']} is not drawn: {around} on a {background} background"
    tab.assert_clean()


def click_district(tab, shipped, code: str) -> None:
    """Click inside a district on the desktop map (a desktop browser gets the desktop view)."""
    page = tab.page
    feat = next(f for f in shipped.geo["features"] if f["properties"]["code"] == code)
    x, y = pixel_of(page, deck.view_state(shipped.geo, None, *deck.fit_for(False)), *representative_point(feat["geometry"]))
    wanted = re.compile(rf"[?&]m_dist={code}(&|$)")
    for _ in range(3):  # software WebGL picks slowly; a click before the hover pick settles is lost
        page.mouse.move(x, y)
        page.wait_for_timeout(1000)
        # A quick press: deck.gl only counts a click as a tap if the button comes up promptly.
        wait_rerun(page, lambda: (page.mouse.down(), page.mouse.up()))
        if wanted.search(page.url):
            break
    page.wait_for_url(wanted)


def test_a_district_click_keeps_its_cameras_bright(tab, shipped):
    """Streamlit fades everything but a selected object; the page redraws the map without the
    click's selection, so the chosen district's own camera dots keep their full colour."""
    code = "M"
    open_map(tab, {"m_tiles": "false"})
    click_district(tab, shipped, code)
    page = tab.page
    assert wait_canvas_drawn(page) > 0.005
    expect(page.get_by_role("button", name="Clear selection")).to_have_count(0)
    cams = shipped["cameras"]
    cams = cams[cams["district_code"].eq(code) & cams["precision"].eq("exact")]
    view = deck.view_state(shipped.geo, code, *deck.fit_for(False))
    for _ in range(20):  # deck.gl draws the new view on animation frames
        img, box = canvas_png(page)
        colours = [c for c in (pixel_in(img, box, *pixel_of(page, view, lon, lat)) for lon, lat in zip(cams["longitude"], cams["latitude"]))
                   if c is not None]
        # A dot's centre is the Transport Department blue (0, 114, 178) at 86% opacity (red ~35);
        # faded to 40% by a selection it would read about (150, 190, 220).
        bright = [c for c in colours if c[0] < 100 and c[2] > 140]
        if len(colours) >= 10 and len(bright) >= 0.6 * len(colours):
            break
        page.wait_for_timeout(250)
    assert len(colours) >= 10 and len(bright) >= 0.6 * len(colours), f"{len(bright)} of {len(colours)} dots bright: {colours[:8]}"
    tab.assert_clean()


def test_clicking_a_district_opens_its_panel_and_puts_its_code_in_the_url(tab, shipped):
    code = "M"  # Yuen Long: large, so a click well inside it cannot miss
    open_map(tab, {"m_tiles": "false"})
    click_district(tab, shipped, code)
    page = tab.page
    name = deck.district_name(code, "en", shipped["districts"])
    assert name in page.locator(MAIN).inner_text()
    assert page.locator(f'{MAIN} [data-testid="stSelectbox"] input').first.input_value() == name


def test_filter_change_is_written_as_codes_and_a_new_session_restores_it(tab, browser):
    page = tab.page
    open_map(tab)
    page.locator(f'{MAIN} [data-testid="stExpander"] summary', has_text=t("map.filters", "en")).first.click()
    pill = page.locator(f'{MAIN} button', has_text=t("map.operator.police", "en")).first
    wait_rerun(page, pill.click)  # from "everything shown", a tap shows only the police's cameras
    page.wait_for_url(re.compile(r"[?&]m_ops=police(&|$)"))
    police = int(tab_cameras()["operator"].eq("police").sum())
    expect(page.locator(MAIN)).to_contain_text(f"Showing {police} of")
    fresh = new_tab(browser, tab.server)
    try:
        fresh.page.goto(page.url + "&lang=zh-Hant")
        wait_ready(fresh.page)
        text = fresh.page.locator(MAIN).inner_text()
        assert t("map.filters_active", "zh-Hant", fields=t("map.f_operator", "zh-Hant")) in text
    finally:
        fresh.page.context.close()


def tab_cameras():
    from loaders.datasets import load_all

    return load_all()["cameras"]
