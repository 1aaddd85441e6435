"""The record-level changelog: every data version's records, and what changed between versions.

Why snapshots, not git: CI and deployments may hold a shallow clone or no .git at all, so the
history is committed as files. It lives in history/ at the repository root, outside data/,
because loaders.citation hashes every file under data/ into the version label: a history kept
there would change the label it is keyed by.

history/NNNN.jsonl holds one recorded version: a header line (label, when recorded, sha256 of
the full record set), then one line per record added, changed (old -> new per field) or removed
against the version before. Replaying the files in order gives every version's records; the
header hash catches a hand-edited or missing file. The data directory itself is always the
newest version: when it differs from the newest recorded one it is listed as not yet recorded
and its changes are computed live, so the changelog cannot drift from the data.

Records are read as written (YAML scalars, CSV text), not as loaded, so a version recorded under
an older schema replays unchanged. No Streamlit here: the pages call these functions.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from loaders import citation
from loaders import schema
from loaders.validate import parse_yaml_list, read_text

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HISTORY = REPO_ROOT / "history"
CURRENT = "current"  # accepted wherever a version is asked for: the data directory as it is now


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str  # relative to the data directory
    key: str  # field that identifies a record
    fields: tuple[str, ...] = ()  # display order of fields (others follow alphabetically)


def _datasets() -> tuple[Dataset, ...]:
    out, files = [], set()
    for sch in schema.ALL:
        if sch.file in files:
            continue
        files.add(sch.file)
        out.append(Dataset(sch.name, sch.file, sch.id_field or "id",
                           tuple(f.name for f in sch.fields) + tuple(sch.children)))
    cam_fields = tuple(f.name for f in schema.CAMERAS.fields)
    for extra in (Dataset("cameras_osm", "cameras_osm.csv", "id", cam_fields),  # written by `refresh`
                  Dataset("district_boundaries", "geo/districts.geojson", "code",
                          ("code", "name_en", "name_zh", "vertices", "geometry_sha256"))):
        if extra.file not in files:
            out.append(extra)
    return tuple(out)


DATASETS = _datasets()
FILES = Dataset("files", "", "path", ("path", "bytes", "sha256"))  # any other file under data/
BY_NAME = {d.name: d for d in DATASETS + (FILES,)}
ORDER = {d.name: i for i, d in enumerate(DATASETS + (FILES,))}


class HistoryError(Exception):
    """The committed history cannot be replayed; the message names the file and what is wrong."""


# ---------------------------------------------------------------- reading records as written

Snapshot = dict[str, dict[str, dict]]  # dataset -> record key -> record


def _plain(value: Any) -> Any:
    """YAML/CSV values as plain JSON-able data (LineDict -> dict, dates stay text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _keyed(rows: list[dict], key: str) -> dict[str, dict]:
    """Records by key; a missing key becomes '#n', a repeated one 'key#2' (so nothing is lost)."""
    out: dict[str, dict] = {}
    for n, row in enumerate(rows, 1):
        k = row.get(key)
        k = str(k) if not _empty(k) else f"#{n}"
        name, i = k, 1
        while name in out:
            i += 1
            name = f"{k}#{i}"
        out[name] = row
    return out


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: snapshots read every file


class _FastLoader(_BaseLoader):
    """Safe YAML with dates kept as text, like loaders.validate (which also tracks lines, slowly)."""


_FastLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in _BaseLoader.yaml_implicit_resolvers.copy().items()
}


def _read_yaml(path: Path, label: str) -> list[dict]:
    text, _ = read_text(path, label)
    if text is None:
        return []
    try:
        data = yaml.load(text, Loader=_FastLoader)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, list):  # malformed: fall back to the validating reader for what it can keep
        records, _ = parse_yaml_list(text, label)
        return [_plain(r) for r in records]
    return [_plain(r) for r in data if isinstance(r, dict)]


def _read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    return [{k.strip(): v for k, v in row.items() if k is not None and not _empty(v)} for row in reader]


