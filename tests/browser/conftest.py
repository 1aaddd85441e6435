"""Browser-suite fixtures: one `streamlit run` server and one Chromium for the whole session.

The helpers here (start_server, launch_browser, wait_ready, Watcher) are plain functions so the
benchmarks (`python -m benchmarks`) drive the app exactly the way the tests do.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]  # repo root, wherever the clone lives
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # the Makefile installs it here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _pages_in_app() -> dict[str, Path]:
    """url_path -> page file, read from the st.Page(...) calls in app.py, in navigation order."""
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    found = re.findall(r'st\.Page\(\s*"([^"]+\.py)".*?url_path="([^"]+)"', text)  # one call per line
    return {url: ROOT / path for path, url in found}


def _default_page() -> str | None:
    """The page marked default=True: Streamlit serves it at "/" (its url_path alone is "not found")."""
    m = re.search(r'st\.Page\([^\n]*url_path="([^"]+)"[^\n]*default=True', (ROOT / "app.py").read_text(encoding="utf-8"))
    return m.group(1) if m else None


PAGE_FILES = _pages_in_app()
PAGES = tuple(PAGE_FILES) or ("progress", "map", "phases", "safeguards", "data")
DEFAULT_PAGE = _default_page() or PAGES[0]
LANGS = ("en", "zh-Hant")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# A phone says so in its User-Agent; the map fits its first view to a phone's column on that word
# (ui/layout.on_phone). Chromium's own agent reads as a desktop.
PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
               "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
SCREENSHOT_DIR = ROOT / "screenshots"  # git-ignored

# Console noise that is not a fault of the app. Each entry: (substring of the message, why).
# Everything else logged at error level, and every uncaught JS exception, fails the test. Nothing
# from another host is allowed any more: the favicon is served by the app, and the map asks for
# street tiles only when the server could reach the tile host (ui/basemap.py), so an offline
# machine sees no "Failed to fetch" from deck.gl.
CONSOLE_ALLOW: tuple[tuple[str, str], ...] = ()
# Also allowed (see Watcher.allowed): Streamlit's own base-path probes (404 on /<page>/_stcore/...).
# A failed request to our own server is never allowed.
_BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------
def free_port() -> int:
    """A port nobody is listening on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_url(self, page: str, lang: str | None = None, query: dict | None = None) -> str:
        params = dict(query or {}) | ({"lang": lang} if lang and lang != "en" else {})
        path = "" if page == DEFAULT_PAGE else page
        return f"{self.url}/{path}" + (f"?{urlencode(params)}" if params else "")

    def rss_kb(self) -> int:
        """Resident memory of the server process, from /proc (no psutil)."""
        return rss_kb(self.proc.pid)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the whole group: streamlit and any children
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _streamlit_bin() -> str:
    # The streamlit next to the running interpreter (the venv), so tests use the pinned version.
    local = Path(sys.executable).with_name("streamlit")
    return str(local) if local.exists() else (shutil.which("streamlit") or "streamlit")


