"""Bring-your-own sightings: an uploaded file -> camera rows for one session's map layer.

The bytes go through the same importer as `python -m loaders import-cameras` (CSV, GeoJSON,
OpenStreetMap, KML/KMZ, HK1980 Grid columns) and the same schema check as
data/cameras_td.csv. Nothing here touches the disk: the result lives in the reader's session
and is gone when the session ends (or when the reader clears the upload).

Bounded by cost, not only by size: a list longer than DETAIL_ROWS is drawn as hexagons anyway
(ui/charts/map_deck.py draws at most map_stats.POINT_LIMIT points), so for it only each row's
point and district are read and kept, chunk by chunk (importer.iter_positions), and the page
says so. That keeps a 200,000-row upload at tens of megabytes instead of about 700 MB, and a
few seconds of server time instead of fifteen. At most MAX_LISTED problems and notes are kept
(with their counts); the page lists the first fifty.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
from dataclasses import dataclass, field

import pandas as pd

from loaders import schema
from loaders.datasets import to_frame
from loaders.importers.cameras import (DataError, errors, import_cameras, import_records, iter_positions, notices, read_records,
                                       typed_frame)
from loaders.problems import Problem
from metrics.map_stats import POINT_LIMIT

MAX_BYTES = 20_000_000  # about 20 MB
MAX_ROWS = 200_000
DETAIL_ROWS = POINT_LIMIT  # above this many rows the map draws hexagons: only points and districts are kept
MAX_LISTED = 500  # problems (and notes) kept per upload for the page to list; the rest are counted
POSITION_COLUMNS = ("latitude", "longitude", "district_code")
SOURCE_ID = "user-upload"  # not a source record: uploads are never cited as published data
ACCEPTED_TYPES = ("csv", "tsv", "txt", "json", "geojson", "kml", "kmz")


@dataclass
class Upload:
    """What came of one uploaded file: the usable rows, the problems (rows or the file left
    out, by row and field) and the notes (something ignored or left empty in rows kept)."""

    name: str
    digest: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problem_count: int | None = None  # how many there were (the lists keep at most MAX_LISTED)
    note_count: int | None = None
    positions_only: bool = False  # a long list: only each row's point and district were read
    shown: "Upload | None" = field(default=None, repr=False, compare=False)  # for_map's result, made once

    def __post_init__(self):
        self.problem_count = len(self.problems) if self.problem_count is None else self.problem_count
        self.note_count = len(self.notes) if self.note_count is None else self.note_count

    @property
    def ok(self) -> bool:
        return len(self.frame) > 0


def _empty() -> pd.DataFrame:
    return to_frame([], schema.CAMERAS)


def release_memory() -> None:
    """Hand memory freed by a parsed (or cleared) upload back to the operating system.

    glibc keeps freed heap memory for reuse, so a replica's resident size stays at its highest
    point after a large upload; malloc_trim returns what is free (measured: 55 MB -> 17 MB after
    a 200,000-row upload). A no-op where the C library is not glibc."""
    libc = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(libc).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def read_upload(data: bytes, name: str, *, district_index=None, max_bytes: int = MAX_BYTES,
                max_rows: int = MAX_ROWS, detail_rows: int = DETAIL_ROWS) -> Upload:
    """Parse an uploaded camera list in any format the importer reads.

    Bad rows are dropped and reported (file, row, field, what was expected); good rows are kept.
    Rows without a point are left out (the layer draws points). A file over the size or row
    limit is refused whole, before its rows are checked. A list of more than detail_rows rows
    keeps only its points and districts (positions_only), read a chunk at a time.
    """
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = name or "upload"
    if len(data) > max_bytes:
        return Upload(name, digest, _empty(), [Problem(name, None, "file", f"file is {len(data):,} bytes; the limit is {max_bytes:,}")])
    try:
        _fmt, records, where, read_notes = read_records(data, name, max_bytes)
    except DataError as exc:
        return Upload(name, digest, _empty(), exc.problems)
    if len(records) > max_rows:
        return Upload(name, digest, _empty(), [Problem(where, None, "file", f"{len(records):,} rows; the limit is {max_rows:,}")])
    if len(records) > detail_rows:
        return _positions(name, digest, _fmt, records, where, read_notes, district_index, detail_rows)
    del records
    frame, found = import_cameras(data, name, source_id=SOURCE_ID, max_bytes=max_bytes, max_rows=max_rows,
                                  district_index=district_index, keep_row_sources=False, require_point=True)
    problems, notes = errors(found), notices(found)
    if frame.empty:
        return _listed(Upload(name, digest, _empty(), problems, notes))
    # The schema check data/ gets, so an upload can never hold what the data files cannot.
    typed, more = typed_frame(frame, name)
    return _listed(Upload(name, digest, typed, problems + more, notes))


def _listed(up: Upload) -> Upload:
    """At most MAX_LISTED problems and notes kept (their counts, set when made, stay whole)."""
    up.problems, up.notes = up.problems[:MAX_LISTED], up.notes[:MAX_LISTED]
    return up


def _positions(name: str, digest: str, fmt: str, records, where: str, read_notes: list[Problem], district_index,
               detail_rows: int) -> Upload:
    """A long list: points and districts only, chunk by chunk; at most MAX_LISTED problems kept.
    If so many rows were left out that the rest fit on the map one by one, those are read again in
    full (the map then draws them as points, with their descriptions)."""
    lats: list[float] = []
    lons: list[float] = []
    codes: list[str] = []
    kept: list[int] = []
    problems, notes = [], list(read_notes[:MAX_LISTED])
    counts = {"problems": 0, "notes": len(read_notes)}
    for la, lo, co, ns, found in iter_positions(records, where, index=district_index):
        lats += la
        lons += lo
        codes += co
        kept += ns
        for kind, items, held in (("problems", errors(found), problems), ("notes", notices(found), notes)):
            counts[kind] += len(items)
            held.extend(items[:max(0, MAX_LISTED - len(held))])
    if 0 < len(kept) <= detail_rows:
        wanted = set(kept)
        subset = [rec for n, rec in enumerate(records, start=1) if n in wanted]
        found: list[Problem] = []
        frame = import_records(fmt, subset, where, source_id=SOURCE_ID, problems=found, district_index=district_index,
                               keep_row_sources=False, require_point=True)
        typed, more = typed_frame(frame, name) if len(frame) else (_empty(), [])
        return _listed(Upload(name, digest, typed, problems + errors(found) + more, read_notes + notices(found),
                              counts["problems"] + len(errors(found)) + len(more), len(read_notes) + len(notices(found))))
    frame = pd.DataFrame({"latitude": pd.Series(lats, dtype="float64"), "longitude": pd.Series(lons, dtype="float64"),
                          "district_code": pd.Series(codes, dtype="category")})
    return Upload(name, digest, frame, problems, notes, counts["problems"], counts["notes"], positions_only=True)


def for_map(up: Upload) -> Upload:
    """The upload as the map layer draws it (prepare_upload's rows), made once and kept on the upload,
    so the session's one Upload owns every copy of its rows (see discard)."""
    if up.shown is None:
        up.shown = Upload(up.name, up.digest, prepare_upload(up))
    return up.shown


def discard(up: Upload | None) -> None:
    """Empty an upload the reader cleared or replaced, in place.

    Streamlit keeps the globals of a page's earlier runs reachable for a while (through the
    functions that run defined: cached functions, widget callbacks), and those globals name this
    upload; emptying it lets its rows go now rather than whenever Streamlit lets go of them."""
    for u in (up, up.shown if up is not None else None):
        if u is not None:
            u.frame, u.problems, u.notes = _empty(), [], []
    if up is not None:
        up.shown = None


def prepare_upload(up: Upload) -> pd.DataFrame:
    """Rows ready for the map layer (same extra columns as known cameras)."""
    if up.positions_only:  # drawn as hexagons from latitude/longitude: no per-row columns to add
        return up.frame
    out = up.frame.copy()
    out["category"] = "upload"
    out["first_seen_precision"] = out["first_seen_precision"].fillna("day") if "first_seen_precision" in out else "day"
    out["source_label"] = up.name
    return out