def _read_geojson(path: Path) -> list[dict]:
    try:
        fc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return []
    rows = []
    for feat in (fc.get("features") or []) if isinstance(fc, dict) else []:
        if not isinstance(feat, dict):
            continue
        props = _plain(feat.get("properties") or {})
        geom = feat.get("geometry")
        rows.append({**props, "geometry_sha256": _sha(_canonical(geom))[:16], "vertices": _vertices(geom)})
    return rows


def _vertices(geom: Any) -> int:
    coords = geom.get("coordinates") if isinstance(geom, dict) else None

    def count(c):
        if isinstance(c, list) and c and all(isinstance(x, (int, float)) for x in c[:2]):
            return 1
        return sum(count(x) for x in c) if isinstance(c, list) else 0

    return count(coords)


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def snapshot(root: str | os.PathLike | None = None) -> Snapshot:
    """Every record in a data directory, as written, keyed by dataset and record id.

    Files that no dataset describes are listed in the 'files' dataset by path, size and sha256,
    so no change under data/ goes unrecorded.
    """
    from loaders.datasets import data_dir

    root = data_dir(root)
    snap: Snapshot = {}
    for ds in DATASETS:
        path = root / ds.file
        if not path.is_file():
            snap[ds.name] = {}
            continue
        if ds.file.endswith((".yaml", ".yml")):
            rows = _read_yaml(path, ds.file)
        elif ds.file.endswith(".csv"):
            rows = _read_csv(path)
        else:
            rows = _read_geojson(path)
        snap[ds.name] = _keyed(rows, ds.key)
    known = {d.file for d in DATASETS}
    other = {}
    for path in citation.data_files(root):
        rel = path.relative_to(root).as_posix()
        if rel not in known:
            raw = path.read_bytes()
            if path.suffix.lower() in citation._TEXT_SUFFIXES:  # same LF rule as the data hash
                raw = raw.replace(b"\r\n", b"\n")
            other[rel] = {"bytes": len(raw), "sha256": _sha(raw)}
    snap[FILES.name] = other
    return snap


def records_sha256(snap: Snapshot) -> str:
    return _sha(_canonical({k: v for k, v in snap.items() if v}))


# ---------------------------------------------------------------- comparing two snapshots

@dataclass(frozen=True)
class Change:
    """One record added, changed or removed between two versions."""

    dataset: str
    key: str
    op: str  # "added" | "changed" | "removed"
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, old, new) for "changed"; None = absent
    record: dict = field(default_factory=dict)  # the new record (added, changed) or the old one (removed)
    old_record: dict = field(default_factory=dict)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f for f, _, _ in self.fields)


def _field_order(ds: Dataset, names) -> list[str]:
    pos = {f: i for i, f in enumerate(ds.fields)}
    return sorted(names, key=lambda f: (pos.get(f, len(pos)), f))


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    """Records added, changed (field by field) and removed: dataset by dataset, in that order, by key."""
    out: list[Change] = []
    for name in sorted(set(old) | set(new), key=lambda n: (ORDER.get(n, len(ORDER)), n)):
        ds = BY_NAME.get(name, Dataset(name, "", "id"))
        a, b = old.get(name, {}), new.get(name, {})
        out += [Change(name, key, "added", record=b[key]) for key in sorted(set(b) - set(a))]
        for key in sorted(set(a) & set(b)):
            if a[key] != b[key]:
                names = [f for f in set(a[key]) | set(b[key]) if a[key].get(f) != b[key].get(f)]
                fields = tuple((f, a[key].get(f), b[key].get(f)) for f in _field_order(ds, names))
                out.append(Change(name, key, "changed", fields, record=b[key], old_record=a[key]))
        out += [Change(name, key, "removed", record=a[key], old_record=a[key]) for key in sorted(set(a) - set(b))]
    return out


def apply(snap: Snapshot, changes: list[Change]) -> Snapshot:
    """The snapshot after the changes (a new object; the input is not modified)."""
    out = {name: dict(recs) for name, recs in snap.items()}
    for ch in changes:
        recs = out.setdefault(ch.dataset, {})
        if ch.op == "removed":
            recs.pop(ch.key, None)
        elif ch.op == "added":
            recs[ch.key] = ch.record
        else:
            rec = dict(recs.get(ch.key, {}))
            for f, _, new in ch.fields:
                if new is None:
                    rec.pop(f, None)
                else:
                    rec[f] = new
            recs[ch.key] = rec
    return out


