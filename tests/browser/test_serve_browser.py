"""The app as `make serve` runs it: nginx in front of two replicas (deploy/stack.py), started once
for this module on free ports. Pages load through nginx, the websocket works, a session stays on
its replica through widget changes and an upload, Streamlit's bundles arrive gzip-encoded with
year-long cache headers, unknown paths get the 404 page that links home, and hostile links show
notices, never tracebacks or running script."""
from __future__ import annotations

import http.client
import re
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deploy.stack import NGINX, Stack, free_port
from tests.browser.conftest import PAGES, Server, new_tab, wait_ready, wait_rerun
from ui.i18n import t

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMainBlockContainer"]'
TITLES = {"progress": "progress.title", "map": "map.title", "phases": "phases.title", "safeguards": "safeguards.title",
          "data": "nav.data"}


@pytest.fixture(scope="module")
def stack(browser):  # after `browser`, so a missing Chromium skips before anything starts
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is missing: apt-get install nginx (make test does, as root)")
    s = Stack(port=free_port(), replicas=2, listen="127.0.0.1")
    s.start()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def front(stack) -> Server:
    """nginx's address in the shape the browser helpers take (never stopped through this object)."""
    return Server(stack.nginx, stack.port, stack.run_dir / "error.log")


@pytest.fixture
def tab(browser, front):
    t_ = new_tab(browser, front)
    yield t_
    t_.page.context.close()


