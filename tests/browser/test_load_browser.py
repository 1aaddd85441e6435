"""Twenty readers at once: every session finishes loading its page, with no error anywhere."""
from __future__ import annotations

import time

import pytest

from tests.browser.conftest import DESKTOP, PAGES, Tab, Watcher, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # make test-slow; make bench measures load

SESSIONS = 20


def test_twenty_concurrent_sessions_all_load_without_error(browser, app_server):
    # Twenty tabs of one browser profile: each tab is its own Streamlit session (own websocket,
    # own script runs), and sharing the profile's cache keeps Chromium's own work small enough
    # for CI. benchmarks/run.py measures separate profiles, like separate readers.
    context = browser.new_context(viewport=DESKTOP)
    tabs = []
    for _ in range(SESSIONS):
        page = context.new_page()
        page.set_default_timeout(30_000)
        tabs.append(Tab(page, app_server, Watcher(app_server.url).attach(page)))
    try:
        before_kb = app_server.rss_kb()
        started = time.monotonic()
        # Navigate every tab first (without waiting), so the server serves them all at once.
        for i, tab in enumerate(tabs):
            tab.page.goto(app_server.page_url(PAGES[i % len(PAGES)]), wait_until="commit")
        problems = []
        for i, tab in enumerate(tabs):
            name = PAGES[i % len(PAGES)]
            wait_ready(tab.page, timeout=180_000)
            problems += [f"session {i} /{name}: {e[:300]}" for e in tab.exceptions() + tab.watcher.faults()]
        elapsed = time.monotonic() - started
        grown_mb = (app_server.rss_kb() - before_kb) / 1024
        print(f"{SESSIONS} sessions loaded in {elapsed:.1f} s; server RSS grew {grown_mb:.0f} MB "
              f"({grown_mb / SESSIONS:.1f} MB per session)")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
