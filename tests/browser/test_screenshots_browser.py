"""Screenshots of every page, both languages, desktop (1280×900) and phone (390×844) widths.

Written to screenshots/ (git-ignored) only when SCREENSHOTS=1 (`make screenshots`): they are for
people to look at, so a normal test run does not spend time on them. The phone layout check that
matters for CI is test_phone_layout_has_nothing_clipped_sideways in test_pages_browser.py.
"""
from __future__ import annotations

import os

import pytest

from tests.browser.conftest import DESKTOP, LANGS, PAGES, PHONE, PHONE_AGENT, SCREENSHOT_DIR, new_tab

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="screenshots are written only with SCREENSHOTS=1 (make screenshots)")]

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
MAX_HEIGHT = 12_000  # px; a longer page is cut here (the file would be unwieldy to look at)


def full_page_png(page, path) -> None:
    """Streamlit scrolls inside stMain, not the document: grow the viewport to the content, then shoot."""
    page.wait_for_timeout(800)  # charts and the map animate in after the script finishes
    height = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : document.body.scrollHeight; }")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), MAX_HEIGHT)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(browser, app_server, name, lang, viewport):
    phone = viewport == "phone"
    tab = new_tab(browser, app_server, viewport=VIEWPORTS[viewport],
                  **({"is_mobile": True, "has_touch": True, "device_scale_factor": 1, "user_agent": PHONE_AGENT} if phone else {}))
    try:
        tab.open(name, lang)
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        full_page_png(tab.page, SCREENSHOT_DIR / f"{name}-{lang}-{viewport}.png")
        tab.assert_clean()
    finally:
        tab.page.context.close()
