"""Serving benchmarks: what one and two replicas behind nginx carry, bytes per first visit, and the
memory of a 200,000-row upload. Part of `make bench` (benchmarks/run.py), never of `make test`.

Capacity is measured with a protocol-level load generator, not with browsers: on a two-core
machine, Chromium drawing pages would use the cores the server needs. A "fresh visit" does what a
new reader's browser does on the network, in order: GET the page (nginx sets its routing cookie),
GET every static file a first visit in Chromium fetched for that page (recorded once, gzip
accepted, six at a time), then open the websocket and ask for the page's script run; it ends
when the server says the run finished (all of the page's content sent). Time-to-content is from
the first GET to that moment. Visits start at a fixed rate (open loop: a slow server does not slow
the arrivals) for a fixed time; a rate is sustained when the 95th percentile of time-to-content
is at most 5 s and no visit failed. The load generator runs on the same machine and takes some
of its CPU, so the figures are a floor.
"""
from __future__ import annotations

import asyncio
import base64
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TTC_TARGET_S = 5.0
VISIT_TIMEOUT_S = 60.0
STEP_SECONDS = 30.0
PAGES = ("", "map", "phases", "safeguards", "data")  # page_name as the frontend sends it ("" = the default page)
UPLOAD_ROWS = 200_000
_HZ = os.sysconf("SC_CLK_TCK")  # /proc's CPU time unit


# --- one fresh visit, on the wire -------------------------------------------------------------------

