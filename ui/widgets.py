"""Streamlit pieces every page uses to cite: a sources popover, a table of records with links."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.charts.common import CONFIG
from ui.present import Presenter, unique_records


def chart(fig: go.Figure, key: str, alt: str, table: pd.DataFrame | None = None, table_label: str | None = None) -> None:
    """A plotly chart with its text alternative: `alt` (its accessible name, stating its message)
    and, when given, the same numbers as a table behind a "read as a table" expander."""
    st.plotly_chart(fig, width="stretch", key=key, config=CONFIG, alt=alt)
    if table is not None and len(table):
        with st.expander(table_label or ""):
            st.dataframe(table, hide_index=True, width="stretch")


def sources_popover(pr: Presenter, records, key: str, extra_sources: Iterable[str] = (), render=None, notes: bool = True) -> None:
    """Every record behind the numbers beside it (value, date, source, verbatim quote), behind one
    "Sources (n)" disclosure.

    `render(pr, record) -> markdown` overrides how a record reads (e.g. safeguard entries).
    """
    unique = unique_records(records)
    extra = list(extra_sources)
    n = len(unique) + len(extra)
    if not n:
        return
    # An expander, not a popover: a popover's content is drawn at the end of the page, so a
    # keyboard reached its links only after everything else; an expander's follow its button.
    with st.expander(pr.t("present.sources_button", n=n), key=key, type="compact"):
        for i, r in enumerate(unique):
            if i:
                st.divider()
            st.markdown(render(pr, r) if render else pr.cite_md(r, note=notes))
        for i, sid in enumerate(extra, start=len(unique)):
            if i:
                st.divider()
            st.markdown(pr.citation_md(sid))


def records_table(pr: Presenter, df: pd.DataFrame, first: dict | None = None, date_col: str = "as_of") -> None:
    """Records as a table with source and link (dataframe cells are never rendered as Markdown)."""
    rows = df.to_dict("records")
    link = pr.t("progress.col.link")
    date_key = "progress.col.stated" if date_col == "stated" else "progress.col.date"
    st.dataframe(pd.DataFrame({
        pr.t(date_key): [pr.date(r[date_col], r["as_of_precision"] if date_col == "as_of" else "day") for r in rows],
        **(first or {}),
        pr.t("progress.col.value"): [pr.value(r) for r in rows],
        pr.t("progress.col.source"): [pr.source_label(r["source"]) for r in rows],
        link: [pr.source_url(r["source"]) for r in rows],
        pr.t("progress.col.quote"): [r["quote"] for r in rows],
    }), hide_index=True, width="stretch",
        column_config={link: st.column_config.LinkColumn(display_text=pr.t("progress.col.open"))})


def open_matters(pr: Presenter, fr, key: str, ids: Iterable[str] | None = None) -> None:
    """Each open matter with its last published statement and the search that found nothing later."""
    from ui.content import freshness as words

    wanted = None if ids is None else set(ids)
    for m in fr.matters:
        if wanted is not None and m.id not in wanted:
            continue
        with st.container(border=True):
            st.markdown(words.matter_md(m, pr))
            if m.last_source:
                with st.expander(pr.t("present.sources_button", n=1), key=f"{key}_{m.id}", type="compact"):
                    st.markdown(words.matter_citation_md(m, pr))
