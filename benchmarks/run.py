"""Benchmarks on synthetic camera networks: loader, validation, page scripts, map payload, browser;
and serving (benchmarks/serving.py): capacity behind nginx, bytes per first visit, upload memory.

For each size (6,000 / 60,000 / 1,000,000 cameras) benchmarks/synthetic.py writes a temporary copy
of data/ whose cameras_td.csv holds that many generated cameras (marked synthetic in every row).
Measurements that must be "cold" or must not share caches run in a fresh interpreter per size
(`python -m benchmarks --child <kind> --data-dir <dir>` prints one JSON object). The browser part
starts `streamlit run` on the 60,000-camera directory and drives Chromium like the browser tests.

A naive baseline (every column of every camera straight into one pydeck layer, the way the
Streamlit demos do it) is measured beside the app so the ratio shows.

Synthetic data exists only in the temporary directories; nothing here touches data/.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (6_000, 60_000, 1_000_000)
BROWSER_SIZE = 60_000
SESSIONS = 20
DOC = ROOT / "docs" / "benchmarks.md"
SERVE_START, SERVE_END = "<!-- serving:start (written by python -m benchmarks --update-doc) -->", "<!-- serving:end -->"
DOC_START, DOC_END = "<!-- results:start (written by python -m benchmarks --update-doc) -->", "<!-- results:end -->"
NAIVE_MAX = 100_000  # largest network the naive baseline is run on
# Targets: every page's warm script run ≤ 0.25 s at 60,000 cameras (issue 12; 0.5 s before); map
# payload under 1.5 MB at 60,000; cold start to the first page drawn under 5 s.
TARGET_WARM_S = 0.25
# Warm script runs at 60,000 cameras measured before issue 12 (docs/benchmarks.md, 2026-11-26),
# printed beside the new ones.
BEFORE_WARM_S = {"progress": 0.78, "map": 0.071, "phases": 0.61, "safeguards": 0.64, "data": 0.22}
# Server CPU per first browser visit before issue 12 (issue 12's own measurement).
BEFORE_VISIT_CPU_S = {"progress": 1.2, "phases": 1.3, "safeguards": 1.1, "data": 1.0, "map": 0.7}
TARGET_PAYLOAD_BYTES = 1_500_000
TARGET_COLD_START_S = 5.0

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.visits import TARGET_CPU_S, cpu_seconds, one_line_app, page_visits, serve_script  # noqa: E402


def _pages() -> dict[str, str]:
    """url_path -> page file relative to the repo, as app.py declares them (shared with the tests)."""
    from tests.browser.conftest import PAGE_FILES

    return {name: str(path.relative_to(ROOT)) for name, path in PAGE_FILES.items()}


# ------------------------------------------------------------------------------------------
# Child measurements: each runs in its own interpreter, prints one JSON object on stdout.
# ------------------------------------------------------------------------------------------
def lift_file_cap() -> None:
    """Let load_all read data files over its 20 MB limit, in this benchmark process only.

    At 1,000,000 cameras cameras_td.csv is about 150 MB and the app refuses it (by design); with
    the cap lifted we can still see how the pages and the map would cope with that many rows.
    """
    import functools

    from loaders import datasets, validate

    datasets.read_text = functools.partial(validate.read_text, max_bytes=10**12)


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def child_loader(data_dir: Path) -> dict:
    """Cold load_all() in a fresh process, then parse and validation time per file, separately."""
    import pandas  # noqa: F401 - imported before the clock starts: interpreter start-up is not the loader's
    import yaml  # noqa: F401

    t0 = time.perf_counter()
    from loaders.datasets import load_all

    bundle = load_all(data_dir)
    load_s = time.perf_counter() - t0
    lifted_s = None
    if bundle.problems_in("cameras_td.csv"):  # refused (too big): time it again with the cap lifted
        lift_file_cap()
        t0 = time.perf_counter()
        load_all(data_dir)
        lifted_s = time.perf_counter() - t0

    from loaders import schema
    from loaders.validate import check_records, parse_csv, parse_yaml_list

    parse_s = validate_s = 0.0
    camera_rows_validated = 0
    for sch in schema.ALL:
        path = data_dir / sch.file
        if not path.exists():
            continue
        # Read directly (not through read_text) so the 20 MB file limit does not hide the cost
        # of validating a file that size: the loader's refusal is reported separately.
        text = path.read_text(encoding="utf-8-sig")
        t = time.perf_counter()
        records, _ = parse_csv(text, sch.file, sch) if sch.file.endswith(".csv") else parse_yaml_list(text, sch.file)
        parse_s += time.perf_counter() - t
        t = time.perf_counter()
        rows, _ = check_records(records, sch, sch.file)
        validate_s += time.perf_counter() - t
        if sch.name == "cameras":
            camera_rows_validated = len(rows)
    from loaders.signature import data_signature  # what every rerun pays to notice edited data files

    data_signature(data_dir)
    t = time.perf_counter()
    data_signature(data_dir)
    signature_s = time.perf_counter() - t
    cams_file = data_dir / schema.CAMERAS.file
    return {
        "signature_s": signature_s,
        "load_s": load_s,
        "load_lifted_s": lifted_s,
        "parse_s": parse_s,
        "validate_s": validate_s,
        "cameras_loaded": int(bundle["cameras"]["id"].str.startswith("synthetic-").sum()),  # the generated ones
        "camera_rows_validated": camera_rows_validated,
        "cameras_file_bytes": cams_file.stat().st_size,
        "camera_file_problems": [str(p) for p in bundle.problems_in(schema.CAMERAS.file)][:3],
    }


def _deck_bytes(at) -> int:
    return sum(len(el.proto.json.encode("utf-8")) for el in at.get("deck_gl_json_chart"))


def child_pages(data_dir: Path, timeout: float, lifted: bool = False) -> dict:
    """Each page run through app.py in navigation mode (as served): the first run, then the median of 3 warm runs."""
    os.environ["HKCCTV_DATA_DIR"] = str(data_dir)
    if lifted:
        lift_file_cap()
    from tests.apptest import app

    out: dict = {"pages": {}, "lifted": lifted}
    at = app(timeout=timeout)
    t = time.perf_counter()
    at.run()
    out["app_first_run_s"] = time.perf_counter() - t
    for name, rel in _pages().items():
        at.switch_page(rel)
        t = time.perf_counter()
        at.run()
        first = time.perf_counter() - t
        warm = []
        for _ in range(3):
            t = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t)
        out["pages"][name] = {"first_s": first, "warm_s": _median(warm), "warm_runs_s": warm,
                              "exception": [e.value for e in at.exception][:1],
                              "deck_json_bytes": _deck_bytes(at)}
    return out


def child_naive(data_dir: Path, lifted: bool = False) -> dict:
    """The baseline: all columns, all points, one ScatterplotLayer, serialised by pydeck."""
    import pydeck as pdk

    if lifted:
        lift_file_cap()
    from loaders.datasets import load_all

    cams = load_all(data_dir)["cameras"]
    t = time.perf_counter()
    deck = pdk.Deck(layers=[pdk.Layer("ScatterplotLayer", data=cams, id="naive", get_position=["longitude", "latitude"],
                                      get_radius=40, get_fill_color=[0, 114, 178], pickable=True)],
                    initial_view_state=pdk.ViewState(latitude=22.36, longitude=114.14, zoom=9.6),
                    tooltip={"text": "{id}\n{description_en}"})
    payload = deck.to_json()
    return {"naive_build_s": time.perf_counter() - t, "naive_json_bytes": len(payload.encode("utf-8")), "points": len(cams)}


def child_upload(rows: int) -> dict:
    from benchmarks.serving import child_upload_paths

    return child_upload_paths(rows)


CHILDREN = {"loader": lambda a: child_loader(a.data_dir), "pages": lambda a: child_pages(a.data_dir, a.timeout, a.lift_cap),
            "upload": lambda a: child_upload(a.rows),
            "naive": lambda a: child_naive(a.data_dir, a.lift_cap)}


def run_child(kind: str, data_dir: Path, timeout: float, lift_cap: bool = False, rows: int | None = None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks", "--child", kind, "--data-dir", str(data_dir), "--timeout", str(timeout)]
    cmd += ["--lift-cap"] if lift_cap else []
    cmd += ["--rows", str(rows)] if rows else []
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout * 4)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout * 4:.0f} s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - t
    return result


# ------------------------------------------------------------------------------------------
# Browser: cold start, map drawn, concurrent sessions and their memory
# ------------------------------------------------------------------------------------------
NAIVE_APP = '''
import sys
sys.path.insert(0, {root!r})
import pydeck as pdk
import streamlit as st
from loaders.datasets import load_all

cams = st.cache_data(load_all)()["cameras"]  # cached like the app's bundle, so reruns are fair
st.pydeck_chart(pdk.Deck(layers=[pdk.Layer("ScatterplotLayer", data=cams, id="naive", get_position=["longitude", "latitude"],
                get_radius=40, get_fill_color=[0, 114, 178], pickable=True)], map_style=None,
                initial_view_state=pdk.ViewState(latitude=22.36, longitude=114.14, zoom=9.6), tooltip={{"text": "{{id}}"}}))
'''


def _time_map_drawn(browser, server, url: str) -> dict:
    from tests.browser.conftest import new_tab, wait_canvas_drawn, wait_ready

    tab = new_tab(browser, server)
    try:
        t = time.perf_counter()
        tab.page.goto(url)
        wait_ready(tab.page, timeout=120_000)
        ready = time.perf_counter() - t
        drawn = wait_canvas_drawn(tab.page, timeout=120)
        return {"ready_s": ready, "drawn_s": time.perf_counter() - t, "drawn_fraction": drawn,
                "faults": (tab.exceptions() + tab.watcher.faults())[:3]}
    finally:
        tab.page.context.close()


def _time_page_ready(browser, server, url: str) -> dict:
    """Navigation to a page without a map: the browser-side cost of any page, for comparison."""
    from tests.browser.conftest import new_tab, wait_ready

    tab = new_tab(browser, server)
    try:
        t = time.perf_counter()
        tab.page.goto(url)
        wait_ready(tab.page, timeout=120_000)
        return {"ready_s": time.perf_counter() - t, "faults": (tab.exceptions() + tab.watcher.faults())[:3]}
    finally:
        tab.page.context.close()


def measure_browser(data_dir: Path, sessions: int = SESSIONS) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_missing_reason, launch_browser, new_tab, start_server, wait_ready

    reason = chromium_missing_reason()
    if reason:
        return {"skipped": reason}
    out: dict = {}
    with sync_playwright() as p:
        browser = launch_browser(p)
        out["cold_real_data"] = cold_start(browser, None)  # the repo's own data/, as deployed
        # Cold start: process start -> health -> first page (the default page) drawn in the browser.
        t = time.perf_counter()
        server = start_server(data_dir, timeout=120)
        out["health_s"] = time.perf_counter() - t
        try:
            tab = new_tab(browser, server)
            tab.page.goto(server.url + "/")
            wait_ready(tab.page, timeout=120_000)
            out["cold_first_page_s"] = time.perf_counter() - t
            out["cold_faults"] = (tab.exceptions() + tab.watcher.faults())[:3]
            tab.page.context.close()
            out["data_page"] = _time_page_ready(browser, server, server.page_url("data"))
            out["map_first"] = _time_map_drawn(browser, server, server.page_url("map"))
            out["map_warm"] = _time_map_drawn(browser, server, server.page_url("map"))
            out["visit_cpu"] = page_visits(browser, server, tuple(_pages()))
            out["load"] = _concurrent_sessions(browser, server, sessions)
        finally:
            server.stop()
        out["visit_cpu_one_line_app"] = one_line_app(browser)
        out["naive"] = _naive_browser(browser, data_dir)
        browser.close()
    return out


def cold_start(browser, data_dir: Path | None) -> dict:
    """Process start -> health -> the default page drawn in a browser, on a given data directory."""
    from tests.browser.conftest import new_tab, start_server, wait_ready

    t = time.perf_counter()
    server = start_server(data_dir, timeout=120)
    out = {"health_s": time.perf_counter() - t}
    try:
        tab = new_tab(browser, server)
        tab.page.goto(server.url + "/")
        wait_ready(tab.page, timeout=120_000)
        out["first_page_s"] = time.perf_counter() - t
        out["faults"] = (tab.exceptions() + tab.watcher.faults())[:3]
        tab.page.context.close()
    finally:
        server.stop()
    return out


def _concurrent_sessions(browser, server, n: int) -> dict:
    """n sessions open the app at once (spread over the pages); memory before/after from /proc."""
    from tests.browser.conftest import PAGES, new_tab, wait_ready

    before = server.rss_kb()
    tabs = [new_tab(browser, server) for _ in range(n)]
    cpu0 = cpu_seconds(server.proc.pid)
    t = time.perf_counter()
    for i, tab in enumerate(tabs):  # navigate all first, then wait: the server handles them together
        tab.page.goto(server.page_url(PAGES[i % len(PAGES)]), wait_until="commit")
    failures = []
    for i, tab in enumerate(tabs):
        try:
            wait_ready(tab.page, timeout=180_000)
            failures += [f"{PAGES[i % len(PAGES)]}: {f[:160]}" for f in tab.exceptions() + tab.watcher.faults()]
        except Exception as exc:  # noqa: BLE001 - a timeout is a result here, not a crash
            failures.append(f"{PAGES[i % len(PAGES)]}: {type(exc).__name__}: {str(exc)[:160]}")
    elapsed = time.perf_counter() - t
    server_cpu = cpu_seconds(server.proc.pid) - cpu0
    after = server.rss_kb()
    for tab in tabs:
        tab.page.context.close()
    return {"sessions": n, "all_ready_s": elapsed, "rss_before_kb": before, "rss_after_kb": after,
            "per_session_kb": (after - before) / n, "server_cpu_s": server_cpu,
            "failures": failures[:5], "failure_count": len(failures)}


def _naive_browser(browser, data_dir: Path) -> dict:
    """The naive app (one file, every column of every point) on its own server, map timed the same way."""
    script = Path(tempfile.mkdtemp(prefix="naive-app-")) / "naive_app.py"
    script.write_text(NAIVE_APP.format(root=str(ROOT)), encoding="utf-8")
    server = serve_script(script, env=dict(os.environ, HKCCTV_DATA_DIR=str(data_dir)))
    try:
        first = _time_map_drawn(browser, server, server.url + "/")
        warm = _time_map_drawn(browser, server, server.url + "/")
        return {"map_first": first, "map_warm": warm}
    finally:
        server.stop()


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------
def machine() -> dict:
    from tests.browser.conftest import CHROMIUM

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "?")
    mem_kb = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")), 0)
    try:
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "not installed"
    import streamlit

    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "os": platform.platform(),
            "python": platform.python_version(), "streamlit": streamlit.__version__, "chromium": chromium,
            "nginx": _nginx_version(), "date": time.strftime("%Y-%m-%d")}


def _s(v) -> str:
    return "—" if v is None else f"{v:.2f} s" if v >= 0.1 else f"{v * 1000:.0f} ms"


def _mb(v) -> str:
    return "—" if v is None else f"{v / 1e6:.2f} MB" if v >= 1e5 else f"{v / 1e3:.1f} kB"


def _ok(value, target) -> str:
    return "" if value is None else " ✅" if value <= target else " ❌"


def render(results: dict, mach: dict) -> str:
    sizes = [s for s in results["sizes"]]
    names = list(_pages())
    head = "| measure | " + " | ".join(f"{int(s):,} cameras" for s in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(sizes)]

    def row(label, fn):
        cells = []
        for s in sizes:
            try:
                cells.append(fn(results["sizes"][s]))
            except (KeyError, TypeError):
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("cameras file", lambda r: _mb(r["loader"]["cameras_file_bytes"]))
    row("cameras loaded by load_all()", lambda r: f"{r['loader']['cameras_loaded']:,}" + (
        " (file refused: " + r["loader"]["camera_file_problems"][0].split(": ", 2)[-1] + ")" if r["loader"]["camera_file_problems"] else ""))
    row("loader, cold (load_all in a fresh process)", lambda r: _s(r["loader"]["load_s"]) + (
        f" (refusing the file); {_s(r['loader']['load_lifted_s'])} with the limit lifted†" if r["loader"].get("load_lifted_s") else ""))
    row("parse, all files", lambda r: _s(r["loader"]["parse_s"]))
    row("validation, all files (check_records)", lambda r: _s(r["loader"]["validate_s"]))
    row("data signature, paid on every rerun (loaders/signature)", lambda r: _s(r["loader"]["signature_s"]))
    row("app.py first run (AppTest)", lambda r: _s(r["pages"]["app_first_run_s"]))
    for name in names:
        row(f"page /{name}, warm script run", lambda r, n=name: _s(r["pages"]["pages"][n]["warm_s"])
            + (_ok(r["pages"]["pages"][n]["warm_s"], TARGET_WARM_S) + f" (before: {_s(BEFORE_WARM_S.get(n))})"
               if r["size"] == BROWSER_SIZE else "")
            + (" ⚠ exception" if r["pages"]["pages"][n]["exception"] else ""))
    row("map deck JSON", lambda r: _mb(r["pages"]["pages"]["map"]["deck_json_bytes"])
        + (_ok(r["pages"]["pages"]["map"]["deck_json_bytes"], TARGET_PAYLOAD_BYTES) if r["size"] == BROWSER_SIZE else ""))
    row("naive deck JSON (all columns, all points)",
        lambda r: "not run (grows ~linearly)" if r["naive"].get("skipped") else _mb(r["naive"]["naive_json_bytes"]))
    row("naive ÷ app payload", lambda r: f"{r['naive']['naive_json_bytes'] / r['pages']['pages']['map']['deck_json_bytes']:.0f}×")
    row("page measurements", lambda r: "loader limit lifted†" if r["pages"].get("lifted") else "as served")
    row("naive pydeck serialisation", lambda r: _s(r["naive"]["naive_build_s"]))
    note = ["", "† The cameras file is over the loader's 20 MB limit, so the app refuses it (the page then shows a "
            "problem naming the file). The benchmark lifts the limit in its own process to measure the pages anyway.", ""]
    lines += note if any((results["sizes"][s].get("pages") or {}).get("lifted") for s in sizes) else []
    out = ["## Results", "", f"Measured {time.strftime('%Y-%m-%d')} on: {mach['cpu']}, {mach['cores']} cores, "
           f"{mach['ram_gb']} GB RAM; {mach['os']}; Python {mach['python']}, Streamlit {mach['streamlit']}; {mach['chromium']}.",
           "", *lines, ""]
    b = results.get("browser") or {}
    if b.get("skipped"):
        out += [f"Browser measurements skipped: {b['skipped']}", ""]
    elif b:
        blines = ["| browser, 60,000 cameras | app | naive baseline |", "|---|---|---|"]
        real = b.get("cold_real_data") or {}
        if real:
            blines.append(f"| cold start → first page drawn, on the real data/ (not synthetic) | {_s(real.get('first_page_s'))}"
                          f"{_ok(real.get('first_page_s'), TARGET_COLD_START_S)} | |")
        blines.append(f"| server start → health | {_s(b.get('health_s'))} | |")
        blines.append(f"| cold start → first page drawn | {_s(b.get('cold_first_page_s'))}{_ok(b.get('cold_first_page_s'), TARGET_COLD_START_S)} | |")
        blines.append(f"| navigation → /data ready (a page without a map, for comparison) | {_s((b.get('data_page') or {}).get('ready_s'))} | |")
        for key, label in (("map_first", "first visit"), ("map_warm", "second visit")):
            app, naive = b.get(key) or {}, (b.get("naive") or {}).get(key) or {}
            blines.append(f"| navigation → map script done, {label} | {_s(app.get('ready_s'))} | {_s(naive.get('ready_s'))} |")
            blines.append(f"| navigation → map drawn (canvas pixels), {label} | {_s(app.get('drawn_s'))} | {_s(naive.get('drawn_s'))} |")
        one = b.get("visit_cpu_one_line_app")
        for name, cpu in (b.get("visit_cpu") or {}).items():
            ratio = f"; {cpu / one:.1f}× the one-line app" if one else ""
            blines.append(f"| server CPU per first visit of /{name} (fresh session) | {_s(cpu)}{_ok(cpu, TARGET_CPU_S)}{ratio} "
                          f"(before: {_s(BEFORE_VISIT_CPU_S.get(name))}) | |")
        if one:
            blines.append(f"| server CPU per first visit of a one-line app (`st.write`), same run | {_s(one)} | |")
        load = b.get("load") or {}
        if load:
            blines.append(f"| {load['sessions']} concurrent sessions, all pages loaded | {_s(load['all_ready_s'])}, "
                          f"{load['failure_count']} failures | |")
            blines.append(f"| server memory (RSS) before → after | {load['rss_before_kb'] / 1024:.0f} MB → "
                          f"{load['rss_after_kb'] / 1024:.0f} MB | |")
            blines.append(f"| memory per added session | {load['per_session_kb'] / 1024:.1f} MB | |")
            blines.append(f"| server CPU time while serving them | {_s(load.get('server_cpu_s'))} | |")
        out += blines + [""]
        faults = (b.get("cold_faults") or []) + ((b.get("map_first") or {}).get("faults") or []) + ((b.get("load") or {}).get("failures") or [])
        if faults:
            out += ["Faults seen in the browser:", *[f"- `{f}`" for f in faults], ""]
    return "\n".join(out)


PARTS = ("sizes", "serving")
SERVE_SETUPS = (("nginx_1", "1 replica behind nginx"), ("nginx_2", "2 replicas behind nginx"),
                ("direct_1", "1 replica alone, no nginx (as `make run` serves)"))


def _mb_kb(kb) -> str:
    return "—" if kb is None else f"{kb / 1024:.0f} MB"


def _nginx_version() -> str:
    from deploy.stack import NGINX

    try:
        return subprocess.run([NGINX, "-v"], capture_output=True, text=True, timeout=10).stderr.strip().replace("nginx version: ", "")
    except OSError:
        return "nginx not installed"


def serving_heading(mach: dict) -> str:
    return (f"## Serving results\n\nMeasured {mach.get('date', time.strftime('%Y-%m-%d'))} on: {mach['cpu']}, {mach['cores']} cores, "
            f"{mach['ram_gb']} GB RAM; {mach['os']}; Python {mach['python']}, Streamlit {mach['streamlit']}; "
            f"{mach.get('nginx') or _nginx_version()}; {mach['chromium']}. The machine is shared with other work: "
            "the load steps below say how much of its two cores that work used.\n")


def render_serving(sv: dict | None) -> str:
    """The serving part of the results (benchmarks/serving.py)."""
    if not sv:
        return ""
    if sv.get("skipped"):
        return f"\nServing measurements skipped: {sv['skipped']}\n"
    rate = {k: (sv.get(k) or {}).get("sustained_rate") for k, _ in SERVE_SETUPS}
    lines = [f"Fresh visits (the page, every static file a first visit fetches, the websocket run) started at a fixed "
             f"rate for {sv.get('step_seconds', 30):.0f} s per step; sustained = p95 time-to-content ≤ "
             f"{sv.get('ttc_target_s', 5):.0f} s and no failed visit. The load generator shares the machine's two cores.", "",
             "| measure | value |", "|---|---|"]
    for key, label in SERVE_SETUPS:
        if rate[key] is not None:
            best = max((st for st in sv[key]["steps"] if st["sustained"]), key=lambda st: st["rate"], default=None)
            at = f" (p50 {best['p50_s']:.2f} s, p95 {best['p95_s']:.2f} s at that rate)" if best else ""
            lines.append(f"| fresh visits/s sustained, {label} | **{rate[key]:.1f}**{at} |")
    if rate["nginx_1"] and rate["nginx_2"]:
        lines.append(f"| 2 replicas ÷ 1 replica | {rate['nginx_2'] / rate['nginx_1']:.2f}× |")
    for key, label in SERVE_SETUPS:
        ok = [st for st in (sv.get(key) or {}).get("steps", []) if st.get("replica_cpu_per_visit_s") and st["sustained"]]
        if ok:
            per = sorted(st["replica_cpu_per_visit_s"] for st in ok)[len(ok) // 2]
            others = sum(st["cores"]["others"] for st in sv[key]["steps"]) / len(sv[key]["steps"])
            lines.append(f"| replica CPU per visit, {label.split(' (')[0]} (median of the sustained steps) | {per * 1000:.0f} ms: "
                         f"a core of its own serves about {1 / per:.1f} visits/s; other work on the machine used "
                         f"{others:.1f} of its 2 cores on average during these steps |")
    for key, label in (("first_visit_nginx_gzip", "through nginx, compressed"), ("first_visit_nginx_plain", "through nginx, gzip off"),
                       ("first_visit_direct", "straight from a replica (no nginx)")):
        fv = sv.get(key)
        if fv:
            lines.append(f"| bytes per first visit of /, {label} | {_mb(fv['http_bytes'])} HTTP in {fv['requests']} requests "
                         f"+ {_mb(fv['ws_bytes_received'])} over the websocket |")
    up = sv.get("upload") or {}
    if up.get("rounds"):
        rs = up["rounds"]
        lines.append(f"| {up['rows']:,}-row upload ({_mb(up['file_bytes'])} CSV), replica memory before | {_mb_kb(up['rss_before_kb'])} |")
        lines.append("| … peak while sent, read and drawn, rounds 1/2/3 | " + " / ".join(_mb_kb(r["peak_kb"]) for r in rs) +
                     f" (at most {max(r['peak_kb'] for r in rs) / 1024 - up['rss_before_kb'] / 1024:.0f} MB above before) |")
        lines.append("| … after the map is drawn | " + " / ".join(_mb_kb(r["rss_after_kb"]) for r in rs) + " |")
        lines.append("| … after the reader clears it | " + " / ".join(_mb_kb(r["rss_after_clear_kb"]) for r in rs) + " |")
        lines.append("| … upload to map drawn (browser included); server CPU | " + " / ".join(
            f"{r['upload_to_map_s']:.1f} s; {r['server_cpu_s']:.1f} s" for r in rs) + " |")
    paths = sv.get("upload_paths") or {}
    if paths.get("positions"):
        for key, label in (("positions", "points and districts only, in chunks (now)"), ("every_row_in_full", "every row in full (before)")):
            x = paths[key]
            lines.append(f"| read_upload of the same file alone, {label} | peak +{x['peak_over_start_kb'] / 1024:.0f} MB, "
                         f"{x['cpu_s']:.1f} s CPU, rows kept {_mb(x['frame_bytes'])} |")
    steps = ["", "| load step | " + " | ".join(label.split(" (")[0] for _, label in SERVE_SETUPS) + " |",
             "|---|" + "---|" * len(SERVE_SETUPS)]
    rates = sorted({st["rate"] for k, _ in SERVE_SETUPS for st in (sv.get(k) or {}).get("steps", [])})
    for r_ in rates:
        cells = []
        for k, _ in SERVE_SETUPS:
            st = next((x for x in (sv.get(k) or {}).get("steps", []) if x["rate"] == r_), None)
            others = f"; other work {st['cores']['others']:.1f} cores" if st and st.get("cores") else ""
            cells.append("" if st is None else f"p95 {st['p95_s']:.1f} s" + (f", {st['failures']} failed" if st["failures"] else "")
                         + (" ✅" if st["sustained"] else " ❌") + others)
        steps.append(f"| {r_:.2f} visits/s | " + " | ".join(cells) + " |")
    return "\n".join(lines + steps) + "\n"


def run_serving(a) -> dict:
    """benchmarks/serving.py in this process (it starts its own servers), plus the upload comparison in a child."""
    from playwright.sync_api import sync_playwright

    from benchmarks import serving
    from deploy.stack import NGINX
    from tests.browser.conftest import chromium_missing_reason, launch_browser

    reason = chromium_missing_reason() or (None if Path(NGINX).exists() else f"{NGINX} is missing (apt-get install nginx)")
    if reason:
        return {"skipped": reason}
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            out = serving.measure(browser, seconds=a.serve_seconds, log=lambda m: print(m, file=sys.stderr, flush=True))
        finally:
            browser.close()
    out["upload_paths"] = run_child("upload", ROOT, a.timeout, rows=serving.UPLOAD_ROWS)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(map(str, SIZES)), help="camera counts, comma-separated")
    p.add_argument("--only", choices=PARTS, help="run one part: the camera sizes (with their browser part) or serving")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements of the camera sizes")
    p.add_argument("--sessions", type=int, default=SESSIONS)
    p.add_argument("--serve-seconds", type=float, default=30, help="seconds per load step of the serving capacity test")
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed per child measurement")
    p.add_argument("--json", type=Path, help="also write the raw results here")
    p.add_argument("--update-doc", action="store_true", help=f"replace the results sections of {DOC.relative_to(ROOT)}")
    p.add_argument("--from-json", type=Path, help="render results saved with --json instead of measuring")
    p.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    p.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--lift-cap", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--rows", type=int, default=200_000, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(CHILDREN[a.child](a)))
        return 0

    from benchmarks.synthetic import make_data_dir

    mach = machine()
    results: dict = {"machine": mach, "sizes": {}}
    if a.from_json:
        results = json.loads(a.from_json.read_text(encoding="utf-8"))
        mach = results["machine"]
    elif a.only in (None, "sizes"):
        with tempfile.TemporaryDirectory(prefix="hkcctv-bench-") as tmp:
            for size in (int(s) for s in a.sizes.split(",")):
                t = time.perf_counter()
                data = make_data_dir(Path(tmp) / f"data-{size}", size)
                r = {"size": size, "generate_s": time.perf_counter() - t}
                print(f"[{size:,}] generated in {r['generate_s']:.1f} s", file=sys.stderr)
                r["loader"] = run_child("loader", data, a.timeout)
                # A cameras file over the loader's limit is refused by the app; measure the pages with
                # the limit lifted (and say so in the table) so the size still tells us something.
                lift = bool(r["loader"].get("camera_file_problems"))
                r["pages"] = run_child("pages", data, a.timeout, lift_cap=lift)
                # The naive deck grows linearly (about 500 bytes a camera); past NAIVE_MAX it only eats memory.
                r["naive"] = run_child("naive", data, a.timeout, lift_cap=lift) if size <= NAIVE_MAX else {"skipped": True}
                for kind in ("loader", "pages", "naive"):
                    print(f"[{size:,}] {kind}: {json.dumps(r[kind])[:300]}", file=sys.stderr)
                results["sizes"][size] = r
                if size == BROWSER_SIZE and not a.no_browser:
                    results["browser"] = measure_browser(data, a.sessions)
                    print(f"[{size:,}] browser: {json.dumps(results['browser'])[:600]}", file=sys.stderr)
    if a.only in (None, "serving") and not a.from_json:
        results["serving"] = run_serving(a)
        print(f"[serving] {json.dumps(results['serving'], default=str)[:800]}", file=sys.stderr)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    # Each part has its own block in the document, so running one part keeps the other's results.
    blocks = {}
    if results["sizes"]:
        blocks[(DOC_START, DOC_END)] = render(results, mach)
    if results.get("serving"):
        blocks[(SERVE_START, SERVE_END)] = serving_heading(mach) + "\n" + render_serving(results["serving"])
    print("\n".join(blocks.values()))
    if a.update_doc:
        text = DOC.read_text(encoding="utf-8")
        for (start, end), table in blocks.items():
            head, rest = text.split(start, 1)
            text = f"{head}{start}\n{table}\n{end}{rest.split(end, 1)[1]}"
        DOC.write_text(text, encoding="utf-8")
    return 0