# ---------------------------------------------------------------- versions and the history files

@dataclass(frozen=True)
class Version:
    """One data version: its citation label and when it was recorded (None: not yet recorded)."""

    label: str
    seq: int | None
    recorded: str | None  # ISO time (UTC) the version was recorded
    data_hash: str
    newest_as_of: str | None
    added: int = 0
    changed: int = 0
    removed: int = 0
    note: str = ""

    @property
    def is_recorded(self) -> bool:
        return self.seq is not None

    @property
    def date(self) -> str | None:
        return self.recorded[:10] if self.recorded else None


def history_dir(override: str | os.PathLike | None = None) -> Path:
    """The history folder: an explicit argument, else $HKCCTV_HISTORY_DIR, else history/ in the repo."""
    if override:
        return Path(override)
    env = os.environ.get("HKCCTV_HISTORY_DIR")
    return Path(env) if env else DEFAULT_HISTORY


def _history_files(hdir: Path) -> list[Path]:
    return sorted(p for p in hdir.glob("*.jsonl") if p.stem.isdigit()) if hdir.is_dir() else []


def _change_to_json(ch: Change) -> dict:
    out = {"op": ch.op, "dataset": ch.dataset, "id": ch.key}
    if ch.op == "changed":
        out["fields"] = {f: [old, new] for f, old, new in ch.fields}
    else:
        out["record"] = ch.record
    return out


def _change_from_json(obj: dict, base: Snapshot) -> Change:
    op, name, key = obj["op"], obj["dataset"], obj["id"]
    if op == "changed":
        ds = BY_NAME.get(name, Dataset(name, "", "id"))
        fields = tuple((f, obj["fields"][f][0], obj["fields"][f][1]) for f in _field_order(ds, obj["fields"]))
        old = base.get(name, {}).get(key, {})
        return Change(name, key, op, fields, record=apply({name: {key: old}}, [Change(name, key, op, fields)])[name][key],
                      old_record=old)
    if op in ("added", "removed"):
        rec = obj["record"]
        return Change(name, key, op, record=rec, old_record=rec if op == "removed" else {})
    raise ValueError(f"unknown op {op!r}")


@dataclass
class History:
    """The recorded versions with the changes each made, replayed and checked."""

    versions: list[Version]
    changes: list[list[Change]]  # changes[i]: what versions[i] changed against versions[i-1]
    snapshots: list[Snapshot]

    @classmethod
    def load(cls, hdir: str | os.PathLike | None = None) -> "History":
        hdir = history_dir(hdir)
        key = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in _history_files(hdir))
        return _load_cached(str(hdir), key)

    def latest(self) -> Snapshot:
        return self.snapshots[-1] if self.snapshots else {}


@lru_cache(maxsize=4)
def _load_cached(hdir: str, key: tuple) -> History:
    versions, changes, snaps = [], [], []
    snap: Snapshot = {}
    for n, (name, _, _) in enumerate(key, 1):
        path = Path(hdir) / name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0])
            if header.get("seq") != n:
                raise HistoryError(f"{path}: expected version number {n}, found {header.get('seq')!r} (a file is missing or renamed)")
            chs = [_change_from_json(json.loads(line), snap) for line in lines[1:] if line.strip()]
        except HistoryError:
            raise
        except (OSError, IndexError, ValueError, KeyError, TypeError) as exc:
            raise HistoryError(f"{path}: cannot read the recorded version ({exc.__class__.__name__}: {exc})") from None
        snap = apply(snap, chs)
        if records_sha256(snap) != header.get("records_sha256"):
            raise HistoryError(f"{path}: the records after replaying this file do not match its records_sha256 "
                               "(the file was edited by hand, or an earlier one is missing)")
        counts = {op: sum(1 for c in chs if c.op == op) for op in ("added", "changed", "removed")}
        versions.append(Version(header["version"], n, header.get("recorded"), header.get("data_hash", ""),
                                header.get("newest_as_of"), **counts, note=header.get("note", "")))
        changes.append(chs)
        snaps.append(snap)
    return History(versions, changes, snaps)