def _get(url: str, headers: dict | None = None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _log_by_route(stack: Stack) -> dict[str, list[tuple[str, str]]]:
    """route id -> [(request, replica address)] from nginx's access log (requests nginx answered
    from disk have no replica)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for line in stack.access_log.read_text(encoding="utf-8").splitlines():
        m = re.search(r'"(\S+ \S+)" \d+ .* up=(\S+) route=([0-9a-f]+)', line)
        if m and m.group(2) != "-":
            out.setdefault(m.group(3), []).append((m.group(1), m.group(2)))
    return out


def _wait_for_log(stack: Stack, route: str, needle: str, timeout: float = 15) -> list[tuple[str, str]]:
    """The route's logged requests once one of them contains needle (nginx writes a websocket's
    line when the connection has closed, a moment after the browser let go of it)."""
    deadline = time.monotonic() + timeout
    while True:
        requests = _log_by_route(stack).get(route, [])
        if any(needle in r for r, _ in requests) or time.monotonic() > deadline:
            assert any(needle in r for r, _ in requests), (needle, requests)
            return requests
        time.sleep(0.1)  # polling a file another process writes, as wait_for_selector polls the page


def test_every_page_loads_through_nginx_over_its_websocket(tab, front):
    for name in PAGES:
        tab.open(name)
        expect(tab.page.locator(f"{MAIN} h1").first).to_contain_text(t(TITLES[name], "en"))
    tab.assert_clean()


def test_a_session_stays_on_its_replica_through_widget_changes_and_an_upload(tab, stack):
    tab.open("map")
    route = next(c["value"] for c in tab.page.context.cookies() if c["name"] == "hkcctv_route")
    # The shading choice, not the street-map toggle: that one is only drawn where the tile host
    # answers, and CI has no internet.
    choice = tab.page.locator(f'{MAIN} [data-testid="stRadio"] label', has_text=t("map.metric.per100k", "en")).first
    wait_rerun(tab.page, choice.click)
    tab.page.wait_for_url(re.compile(r"[?&]m_metric=per100k"))
    # An upload goes to /_stcore/upload_file/<session>: only the session's own replica accepts it.
    uploader = tab.page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    wait_rerun(tab.page, lambda: uploader.set_input_files(files=[{
        "name": "sightings.csv", "mimeType": "text/csv", "buffer": b"latitude,longitude,description\n22.28,114.15,Shop camera\n"}]))
    try:
        expect(tab.page.locator(MAIN)).to_contain_text(t("map.upload_ok", "en", n=1, name="sightings.csv"), timeout=15_000)
    except AssertionError as exc:  # say which replica answered what (a 400 upload = another replica)
        raise AssertionError(f"{exc}\nrequests of this browser: {_log_by_route(stack).get(route, [])}") from None
    tab.switch("data")
    tab.assert_clean()
    tab.page.context.close()  # the websocket's line is logged when it closes
    requests = _wait_for_log(stack, route, "/_stcore/stream")
    assert any("/_stcore/upload_file/" in r for r, _ in requests), requests
    assert len({up for _, up in requests}) == 1, requests


def test_new_readers_are_spread_over_both_replicas(front, stack):
    seen = Counter(_get(front.url + "/")[1].get("X-Replica") for _ in range(20))
    assert set(seen) == {r.name for r in stack.members}, seen


def test_streamlits_bundles_arrive_gzip_encoded_and_cached_for_a_year(browser, front):
    tab = new_tab(browser, front)
    bundles = []
    tab.page.on("response", lambda r: bundles.append(r) if "/static/" in r.url and r.url.endswith((".js", ".css")) else None)
    try:
        tab.open("progress")
        assert bundles, "no JavaScript or CSS was fetched"
        for r in bundles:
            headers = r.all_headers()
            assert headers.get("content-encoding") == "gzip", (r.url, headers)
            assert "max-age=31536000" in headers.get("cache-control", "") and "immutable" in headers["cache-control"]
        tab.assert_clean()
    finally:
        tab.page.context.close()


@pytest.mark.parametrize("path", ["/map/extra", "/nope", "/wp-login.php", "/static/js/no-such-bundle.js", "/data/x/_stcore/health"])
def test_an_unknown_path_is_a_404_with_the_page_that_links_home(front, path):
    status, headers, body = _get(front.url + path)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert t("serve.not_found.heading", "en") in page and t("serve.not_found.heading", "zh-Hant") in page
    assert '<a href="/">' in page


def test_the_404_pages_home_link_opens_the_app(tab, front):
    response = tab.page.goto(front.url + "/map/extra")
    assert response.status == 404
    expect(tab.page.locator("h1").first).to_have_text(t("serve.not_found.heading", "en"))
    assert [e for e in tab.watcher.console_errors if "404" not in e or "/map/extra" not in e] == []
    tab.watcher.console_errors.clear()  # the browser reports the 404 we asked for
    tab.page.get_by_role("link", name=t("serve.not_found.home", "en")).click()
    wait_ready(tab.page)
    assert tab.page.url.rstrip("/") == front.url
    expect(tab.page.locator(f"{MAIN} h1").first).to_contain_text(t("progress.title", "en"))
    tab.assert_clean()


def test_the_default_pages_own_name_leads_home_keeping_the_link(tab, front):
    tab.page.goto(front.url + "/progress?lang=zh-Hant")
    wait_ready(tab.page)
    assert tab.page.url == front.url + "/?lang=zh-Hant"
    expect(tab.page.locator(f"{MAIN} h1").first).to_contain_text(t("progress.title", "zh-Hant"))
    tab.assert_clean()


@pytest.mark.parametrize("page, query, named", [
    ("phases", {"s_rate": "1e308", "s_start": "1900-01-01", "lang": "<script>alert(1)</script>"}, ["s_rate=", "s_start=", "lang="]),
    ("map", {"m_from": "1999-12-31", "m_to": "2099-01-01", "m_dist": '<img src=x onerror="alert(1)">'}, ["m_from=", "m_to=", "m_dist="]),
    ("data", {"d_ds": "javascript:alert(1)", "d_from": "2099-13-45", "d_v_zzz": "\u202e1"}, ["d_ds=", "d_from=", "d_v_zzz="]),
])
def test_hostile_links_show_notices_not_tracebacks(tab, page, query, named):
    tab.open(page, query=query)
    notices = tab.page.locator(f'{MAIN} [data-testid="stAlert"]').all_inner_texts()
    for text in named:
        assert any(text in n for n in notices), (text, notices)
    assert tab.page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    tab.assert_clean()  # no exception element, no JS error, no dialog opened


def test_a_link_longer_than_nginx_takes_gets_a_page_that_says_so(front):
    status, _, body = _get(front.url + "/map?m_dist=" + "x" * 200_000)
    assert status == 414
    assert t("serve.too_long.heading", "en") in body.decode("utf-8")


def test_server_statistics_are_not_served_to_other_machines(front):
    # Another machine, as nginx sees it: a connection from another address.
    conn = http.client.HTTPConnection("127.0.0.1", front.port, timeout=10, source_address=("127.0.0.2", 0))
    try:
        conn.request("GET", "/_stcore/metrics")
        assert conn.getresponse().status == 403
    finally:
        conn.close()
    assert _get(front.url + "/_stcore/metrics")[0] == 200  # from the machine itself
