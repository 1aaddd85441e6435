"""Twenty readers at once: every session finishes loading its page, with no error anywhere."""
from __future__ import annotations

import time

import pytest

from tests.browser.conftest import PAGES, new_tab, wait_ready

pytestmark = pytest.mark.browser

SESSIONS = 20


def test_twenty_concurrent_sessions_all_load_without_error(browser, app_server):
    tabs = [new_tab(browser, app_server) for _ in range(SESSIONS)]
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
        for tab in tabs:
            tab.page.context.close()