def current_version(root: str | os.PathLike | None = None) -> tuple[citation.DataVersion, Snapshot]:
    """The data directory's citation version and its records."""
    from loaders.datasets import data_dir, to_frame
    from loaders.validate import LineDict, check_records

    root = data_dir(root)
    snap = snapshot(root)
    # The figures typed as load_all types them (the label's date needs them), without re-reading every file.
    rows, _ = check_records([LineDict(r) for r in snap.get("figures", {}).values()], schema.FIGURES, schema.FIGURES.file)
    return citation.data_version(root, to_frame(rows, schema.FIGURES)), snap


@dataclass
class Timeline:
    """Recorded versions plus the data directory as it is now (when it differs from the newest)."""

    versions: list[Version]
    changes: list[list[Change]]
    snapshots: list[Snapshot]

    def index(self, version: str | Version) -> int:
        label = version.label if isinstance(version, Version) else str(version)
        if label == CURRENT:
            return len(self.versions) - 1
        exact = [i for i, v in enumerate(self.versions) if v.label == label]
        if exact:
            return exact[-1]
        # A unique prefix or the hash part alone also names a version (as people copy them).
        found = [i for i, v in enumerate(self.versions) if v.label.startswith(label) or v.data_hash.startswith(label)]
        if len(found) == 1:
            return found[0]
        known = ", ".join(v.label for v in self.versions) or "none"
        what = "is ambiguous" if found else "is not a known version"
        raise KeyError(f"{label!r} {what}; versions: {known}")


def timeline(root: str | os.PathLike | None = None, hdir: str | os.PathLike | None = None) -> Timeline:
    hist = History.load(hdir)
    version, snap = current_version(root)
    versions, changes, snaps = list(hist.versions), list(hist.changes), list(hist.snapshots)
    latest = versions[-1] if versions else None
    if latest is None or latest.label != version.label or records_sha256(hist.latest()) != records_sha256(snap):
        chs = compare(hist.latest(), snap)
        counts = {op: sum(1 for c in chs if c.op == op) for op in ("added", "changed", "removed")}
        versions.append(Version(version.label, None, None, version.data_hash,
                                version.newest_as_of.isoformat() if version.newest_as_of else None, **counts))
        changes.append(chs)
        snaps.append(snap)
    return Timeline(versions, changes, snaps)


def record(root: str | os.PathLike | None = None, hdir: str | os.PathLike | None = None, *,
           recorded: str | None = None, note: str = "") -> Version | None:
    """Write the data directory as a new recorded version; None when it is already the newest.

    `recorded` is an ISO time or date (default: now, UTC), injectable so tests are reproducible.
    """
    hdir = history_dir(hdir)
    hist = History.load(hdir)
    version, snap = current_version(root)
    latest = hist.versions[-1] if hist.versions else None
    if latest is not None and latest.label == version.label and records_sha256(hist.latest()) == records_sha256(snap):
        return None
    chs = compare(hist.latest(), snap)
    seq = len(hist.versions) + 1
    when = recorded or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    header = {"seq": seq, "version": version.label, "data_hash": version.data_hash,
              "newest_as_of": version.newest_as_of.isoformat() if version.newest_as_of else None,
              "recorded": when, "records_sha256": records_sha256(snap)}
    if note:
        header["note"] = note
    lines = [json.dumps(header, ensure_ascii=False, sort_keys=True)]
    lines += [json.dumps(_change_to_json(c), ensure_ascii=False, sort_keys=True) for c in chs]
    hdir.mkdir(parents=True, exist_ok=True)
    path = hdir / f"{seq:04d}.jsonl"
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    counts = {op: sum(1 for c in chs if c.op == op) for op in ("added", "changed", "removed")}
    return Version(version.label, seq, when, version.data_hash, header["newest_as_of"], **counts, note=note)


