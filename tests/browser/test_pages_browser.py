"""Every page in a real browser: loads clean, draws its charts and map, switches language, and
survives a phone-width screen without anything cut off sideways.

What a page is expected to draw is read from its source (a page that calls st.plotly_chart must
show a drawn plotly chart), so the suite follows the pages as they grow.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LANGS, PAGE_FILES, PAGES, wait_canvas_drawn, wait_ready, wait_rerun
from ui.i18n import t

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements-dev.txt").expect

SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMainBlockContainer"]'
PLOTLY = '[data-testid="stPlotlyChart"]'
DECK = '[data-testid="stDeckGlJsonChart"]'


def page_calls(name: str, call: str) -> bool:
    """Whether the page's file calls st.<call> (directly or as a method on a container)."""
    path = PAGE_FILES.get(name)
    return path is not None and re.search(rf"\.{call}\(", path.read_text(encoding="utf-8")) is not None


# Every page in both languages loading clean inside the app frame is checked together with its
# accessibility (tests/browser/test_accessibility_browser.py): one load per page and language.


# Pages draw plotly charts through ui.widgets.chart (st.plotly_chart lives there since the pages
# became thin views); a page file that calls either is a page with charts.
CHART_PAGES = [p for p in PAGES if page_calls(p, "plotly_chart") or page_calls(p, "chart")]


def test_the_chart_pages_are_found():
    assert {"progress", "phases", "safeguards"} <= set(CHART_PAGES), CHART_PAGES


@pytest.mark.parametrize("name", CHART_PAGES)
def test_plotly_charts_are_drawn(tab, name):
    tab.open(name)
    charts = tab.page.locator(PLOTLY)
    charts.first.wait_for(state="attached", timeout=15_000)
    for i in range(charts.count()):
        chart = charts.nth(i)
        if not chart.is_visible():  # a chart in a closed tab or expander is drawn when opened
            continue
        chart.scroll_into_view_if_needed()
        # Each plotted series is a g.trace in plotly's SVG (WebGL traces draw into .gl-container).
        chart.locator("g.trace, .gl-container canvas").first.wait_for(state="attached", timeout=15_000)
    tab.assert_clean()


def test_map_canvas_has_drawn(tab):
    if not page_calls("map", "pydeck_chart"):
        pytest.skip("the map page does not draw a pydeck map yet")
    tab.open("map")
    fraction = wait_canvas_drawn(tab.page, f"{DECK} canvas")
    assert fraction > 0.005, f"map canvas is blank ({fraction:.4%} of pixels drawn)"
    tab.assert_clean()


def choose_in_selectbox(page, box, option_text: str) -> None:
    box.click()
    page.locator('[role="option"]', has_text=option_text).first.click()


def sidebar_language_label(page) -> str:
    return page.locator(f'{SIDEBAR} [data-testid="stSelectbox"] [data-testid="stWidgetLabel"]').first.inner_text().strip()


def assert_all_chinese(page, where: str) -> None:
    """Sidebar (app frame), page body and footer all in Traditional Chinese."""
    assert sidebar_language_label(page) == t("sidebar.language", "zh-Hant"), f"{where}: sidebar is not in Chinese"
    assert t("nav.map", "zh-Hant") in page.locator('[data-testid="stSidebarNav"]').inner_text(), f"{where}: navigation is not in Chinese"
    assert t("footer.about", "zh-Hant") in page.locator(MAIN).inner_text(), f"{where}: footer is not in Chinese"


def test_language_switch_changes_text_and_url_and_survives_reload(tab):
    tab.open("progress")
    picker = tab.page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').first
    wait_rerun(tab.page, lambda: choose_in_selectbox(tab.page, picker, t("lang.zh-Hant", "en")))
    tab.page.wait_for_url(re.compile(r"[?&]lang="))
    assert_all_chinese(tab.page, "after switching")
    # The address is shareable: reloading it (or sending it) gives the same, all-Chinese page.
    shared = tab.page.url
    tab.page.reload()
    wait_ready(tab.page)
    assert_all_chinese(tab.page, f"after reloading {shared}")
    # And the language follows the reader to another page.
    tab.switch("map")
    assert_all_chinese(tab.page, "after moving to the map")
    tab.assert_clean()


