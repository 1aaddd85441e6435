"""The one data signature: a content hash of the data directory, used by every cache and the citation.

It is `loaders.citation.data_hash` (sha256 over every data file, line ends normalised), so the
version a reader cites and the key every cache uses are the same string. Hashing every byte on
every rerun would cost ~20 ms at 60,000 cameras, so the hash is remembered per process against
the files' (path, size, mtime_ns): an edit changes one of them, and then the bytes are hashed again.
As in git's "racy" rule, a file modified in the last two seconds could change again within the
clock's resolution without changing its stamp, so such a directory is never remembered.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from loaders.citation import data_files, data_hash

_lock = threading.Lock()
_memo: dict[str, tuple[tuple, str]] = {}
RACY_SECONDS = 2.0


def _stamp(root: Path) -> tuple:
    out = []
    for path in data_files(root):
        st = path.stat()
        out.append((path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


def data_signature(root: str | Path) -> str:
    """The data directory's content hash (12 hex digits), recomputed only when a file changed."""
    root = Path(root)
    stamp = _stamp(root)
    key = str(root.resolve())
    with _lock:
        held = _memo.get(key)
        if held and held[0] == stamp:
            return held[1]
    signature = data_hash(root)
    newest = max((mtime for _, _, mtime in stamp), default=0)
    if time.time_ns() - newest > RACY_SECONDS * 1e9:
        with _lock:
            _memo[key] = (stamp, signature)
    return signature
