"""Script injection never executes: not from data files, not from an uploaded file.

A copy of data/ gets a payload appended to every free-text field the pages show (quotes, titles,
names, summaries, camera descriptions); a second server runs on that copy. A file with the same
payload (and a payload as its file name) is uploaded on the map. Every page is opened in both
languages with its popovers opened (expander content is in the page while closed), and the map
tooltip is shown. Any alert/confirm
dialog, JS error, `window.__pwned` marker or live markup from the payload fails the test.
"""
from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
import yaml

from tests.browser.conftest import LANGS, PAGES, ROOT, new_tab, start_server, wait_rerun
from ui.i18n import t

pytestmark = pytest.mark.browser

PAYLOAD = ('<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2;alert(2)</script>'
           '<svg onload="window.__pwned=3"></svg>[click](javascript:window.__pwned=4) <b>bold</b> {{7*7}}')
POPOVERS_PER_PAGE = 4  # each is a click and a redraw; the first few cover every kind on a page
MARKER = "window.__pwned"  # visible as text wherever the payload is shown escaped
# Free-text fields per file (schema kinds str/text only: ids, dates, urls and enums must stay valid).
POISON_YAML = {
    "sources.yaml": ("title", "publisher", "note"),
    "figures.yaml": ("quote", "note"),
    "phases.yaml": ("name_en", "name_zh", "promise_en", "promise_zh", "places_en", "places_zh", "promised_by"),
    "capabilities.yaml": ("name_en", "name_zh", "note", "events.summary_en", "events.summary_zh", "events.quote"),
    "safeguards.yaml": ("name_en", "name_zh", "expectation_en", "expectation_zh", "entries.summary_en",
                        "entries.summary_zh", "entries.quote"),
    "open_questions.yaml": ("question_en", "question_zh", "summary_en", "summary_zh", "asked_by"),
    "cities.yaml": ("city_en", "city_zh", "quote", "note"),
    "smartview_sites.yaml": ("name_en", "name_zh", "quote", "note"),
}
POISON_CSV = {"cameras_td.csv": ("description_en", "description_zh")}

# After the page is drawn: did anything from the payload come alive?
_PROBE_JS = """
() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  handlers: document.querySelectorAll('[data-testid="stApp"] [onerror], [data-testid="stApp"] [onload]').length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
  // The payload's own scripts (the app runs one script of its own in the sidebar: ui/layout.PAGE_SCRIPT).
  scripts: [...document.querySelectorAll('[data-testid="stMain"] script, [data-testid="stSidebar"] script')]
    .filter(s => s.textContent.includes('__pwned')).length,
  imgX: document.querySelectorAll('img[src="x"]').length,
  text: document.querySelector('[data-testid="stMain"]').textContent,  // closed expanders too
})
"""


def _poison(value):
    return f"{value} {PAYLOAD}" if isinstance(value, str) and value.strip() else value


def poisoned_copy(dest):
    shutil.copytree(ROOT / "data", dest)
    for name, fields in POISON_YAML.items():
        path = dest / name
        if not path.exists():
            continue
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for rec in records:
            for f in fields:
                parent, _, child = f.rpartition(".")
                for target in (rec.get(parent) or [] if parent else [rec]):
                    if child in target:
                        target[child] = _poison(target[child])
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name, fields in POISON_CSV.items():
        path = dest / name
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for row in rows:
            for f in fields:
                row[f] = _poison(row.get(f) or "x")
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def poisoned_server(browser, tmp_path_factory):
    server = start_server(poisoned_copy(tmp_path_factory.mktemp("poisoned") / "data"))
    try:
        yield server
    finally:
        server.stop()


def open_popovers(page) -> None:
    """Open the visible popovers: unlike expanders (whose content is in the page while closed),
    a popover's content is only built when it opens."""
    opened = 0
    for button in page.locator('[data-testid="stMain"] [data-testid="stPopoverButton"]').all():
        if opened == POPOVERS_PER_PAGE:
            break
        if button.is_visible():
            button.click()
            page.wait_for_timeout(150)
            page.keyboard.press("Escape")
            opened += 1
    page.wait_for_timeout(200)


