"""Exports: CSV (formula-injection safe, optional BOM for Excel), JSON and GeoJSON bytes.

Every export path in the app and the CLI goes through these functions, so the neutralisation
rule lives in one place: a text cell starting with = + - @ TAB or CR gets a leading apostrophe
(OWASP's advice for CSV injection); numbers stay numbers, so -5 is still -5. `unneutralise` and
`read_csv_export` undo it, so an exported CSV reads back as the loaders' DataFrame.
JSON and GeoJSON are not opened by spreadsheets, so their values stay exactly as data.
`main_export` is the `python -m loaders export` command (the full package: loaders.datapackage).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from pathlib import Path

import pandas as pd

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


_GUARDED = _DANGEROUS + ("\n",)  # CSV writes a carriage return as a line feed (below), so guard that too


def _needs_guard(text: str) -> bool:
    # Text already starting with apostrophes before a dangerous character gets one more too, so
    # unneutralise() can always undo exactly one: "'=x" (as published) -> "''=x" -> "'=x".
    return text.lstrip("'").startswith(_GUARDED)


def _csv_text(value):
    """Neutralised, with line breaks as the loaders read them (CR -> LF): a bare CR is not quoted by
    the csv writer when rows end in LF, and would split the row in other readers."""
    value = neutralise(_plain(value))
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def neutralise(value):
    """One cell: text that a spreadsheet would run as a formula becomes inert text."""
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def unneutralise(value):
    """The inverse of neutralise, for reading an exported CSV back as data."""
    if isinstance(value, str) and value.startswith("'") and _needs_guard(value[1:]):
        return value[1:]
    return value


def _plain(value):
    """Cells as researchers expect them: ISO dates, ';'-joined id lists, empty for missing."""
    if isinstance(value, (list, tuple)):
        return ";".join(map(str, value))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy ready to write: lists joined, dates ISO, text neutralised."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: _csv_text(v) if v is not None and not (isinstance(v, float) and math.isnan(v)) else v)
    return out


def to_csv_bytes(df: pd.DataFrame, bom: bool = False) -> bytes:
    """UTF-8 CSV (with a BOM when asked, so Excel shows Chinese correctly), LF line ends."""
    text = export_frame(df).to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8") if bom else text.encode("utf-8")


def _json_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, tuple):
        return list(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def to_json_bytes(df: pd.DataFrame) -> bytes:
    """A JSON array of records (no spreadsheet, so no neutralisation; values stay as data)."""
    records = [{k: _json_value(v) for k, v in row.items()} for row in df.to_dict("records")]
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def to_geojson_bytes(df: pd.DataFrame, lon: str = "longitude", lat: str = "latitude") -> bytes:
    """Points as a GeoJSON FeatureCollection; every other column becomes a property."""
    props = [c for c in df.columns if c not in (lon, lat)]
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [_json_value(r[lon]), _json_value(r[lat])]},
         "properties": {c: _json_value(r[c]) for c in props}}
        for r in df.to_dict("records")
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def to_district_geojson_bytes(df: pd.DataFrame, geo: dict | None, key: str = "code") -> bytes:
    """District rows joined to their boundary polygons, in the rows' order; columns become properties."""
    shapes = {f["properties"]["code"]: f for f in (geo or {}).get("features") or []}
    features = []
    for r in df.to_dict("records"):
        shape = shapes.get(r.get(key))
        if shape is None:  # a row without a boundary cannot be drawn; it stays in the CSV and JSON
            continue
        props = dict(shape.get("properties") or {}) | {c: _json_value(v) for c, v in r.items()}
        features.append({"type": "Feature", "geometry": shape["geometry"], "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def read_csv_export(data: bytes | str | Path, name: str) -> pd.DataFrame:
    """An exported CSV (BOM or not) back as the loader's typed DataFrame for dataset `name`.

    Undoes the formula guard, splits ';'-joined id lists and parses types with the same coercion
    and framing as the loaders, so a round trip can be compared with load_all() directly.
    """
    from loaders import catalogue, schema as S
    from loaders.datasets import to_frame
    from loaders.validate import coerce

    raw = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    schema = S.BY_NAME[name]
    own = {f.name: f for f in schema.fields}
    cols = catalogue.columns(name)
    rows = []
    for rec in reader:
        row = {}
        for c in cols:
            cell = rec.get(c.name)
            if cell is None or cell == "":
                row[c.name] = None
            elif c.name in own:
                row[c.name] = coerce(unneutralise(cell), own[c.name])
            else:  # columns load_all adds to child datasets (parent id, seq)
                row[c.name] = int(cell) if c.type == "integer" else unneutralise(cell)
        rows.append(row)
    extra = tuple(c.name for c in cols if c.name not in own)
    return to_frame(rows, schema, extra=extra)


def generated_timestamp(value: str | None = None) -> str:
    """The one non-reproducible field: an explicit ISO time, else $SOURCE_DATE_EPOCH, else now (UTC)."""
    import datetime as dt
    import os

    if value:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main_export(argv: list[str]) -> int:
    """`python -m loaders export --out DIR`: the same data package as the Data page's zip."""
    from loaders import citation, datapackage
    from loaders.datasets import load_all

    p = argparse.ArgumentParser(prog="python -m loaders export",
                                description="Write every dataset as CSV with datapackage.json and README.md.")
    p.add_argument("--out", required=True, type=Path, help="directory to write the package into")
    p.add_argument("--data-dir", default=None, help="data directory (default: $HKCCTV_DATA_DIR or data/)")
    p.add_argument("--zip", type=Path, default=None, help="also write the package as this zip file (as the Data page offers it)")
    p.add_argument("--generated", default=None,
                   help="timestamp for datapackage.json's 'generated' block (default: $SOURCE_DATE_EPOCH or now)")
    p.add_argument("--strict", action="store_true", help="write nothing and exit 1 if any data file has problems")
    a = p.parse_args(argv)
    bundle = load_all(a.data_dir)
    for prob in bundle.problems:
        print(f"warning: {prob}", file=sys.stderr)
    if a.strict and bundle.problems:
        print(f"not exported: {len(bundle.problems)} problems in {bundle.root}", file=sys.stderr)
        return 1
    pkg = datapackage.build(bundle, generated_at=generated_timestamp(a.generated), commit=citation.git_commit())
    written = datapackage.write_dir(pkg, a.out)
    from loaders.feeds import write_feeds_for_export  # Atom feeds of figure changes, beside the package

    written += write_feeds_for_export(a.out, a.data_dir, generated_timestamp(a.generated))
    if a.zip:
        a.zip.parent.mkdir(parents=True, exist_ok=True)
        a.zip.write_bytes(datapackage.to_zip(pkg))
    print(f"exported data version {pkg.version.label}: {len(written)} files to {a.out}"
          + (f" and {a.zip}" if a.zip else ""), file=sys.stderr)
    return 0
