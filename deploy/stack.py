"""`make serve`: N Streamlit replicas behind nginx on one machine.

    python -m deploy.stack [--port 8080] [--replicas N] [--listen 0.0.0.0]

Each replica is `python -m ui.serve --production` on its own port on 127.0.0.1 (ui/serve.py: no
file watcher, no run-on-save, no error details); nginx (deploy/nginx.conf.template) listens on
--port, serves Streamlit's static files from a precompressed copy, compresses the rest, proxies
the websocket and keeps each browser on one replica. The default is one replica per CPU core:
a replica runs the app's scripts on one core at a time (Python), so more replicas than cores only
adds memory. A replica that exits is started again; Ctrl-C (or SIGTERM) stops everything.

The browser tests and `make bench` start the same stack on free ports (Stack below).
"""
from __future__ import annotations

import argparse
import os
import secrets
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy import render  # noqa: E402 - after the path is set, for `python deploy/stack.py` too
from ui import serve  # noqa: E402

STATIC_CACHE = ROOT / ".serve" / "static"  # the precompressed copy of Streamlit's static files (git-ignored)
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")


def cores() -> int:
    """CPU cores this process may use (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll url until it answers 200; fail early if proc exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before {url} answered:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    """Stop a process started in its own session, and its children."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass


@dataclass
class Replica:
    name: str
    port: int
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


@dataclass
class Stack:
    """nginx + N replicas. `with Stack(...) as s:` starts and stops them; s.url is nginx's address."""

    port: int = 8080
    replicas: int = field(default_factory=cores)
    listen: str = "127.0.0.1"
    replica_ports: list[int] | None = None  # default: free ports
    run_dir: Path | None = None  # logs, pid file, rendered configuration; default: a new temporary folder
    data_dir: Path | None = None  # HKCCTV_DATA_DIR for the replicas (default: the repository's data/)
    static_cache: Path | None = STATIC_CACHE  # None: no copy on disk, the replicas serve /static/
    gzip: bool = True
    extra_args: tuple[str, ...] = ()  # more `streamlit run` options for every replica
    keep_run_dir: bool = False  # keep a run folder this stack made itself (make serve keeps its logs)
    members: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    conf: Path | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.listen in ("0.0.0.0", "::", "") else self.listen
        return f"http://{host}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    def _env(self) -> dict:
        env = dict(os.environ)
        # One secret for all replicas: a session that moves (its replica restarted) keeps its XSRF cookie valid.
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", self._secret)
        env.pop("HKCCTV_DATA_DIR", None)
        if self.data_dir is not None:
            env["HKCCTV_DATA_DIR"] = str(self.data_dir)
        return env

    def _start_replica(self, r: Replica) -> None:
        with r.log.open("ab") as fh:
            r.proc = subprocess.Popen(serve.command(r.port, "127.0.0.1", *self.extra_args), cwd=ROOT, env=self._env(),
                                      stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)

    def start(self, timeout: float = 120) -> "Stack":
        self._secret = secrets.token_hex(32)
        self._made_run_dir = self.run_dir is None
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="hkcctv-serve-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.run_dir.chmod(0o755)  # nginx's workers (another user when started as root) write temp files here
        ports = self.replica_ports or [free_port() for _ in range(self.replicas)]
        self.members = [Replica(f"replica-{i}", p, self.run_dir / f"replica-{i}.log") for i, p in enumerate(ports, start=1)]
        try:
            for r in self.members:  # all start at once; each loads the data on its first visit
                self._start_replica(r)
            for r in self.members:
                wait_healthy(f"{r.url}/_stcore/health", timeout, r.proc, r.log)
            static = render.precompress_static(self.static_cache) if self.static_cache else None
            self.conf = render.render(render.Settings(
                upstreams=[r.address for r in self.members], out=self.run_dir, listen=f"{self.listen}:{self.port}",
                static_root=static, names={r.address: r.name for r in self.members}, gzip=self.gzip))
            log = self.run_dir / "error.log"
            check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.run_dir), "-c", str(self.conf), "-e", str(log)],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
            self.nginx = subprocess.Popen([NGINX, "-p", str(self.run_dir), "-c", str(self.conf), "-e", str(log),
                                           "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                          start_new_session=True)
            wait_healthy(f"{self.url}/_stcore/health", timeout, self.nginx, log)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.nginx is not None:
            _stop(self.nginx, signal.SIGQUIT)  # graceful: open websockets are closed after their requests
        for r in self.members:
            if r.proc is not None:
                _stop(r.proc)
        if getattr(self, "_made_run_dir", False) and not self.keep_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def restart_exited(self) -> list[str]:
        """Start again any replica that has exited; the names of those restarted."""
        restarted = []
        for r in self.members:
            if r.proc is not None and r.proc.poll() is not None:
                self._start_replica(r)
                restarted.append(r.name)
        return restarted

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.stack", description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=int(os.environ.get("SERVE_PORT", 8080)), help="nginx's port (default 8080)")
    p.add_argument("--listen", default="0.0.0.0", help="nginx's address (default: every interface)")
    p.add_argument("--replicas", type=int, default=cores(), help=f"Streamlit replicas (default: one per core, here {cores()})")
    p.add_argument("--replica-port", type=int, default=8601, help="the first replica's port; the others follow (default 8601)")
    p.add_argument("--run-dir", type=Path, help="logs and the rendered configuration (default: a new folder in /tmp)")
    a = p.parse_args(argv)
    if not Path(NGINX).exists():
        print(f"nginx not found ({NGINX}): install it with 'apt-get install nginx' (make serve does, as root)", file=sys.stderr)
        return 2
    stack = Stack(port=a.port, listen=a.listen, replicas=a.replicas, run_dir=a.run_dir, keep_run_dir=True,
                  replica_ports=[a.replica_port + i for i in range(a.replicas)])
    stopping = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.append(True))
    stack.start()
    print(f"Serving on {stack.url} (nginx, {a.replicas} replica{'s' if a.replicas != 1 else ''} on ports "
          f"{', '.join(str(r.port) for r in stack.members)}); logs in {stack.run_dir}. Ctrl-C stops.", flush=True)
    try:
        while not stopping:
            if stack.nginx.poll() is not None:
                print(f"nginx exited with {stack.nginx.returncode}; see {stack.run_dir / 'error.log'}", file=sys.stderr)
                return 1
            for name in stack.restart_exited():
                print(f"{name} exited; started it again (log: {stack.run_dir / (name + '.log')})", file=sys.stderr, flush=True)
            time.sleep(1)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
