"""Bring-your-own sightings: an uploaded file -> camera rows for one session's map layer.

The bytes go through the same importer as `python -m loaders import-cameras` (CSV, GeoJSON,
OpenStreetMap, KML/KMZ, HK1980 Grid columns) and the same schema check as
data/cameras_td.csv. Nothing here touches the disk: the result lives in the reader's session
and is gone when the session ends.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from loaders import schema as S
from loaders.datasets import to_frame
from loaders.importers.cameras import errors, import_cameras, notices, typed_frame
from loaders.problems import Problem

MAX_BYTES = 20_000_000  # about 20 MB
MAX_ROWS = 200_000
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

    @property
    def ok(self) -> bool:
        return len(self.frame) > 0


def _empty() -> pd.DataFrame:
    return to_frame([], S.CAMERAS)


def read_upload(data: bytes, name: str, *, district_index=None, max_bytes: int = MAX_BYTES,
                max_rows: int = MAX_ROWS) -> Upload:
    """Parse an uploaded camera list in any format the importer reads.

    Bad rows are dropped and reported (file, row, field, what was expected); good rows are kept.
    Rows without a point are left out (the layer draws points). A file over the size or row
    limit is refused whole, before parsing.
    """
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = name or "upload"
    if len(data) > max_bytes:
        return Upload(name, digest, _empty(), [Problem(name, None, "file", f"file is {len(data):,} bytes; the limit is {max_bytes:,}")])
    frame, found = import_cameras(data, name, source_id=SOURCE_ID, max_bytes=max_bytes, max_rows=max_rows,
                                  district_index=district_index, keep_row_sources=False, require_point=True)
    problems, notes = errors(found), notices(found)
    if frame.empty:
        return Upload(name, digest, _empty(), problems, notes)
    # The schema check data/ gets, so an upload can never hold what the data files cannot.
    typed, more = typed_frame(frame, name)
    return Upload(name, digest, typed, problems + more, notes)


def prepare_upload(up: Upload) -> pd.DataFrame:
    """Rows ready for the map layer (same extra columns as known cameras)."""
    out = up.frame.copy()
    out["category"] = "upload"
    out["first_seen_precision"] = out["first_seen_precision"].fillna("day") if "first_seen_precision" in out else "day"
    out["source_label"] = up.name
    return out