# ---------------------------------------------------------------- one-line summaries, en and zh-Hant

# Dataset names as readers say them; new strings, kept beside the code that uses them.
NOUNS = {
    "figures": ("Figure", "數字"), "sources": ("Source", "出處"), "phases": ("Phase", "階段"),
    "capabilities": ("Capability", "功能"), "safeguards": ("Safeguard", "保障措施"),
    "open_questions": ("Open question", "未獲回答的問題"), "cities": ("Other-city figure", "其他城市數字"),
    "district_census_2021": ("2021 census district record", "2021年人口普查地區記錄"),
    "districts": ("District", "地區"), "cameras": ("Camera", "鏡頭"),
    "cameras_osm": ("OpenStreetMap camera", "OpenStreetMap 鏡頭"), "smartview_sites": ("SmartView site", "「銳眼」地點"),
    "origins": ("Raw file record", "原始檔案記錄"), "district_boundaries": ("District boundary", "地區界線"),
    "files": ("Data file", "數據檔案"),
}
VERBS = {"added": ("added", "新增"), "changed": ("changed", "更改"), "removed": ("removed", "移除")}
_LONG_FIELDS = {"quote", "note", "citation_full", "title", "promise_en", "promise_zh", "expectation_en", "expectation_zh",
                "question_en", "question_zh", "summary_en", "summary_zh", "events", "entries", "description_en", "description_zh"}
CATALOGUE = REPO_ROOT / "ui" / "strings" / "common.yaml"


@lru_cache(maxsize=1)
def _words() -> dict:
    """Unit and qualifier words from the app's one string catalogue (read as data, not imported)."""
    try:
        return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


def _word(key: str, lang: str, default: str) -> str:
    entry = _words().get(key)
    return entry.get(lang, default) if isinstance(entry, dict) else default


def _number(value: Any) -> str:
    try:
        num = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{num:,.0f}" if num == int(num) else f"{num:,.2f}".rstrip("0").rstrip(".")


def figure_phrase(rec: dict, lang: str) -> str:
    """'more than 500 cameras' / '逾500支鏡頭', from a figure record's value, qualifier and unit."""
    unit, qual = str(rec.get("unit", "")), str(rec.get("qualifier", ""))
    num = _number(rec.get("value"))
    if rec.get("value_high") is not None:
        num += "–" + _number(rec.get("value_high"))
    q = _word(f"qualifier.{qual}", lang, "" if qual in ("exact", "range") else qual.replace("_", " "))
    u = _word(f"unit.{unit}", lang, unit)
    if lang == "en":
        if unit == "hkd":
            text = f"HK${num}"
        elif unit == "hkd_per_year":
            text = f"HK${num} a year"
        elif unit == "percent":
            text = f"{num}%"
        else:
            text = f"{num} {u}"
        return f"{q} {text}".strip()
    return f"{q}{num}{u}"


def _as_published(when, precision) -> str | None:
    """A date cut to what its source gives: 2026 for a year, 2026-01 for a month; none when undated."""
    if when is None or precision == "undated" or (isinstance(when, float) and when != when):
        return None
    text = str(when)[:10]
    return {"year": text[:4], "month": text[:7]}.get(precision, text)


def _label(ch: Change, lang: str) -> str:
    """What names the record beyond its id: a figure's number, a source's title, a camera's place."""
    rec = ch.record
    if ch.dataset == "figures":
        phrase = figure_phrase(rec, lang)
        when = _as_published(rec.get("as_of"), rec.get("as_of_precision"))
        if lang == "en":
            return f" ({phrase}{', as of ' + str(when) if when else ''})"
        return f"（{phrase}{'，截至' + str(when) if when else ''}）"
    zh_first = ("name_zh", "description_zh", "city_zh", "title") if lang != "en" else ()
    for f in zh_first + ("name_en", "description_en", "city_en", "title", "publisher"):
        text = rec.get(f)
        if isinstance(text, str) and text.strip():
            text = " ".join(text.split())
            text = text if len(text) <= 80 else text[:77] + "..."
            return f" ({text})" if lang == "en" else f"（{text}）"
    return ""


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (mean Earth radius); enough to tell a move of 10 m."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def moved_m(ch: Change) -> float | None:
    """How far a changed camera moved, when its coordinates changed."""
    if ch.op != "changed" or not {"latitude", "longitude"} & set(ch.field_names):
        return None
    try:
        return distance_m(ch.old_record["latitude"], ch.old_record["longitude"], ch.record["latitude"], ch.record["longitude"])
    except (KeyError, TypeError, ValueError):
        return None


