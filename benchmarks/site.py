"""Benchmarks of the static edition (`python -m benchmarks site`, part of `make bench`).

Measured, on this machine, in one run:
- `python -m publish` build time (with chart images), files and bytes;
- the home page (both languages) loaded in headless Chromium with every other host blocked:
  requests, bytes before any chart is touched (raw, and gzip of the same responses), requests to
  other hosts, first contentful paint; the live app's home page beside it, measured the same way;
- Lighthouse (npm `lighthouse`, installed into the git-ignored .lighthouse/ on first use, driving
  Debian's Chromium) mobile performance and accessibility for the static home pages and the app.

The static edition is served as production serves it: under /edition/, gzip for text (nginx does
the same), by a small Python server (StaticServer) that the browser tests use too.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"
DOC_START, DOC_END = "<!-- site-results:start (written by python -m benchmarks site --update-doc) -->", "<!-- site-results:end -->"
LIGHTHOUSE_DIR = ROOT / ".lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"  # 13 needs Node 22; Debian 12 has Node 20
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MOUNT = "/edition/"
TARGET_HOME_BYTES = 600_000
TARGET_FCP_S = 1.5
TARGET_BUILD_S = 60
TARGET_PERF, TARGET_A11Y = 90, 100
LIGHTHOUSE_RUNS = 3  # per static page; the app gets one run (each takes about a minute)
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/atom+xml", "application/xml")
mimetypes.add_type("application/atom+xml", ".atom")
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("application/geo+json", ".geojson")


class StaticServer:
    """The edition under /edition/ on 127.0.0.1, directories served by their index.html, gzip on request."""

    def __init__(self, root: Path, gzip_text: bool = True):
        self.root = Path(root)
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                path = unquote(urlsplit(self.path).path)
                server.requests.append(path)
                if not path.startswith(MOUNT):
                    self.send_error(404)
                    return
                rel = path[len(MOUNT):]
                target = (server.root / rel).resolve()
                if server.root.resolve() not in (target, *target.parents):
                    self.send_error(404)
                    return
                if target.is_dir():
                    if not path.endswith("/"):
                        self.send_response(301)
                        self.send_header("Location", path + "/")
                        self.end_headers()
                        return
                    target = target / "index.html"
                if not target.is_file():
                    self.send_error(404)
                    return
                body = target.read_bytes()
                ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                self.send_response(200)
                self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith(TEXT_TYPES) else ""))
                if gzip_text and ctype.startswith(TEXT_TYPES) and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                    body = gzip.compress(body, 6, mtime=0)
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{MOUNT}"

    def url(self, path: str = "") -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def block_other_hosts(context, allowed_netloc: str, blocked: list[str]) -> None:
    """Abort every request to another host (and remember it): the edition must not need one."""
    def route(r):
        if urlsplit(r.request.url).netloc == allowed_netloc or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)


def load_page(browser, url: str, viewport=None) -> dict:
    """One cold load: requests, raw bytes, gzip bytes, requests to other hosts, FCP."""
    netloc = urlsplit(url).netloc
    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    blocked: list[str] = []
    block_other_hosts(context, netloc, blocked)
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    fcp = page.evaluate("() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null; }")
    on_load = _sizes(responses)
    # A reader who scrolls to the end without touching a chart: the lazy chart images load too.
    for _ in range(40):
        if page.evaluate("() => { window.scrollBy(0, window.innerHeight); return window.scrollY + window.innerHeight >= document.body.scrollHeight; }"):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(800)
    scrolled = _sizes(responses)
    context.close()
    return {**on_load, "scrolled": scrolled, "other_hosts": blocked, "fcp_s": None if fcp is None else fcp / 1000}


def _sizes(responses) -> dict:
    raw = gz = 0
    for r in responses:
        try:
            body = r.body()
        except Exception:  # noqa: BLE001 - a redirect or aborted request has no body
            continue
        raw += len(body)
        gz += len(gzip.compress(body, 6, mtime=0))
    return {"requests": len(responses), "raw_bytes": raw, "gzip_bytes": gz}


def fcp_runs(browser, url: str, runs: int, ready=None) -> list[float]:
    out = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(url, wait_until="load")
        if ready:
            ready(page)
        for _ in range(100):
            fcp = page.evaluate("() => { const e = performance.getEntriesByName('first-contentful-paint')[0]; return e ? e.startTime : null; }")
            if fcp is not None:
                out.append(fcp / 1000)
                break
            page.wait_for_timeout(100)
        context.close()
    return out


def ensure_lighthouse() -> Path | None:
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    LIGHTHOUSE_DIR.mkdir(exist_ok=True)
    (LIGHTHOUSE_DIR / "package.json").write_text('{"name": "hkcctv-bench-lighthouse", "private": true}\n', encoding="utf-8")
    try:
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}"], cwd=LIGHTHOUSE_DIR,
                       check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"lighthouse not installed: {exc}", file=sys.stderr)
        return None
    return binary if binary.exists() else None


def lighthouse_median(binary: Path, url: str, runs: int) -> dict:
    """Lighthouse's own advice on variance: several runs, the median by performance score (the machine is shared)."""
    reports = [lighthouse(binary, url) for _ in range(runs)]
    good = sorted((r for r in reports if "error" not in r), key=lambda r: r["performance"])
    if not good:
        return reports[0]
    out = dict(good[len(good) // 2])
    out["runs"] = [r["performance"] for r in good]
    return out


def lighthouse(binary: Path, url: str) -> dict:
    """Mobile Lighthouse (its default: simulated slow 4G, 4x CPU slowdown): performance and accessibility."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    cmd = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--only-categories=performance,accessibility",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    try:
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=300)
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError) as exc:
        return {"error": str(exc)[:300]}
    finally:
        out.unlink(missing_ok=True)
    cats, audits = report["categories"], report["audits"]
    failed = [a["id"] for a in audits.values() if a.get("score") == 0 and a["id"] in
              {r["id"] for r in cats["accessibility"]["auditRefs"]}]
    return {"performance": round(cats["performance"]["score"] * 100), "accessibility": round(cats["accessibility"]["score"] * 100),
            "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000, "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt_ms": audits["total-blocking-time"]["numericValue"], "cls": audits["cumulative-layout-shift"]["numericValue"],
            "transfer_kib": audits["total-byte-weight"]["numericValue"] / 1024, "a11y_failed": failed}


def measure_build(out: Path) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "publish", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"seconds": seconds, "ok": proc.returncode == 0, "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "pngs": len([p for p in files if p.suffix == ".png"]), "log": proc.stderr.strip().splitlines()[-2:]}


def measure(runs: int = 5, with_app: bool = True, with_lighthouse: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import launch_browser, start_server, wait_ready

    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="hkcctv-site-bench-") as tmp:
        site = Path(tmp) / "site"
        results["build"] = measure_build(site)
        print(f"build: {results['build']}", file=sys.stderr)
        server = StaticServer(site)
        app = start_server() if with_app else None
        try:
            with sync_playwright() as p:
                browser = launch_browser(p)
                for lang in ("en", "zh-Hant"):
                    url = server.url(f"{lang}/")
                    load = load_page(browser, url)
                    load["fcp_runs"] = fcp_runs(browser, url, runs)
                    results[f"static_{lang}"] = load
                    print(f"static {lang}: {load}", file=sys.stderr)
                if app:
                    app_url = app.url + "/"
                    results["app_fcp_runs"] = fcp_runs(browser, app_url, runs, ready=lambda pg: wait_ready(pg, 60_000))
                    results["app_load"] = load_page(browser, app_url)
                    print(f"app: {results['app_fcp_runs']}", file=sys.stderr)
                browser.close()
            if with_lighthouse and (binary := ensure_lighthouse()):
                for lang in ("en", "zh-Hant"):
                    results[f"lighthouse_static_{lang}"] = lighthouse_median(binary, server.url(f"{lang}/"), LIGHTHOUSE_RUNS)
                    print(f"lighthouse {lang}: {results[f'lighthouse_static_{lang}']}", file=sys.stderr)
                if app:
                    for lang in ("en", "zh-Hant"):
                        results[f"lighthouse_app_{lang}"] = lighthouse(binary, app.url + ("/?lang=zh-Hant" if lang == "zh-Hant" else "/"))
                        print(f"lighthouse app {lang}: {results[f'lighthouse_app_{lang}']}", file=sys.stderr)
        finally:
            server.close()
            if app:
                app.stop()
    return results


def _ok(ok: bool) -> str:
    return "✅" if ok else "❌"


def render(r: dict) -> str:
    from benchmarks.run import machine

    m = machine()
    b = r["build"]
    lines = ["## Static edition (python -m benchmarks site)", "",
             f"Measured {time.strftime('%Y-%m-%d')} on: {m.get('cpu', '?')}, {m.get('cores', '?')} cores; {m.get('chromium', '')}.", "",
             "| measure | static edition | target |", "|---|---|---|",
             f"| `python -m publish` build, with chart images | {b['seconds']:.1f} s {_ok(b['seconds'] <= TARGET_BUILD_S)} "
             f"({b['files']:,} files, {b['bytes'] / 1e6:.1f} MB, {b['pngs']} PNGs) | ≤ {TARGET_BUILD_S} s |"]
    for lang in ("en", "zh-Hant"):
        s = r.get(f"static_{lang}")
        if not s:
            continue
        fcp = statistics.median(s["fcp_runs"]) if s["fcp_runs"] else None
        lines.append(f"| home `{lang}/`: bytes before any chart is touched | {s['raw_bytes'] / 1000:,.0f} KB raw, "
                     f"{s['gzip_bytes'] / 1000:,.0f} KB gzip, {s['requests']} requests {_ok(s['raw_bytes'] <= TARGET_HOME_BYTES)} | ≤ 600 KB |")
        sc = s["scrolled"]
        lines.append(f"| home `{lang}/`: bytes after scrolling to the end, no chart touched (lazy chart images loaded) | "
                     f"{sc['raw_bytes'] / 1000:,.0f} KB raw, {sc['gzip_bytes'] / 1000:,.0f} KB gzip, {sc['requests']} requests "
                     f"{_ok(sc['raw_bytes'] <= TARGET_HOME_BYTES)} | ≤ 600 KB |")
        lines.append(f"| home `{lang}/`: requests to other hosts | {len(s['other_hosts'])} {_ok(not s['other_hosts'])} | 0 |")
        if fcp is not None:
            lines.append(f"| home `{lang}/`: first contentful paint, headless Chromium (median of {len(s['fcp_runs'])}) | "
                         f"{fcp:.2f} s {_ok(fcp <= TARGET_FCP_S)} | ≤ {TARGET_FCP_S} s |")
    if r.get("app_fcp_runs"):
        a = r["app_load"]
        lines.append(f"| live app `/`, same browser: first contentful paint (median of {len(r['app_fcp_runs'])}) | "
                     f"{statistics.median(r['app_fcp_runs']):.2f} s | (comparison) |")
        lines.append(f"| live app `/`: bytes on load (without the websocket) | {a['raw_bytes'] / 1000:,.0f} KB raw, "
                     f"{a['gzip_bytes'] / 1000:,.0f} KB gzip, {a['requests']} requests | (comparison) |")
    lh = [(k, v) for k, v in r.items() if k.startswith("lighthouse_")]
    if lh:
        lines += ["", "Lighthouse: mobile preset (simulated slow 4G, 4× CPU slowdown), Debian's Chromium, the edition served with gzip "
                  "as nginx serves it; the live app as `make run` serves it (uncompressed).", "",
                  "| Lighthouse 12, mobile | performance | accessibility | FCP | LCP | TBT | CLS | transfer | failed a11y audits |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for key, v in lh:
            name = key.removeprefix("lighthouse_").replace("static_", "static edition ").replace("app_", "live app ")
            if "error" in v:
                lines.append(f"| {name} | error: {v['error'][:120]} | | | | | | | |")
                continue
            target = name.startswith("static")
            perf = f"{v['performance']}" + (f" {_ok(v['performance'] >= TARGET_PERF)}" if target else "")
            if v.get("runs"):
                perf += f" (median of {'/'.join(map(str, v['runs']))})"
            a11y = f"{v['accessibility']}" + (f" {_ok(v['accessibility'] >= TARGET_A11Y)}" if target else "")
            lines.append(f"| {name} | {perf} | {a11y} | {v['fcp_s']:.1f} s | {v['lcp_s']:.1f} s | {v['tbt_ms']:.0f} ms | "
                         f"{v['cls']:.2f} | {v['transfer_kib']:,.0f} KiB | {', '.join(v['a11y_failed']) or '—'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks site", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="first-contentful-paint runs per page")
    p.add_argument("--no-app", action="store_true", help="skip the live app's comparison")
    p.add_argument("--no-lighthouse", action="store_true")
    p.add_argument("--json", type=Path)
    p.add_argument("--update-doc", action="store_true", help=f"replace the static edition section of {DOC.relative_to(ROOT)}")
    a = p.parse_args(argv)
    results = measure(a.runs, with_app=not a.no_app, with_lighthouse=not a.no_lighthouse)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    table = render(results)
    print(table)
    if a.update_doc:
        text = DOC.read_text(encoding="utf-8")
        if DOC_START in text:
            head, rest = text.split(DOC_START, 1)
            text = f"{head}{DOC_START}\n{table}{DOC_END}{rest.split(DOC_END, 1)[1]}"
        else:
            text = text.rstrip("\n") + f"\n\n{DOC_START}\n{table}{DOC_END}\n"
        DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
