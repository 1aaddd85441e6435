"""The static edition in Chromium: nothing from another host, no errors, charts interactive on request."""
from __future__ import annotations

import pytest

from benchmarks.site import TARGET_HOME_BYTES, StaticServer, block_other_hosts, load_page
from tests.site_build import built

pytestmark = pytest.mark.browser

PAGES = [f"{lang}/{p}" for lang in ("en", "zh-Hant") for p in ("", "map/", "phases/", "safeguards/", "data/", "figures/", "sources/",
                                                               "conflicts/")]
PAGES += ["en/figures/police-installed-cameras-2024-04-18-dimsumdaily/", "zh-Hant/sources/dimsumdaily-2024-04-18/",
          "en/conflicts/retention-period/", "en/embed/progress/", "zh-Hant/embed/budget/", "index.html"]


@pytest.fixture(scope="module")
def edition(browser):  # browser first: a missing Chromium skips before the build
    server = StaticServer(built(images=True))
    yield server
    server.close()


@pytest.fixture
def page(browser, edition):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    blocked: list[str] = []
    block_other_hosts(context, edition.url().split("/")[2], blocked)
    pg = context.new_page()
    pg.errors, pg.blocked, pg.failed = [], blocked, []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("response", lambda r: pg.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()


def test_no_page_requests_another_host_or_fails(page, edition):
    for path in PAGES:
        page.goto(edition.url(path), wait_until="load")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(200)
    assert page.blocked == []
    assert page.failed == []
    assert page.errors == []


def test_home_page_stays_within_its_weight_before_any_chart_is_touched(browser, edition):
    for lang in ("en", "zh-Hant"):
        load = load_page(browser, edition.url(f"{lang}/"))
        assert load["other_hosts"] == []
        assert load["scrolled"]["raw_bytes"] <= TARGET_HOME_BYTES
        assert load["scrolled"]["requests"] > load["requests"]  # the chart images came in lazily, as the reader scrolled


def test_chart_becomes_interactive_from_the_local_plotly(page, edition):
    page.goto(edition.url("en/"), wait_until="load")
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))
    assert not any("plotly" in u for u in loaded)
    button = page.locator('button.interact[data-chart="progress"]')
    button.click()
    page.locator("#live-progress .main-svg").first.wait_for(timeout=30_000)
    assert any(u.endswith("/edition/assets/plotly.min.js") for u in loaded)
    assert page.locator('#chart-progress ~ figure img').first.is_hidden()
    assert page.blocked == [] and page.errors == []


def test_chart_is_readable_without_javascript(browser, edition):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(edition.url("zh-Hant/"))
    assert pg.locator('button.interact').first.is_hidden()  # no dead button without a script
    image = pg.locator("figure.chart img").first
    image.scroll_into_view_if_needed()
    pg.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert pg.locator("details.more table").count() >= 4
    context.close()


def test_map_is_an_svg_with_districts_sites_and_cameras(page, edition):
    page.goto(edition.url("en/map/"))
    svg = page.locator("svg.map")
    assert svg.locator("g.districts a").count() == 18
    assert svg.locator("circle").count() > 500
    assert svg.bounding_box()["height"] > 100
    href = svg.locator("g.districts a").first.get_attribute("href")
    assert href.startswith("../../../map?m_dist=") and href.endswith("&lang=en")


def test_embed_snippet_gets_this_pages_address(page, edition):
    page.goto(edition.url("en/embed/progress/"))
    code = page.locator("code.embed-snippet").inner_text()
    assert f'src="{edition.url("en/embed/progress/")}"' in code
