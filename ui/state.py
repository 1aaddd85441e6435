"""Session and URL state shared by every page: the language (?lang=zh-Hant) and link-bound widgets.

Link-bound widgets are not `bind="query-params"`: that writes an option's display label into
the URL, so a link would only work in the language it was made in. Instead `seed_widgets` gives
each widget its value from the link (parsed by ui/url_state.py, which names what it could not
use) before the widgets are drawn, and `write_url` puts codes back after them. The last view of
each page is remembered for the session, so coming back through the sidebar (which drops the
query string) reopens it; a link that changed under the page (browser Back, an edited address)
wins over the remembered view.
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui import escape
from ui.i18n import DEFAULT_LANG, LANGS, normalise_lang, t
from ui.url_state import LANG, Notice, PageParams, default_value, encode_all, notice_text, parse, shown_raw

LANG_KEY = "lang_choice"
_SAVED = "_url_saved"  # page -> {key: [raw strings]} last written, for coming back through the sidebar
_DRAWN_IN = "_url_lang"  # page -> the language its link-bound widgets were last drawn in


def lang() -> str:
    """The current language: the sidebar switch's value, else ?lang= in the URL, else English."""
    return normalise_lang(st.session_state.get(LANG_KEY) or st.query_params.get("lang"))


def history_navigation() -> bool:
    """Whether this run comes from the browser's Back or Forward button.

    Streamlit 1.67 marks such runs on its script-run context (an internal, pinned by
    tests/test_state_history.py): there the address is what the reader went back to, so its
    language wins over the session's.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def language_picker() -> str:
    """The sidebar language switch; writes ?lang=<code> itself (see the module docstring).

    app.py runs this on every page, so the parameter is written back after each page switch
    (navigation drops unbound parameters). Back/Forward restore the language of the address
    they land on (no ?lang= is English: every entry made in Chinese carries it).
    """
    if history_navigation() and LANG_KEY in st.session_state:
        st.session_state[LANG_KEY] = normalise_lang(st.query_params.get("lang"))
    current = lang()
    choice = st.sidebar.selectbox(
        t("sidebar.language", current), LANGS, index=LANGS.index(current),
        format_func=lambda code: t(f"lang.{code}", current), key=LANG_KEY, on_change=_write_lang_to_url,
    )
    raw = st.query_params.get_all("lang")
    refused = parse(LANG, raw)[1] if raw else None
    if refused is not None:
        # ?lang=xx: say which language is shown instead, once (the link is corrected below).
        show_notices([refused], PageParams("app", (LANG,)), choice)
    if (choice != DEFAULT_LANG or refused is not None) and st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice  # put back after a page switch dropped it (or replace a refused value)
    return choice


def _write_lang_to_url() -> None:
    # In the change callback, before the rerun: set there, the address bar follows at once.
    # English is written as ?lang=en, not deleted: an emptied query string is not pushed to the
    # address bar, which would keep a stale ?lang=zh-Hant.
    st.query_params["lang"] = st.session_state[LANG_KEY]


def _as_raw(value) -> list[str]:
    return list(value) if isinstance(value, list) else [value]


def seed_widgets(spec: PageParams) -> list[Notice]:
    """Before a page's link-bound widgets: their values from the link, else from this session's
    last view of the page, else the defaults. Returns what the link said that could not be used."""
    saved = st.session_state.setdefault(_SAVED, {}).get(spec.page)
    query = {p.key: st.query_params.get_all(p.key) for p in spec.params}
    in_link = {k: v for k, v in query.items() if v}
    shown = any(p.key in st.session_state for p in spec.params)  # the page's widgets were drawn last run
    if shown:
        # The link changed under the page (Back/Forward, an edited address): the link wins.
        link_changed = saved is not None and in_link != {k: v for k, v in saved.items() if v}
        source = in_link
    else:
        # Opening the page: a link's values, else this session's last view (the sidebar drops the link).
        link_changed = False
        source = in_link if in_link else (saved or {})
    # After a language switch, widgets keep their identity (their key) but their option labels
    # change; Streamlit 1.67's frontend then shows the old label (selectbox) or no choice at all
    # (radio). Setting each value again makes the frontend take it from the server, relabelled.
    drawn = st.session_state.setdefault(_DRAWN_IN, {})
    relabel = drawn.get(spec.page) not in (None, lang())
    drawn[spec.page] = lang()
    notices = []
    for p in spec.params:
        if p.key in st.session_state and not link_changed:
            if not _fits(p, st.session_state[p.key]):
                # A choice that no longer exists (the data page's columns change with its table).
                st.session_state[p.key] = default_value(p)
            elif relabel:
                st.session_state[p.key] = st.session_state[p.key]
            continue  # the widget already holds the reader's choice (a rerun)
        raw = source.get(p.key)
        if raw:
            value, notice = parse(p, raw)
            if notice and raw is in_link.get(p.key):
                notices.append(notice)
        else:
            value = default_value(p)
        st.session_state[p.key] = value
    return notices


def _fits(p, value) -> bool:
    """Whether a value held for a widget is still one of its choices."""
    if p.kind == "one" and p.choices:
        return value in p.choices or value == p.default
    if p.kind == "many":
        return isinstance(value, list) and all(v in p.choices for v in value)
    return True


def write_url(spec: PageParams) -> None:
    """After the widgets: codes for every value not at its default, nothing for the rest.

    Written as one change: Streamlit pushes a browser-history entry per query-parameter change,
    so writing parameter by parameter left one Back step per parameter.
    """
    encoded = encode_all(spec.params, {p.key: st.session_state.get(p.key) for p in spec.params})
    own = {p.key for p in spec.params}
    wanted = {k: st.query_params.get_all(k) for k in st.query_params if k not in own}
    wanted.update({k: _as_raw(v) for k, v in encoded.items()})
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if wanted != current:
        st.query_params.from_dict({k: v if len(v) > 1 else v[0] for k, v in wanted.items()})
    st.session_state.setdefault(_SAVED, {})[spec.page] = {k: _as_raw(v) for k, v in encoded.items()}


def leftover_params(prefix: str, specs: Sequence[PageParams]) -> list[Notice]:
    """Link parameters of a page (named by their prefix) that none of its widgets takes now, such as
    a filter on a column that is not picked: named (reason "unused") and dropped from the link."""
    known = {p.key for spec in specs for p in spec.params}
    saved = st.session_state.setdefault(_SAVED, {})
    written = {k for spec in specs for k in (saved.get(spec.page) or {})}  # what this page put there itself
    notices = []
    for key in [k for k in st.query_params if k.startswith(prefix) and k not in known]:
        if key not in written:  # a filter the reader just took away is not news
            # The key is the link's too: shown as cautiously as its value.
            notices.append(Notice(shown_raw(key), shown_raw(",".join(st.query_params.get_all(key))), "unused", None))
        del st.query_params[key]
    return notices


def show_notices(notices: Sequence[Notice], spec: PageParams, lang_code: str) -> None:
    """One line per link value that was replaced, so a shared link never silently shows another view."""
    if notices:
        params = {p.key: p for p in spec.params}
        st.info("\n\n".join(escape.md(notice_text(n, params.get(n.param), lang_code)) for n in notices), icon=":material/link:")
