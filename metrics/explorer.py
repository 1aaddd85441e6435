"""Filtering for the data explorer: text search, column filters, a date range and a sort.

Pure functions over DataFrames (no Streamlit). Every filter works on the loaders' typed frames
and returns rows unchanged, so what is downloaded is exactly the rows shown, with their types.
Values are compared as text (`cell_text`) so a filter read from a URL matches the table.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd


# Schema kinds -> the filter a column gets.
_VALUE_KINDS = {"enum", "lang", "bool", "ref", "refs"}
_TEXT_KINDS = {"text", "url"}
_DATE_KINDS = {"date", "partial_date"}
MAX_VALUE_OPTIONS = 60  # str/slug/int columns with more distinct values get a range or a "contains" box


@dataclass(frozen=True)
class Filters:
    query: str = ""
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, allowed values as cell_text)
    ranges: tuple[tuple[str, float | None, float | None], ...] = ()  # (column, low, high), inclusive
    contains: tuple[tuple[str, str], ...] = ()  # (column, text)
    date_column: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort_by: str | None = None
    descending: bool = False

    @property
    def active(self) -> bool:
        """True when any filter (not the sort) narrows the rows."""
        return bool(self.query.strip() or any(v for _, v in self.values) or
                    any(lo is not None or hi is not None for _, lo, hi in self.ranges) or
                    any(s.strip() for _, s in self.contains) or
                    (self.date_column and (self.date_from or self.date_to)))


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def cell_text(v) -> str:
    """One cell as text: ISO dates, ';'-joined lists, 5000.0 -> '5000', '' for missing."""
    if isinstance(v, (list, tuple)):
        return ";".join(map(str, v))
    if _missing(v):
        return ""
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def filter_kind(kind: str, series: pd.Series) -> str | None:
    """'values' (pick from a list), 'range' (numbers), 'contains' (free text) or 'date'."""
    if kind in _DATE_KINDS:
        return "date"
    if kind in _VALUE_KINDS:
        return "values"
    if kind == "number":
        return "range"
    if kind in _TEXT_KINDS:
        return "contains"
    distinct = series.map(cell_text).nunique()
    if kind == "int":
        return "values" if distinct <= MAX_VALUE_OPTIONS else "range"
    return "values" if distinct <= MAX_VALUE_OPTIONS else "contains"


def filter_kinds(df: pd.DataFrame, kinds: dict[str, str]) -> dict[str, str]:
    """The filter each column of df gets, from its schema kind (columns not in kinds are skipped)."""
    return {c: k for c in df.columns if c in kinds and (k := filter_kind(kinds[c], df[c])) is not None}


def value_options(series: pd.Series) -> list[str]:
    """The distinct non-empty values of a column as text, lists split into their ids, sorted."""
    found: set[str] = set()
    for v in series:
        if isinstance(v, (list, tuple)):
            found.update(map(str, v))
        elif not _missing(v):
            found.add(cell_text(v))
    return sorted(found, key=lambda s: (s.casefold(), s))


def _values_mask(series: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    wanted = set(allowed)
    return series.map(lambda v: bool(wanted & set(map(str, v))) if isinstance(v, (list, tuple)) else cell_text(v) in wanted)


def _partial_date(v):
    """Dates and 'YYYY' / 'YYYY-MM' / 'YYYY-MM-DD' text -> Timestamp of the first day; else NaT."""
    if isinstance(v, (pd.Timestamp, dt.date)):
        return pd.Timestamp(v)
    if isinstance(v, str):
        parts = (v.split("-") + ["01", "01"])[:3]
        return pd.to_datetime("-".join(parts), errors="coerce")
    return pd.NaT


def as_dates(series: pd.Series) -> pd.Series:
    """A date column as datetime64; partial dates count from their first day ('undated' is NaT)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    return pd.to_datetime(series.map(_partial_date), errors="coerce")


def text_search(df: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows where every word of query appears in some cell (case-insensitive; Chinese works as-is)."""
    words = [w.casefold() for w in query.split()]
    if not words or df.empty:
        return df
    haystack = df.apply(lambda row: "\u241f".join(cell_text(v) for v in row).casefold(), axis=1)
    mask = pd.Series(True, index=df.index)
    for w in words:
        mask &= haystack.str.contains(w, regex=False)
    return df[mask]


def filter_values(df: pd.DataFrame, column: str, allowed) -> pd.DataFrame:
    """Rows whose value (or any id of a list) is one of allowed; nothing allowed = no filter."""
    if not allowed or column not in df.columns:
        return df
    return df[_values_mask(df[column], tuple(allowed))]


def filter_range(df: pd.DataFrame, column: str, low=None, high=None) -> pd.DataFrame:
    """Rows with low <= value <= high; a missing value is dropped once a bound is set."""
    if (low is None and high is None) or column not in df.columns:
        return df
    values = pd.to_numeric(df[column], errors="coerce").astype("float64")
    mask = values.notna()
    if low is not None:
        mask &= values >= low
    if high is not None:
        mask &= values <= high
    return df[mask.fillna(False).astype(bool)]


def filter_contains(df: pd.DataFrame, column: str, text: str) -> pd.DataFrame:
    if not text or not text.strip() or column not in df.columns:
        return df
    needle = text.strip().casefold()
    return df[df[column].map(lambda v: needle in cell_text(v).casefold())]


def filter_dates(df: pd.DataFrame, column: str | None, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Rows dated start..end inclusive; undated rows are dropped once a bound is set."""
    if not column or column not in df.columns or (start is None and end is None):
        return df
    dates = as_dates(df[column])
    mask = dates.notna()
    if start is not None:
        mask &= dates >= pd.Timestamp(start)
    if end is not None:
        mask &= dates <= pd.Timestamp(end)
    return df[mask.fillna(False).astype(bool)]


def sort_rows(df: pd.DataFrame, column: str | None, descending: bool = False) -> pd.DataFrame:
    """A stable sort; missing values last either way. No column = file order."""
    if not column or column not in df.columns:
        return df
    s = df[column]
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        key = s
    else:
        key = s.map(lambda v: cell_text(v).casefold())
        key = key.where(key != "")  # empty text sorts last, like a missing number
    order = key.sort_values(ascending=not descending, kind="mergesort", na_position="last").index
    return df.loc[order]


def apply(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Every filter, then the sort. The result holds the original rows, untouched."""
    out = text_search(df, f.query)
    for column, allowed in f.values:
        out = filter_values(out, column, allowed)
    for column, low, high in f.ranges:
        out = filter_range(out, column, low, high)
    for column, text in f.contains:
        out = filter_contains(out, column, text)
    out = filter_dates(out, f.date_column, f.date_from, f.date_to)
    return sort_rows(out, f.sort_by, f.descending)


def cited_source_ids(df: pd.DataFrame, columns: list[str]) -> list[str]:
    """Source ids referenced by the rows, in the given columns (single ids or lists)."""
    found: set[str] = set()
    for c in columns:
        if c in df.columns:
            for v in df[c]:
                if isinstance(v, (list, tuple)):
                    found.update(map(str, v))
                elif not _missing(v):
                    found.add(str(v))
    return sorted(found)


def cited_sources(df: pd.DataFrame, columns: list[str], sources: pd.DataFrame) -> pd.DataFrame:
    """The sources table restricted to what the rows cite: the provenance to ship beside them."""
    ids = set(cited_source_ids(df, columns))
    return sources[sources["id"].isin(ids)]


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """For the on-screen table: lists shown as '; '-joined ids. (The table toolbar's own CSV
    download is switched off in .streamlit/config.toml, so text is shown as published.)"""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out
