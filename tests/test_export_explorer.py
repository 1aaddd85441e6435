"""metrics.explorer: text search, column filters, date range and sort, on made-up and real frames."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from loaders import catalogue
from loaders.datasets import load_all
from loaders.export import read_csv_export, to_csv_bytes
from metrics import explorer as ex


def _frame() -> pd.DataFrame:
    """Synthetic rows for the filter mechanics (never shown as data)."""
    return pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "unit": ["camera", "set", "camera", None],
        "value": [5000.0, 615.0, None, -3.0],
        "when": pd.to_datetime(["2024-01-01", "2025-06-30", None, "2026-02-25"]),
        "published": ["2024", "2025-06", "undated", "2026-02-25"],
        "sources": [("s1", "s2"), ("s3",), ("s2",), None],
        "quote": ["約五千支鏡頭", "615 sets", "Nothing", "=cmd"],
    })


def test_text_search_matches_every_word_case_insensitively():
    df = _frame()
    assert ex.text_search(df, "SETS 615")["id"].tolist() == ["b"]
    assert ex.text_search(df, "五千")["id"].tolist() == ["a"]
    assert ex.text_search(df, "s2")["id"].tolist() == ["a", "c"]  # ids inside lists too
    assert ex.text_search(df, "  ")["id"].tolist() == ["a", "b", "c", "d"]


def test_value_filter_uses_text_values_and_list_members():
    df = _frame()
    assert ex.filter_values(df, "unit", ["set"])["id"].tolist() == ["b"]
    assert ex.filter_values(df, "sources", ["s2"])["id"].tolist() == ["a", "c"]
    assert ex.filter_values(df, "value", ["5000"])["id"].tolist() == ["a"]
    assert ex.filter_values(df, "unit", [])["id"].tolist() == ["a", "b", "c", "d"]
    assert ex.value_options(df["sources"]) == ["s1", "s2", "s3"]
    assert ex.value_options(df["value"]) == ["-3", "5000", "615"]


def test_range_filter_is_inclusive_and_drops_missing_once_bounded():
    df = _frame()
    assert ex.filter_range(df, "value", -3, 615)["id"].tolist() == ["b", "d"]
    assert ex.filter_range(df, "value", None, 0)["id"].tolist() == ["d"]
    assert ex.filter_range(df, "value", None, None)["id"].tolist() == ["a", "b", "c", "d"]


def test_date_filter_handles_dates_and_partial_dates():
    df = _frame()
    assert ex.filter_dates(df, "when", dt.date(2025, 1, 1), None)["id"].tolist() == ["b", "d"]
    assert ex.filter_dates(df, "when", None, dt.date(2025, 6, 30))["id"].tolist() == ["a", "b"]
    # '2025-06' counts from 1 June; 'undated' is left out once a bound is set.
    assert ex.filter_dates(df, "published", dt.date(2025, 6, 1), dt.date(2025, 6, 1))["id"].tolist() == ["b"]
    assert ex.filter_dates(df, "published", dt.date(2000, 1, 1), None)["id"].tolist() == ["a", "b", "d"]


def test_contains_filter():
    assert ex.filter_contains(_frame(), "quote", "SET")["id"].tolist() == ["b"]


def test_sort_is_stable_with_missing_last():
    df = _frame()
    assert ex.sort_rows(df, "value")["id"].tolist() == ["d", "b", "a", "c"]
    assert ex.sort_rows(df, "value", descending=True)["id"].tolist() == ["a", "b", "d", "c"]
    assert ex.sort_rows(df, "unit")["id"].tolist() == ["a", "c", "b", "d"]
    assert ex.sort_rows(df, "when", descending=True)["id"].tolist() == ["d", "b", "a", "c"]
    assert ex.sort_rows(df, None)["id"].tolist() == ["a", "b", "c", "d"]


def test_apply_combines_filters_and_reports_activity():
    f = ex.Filters(query="camera", values=(("unit", ("camera",)),), date_column="when", date_from=dt.date(2023, 1, 1),
                   sort_by="value", descending=True)
    assert ex.apply(_frame(), f)["id"].tolist() == ["a"]
    assert f.active and not ex.Filters(sort_by="value").active


def test_cited_sources_are_the_provenance_of_the_rows():
    bundle = load_all()
    figures = bundle["figures"]
    some = figures[figures["unit"] == "set"]
    cited = ex.cited_sources(some, ["source"], bundle["sources"])
    assert set(cited["id"]) == set(some["source"])


def test_a_filtered_download_holds_only_the_filtered_rows():
    figures = load_all()["figures"]
    f = ex.Filters(values=(("unit", ("set",)),), sort_by="as_of")
    shown = ex.apply(figures, f)
    expected = figures[figures["unit"] == "set"].sort_values("as_of", kind="mergesort")
    assert 0 < len(shown) < len(figures)
    back = read_csv_export(to_csv_bytes(shown), "figures")
    pd.testing.assert_frame_equal(back, expected.reset_index(drop=True))
    assert set(pd.read_csv(io.BytesIO(to_csv_bytes(shown)))["id"]) == set(expected["id"])


def test_filter_kinds_follow_the_schema():
    figures = load_all()["figures"]
    kinds = ex.filter_kinds(figures, {c.name: c.kind for c in catalogue.columns("figures")})
    assert kinds["unit"] == "values" and kinds["value"] == "range"
    assert kinds["as_of"] == "date" and kinds["quote"] == "contains" and kinds["source"] == "values"


def test_display_frame_joins_lists_and_shows_text_as_published():
    shown = ex.display_frame(_frame())
    assert shown["sources"].tolist()[:2] == ["s1; s2", "s3"]
    assert shown["quote"].iloc[3] == "=cmd"  # on screen as published; downloads are guarded
    assert shown["value"].tolist()[0] == 5000.0  # numbers untouched


def test_table_toolbar_download_is_switched_off():
    # The grid's own CSV download would bypass loaders.export's formula guard.
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
