"""The data catalogue: what each dataset is, its columns, row count, dates, sources and licences.

Everything is read from loaders/schema.py (the data dictionary: kinds, units, descriptions) and
the loaded Bundle, so the catalogue on the Data page, datapackage.json, the package README and
docs/data-model.md cannot drift apart. Columns describe the exported files: a partial date
becomes a date column plus a <name>_precision column (see loaders.export).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from loaders import schema as data_schema
from loaders.datasets import GEO_FILE, Bundle
from loaders.datasets import PARENT_COLUMN as _LOADER_PARENT_COLUMN

# Export order: every frame of the Bundle, children right after their parent.
DATASETS: tuple[str, ...] = tuple(
    name for s in data_schema.ALL for name in (s.name, *(c.name for c in s.children.values())))
CHILD_PARENT = {c.name: s for s in data_schema.ALL for c in s.children.values()}
# The parent-id column load_all() adds to a child frame (capability_events.capability, ...).
PARENT_COLUMN = {child: _LOADER_PARENT_COLUMN[parent.name] for child, parent in CHILD_PARENT.items()}
GEO_RESOURCE = "district_boundaries"

TITLES = {
    "sources": "Sources", "figures": "Published figures", "phases": "SmartView phases",
    "capabilities": "Capabilities", "capability_events": "Capability status events",
    "safeguards": "Safeguards", "safeguard_entries": "Safeguard statements",
    "open_questions": "Open questions", "cities": "Other cities' camera figures",
    "district_census_2021": "District census 2021 supplement", "districts": "Districts",
    "cameras": "Known camera locations", "smartview_sites": "SmartView sites", "origins": "Imported raw files",
    "freshness": "When the sources were last checked, and open matters",
    GEO_RESOURCE: "District boundaries",
}

# The project's own licence for curated records (README: "The code and the curated records are MIT-licensed").
PROJECT_LICENCE = {"name": "MIT", "title": "MIT License (curated records and code)", "path": "https://opensource.org/licenses/MIT"}
QUOTES_NOTE = "Quotes remain their publishers'; they are reproduced briefly for verification."
# README: government open data is used under these terms, which allow reuse with attribution.
DATA_GOV_HK_TERMS = "https://data.gov.hk/en/terms-and-conditions"

GEO_DESCRIPTION = "The Home Affairs Department's 18 districts, simplified for display; properties code, name_en, name_zh."


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type of the exported column (schema.KINDS)
    kind: str  # schema kind (slug, enum, refs, ...)
    required: bool
    unit: str
    description: str
    choices: tuple = ()
    lo: float | None = None
    hi: float | None = None
    ref: str | None = None
    in_frame: bool = True  # False for a <date>_precision column that only exports add

    @property
    def pandas_dtype(self) -> str:
        """The dtype this column gets when the exported CSV is read back with pandas."""
        return data_schema.PACKAGE_TYPES[self.type][0]

    @property
    def duckdb_type(self) -> str:
        return data_schema.PACKAGE_TYPES[self.type][1]


@dataclass
class DatasetInfo:
    name: str
    title: str
    description: str
    files: tuple[str, ...]
    rows: int
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    date_ranges: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (first, last)
    source_ids: tuple[str, ...] = ()
    licences: tuple[dict, ...] = ()
    derived_from: tuple[str, ...] = ()  # citation_full of each imported raw file
    last_updated: dt.date | None = None  # newest date a cited source or raw file was accessed
    geographic: str | None = None  # "points" (lat/lon) or "districts" (joined to district shapes)

    @property
    def date_range(self) -> tuple[str, str] | None:
        """The range of the first date column, the one the catalogue table shows."""
        return next(iter(self.date_ranges.values()), None)


def _schema(name: str) -> data_schema.Schema:
    return data_schema.BY_NAME[name]


def columns(name: str) -> tuple[Column, ...]:
    """Every column of the exported dataset, in frame order, with type, unit and description."""
    schema = _schema(name)
    cols: list[Column] = []
    if name in CHILD_PARENT:
        parent, key = CHILD_PARENT[name], PARENT_COLUMN[name]
        cols.append(Column(key, "string", "ref", True, "", f"Id of the record in {parent.name} this entry belongs to", ref=parent.name))
        cols.append(Column("seq", "integer", "int", True, "", "Position of this entry within its parent record, from 0", lo=0))
    for f in schema.fields:
        desc, kind_type = f.description, data_schema.KINDS[f.kind]
        if f.kind == "refs" and "';'" not in desc:
            desc += "; exported as ';'-separated ids"
        if f.kind == "partial_date":
            precision = f.name + data_schema.PRECISION_SUFFIX
            cols.append(Column(f.name, kind_type.package, f.kind, False, f.unit,
                               f"{desc}: the first day of the period the source gives (see {precision}); empty when undated"))
            cols.append(Column(precision, "string", "enum", f.required, "",
                               f"How much of {f.name} the source gives: day, month, year, or undated when it gives no date",
                               data_schema.PRECISIONS + ("undated",), in_frame=False))
            continue
        cols.append(Column(f.name, kind_type.package, f.kind, f.required, f.unit, desc,
                           tuple(map(str, f.choices)), f.lo, f.hi, f.ref))
    return tuple(cols)


def primary_key(name: str) -> tuple[str, ...]:
    if name in CHILD_PARENT:
        return (PARENT_COLUMN[name], "seq")
    key = _schema(name).id_field
    return (key,) if key else ()


def files(name: str) -> tuple[str, ...]:
    if name == "cameras":  # the combined frame: TD cameras plus placed SmartView sites
        return (data_schema.CAMERAS.file, data_schema.SMARTVIEW_SITES.file)
    return (_schema(name).file,)


def _partial_to_date(text):
    """'2024', '2024-05' or '2024-05-17' -> first day; 'undated' or bad -> NaT."""
    if not isinstance(text, str) or text == "undated":
        return pd.NaT
    parts = (text.split("-") + ["01", "01"])[:3]
    return pd.to_datetime("-".join(parts), errors="coerce")


def date_ranges(name: str, df: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """First and last value of each date-like column, as precise as the data gives it."""
    out: dict[str, tuple[str, str]] = {}
    for col in columns(name):
        if col.name not in df.columns:
            continue
        s = df[col.name].dropna()
        if col.kind == "date" and len(s):
            out[col.name] = (s.min().date().isoformat(), s.max().date().isoformat())
        elif col.kind == "partial_date":
            keyed = s.map(_partial_to_date).dropna()
            if len(keyed):
                out[col.name] = (s[keyed.idxmin()], s[keyed.idxmax()])
        elif col.name == "year" and col.kind == "int" and len(s):
            out[col.name] = (str(int(s.min())), str(int(s.max())))
    return out


def _ids(values) -> set[str]:
    found: set[str] = set()
    for v in values:
        if isinstance(v, (list, tuple)):
            found.update(map(str, v))
        elif isinstance(v, str):
            found.add(v)
    return found


def source_ids(name: str, bundle: Bundle) -> tuple[str, ...]:
    """Source ids cited by a dataset (a parent also cites what its entries cite)."""
    names = [name, *(c.name for c in _schema(name).children.values())]
    found: set[str] = set()
    for n in names:
        df = bundle.frames.get(n)
        if df is None:
            continue
        for col in columns(n):
            if col.ref == "sources" and col.name in df.columns:
                found |= _ids(df[col.name])
    return tuple(sorted(found))


def _origins_for(file_names: tuple[str, ...], bundle: Bundle) -> pd.DataFrame:
    origins = bundle.frames.get("origins")
    if origins is None or origins.empty:
        return pd.DataFrame(columns=[f.name for f in data_schema.ORIGINS.fields])
    mask = origins["derived_files"].map(lambda d: bool(set(d or ()) & set(file_names)))
    return origins[mask]


def _licence(title: str, fallback_path: str | None) -> dict:
    """A Data Package licence: title as published, path to the terms (DATA.GOV.HK's, else the page)."""
    path = DATA_GOV_HK_TERMS if "DATA.GOV.HK" in title.upper() else fallback_path
    return {"title": title, "path": path} if path else {"title": title}


def licences(name: str, bundle: Bundle, cited: tuple[str, ...] | None = None) -> tuple[dict, ...]:
    """The project licence for curated records, plus the terms of every imported file and open-data source."""
    out = [PROJECT_LICENCE]
    for o in _origins_for(files(name) if name != GEO_RESOURCE else (GEO_FILE,), bundle).itertuples(index=False):
        out.append(_licence(o.licence, o.url_main))
    sources = bundle.frames.get("sources")
    if sources is not None and not sources.empty:
        cited = source_ids(name, bundle) if cited is None else cited
        for s in sources[sources["id"].isin(cited) & sources["licence"].notna()].itertuples(index=False):
            out.append(_licence(s.licence, s.url))
    unique: list[dict] = []
    for lic in out:
        if lic not in unique:
            unique.append(lic)
    return tuple(unique)


def derived_from(name: str, bundle: Bundle) -> tuple[str, ...]:
    file_names = files(name) if name != GEO_RESOURCE else (GEO_FILE,)
    return tuple(_origins_for(file_names, bundle)["citation_full"].tolist())


def last_updated(name: str, bundle: Bundle, cited: tuple[str, ...]) -> dt.date | None:
    """Newest date a cited source, or an imported raw file, was accessed (content, not file times)."""
    dates = []
    sources = bundle.frames.get("sources")
    if sources is not None and not sources.empty:
        pool = sources if name == "sources" else sources[sources["id"].isin(cited)]
        dates.extend(pool["accessed"].dropna())
    file_names = files(name) if name != GEO_RESOURCE else (GEO_FILE,)
    dates.extend(_origins_for(file_names, bundle)["date_accessed"].dropna())
    if name == "origins" and "origins" in bundle.frames:
        dates.extend(bundle["origins"]["date_accessed"].dropna())
    return max(dates).date() if dates else None


def geographic(name: str) -> str | None:
    names = {c.name for c in columns(name)}
    if {"latitude", "longitude"} <= names:
        return "points"
    if name in ("districts", "district_census_2021"):
        return "districts"
    return None


def describe(name: str, bundle: Bundle) -> DatasetInfo:
    df = bundle.frames.get(name, pd.DataFrame())
    schema = _schema(name)
    cited = source_ids(name, bundle)
    return DatasetInfo(
        name=name, title=TITLES[name], description=schema.description, files=files(name), rows=len(df),
        columns=columns(name), primary_key=primary_key(name), date_ranges=date_ranges(name, df),
        source_ids=cited, licences=licences(name, bundle, cited), derived_from=derived_from(name, bundle),
        last_updated=last_updated(name, bundle, cited), geographic=geographic(name),
    )


def describe_all(bundle: Bundle) -> list[DatasetInfo]:
    return [describe(name, bundle) for name in DATASETS]


def geo_info(bundle: Bundle) -> dict:
    """The district boundaries resource: feature count, licences and where it came from."""
    feats = (bundle.geo or {}).get("features") or []
    return {"name": GEO_RESOURCE, "title": TITLES[GEO_RESOURCE], "file": GEO_FILE, "features": len(feats),
            "description": GEO_DESCRIPTION,
            "licences": licences(GEO_RESOURCE, bundle, ()), "derived_from": derived_from(GEO_RESOURCE, bundle),
            "last_updated": last_updated(GEO_RESOURCE, bundle, ())}


def columns_table(info: DatasetInfo) -> pd.DataFrame:
    """One row per column, for the catalogue page."""
    rows = [{"column": c.name, "type": c.type + ("" if c.kind in ("int", "number", "date", "bool") else f" ({c.kind})"),
             "required": c.required, "unit": c.unit, "description": c.description,
             "allowed values": ", ".join(c.choices)} for c in info.columns]
    return pd.DataFrame(rows, columns=["column", "type", "required", "unit", "description", "allowed values"])


def summary_table(infos: list[DatasetInfo], geo: dict) -> pd.DataFrame:
    """One row per package resource: name, rows, first date column's range, last updated, sources, licences, files.

    The sources table cites nothing (it is the list of sources) and the GeoJSON has no rows or
    dates, so those cells are None rather than a misleading 0.
    """
    rows = [{"dataset": i.name, "rows": i.rows,
             "date_column": next(iter(i.date_ranges), None), "first": (i.date_range or (None, None))[0],
             "last": (i.date_range or (None, None))[1], "last_updated": i.last_updated,
             "sources": None if i.name == "sources" else len(i.source_ids),
             "licences": "; ".join(lic["title"] for lic in i.licences), "files": ", ".join(i.files)} for i in infos]
    rows.append({"dataset": geo["name"], "rows": geo["features"], "date_column": None, "first": None, "last": None,
                 "last_updated": geo["last_updated"], "sources": None,
                 "licences": "; ".join(lic["title"] for lic in geo["licences"]), "files": geo["file"]})
    return pd.DataFrame(rows)
