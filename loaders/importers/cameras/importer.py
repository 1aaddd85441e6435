"""import_cameras: the bytes of one camera list -> (rows shaped like data/cameras_td.csv, problems).

Used by `python -m loaders import-cameras` and by the map's upload, so it never trusts its
input: size is capped before parsing (a KMZ's contents too), XML with a DOCTYPE is refused,
nothing is evaluated, text stays plain text (HTML is escaped where it is rendered). A row with
a problem is left out and the rest kept; notices say what was ignored or left empty.
"""
from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sized
from pathlib import Path

import pandas as pd

from loaders.importers.cameras import geojson, kml, osm, sniff, table, td
from loaders.importers.cameras.fetch import MAX_BYTES
from loaders.importers.cameras.normalise import COLUMNS, build_positions, build_rows
from loaders.importers.cameras.notices import DataError, Notice, Problem
from loaders.importers.cameras.values import SLUG
from loaders.schema import CAMERA_PROGRAMMES, OPERATORS

DEFAULT_GEOJSON = Path(__file__).resolve().parents[3] / "data" / "geo" / "districts.geojson"
CHUNK_ROWS = 10_000  # rows checked at a time by iter_positions (a long upload's memory is one chunk of Python objects)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("latitude", "longitude") else "object") for c in COLUMNS})


@functools.lru_cache(maxsize=1)
def default_index():
    """The district index from data/geo/districts.geojson, or None if that file is missing."""
    from loaders.geo import DistrictIndex

    return DistrictIndex.from_path(DEFAULT_GEOJSON) if DEFAULT_GEOJSON.exists() else None


def _records(data: bytes, name: str, max_bytes: int, problems: list[Problem]) -> tuple[str, list[dict], str]:
    """(format, records, name used in messages); DataError when the file cannot be read at all."""
    if sniff.is_zip(data):
        inner, inner_name = sniff.kml_in_zip(data, name, max_bytes)
        name = f"{name}/{inner_name}"
        text = sniff.decode(inner, name)
        if sniff.sniff(text, name)[0] != "kml":
            raise DataError([Problem(name, None, "file", "the KMZ's .kml file is not KML")])
        recs, more = kml.records(text, name)
        problems.extend(more)
        return "kmz", recs, name
    text = sniff.decode(data, name)
    fmt, obj = sniff.sniff(text, name)
    if fmt.startswith("td_"):
        return fmt, td.records(fmt, text, obj, name, problems), name
    if fmt == "overpass_json":
        recs, more = osm.overpass_records(obj, name)
        problems.extend(more)
        return fmt, recs, name
    if fmt == "geojson":
        return fmt, geojson.records(obj, name, problems), name
    if fmt == "kml":
        recs, more = kml.records(text, name)
        problems.extend(more)
        return fmt, recs, name
    fields, recs, notes = table.records(text, name)
    missing = []
    if not ({"latitude", "longitude"} <= set(fields) or {"easting", "northing"} <= set(fields)):
        for field in ("latitude", "longitude"):
            if field not in fields:
                missing.append(Problem(name, 1, field, f"no {field} column; expected one of latitude/longitude (or lat/lon, "
                                                       "緯度/經度, x/y) or HK1980 Grid easting/northing, any case"))
        # A table of district-level rows (the app's own export) has the columns but empty cells.
    if missing and not ("district" in fields and "precision" in fields):
        raise DataError(missing)
    problems.extend(notes)
    return fmt, recs, name


