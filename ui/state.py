"""Session and URL state shared by every page (the language lives in the URL: ?lang=zh-Hant)."""
from __future__ import annotations

import streamlit as st

from ui.i18n import DEFAULT_LANG, LANGS, normalise_lang, t

LANG_KEY = "lang_choice"


def lang() -> str:
    """The current language: the sidebar switch's value, else ?lang= in the URL, else English."""
    return normalise_lang(st.session_state.get(LANG_KEY) or st.query_params.get("lang"))


def language_picker() -> str:
    """The sidebar language switch; writes ?lang=<code> itself.

    Not bind="query-params": a bound selectbox puts its *label* in the URL (?lang=繁體中文),
    while links documented and shared are ?lang=zh-Hant. app.py runs this on every page, so the
    parameter is written back after each page switch (navigation drops unbound parameters).
    """
    current = lang()
    choice = st.sidebar.selectbox(
        t("sidebar.language", current), LANGS, index=LANGS.index(current),
        format_func=lambda code: t(f"lang.{code}", current), key=LANG_KEY, on_change=_write_lang_to_url,
    )
    if choice != DEFAULT_LANG and st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice  # put back after a page switch dropped it
    return choice


def _write_lang_to_url() -> None:
    # In the change callback, before the rerun: set there, the address bar follows at once.
    # English is written as ?lang=en, not deleted: an emptied query string is not pushed to the
    # address bar, which would keep a stale ?lang=zh-Hant.
    st.query_params["lang"] = st.session_state[LANG_KEY]
