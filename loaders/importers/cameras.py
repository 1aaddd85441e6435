"""Camera importer: TD camera lists, OpenStreetMap extracts, GeoJSON and plain CSV -> cameras.csv rows.

Used by `python -m loaders import-cameras` and by in-app uploads, so it never trusts its input:
size is capped before parsing, XML with a DOCTYPE is refused (no entity tricks), nothing is
evaluated, and text is kept as plain text (HTML is escaped where it is rendered, not here).
Every bad row becomes a Problem and is dropped; the good rows are returned.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import json
import math
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable
from xml.parsers import expat

import pandas as pd

from loaders.district_names import district_code
from loaders.problems import DataError, Problem
from loaders.schema import CAMERA_PRECISIONS, CAMERA_PROGRAMMES, LAT_RANGE, LON_RANGE, OPERATORS

COLUMNS = ["id", "latitude", "longitude", "district_code", "operator", "programme", "kind",
           "description_en", "description_zh", "precision", "first_seen", "source"]
FORMATS = ("td_xml", "td_json", "td_csv", "overpass_json", "geojson", "plain_csv")
ACCEPTED = ("Transport Department camera lists (Traffic_Camera_Locations_En/Tc .xml, .json or the UTF-16 .csv), "
            "OpenStreetMap Overpass JSON, GeoJSON points, or CSV with latitude and longitude columns")
USER_AGENT = "HongKongCCTVWatch/1.0 (+open-source dashboard; camera list importer)"
MAX_BYTES = 20_000_000
DEFAULT_GEOJSON = Path(__file__).resolve().parents[2] / "data" / "geo" / "districts.geojson"

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TD_KEY = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Invisible format characters (zero-width, bidi overrides) can disguise text; drop them.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LAT_NAMES = ("latitude", "lat", "y", "緯度", "纬度")
_LON_NAMES = ("longitude", "lon", "lng", "long", "x", "經度", "经度")


# ---------------------------------------------------------------- small helpers

def clean_text(value: Any) -> str:
    """Plain one-line text: control/invisible characters removed, whitespace collapsed."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    s = _INVISIBLE.sub("", _CONTROL.sub(" ", str(value)))
    return " ".join(s.split())


def _show(value: Any) -> str:
    """A raw value for a message: quoted, shortened, never huge."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "nothing"
    s = clean_text(value) if isinstance(value, str) else str(value)
    return repr(s if len(s) <= 40 else s[:37] + "...")


def _number(value: Any) -> float | None:
    """A finite float from a JSON number or text ("22,3" decimal comma accepted); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        num = float(value)
    else:
        s = clean_text(value)
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not _NUMBER.match(s):
            return None
        num = float(s)
    return num if math.isfinite(num) else None


def _iso_date(value: Any) -> str | None:
    """'' for empty, 'YYYY-MM-DD' for a valid date or timestamp, None if invalid."""
    s = clean_text(value)
    if not s:
        return ""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", s)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return None


def _fold_key(name: str) -> str:
    """Column/tag name for matching: no BOM, no spaces, lower case."""
    return clean_text(name).lstrip("\ufeff").strip().lower()


def _empty_frame() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype="float64" if c in ("latitude", "longitude") else "object") for c in COLUMNS})
    return df


@functools.lru_cache(maxsize=1)
def _default_index():
    """The district index from data/geo/districts.geojson, or None if that file is missing."""
    from loaders.geo import DistrictIndex

    return DistrictIndex.from_path(DEFAULT_GEOJSON) if DEFAULT_GEOJSON.exists() else None


# ---------------------------------------------------------------- decoding and sniffing

