"""Exports: CSV (formula-injection safe, optional BOM for Excel), .xlsx, JSON and GeoJSON bytes.

Every export path in the app and the CLI goes through these functions, so the rules live in one
place:
- Formula guard: a CSV text cell starting with = + - @ TAB or CR gets a leading apostrophe
  (OWASP's advice for CSV injection); numbers stay numbers, so -5 is still -5. In .xlsx such text
  is stored as a string cell marked as text (quotePrefix), never as a formula, and keeps its value.
  `unneutralise` and `read_csv_export` undo the CSV guard.
- Cells as spreadsheets and R expect them: whole numbers without ".0" (15, not 15.0), booleans
  true/false, ISO dates, ';'-joined id lists, empty for missing.
- Given the dataset name, a partial date (sources.published: 2024, 2024-07, 2024-07-17 or
  undated) is split into a date column (the first day of the period; empty when undated) and a
  <name>_precision column (year, month, day, undated), so one column never mixes dates and text.
LibreOffice (7.4, measured) imports every CSV with its default encoding, BOM or not, so Chinese is
garbled unless the reader picks UTF-8; Excel reads the BOM. The .xlsx export opens correctly in both.
JSON and GeoJSON are not opened by spreadsheets, so their values stay exactly as data.
`main_export` is the `python -m loaders export` command (the full package: loaders.datapackage).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import re
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from loaders import schema as data_schema
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


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def number_text(value) -> str | None:
    """A number as a CSV cell: whole values without a decimal point (15, not 15.0), others in full."""
    if _missing(value):
        return None
    f = float(value)
    if f.is_integer() and abs(f) < 2**53:
        return str(int(f))
    text = repr(f)  # the shortest text that reads back as the same float
    return text if "e" not in text else np.format_float_positional(f, trim="-")  # 0.00001, never 1e-05


def _plain(value):
    """Cells as researchers expect them: ISO dates, ';'-joined id lists, true/false, empty for missing."""
    if isinstance(value, (list, tuple)):
        return ";".join(map(str, value))
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (float, np.floating)):
        return number_text(value)
    return value


# --- partial dates: one date column plus its precision ---------------------------------------------

def partial_date_parts(text) -> tuple[pd.Timestamp | None, str | None]:
    """'2024-07' -> (2024-07-01, 'month'); 'undated' -> (None, 'undated'); missing -> (None, None)."""
    if _missing(text):
        return None, None
    if text == "undated":
        return None, "undated"
    parts = str(text).split("-")
    precision = data_schema.PRECISIONS[::-1][len(parts) - 1]  # 1 part: year, 2: month, 3: day
    return pd.Timestamp("-".join(parts + ["01"] * (3 - len(parts)))), precision


def partial_date_text(date, precision) -> str | None:
    """The inverse of partial_date_parts: the date as precise as its precision says."""
    if precision == "undated":
        return "undated"
    if _missing(date) or _missing(precision):
        return None
    iso = pd.Timestamp(date).date().isoformat()
    return iso[: {"year": 4, "month": 7}.get(precision, 10)]


def _partial_fields(dataset: str | None) -> list[str]:
    schema = data_schema.BY_NAME.get(dataset) if dataset else None
    return [f.name for f in schema.fields if f.kind == "partial_date"] if schema else []


def dataset_frame(df: pd.DataFrame, dataset: str | None = None) -> pd.DataFrame:
    """The columns an export of `dataset` has: each partial date split into date + precision.
    Without a dataset name (or for a frame without such a column) the frame is returned as is."""
    split = [c for c in _partial_fields(dataset) if c in df.columns]
    if not split:
        return df
    out = df.copy()
    for name in split:
        parts = [partial_date_parts(v) for v in out[name]]
        at = out.columns.get_loc(name)
        out[name] = pd.Series([d for d, _ in parts], index=out.index, dtype="datetime64[ns]")
        out.insert(at + 1, name + data_schema.PRECISION_SUFFIX, pd.Series([p for _, p in parts], index=out.index, dtype="str"))
    return out


# --- CSV ------------------------------------------------------------------------------------------

def export_frame(df: pd.DataFrame, dataset: str | None = None) -> pd.DataFrame:
    """A copy ready to write as CSV: partial dates split, lists joined, dates ISO, whole numbers
    without ".0", booleans true/false, text neutralised."""
    out = dataset_frame(df, dataset).copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s):
            out[col] = s.map(lambda v: None if _missing(v) else ("true" if v else "false")).astype(object)
        elif pd.api.types.is_float_dtype(s):
            out[col] = s.map(number_text).astype(object)
        elif s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(lambda v: v if _missing(v) else _csv_text(v))
    return out


def to_csv_bytes(df: pd.DataFrame, bom: bool = False, dataset: str | None = None) -> bytes:
    """UTF-8 CSV (with a BOM when asked, so Excel shows Chinese correctly), LF line ends.
    Pass the dataset name to split its partial dates (see dataset_frame)."""
    text = export_frame(df, dataset).to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8") if bom else text.encode("utf-8")


# --- .xlsx ----------------------------------------------------------------------------------------

XLSX_DATE = dt.datetime(1980, 1, 1)  # workbook properties and zip entry dates: fixed, so bytes are reproducible
_SHEET_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _xlsx_value(ws, value, cell_type, illegal):
    """One cell: numbers, dates and booleans typed; text always a string cell, never a formula.
    (cell_type and illegal are openpyxl's WriteOnlyCell and ILLEGAL_CHARACTERS_RE, imported once.)"""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, tuple)):
        text = ";".join(map(str, value))
    elif _missing(value):
        return None
    elif isinstance(value, (bool, np.bool_)):
        return bool(value)
    elif isinstance(value, pd.Timestamp):
        return value.date()
    elif isinstance(value, (int, np.integer)):
        return int(value)
    elif isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        return value
    else:
        text = str(value)
    text = illegal.sub("\ufffd", text)  # control characters an .xlsx cannot hold
    if not _needs_guard(text):
        return text
    # The formula guard: openpyxl would store "=..." as a formula; a string cell with quotePrefix
    # shows the text as typed and stays text when a reader edits the cell.
    cell = cell_type(ws, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _sheet_title(name: str, taken: set[str]) -> str:
    base = (str(name).translate(_SHEET_BAD).strip("'") or "data")[:31]
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:28]}_{n}"
        n += 1
    taken.add(title.lower())
    return title


