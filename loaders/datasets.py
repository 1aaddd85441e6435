"""One function per dataset returning a typed DataFrame, and `load_all` for the app.

`load_<name>()` raises DataError on any problem (for scripts and tests that want strictness);
`load_all()` never raises for bad data: it keeps the good records of every file and returns the
problems, so a page can warn and still render everything else.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import schema as data_schema
from loaders.problems import DataError, Problem
from loaders.spatial import check_districts
from loaders.validate import check_records, check_refs, parse_csv, parse_yaml_list, read_text

REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEO_FILE = "geo/districts.geojson"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: an explicit argument, else $HKCCTV_DATA_DIR, else data/ in the repo."""
    if override:
        return Path(override)
    env = os.environ.get("HKCCTV_DATA_DIR")
    return Path(env) if env else REPO_DATA_DIR


# The column that names a child row's parent record (capability_events.capability, ...).
PARENT_COLUMN = {"capabilities": "capability", "safeguards": "safeguard"}

# Kinds whose frame column is cast to a dtype (schema.KINDS); text stays str, id lists object.
_DTYPES = {kind: t.frame for kind, t in data_schema.KINDS.items() if t.frame not in ("str", "object")}


def to_frame(rows: list[dict], schema: data_schema.Schema, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows -> DataFrame with the schema's column order and types (dates as datetime64)."""
    cols = list(extra) + [f.name for f in schema.fields]
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    for f in schema.fields:
        if f.kind == "date":
            df[f.name] = pd.to_datetime(df[f.name]).astype("datetime64[ns]")
        elif f.kind in _DTYPES:
            df[f.name] = df[f.name].astype(_DTYPES[f.kind])
        elif f.kind == "refs":
            df[f.name] = df[f.name].astype(object)
        else:
            df[f.name] = df[f.name].astype("str").where(df[f.name].notna(), None) if len(df) else df[f.name].astype("str")
    return df


def _read_records(schema: data_schema.Schema, root: Path) -> tuple[list[dict], list[Problem]]:
    path = root / schema.file
    text, problems = read_text(path, schema.file)
    if text is None:
        return [], problems
    if schema.file.endswith(".csv"):
        records, problems = parse_csv(text, schema.file, schema)
    else:
        records, problems = parse_yaml_list(text, schema.file)
    rows, more = check_records(records, schema, schema.file)
    return rows, problems + more


@dataclass
class Bundle:
    """Everything in one data directory: frames by name, district shapes, and the problems found."""

    root: Path
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    geo: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    signature: str = ""  # content hash of the data directory, set by the app's cache layer
    _sources: dict | None = field(default=None, repr=False, compare=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def source(self, source_id: str) -> dict | None:
        """One source record by id (pages cite hundreds per run: a dict, not a DataFrame lookup)."""
        if self._sources is None:
            self._sources = {r["id"]: r for r in self.frames["sources"].to_dict("records")}
        return self._sources.get(source_id)

    def problems_in(self, *files: str) -> list[Problem]:
        return [p for p in self.problems if p.file in files]


def load_geo(root: Path) -> tuple[dict | None, list[Problem]]:
    """The district shapes; a bad feature is reported and skipped, the others are kept."""
    text, problems = read_text(root / GEO_FILE, GEO_FILE)
    if text is None:
        return None, problems
    try:
        fc = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(GEO_FILE, exc.lineno, "json", f"malformed JSON: {exc.msg}")]
    feats = fc.get("features") if isinstance(fc, dict) else None
    if not isinstance(feats, list):
        return None, [Problem(GEO_FILE, None, "features", "expected a GeoJSON FeatureCollection")]
    good = []
    for i, feat in enumerate(feats, 1):
        where = f"features[{i}]"
        if not isinstance(feat, dict):
            problems.append(Problem(GEO_FILE, None, where, "expected a GeoJSON Feature object"))
            continue
        code = (feat.get("properties") or {}).get("code")
        geom = feat.get("geometry") or {}
        if code not in data_schema.CODES:
            problems.append(Problem(GEO_FILE, None, f"{where}.properties.code", f"expected a district code A-T, got {code!r}"))
        elif geom.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(GEO_FILE, None, f"{where}.geometry", "expected a Polygon or MultiPolygon"))
        elif not _rings_ok(geom):
            problems.append(Problem(GEO_FILE, None, f"{where}.geometry", "expected coordinates: rings of at least 4 [lon, lat] positions"))
        else:
            good.append(feat)
    missing = sorted(set(data_schema.CODES) - {f["properties"]["code"] for f in good})
    if missing:
        problems.append(Problem(GEO_FILE, None, "features", f"districts missing: {', '.join(missing)}"))
    return ({"type": "FeatureCollection", "features": good} if good else None), problems


def _rings_ok(geom: dict) -> bool:
    polys = geom.get("coordinates")
    polys = [polys] if geom.get("type") == "Polygon" else polys
    try:
        return bool(polys) and all(
            poly and all(len(ring) >= 4 and all(len(pt) >= 2 and all(isinstance(c, (int, float)) for c in pt[:2]) for pt in ring) for ring in poly)
            for poly in polys)
    except TypeError:
        return False


