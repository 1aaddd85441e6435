"""Filters live in the URL: changing one changes the address, and opening that address again
(in a new session, as someone the link was sent to would) restores the same view."""
from __future__ import annotations

import re

import pytest

from loaders.datasets import load_all
from tests.browser.conftest import wait_ready, wait_rerun
from ui import fmt
from ui.i18n import t

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -r requirements-dev.txt").expect

MAIN = '[data-testid="stMainBlockContainer"]'


def widget(page, testid: str, label: str):
    """The widget of a kind (stSelectbox, stTextInput, ...) whose label is exactly `label`."""
    return page.locator(f'{MAIN} [data-testid="{testid}"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))).first


def reopen(tab, browser_new_tab):
    """The current URL in a brand-new session."""
    url = tab.page.url
    fresh = browser_new_tab()
    fresh.page.goto(url)
    wait_ready(fresh.page)
    return fresh


def assert_same_view(tab, fresh) -> None:
    """The reopened link shows exactly what the original session showed."""
    import difflib

    before = tab.page.locator(MAIN).inner_text()
    for _ in range(20):  # the reopened page may still be drawing its last elements
        after = fresh.page.locator(MAIN).inner_text()
        if after == before:
            return
        fresh.page.wait_for_timeout(300)
    diff = "\n".join(list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1))[:30])
    assert before == after, f"the reopened link shows a different view:\n{diff}"


@pytest.fixture
def new_session(browser, app_server):
    from tests.browser.conftest import new_tab

    made = []

    def make():
        made.append(new_tab(browser, app_server))
        return made[-1]

    yield make
    for tb in made:
        tb.page.context.close()


def test_map_district_filter_is_in_url_and_restored(tab, new_session):
    from ui.charts.map_deck import district_name

    bundle = load_all()
    code = bundle["cameras"]["district_code"].value_counts().index[0]  # the district with most known cameras
    name = district_name(code, "en", bundle["districts"])
    tab.open("map")
    box = widget(tab.page, "stSelectbox", t("map.f_district", "en"))
    # The district box sits above the filters expander. Waiting, not opening the expander when the
    # box is late: an opened expander made the reopened view differ.
    expect(box).to_be_visible(timeout=30_000)
    box.click()
    wait_rerun(tab.page, lambda: tab.page.locator('[role="option"]', has_text=re.compile(rf"^{re.escape(name)}$")).first.click())
    tab.page.wait_for_url(re.compile(r"[?&]m_dist="))
    fresh = reopen(tab, new_session)
    expect(widget(fresh.page, "stSelectbox", t("map.f_district", "en")).locator("input")).to_have_value(name)
    expected = int(bundle["cameras"]["district_code"].eq(code).sum())
    expect(fresh.page.locator(MAIN)).to_contain_text(t("map.panel_table", "en", n=fmt.number(expected, "en")))
    assert_same_view(tab, fresh)
    fresh.assert_clean()
    tab.assert_clean()


def test_data_search_is_in_url_and_restored(tab, new_session):
    from loaders import catalogue
    from metrics import explorer

    dataset = catalogue.DATASETS[0]
    frame = load_all()[dataset]
    word = "police"
    shown = len(explorer.text_search(frame, word))
    tab.open("data")
    field = widget(tab.page, "stTextInput", t("data.search", "en")).locator("input")
    field.fill(word)
    wait_rerun(tab.page, lambda: field.press("Enter"))
    tab.page.wait_for_url(re.compile(rf"[?&]d_q={word}(&|$)"))
    showing = t("data.showing", "en", shown=fmt.number(shown, "en"), total=fmt.number(len(frame), "en"))
    expect(tab.page.locator(MAIN)).to_contain_text(showing)
    fresh = reopen(tab, new_session)
    expect(widget(fresh.page, "stTextInput", t("data.search", "en")).locator("input")).to_have_value(word)
    expect(fresh.page.locator(MAIN)).to_contain_text(showing)
    assert_same_view(tab, fresh)
    fresh.assert_clean()
    tab.assert_clean()


def test_progress_chart_toggle_is_in_url_and_restored(tab, new_session):
    label = t("progress.chart.log", "en")
    tab.open("progress")
    toggle = tab.page.locator(f'{MAIN} [data-testid="stCheckbox"]', has_text=label).first
    # The shipped data has the chart; waiting, not skipping: a skip here hid a slow page under load.
    expect(toggle).to_be_attached(timeout=30_000)
    assert not toggle.locator("input").is_checked()
    wait_rerun(tab.page, lambda: toggle.locator("label").click())
    tab.page.wait_for_url(re.compile(r"[?&]p_log=true(&|$)"))
    fresh = reopen(tab, new_session)
    expect(fresh.page.locator(f'{MAIN} [data-testid="stCheckbox"]', has_text=label).first.locator("input")).to_be_checked()
    assert_same_view(tab, fresh)
    fresh.assert_clean()
    tab.assert_clean()


