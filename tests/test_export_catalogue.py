"""The catalogue and citations: computed from the schema and the loaded data, never typed in."""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd

from loaders import catalogue, citation, schema as S
from loaders.datasets import load_all


def test_catalogue_lists_every_frame_of_the_bundle():
    bundle = load_all()
    # Supplements (S.SUPPLEMENTS, e.g. freshness) are loaded and checked but not yet in the catalogue.
    assert set(catalogue.DATASETS) == set(bundle.frames) - {s.name for s in S.SUPPLEMENTS}
    for info in catalogue.describe_all(bundle):
        assert info.rows == len(bundle[info.name])
        assert [c.name for c in info.columns] == list(bundle[info.name].columns)
        assert all(c.description for c in info.columns), f"{info.name}: a column has no description"
        assert info.licences and info.licences[0] == catalogue.PROJECT_LICENCE


def test_units_and_types_come_from_the_schema():
    by_name = {c.name: c for c in catalogue.columns("districts")}
    assert by_name["area_km2"].unit == S.DISTRICTS.field("area_km2").unit and by_name["area_km2"].type == "number"
    assert by_name["population_2019"].type == "integer"
    assert by_name["sources"].kind == "refs"
    figures = {c.name: c for c in catalogue.columns("figures")}
    assert figures["unit"].choices == S.UNITS and figures["as_of"].type == "date"


def test_child_datasets_carry_their_parent_id():
    bundle = load_all()
    for child in ("capability_events", "safeguard_entries"):
        parent_col = catalogue.PARENT_COLUMN[child]
        assert [c.name for c in catalogue.columns(child)][:2] == list(bundle[child].columns[:2]) == [parent_col, "seq"]
        assert catalogue.primary_key(child) == (parent_col, "seq")
        parent = catalogue.CHILD_PARENT[child].name
        assert set(bundle[child][parent_col]) <= set(bundle[parent]["id"])


def test_date_ranges_and_sources_match_the_data():
    bundle = load_all()
    figures = bundle["figures"]
    info = catalogue.describe("figures", bundle)
    assert info.date_ranges["as_of"] == (figures["as_of"].min().date().isoformat(), figures["as_of"].max().date().isoformat())
    assert set(info.source_ids) == set(figures["source"])
    cited = bundle["sources"][bundle["sources"]["id"].isin(info.source_ids)]
    assert info.last_updated == cited["accessed"].max().date()


def test_camera_licences_include_the_imported_files_terms():
    bundle = load_all()
    info = catalogue.describe("cameras", bundle)
    origins = bundle["origins"]
    expected = set(origins[origins["derived_files"].map(lambda d: "cameras_td.csv" in d)]["licence"])
    assert expected and expected <= {lic["title"] for lic in info.licences}
    assert all("path" in lic for lic in info.licences)


def test_data_version_is_content_based_and_clone_stable(tmp_path, data_copy):
    bundle = load_all()
    v1 = citation.data_version(bundle.root, bundle["figures"])
    assert len(v1.data_hash) == 12 and v1.label.endswith("." + v1.data_hash)
    assert v1.newest_as_of == citation.newest_as_of(bundle["figures"])
    clone = tmp_path / "clone"
    shutil.copytree(data_copy, clone)
    assert citation.data_hash(clone) == v1.data_hash
    # CRLF line ends (a Windows checkout) give the same version; a changed value does not.
    figs = clone / "figures.yaml"
    figs.write_bytes(figs.read_bytes().replace(b"\n", b"\r\n"))
    assert citation.data_hash(clone) == v1.data_hash
    figs.write_bytes(figs.read_bytes() + b"\n# edited\n")
    assert citation.data_hash(clone) != v1.data_hash


def test_citations_name_the_version_and_escape_bibtex():
    v = citation.DataVersion("abcdef123456", dt.date(2025, 12, 31))
    plain = citation.dashboard_citation(v)
    assert "2025-12-31.abcdef123456" in plain and "(2025)" in plain and "commit" not in plain
    assert "Code commit 0123456789ab" in citation.dashboard_citation(v, "0123456789ab" * 3 + "0123")
    bib = citation.dashboard_bibtex(v)
    assert bib.startswith("@misc{hkcctvwatch_20251231_abcdef,") and "version = {2025-12-31.abcdef123456}" in bib
    evil = citation.dataset_bibtex("figures", "Figures", v, ("A} & 100% {B_#",))
    assert r"A\} \& 100\% \{B\_\#" in evil
    assert evil.count("{") - evil.count(r"\{") == evil.count("}") - evil.count(r"\}")


def test_git_commit_is_read_without_git(tmp_path):
    repo = tmp_path / "r"
    (repo / ".git" / "refs" / "heads").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert citation.git_commit(repo) is None
    (repo / ".git" / "packed-refs").write_text("# pack-refs\n" + "a" * 40 + " refs/heads/main\n")
    assert citation.git_commit(repo) == "a" * 40
    (repo / ".git" / "refs" / "heads" / "main").write_text("b" * 40 + "\n")
    assert citation.git_commit(repo) == "b" * 40
    assert citation.git_commit(tmp_path / "none") is None


def test_summary_table_has_one_row_per_resource():
    bundle = load_all()
    summary = catalogue.summary_table(catalogue.describe_all(bundle), catalogue.geo_info(bundle))
    assert summary["dataset"].tolist() == [*catalogue.DATASETS, catalogue.GEO_RESOURCE]
    by = summary.set_index("dataset")
    assert by.at["figures", "rows"] == len(bundle["figures"])
    assert by.at["figures", "sources"] == bundle["figures"]["source"].nunique()
    assert by.at["figures", "date_column"] == "as_of"
    assert by.at["figures", "first"] == bundle["figures"]["as_of"].min().date().isoformat()
    assert pd.isna(by.at["sources", "sources"]) and by.at[catalogue.GEO_RESOURCE, "rows"] == len(bundle.geo["features"])
