"""Transport Department camera lists (XML, JSON or the live UTF-16 CSV) -> records.

The department publishes key, region, district (since 2021), description, HK1980 easting/
northing and WGS84 latitude/longitude. A Chinese list (..._Tc) only adds descriptions, joined
on key.
"""
from __future__ import annotations

import re
from typing import Any

from loaders.importers.cameras import sniff
from loaders.importers.cameras.notices import DataError, Problem
from loaders.importers.cameras.table import read_rows
from loaders.importers.cameras.values import clean_text, fold_key, show
from loaders.importers.cameras.xmlsafe import parse

_KEY = re.compile(r"^[A-Za-z0-9._-]{1,40}$")


def _xml_rows(text: str, name: str) -> list[dict]:
    """<image-list><image><key>..</key>..</image></image-list>, with the line of each <image>."""
    rows: list[dict] = []
    depth = 0
    cur: dict | None = None

    def start(tag, _attrs, line):
        nonlocal depth, cur
        depth += 1
        if depth == 2 and tag == "image":
            cur = {"_line": line}

    def end(tag, text_):
        nonlocal depth, cur
        if depth == 3 and cur is not None:
            cur[tag] = text_
        elif depth == 2 and cur is not None:
            rows.append(cur)
            cur = None
        depth -= 1

    parse(text, name, start, end)
    return rows


def _json_rows(items: list, name: str, problems: list[Problem]) -> list[dict]:
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(name, n, "record", f"record {n}: expected an object, got {type(item).__name__}"))
            continue
        out.append({"_line": n, **{fold_key(k): v for k, v in item.items()}})
    return out


def _raw_rows(fmt: str, text: str, obj: Any, name: str, problems: list[Problem]) -> list[dict]:
    if fmt == "td_xml":
        return _xml_rows(text, name)
    if fmt == "td_json":
        return _json_rows(obj, name, problems)
    return read_rows(text, name)[1]


def description(row: dict, key: str) -> str:
    """TD descriptions end with ' [KEY]'; the key has its own column, so drop it."""
    desc = clean_text(row.get("description"))
    return re.sub(r"\s*\[" + re.escape(key) + r"\]$", "", desc) if key else desc


def records(fmt: str, text: str, obj: Any, name: str, problems: list[Problem]) -> list[dict]:
    """TD rows as importer records: id td-KEY, the published district wording, description."""
    out = []
    for row in _raw_rows(fmt, text, obj, name, problems):
        key = clean_text(row.get("key"))
        rec = {"_line": row.get("_line"), "_profile": "td", "_key": key,
               "latitude": row.get("latitude"), "longitude": row.get("longitude"),
               "easting": row.get("easting"), "northing": row.get("northing"),
               "district": row.get("district"), "description_en": description(row, key)}
        if _KEY.match(key):
            rec["_id"] = f"td-{key}"
        else:
            rec["_problems"] = [Problem(name, row.get("_line"), "key",
                                        f"expected a camera key of letters and digits, got {show(row.get('key'))}")]
        out.append(rec)
    return out


def zh_descriptions(zh: bytes, zh_name: str, max_bytes: int) -> tuple[dict[str, str], list[Problem]]:
    """key -> Chinese description from any TD list in Chinese (e.g. Traffic_Camera_Locations_Tc.xml)."""
    if len(zh) > max_bytes:
        return {}, [Problem(zh_name, None, "file", f"file is {len(zh):,} bytes; the limit is {max_bytes:,}")]
    problems: list[Problem] = []
    try:
        text = sniff.decode(zh, zh_name)
        fmt, obj = sniff.sniff(text, zh_name)
        if not fmt.startswith("td_"):
            raise DataError([Problem(zh_name, None, "file", "Chinese descriptions must come from a Transport Department "
                                                           "camera list (td_xml, td_json or td_csv), not " + fmt)])
        rows = _raw_rows(fmt, text, obj, zh_name, problems)
    except DataError as exc:
        return {}, exc.problems
    out: dict[str, str] = {}
    for row in rows:
        key = clean_text(row.get("key"))
        desc = description(row, key)
        if key and desc and key not in out:
            out[key] = desc
    return out, problems