def read_records(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> tuple[str, Sized, str, list[Problem]]:
    """(format, records, the name messages use, notes): a file read into importer records, not yet
    checked. A CSV/TSV list's records are read lazily from its text (table.TableRecords); len()
    counts them. DataError when the file cannot be read at all."""
    notes: list[Problem] = []
    fmt, records, name = _records(data, name, max_bytes, notes)
    return fmt, records, name, notes


def iter_positions(records: Iterable[dict], name: str, *, index=None, chunk_rows: int = CHUNK_ROWS
                   ) -> Iterator[tuple[list[float], list[float], list[str], list[int], list[Problem]]]:
    """normalise.build_positions over records, chunk_rows at a time: (latitudes, longitudes, district
    codes, the kept records' 1-based numbers, problems) per chunk, so only one chunk of rows is ever
    held as Python objects."""
    index = index if index is not None else default_index()
    it = iter(records)
    start = 1
    while chunk := list(itertools.islice(it, chunk_rows)):
        found: list[Problem] = []
        lats, lons, codes, kept = build_positions(chunk, name, index=index, problems=found, start=start)
        start += len(chunk)
        yield lats, lons, codes, kept, found


def import_cameras(data: bytes, name: str, *, zh: bytes | None = None, zh_name: str | None = None, source_id: str,
                   operator: str | None = None, programme: str | None = None, max_bytes: int = MAX_BYTES,
                   max_rows: int = 200_000, district_index=None, keep_row_sources: bool = True,
                   require_point: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one camera list; return (good rows as a cameras.csv-shaped DataFrame sorted by id, problems).

    `zh` is an optional Chinese TD list joined on key for description_zh. `operator` and
    `programme` override the rows' own values and the format's defaults. `source_id` is the
    source of rows that name none (a row's own valid `source` is kept unless
    keep_row_sources=False). `district_index` (a loaders.geo.DistrictIndex) places rows and
    refuses points outside Hong Kong; by default data/geo/districts.geojson is used.
    `require_point` leaves out rows known only to their district (the map needs a point).
    Problems carry the file name, the 1-based line (CSV/XML/KML) or record number (JSON) and
    field; Notice entries among them say what was ignored or left empty in rows that were kept.
    """
    problems: list[Problem] = []
    for field, value, allowed in (("operator", operator, OPERATORS), ("programme", programme, CAMERA_PROGRAMMES)):
        if value is not None and value not in allowed:
            problems.append(Problem(name, None, field, f"expected one of {', '.join(allowed)}; got {value!r}"))
    if not SLUG.match(source_id or ""):
        problems.append(Problem(name, None, "source", f"expected a source id of lowercase letters, digits and '-', got {source_id!r}"))
    if len(data) > max_bytes:
        problems.append(Problem(name, None, "file", f"file is {len(data):,} bytes; the limit is {max_bytes:,}"))
    if problems:
        return empty_frame(), problems
    try:
        fmt, records, name = _records(data, name, max_bytes, problems)
    except DataError as exc:
        return empty_frame(), problems + exc.problems
    if len(records) > max_rows:
        return empty_frame(), [Problem(name, None, "file", f"{len(records):,} rows; the limit is {max_rows:,}")]
    zh_map: dict[str, str] = {}
    if zh is not None:
        zh_map, zh_problems = td.zh_descriptions(zh, zh_name or "zh", max_bytes)
        problems.extend(zh_problems)
    return import_records(fmt, records, name, source_id=source_id, zh_map=zh_map, operator=operator, programme=programme,
                          district_index=district_index, keep_row_sources=keep_row_sources, require_point=require_point,
                          problems=problems), problems


def import_records(fmt: str, records: Iterable[dict], name: str, *, source_id: str, problems: list[Problem],
                   zh_map: dict[str, str] | None = None, operator: str | None = None, programme: str | None = None,
                   district_index=None, keep_row_sources: bool = True, require_point: bool = False) -> pd.DataFrame:
    """Records read by read_records -> checked camera rows sorted by id (import_cameras after reading);
    problems and notices are appended to `problems`."""
    if not keep_row_sources and any(r.get("source") for r in records):
        problems.append(Notice(name, None, "source", f"the file's own source values are not used; every row is marked {source_id!r}"))
    index = district_index if district_index is not None else default_index()
    rows = build_rows(records, name, default_profile="td" if fmt.startswith("td_") else "user", zh_map=zh_map or {},
                      source_id=source_id, keep_row_sources=keep_row_sources, operator=operator, programme=programme,
                      index=index, require_point=require_point, problems=problems)
    if not rows:
        return empty_frame()
    df = pd.DataFrame(rows, columns=COLUMNS).sort_values("id", kind="stable").reset_index(drop=True)
    df[["latitude", "longitude"]] = df[["latitude", "longitude"]].astype("float64")
    return df


def typed_frame(df: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Imported rows checked against the cameras schema (the check data/cameras_td.csv gets)
    and typed as the loaders type them (dates as datetime64, empty coordinates as NaN), so an
    import can be compared with, or drawn beside, the loaded data."""
    from loaders import schema
    from loaders.datasets import to_frame
    from loaders.validate import LineDict, check_records

    records = []
    for n, row in enumerate(df.to_dict("records"), start=1):
        rec = LineDict({k: (None if v in ("", None) or (isinstance(v, float) and v != v) else v) for k, v in row.items()})
        rec.line = n
        rec.lines = {k: n for k in rec}
        records.append(rec)
    rows, problems = check_records(records, schema.CAMERAS, name)
    # line here is the imported row's number, not the file's line: say so
    problems = [Problem(p.file, None, p.field, f"imported row {p.line}: {p.message}") for p in problems]
    return to_frame(rows, schema.CAMERAS), problems
