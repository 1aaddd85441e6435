"""KML and KMZ (Google My Maps, Google Earth) -> records.

Each Placemark with a Point becomes a record: its name, its description (KML descriptions are
HTML: tags are removed, entities decoded) and its ExtendedData fields, matched by the same
names as CSV columns. Placemarks with lines or shapes are reported and skipped. Parsed with
the standard library's expat without DTDs (see xmlsafe.py): no entities, no external fetches.
"""
from __future__ import annotations

import html
import re

from loaders.importers.cameras.notices import Notice, Problem
from loaders.importers.cameras.values import clean_text, field_for, fold_key, show
from loaders.importers.cameras.xmlsafe import parse

_SHAPES = {"point": "Point", "linestring": "LineString", "polygon": "Polygon", "multigeometry": "MultiGeometry",
           "track": "Track", "multitrack": "MultiTrack", "model": "Model", "linearring": "LinearRing"}
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def html_text(value: str) -> str:
    """A KML description as plain text: line breaks become '; ', other markup is dropped."""
    s = _BREAK.sub("; ", value or "")
    s = html.unescape(_TAG.sub(" ", s))
    s = re.sub(r"\s*;\s*(;\s*)+", "; ", clean_text(s))
    return s.strip("; ").strip()


def records(text: str, name: str) -> tuple[list[dict], list[Problem]]:
    out: list[dict] = []
    problems: list[Problem] = []
    ignored: dict[str, int] = {}
    path: list[str] = []
    state: dict = {}
    count = 0

    def start(tag, attrs, line):
        nonlocal count
        path.append(tag)
        if tag == "placemark":
            count += 1
            state.clear()
            state.update(line=line, n=count, shape=None, coords=None, fields={}, data_name=None,
                         attr_id=clean_text(attrs.get("id")))
        elif state and "placemark" in path[:-1]:
            if tag in _SHAPES and state["shape"] is None:
                state["shape"] = _SHAPES[tag]
            elif tag in ("data", "simpledata"):
                state["data_name"] = attrs.get("name")

    def end(tag, text_):
        path.pop()
        if not state:
            return
        parent = path[-1] if path else ""
        if tag == "placemark":
            _finish(dict(state))
            state.clear()
        elif tag in ("name", "description") and parent == "placemark":
            state["fields"].setdefault(tag, html_text(text_) if tag == "description" else text_)
        elif tag == "coordinates" and state["shape"] == "Point" and state["coords"] is None:
            state["coords"] = text_
        elif tag in ("value", "simpledata") and state.get("data_name") is not None:
            key = state["data_name"]
            field = field_for(key)
            if field is None:
                ignored.setdefault(key, state["line"])
            else:
                state["fields"][f"data:{field}"] = text_  # ExtendedData wins over <name>/<description>
            if tag == "simpledata":
                state["data_name"] = None
        elif tag == "data":
            state["data_name"] = None

    def _finish(pm):
        line, n, fields = pm["line"], pm["n"], pm["fields"]
        label = f"placemark {n}" + (f" {show(fields.get('name'))}" if clean_text(fields.get("name")) else "")
        if pm["shape"] != "Point":
            got = pm["shape"] or "no geometry"
            problems.append(Problem(name, line, "geometry", f"{label}: expected a Point, got {got}; skipped"))
            return
        tuples = (pm["coords"] or "").split()  # "lon,lat[,alt]"; a Point has one
        if not tuples:
            problems.append(Problem(name, line, "coordinates", f"{label}: the Point has no coordinates; skipped"))
            return
        parts = [p.strip() for p in tuples[0].split(",")]
        rec = {"_line": line, "longitude": parts[0], "latitude": parts[1] if len(parts) > 1 else None}
        if pm["attr_id"]:
            rec["id"] = pm["attr_id"]
        for key in ("name", "description"):
            if key in fields:
                rec[key] = fields[key]
        for key, value in fields.items():
            if key.startswith("data:"):
                rec[key[5:]] = value
        out.append(rec)

    parse(text, name, start, end)
    for key, line in ignored.items():
        if fold_key(key):
            problems.append(Notice(name, line, str(key), "ExtendedData field not used by the importer; its values are ignored"))
    return out, problems