def _decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (BOM optional) or UTF-16 with a BOM / NUL pattern; else DataError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        enc = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
        try:
            return data.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise DataError([Problem(name, None, "file", f"not valid UTF-16 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("big5hkscs")
            hint = " It reads as Big5-HKSCS;"
        except UnicodeDecodeError:
            pass
        msg = (f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}).{hint}"
               " save the file as UTF-8 (or UTF-16 with a byte-order mark) and try again")
        raise DataError([Problem(name, line, "encoding", msg)]) from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: ASCII-heavy text has a zero in every other byte."""
    head = data[:200]
    if len(head) < 8:
        return False
    half = len(head) // 2
    return head[1::2].count(0) > 0.8 * half or head[0::2].count(0) > 0.8 * half


def _first_tag(text: str) -> str | None:
    """Name of the XML root element (after declaration, comments and DOCTYPE)."""
    m = re.search(r"<([^?!][^\s/>]*)", text[:5000])
    return m.group(1) if m else None


def _split_header(text: str) -> tuple[str, list[str]]:
    """(delimiter, folded header names) from the first non-empty line."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delim = max(("\t", ",", ";"), key=lambda d: (first.count(d), d == ","))
    names = next(csv.reader([first], delimiter=delim), [])
    return delim, [_fold_key(n) for n in names]


def _is_td_header(names: list[str]) -> bool:
    have = set(names)
    return {"key", "description", "latitude", "longitude"} <= have and bool(have & {"region", "district", "url", "easting"})


def _sniff(text: str, name: str) -> tuple[str, Any]:
    """(format, parsed JSON or None) from decoded text; DataError when unknown."""
    stripped = text.lstrip()
    unknown = f"cannot tell what kind of camera list this is; accepted: {ACCEPTED}"
    if not stripped:
        raise DataError([Problem(name, None, "file", f"the file is empty; accepted: {ACCEPTED}")])
    head = stripped[0]
    if head == "<":
        root = (_first_tag(stripped) or "").lower()
        if root == "image-list":
            return "td_xml", None
        what = "an HTML page" if root == "html" else f"XML with root <{root}>"
        raise DataError([Problem(name, None, "file", f"{what} is not a camera list; accepted: {ACCEPTED}")])
    if head in "[{":
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise DataError([Problem(name, exc.lineno, "file", f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None
        except RecursionError:
            raise DataError([Problem(name, None, "file", "JSON nested too deeply")]) from None
        if isinstance(obj, list):
            first = next((o for o in obj if isinstance(o, dict)), None)
            if first is not None and {"key", "latitude", "longitude"} <= {_fold_key(k) for k in first}:
                return "td_json", obj
        if isinstance(obj, dict):
            if isinstance(obj.get("elements"), list):
                return "overpass_json", obj
            if obj.get("type") in ("FeatureCollection", "Feature"):
                return "geojson", obj
        raise DataError([Problem(name, None, "file", f"JSON, but not a known camera list; accepted: {ACCEPTED}")])
    delim, names = _split_header(stripped)
    if _is_td_header(names):
        return "td_csv", None
    if len(names) >= 2 or set(names) & set(_LAT_NAMES + _LON_NAMES):
        return "plain_csv", None
    raise DataError([Problem(name, None, "file", unknown)])


def detect_format(data: bytes, name: str) -> str:
    """One of FORMATS, judged by content (BOM, first character, XML root, keys), not extension.

    Raises DataError with one Problem naming the file and the accepted formats when unknown.
    """
    try:
        text = _decode(data, name)
    except DataError:
        text = data.decode("utf-8", errors="replace")  # still sniff; the importer reports encoding
    return _sniff(text, name)[0]


# ---------------------------------------------------------------- format readers -> raw records
# A raw record is a dict of folded field names -> raw values, plus "_line" (1-based line or
# record number) used in problems.

class _Refused(Exception):
    pass


def _read_td_xml(text: str, name: str) -> list[dict]:
    """<image-list><image><key>..</key>..</image></image-list>, with line numbers (expat)."""
    parser = expat.ParserCreate(encoding="UTF-8")  # text was already decoded: ignore the declared encoding
    records: list[dict] = []
    depth = 0
    cur: dict | None = None
    buf: list[str] = []

    def start(tag, attrs):
        nonlocal depth, cur
        depth += 1
        if depth == 2 and tag.lower() == "image":
            cur = {"_line": parser.CurrentLineNumber}
        buf.clear()

    def end(tag):
        nonlocal depth, cur
        if depth == 3 and cur is not None:
            cur[tag.lower()] = "".join(buf)
        elif depth == 2 and cur is not None:
            records.append(cur)
            cur = None
        depth -= 1
        buf.clear()

    def refuse(*_args):
        raise _Refused()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = buf.append
    parser.StartDoctypeDeclHandler = refuse  # no DTDs: no entity expansion, no external fetches
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(text.encode("utf-8"), True)
    except _Refused:
        raise DataError([Problem(name, parser.CurrentLineNumber, "file", "XML with a DOCTYPE is not accepted")]) from None
    except expat.ExpatError as exc:
        raise DataError([Problem(name, exc.lineno, "file", f"not well-formed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})")]) from None
    return records


def _read_json_rows(rows: list, name: str, problems: list[Problem]) -> list[dict]:
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(Problem(name, n, "record", f"record {n}: expected an object, got {type(row).__name__}"))
            continue
        out.append({"_line": n, **{_fold_key(k): v for k, v in row.items()}})
    return out


def _read_table(text: str, name: str) -> tuple[list[str], list[dict]]:
    """CSV/TSV rows keyed by folded header names, each with its first physical line number."""
    delim, _ = _split_header(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    rows: list[dict] = []
    prev = 0
    try:
        for fields in reader:
            line, prev = prev + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                header = [_fold_key(f) for f in fields]
                continue
            row = {"_line": line}
            for k, v in zip(header, fields):
                if k and k not in row:  # first of duplicate column names wins
                    row[k] = v
            rows.append(row)
    except csv.Error as exc:
        raise DataError([Problem(name, reader.line_num, "file", f"cannot read CSV: {exc}")]) from None
    return header or [], rows


def _pick(row: dict, names: tuple[str, ...]) -> Any:
    for n in names:
        if n in row and clean_text(row[n]) != "":
            return row[n]
    return None


# ---------------------------------------------------------------- record builders

def _td_description(row: dict, key: str) -> str:
    """TD descriptions end with ' [KEY]'; the key has its own column, so drop it."""
    desc = clean_text(row.get("description"))
    return re.sub(r"\s*\[" + re.escape(key) + r"\]$", "", desc) if key else desc


def _td_records(fmt: str, text: str, obj: Any, name: str, problems: list[Problem]) -> list[dict]:
    if fmt == "td_xml":
        return _read_td_xml(text, name)
    if fmt == "td_json":
        return _read_json_rows(obj, name, problems)
    return _read_table(text, name)[1]


def _td_zh_map(zh: bytes, zh_name: str, max_bytes: int) -> tuple[dict[str, str], list[Problem]]:
    """key -> Chinese description from any TD list in Chinese (e.g. Traffic_Camera_Locations_Tc.xml)."""
    if len(zh) > max_bytes:
        return {}, [Problem(zh_name, None, "file", f"file is {len(zh):,} bytes; the limit is {max_bytes:,}")]
    problems: list[Problem] = []
    try:
        text = _decode(zh, zh_name)
        fmt, obj = _sniff(text, zh_name)
        if not fmt.startswith("td_"):
            raise DataError([Problem(zh_name, None, "file", "Chinese descriptions must come from a Transport Department "
                                                           "camera list (td_xml, td_json or td_csv), not " + fmt)])
        rows = _td_records(fmt, text, obj, zh_name, problems)
    except DataError as exc:
        return {}, exc.problems
    out: dict[str, str] = {}
    for row in rows:
        key = clean_text(row.get("key"))
        desc = _td_description(row, key)
        if key and desc and key not in out:
            out[key] = desc
    return out, problems


def _osm_fields(tags: dict) -> dict:
    """Operator, descriptions from OSM tags (plain text; nothing interpreted)."""
    tags = {str(k): clean_text(v) for k, v in (tags or {}).items()}
    operator = tags.get("operator", "")
    parts = [tags.get("name", ""), tags.get("description", "")]
    parts += [f"{t}={tags[t]}" for t in ("surveillance:type", "camera:type", "surveillance") if tags.get(t)]
    zh = [tags.get(t, "") for t in ("name:zh", "name:zh-Hant", "description:zh", "description:zh-Hant")]
    return {
        "operator": "police" if re.search(r"police|警", operator, re.I) else "other",
        "description_en": "; ".join(p for p in parts if p),
        "description_zh": "; ".join(dict.fromkeys(z for z in zh if z)),
    }


def _overpass_records(obj: dict, name: str, problems: list[Problem]) -> list[dict]:
    """Overpass elements tagged man_made=surveillance: nodes, and ways/relations with a center."""
    out = []
    for n, el in enumerate(obj["elements"], start=1):
        if not isinstance(el, dict):
            continue
        tags = el.get("tags") if isinstance(el.get("tags"), dict) else {}
        if tags.get("man_made") != "surveillance":
            continue  # other features and untagged way nodes are not cameras
        kind = el.get("type")
        if kind == "node":
            lat, lon, precision = el.get("lat"), el.get("lon"), "exact"
        elif kind in ("way", "relation"):
            center = el.get("center") if isinstance(el.get("center"), dict) else {}
            lat, lon, precision = center.get("lat"), center.get("lon"), "street"  # a centre, not the mast
        else:
            continue
        out.append({"_line": n, "_id": f"osm-{kind}-{clean_text(el.get('id'))}", "_osm": True,
                    "latitude": lat, "longitude": lon, "precision": precision, **_osm_fields(tags)})
    return out


def _geojson_records(obj: dict, name: str, problems: list[Problem]) -> list[dict]:
    """Point features; OSM-style properties (man_made, @id node/123) are treated like Overpass."""
    feats = obj.get("features") if obj.get("type") == "FeatureCollection" else [obj]
    if not isinstance(feats, list):
        raise DataError([Problem(name, None, "features", "expected a list of features")])
    out = []
    for n, feat in enumerate(feats, start=1):
        if not isinstance(feat, dict):
            problems.append(Problem(name, n, "feature", f"feature {n}: expected an object"))
            continue
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        if "man_made" in props and props.get("man_made") != "surveillance":
            continue
        geom = feat.get("geometry") if isinstance(feat.get("geometry"), dict) else {}
        coords = geom.get("coordinates")
        if geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            problems.append(Problem(name, n, "geometry", f"feature {n}: expected a Point, got {_show(geom.get('type'))}"))
            continue
        rec = {"_line": n, "longitude": coords[0], "latitude": coords[1]}
        osm_id = clean_text(props.get("@id") or feat.get("id") or props.get("id"))
        m = re.fullmatch(r"(node|way|relation)/(\d+)", osm_id)
        if m or "man_made" in props or "surveillance:type" in props:
            rec.update(_osm_fields(props), _osm=True)
            if m:
                rec["_id"] = f"osm-{m.group(1)}-{m.group(2)}"
        else:
            rec.update({_fold_key(k): v for k, v in props.items() if _fold_key(k) not in ("latitude", "longitude")})
            if feat.get("id") is not None and "id" not in rec:
                rec["id"] = feat["id"]
        out.append(rec)
    return out


# ---------------------------------------------------------------- validation -> rows

def _coord_problem(name: str, line: int, field: str, raw: Any, rng: tuple[float, float], other: float | None, other_rng) -> Problem | None:
    num = _number(raw)
    expect = f"expected a number between {rng[0]:g} and {rng[1]:g} (Hong Kong), got {_show(raw)}"
    if num is None:
        return Problem(name, line, field, expect)
    if not rng[0] <= num <= rng[1]:
        swapped = other is not None and other_rng[0] <= num <= other_rng[1] and rng[0] <= other <= rng[1]
        return Problem(name, line, field, expect + ("; latitude and longitude look swapped" if swapped else "; the point is outside Hong Kong"))
    return None


def _build_rows(records: list[dict], fmt: str, name: str, *, zh_map: dict[str, str], source_id: str,
                operator: str | None, programme: str | None, index_fn: Callable[[], Any],
                problems: list[Problem]) -> list[dict]:
    td = fmt.startswith("td_")
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for n, rec in enumerate(records, start=1):
        line = rec.get("_line", n)
        bad: list[Problem] = []
        raw_lat = _pick(rec, _LAT_NAMES) if not td else rec.get("latitude")
        raw_lon = _pick(rec, _LON_NAMES) if not td else rec.get("longitude")
        lat, lon = _number(raw_lat), _number(raw_lon)
        for p in (_coord_problem(name, line, "latitude", raw_lat, LAT_RANGE, lon, LON_RANGE),
                  _coord_problem(name, line, "longitude", raw_lon, LON_RANGE, lat, LAT_RANGE)):
            if p:
                bad.append(p)
        if td:
            key = clean_text(rec.get("key"))
            if not _TD_KEY.match(key):
                bad.append(Problem(name, line, "key", f"expected a camera key of letters and digits, got {_show(rec.get('key'))}"))
            cam_id = f"td-{key}"
            row = {"operator": "transport_department", "programme": "td_traffic_snapshot", "kind": "traffic_snapshot",
                   "description_en": _td_description(rec, key), "description_zh": zh_map.get(key, ""),
                   "precision": "exact", "first_seen": ""}
        else:
            osm = rec.get("_osm", False)
            given = clean_text(rec.get("id")) if not osm else ""
            if len(given) > 100:
                bad.append(Problem(name, line, "id", f"expected an id of at most 100 characters, got {_show(given)}"))
            cam_id = rec.get("_id") or given or f"row-{n}"
            prog = "osm" if osm else "user"
            precision = clean_text(rec.get("precision")).lower()
            first_seen = _iso_date(rec.get("first_seen"))
            if first_seen is None:
                bad.append(Problem(name, line, "first_seen", f"expected a date YYYY-MM-DD or nothing, got {_show(rec.get('first_seen'))}"))
            op = clean_text(rec.get("operator")).lower()
            row = {"operator": op if op in OPERATORS else "other", "programme": prog, "kind": "surveillance",
                   "description_en": clean_text(_pick(rec, ("description_en", "description", "name"))),
                   "description_zh": clean_text(_pick(rec, ("description_zh",))),
                   "precision": precision if precision in CAMERA_PRECISIONS else "exact", "first_seen": first_seen or ""}
        if operator:
            row["operator"] = operator
        if programme:
            row["programme"] = programme
        if not td and row["programme"] == "smartview":
            row["kind"] = "smartview_site"
        if not bad and cam_id in seen:
            bad.append(Problem(name, line, "id", f"duplicate id {cam_id!r} (first at {name}:{seen[cam_id]}); this row is dropped"))
        if bad:
            problems.extend(bad)
            continue
        seen[cam_id] = line
        code = district_code(clean_text(_pick(rec, ("district", "district_code"))))
        if code is None:
            index = index_fn()
            code = index.code_for(lon, lat) if index is not None else None
        rows.append({"id": cam_id, "latitude": round(lat, 6), "longitude": round(lon, 6), "district_code": code or "",
                     **row, "source": source_id})
    return rows


def import_cameras(data: bytes, name: str, *, zh: bytes | None = None, zh_name: str | None = None, source_id: str,
                   operator: str | None = None, programme: str | None = None, max_bytes: int = MAX_BYTES,
                   max_rows: int = 200_000, district_index=None) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one camera list; return (good rows as a cameras.csv-shaped DataFrame sorted by id, problems).

    `zh` is an optional Chinese TD list joined on key for description_zh. `operator` and
    `programme` override the format's defaults. `district_index` (a loaders.geo.DistrictIndex)
    places rows without a usable district; by default data/geo/districts.geojson is used.
    Problems carry the file name, the 1-based line (CSV/XML) or record number (JSON) and field.
    """
    problems: list[Problem] = []
    for field, value, allowed in (("operator", operator, OPERATORS), ("programme", programme, CAMERA_PROGRAMMES)):
        if value is not None and value not in allowed:
            problems.append(Problem(name, None, field, f"expected one of {', '.join(allowed)}; got {value!r}"))
    if not _SLUG.match(source_id or ""):
        problems.append(Problem(name, None, "source", f"expected a source id of lowercase letters, digits and '-', got {source_id!r}"))
    if len(data) > max_bytes:
        problems.append(Problem(name, None, "file", f"file is {len(data):,} bytes; the limit is {max_bytes:,}"))
    if problems:
        return _empty_frame(), problems
    try:
        text = _decode(data, name)
        fmt, obj = _sniff(text, name)
        if fmt.startswith("td_"):
            records = _td_records(fmt, text, obj, name, problems)
        elif fmt == "overpass_json":
            records = _overpass_records(obj, name, problems)
        elif fmt == "geojson":
            records = _geojson_records(obj, name, problems)
        else:
            header, records = _read_table(text, name)
            for field, names in (("latitude", _LAT_NAMES), ("longitude", _LON_NAMES)):
                if not set(header) & set(names):
                    problems.append(Problem(name, 1, field, f"no {field} column; expected one of {', '.join(names)} (any case)"))
            if problems:
                return _empty_frame(), problems
    except DataError as exc:
        return _empty_frame(), problems + exc.problems
    if len(records) > max_rows:
        return _empty_frame(), [Problem(name, None, "file", f"{len(records):,} rows; the limit is {max_rows:,}")]
    zh_map: dict[str, str] = {}
    if zh is not None:
        zh_map, zh_problems = _td_zh_map(zh, zh_name or "zh", max_bytes)
        problems.extend(zh_problems)
    index_fn = (lambda: district_index) if district_index is not None else _default_index
    rows = _build_rows(records, fmt, name, zh_map=zh_map, source_id=source_id, operator=operator,
                       programme=programme, index_fn=index_fn, problems=problems)
    if not rows:
        return _empty_frame(), problems
    df = pd.DataFrame(rows, columns=COLUMNS).sort_values("id", kind="stable").reset_index(drop=True)
    return df, problems


# ---------------------------------------------------------------- output

def _fmt(value: Any) -> str:
    """Stable text for one cell: floats with at most 6 decimals and no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        s = f"{value:.6f}".rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    return str(value)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """cameras.csv bytes: UTF-8, LF, fixed column order, stable number formatting."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    cols = [df[c].tolist() if c in df.columns else [""] * len(df) for c in COLUMNS]
    for values in zip(*cols):
        writer.writerow([_fmt(v) for v in values])
    return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------- fetching

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


# ---------------------------------------------------------------- CLI

def _default_source_id(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")
    return slug or "user-upload"


def main_import_cameras(argv: list[str]) -> int:
    """`python -m loaders import-cameras SOURCE [--zh SOURCE] --out CSV ...`; returns the exit status."""
    p = argparse.ArgumentParser(prog="python -m loaders import-cameras",
                                description="Import a camera list (file or http(s) URL) into cameras.csv format.")
    p.add_argument("source", help="file path or http(s) URL")
    p.add_argument("--zh", help="Chinese Transport Department list joined on key for description_zh")
    p.add_argument("--out", required=True, type=Path, help="CSV to write")
    p.add_argument("--source-id", help="id of the source in sources.yaml (default: from the file name)")
    p.add_argument("--operator", choices=OPERATORS)
    p.add_argument("--programme", choices=CAMERA_PROGRAMMES)
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    a = p.parse_args(argv)
    try:
        data, name = fetch(a.source, max_bytes=a.max_bytes)
        zh, zh_name = fetch(a.zh, max_bytes=a.max_bytes) if a.zh else (None, None)
    except DataError as exc:
        for prob in exc.problems:
            print(prob, file=sys.stderr)
        return 1
    df, problems = import_cameras(data, name, zh=zh, zh_name=zh_name, source_id=a.source_id or _default_source_id(name),
                                  operator=a.operator, programme=a.programme, max_bytes=a.max_bytes)
    for prob in problems:
        print(prob, file=sys.stderr)
    if len(df) or not problems:  # never replace a good file with nothing because the input was unusable
        a.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = a.out.with_name(a.out.name + ".tmp")
        tmp.write_bytes(to_csv_bytes(df))
        os.replace(tmp, a.out)
        zh_count = int((df["description_zh"] != "").sum()) if len(df) else 0
        districts = df["district_code"].replace("", pd.NA).dropna().nunique() if len(df) else 0
        print(f"wrote {len(df)} cameras ({districts} districts, {zh_count} with a Chinese description) to {a.out}",
              file=sys.stderr)
    return 1 if problems else 0