def assert_inert(tab, where: str) -> dict:
    probe = tab.page.evaluate(_PROBE_JS)
    live = {k: v for k, v in probe.items() if k != "text" and v}
    assert not live, f"{where}: payload came alive: {live}"
    tab.assert_clean()  # includes "dialog opened" and JS errors
    return probe


def check_briefing(tab, button, where: str) -> None:
    """The downloaded briefing shows the payload as text, and opening it runs nothing."""
    with tab.page.expect_download() as info:
        button.locator("button:visible").first.click()
    html = info.value.path().read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>window" not in html and "<svg onload" not in html, f"{where}: live markup"
    assert "&lt;img src=x" in html, f"{where}: the payload did not reach the briefing, so this proves nothing"
    viewer = tab.page.context.new_page()
    viewer.on("dialog", lambda d: (tab.watcher.dialogs.append(f"{where}: {d.message}"), d.dismiss()))
    viewer.set_content(html)
    viewer.wait_for_timeout(300)
    assert viewer.evaluate("() => window.__pwned === undefined"), f"{where}: payload ran when the briefing was opened"
    viewer.close()
    tab.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_payload_in_data_files_never_executes(browser, poisoned_server, lang):
    shown_on = []
    tab = new_tab(browser, poisoned_server)
    try:
        for i, name in enumerate(PAGES):
            tab.open(name, lang) if i == 0 else tab.switch(name)  # one session, as a reader moves around
            open_popovers(tab.page)
            probe = assert_inert(tab, f"/{name} ({lang})")
            if MARKER in probe["text"]:
                shown_on.append(name)
            briefing = tab.page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"]', has_text=t("briefing.download", lang))
            if briefing.count():
                check_briefing(tab, briefing.first, f"/{name} briefing ({lang})")
    finally:
        tab.page.context.close()
    # The probe must actually have reached the screen, or the test proves nothing.
    assert shown_on, "the payload text was not visible on any page"


def test_payload_in_uploaded_file_never_executes(tab):
    from loaders.datasets import load_all
    from ui.charts.map_deck import view_state

    centre = view_state(load_all().geo, None)
    rows = "".join(f'{centre["latitude"]:.5f},{centre["longitude"]:.5f},"{PAYLOAD.replace(chr(34), chr(34) * 2)} {i}"\n' for i in range(30))
    tab.open("map")
    uploader = tab.page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    wait_rerun(tab.page, lambda: uploader.set_input_files(files=[{
        "name": '<img src=x onerror="window.__pwned=9">.csv', "mimeType": "text/csv",
        "buffer": ("latitude,longitude,description\n" + rows).encode("utf-8")}]))
    tab.page.wait_for_timeout(500)
    # The success message names the file as plain text (Chromium sends its quotes as %22).
    before, after = t("map.upload_ok", "en", n=30, name="\0").split("\0")
    text = tab.page.locator('[data-testid="stMain"]').inner_text()
    assert re.search(re.escape(before) + r"<img src=x onerror=\S*\.csv" + re.escape(after), text), "upload message missing"
    assert_inert(tab, "map after upload")
    # Hover the uploaded points (at the view's centre) so the tooltip renders their text.
    canvas = tab.page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    box = canvas.bounding_box()
    tip_html = ""
    for dx, dy in ((0, 0), (2, 0), (0, 2), (-2, 0), (0, -2)):
        tab.page.mouse.move(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
        tab.page.wait_for_timeout(400)
        tip = tab.page.locator(".deck-tooltip")
        if tip.count() and tip.first.is_visible():
            tip_html = tip.first.inner_html()
            break
    assert tip_html, "no tooltip appeared over the uploaded points"
    assert "<img" not in tip_html and "<script" not in tip_html and "<svg" not in tip_html, tip_html[:300]
    assert_inert(tab, "map tooltip")
