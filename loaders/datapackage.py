"""The full data package: every dataset as CSV, the district GeoJSON, datapackage.json and a README.

One builder serves the Data page's zip and `python -m loaders export`, so both give the same
bytes. Everything is a function of the data directory except datapackage.json's "generated"
block (timestamp and git commit): files are written in a fixed order, the zip has fixed entry
dates and permissions, and JSON is written with a fixed layout. datapackage.json sits at the
zip's root, so `frictionless validate --type package x.zip` and `Package("x.zip")` open it.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from loaders import catalogue, citation
from loaders.datasets import Bundle
from loaders.export import to_csv_bytes

PACKAGE_NAME = "hk-cctv-watch"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry; fixed for reproducible zips
DESCRIPTOR = "datapackage.json"
README = "README.md"


@dataclass
class Package:
    files: dict[str, bytes]  # relative path -> bytes, in write order
    version: citation.DataVersion
    generated: dict


def csv_path(name: str) -> str:
    return f"data/{name}.csv"


GEO_PATH = f"data/{catalogue.GEO_RESOURCE}.geojson"


def _field(col: catalogue.Column) -> dict:
    out = {"name": col.name, "type": col.type}
    if col.description:
        out["description"] = col.description
    if col.unit:
        out["unit"] = col.unit  # not in the Table Schema spec; custom properties are allowed
    if col.type == "boolean":  # loaders.export writes true/false, which R and DuckDB read as logical
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    constraints = {}
    if col.required:
        constraints["required"] = True
    if col.choices:
        constraints["enum"] = list(col.choices)
    if col.lo is not None and col.type in ("integer", "number"):
        constraints["minimum"] = int(col.lo) if col.type == "integer" else col.lo
    if col.hi is not None and col.type in ("integer", "number"):
        constraints["maximum"] = int(col.hi) if col.type == "integer" else col.hi
    if constraints:
        out["constraints"] = constraints
    return out


def _table_schema(info: catalogue.DatasetInfo, present: set[str]) -> dict:
    schema = {"fields": [_field(c) for c in info.columns], "missingValues": [""]}
    if info.primary_key:
        schema["primaryKey"] = list(info.primary_key)
    fks = []
    for c in info.columns:
        # refs columns hold ';'-joined lists, which a foreign key cannot check; they are described instead.
        if c.kind == "ref" and c.ref in present and c.ref != info.name:
            target = catalogue.primary_key(c.ref)
            if target:
                fks.append({"fields": [c.name], "reference": {"resource": c.ref, "fields": list(target)}})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _resource_sources(source_ids: tuple[str, ...], bundle: Bundle) -> list[dict]:
    sources = bundle.frames.get("sources")
    if sources is None or sources.empty:
        return []
    rows = sources.set_index("id")
    return [{"title": f"{rows.at[i, 'publisher']}: {rows.at[i, 'title']}", "path": rows.at[i, "url"], "id": i}
            for i in source_ids if i in rows.index]


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(bundle: Bundle, infos: list[catalogue.DatasetInfo], files: dict[str, bytes],
               version: citation.DataVersion, generated: dict) -> dict:
    """datapackage.json (Frictionless Data Package v1, with a few custom properties)."""
    present = {i.name for i in infos}
    resources = []
    licences: list[dict] = []
    for info in infos:
        data = files[csv_path(info.name)]
        res = {"name": info.name, "path": csv_path(info.name), "profile": "tabular-data-resource",
               "title": info.title, "description": info.description, "format": "csv", "mediatype": "text/csv",
               "encoding": "utf-8", "bytes": len(data), "hash": _digest(data),
               "schema": _table_schema(info, present),
               "sources": _resource_sources(info.source_ids, bundle), "licenses": list(info.licences)}
        if info.derived_from:
            res["derivedFrom"] = list(info.derived_from)
        resources.append(res)
        licences += [lic for lic in info.licences if lic not in licences]
    if GEO_PATH in files:
        geo = catalogue.geo_info(bundle)
        data = files[GEO_PATH]
        resources.append({"name": geo["name"], "path": GEO_PATH, "title": geo["title"], "description": geo["description"],
                          "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8",
                          "bytes": len(data), "hash": _digest(data), "licenses": list(geo["licences"]),
                          "derivedFrom": list(geo["derived_from"])})
        licences += [lic for lic in geo["licences"] if lic not in licences]
    origins = bundle.frames.get("origins")
    package_sources = [{"title": "Every cited source, with publisher, URL and date: the sources resource", "path": csv_path("sources")}]
    if origins is not None:
        package_sources += [{"title": o.title, "path": o.url_main} for o in origins.itertuples(index=False)]
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Hong Kong CCTV Watch data",
        **({"homepage": citation.HOMEPAGE} if citation.HOMEPAGE else {}),
        "description": ("Every published figure on the Hong Kong Police SmartView camera network, with its source "
                        "and verbatim quote, and the supporting datasets. Figures in sets are never converted to "
                        "cameras; an empty cell means not published or not given by the source."),
        "version": version.label,
        "dataHash": version.data_hash,
        "newestAsOf": version.newest_as_of.isoformat() if version.newest_as_of else None,
        "sourcesLastChecked": sources_last_checked(bundle),
        "citation": citation.dashboard_citation(version),
        "contributors": [{"title": citation.AUTHOR, "role": "author"}],
        "licenses": licences,
        "sources": package_sources,
        "resources": resources,
        # The only block that differs between two exports of the same data.
        "generated": generated,
    }


def _fence(text: str) -> str:
    """A Markdown code block that data text cannot break out of."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|!~{}#])")