def test_phases_scenario_rate_is_in_url_and_restored(tab, new_session):
    label = t("phases.scenario.rate", "en")
    tab.open("phases")
    field = widget(tab.page, "stNumberInput", label).locator("input")
    expect(field).to_be_attached(timeout=30_000)
    field.fill("30000")
    wait_rerun(tab.page, lambda: field.press("Enter"))
    tab.page.wait_for_url(re.compile(r"[?&]s_rate=30000(&|$)"))
    fresh = reopen(tab, new_session)
    expect(widget(fresh.page, "stNumberInput", label).locator("input")).to_have_value(re.compile(r"^30,?000$"))
    assert_same_view(tab, fresh)
    fresh.assert_clean()
    tab.assert_clean()


def choose_language(page, label: str) -> None:
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first

    def pick():
        picker.click()
        page.locator('[role="option"]', has_text=label).first.click()

    wait_rerun(page, pick)


def map_district(page) -> str:
    return page.locator(f'{MAIN} [data-testid="stSelectbox"] input').first.input_value()


def test_map_view_survives_the_sidebar_and_back_returns_to_the_page_before(tab):
    """Map (district, filters, layers) -> Phases -> Map through the sidebar: the same view, and its
    link again; browser Back from there lands on Phases, not on a half-written map link."""
    page = tab.page
    view = {"m_dist": "E", "m_ops": "police", "m_metric": "per100k"}
    tab.open("map", query=view)
    count = page.locator(f"{MAIN} [data-testid='stCaptionContainer']", has_text="Showing").first.inner_text()
    tab.switch("phases")
    tab.switch("map")
    for key, value in view.items():
        assert re.search(rf"[?&]{key}={value}(&|$)", page.url), f"{key} lost from {page.url}"
    assert map_district(page) == "Yau Tsim Mong"
    expect(page.locator(f'{MAIN} input[type="radio"]:checked')).to_have_count(1)
    expect(page.locator(f"{MAIN} [data-testid='stCaptionContainer']", has_text="Showing").first).to_have_text(count)
    expect(page.locator(MAIN)).to_contain_text(t("map.panel_table", "en", n=count.split()[1]))  # the district's own table
    wait_rerun(page, page.go_back)
    try:
        page.wait_for_url(re.compile(r"/phases(\?|$)"), timeout=10_000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError
        # Streamlit 1.67's frontend pushes the new page's path and the query the page writes as two
        # history entries; usually the query lands on the old path first (Back then reaches Phases),
        # but on a loaded machine the order can flip and Back first reaches the bare /map entry.
        if re.search(r"/map$", page.url):
            pytest.xfail(f"Back reached the intermediate {page.url} entry (Streamlit history race)")
        raise
    expect(page.locator(f"{MAIN} h1").first).to_have_text(t("phases.title", "en"))
    tab.assert_clean()


def test_language_switch_relabels_the_map_and_back_returns_to_english(tab):
    """After a switch to Chinese the district box and the shading choice read in Chinese (no
    stale English label, no empty radio); Back returns to the English view with the same filters."""
    page = tab.page
    tab.open("map", query={"m_dist": "E", "m_metric": "per100k"})
    choose_language(page, t("lang.zh-Hant", "en"))
    page.wait_for_url(re.compile(r"[?&]lang=zh-Hant"))
    assert map_district(page) == "油尖旺區"
    checked = page.locator(f'{MAIN} [data-testid="stRadio"] label:has(input:checked)')
    expect(checked).to_have_count(1)
    expect(checked).to_contain_text(t("map.metric.per100k", "zh-Hant"))
    wait_rerun(page, page.go_back)
    page.wait_for_url(re.compile(r"m_dist=E"))
    expect(page.locator(f"{MAIN} h1").first).to_have_text(t("map.title", "en"))
    assert "lang=zh-Hant" not in page.url and map_district(page) == "Yau Tsim Mong"
    expect(page.locator(f'{MAIN} [data-testid="stRadio"] label:has(input:checked)')).to_contain_text(t("map.metric.per100k", "en"))
    tab.assert_clean()
