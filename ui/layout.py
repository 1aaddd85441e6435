"""The frame every page shares: sidebar freshness, problems warning, citations and the footer."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders.datasets import Bundle
from ui import escape, fmt
from ui.i18n import t


def newest_as_of(figures: pd.DataFrame):
    """The newest observed date: as_of dates up to the newest statement (future targets excluded)."""
    if figures.empty:
        return None
    observed = figures.loc[figures["as_of"] <= figures["stated"].max(), "as_of"]
    return observed.max() if len(observed) else None


def sidebar(bundle: Bundle, lang: str) -> None:
    figures = bundle["figures"]
    newest = newest_as_of(figures)
    st.sidebar.caption(t("sidebar.freshness", lang, date=fmt.date(newest, "day", lang)))
    st.sidebar.caption(t("sidebar.counts", lang, figures=len(figures), sources=len(bundle["sources"])))


def problems_warning(bundle: Bundle, lang: str, files: tuple[str, ...] | None = None) -> None:
    """Warn about bad data, naming file, line and field; the page goes on rendering."""
    problems = bundle.problems if files is None else bundle.problems_in(*files)
    if not problems:
        return
    lines = "\n".join(f"- {escape.md(str(p))}" for p in problems[:50])
    more = f"\n- … (+{len(problems) - 50})" if len(problems) > 50 else ""
    st.warning(f"**{t('problems.title', lang, n=len(problems))}**\n\n{lines}{more}")


def source_label(bundle: Bundle, source_id: str) -> str:
    """Plain 'Publisher (date)' for hovers, tables and popover labels (escape before HTML)."""
    s = bundle.source(source_id)
    return f"{s['publisher']} ({s['published']})" if s else str(source_id)


def citation(bundle: Bundle, source_id: str, lang: str, quote: str | None = None, quote_lang: str | None = None) -> str:
    """Markdown: publisher, title (linked), date, copy warning, and the verbatim quote."""
    s = bundle.source(source_id)
    if s is None:
        return f"{t('common.source', lang)}: {escape.md(source_id)}"
    url = s["url"].replace(")", "%29").replace(" ", "%20")
    text = f"{t('common.source', lang)}: {escape.md(s['publisher'])}, [{escape.md(s['title'])}]({url}) ({escape.md(s['published'])})"
    if not s["original"]:
        text += f" — _{t('common.copy_of', lang, publisher=escape.md(s['original_publisher'] or '?'))}_"
    if quote:
        text += f"\n\n> {escape.md(quote)}\n\n_{t('common.quote_lang', lang, language=t(f'quote_lang.{quote_lang}', lang))}_"
    return text


def footer(bundle: Bundle, lang: str) -> None:
    st.divider()
    st.caption(t("footer.sources", lang, n=len(bundle["sources"])))
    st.caption(t("footer.licence", lang))
    st.caption(t("footer.about", lang))
