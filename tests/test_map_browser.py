"""The map in Chromium: what AppTest cannot do (click the canvas, see the address bar, see
network requests). Marked `browser`; uses the browser suite's helpers with its own server."""
from __future__ import annotations

import math
import re

import pytest

from loaders.datasets import load_all
from loaders.geo import representative_point
from metrics import map_stats as stats
from ui import url_state
from ui.charts import map_deck as deck
from ui.i18n import t

pytestmark = pytest.mark.browser

DECK = '[data-testid="stDeckGlJsonChart"]'
MAIN = '[data-testid="stMainBlockContainer"]'


@pytest.fixture(scope="module")
def server():
    from tests.browser.conftest import chromium_missing_reason, start_server

    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    srv = start_server()
    yield srv
    srv.stop()


class BrowserThread:
    """Chromium driven from one worker thread of its own.

    The browser suite (tests/browser) keeps a sync Playwright running for the whole session, and
    Playwright's sync API refuses to start a second one in a thread with a running event loop;
    its conftest fixtures are not visible from here. So every browser call of this module runs
    in a private thread (Playwright objects must stay on the thread that made them)."""

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="map-browser")
        self.browser = self.call(self._start)

    def _start(self):
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import launch_browser

        self._pw = sync_playwright().start()
        return launch_browser(self._pw)

    def call(self, fn, *args):
        return self._pool.submit(fn, *args).result()

    def close(self):
        def stop():
            self.browser.close()
            self._pw.stop()
        self.call(stop)
        self._pool.shutdown()


@pytest.fixture(scope="module")
def chromium(server):
    from tests.browser.conftest import warm_up

    bt = BrowserThread()
    bt.call(warm_up, bt.browser, server)
    yield bt
    bt.close()


def new_page(browser):
    from tests.browser.conftest import DESKTOP

    pg = browser.new_context(viewport=DESKTOP).new_page()
    pg.set_default_timeout(30_000)
    pg.requests_seen = []
    pg.on("request", lambda r: pg.requests_seen.append(r.url))
    return pg


def in_browser(chromium, body, *args):
    """Run body(page, *args) on a fresh page in the browser thread; close it afterwards."""
    def run():
        page = new_page(chromium.browser)
        try:
            return body(page, *args)
        finally:
            page.context.close()
    return chromium.call(run)


def open_map(page, server, query: str = "") -> None:
    from tests.browser.conftest import wait_canvas_drawn, wait_ready

    page.goto(f"{server.url}/map{query}")
    wait_ready(page)
    assert wait_canvas_drawn(page) > 0.005, "the map canvas stayed blank"


def pixel_of(page, view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Where a lon/lat is drawn on the deck canvas (Web Mercator, 512-px world at zoom 0)."""
    box = page.locator(f"{DECK} canvas").first.bounding_box()
    scale = 512 * 2 ** view["zoom"]

    def merc(lo, la):
        return (lo + 180) / 360 * scale, (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * scale

    cx, cy = merc(view["longitude"], view["latitude"])
    x, y = merc(lon, lat)
    return box["x"] + box["width"] / 2 + (x - cx), box["y"] + box["height"] / 2 + (y - cy)


def test_tiles_off_draws_districts_without_asking_for_a_base_map(chromium, server):
    in_browser(chromium, _tiles_off, server)


def _tiles_off(page, server):
    open_map(page, server, "?m_tiles=false")
    assert not [u for u in page.requests_seen if "cartocdn" in u or "mapbox" in u]
    # Tiles on (the default) does ask Carto: the switch really changes something.
    page.requests_seen.clear()
    open_map(page, server)
    assert [u for u in page.requests_seen if "basemaps.cartocdn.com" in u]


def test_clicking_a_district_opens_its_panel_and_puts_its_code_in_the_url(chromium, server):
    in_browser(chromium, _click_district, server)


def _click_district(page, server):
    from tests.browser.conftest import wait_rerun

    bundle = load_all()
    code = "M"  # Yuen Long: large, so a click well inside it cannot miss
    feat = next(f for f in bundle.geo["features"] if f["properties"]["code"] == code)
    open_map(page, server, "?m_tiles=false")
    x, y = pixel_of(page, deck.view_state(bundle.geo, None), *representative_point(feat["geometry"]))
    wanted = re.compile(rf"[?&]m_dist={code}(&|$)")
    for _ in range(3):  # software WebGL picks slowly; a click before the hover pick settles is lost
        page.mouse.move(x, y)
        page.wait_for_timeout(1000)
        # A quick press: deck.gl only counts a click as a tap if the button comes up promptly.
        wait_rerun(page, lambda: (page.mouse.down(), page.mouse.up()))
        if wanted.search(page.url):
            break
    page.wait_for_url(wanted)
    name = deck.district_name(code, "en", bundle["districts"])
    assert name in page.locator(MAIN).inner_text()
    assert page.locator(f'{MAIN} [data-testid="stSelectbox"] input').first.input_value() == name


def test_filter_change_is_written_as_codes_and_a_new_session_restores_it(chromium, server):
    in_browser(chromium, _filter_round_trip, server, chromium.browser)


def _filter_round_trip(page, server, browser):
    from tests.browser.conftest import DESKTOP, wait_ready, wait_rerun

    open_map(page, server)
    page.locator(f'{MAIN} [data-testid="stExpander"] summary', has_text=t("map.filters", "en")).first.click()
    pill = page.locator(f'{MAIN} button', has_text=t("map.operator.police", "en")).first
    wait_rerun(page, pill.click)
    page.wait_for_url(re.compile(r"[?&]m_ops=transport_department&m_ops=other(&|$)"))
    fresh = browser.new_context(viewport=DESKTOP).new_page()
    try:
        fresh.goto(page.url + "&lang=zh-Hant")
        wait_ready(fresh)
        text = fresh.locator(MAIN).inner_text()
        assert t("map.filters_active", "zh-Hant", fields=t("map.f_operator", "zh-Hant")) in text
    finally:
        fresh.context.close()