def start_server(data_dir: Path | None = None, port: int | None = None, timeout: float = 60) -> Server:
    """The app (via ui.serve) on a free port, optionally on another data directory; waits for health."""
    port = port or free_port()
    env = dict(os.environ)
    env.pop("HKCCTV_DATA_DIR", None)
    if data_dir is not None:
        env["HKCCTV_DATA_DIR"] = str(data_dir)
    log = Path(tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")[1])
    # ui.serve, as `make run` does: plain `streamlit run` serves a fresh server's first deep link
    # without app.py's frame (see ui/serve.py).
    cmd = [sys.executable, "-m", "ui.serve", "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]  # no reruns if someone edits a page mid-test
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(proc, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s:\n{server.log_tail()}")


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------
def chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: install it with 'apt-get install chromium fonts-noto-cjk' (make test does, as root)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -r requirements-dev.txt"
    return None


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_ready(page, timeout: float = 30_000, settle_ms: int = 150) -> None:
    """Wait until Streamlit has finished running the script and the main block shows something.

    `stApp[data-test-script-state]` is 'initial' before the first run, 'running' during one and
    'notRunning' after; a short settle catches a rerun that a widget triggers right after.
    """
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=timeout)
    for _ in range(2):
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
        page.wait_for_timeout(settle_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def drawn_fraction(png: bytes) -> float:
    """Share of pixels that differ from the most common colour: 0.0 means a blank canvas."""
    from PIL import Image  # a Streamlit dependency, so present wherever Streamlit is

    img = Image.open(io.BytesIO(png)).convert("RGB")
    counts = img.getcolors(maxcolors=img.width * img.height)
    return 1 - max(counts)[0] / (img.width * img.height)


def wait_canvas_drawn(page, selector: str = '[data-testid="stDeckGlJsonChart"] canvas', threshold: float = 0.005,
                      timeout: float = 20.0) -> float:
    """Poll a canvas's pixels until enough of it is drawn; return the drawn share (0.0 on timeout)."""
    canvas = page.locator(selector).first
    canvas.wait_for(state="visible", timeout=timeout * 1000)
    deadline, fraction = time.monotonic() + timeout, 0.0
    while time.monotonic() < deadline:  # deck.gl draws on animation frames after the data arrives
        fraction = drawn_fraction(canvas.screenshot())
        if fraction > threshold:
            return fraction
        page.wait_for_timeout(200)
    return fraction


def wait_rerun(page, action, timeout: float = 30_000) -> None:
    """Do action (a click, a selection) and wait for the rerun it causes to finish."""
    action()
    try:  # the rerun may start and end before we look; both are fine
        page.wait_for_selector('[data-testid="stApp"]:not([data-test-script-state="notRunning"])', timeout=2_000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError; the rerun was already over
        pass
    wait_ready(page, timeout)


@dataclass
class Watcher:
    """Everything a page reports that would mean a fault: JS exceptions, console errors, dialogs."""

    server_url: str
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page) -> "Watcher":
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._on_console)
        page.on("dialog", self._on_dialog)
        return self

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        text = f"{msg.text} @ {where}" if where else msg.text
        if self.allowed(msg.text, where):
            self.ignored.append(text)
        else:
            self.console_errors.append(text)

    def allowed(self, text: str, where: str) -> bool:
        if any(needle in text or needle in where for needle, _why in CONSOLE_ALLOW):
            return True
        # Streamlit's own base-path discovery: opened at /map, the frontend first asks for
        # /map/_stcore/health and /map/_stcore/host-config, gets 404, then uses the root ones.
        if text.startswith("Failed to load resource") and _BASE_PATH_PROBE.search(urlsplit(where).path):
            return True
        return False

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def faults(self) -> list[str]:
        return ([f"JS error: {e}" for e in self.page_errors] + [f"console error: {e}" for e in self.console_errors]
                + [f"dialog opened: {d}" for d in self.dialogs])


@dataclass
class Tab:
    """One browser tab on the app, with its fault watcher."""

    page: object
    server: Server
    watcher: Watcher

    def open(self, name: str, lang: str | None = None, query: dict | None = None) -> "Tab":
        self.page.goto(self.server.page_url(name, lang, query))
        wait_ready(self.page)
        return self

    def switch(self, name: str) -> "Tab":
        """Go to another page through the sidebar, as a reader does (same session, no reload)."""
        href = self.server.page_url(name).split("?")[0]
        link = self.page.locator(f'[data-testid="stSidebarNav"] a[href="{href}"]').first
        wait_rerun(self.page, link.click)
        self.page.wait_for_url(re.compile(rf"^{re.escape(href)}(\?|$)"))
        wait_ready(self.page)
        return self

    def exceptions(self) -> list[str]:
        return [e.inner_text() for e in self.page.locator('[data-testid="stException"]').all()]

    def assert_clean(self) -> None:
        problems = [f"Streamlit exception: {e[:500]}" for e in self.exceptions()] + self.watcher.faults()
        assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright_instance():
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = launch_browser(playwright_instance)
    yield b
    b.close()


def warm_up(browser, server: Server) -> None:
    """Open the entry page once, so the first test does not also pay for the server's cold caches.

    A deep link as the very first visit is covered separately (test_deep_link_browser.py).
    """
    tab = new_tab(browser, server)
    try:
        tab.page.goto(server.url + "/")
        wait_ready(tab.page, timeout=60_000)
    finally:
        tab.page.context.close()


@pytest.fixture(scope="session")
def app_server(browser):  # depends on browser so a missing Chromium skips before a server starts
    server = start_server()
    try:
        warm_up(browser, server)
        yield server
    finally:
        server.stop()


def new_tab(browser, server: Server, viewport: dict = DESKTOP, **context_kw) -> Tab:
    context = browser.new_context(viewport=viewport, accept_downloads=True, **context_kw)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return Tab(page, server, Watcher(server.url).attach(page))


@pytest.fixture
def tab(browser, app_server):
    """A fresh browser context (a fresh Streamlit session) at desktop size on the real data."""
    t = new_tab(browser, app_server)
    yield t
    t.page.context.close()


@pytest.fixture
def phone_tab(browser, app_server):
    t = new_tab(browser, app_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, user_agent=PHONE_AGENT)
    yield t
    t.page.context.close()
