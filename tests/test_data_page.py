"""The Data & exports page (AppTest): filters from the URL, downloads of what is shown, catalogue, citation."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
import yaml
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from loaders import catalogue, citation
from loaders.datasets import load_all
from loaders.export import read_csv_export
from metrics import explorer
from tests.apptest import all_text, run_page
from ui.i18n import catalogue as strings


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Every file handed to a download button, by file name (AppTest cannot click to download)."""
    captured: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            captured[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return captured


def _one(files: dict[str, bytes], suffix: str) -> bytes:
    hits = [data for name, data in files.items() if name.endswith(suffix)]
    assert len(hits) == 1, (suffix, list(files))
    return hits[0]


def _table(at) -> pd.DataFrame:
    return at.dataframe[0].value  # the explorer's table comes first


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_page_renders_with_version_and_every_string_resolved(lang):
    at = run_page("data", lang=lang)
    assert not at.exception
    text = all_text(at)
    bundle = load_all()
    version = citation.data_version(bundle.root, bundle["figures"])
    assert version.label in text
    assert "⟦" not in text
    assert citation.dashboard_citation(version, citation.git_commit()) in text


def test_every_data_string_has_both_languages():
    for key, texts in strings().items():
        if key.startswith("data."):
            assert texts.get("en") and texts.get("zh-Hant"), key
    for name in (*catalogue.DATASETS, catalogue.GEO_RESOURCE):
        assert f"data.ds.{name}" in strings() and f"data.ds.{name}.desc" in strings()


def test_value_filter_from_the_url_shows_and_downloads_only_those_rows(downloads):
    figures = load_all()["figures"]
    expected = figures[figures["unit"] == "set"]
    at = run_page("data", query={"d_ds": "figures", "d_cols": "unit", "d_v_unit": "set"})
    assert not at.exception
    table = _table(at)
    assert len(table) == len(expected) > 0
    assert set(table["id"]) == set(expected["id"])
    assert f"Showing {len(expected)} of {len(figures)} rows." in all_text(at)
    back = read_csv_export(_one(downloads, "_filtered.csv"), "figures")
    pd.testing.assert_frame_equal(back, expected.reset_index(drop=True))
    bom = _one(downloads, "_filtered_excel.csv")
    assert bom.startswith(b"\xef\xbb\xbf")
    assert len(json.loads(_one(downloads, "_filtered.json"))) == len(expected)
    sources = list(csv.DictReader(io.StringIO(_one(downloads, f"figures_sources_{citation.data_version(load_all().root, figures).label}.csv").decode())))
    assert {s["id"] for s in sources} == set(expected["source"])


def test_text_search_from_the_url():
    figures = load_all()["figures"]
    at = run_page("data", query={"d_ds": "figures", "d_q": "2028"})
    table = _table(at)
    assert len(table) == len(explorer.text_search(figures, "2028")) > 0
    assert all(any("2028" in explorer.cell_text(v) for v in row) for row in figures[figures["id"].isin(table["id"])].itertuples(index=False))


def test_date_range_and_sort_from_the_url():
    figures = load_all()["figures"]
    inside = figures[(figures["as_of"] >= "2025-01-01") & (figures["as_of"] <= "2025-12-31")]
    at = run_page("data", query={"d_ds": "figures", "d_dcol": "as_of", "d_from": "2025-01-01", "d_to": "2025-12-31",
                                 "d_sort": "value", "d_desc": "true"})
    assert not at.exception
    table = _table(at)
    assert len(table) == len(inside) > 0
    assert table["value"].iloc[0] == inside["value"].max()


def test_geographic_download_for_cameras(downloads):
    cams = load_all()["cameras"]
    expected = cams[cams["district_code"] == "B"]
    at = run_page("data", query={"d_ds": "cameras", "d_cols": "district_code", "d_v_district_code": "B"})
    assert len(_table(at)) == len(expected) > 0
    fc = json.loads(_one(downloads, "_filtered.geojson"))
    assert len(fc["features"]) == len(expected)
    assert {f["properties"]["id"] for f in fc["features"]} == set(expected["id"])


def test_invalid_url_values_are_ignored():
    at = run_page("data", query={"d_ds": "no-such-dataset", "d_v_unit": "nonsense", "d_from": "not-a-date"})
    assert not at.exception
    assert len(_table(at)) == len(load_all()[catalogue.DATASETS[0]])


def test_catalogue_counts_rows_from_the_data():
    bundle = load_all()
    at = run_page("data")
    cat = next(df.value for df in at.dataframe if "Rows" in df.value.columns)
    counts = dict(zip(cat["Dataset"], cat["Rows"].str.replace(",", "").astype(int)))
    for name in catalogue.DATASETS:
        assert counts[name] == len(bundle[name])
    assert counts[catalogue.GEO_RESOURCE] == len(bundle.geo["features"])


def test_bad_data_is_named_and_the_rest_still_works(data_copy):
    figs = data_copy / "figures.yaml"
    figs.write_text(figs.read_text(encoding="utf-8").replace("value: ", "value: lots ", 1), encoding="utf-8")
    bundle = load_all()
    assert any(p.file == "figures.yaml" and p.field == "value" for p in bundle.problems)
    at = run_page("data", query={"d_ds": "figures"})
    assert not at.exception
    assert any("figures.yaml:" in w.value.replace("\\", "") and "value" in w.value for w in at.warning)
    assert len(_table(at)) == len(bundle["figures"])


def test_data_text_is_escaped_in_markdown(data_copy):
    path = data_copy / "origins.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[0]["licence"] = "**bold** [click](javascript:alert(1)) <b>x</b>"
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    at = run_page("data")
    assert not at.exception
    md = "\n".join(m.value for m in at.markdown)
    assert "[click](javascript" not in md and "**bold**" not in md and "<b>" not in md
    assert r"\*\*bold\*\*" in md


def test_page_and_package_survive_missing_files(data_copy, tmp_path):
    (data_copy / "figures.yaml").unlink()
    (data_copy / "geo" / "districts.geojson").unlink()
    at = run_page("data", query={"d_ds": "districts", "d_cols": "code", "d_v_code": "A"})
    assert not at.exception
    text = all_text(at).replace("\\", "")
    assert "figures.yaml: file: file is missing" in text and "undated." in text
    from loaders import datapackage

    pkg = datapackage.build(load_all(), generated_at="2026-01-01T00:00:00Z")
    assert datapackage.GEO_PATH not in pkg.files and "data/figures.csv" in pkg.files
