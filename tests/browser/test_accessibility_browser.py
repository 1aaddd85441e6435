"""axe-core (WCAG 2.0/2.1 A and AA) on every page in both languages, as a reader first opens it.

Violations in Streamlit's own markup that the app cannot change are listed in
docs/accessibility.md with their upstream issues and excluded here by rule and selector, so a
new violation anywhere else fails. Checked on the page as it opens (axe checks what is visible).
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import LANGS, PAGES
from ui.i18n import t

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements-dev.txt").expect

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (rule id, CSS selector of Streamlit's own element) -> see docs/accessibility.md.
STREAMLIT_OWN: tuple[tuple[str, str], ...] = ()


@pytest.fixture(scope="module")
def axe():
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed: pip install -r requirements-dev.txt")
    return axe_module.Axe()


def ours(violation: dict) -> list[dict]:
    """The nodes of a violation that are the app's own content (not a listed Streamlit element)."""
    return [n for n in violation["nodes"]
            if not any(violation["id"] == rule and any(sel in str(t) for t in n["target"]) for rule, sel in STREAMLIT_OWN)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_in_its_language(tab, axe, name, lang):
    """One page load, five checks: it loads inside the app frame with no exception or console
    error, no WCAG A/AA violation from the app's content, headings that never skip a level (no h1
    then h3), <html lang> in the page's language (WCAG 3.1.1), and the tab's title in that language."""
    tab.open(name, lang)
    page = tab.page
    tab.assert_clean()
    # The app frame is there (nav, language picker, footer), not a page run on its own.
    expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text(t(f"nav.{name}", lang))
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stWidgetLabel"]', has_text=t("sidebar.language", lang))).to_be_visible()
    expect(page.locator('[data-testid="stMainBlockContainer"]')).to_contain_text(t("footer.about", lang))
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    found = [(v["id"], n["target"], n.get("failureSummary", "")[:200]) for v in results.response["violations"] for n in ours(v)]
    assert found == [], f"/{name} ({lang}): " + "\n".join(f"{rule} at {target}: {why}" for rule, target, why in found)

    selector = ", ".join(f'[data-testid="stMain"] h{n}' for n in range(1, 7))
    levels = page.evaluate(f"""() => [...document.querySelectorAll('{selector}')]
        .filter(h => h.offsetParent !== null).map(h => +h.tagName[1])""")
    assert levels and levels[0] == 1
    assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == [], f"/{name} ({lang}) heading levels {levels}"

    assert page.locator("html").get_attribute("lang") == lang
    assert page.title() == f"{t(f'nav.{name}', lang)} · {t('app.title', lang)}"
    tab.assert_clean()