def _site_rows(sites: pd.DataFrame, td: pd.DataFrame) -> pd.DataFrame:
    """SmartView sites -> camera rows, placed only as precisely as a published source allows.

    A street-level site takes the coordinate of the Transport Department camera at the same
    junction (a published coordinate). Any other site is known only to its district: it gets
    precision=district, its district code and no coordinates at all (a stand-in point would
    plot as a false cluster). The map draws those at a point inside the district when drawing.
    """
    td_by_key = td.set_index(td["id"].str.removeprefix("td-")) if len(td) else td
    rows = []
    for s in sites.itertuples(index=False):
        precision, lat, lon = s.precision, None, None
        key = s.td_camera_key
        if precision == "street" and key and key in td_by_key.index:
            lat, lon = round(float(td_by_key.loc[key, "latitude"]), 6), round(float(td_by_key.loc[key, "longitude"]), 6)
        else:
            precision = "district"
        rows.append({"id": f"sv-{s.id}", "latitude": lat, "longitude": lon,
                     "district_code": s.district_code, "operator": "police", "programme": "smartview",
                     "kind": "smartview_site", "description_en": s.name_en, "description_zh": s.name_zh,
                     "precision": precision, "first_seen": s.first_seen, "first_seen_precision": s.first_seen_precision,
                     "source": s.source})
    return pd.DataFrame(rows, columns=[f.name for f in data_schema.CAMERAS.fields])


def load_all(root: str | os.PathLike | None = None) -> Bundle:
    """Load and validate every dataset; keep the good records, collect the problems."""
    root = data_dir(root)
    bundle = Bundle(root=root)
    rows_by: dict[str, list[dict]] = {}
    schemas = data_schema.ALL
    for schema in schemas:
        rows, problems = _read_records(schema, root)
        rows_by[schema.name] = rows
        bundle.problems.extend(problems)
    # Resolve references against what actually loaded; a file that failed as a whole is not
    # checked against (its own problem says why), so one broken file yields one clear message.
    failed = {name for name in ("sources", "figures") if not rows_by[name]}
    ids = {name: (None if name in failed else {r["id"] for r in rows_by[name]}) for name in ("sources", "figures")}
    for schema in schemas:
        rows, problems = check_refs(rows_by[schema.name], schema, schema.file, ids)
        rows_by[schema.name] = rows
        bundle.problems.extend(problems)
    for schema in schemas:
        rows = rows_by[schema.name]
        bundle.frames[schema.name] = to_frame(rows, schema)
        for child_name, child in schema.children.items():
            parent = PARENT_COLUMN[schema.name]
            kid_rows = [{parent: r["id"], "seq": i, **k} for r in rows for i, k in enumerate(r[child_name])]
            bundle.frames[child.name] = to_frame(kid_rows, child, extra=(parent, "seq"))
    bundle.geo, geo_problems = load_geo(root)
    bundle.problems.extend(geo_problems)
    bundle.problems.extend(check_districts(rows_by["cameras"], rows_by["smartview_sites"], bundle.geo,
                                           data_schema.CAMERAS.file, data_schema.SMARTVIEW_SITES.file))
    td = bundle.frames["cameras"]
    sites = _site_rows(bundle.frames["smartview_sites"], td)
    cams = pd.concat([td, to_frame(sites.to_dict("records"), data_schema.CAMERAS)], ignore_index=True) if len(sites) else td
    osm = _osm_rows(root, ids["sources"], bundle.problems)
    bundle.frames["cameras"] = pd.concat([cams, osm], ignore_index=True) if len(osm) else cams
    bundle.problems.sort(key=lambda p: (p.file, p.line or 0, p.field))
    return bundle


OSM_FILE = "cameras_osm.csv"  # written by `python -m loaders refresh` (OpenStreetMap man_made=surveillance)


def _osm_rows(root: Path, source_ids: set | None, problems: list) -> pd.DataFrame:
    """Cameras mapped on OpenStreetMap, once a refresh has fetched them: the cameras schema, same checks."""
    path = root / OSM_FILE
    if not path.is_file():
        return to_frame([], data_schema.CAMERAS)
    text, found = read_text(path, OSM_FILE)
    problems += found
    if text is None:
        return to_frame([], data_schema.CAMERAS)
    records, found = parse_csv(text, OSM_FILE, data_schema.CAMERAS)
    rows, more = check_records(records, data_schema.CAMERAS, OSM_FILE)
    rows, refs = check_refs(rows, data_schema.CAMERAS, OSM_FILE, {"sources": source_ids})
    problems += found + more + refs
    return to_frame(rows, data_schema.CAMERAS)


def _strict(name: str, root=None) -> pd.DataFrame:
    bundle = load_all(root)
    schema = data_schema.BY_NAME[name]
    problems = [p for p in bundle.problems if p.file == schema.file]
    if problems:
        raise DataError(problems)
    return bundle[name]


def load_sources(root=None) -> pd.DataFrame: return _strict("sources", root)
def load_figures(root=None) -> pd.DataFrame: return _strict("figures", root)
def load_phases(root=None) -> pd.DataFrame: return _strict("phases", root)
def load_capabilities(root=None) -> pd.DataFrame: return _strict("capabilities", root)
def load_capability_events(root=None) -> pd.DataFrame: return _strict("capability_events", root)
def load_safeguards(root=None) -> pd.DataFrame: return _strict("safeguards", root)
def load_safeguard_entries(root=None) -> pd.DataFrame: return _strict("safeguard_entries", root)
def load_open_questions(root=None) -> pd.DataFrame: return _strict("open_questions", root)
def load_cities(root=None) -> pd.DataFrame: return _strict("cities", root)
def load_districts(root=None) -> pd.DataFrame: return _strict("districts", root)
def load_cameras(root=None) -> pd.DataFrame: return _strict("cameras", root)
def load_freshness(root=None) -> pd.DataFrame: return _strict("freshness", root)