def _short(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def excerpt_pair(old: Any, new: Any, width: int = 60) -> tuple[str, str]:
    """Old and new values short enough for one line, cut around where they first differ."""
    a = old if isinstance(old, str) or old is None else json.dumps(old, ensure_ascii=False, sort_keys=True)
    b = new if isinstance(new, str) or new is None else json.dumps(new, ensure_ascii=False, sort_keys=True)
    if a is None or b is None or (len(a) <= width and len(b) <= width):
        return _short_n(a, width), _short_n(b, width)
    a, b = " ".join(a.split()), " ".join(b.split())
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    lo = max(0, start - width // 3)

    def cut(t: str) -> str:
        piece = t[lo:lo + width]
        return ("..." if lo else "") + piece + ("..." if lo + width < len(t) else "")

    return cut(a), cut(b)


def _short_n(value: Any, width: int) -> str:
    if value is None:
        return "—"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def summary(ch: Change, lang: str = "en") -> str:
    """One line a reader understands, e.g. 'Figure changed: x: value 500 → 600; note changed.'"""
    noun_en, noun_zh = NOUNS.get(ch.dataset, (ch.dataset, ch.dataset))
    verb_en, verb_zh = VERBS[ch.op]
    if ch.op != "changed":
        if lang == "en":
            return f"{noun_en} {verb_en}: {ch.key}{_label(ch, 'en')}."
        return f"{verb_zh}{noun_zh}：{ch.key}{_label(ch, lang)}。"
    parts = []
    moved = moved_m(ch)
    for f, old, new in ch.fields:
        if f in ("latitude", "longitude") and moved is not None:
            if f == "longitude" and "latitude" in ch.field_names:
                continue
            parts.append(f"moved {moved:,.0f} m" if lang == "en" else f"移動了 {moved:,.0f} 米")
        elif f in _LONG_FIELDS or (isinstance(old, (dict, list)) or isinstance(new, (dict, list))):
            parts.append(f"{f} changed" if lang == "en" else f"{f} 已更改")
        else:
            parts.append(f"{f} {_short(old)} → {_short(new)}")
    sep = "; " if lang == "en" else "；"
    if lang == "en":
        return f"{noun_en} {verb_en}: {ch.key}: {sep.join(parts)}."
    return f"{verb_zh}{noun_zh}：{ch.key}：{sep.join(parts)}。"


# ---------------------------------------------------------------- what the pages and exports call

def versions(root=None, hdir=None) -> list[Version]:
    """Every data version, oldest first; the last is the data directory as it is now."""
    return timeline(root, hdir).versions


def records_as_of(version: str | Version, root=None, hdir=None) -> dict[str, pd.DataFrame]:
    """The records of every dataset as of one version (label, unique prefix or 'current')."""
    tl = timeline(root, hdir)
    snap = tl.snapshots[tl.index(version)]
    out = {}
    for name, recs in snap.items():
        ds = BY_NAME.get(name, Dataset(name, "", "id"))
        rows = [{ds.key: key, **rec} if ds.key not in rec else rec for key, rec in recs.items()]
        cols = _field_order(ds, {c for r in rows for c in r} | set(ds.fields)) if rows else list(ds.fields)
        # object columns: values stay as written (7 stays 7, not 7.0 beside a 0.5 elsewhere)
        frame = pd.DataFrame([{c: _cell(r.get(c)) for c in cols} for r in rows], columns=cols, dtype=object)
        out[name] = frame
    return out


def records_zip_bytes(version: str | Version, root=None, hdir=None) -> bytes:
    """Every dataset as of one version, one CSV each (formula-guarded), in a reproducible zip."""
    import zipfile

    tl = timeline(root, hdir)
    label = tl.versions[tl.index(version)].label
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, frame in records_as_of(label, root, hdir).items():
            if len(frame):
                info = zipfile.ZipInfo(f"records-{label}/{name}.csv", date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                z.writestr(info, csv_bytes(frame), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def history_signature(hdir: str | os.PathLike | None = None) -> str:
    """Changes whenever a version is recorded: a cache key to use beside the data signature."""
    files = _history_files(history_dir(hdir))
    return _sha(_canonical([[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]))[:16]


def _text(value: Any) -> str | None:
    """A value as it reads in the data: text as is, numbers and lists as JSON (7 stays 7)."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_bytes(frame: pd.DataFrame, bom: bool = False) -> bytes:
    """Records or a diff as UTF-8 CSV with values as written; formula-looking text neutralised."""
    from loaders.export import neutralise

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(frame.columns))
    for row in frame.itertuples(index=False):
        w.writerow(["" if v is None or (isinstance(v, float) and math.isnan(v))
                    else neutralise(_text(v)).replace("\r\n", "\n").replace("\r", "\n") for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def changes_between(old: str | Version, new: str | Version, root=None, hdir=None) -> list[Change]:
    """Record changes from version `old` to version `new` (either order of time is allowed)."""
    tl = timeline(root, hdir)
    return compare(tl.snapshots[tl.index(old)], tl.snapshots[tl.index(new)])


DIFF_COLUMNS = ["dataset", "id", "change", "field", "old", "new", "summary_en", "summary_zh"]


def diff_frame(changes: list[Change]) -> pd.DataFrame:
    """One row per changed field (one row per added or removed record), with the summaries."""
    rows = []
    for ch in changes:
        en, zh = summary(ch, "en"), summary(ch, "zh-Hant")
        if ch.op == "changed":
            rows += [{"dataset": ch.dataset, "id": ch.key, "change": ch.op, "field": f, "old": _cell(old),
                      "new": _cell(new), "summary_en": en, "summary_zh": zh} for f, old, new in ch.fields]
        else:
            rows.append({"dataset": ch.dataset, "id": ch.key, "change": ch.op, "field": None, "old": None,
                         "new": None, "summary_en": en, "summary_zh": zh})
    return pd.DataFrame(rows, columns=DIFF_COLUMNS)


def diff(old: str | Version, new: str | Version, root=None, hdir=None) -> pd.DataFrame:
    """The difference between two versions as a table: dataset, id, change, field, old, new, summaries."""
    return diff_frame(changes_between(old, new, root, hdir))


def diff_csv_bytes(old: str | Version, new: str | Version, root=None, hdir=None, bom: bool = False) -> bytes:
    """diff() as CSV (formula-looking cells neutralised by the export guard)."""
    return csv_bytes(diff(old, new, root, hdir), bom=bom)


LATEST_COLUMNS = ["version", "date", "recorded", "dataset", "id", "change", "fields", "summary_en", "summary_zh"]


def latest_changes(n: int = 20, root=None, hdir=None, datasets: tuple[str, ...] | None = None,
                   tl: Timeline | None = None) -> pd.DataFrame:
    """The newest n record changes, newest version first: what a returning reader has not seen.

    The first recorded version (everything added at once) is left out: it is the starting point,
    not news. `datasets` limits the rows (e.g. ("figures", "sources")) and, within a version, orders
    them: figures first when figures are named first. `tl`: a timeline already built.
    """
    tl = tl or timeline(root, hdir)
    rows = []
    for i in range(len(tl.versions) - 1, 0, -1):
        v = tl.versions[i]
        picked = [ch for ch in tl.changes[i] if not datasets or ch.dataset in datasets]
        if datasets:
            picked.sort(key=lambda ch: datasets.index(ch.dataset))  # stable: the version's own order within a dataset
        for ch in picked:
            rows.append({"version": v.label, "date": v.date, "recorded": v.is_recorded, "dataset": ch.dataset,
                         "id": ch.key, "change": ch.op, "fields": ";".join(ch.field_names),
                         "summary_en": summary(ch, "en"), "summary_zh": summary(ch, "zh-Hant")})
            if len(rows) >= n:
                return pd.DataFrame(rows, columns=LATEST_COLUMNS)
    return pd.DataFrame(rows, columns=LATEST_COLUMNS)


# ---------------------------------------------------------------- command line

def format_changelog(tl: Timeline, since: str | None = None, lang: str = "both", limit_first: bool = True) -> str:
    """The changelog as text, newest version first."""
    start = tl.index(since) + 1 if since else 0
    out = []
    for i in range(len(tl.versions) - 1, start - 1, -1):
        v, chs = tl.versions[i], tl.changes[i]
        when = f"recorded {v.recorded}" if v.is_recorded else "the data directory now, not yet recorded"
        counts = f"{v.added} added, {v.changed} changed, {v.removed} removed"
        out.append(f"{v.label}  ({when}; {counts})")
        if v.note:
            out.append(f"  note: {v.note}")
        if i == 0 and limit_first:
            by = {}
            for c in chs:
                by[c.dataset] = by.get(c.dataset, 0) + 1
            out.append("  first recorded version: " + ", ".join(f"{n} {name}" for name, n in by.items()))
            continue
        if not chs:
            out.append("  no record changed (comments, formatting or the version rule only)")
        for ch in chs:
            mark = {"added": "+", "changed": "~", "removed": "-"}[ch.op]
            if lang in ("en", "both"):
                out.append(f"  {mark} {summary(ch, 'en')}")
            if lang in ("zh-Hant", "both"):
                out.append(f"  {mark} {summary(ch, 'zh-Hant')}" if lang != "both" else f"    {summary(ch, 'zh-Hant')}")
            for f, old, new in ch.fields:
                a, b = excerpt_pair(old, new)
                out.append(f"      {f}: {a} → {b}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m loaders changes",
                                description="Print the record-level changelog, or record the data as a new version.")
    p.add_argument("--since", help="only versions after this one (a label, a unique prefix or the hash)")
    p.add_argument("--lang", choices=("en", "zh-Hant", "both"), default="both")
    p.add_argument("--label", action="store_true", help="print only the data directory's version label (for scripts)")
    p.add_argument("--record", action="store_true", help="record the data directory as a new version in the history")
    p.add_argument("--recorded", help="time of recording, ISO (default: now, UTC); for reproducible runs")
    p.add_argument("--note", default="", help="note kept with a recorded version")
    p.add_argument("--allow-problems", action="store_true",
                   help="record even when the data has problems (only to reconstruct old versions from git)")
    p.add_argument("--data-dir", default=None, help="data directory (default: $HKCCTV_DATA_DIR or data/)")
    p.add_argument("--history-dir", default=None, help="history folder (default: $HKCCTV_HISTORY_DIR or history/)")
    return p


def main_changes(argv: list[str]) -> int:
    a = build_parser().parse_args(argv)
    try:
        if a.label:
            print(current_version(a.data_dir)[0].label)
            return 0
        if a.record:
            from loaders.datasets import load_all

            bundle = load_all(a.data_dir)
            if bundle.problems and not a.allow_problems:
                for prob in bundle.problems:
                    print(prob, file=sys.stderr)
                print(f"not recorded: {len(bundle.problems)} problems in {bundle.root}", file=sys.stderr)
                return 1
            v = record(a.data_dir, a.history_dir, recorded=a.recorded, note=a.note)
            if v is None:
                print("nothing to record: the data is the newest recorded version", file=sys.stderr)
            else:
                print(f"recorded version {v.seq}: {v.label} ({v.added} added, {v.changed} changed, {v.removed} removed)",
                      file=sys.stderr)
            return 0
        tl = timeline(a.data_dir, a.history_dir)
        sys.stdout.write(format_changelog(tl, a.since, a.lang))
        return 0
    except (HistoryError, KeyError) as exc:
        print(f"changes: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