def test_documented_language_link_keeps_chinese_in_address_and_across_pages(tab):
    """Links of the form ?lang=zh-Hant must keep the reader in Chinese: in the address bar once the
    page has loaded (or a reader who copies it shares an English link) and on the next page."""
    tab.open("map", "zh-Hant")
    assert_all_chinese(tab.page, "opened with ?lang=zh-Hant")
    tab.switch("data")
    assert_all_chinese(tab.page, "after moving from the map to the data page")
    assert "lang=" in tab.page.url, f"the language was dropped from the address: now {tab.page.url}"


# Phone width: nothing may stick out past the right edge of the screen. Elements inside a
# container that scrolls sideways on its own (tables, wide code) are fine: the reader can scroll.
_OVERFLOW_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const scrolls = (el) => { const s = getComputedStyle(el).overflowX; return s === 'auto' || s === 'scroll'; };
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 1) continue;
    let p = el.parentElement, inScroller = false;
    while (p && p !== main) { if (scrolls(p)) { inScroller = true; break; } p = p.parentElement; }
    if (inScroller || getComputedStyle(el).visibility === 'hidden') continue;
    const id = el.closest('[data-testid]');
    out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}`
             + ` in ${id ? id.dataset.testid : '?'} right=${Math.round(r.right)} "${(el.innerText || '').slice(0, 40)}"`);
  }
  return {vw, docWidth: document.documentElement.scrollWidth, offenders: out.slice(0, 15)};
}
"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_phone_layout_has_nothing_clipped_sideways(phone_tab, name, lang):
    phone_tab.open(name, lang)
    phone_tab.page.wait_for_timeout(500)  # charts resize to the column after the first paint
    result = phone_tab.page.evaluate(_OVERFLOW_JS)
    assert result["docWidth"] <= result["vw"] + 1, f"/{name} scrolls sideways on a phone: {result}"
    assert not result["offenders"], f"/{name} ({lang}) at 390 px wide has content past the right edge:\n" + "\n".join(result["offenders"])
    phone_tab.assert_clean()


def test_language_attribute_follows_a_switch_back_to_english(tab):
    tab.open("progress", "zh-Hant")
    picker = tab.page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').first
    wait_rerun(tab.page, lambda: choose_in_selectbox(tab.page, picker, t("lang.en", "zh-Hant")))
    expect(tab.page.locator("html")).to_have_attribute("lang", "en")
    expect(tab.page).to_have_title(f"{t('nav.progress', 'en')} · {t('app.title', 'en')}")


def test_every_request_stays_on_the_app(tab):
    """The favicon and every icon come from the app; nothing is fetched from a CDN (the reader may
    be offline, and a failed fetch shows in their browser's console)."""
    seen: list[str] = []
    tab.page.on("request", lambda r: seen.append(r.url))
    tab.open("progress", "zh-Hant")
    for name in PAGES[1:]:
        tab.switch(name)
    own = tab.server.url
    assert [u for u in seen if not u.startswith(own) and not u.startswith(("data:", "blob:"))] == []
    icon = tab.page.locator('link[rel~="icon"]').first.get_attribute("href")
    assert icon and (icon.startswith("/") or icon.startswith(own) or icon.startswith("data:")), icon
    tab.assert_clean()


def test_phone_sidebar_closes_after_picking_a_page(phone_tab):
    page = phone_tab.page
    phone_tab.open("progress")
    page.locator('[data-testid="stExpandSidebarButton"]').first.click()
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_be_in_viewport()
    link = nav.locator('a[href$="/map"]').first
    wait_rerun(page, link.click)
    page.wait_for_url(re.compile(r"/map(\?|$)"))
    expect(nav).not_to_be_in_viewport()
