"""Session and URL state shared by every page (the language lives in the URL: ?lang=zh-Hant)."""
from __future__ import annotations

import streamlit as st

from ui.i18n import LANGS, normalise_lang, t


def lang() -> str:
    """The current language: the sidebar widget's value, else the URL, else English."""
    value = st.session_state.get("lang") or st.query_params.get("lang")
    return normalise_lang(value)


def language_picker() -> str:
    """The sidebar language switch, bound to ?lang= so it survives page changes and shared links."""
    current = lang()
    # index=0: English is the default, so a chosen Chinese stays in the URL (a bound widget
    # drops its parameter when the value equals the default) and shared links keep it.
    return st.sidebar.selectbox(
        t("sidebar.language", current), LANGS, index=0,
        format_func=lambda code: t(f"lang.{code}", current), key="lang", bind="query-params",
    )