def to_xlsx_bytes(data: pd.DataFrame | Mapping[str, pd.DataFrame], dataset: str | None = None) -> bytes:
    """An Excel workbook: one sheet for a frame (named after `dataset`), or one sheet per entry of
    a {dataset name: frame} mapping. Chinese opens intact in Excel and LibreOffice, numbers and
    dates are typed, and formula-like text is stored as text (see _xlsx_value)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frames = dict(data) if isinstance(data, Mapping) else {dataset or "data": data}
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for name, df in frames.items():
        shaped = dataset_frame(df, name if isinstance(data, Mapping) else dataset)
        ws = wb.create_sheet(_sheet_title(name, taken))
        ws.freeze_panes = "A2"
        ws.append([_xlsx_value(ws, str(c), WriteOnlyCell, ILLEGAL_CHARACTERS_RE) for c in shaped.columns])
        for row in shaped.itertuples(index=False, name=None):
            ws.append([_xlsx_value(ws, v, WriteOnlyCell, ILLEGAL_CHARACTERS_RE) for v in row])
    wb.properties.creator = "Hong Kong CCTV Watch"
    wb.properties.created = wb.properties.modified = XLSX_DATE
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed dates: openpyxl stamps the current time on every zip entry and
    on the document's "modified" property when it saves."""
    stamp = XLSX_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=XLSX_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def _json_value(v):
    if _missing(v):
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


def _point(x, y) -> dict | None:
    """A GeoJSON Point, or None (RFC 7946's unlocated feature) for a row placed only in a district."""
    x, y = _json_value(x), _json_value(y)
    return None if x is None or y is None else {"type": "Point", "coordinates": [x, y]}


def to_geojson_bytes(df: pd.DataFrame, lon: str = "longitude", lat: str = "latitude") -> bytes:
    """Points as a GeoJSON FeatureCollection; every other column becomes a property. A row with no
    coordinates (a site known only to its district) has a null geometry, never an invented point."""
    props = [c for c in df.columns if c not in (lon, lat)]
    features = [
        {"type": "Feature", "geometry": _point(r[lon], r[lat]), "properties": {c: _json_value(r[c]) for c in props}}
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


def read_options(name: str) -> dict:
    """Keyword arguments for pandas.read_csv that give every column of an exported dataset its
    declared type (datapackage.json): Int64, float64, boolean, datetime64 or str. Only an empty
    cell is missing ("NA" is text). The formula guard's apostrophe stays; see read_csv_export."""
    from loaders import catalogue

    cols = catalogue.columns(name)
    return {"encoding": "utf-8-sig", "keep_default_na": False, "na_values": [""],
            "true_values": ["true"], "false_values": ["false"],
            "dtype": {c.name: c.pandas_dtype for c in cols if c.type != "date"},
            "parse_dates": [c.name for c in cols if c.type == "date"], "date_format": "ISO8601"}


def read_csv_export(data: bytes | str | Path, name: str) -> pd.DataFrame:
    """An exported CSV (BOM or not) back as the loader's typed DataFrame for dataset `name`.

    Undoes the formula guard, splits ';'-joined id lists, joins split partial dates and parses
    types with the same coercion and framing as the loaders, so a round trip can be compared
    with load_all() directly.
    """
    from loaders import catalogue
    from loaders.datasets import to_frame
    from loaders.validate import coerce

    raw = Path(data).read_bytes() if isinstance(data, (str, Path)) else data
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    schema = data_schema.BY_NAME[name]
    own = {f.name: f for f in schema.fields}
    cols = [c for c in catalogue.columns(name) if c.in_frame]
    header = set(reader.fieldnames or ())
    rows = []
    for rec in reader:
        row = {}
        for c in cols:
            cell = rec.get(c.name)
            if c.kind == "partial_date" and c.name + data_schema.PRECISION_SUFFIX in header:  # else written unsplit
                cell = partial_date_text(cell or None, rec.get(c.name + data_schema.PRECISION_SUFFIX) or None)
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
