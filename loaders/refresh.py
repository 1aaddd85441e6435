"""`python -m loaders refresh`: fetch the live published inputs again and rebuild what they feed.

Load inputs: data/refresh.yaml lists each input (URL, format, the file it becomes, the source its
rows cite). Process: every input is fetched first; then, in a copy of the data directory, the
HAD boundaries are simplified (loaders.geo.build_geo), the Transport Department list is imported
with its Chinese list (loaders.importers.cameras), OpenStreetMap nodes likewise; origins.yaml and
sources.yaml get the new hash, size and access date. Save: only when the whole copy validates are
the changed files moved into data/. Any failure (HTTP error, time-out, truncated body, renamed
column, bad rows, points outside Hong Kong) leaves data/ untouched and names the input and why.
The same inputs and access date give the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from loaders import yaml_text
from loaders.changes import distance_m
from loaders.fetch import TIMEOUT, FetchError, fetch_bytes
from loaders.problems import DataError

RECIPE = "refresh.yaml"
FORMATS = ("td_csv", "td_xml", "had_geojson", "overpass_json")
OUTPUTS = {"had_geojson": ("geo/districts.geojson",), "td_csv": ("cameras_td.csv",), "td_xml": ("cameras_td.csv",),
           "overpass_json": ("cameras_osm.csv",)}
MOVE_M = 10.0  # a camera whose point moved further than this is listed as moved
# Boundaries include sea areas a little beyond the camera envelope (HAD's file reaches 114.502 E).
BOUNDARY_LON, BOUNDARY_LAT = (113.75, 114.55), (22.05, 22.65)
ORIGIN_ORDER = ("id", "file", "title", "producer", "citation_full", "url_main", "url_download", "date_published",
                "date_accessed", "licence", "sha256", "size", "derived_files", "source")
SOURCE_ORDER = ("id", "title", "publisher", "url", "published", "language", "kind", "original", "accessed",
                "licence", "note")
_FIELDS = {"id": str, "url": str, "format": str, "output": str, "columns": list, "zh": str, "max_drop": float,
           "source": str, "title": str, "producer": str, "url_main": str, "licence": str, "language": str,
           "query": str}
_REQUIRED = ("id", "url", "format", "source", "title", "producer", "url_main", "licence", "language")


class RefreshError(Exception):
    """Refresh stopped; data/ was not changed. The message names the input and the reason."""


@dataclass(frozen=True)
class Input:
    id: str
    url: str
    format: str
    source: str
    title: str
    producer: str
    url_main: str
    licence: str
    language: str
    output: str | None = None
    columns: tuple[str, ...] = ()
    zh: str | None = None
    max_drop: float = 0.2
    query: str | None = None

    @property
    def file_name(self) -> str:
        if self.format == "overpass_json":
            return f"{self.id}.json"
        return Path(urllib.parse.unquote(urllib.parse.urlsplit(self.url).path)).name or f"{self.id}.dat"


# ---------------------------------------------------------------- the recipe

def load_recipe(root: Path) -> list[Input]:
    """The inputs listed in data/refresh.yaml, checked; RefreshError with FILE:LINE: field: message."""
    from loaders.validate import parse_yaml_list, read_text

    text, problems = read_text(root / RECIPE, RECIPE)
    if text is None:
        raise RefreshError("\n".join(map(str, problems)))
    records, problems = parse_yaml_list(text, RECIPE)
    messages = [str(p) for p in problems]
    inputs, ids = [], set()
    for rec in records:
        def where(f, rec=rec):
            return f"{RECIPE}:{rec.lines.get(f, rec.line)}: {f}"
        bad = False
        for f in rec:
            if f not in _FIELDS:
                messages.append(f"{where(f)}: unknown field (expected one of: {', '.join(_FIELDS)})")
                bad = True
        for f in _REQUIRED:
            if not rec.get(f):
                messages.append(f"{where(f)}: required field is missing")
                bad = True
        if rec.get("format") and rec["format"] not in FORMATS:
            messages.append(f"{where('format')}: expected one of {', '.join(FORMATS)}; got {rec['format']!r}")
            bad = True
        for f in ("url", "url_main"):
            if rec.get(f) and not re.match(r"^https?://\S+$", str(rec[f])):
                messages.append(f"{where(f)}: expected an http(s) URL, got {rec[f]!r}")
                bad = True
        if rec.get("output") and rec.get("format") in OUTPUTS and rec["output"] not in OUTPUTS[rec["format"]]:
            messages.append(f"{where('output')}: a {rec['format']} input becomes {' or '.join(OUTPUTS[rec['format']])}")
            bad = True
        if rec.get("columns") is not None and not isinstance(rec.get("columns"), list):
            messages.append(f"{where('columns')}: expected a list of column names")
            bad = True
        if rec.get("id") in ids:
            messages.append(f"{where('id')}: duplicate id {rec['id']!r}")
            bad = True
        if bad:
            continue
        ids.add(rec["id"])
        kw = {f: rec[f] for f in _FIELDS if rec.get(f) is not None}
        kw["columns"] = tuple(str(c).strip().lower() for c in kw.get("columns", ()))
        if "max_drop" in kw:
            kw["max_drop"] = float(kw["max_drop"])
        inputs.append(Input(**kw))
    for inp in inputs:
        if inp.zh and inp.zh not in ids:
            messages.append(f"{RECIPE}: zh: {inp.id} names {inp.zh!r}, which is not an input")
    if messages:
        raise RefreshError("\n".join(messages))
    return inputs


# ---------------------------------------------------------------- checks on a fetched body

def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if len(data) > 1 and data[1:2] == b"\x00":
        return data.decode("utf-16-le")
    return data.decode("utf-8-sig")


def _fields_of(inp: Input, data: bytes) -> list[str]:
    """The column (CSV) or tag (XML, first <image>) names of a Transport Department list."""
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise RefreshError(f"{inp.id}: not readable text ({exc.reason}) at {inp.url}") from None
    if inp.format == "td_csv":
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        delim = "\t" if "\t" in first else ","
        return [c.strip().lstrip("\ufeff").lower() for c in next(csv.reader([first], delimiter=delim), [])]
    m = re.search(r"<image>(.*?)</image>", text, re.S | re.I)
    return [t.lower() for t in re.findall(r"<([A-Za-z_][\w.-]*)[\s/>]", m.group(1))] if m else []


def _check_columns(inp: Input, data: bytes) -> None:
    if not inp.columns:
        return
    found = _fields_of(inp, data)
    missing = [c for c in inp.columns if c not in found]
    if missing:
        what = "column" if inp.format == "td_csv" else "field"
        raise RefreshError(f"{inp.id}: {what}{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing or renamed "
                           f"(found: {', '.join(found) or 'none'}) at {inp.url}")


def _check_format(inp: Input, data: bytes) -> None:
    from loaders.importers.cameras import detect_format

    if inp.format == "had_geojson":
        return
    try:
        fmt = detect_format(data, inp.file_name)
    except DataError as exc:
        raise RefreshError(f"{inp.id}: {exc.problems[0].message} at {inp.url}") from None
    if fmt != inp.format:
        _check_columns(inp, data)  # a renamed column is the likelier story: say which one
        raise RefreshError(f"{inp.id}: expected {inp.format}, got {fmt} at {inp.url}")


def _check_boundaries(inp: Input, data: bytes) -> None:
    try:
        fc = json.loads(data.decode("utf-8-sig"))
        feats = fc["features"]
        points = [pt for f in feats for pt in _points(f["geometry"]["coordinates"])]
    except (ValueError, KeyError, TypeError) as exc:
        raise RefreshError(f"{inp.id}: not a GeoJSON FeatureCollection of polygons ({exc.__class__.__name__}) at {inp.url}") from None
    outside = [p for p in points if not (BOUNDARY_LON[0] <= p[0] <= BOUNDARY_LON[1] and BOUNDARY_LAT[0] <= p[1] <= BOUNDARY_LAT[1])]
    if outside:
        lon, lat = outside[0][:2]
        raise RefreshError(f"{inp.id}: {len(outside)} boundary points outside Hong Kong, e.g. lon {lon}, lat {lat} at {inp.url}")


def _points(coords):
    if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
        yield coords
    elif isinstance(coords, list):
        for c in coords:
            yield from _points(c)


# ---------------------------------------------------------------- comparing camera files

def _camera_rows(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    text = path.read_bytes().decode("utf-8-sig")
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}


@dataclass
class CameraDiff:
    file: str
    before: int
    after: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[tuple[str, float]] = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)  # field -> cameras whose field changed (besides moves)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.moved or self.other)


def camera_diff(file: str, old: dict[str, dict], new: dict[str, dict]) -> CameraDiff:
    out = CameraDiff(file, len(old), len(new), sorted(set(new) - set(old)), sorted(set(old) - set(new)))
    for cid in sorted(set(old) & set(new)):
        a, b = old[cid], new[cid]
        if (a["latitude"], a["longitude"]) != (b["latitude"], b["longitude"]):
            metres = distance_m(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
            if metres > MOVE_M:
                out.moved.append((cid, metres))
        for f in sorted(set(a) | set(b)):
            if f not in ("id", "latitude", "longitude") and a.get(f) != b.get(f):
                out.other[f] = out.other.get(f, 0) + 1
    return out


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def format_camera_diff(d: CameraDiff) -> list[str]:
    if d.unchanged:
        return [f"{d.file}: unchanged ({_plural(d.after, 'camera')})"]
    lines = [f"{d.file}: {_plural(d.after, 'camera')} (was {d.before:,}): {len(d.added)} added, {len(d.removed)} removed, "
             f"{len(d.moved)} moved more than {MOVE_M:g} m"]
    if d.added:
        lines.append("  added: " + ", ".join(d.added))
    if d.removed:
        lines.append("  removed: " + ", ".join(d.removed))
    if d.moved:
        lines.append("  moved: " + ", ".join(f"{cid} ({m:,.0f} m)" for cid, m in d.moved))
    if d.other:
        lines.append("  other fields changed: " + ", ".join(f"{f} ({_plural(n, 'camera')})" for f, n in d.other.items()))
    return lines


# ---------------------------------------------------------------- origins and sources

def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _origin_record(inp: Input, data: bytes, accessed: str, derived: str) -> dict:
    how = f"Fetched from {inp.url} on {accessed} by python -m loaders refresh"
    if inp.query:
        how += f" with the Overpass query {inp.query}"
    return {
        "id": inp.id, "file": inp.file_name, "title": inp.title, "producer": inp.producer,
        "citation_full": f"{inp.producer}. {inp.title}. {how}; sha256 {_sha(data)}, {len(data):,} bytes.",
        "url_main": inp.url_main, "url_download": inp.url, "date_published": "undated", "date_accessed": accessed,
        "licence": inp.licence, "sha256": _sha(data), "size": len(data), "derived_files": [derived], "source": inp.source,
    }


def _source_record(inp: Input, accessed: str) -> dict:
    return {
        "id": inp.source, "title": inp.title, "publisher": inp.producer,
        "url": inp.url_main if inp.format == "overpass_json" else inp.url, "published": "undated",
        "language": inp.language, "kind": "open_data", "original": True, "accessed": accessed, "licence": inp.licence,
        "note": "Live list fetched by python -m loaders refresh. The publisher does not date it: "
                "the access date is the date of the data.",
    }


def _write_block(text: str, rid: str, record: dict, order) -> str:
    block = yaml_text.record_block(record, order)
    if yaml_text.read_back(block) != {k: v for k, v in record.items() if v not in (None, "", [])}:
        raise RefreshError(f"{rid}: the new record does not read back unchanged")
    return yaml_text.replace(text, rid, block) if yaml_text.find(text, rid) else yaml_text.append(text, block)


# ---------------------------------------------------------------- the run

@dataclass
class Result:
    summary: str
    changed: list[str]  # files under data/ that were replaced


def _fetch(inp: Input, timeout: float) -> bytes:
    body = urllib.parse.urlencode({"data": inp.query}).encode() if inp.query else None
    try:
        return fetch_bytes(inp.url, data=body, timeout=timeout,
                           content_type="application/x-www-form-urlencoded" if body else None)
    except FetchError as exc:
        raise RefreshError(f"{inp.id}: {exc.reason} at {inp.url}") from None


def _problems_text(inp: Input, problems) -> str:
    shown = [f"  {p}" for p in problems[:10]]
    more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
    return f"{inp.id}: {len(problems)} problem{'s' if len(problems) != 1 else ''} at {inp.url}:\n" + "\n".join(shown) + more


def refresh(root: str | os.PathLike | None = None, *, only: list[str] | None = None, accessed: str | None = None,
            timeout: float = TIMEOUT, allow_shrink: bool = False) -> Result:
    """Fetch, rebuild, validate and move into place; RefreshError (and no change to data/) on any failure."""
    from loaders.datasets import data_dir, load_all
    from loaders.geo import DistrictIndex, build_geo
    from loaders.importers.cameras import errors, import_cameras, notices, to_csv_bytes

    root = data_dir(root).resolve()
    accessed = accessed or dt.datetime.now(dt.timezone.utc).date().isoformat()
    inputs = load_recipe(root)
    by_id = {i.id: i for i in inputs}
    unknown = [n for n in only or () if n not in by_id]
    if unknown:
        raise RefreshError(f"unknown input {', '.join(map(repr, unknown))}; inputs in {RECIPE}: {', '.join(by_id)}")
    chosen = [i for i in inputs if not only or i.id in only]
    for inp in list(chosen):  # a Chinese list is only ever read together with its English one
        partner = next((i for i in inputs if i.zh == inp.id), None)
        extra = [by_id[inp.zh]] if inp.zh else ([partner] if partner else [])
        chosen += [e for e in extra if e not in chosen]
    chosen.sort(key=inputs.index)

    data = {inp.id: _fetch(inp, timeout) for inp in chosen}  # everything first: a failure changes nothing
    for inp in chosen:
        if inp.format == "had_geojson":
            _check_boundaries(inp, data[inp.id])
        else:
            _check_format(inp, data[inp.id])
            _check_columns(inp, data[inp.id])

    before = load_all(root)
    known = {(p.file, p.field, p.message) for p in before.problems}
    work = Path(tempfile.mkdtemp(prefix=".refresh-", dir=root.parent))
    try:
        tmp = work / "data"
        shutil.copytree(root, tmp)
        outputs: dict[str, Input] = {}
        import_notes: list[str] = []  # kept rows with something corrected or left empty (told, not fatal)
        # Boundaries first: the cameras are placed in districts with the new boundaries.
        for inp in (i for i in chosen if i.format == "had_geojson"):
            raw = work / inp.file_name
            raw.write_bytes(data[inp.id])
            try:
                build_geo(raw, tmp / inp.output)
            except DataError as exc:
                raise RefreshError(_problems_text(inp, exc.problems)) from None
            outputs[inp.output] = inp
        index = DistrictIndex.from_path(tmp / "geo" / "districts.geojson")
        for inp in chosen:
            if inp.format == "had_geojson" or not inp.output:
                continue
            zh = by_id[inp.zh] if inp.zh else None
            frame, problems = import_cameras(data[inp.id], inp.file_name, zh=data[zh.id] if zh else None,
                                             zh_name=zh.file_name if zh else None, source_id=inp.source,
                                             district_index=index)
            if errors(problems):
                raise RefreshError(_problems_text(inp, errors(problems)))
            import_notes += [f"  {inp.id}: {n}" for n in notices(problems)]
            old_rows = len(_camera_rows(root / inp.output))
            if old_rows and len(frame) < old_rows * (1 - inp.max_drop) and not allow_shrink:
                raise RefreshError(f"{inp.id}: {inp.output} would shrink from {old_rows:,} to {len(frame):,} rows "
                                   f"(more than {inp.max_drop:.0%} fewer); check {inp.url}, then run again with --allow-shrink")
            (tmp / inp.output).write_bytes(to_csv_bytes(frame))
            outputs[inp.output] = inp
        changed = sorted(f for f in outputs if not (root / f).is_file() or (root / f).read_bytes() != (tmp / f).read_bytes())
        notes = _update_provenance(tmp, chosen, by_id, data, changed, accessed)
        after = load_all(tmp)
        new_problems = [p for p in after.problems if (p.file, p.field, p.message) not in known]
        if new_problems:
            culprit = ", ".join(sorted({outputs[p.file].id for p in new_problems if p.file in outputs})) or "refresh"
            raise RefreshError(f"{culprit}: the refreshed data does not validate:\n" +
                               "\n".join(f"  {p}" for p in new_problems[:10]))
        lines = [f"Refresh of the published inputs, accessed {accessed}", ""]
        for inp in chosen:
            lines.append(f"{inp.id}: {inp.file_name}, {len(data[inp.id]):,} bytes, sha256 {_sha(data[inp.id])[:12]}")
        lines.append("")
        for out in sorted(outputs):
            if out.endswith(".csv"):
                lines += format_camera_diff(camera_diff(out, _camera_rows(root / out), _camera_rows(tmp / out)))
            else:
                lines.append(f"{out}: {'changed' if out in changed else 'unchanged'}")
        lines += notes or ["origins.yaml, sources.yaml: unchanged"]
        if import_notes:
            lines += ["", f"Notes from the import ({len(import_notes)}): rows kept, with what was corrected or left empty"] + import_notes
        touched = changed + [f for f in ("origins.yaml", "sources.yaml")
                             if (root / f).read_bytes() != (tmp / f).read_bytes()]
        for rel in touched:  # everything validated: now, and only now, data/ changes
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, dest)
        if not touched:
            lines.append("")
            lines.append("Nothing changed in data/.")
        return Result("\n".join(lines) + "\n", touched)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def yaml_text_records(path: Path) -> list[dict]:
    from loaders.validate import parse_yaml_list, read_text

    text, _ = read_text(path, path.name)
    return parse_yaml_list(text or "[]", path.name)[0]


def _update_provenance(tmp: Path, chosen: list[Input], by_id: dict, data: dict, changed: list[str], accessed: str) -> list[str]:
    """Origins and sources for the inputs whose files changed; older origins of those files retire."""
    origins_path, sources_path = tmp / "origins.yaml", tmp / "sources.yaml"
    origins = origins_path.read_text(encoding="utf-8")
    sources = sources_path.read_text(encoding="utf-8")
    known_sources = {r.get("id") for r in yaml_text_records(sources_path)}
    old_origins = {r.get("id"): r for r in yaml_text_records(origins_path)}
    updated, added_sources, retired = [], [], []
    for inp in chosen:
        derived = inp.output or next((i.output for i in chosen if i.zh == inp.id), None)
        if derived not in changed:
            continue
        prev = old_origins.get(inp.id)
        if prev is None or prev.get("sha256") != _sha(data[inp.id]) or derived not in (prev.get("derived_files") or []):
            origins = _write_block(origins, inp.id, _origin_record(inp, data[inp.id], accessed, derived), ORIGIN_ORDER)
            updated.append(inp.id)
            if inp.source not in known_sources:
                sources = _write_block(sources, inp.source, _source_record(inp, accessed), SOURCE_ORDER)
                known_sources.add(inp.source)
                added_sources.append(inp.source)
            else:
                sources = yaml_text.set_field(sources, inp.source, "accessed", accessed)
    live = {i.id for i in by_id.values()}
    for rid, rec in old_origins.items():
        files = [f for f in (rec.get("derived_files") or []) if f not in changed]
        if rid in live or files == list(rec.get("derived_files") or []):
            continue
        if files:
            origins = yaml_text.set_field(origins, rid, "derived_files", files)
        else:
            origins = yaml_text.replace(origins, rid, None)
        retired.append(rid)
    origins_path.write_text(origins, encoding="utf-8", newline="\n")
    sources_path.write_text(sources, encoding="utf-8", newline="\n")
    notes = []
    if updated:
        notes.append("origins.yaml: new hash, size and access date for " + ", ".join(updated))
    if retired:
        notes.append("origins.yaml: no longer the origin of the refreshed files: " + ", ".join(retired))
    if added_sources:
        notes.append("sources.yaml: added " + ", ".join(added_sources))
    return notes


# ---------------------------------------------------------------- command line

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m loaders refresh",
                                description="Fetch the live inputs in data/refresh.yaml again and rebuild the files they feed.")
    p.add_argument("--only", action="append", metavar="NAME", help="refresh only this input (repeatable)")
    p.add_argument("--accessed", help="access date to record, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds to wait for each download")
    p.add_argument("--allow-shrink", action="store_true", help="accept a list that lost more rows than its max_drop")
    p.add_argument("--summary", type=Path, help="also write the change summary to this file (e.g. a pull request body)")
    p.add_argument("--data-dir", default=None, help="data directory (default: $HKCCTV_DATA_DIR or data/)")
    return p


def main_refresh(argv: list[str]) -> int:
    a = build_parser().parse_args(argv)
    try:
        if a.accessed:
            dt.date.fromisoformat(a.accessed)
    except ValueError:
        print(f"refresh: --accessed: expected a date YYYY-MM-DD, got {a.accessed!r}", file=sys.stderr)
        return 2
    try:
        result = refresh(a.data_dir, only=a.only, accessed=a.accessed, timeout=a.timeout, allow_shrink=a.allow_shrink)
    except RefreshError as exc:
        text = f"refresh failed, nothing in data/ changed: {exc}"
        print(text, file=sys.stderr)
        if a.summary:
            a.summary.write_text(text + "\n", encoding="utf-8")
        return 1
    sys.stdout.write(result.summary)
    if a.summary:
        a.summary.write_text(result.summary, encoding="utf-8")
    return 0
