"""Bring-your-own sightings: an uploaded file -> camera rows for one session's map layer.

The bytes go through the same importer as `python -m loaders import-cameras` and the same
schema check as data/cameras_td.csv. Nothing here touches the disk: the result lives in the
reader's session and is gone when the session ends.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from loaders import schema as S
from loaders.datasets import to_frame
from loaders.importers.cameras import import_cameras
from loaders.problems import Problem
from loaders.validate import LineDict, check_records

MAX_BYTES = 20_000_000  # about 20 MB
MAX_ROWS = 200_000
SOURCE_ID = "user-upload"  # not a source record: uploads are never cited as published data
ACCEPTED_TYPES = ("csv", "json", "geojson", "txt")


@dataclass
class Upload:
    """What came of one uploaded file: the usable rows and every problem, by row and field."""

    name: str
    digest: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return len(self.frame) > 0


def _empty() -> pd.DataFrame:
    return to_frame([], S.CAMERAS)


def read_upload(data: bytes, name: str, *, district_index=None, max_bytes: int = MAX_BYTES,
                max_rows: int = MAX_ROWS) -> Upload:
    """Parse an uploaded CSV (latitude/longitude columns), GeoJSON or Overpass JSON file.

    Bad rows are dropped and reported (file, row, field, what was expected); good rows are kept.
    A file over the size or row limit is refused whole, before parsing.
    """
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = name or "upload"
    if len(data) > max_bytes:
        return Upload(name, digest, _empty(), [Problem(name, None, "file", f"file is {len(data):,} bytes; the limit is {max_bytes:,}")])
    frame, problems = import_cameras(data, name, source_id=SOURCE_ID, max_bytes=max_bytes, max_rows=max_rows,
                                     district_index=district_index)
    if frame.empty:
        return Upload(name, digest, _empty(), problems)
    # The schema check data/ gets, so an upload can never hold what the data files cannot.
    records = []
    for n, row in enumerate(frame.to_dict("records"), start=1):
        rec = LineDict({k: (None if v in ("", None) or (isinstance(v, float) and v != v) else v) for k, v in row.items()})
        rec.line = n
        rec.lines = {k: n for k in rec}
        records.append(rec)
    rows, more = check_records(records, S.CAMERAS, name)
    for p in more:  # line here is the imported row's number, not the file's line: say so
        problems.append(Problem(p.file, None, p.field, f"imported row {p.line}: {p.message}"))
    return Upload(name, digest, to_frame(rows, S.CAMERAS), problems)


def prepare_upload(up: Upload) -> pd.DataFrame:
    """Rows ready for the map layer (same extra columns as known cameras)."""
    out = up.frame.copy()
    out["category"] = "upload"
    out["first_seen_precision"] = "day"
    out["source_label"] = up.name
    return out