def _md(text) -> str:
    """Data text made inert inline in the README: no links, images, HTML, emphasis or table breaks.
    Lighter than ui.escape.md (which also escapes '.', '-', '(') so the raw file stays readable."""
    return _MD_INLINE.sub(r"\\\1", str(text)).replace("\n", " ")


def sources_last_checked(bundle: Bundle) -> str | None:
    """When the sources as a whole were last searched (freshness.yaml), ISO date; kept apart from the newest figure."""
    fr = bundle.frames.get("freshness")
    if fr is None or fr.empty:
        return None
    checked = fr.loc[fr["kind"] == "sources", "checked"].dropna()
    return checked.max().date().isoformat() if len(checked) else None


def readme(bundle: Bundle, infos: list[catalogue.DatasetInfo], version: citation.DataVersion, has_geo: bool) -> str:
    """README.md: what is inside, how to read it, how to cite it. No timestamp, so it is reproducible."""
    lines = [
        "# Hong Kong CCTV Watch: data package", "",
        f"Data version **{version.label}**: the newest observed figure date "
        f"({version.newest_as_of.isoformat() if version.newest_as_of else 'none'}) and the first {citation.HASH_LEN} hex "
        f"digits of a sha256 over every data file ({version.data_hash}). The same data always gives the same version "
        "and the same bytes; only the `generated` block of datapackage.json (export time, code commit) changes.", "",
        f"Sources last checked: **{sources_last_checked(bundle) or 'not recorded'}** (when the published record was last "
        "searched for newer statements; see freshness.csv for each open matter and its last published statement). "
        "This is not the date of the newest figure.", "",
        "## Files", "",
        "| file | rows | what |", "|---|---|---|",
    ]
    for info in infos:
        lines.append(f"| {csv_path(info.name)} | {info.rows} | {info.description} |")  # schema text, not data
    if has_geo:
        geo = catalogue.geo_info(bundle)
        lines.append(f"| {GEO_PATH} | {geo['features']} features | {geo['description']} |")
    lines += ["", "Column types, units, descriptions, allowed values, sources and licences are in datapackage.json "
              "(Frictionless Data Package; `frictionless validate datapackage.json` checks the files against it).", "",
              "## Reading the files", "",
              "- UTF-8 CSV with a header row. Every column holds one type: whole numbers are written without a "
              "decimal point (`15`), other numbers in full (`4.2`); booleans are `true`/`false`; dates are ISO "
              "`YYYY-MM-DD`.",
              "- A date column is followed by a `*_precision` column (`day`, `month`, `year`, or `undated`): where "
              "a source gives only a month or a year, the date stands for that period (its first day, or its last "
              "day for an \"end of\" or \"by\" deadline); where it gives no date, the date is empty.",
              "- The column types in datapackage.json read directly in pandas, R (`readr`), DuckDB and the "
              "`frictionless` tools; in pandas, integers with gaps read as nullable `Int64`.",
              "- Lists of ids (for example `sources`) are joined with `;`.",
              "- An empty cell means the value was not published (or not given by the source). It is never zero.",
              "- Figures in `set`s (a set is 2-3 cameras) are never converted to or summed with cameras.",
              "- Every figure row carries its `source` id; `data/sources.csv` gives publisher, title, URL and date. "
              "Where sources disagree, every record is kept: rows sharing a `claim` describe the same quantity.",
              "- Formula guard: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (after any "
              "apostrophes) has one `'` put in front, so a spreadsheet shows it as text. Numbers are untouched. "
              "Remove that one leading `'` when reading the files as data.", "",
              "## How to cite", "", "The dashboard and data:", "", _fence(citation.dashboard_citation(version)), "",
              _fence(citation.dashboard_bibtex(version)), "", "Each dataset:", ""]
    for info in infos:
        lines += [f"### {info.name}", "", _fence(citation.dataset_citation(info.name, info.title, version, info.derived_from)), "",
                  _fence(citation.dataset_bibtex(info.name, info.title, version, info.derived_from)), ""]
    lines += ["## Licences", "",
              f"- Curated records: {catalogue.PROJECT_LICENCE['title']}. {catalogue.QUOTES_NOTE}"]
    origins = bundle.frames.get("origins")
    if origins is not None:
        for o in origins.itertuples(index=False):
            lines.append(f"- {_md(o.file)} ({_md(o.producer)}): {_md(o.licence)}")
    if bundle.problems:
        lines += ["", "## Data problems at export", "",
                  f"{len(bundle.problems)} records or files could not be used and are not in this package:", ""]
        lines.append(_fence("\n".join(str(p) for p in bundle.problems)))
    return "\n".join(lines) + "\n"


