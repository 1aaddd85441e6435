"""Bytes of a camera list from an http(s) URL or a local path, size-capped before reading."""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from loaders.fetch import USER_AGENT, FetchError, fetch_bytes
from loaders.importers.cameras.notices import DataError, Problem

__all__ = ["MAX_BYTES", "USER_AGENT", "fetch"]
MAX_BYTES = 20_000_000


def fetch(source: str, timeout: float = 30, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """Bytes and a display name from an http(s) URL or a local path; DataError on failure."""
    if re.match(r"^https?://", source, re.I):
        name = Path(urllib.parse.unquote(urllib.parse.urlsplit(source).path)).name or urllib.parse.urlsplit(source).netloc
        try:  # the one strict download (loaders/fetch.py): a short body or a redirect off http(s) is an error
            data = fetch_bytes(source, timeout=timeout, max_bytes=max_bytes)
        except FetchError as exc:
            raise DataError([Problem(name, None, "file", f"download failed: {exc.reason} for {source}")]) from None
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
