"""A shared link opened as the very first visit after the server starts shows the full app.

Journalists paste links like /map?lang=zh-Hant. With plain `streamlit run app.py`, a `pages/`
directory next to app.py makes a fresh server run the page file on its own until app.py has run
once (no st.navigation frame: no language picker, no footer, the legacy page list); ui/serve.py
(`make run`) declares navigation mode up front. This needs its own server, because the shared
one is warmed up from "/".
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import DEFAULT_PAGE, new_tab, start_server, wait_ready
from ui.i18n import t

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cold_server(browser):
    server = start_server()
    yield server
    server.stop()


def test_deep_link_on_fresh_server_runs_inside_app_frame(browser, cold_server):
    tab = new_tab(browser, cold_server)
    try:
        tab.open("map", "zh-Hant")
        tab.assert_clean()
        nav = tab.page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert t("nav.map", "zh-Hant") in nav, (
            f"first visit to /map ran the page without app.py's navigation (sidebar shows {nav!r}); "
            "start the app with `python -m ui.serve` (make run), which declares navigation mode up front")
        assert tab.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() >= 1
        assert t("footer.about", "zh-Hant") in tab.page.locator('[data-testid="stMainBlockContainer"]').inner_text()
    finally:
        tab.page.context.close()


# Known problem, reported to the lead: the default page (default=True in app.py) lives at "/", so
# a link to /progress opens a "Page not found" dialog before falling back to the main page.
# strict: when it is fixed this XPASSes and fails, and the marker goes.
@pytest.mark.xfail(strict=True, reason="the default page is served at / only; /progress shows 'Page not found'")
def test_default_pages_own_path_opens_without_page_not_found(browser, cold_server):
    tab = new_tab(browser, cold_server)
    try:
        tab.page.goto(f"{cold_server.url}/{DEFAULT_PAGE}")
        wait_ready(tab.page)
        assert tab.page.locator('[role="dialog"]').count() == 0, "a 'Page not found' dialog opened"
        tab.assert_clean()
    finally:
        tab.page.context.close()
