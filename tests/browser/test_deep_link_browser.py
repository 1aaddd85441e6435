"""A shared link opened as the very first visit after the server starts shows the full app.

Journalists paste links like /map?lang=zh-Hant. Streamlit decides how to serve a deep link from
what it has seen: before app.py has run once, a `pages/` directory next to it makes Streamlit run
the page file on its own (no st.navigation frame: no language picker, no footer, the legacy page
list in the sidebar). Streamlit logs "st.navigation was called in an app with a pages/ directory"
for the same reason. This needs its own server, because the shared one is warmed up from "/".
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import new_tab, start_server
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
