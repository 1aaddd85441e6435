"""The frame every page shares: sidebar freshness, the problems warning and the footer."""
from __future__ import annotations

import streamlit as st

from loaders.datasets import Bundle
from metrics.views.progress import newest_observed
from metrics.freshness import Freshness
from ui import escape
from ui.content import freshness
from ui.present import Presenter

MAX_PROBLEMS_SHOWN = 50
HTML_LANG = {"en": "en", "zh-Hant": "zh-Hant"}


def page_language(lang: str) -> None:
    """<html lang> in the reader's language, so screen readers and fonts pick Chinese (WCAG 3.1.1).

    Streamlit 1.67 always serves lang="en" and has no setting for it; a one-line script, run as
    part of the page (st.html runs scripts only with unsafe_allow_javascript), sets it. The value
    comes from a fixed table, never from the link.
    """
    code = HTML_LANG.get(lang, "en")
    with st.sidebar:
        st.html(f'<script>document.documentElement.lang = "{code}";</script>', unsafe_allow_javascript=True)


def sidebar(bundle: Bundle, pr: Presenter, fr: Freshness) -> None:
    newest, precision = newest_observed(bundle["figures"])
    st.sidebar.caption(pr.t("sidebar.freshness", date=pr.date(newest, precision)))
    if checked := freshness.checked_line(fr, pr):
        st.sidebar.caption(checked)
    st.sidebar.caption(pr.t("sidebar.counts", figures=len(bundle["figures"]), sources=len(bundle["sources"])))


def problems_warning(bundle: Bundle, pr: Presenter, files: tuple[str, ...] | None = None) -> None:
    """Warn about bad data, naming file, line and field; the page goes on rendering."""
    problems = bundle.problems if files is None else bundle.problems_in(*files)
    if not problems:
        return
    lines = "\n".join(f"- {escape.md(str(p))}" for p in problems[:MAX_PROBLEMS_SHOWN])
    more = f"\n- … (+{len(problems) - MAX_PROBLEMS_SHOWN})" if len(problems) > MAX_PROBLEMS_SHOWN else ""
    st.warning(f"**{pr.t('problems.title', n=len(problems))}**\n\n{lines}{more}")


def footer(bundle: Bundle, pr: Presenter, fr: Freshness) -> None:
    st.divider()
    if checked := freshness.checked_line(fr, pr):
        st.caption(checked + (". " + later if (later := freshness.nothing_later(fr, pr)) else ""))
    st.caption(pr.t("footer.sources", n=len(bundle["sources"])))
    st.caption(pr.t("footer.licence"))
    st.caption(pr.t("footer.about"))