def build(bundle: Bundle, generated_at: str, commit: str | None = None) -> Package:
    """Every file of the package, as bytes, in a fixed order."""
    version = citation.data_version(bundle.root, bundle.frames.get("figures"))
    infos = catalogue.describe_all(bundle)
    data_files: dict[str, bytes] = {csv_path(i.name): to_csv_bytes(bundle[i.name], dataset=i.name) for i in infos}
    if bundle.geo:
        data_files[GEO_PATH] = json.dumps(bundle.geo, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    generated = {"at": generated_at, "gitCommit": commit,
                 "note": "Only this block changes between exports of the same data version."}
    desc = descriptor(bundle, infos, data_files, version, generated)
    files = {DESCRIPTOR: (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
             README: readme(bundle, infos, version, GEO_PATH in data_files).encode("utf-8"),
             **data_files}
    return Package(files=files, version=version, generated=generated)


def to_zip(pkg: Package) -> bytes:
    """The package as a zip with fixed entry order, dates and permissions; datapackage.json at the root."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path, data in pkg.files.items():
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whichever OS builds it
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)
    return buf.getvalue()


def write_dir(pkg: Package, out: str | Path) -> list[Path]:
    """Write the package files under out (the same bytes as inside the zip)."""
    out = Path(out)
    written = []
    for path, data in pkg.files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def without_generated(descriptor_bytes: bytes) -> dict:
    """datapackage.json minus its 'generated' block: what must be identical between exports."""
    desc = json.loads(descriptor_bytes)
    desc.pop("generated", None)
    return desc
