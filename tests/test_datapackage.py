"""The full data package: valid Frictionless, reproducible, complete, with provenance and citation."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from frictionless import validate

from loaders import catalogue, citation, datapackage, schema as S
from loaders.datasets import load_all
from loaders.export import main_export, read_csv_export

T1, T2 = "2026-01-01T00:00:00Z", "2027-06-30T12:34:56Z"


@pytest.fixture(scope="module")
def bundle():
    return load_all()


@pytest.fixture(scope="module")
def pkg(bundle):
    return datapackage.build(bundle, generated_at=T1, commit="c" * 40)


def test_package_validates_against_the_data_package_spec(pkg, tmp_path):
    datapackage.write_dir(pkg, tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_bundle_frame_and_the_district_geojson_is_a_resource(pkg, bundle):
    desc = json.loads(pkg.files["datapackage.json"])
    names = [r["name"] for r in desc["resources"]]
    assert names == list(catalogue.DATASETS) + [catalogue.GEO_RESOURCE]
    # Supplements (S.SUPPLEMENTS, e.g. freshness) are loaded and checked but not yet in the catalogue.
    assert set(bundle.frames) - {s.name for s in S.SUPPLEMENTS} <= set(names)
    geo = json.loads(pkg.files[datapackage.GEO_PATH])
    assert len(geo["features"]) == len(bundle.geo["features"])


def test_resources_describe_fields_sources_and_licences(pkg, bundle):
    desc = json.loads(pkg.files["datapackage.json"])
    res = {r["name"]: r for r in desc["resources"]}
    figures = res["figures"]
    fields = {f["name"]: f for f in figures["schema"]["fields"]}
    assert list(fields) == list(bundle["figures"].columns)
    assert fields["as_of"]["type"] == "date" and fields["value"]["type"] == "number"
    assert fields["unit"]["constraints"]["enum"] == list(S.UNITS)
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in figures["schema"]["foreignKeys"]
    assert {s["id"] for s in figures["sources"]} == set(bundle["figures"]["source"])
    assert figures["licenses"] and desc["licenses"]
    assert desc["version"] == pkg.version.label and desc["generated"]["at"] == T1


def test_each_figure_row_carries_its_source_and_the_sources_table_ships_beside_it(pkg, bundle):
    figures = read_csv_export(pkg.files["data/figures.csv"], "figures")
    sources = read_csv_export(pkg.files["data/sources.csv"], "sources")
    assert figures["source"].notna().all()
    assert set(figures["source"]) <= set(sources["id"])
    assert len(sources) == len(bundle["sources"])


def test_exported_csvs_read_back_as_the_loaders_frames(pkg, bundle):
    import pandas as pd

    for name in catalogue.DATASETS:
        back = read_csv_export(pkg.files[datapackage.csv_path(name)], name)
        pd.testing.assert_frame_equal(back.reset_index(drop=True), bundle[name].reset_index(drop=True), obj=name)


def test_only_the_generated_block_differs_between_exports(bundle, pkg):
    other = datapackage.build(bundle, generated_at=T2, commit=None)
    assert list(other.files) == list(pkg.files)
    for path in pkg.files:
        if path != datapackage.DESCRIPTOR:
            assert other.files[path] == pkg.files[path], path
    assert datapackage.without_generated(other.files[datapackage.DESCRIPTOR]) == \
        datapackage.without_generated(pkg.files[datapackage.DESCRIPTOR])
    assert other.files[datapackage.DESCRIPTOR] != pkg.files[datapackage.DESCRIPTOR]


def test_zip_is_deterministic_with_fixed_order_and_dates(pkg):
    a, b = datapackage.to_zip(pkg), datapackage.to_zip(pkg)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == [datapackage.ZIP_ROOT + p for p in pkg.files]
        assert {i.date_time for i in infos} == {datapackage.ZIP_DATE}
        for i in infos:
            assert z.read(i) == pkg.files[i.filename.removeprefix(datapackage.ZIP_ROOT)]


def test_cli_writes_the_same_package_as_the_app_apart_from_the_timestamp(tmp_path, pkg, bundle):
    out, zpath = tmp_path / "pkg", tmp_path / "pkg.zip"
    assert main_export(["--out", str(out), "--zip", str(zpath), "--generated", T2]) == 0
    for path, data in pkg.files.items():
        written = (out / path).read_bytes()
        if path == datapackage.DESCRIPTOR:
            assert datapackage.without_generated(written) == datapackage.without_generated(data)
            assert json.loads(written)["generated"]["at"] == T2
        else:
            assert written == data, path
    again = datapackage.build(bundle, generated_at=T2, commit=citation.git_commit())
    assert zpath.read_bytes() == datapackage.to_zip(again)


def test_cli_honours_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert main_export(["--out", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "datapackage.json").read_text())["generated"]["at"] == "1970-01-01T00:00:00Z"


def test_cli_exports_good_records_and_names_bad_ones(data_copy, tmp_path, capsys):
    figs = data_copy / "figures.yaml"
    text = figs.read_text(encoding="utf-8")
    figs.write_text(text.replace("value: ", "value: -", 1), encoding="utf-8")
    assert main_export(["--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert "figures.yaml:" in err and "value" in err
    readme = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    assert "Data problems at export" in readme and "figures.yaml:" in readme
    assert main_export(["--out", str(tmp_path / "b"), "--strict"]) == 1
    assert not (tmp_path / "b").exists()


def test_readme_has_the_citation_and_version(pkg):
    readme = pkg.files[datapackage.README].decode("utf-8")
    assert citation.dashboard_citation(pkg.version) in readme
    assert citation.dashboard_bibtex(pkg.version) in readme
    assert pkg.version.label in readme
    assert "c" * 40 not in readme  # the commit lives only in the generated block
    for name in catalogue.DATASETS:
        assert f"### {name}" in readme


def test_readme_escapes_data_text(data_copy):
    import yaml

    path = data_copy / "origins.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["licence"] = "**bold** [click](javascript:alert(1)) <b>x</b> | cell"
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    readme = datapackage.build(load_all(), generated_at=T1).files[datapackage.README].decode("utf-8")
    assert r"\*\*bold\*\* \[click\](javascript:alert(1)) \<b\>x\</b\> \| cell" in readme
    assert "[click](" not in readme and "<b>" not in readme
