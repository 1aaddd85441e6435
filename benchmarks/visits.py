"""Server CPU per first visit of each page (a fresh browser session), beside a one-line Streamlit app.

The server's own CPU time is read from /proc before and after each visit, so the browser's work
(the same for any Streamlit app) is not counted. The one-line app (`st.write`) runs in the same
way in the same run: the ratio tells what this app adds to Streamlit's own cost of a visit.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

ONE_LINE_APP = 'import streamlit as st\nst.write("Hello")\n'
VISITS = 3  # fresh sessions per page; the median is reported
TARGET_CPU_S = 0.4  # issue 12: server CPU per first visit of each page


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _visit_cpu(browser, server, url: str) -> float:
    """Server CPU spent on one fresh session opening url, until the page has finished running."""
    from tests.browser.conftest import new_tab, wait_ready

    tab = new_tab(browser, server)
    try:
        before = cpu_seconds(server.proc.pid)
        tab.page.goto(url)
        wait_ready(tab.page, timeout=120_000)
        time.sleep(0.5)  # let the server finish sending the run's last messages
        return cpu_seconds(server.proc.pid) - before
    finally:
        tab.page.context.close()


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def page_visits(browser, server, pages: tuple[str, ...]) -> dict:
    """{page: median server CPU seconds per first visit}; one warm-up visit first (caches filled)."""
    _visit_cpu(browser, server, server.url + "/")
    return {name: _median([_visit_cpu(browser, server, server.page_url(name)) for _ in range(VISITS)]) for name in pages}


def serve_script(script: Path, env: dict | None = None):
    """A one-file app under plain `streamlit run` on a free port (a baseline, not the app), once healthy."""
    import urllib.request

    from tests.browser.conftest import Server, _streamlit_bin, free_port

    port = free_port()
    log = script.with_suffix(".log")
    with log.open("wb") as fh:
        proc = subprocess.Popen([_streamlit_bin(), "run", str(script), "--server.headless", "true", "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                                 "--server.fileWatcherType", "none"], cwd=script.parent, env=env, stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(proc, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return server


def one_line_app(browser) -> float:
    """The same measure for `st.write("Hello")`, served by plain `streamlit run` on a free port."""
    script = Path(tempfile.mkdtemp(prefix="one-line-app-")) / "one_line_app.py"
    script.write_text(ONE_LINE_APP, encoding="utf-8")
    server = serve_script(script)
    try:
        _visit_cpu(browser, server, server.url + "/")
        return _median([_visit_cpu(browser, server, server.url + "/") for _ in range(VISITS)])
    finally:
        server.stop()
