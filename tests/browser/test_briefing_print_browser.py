"""The briefing as a committee member gets it: printed on A4 by Chromium, and opened on a phone."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LANGS, PHONE
from ui.briefing import build_briefing

pytestmark = pytest.mark.browser

MAX_PAGES = 4
GENERATED = "2026-12-06"


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote: one "/Type /Page" object each (the page tree is "/Pages")."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module")
def briefings(shipped):
    return {lang: build_briefing(shipped, lang, GENERATED) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_briefing_prints_on_at_most_four_a4_pages(browser, briefings, lang):
    page = browser.new_page()
    try:
        page.set_content(briefings[lang])
        pdf = page.pdf(format="A4")
    finally:
        page.close()
    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_pages(pdf) <= MAX_PAGES, f"the {lang} briefing prints on {pdf_pages(pdf)} A4 pages"


@pytest.mark.parametrize("lang", LANGS)
def test_briefing_tables_repeat_their_headers_and_keep_rows_whole_in_print(browser, briefings, lang):
    page = browser.new_page()
    try:
        page.set_content(briefings[lang])
        page.emulate_media(media="print")
        styles = page.evaluate("""() => [...document.querySelectorAll('table:not(.kv)')].map(t => ({
            head: t.tHead ? getComputedStyle(t.tHead).display : null,
            row: getComputedStyle(t.tBodies[0].rows[0]).breakInside}))""")
    finally:
        page.close()
    assert styles and all(s["head"] == "table-header-group" for s in styles), styles
    assert all(s["row"] == "avoid" for s in styles), styles


@pytest.mark.parametrize("lang", LANGS)
def test_briefing_reads_on_a_phone_without_scrolling_sideways(browser, briefings, lang):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        page.set_content(briefings[lang])
        width = page.evaluate("document.documentElement.scrollWidth")
        # Safeguard names never stand one character to a line: every row header is wider than a few characters.
        narrow = page.evaluate("""() => [...document.querySelectorAll('th[scope=row]')]
            .filter(th => th.getBoundingClientRect().width < 60).map(th => th.innerText.slice(0, 20))""")
    finally:
        context.close()
    assert width <= PHONE["width"], f"the {lang} briefing is {width} px wide on a {PHONE['width']} px phone"
    assert narrow == []
