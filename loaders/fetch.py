"""Strict HTTP fetch for the scheduled jobs (refresh, watch): a whole body or a clear reason why not.

Also what the camera importer downloads with. A body shorter than its Content-Length is an error
(urllib's read(n) returns it silently), and every failure says what happened in a phrase a
maintainer can act on ("HTTP 500 Internal Server Error",
"timed out after 60 s", "truncated: 1,000 of 5,000 bytes").
"""
from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "HongKongCCTVWatch/1.0 (+open-source dashboard; scheduled refresh)"
MAX_BYTES = 50_000_000
TIMEOUT = 60.0


class FetchError(Exception):
    """A download that did not give a complete body; `reason` is one readable phrase."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{reason} ({url})")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s), never to file: or ftp:."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.URLError(f"refusing redirect to {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_bytes(url: str, *, data: bytes | None = None, timeout: float = TIMEOUT,
                max_bytes: int = MAX_BYTES, content_type: str | None = None) -> bytes:
    """The complete body of an http(s) GET (or POST when `data` is given); FetchError otherwise."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise FetchError(url, "not an http(s) address")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.build_opener(_HttpOnlyRedirects).open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            expected = int(length) if length and length.strip().isdigit() else None
            if expected is not None and expected > max_bytes:
                raise FetchError(url, f"too large: {expected:,} bytes (limit {max_bytes:,})")
            body = resp.read() if expected is not None else resp.read(max_bytes + 1)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()  # the error response holds the connection open until closed
        raise FetchError(url, f"HTTP {exc.code} {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        got = len(exc.partial)
        raise FetchError(url, f"truncated: {got:,} of {got + (exc.expected or 0):,} bytes") from None
    except TimeoutError:
        raise FetchError(url, f"timed out after {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(url, f"timed out after {timeout:g} s") from None
        raise FetchError(url, f"cannot connect: {reason}") from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(url, f"connection failed: {exc.__class__.__name__} {exc}".strip()) from None
    if len(body) > max_bytes:
        raise FetchError(url, f"too large: more than {max_bytes:,} bytes")
    if expected is not None and len(body) != expected:
        raise FetchError(url, f"truncated: {len(body):,} of {expected:,} bytes")
    if not body:
        raise FetchError(url, "empty body")
    return body
