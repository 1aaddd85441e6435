"""Exported CSVs hold one type per column, as declared in datapackage.json: integers without ".0",
booleans true/false, partial dates split into a date and its precision; pandas and DuckDB read
them back with the declared types."""
from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest

from loaders import catalogue, datapackage
from loaders import schema
from loaders.datasets import load_all
from loaders.export import (
    dataset_frame,
    partial_date_parts,
    partial_date_text,
    read_csv_export,
    read_options,
    to_csv_bytes,
)


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def bundle():
    return load_all()


@pytest.fixture(scope="module")
def package_dir(bundle, tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    datapackage.write_dir(datapackage.build(bundle, generated_at="2026-01-01T00:00:00Z"), out)
    return out


def _sources(published: list) -> pd.DataFrame:
    """Made-up source rows (export mechanics only), typed as the loader types them."""
    n = len(published)
    frame = pd.DataFrame({f.name: [None] * n for f in schema.SOURCES.fields})
    frame["id"] = [f"s-{i}" for i in range(n)]
    frame["published"] = published
    frame["original"] = [True, False] * (n // 2) + [True] * (n % 2)
    return frame


def test_whole_numbers_are_written_without_a_decimal_point(bundle):
    rows = _rows(to_csv_bytes(bundle["figures"], dataset="figures"))
    by_id = {r["id"]: r for r in rows}
    assert by_id["police-installed-cameras-2024-04-18-dimsumdaily"]["value"] == "15"
    values = [r["value"] for r in rows]
    assert not [v for v in values if v.endswith(".0")]
    assert "4.2" in values  # a fraction stays a fraction


def test_numbers_keep_full_precision_and_gaps_stay_empty():
    df = pd.DataFrame({"x": [60000.0, 0.1 + 0.2, 1e-7, -0.5, None, 4.06e9]})
    assert [r["x"] for r in _rows(to_csv_bytes(df))] == ["60000", "0.30000000000000004", "0.0000001", "-0.5", "", "4060000000"]


def test_integer_columns_with_gaps_stay_integers(bundle):
    rows = _rows(to_csv_bytes(bundle["cities"], dataset="cities"))
    years = {r["year"] for r in rows}
    assert "" in years and "2019" in years and not any("." in y for y in years)


def test_booleans_are_lowercase_true_and_false(bundle):
    rows = _rows(to_csv_bytes(bundle["sources"], dataset="sources"))
    assert {r["original"] for r in rows} == {"true", "false"}


@pytest.mark.parametrize("text, date, precision", [
    ("2024", "2024-01-01", "year"), ("2024-07", "2024-07-01", "month"), ("2024-07-17", "2024-07-17", "day"),
    ("undated", "", "undated")])
def test_partial_dates_split_into_a_date_and_its_precision(text, date, precision):
    row = _rows(to_csv_bytes(_sources([text]), dataset="sources"))[0]
    assert (row["published"], row["published_precision"]) == (date, precision)
    stamp, prec = partial_date_parts(text)
    assert partial_date_text(stamp, prec) == text


def test_split_columns_sit_next_to_each_other_and_only_with_a_dataset_name():
    frame = _sources(["2024", "2024-07"])
    cols = list(dataset_frame(frame, "sources").columns)
    assert cols[cols.index("published") + 1] == "published_precision"
    assert "published_precision" not in _rows(to_csv_bytes(frame))[0]  # no name: written as it is


def test_package_columns_match_the_declared_fields(bundle, package_dir):
    for name in catalogue.DATASETS:
        header = (package_dir / datapackage.csv_path(name)).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [c.name for c in catalogue.columns(name)], name


def test_split_partial_dates_read_back_as_published(bundle):
    for name in ("sources", "origins"):
        back = read_csv_export(to_csv_bytes(bundle[name], dataset=name), name)
        pd.testing.assert_frame_equal(back, bundle[name], obj=name)


def test_an_unsplit_csv_still_reads_back():
    frame = _sources(["2024", "2024-07", "undated"])
    assert read_csv_export(to_csv_bytes(frame), "sources")["published"].tolist() == ["2024", "2024-07", "undated"]


@pytest.mark.parametrize("name", catalogue.DATASETS)
def test_pandas_reads_each_export_with_the_declared_dtypes(name, package_dir):
    df = pd.read_csv(package_dir / datapackage.csv_path(name), **read_options(name))
    expected = {c.name: schema.PACKAGE_TYPES[c.type][0] for c in catalogue.columns(name)}
    assert {c: str(t) for c, t in df.dtypes.items()} == expected


def test_pandas_keeps_integer_gaps_as_missing_not_floats(package_dir):
    df = pd.read_csv(package_dir / datapackage.csv_path("figures"), **read_options("figures"))
    assert df["phase"].isna().any() and set(df["phase"].dropna()) <= {1, 2, 3}
    assert df["value"].dtype == "float64" and 4.2 in df.loc[df["unit"] == "percent", "value"].tolist()


@pytest.mark.parametrize("name", catalogue.DATASETS)
def test_duckdb_reads_each_export_with_the_declared_types(name, package_dir, bundle):
    path = str(package_dir / datapackage.csv_path(name))
    cols = catalogue.columns(name)
    con = duckdb.connect()
    typed = con.read_csv(path, dtype={c.name: c.duckdb_type for c in cols})
    assert typed.shape[0] == len(bundle[name])
    # Without being told, DuckDB's own detection finds the same types: no 15.0 turning integers into
    # doubles, no True/False text, no column mixing 2024 with 2024-07-17. (A number column whose
    # values happen to be whole is detected as BIGINT, which loses nothing.)
    detected = con.read_csv(path)
    found = dict(zip(detected.columns, map(str, detected.dtypes)))
    for c in cols:
        if c.type == "string" or not typed.filter(f'"{c.name}" IS NOT NULL').shape[0]:
            continue  # text may look like anything; an empty column has nothing to detect
        ok = {c.duckdb_type, "BIGINT"} if c.type == "number" else {c.duckdb_type}
        assert found[c.name] in ok, (name, c.name, found[c.name])
