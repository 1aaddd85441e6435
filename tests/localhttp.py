"""A local HTTP server on 127.0.0.1 for tests of the scheduled jobs (no network needed).

Each path is a Route: a status, a body, and optionally a body cut short of its Content-Length
(a truncated download) or a response that never comes (a time-out; the handler waits on an
event that the fixture sets at teardown, so nothing sleeps).
"""
from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/octet-stream"
    truncate_to: int | None = None  # send only this many bytes of the body, announcing all of it
    hang: bool = False  # never answer (the client's time-out fires)
    hits: list = field(default_factory=list)  # request bodies received (POST) or b"" (GET)


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.release = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                payload = self.rfile.read(length) if length else b""
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                route.hits.append(payload)
                if route.hang:
                    server.release.wait(10)
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(route.body if route.truncate_to is None else route.body[:route.truncate_to])
                self.wfile.flush()
                self.close_connection = True

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args):  # keep test output clean
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes | str, **kw) -> str:
        self.routes[path] = Route(body.encode("utf-8") if isinstance(body, str) else body, **kw)
        return self.url(path)

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()
