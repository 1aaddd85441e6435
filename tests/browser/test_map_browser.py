"""The map in Chromium: what AppTest cannot do (click the canvas, see the address bar, see network requests)."""
from __future__ import annotations

import math
import re

import pytest

from loaders.geo import representative_point
from tests.browser.conftest import new_tab, wait_canvas_drawn, wait_ready, wait_rerun
from ui.charts import map_deck as deck
from ui.i18n import t

pytestmark = pytest.mark.browser

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
    # Tiles on (the default) does ask Carto: the switch really changes something.
    seen.clear()
    open_map(tab)
    assert [u for u in seen if "basemaps.cartocdn.com" in u]


def test_clicking_a_district_opens_its_panel_and_puts_its_code_in_the_url(tab, shipped):
    page = tab.page
    code = "M"  # Yuen Long: large, so a click well inside it cannot miss
    feat = next(f for f in shipped.geo["features"] if f["properties"]["code"] == code)
    open_map(tab, {"m_tiles": "false"})
    x, y = pixel_of(page, deck.view_state(shipped.geo, None), *representative_point(feat["geometry"]))
    wanted = re.compile(rf"[?&]m_dist={code}(&|$)")
    for _ in range(3):  # software WebGL picks slowly; a click before the hover pick settles is lost
        page.mouse.move(x, y)
        page.wait_for_timeout(1000)
        # A quick press: deck.gl only counts a click as a tap if the button comes up promptly.
        wait_rerun(page, lambda: (page.mouse.down(), page.mouse.up()))
        if wanted.search(page.url):
            break
    page.wait_for_url(wanted)
    name = deck.district_name(code, "en", shipped["districts"])
    assert name in page.locator(MAIN).inner_text()
    assert page.locator(f'{MAIN} [data-testid="stSelectbox"] input').first.input_value() == name


def test_filter_change_is_written_as_codes_and_a_new_session_restores_it(tab, browser):
    page = tab.page
    open_map(tab)
    page.locator(f'{MAIN} [data-testid="stExpander"] summary', has_text=t("map.filters", "en")).first.click()
    pill = page.locator(f'{MAIN} button', has_text=t("map.operator.police", "en")).first
    wait_rerun(page, pill.click)
    page.wait_for_url(re.compile(r"[?&]m_ops=transport_department&m_ops=other(&|$)"))
    fresh = new_tab(browser, tab.server)
    try:
        fresh.page.goto(page.url + "&lang=zh-Hant")
        wait_ready(fresh.page)
        text = fresh.page.locator(MAIN).inner_text()
        assert t("map.filters_active", "zh-Hant", fields=t("map.f_operator", "zh-Hant")) in text
    finally:
        fresh.page.context.close()