async def _get(host: str, port: int, path: str, cookie: str | None = None) -> tuple[int, int, str | None]:
    """(status, bytes received, the routing cookie it set): one HTTP/1.1 GET accepting gzip, on its own connection."""
    reader, writer = await asyncio.open_connection(host, port)
    head = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n"
            "User-Agent: hkcctv-bench\r\n")
    head += f"Cookie: hkcctv_route={cookie}\r\n" if cookie else ""
    writer.write((head + "\r\n").encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/") else 0
    m = re.search(rb"Set-Cookie: hkcctv_route=([0-9a-f]{32})", data[:4096], re.I)
    return status, len(data), m.group(1).decode() if m else None


@dataclass
class Visit:
    page: str
    started: float
    first_s: float | None = None  # first piece of page content
    done_s: float | None = None  # the script run finished: everything sent
    error: str | None = None
    bytes: int = 0


async def visit(base: str, page: str, assets: list[str], parallel: int = 6) -> Visit:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    import websockets

    u = urlsplit(base)
    host, port = u.hostname, u.port
    v = Visit(page, time.perf_counter())
    try:
        status, n, cookie = await _get(host, port, "/" + page)
        if status != 200:
            raise RuntimeError(f"page answered {status}")
        v.bytes += n
        gate = asyncio.Semaphore(parallel)

        async def fetch(path: str) -> int:
            async with gate:
                st, size, _ = await _get(host, port, path, cookie)
                if st not in (200, 304):
                    raise RuntimeError(f"{path} answered {st}")
                return size

        v.bytes += sum(await asyncio.gather(*(fetch(p) for p in assets)))
        headers = {"Cookie": f"hkcctv_route={cookie}"} if cookie else {}
        async with websockets.connect(f"ws://{host}:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None,
                                      additional_headers=headers, open_timeout=VISIT_TIMEOUT_S) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = page
            await ws.send(msg.SerializeToString())
            while True:
                raw = await ws.recv()
                v.bytes += len(raw)
                fwd = ForwardMsg()
                fwd.ParseFromString(raw)
                kind = fwd.WhichOneof("type")
                if kind == "delta" and v.first_s is None:
                    v.first_s = time.perf_counter() - v.started
                if kind == "script_finished":
                    v.done_s = time.perf_counter() - v.started
                    break
    except Exception as exc:  # noqa: BLE001 - a failed visit is a result
        v.error = f"{type(exc).__name__}: {str(exc)[:120]}"
    return v


async def _run_rate(base: str, rate: float, seconds: float, assets: dict[str, list[str]]) -> list[Visit]:
    tasks = []
    start = time.perf_counter()
    n = int(rate * seconds)
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        page = PAGES[i % len(PAGES)]
        tasks.append(asyncio.create_task(asyncio.wait_for(visit(base, page, assets.get(page, [])), VISIT_TIMEOUT_S)))
    out = []
    for i, task in enumerate(tasks):
        try:
            out.append(await task)
        except asyncio.TimeoutError:
            out.append(Visit(PAGES[i % len(PAGES)], 0, error=f"no content in {VISIT_TIMEOUT_S:.0f} s"))
    return out


def _arun(coro):
    """asyncio.run in a thread of its own (Playwright's sync API keeps an event loop in this one)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


# --- where the CPU went during a step ---------------------------------------------------------------

def _proc_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _HZ


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return out


def _machine_busy_s() -> float:
    """CPU seconds every core of the machine spent busy so far (/proc/stat, all processes)."""
    v = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(v) - v[3] - v[4]) / _HZ  # minus idle and iowait


class CpuMeter:
    """CPU seconds used during a step by the replicas, by nginx (master and workers), by this
    process (the load generator) and by everything else on the machine."""

    def __init__(self, stack):
        self.replicas = [r.proc.pid for r in stack.members] if stack else []
        self.nginx = ([stack.nginx.pid, *_children(stack.nginx.pid)] if stack and stack.nginx else [])

    def _read(self) -> dict:
        import resource

        me = resource.getrusage(resource.RUSAGE_SELF)
        return {"replicas": sum(_proc_cpu_s(p) for p in self.replicas), "nginx": sum(_proc_cpu_s(p) for p in self.nginx),
                "generator": me.ru_utime + me.ru_stime, "machine": _machine_busy_s(), "wall": time.perf_counter()}

    def __enter__(self) -> "CpuMeter":
        self.start = self._read()
        return self

    def __exit__(self, *exc) -> None:
        end = self._read()
        d = {k: end[k] - self.start[k] for k in end}
        d["others"] = max(0.0, d["machine"] - d["replicas"] - d["nginx"] - d["generator"])
        self.used = d


def run_rate(base: str, rate: float, seconds: float, assets: dict[str, list[str]], stack=None) -> dict:
    with CpuMeter(stack) as cpu:
        visits = _arun(_run_rate(base, rate, seconds, assets))
    done = [v.done_s if v.error is None else VISIT_TIMEOUT_S for v in visits]
    failures = [v.error for v in visits if v.error]
    firsts = [v.first_s for v in visits if v.first_s is not None]
    used = cpu.used
    return {"rate": rate, "visits": len(visits), "failures": len(failures), "failure_examples": failures[:3],
            "p50_s": _p(done, 0.5), "p95_s": _p(done, 0.95), "max_s": max(done),
            "first_p95_s": _p(firsts, 0.95) if firsts else None,
            "kb_per_visit": statistics.mean(v.bytes for v in visits) / 1000,
            "sustained": not failures and _p(done, 0.95) <= TTC_TARGET_S,
            # cores busy on average over the step, by whom; and replica CPU per visit
            "cores": {k: used[k] / used["wall"] for k in ("replicas", "nginx", "generator", "others")},
            "replica_cpu_per_visit_s": used["replicas"] / len(visits) if visits else None,
            "loadavg": Path("/proc/loadavg").read_text().split()[0]}


def capacity(base: str, assets: dict[str, list[str]], start: float = 1.0, factor: float = 1.5, seconds: float = STEP_SECONDS,
             log=print, stack=None) -> dict:
    """Raise the rate by `factor` until p95 passes the target, then try once between the last
    sustained rate and the first that was not."""
    steps = []
    rate = start
    while True:
        r = run_rate(base, rate, seconds, assets, stack)
        steps.append(r)
        log(f"  {rate:.2f} visits/s: p95 {r['p95_s']:.2f} s, {r['failures']} failed; cores busy "
            + ", ".join(f"{k} {v:.2f}" for k, v in r["cores"].items()))
        if not r["sustained"] or rate > 50:
            break
        rate *= factor
    good = [s["rate"] for s in steps if s["sustained"]]
    if good and not steps[-1]["sustained"]:
        mid = (max(good) + steps[-1]["rate"]) / 2
        r = run_rate(base, mid, seconds, assets, stack)
        steps.append(r)
        log(f"  {mid:.2f} visits/s: p95 {r['p95_s']:.2f} s, {r['failures']} failed; cores busy "
            + ", ".join(f"{k} {v:.2f}" for k, v in r["cores"].items()))
        if r["sustained"]:
            good.append(mid)
    return {"sustained_rate": max(good) if good else 0.0, "steps": steps}


# --- what a first visit fetches, in a real browser --------------------------------------------------

def first_visit(browser, url: str) -> dict:
    """A fresh browser context opens url: the static paths it fetched from the app's own origin and
    the bytes on the wire (HTTP bodies as encoded, plus websocket frames), from Chromium's
    DevTools network events."""
    from tests.browser.conftest import new_tab, wait_ready

    class _Srv:  # new_tab wants something with .url
        def __init__(self, u):
            self.url = u

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    tab = new_tab(browser, _Srv(origin))
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("Network.enable")
    encoded: dict[str, float] = {}
    urls: dict[str, str] = {}
    ws = {"received": 0, "sent": 0}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], e["encodedDataLength"]))

    def frame_size(e) -> int:
        r = e["response"]
        return len(base64.b64decode(r["payloadData"])) if r.get("opcode") == 2 else len(r["payloadData"].encode())

    cdp.on("Network.webSocketFrameReceived", lambda e: ws.__setitem__("received", ws["received"] + frame_size(e)))
    cdp.on("Network.webSocketFrameSent", lambda e: ws.__setitem__("sent", ws["sent"] + frame_size(e)))
    try:
        tab.page.goto(url)
        wait_ready(tab.page, timeout=120_000)
        static = sorted({urlsplit(u).path for rid, u in urls.items() if u.startswith(origin) and "/_stcore/" not in u
                         and urlsplit(u).path not in ("/", "/" + urlsplit(url).path.strip("/"))})
        return {"static_paths": static, "http_bytes": int(sum(encoded.values())), "requests": len(encoded),
                "ws_bytes_received": ws["received"], "ws_bytes_sent": ws["sent"]}
    finally:
        tab.page.context.close()


# --- memory of one large upload ------------------------------------------------------------------

def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def upload_memory(browser, rows: int = UPLOAD_ROWS, rounds: int = 3) -> dict:
    """A replica's resident memory around uploads of `rows` synthetic rows, in a real browser, in
    one session, `rounds` times: the peak while the file is sent, read and drawn, after, and after
    the reader clears it (memory that does not come back would ratchet up round after round)."""
    from benchmarks.synthetic import synthetic_upload_csv
    from metrics.map_upload import DETAIL_ROWS
    from tests.browser.conftest import new_tab, start_server, wait_ready, wait_rerun
    from ui.i18n import t

    data = synthetic_upload_csv(rows)
    server = start_server(timeout=120)
    tab = new_tab(browser, server)
    try:
        tab.page.goto(server.page_url("map"))
        wait_ready(tab.page, timeout=120_000)
        pid = server.proc.pid
        out = {"rows": rows, "file_bytes": len(data), "rss_before_kb": _status_kb(pid, "VmRSS:"), "rounds": []}
        notice = t("serve.upload_positions_only", "en", limit=f"{DETAIL_ROWS:,}")
        for n in range(rounds):
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
            cpu0, t0 = _proc_cpu_s(pid), time.perf_counter()
            uploader = tab.page.locator('[data-testid="stFileUploader"] input[type="file"]').first
            wait_rerun(tab.page, lambda: uploader.set_input_files(files=[{
                "name": f"synthetic-upload-{n}.csv", "mimeType": "text/csv", "buffer": data}]), timeout=180_000)
            tab.page.get_by_text(notice[:40]).first.wait_for(timeout=180_000)
            r = {"upload_to_map_s": time.perf_counter() - t0, "server_cpu_s": _proc_cpu_s(pid) - cpu0,
                 "peak_kb": _status_kb(pid, "VmHWM:"), "rss_after_kb": _status_kb(pid, "VmRSS:")}
            delete = tab.page.locator('button[data-testid="stFileChipDeleteBtn"], [data-testid="stFileChipDeleteBtn"] button').first
            wait_rerun(tab.page, delete.click, timeout=60_000)
            r["rss_after_clear_kb"] = _status_kb(pid, "VmRSS:")
            out["rounds"].append(r)
        out["faults"] = (tab.exceptions() + tab.watcher.faults())[:3]
        return out
    finally:
        tab.page.context.close()
        server.stop()


def child_upload_paths(rows: int = UPLOAD_ROWS) -> dict:
    """In this process: read_upload's peak memory and CPU for `rows` rows the way it works now
    (positions only, in chunks) and with every row read in full (what it did before), for comparison."""
    import gc
    import os

    from benchmarks.synthetic import synthetic_upload_csv
    from metrics import map_upload
    pid = os.getpid()
    data = synthetic_upload_csv(rows)
    out = {"rows": rows, "file_bytes": len(data)}
    for label, detail in (("positions", map_upload.DETAIL_ROWS), ("every_row_in_full", 10**9)):
        gc.collect()
        map_upload.release_memory()
        Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
        base = _status_kb(pid, "VmRSS:")
        c = time.process_time()
        up = map_upload.read_upload(data, "synthetic.csv", detail_rows=detail)
        out[label] = {"peak_over_start_kb": _status_kb(pid, "VmHWM:") - base, "cpu_s": time.process_time() - c,
                      "rows_kept": len(up.frame), "frame_bytes": int(up.frame.memory_usage(deep=True).sum())}
        del up
    return out


# --- the stacks ---------------------------------------------------------------------------------------

@dataclass
class Setup:
    label: str
    replicas: int
    nginx: bool = True
    gzip: bool = True
    results: dict = field(default_factory=dict)


def warm(stack) -> None:
    """Each replica runs each page once (the first run of a process loads the data)."""
    for r in stack.members:
        for page in PAGES:
            v = _arun(visit(r.url, page, []))
            if v.error:
                raise RuntimeError(f"warm-up of {r.name} /{page}: {v.error}")


def measure(browser, seconds: float = STEP_SECONDS, log=print) -> dict:
    """Everything serving-related: first-visit bytes, capacity with 1 and 2 replicas behind nginx
    (and 1 replica without nginx, as `make run` serves), upload memory."""
    from deploy.stack import Stack, free_port

    out: dict = {"ttc_target_s": TTC_TARGET_S, "step_seconds": seconds}
    # Bytes per first visit: the same page through nginx with and without compression, and straight from a replica.
    with Stack(port=free_port(), replicas=1, listen="127.0.0.1") as s:
        warm(s)
        out["first_visit_nginx_gzip"] = first_visit(browser, s.url + "/")
        out["first_visit_direct"] = first_visit(browser, s.members[0].url + "/")
        assets = {page: first_visit(browser, s.url + "/" + page)["static_paths"] for page in PAGES}
    out["assets_per_page"] = {p or "/": len(a) for p, a in assets.items()}
    with Stack(port=free_port(), replicas=1, listen="127.0.0.1", gzip=False) as s:
        warm(s)
        out["first_visit_nginx_plain"] = first_visit(browser, s.url + "/")
    # Capacity.
    for label, replicas in (("nginx_1", 1), ("nginx_2", 2)):
        with Stack(port=free_port(), replicas=replicas, listen="127.0.0.1") as s:
            warm(s)
            log(f"[serving] {label}: {replicas} replica(s) behind nginx")
            out[label] = capacity(s.url, assets, seconds=seconds, log=log, stack=s)
    with Stack(port=free_port(), replicas=1, listen="127.0.0.1") as s:  # the replica alone, as `make run` serves
        warm(s)
        log("[serving] direct_1: one replica, no nginx")
        out["direct_1"] = capacity(s.members[0].url, assets, seconds=seconds, log=log, stack=s)
    log("[serving] upload memory")
    out["upload"] = upload_memory(browser)
    return out
