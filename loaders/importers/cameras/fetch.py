"""Bytes of a camera list from an http(s) URL or a local path, size-capped before reading."""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from loaders.importers.cameras.notices import DataError, Problem

USER_AGENT = "HongKongCCTVWatch/1.0 (+open-source dashboard; camera list importer)"
MAX_BYTES = 20_000_000


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s), never to ftp:, file: or anything else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.URLError(f"refusing redirect to {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(source: str, timeout: float = 30, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """Bytes and a display name from an http(s) URL or a local path; DataError on failure."""
    if re.match(r"^https?://", source, re.I):
        name = Path(urllib.parse.unquote(urllib.parse.urlsplit(source).path)).name or urllib.parse.urlsplit(source).netloc
        req = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.build_opener(_HttpOnlyRedirects).open(req, timeout=timeout) as resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise DataError([Problem(name, None, "file", f"{source} is {int(length):,} bytes; the limit is {max_bytes:,}")])
                data = resp.read(max_bytes + 1)
        except urllib.error.HTTPError as exc:
            raise DataError([Problem(name, None, "file", f"download failed: HTTP {exc.code} {exc.reason} for {source}")]) from None
        except urllib.error.URLError as exc:
            raise DataError([Problem(name, None, "file", f"download failed: {exc.reason} for {source}")]) from None
        except (TimeoutError, OSError) as exc:
            raise DataError([Problem(name, None, "file", f"download failed: {exc} for {source}")]) from None
        if len(data) > max_bytes:
            raise DataError([Problem(name, None, "file", f"{source} is more than {max_bytes:,} bytes")])
        return data, name
    path = Path(source)
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataError([Problem(name, None, "file", f"file is {size:,} bytes; the limit is {max_bytes:,}")])
        return path.read_bytes(), name
    except OSError as exc:
        raise DataError([Problem(name or source, None, "file", f"cannot read {source}: {exc.strerror or exc}")]) from None
