"""Exports: CSV (formula-injection safe, optional BOM for Excel), JSON and GeoJSON bytes.

Every export path in the app and the CLI goes through these functions, so the neutralisation
rule lives in one place: a text cell starting with = + - @ TAB or CR gets a leading apostrophe
(OWASP's advice for CSV injection); numbers stay numbers, so -5 is still -5.
"""
from __future__ import annotations

import json
import math

import pandas as pd

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """One cell: text that a spreadsheet would run as a formula becomes inert text."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
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
            out[col] = out[col].map(lambda v: neutralise(_plain(v)) if v is not None and not (isinstance(v, float) and math.isnan(v)) else v)
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
