"""The real data/ directory: it loads cleanly, its counts match what was published, and the rules
the dashboard relies on (sources resolve, sets stay sets, coordinates are in Hong Kong) hold.

Read-only: these tests never write to data/. The strict-loader tests at the end use a copy.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from loaders import datasets
from loaders import schema as data_schema
from loaders.datasets import Bundle, load_all
from loaders.district_names import CODES
from loaders.problems import DataError
from tests.conftest import DATA, ROOT

TD_CAMERAS = 575  # Transport Department traffic snapshot cameras in the 2021-03 locations file
DISTRICT_POPULATION_2019 = 7_422_300  # C&SD 2019 land-based non-institutional population, sum of the 18 districts


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_all(DATA)


def _raw_yaml(file: str) -> list[dict]:
    """The records as written, through plain PyYAML (no project code), for as-published checks."""
    loader = yaml.SafeLoader
    return yaml.load((DATA / file).read_text(encoding="utf-8-sig"), Loader=loader) or []


# --------------------------------------------------------------------------- loads cleanly


def test_every_dataset_loads_without_problems(bundle: Bundle):
    assert bundle.problems == [], "\n" + "\n".join(map(str, bundle.problems))


def test_check_command_is_clean():
    """`python -m loaders check` on data/: exit 0, nothing on stdout, the counts on stderr."""
    venv = ROOT / ".venv" / "bin" / "python"
    run = subprocess.run([str(venv if venv.exists() else sys.executable), "-m", "loaders", "check", "--data-dir", str(DATA)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout
    assert run.stdout == ""
    assert run.stderr.startswith("ok: ")


def test_every_data_file_is_utf8_and_tables_have_no_bom_or_crlf():
    """The data model: CSV tables are UTF-8 without a BOM, with LF line ends (the loader would accept
    both; the repository's own files have neither)."""
    for schema in data_schema.ALL:
        raw = (DATA / schema.file).read_bytes()
        raw.decode("utf-8")
        if schema.file.endswith(".csv"):
            assert not raw.startswith(b"\xef\xbb\xbf"), f"{schema.file} starts with a BOM"
            assert b"\r" not in raw, f"{schema.file} has CR line ends"


# --------------------------------------------------------------------------- counts


def test_row_counts(bundle: Bundle):
    assert len(bundle["sources"]) > 40
    assert len(bundle["figures"]) >= 40
    assert len(bundle["districts"]) == 18
    assert len(bundle["phases"]) == 3
    assert sorted(bundle["phases"]["number"]) == [1, 2, 3]
    cameras = bundle["cameras"]
    assert len(cameras) >= TD_CAMERAS
    assert (cameras["operator"] == "transport_department").sum() == TD_CAMERAS
    assert bundle.geo is not None
    assert len(bundle.geo["features"]) == 18


def test_every_yaml_record_loads(bundle: Bundle):
    """No record is dropped silently: each file's record count equals its frame's row count."""
    for schema in data_schema.ALL:
        if schema.file.endswith(".yaml"):
            assert len(_raw_yaml(schema.file)) == len(bundle[schema.name]), schema.file
            for child_name, child in schema.children.items():
                kids = sum(len(r.get(child_name) or []) for r in _raw_yaml(schema.file))
                assert kids == len(bundle[child.name]), f"{schema.file}: {child_name}"


def test_district_codes_are_a_to_t(bundle: Bundle):
    assert sorted(bundle["districts"]["code"]) == sorted(CODES)
    assert len(CODES) == 18 and not {"I", "O"} & set(CODES)
    assert sorted(f["properties"]["code"] for f in bundle.geo["features"]) == sorted(CODES)


def test_district_population_2019_sums_to_published_total(bundle: Bundle):
    assert int(bundle["districts"]["population_2019"].sum()) == DISTRICT_POPULATION_2019


# --------------------------------------------------------------------------- coordinates


def test_every_located_camera_is_inside_hong_kong(bundle: Bundle):
    cams = bundle["cameras"]
    cams = cams[cams["precision"].ne("district")]
    assert cams["latitude"].notna().all() and cams["longitude"].notna().all()
    outside = cams[~cams["longitude"].between(113.8, 114.5) | ~cams["latitude"].between(22.1, 22.6)]
    assert outside.empty, outside[["id", "latitude", "longitude"]].to_string()


def test_cameras_known_only_to_their_district_have_no_coordinates(bundle: Bundle):
    district_only = bundle["cameras"][bundle["cameras"]["precision"].eq("district")]
    assert len(district_only) == 15
    assert district_only["latitude"].isna().all() and district_only["longitude"].isna().all()
    assert district_only["district_code"].isin(CODES).all()


def test_camera_ids_are_unique(bundle: Bundle):
    ids = bundle["cameras"]["id"]
    assert not ids.duplicated().any(), ids[ids.duplicated()].tolist()


# --------------------------------------------------------------------------- references


def _references(bundle: Bundle):
    """(dataset, field, referenced dataset, id) for every ref/refs value in every frame."""
    for name, schema in data_schema.BY_NAME.items():
        df = bundle.frames[name]
        for f in schema.fields:
            if f.kind not in ("ref", "refs") or f.ref is None:
                continue
            for value in df[f.name].dropna():
                for ref in (value if f.kind == "refs" else (value,)):
                    yield name, f.name, f.ref, ref


def test_every_reference_resolves(bundle: Bundle):
    ids = {"sources": set(bundle["sources"]["id"]), "figures": set(bundle["figures"]["id"])}
    refs = list(_references(bundle))
    bad = [r for r in refs if r[3] not in ids[r[2]]]
    assert not bad, bad
    cited = {(name, fld) for name, fld, _, _ in refs}
    for expected in [("figures", "source"), ("phases", "sources"), ("capability_events", "source"),
                     ("safeguard_entries", "source"), ("open_questions", "sources")]:
        assert expected in cited, f"{expected} cites nothing"


@pytest.mark.parametrize("name, field", [
    ("figures", "source"), ("phases", "sources"), ("capability_events", "source"), ("safeguard_entries", "source"),
    ("safeguards", "guidance_sources"), ("open_questions", "sources"), ("cities", "source"),
    ("smartview_sites", "source"), ("districts", "sources"), ("cameras", "source"), ("origins", "source"),
])
def test_source_ids_resolve(bundle: Bundle, name: str, field: str):
    sources = set(bundle["sources"]["id"])
    values = bundle[name][field].dropna()
    ids = [v for value in values for v in (value if isinstance(value, tuple) else (value,))]
    assert set(ids) <= sources, sorted(set(ids) - sources)


def test_phase_target_figures_resolve(bundle: Bundle):
    figures = set(bundle["figures"]["id"])
    targets = set(bundle["phases"]["target_figure"].dropna())
    assert targets <= figures, targets - figures


def test_every_copy_names_its_original_publisher(bundle: Bundle):
    sources = bundle["sources"]
    copies = sources[~sources["original"]]
    missing = copies[copies["original_publisher"].isna() | (copies["original_publisher"].astype(str).str.strip() == "")]
    assert missing.empty, missing["id"].tolist()


# --------------------------------------------------------------------------- figures


def test_every_figure_has_a_verbatim_quote(bundle: Bundle):
    figures = bundle["figures"]
    assert (figures["quote"].str.strip().str.len() > 0).all()
    assert set(figures["quote_lang"]) <= set(data_schema.LANGS)


def test_both_retention_figures_are_present(bundle: Bundle):
    figures = bundle["figures"]
    retention = figures[figures["claim"] == "retention-period"]
    assert {30.0, 31.0} <= set(retention["value"])
    assert set(retention["unit"]) == {"day"}


# Claims where sources disagree on the unit itself (the police gave the 2027 target in sets, RTHK and
# HKFP reported it as cameras): kept as a conflict, never converted.
UNIT_CONFLICT_CLAIMS = {"target-2027"}


def test_no_claim_mixes_sets_and_cameras_except_a_published_unit_conflict(bundle: Bundle):
    """A set is 2-3 cameras: a claim counted in sets is never the same quantity as one in cameras,
    except where the sources themselves disagree on the unit, which is shown as a conflict."""
    figures = bundle["figures"]
    for (claim, basis), group in figures.groupby(["claim", "basis"]):
        units = set(group["unit"])
        if claim in UNIT_CONFLICT_CLAIMS:
            continue
        assert not {"set", "camera"} <= units, f"claim {claim} ({basis}) mixes sets and cameras: {group['id'].tolist()}"


def test_unit_conflict_records_use_the_unit_their_own_quote_uses(bundle: Bundle):
    figures = bundle["figures"]
    group = figures[figures["claim"].isin(UNIT_CONFLICT_CLAIMS)]
    assert {"set", "camera"} <= set(group["unit"])
    for row in group.itertuples():
        said = re.search(r"\bsets?\b|組", row.quote) if row.unit == "set" else re.search(r"cameras\b|鏡頭|部", row.quote)
        assert said, f"{row.id}: unit {row.unit} but its quote does not say so: {row.quote}"


_SETS = re.compile(r"(\d[\d,]*)\s*(?:sets\b|組)")
_CAMERAS = re.compile(r"(\d[\d,]*)\s*(?:(?:individual\s+|CCTV\s+|surveillance\s+)?cameras\b|部|支)")


def _numbers(pattern: re.Pattern, text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in pattern.findall(text or "")}


def test_figures_quoted_in_sets_keep_unit_set(bundle: Bundle):
    """A figure whose quote gives its number in sets (組) stays in sets: loading never converts."""
    figures = bundle["figures"]
    checked = 0
    for row in figures[figures["unit"].isin(["set", "camera"])].itertuples():
        in_sets, in_cameras = _numbers(_SETS, row.quote), _numbers(_CAMERAS, row.quote)
        if row.value in in_sets and row.value not in in_cameras:
            assert row.unit == "set", f"{row.id}: quoted as {row.value:g} sets, loaded as {row.unit}"
            checked += 1
        elif row.value in in_cameras and row.value not in in_sets:
            assert row.unit == "camera", f"{row.id}: quoted as {row.value:g} cameras, loaded as {row.unit}"
    assert checked >= 2
    sets = figures[figures["unit"] == "set"]
    for value in (615, 2000):
        assert value in set(sets["value"]), f"no {value}-set figure"
        in_sets = figures["quote"].map(lambda q, v=value: v in _numbers(_SETS, q) and v not in _numbers(_CAMERAS, q))
        quoted = figures[in_sets & (figures["value"] == value)]
        assert not quoted.empty, f"no figure quotes {value} sets"
        assert set(quoted["unit"]) == {"set"}, quoted[["id", "unit"]].to_string()


def test_values_and_units_are_loaded_as_written(bundle: Bundle):
    """The loader never converts: every figure's value and unit equal the file's."""
    raw = {r["id"]: r for r in _raw_yaml("figures.yaml")}
    for row in bundle["figures"].itertuples():
        assert row.unit == raw[row.id]["unit"], row.id
        assert row.value == float(str(raw[row.id]["value"]).replace(",", "")), row.id


# --------------------------------------------------------------------------- the strict loaders

LOADERS = {
    "sources": datasets.load_sources, "figures": datasets.load_figures, "phases": datasets.load_phases,
    "capabilities": datasets.load_capabilities, "capability_events": datasets.load_capability_events,
    "safeguards": datasets.load_safeguards, "safeguard_entries": datasets.load_safeguard_entries,
    "open_questions": datasets.load_open_questions, "cities": datasets.load_cities,
    "districts": datasets.load_districts, "cameras": datasets.load_cameras,
}


@pytest.fixture
def load_all_once_per_directory(monkeypatch):
    """The strict loaders each call load_all; on one directory its result is the same, so load once."""
    memo: dict[str, Bundle] = {}
    real = datasets.load_all

    def load_all_memo(root=None):
        key = str(datasets.data_dir(root))
        if key not in memo:
            memo[key] = real(root)
        return memo[key]

    monkeypatch.setattr(datasets, "load_all", load_all_memo)


@pytest.mark.usefixtures("load_all_once_per_directory")
def test_strict_loaders_return_typed_frames():
    for name, load in LOADERS.items():
        df = load(DATA)
        assert isinstance(df, pd.DataFrame)
        schema = data_schema.BY_NAME[name]
        for f in schema.fields:
            assert f.name in df.columns, f"{name}.{f.name}"
            if f.kind == "date":
                assert df[f.name].dtype == "datetime64[ns]", f"{name}.{f.name}: {df[f.name].dtype}"
            elif f.kind == "number":
                assert df[f.name].dtype == "float64", f"{name}.{f.name}"
            elif f.kind == "int":
                assert str(df[f.name].dtype) == "Int64", f"{name}.{f.name}"
            elif f.kind == "bool":
                assert df[f.name].dtype == bool, f"{name}.{f.name}"


@pytest.mark.usefixtures("load_all_once_per_directory")
def test_strict_loaders_raise_data_error_on_a_broken_copy(data_copy):
    """Break every file once; each strict loader raises DataError naming only its own file."""
    for schema in data_schema.ALL:
        path = data_copy / schema.file
        if schema.file.endswith(".csv"):
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\nonly,three,cells\n", encoding="utf-8")
        else:
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n- not a record\n", encoding="utf-8")
    for name, load in LOADERS.items():
        with pytest.raises(DataError) as err:
            load()  # HKCCTV_DATA_DIR points at the copy
        files = {p.file for p in err.value.problems}
        assert files == {data_schema.BY_NAME[name].file}, (name, files)
        assert data_schema.BY_NAME[name].file in str(err.value)


# --------------------------------------------------------------------------- the 30 Nov 2026 audit, re-checked


def test_no_source_is_cited_at_a_test_host_proxy_or_mirror_the_audit_named(bundle: Bundle):
    urls = bundle["sources"]["url"]
    bad = urls[urls.str.contains(r"uat-|libproxy|test\.daily8|afrihkanews", regex=True)]
    assert bad.empty, bad.tolist()


def test_source_titles_are_headlines_or_say_the_headline_is_not_known(bundle: Bundle):
    src = bundle["sources"]
    titled = src[src["title"].notna()]
    slug = titled[titled["title"].str.fullmatch(r"[\w.]+(?:[-_][\w.]+){2,}") & (titled["kind"] != "open_data")]
    assert slug.empty, slug[["id", "title"]].to_string()
    assert not titled["title"].str.contains(r"\[no title", regex=True).any()
    untitled = src[src["title"].isna()]
    assert (untitled["headline_known"] == False).all()  # noqa: E712  (a missing flag is not 'not known')


def test_conflicts_with_is_mutual(bundle: Bundle):
    figs = bundle["figures"].set_index("id")
    for fid, refs in figs["conflicts_with"].dropna().items():
        for other in refs:
            assert fid in (figs.at[other, "conflicts_with"] or ()), f"{fid} -> {other} is not returned"


def test_37_is_contested_between_robberies_and_burglaries(bundle: Bundle):
    figs = bundle["figures"].set_index("id")
    robbery, burglary = figs.loc["cases-assisted-robbery-2025-06-30-hkfp"], figs.loc["cases-assisted-burglary-2025-06-30-scmp-mytake"]
    assert robbery["value"] == burglary["value"] == 37
    assert "robbery" in robbery["quote"] and "burglaries" in burglary["quote"]


@pytest.mark.parametrize("fid", ["target-2028-2026-02-15-am730", "target-2028-2026-02-todayreview88", "target-2031-total-2026-02-25-am730"])
def test_about_sixty_thousand_stays_about(bundle: Bundle, fid):
    assert bundle["figures"].set_index("id").at[fid, "qualifier"] == "about"


def test_sixty_thousand_is_read_both_as_a_total_and_as_an_addition(bundle: Bundle):
    figs = bundle["figures"]
    for claim in ("target-2028-total", "target-2031-total"):
        bases = set(figs.loc[figs["claim"] == claim, "basis"])
        assert "target_additional" in bases and bases & {"target_total", "target_installed_by_police"}, (claim, bases)
