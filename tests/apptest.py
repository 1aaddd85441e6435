"""Helpers for Streamlit AppTest runs: every page through app.py in navigation mode, as `make run` serves it."""
from __future__ import annotations

import html
import re
from contextlib import contextmanager

import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.serve import declare_navigation_mode


class _NavigationPagesManager(PagesManager):
    """AppTest builds a PagesManager per run, which sees pages/ and picks the old multipage mode;
    ui.serve declares navigation mode before the server starts, so the tests do the same."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        declare_navigation_mode()


@contextmanager
def navigation_mode():
    saved = app_test_module.PagesManager
    app_test_module.PagesManager = _NavigationPagesManager
    try:
        yield
    finally:
        app_test_module.PagesManager = saved


class AppRun(AppTest):
    """AppTest whose every run (first run, widget interactions, reruns) goes through app.py in navigation mode."""

    def _run(self, *args, **kwargs) -> "AppRun":
        with navigation_mode():
            return super()._run(*args, **kwargs)


def app(lang: str | None = None, query: dict | None = None, timeout: int = 60) -> AppRun:
    at = AppRun(ROOT / "app.py", default_timeout=timeout)
    for k, v in (dict(query or {}) | ({"lang": lang} if lang else {})).items():
        at.query_params[k] = v
    return at


def run_page(name: str, lang: str | None = None, query: dict | None = None, timeout: int = 60) -> AppRun:
    """One page as a reader opening its link gets it: app.py's frame, the page, the footer."""
    at = app(lang, query, timeout)
    if name != "progress":  # the default page ("/")
        at.switch_page(f"pages/{name}.py")
    return at.run()


def run_app(lang: str | None = None, query: dict | None = None, timeout: int = 60) -> AppRun:
    return app(lang, query, timeout).run()


def all_text(at: AppTest) -> str:
    """Every piece of text AppTest can see, for content assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text", "latex", "code"):
        parts.extend(str(getattr(e, "value", "")) for e in getattr(at, kind))
    for m in at.metric:
        parts.extend([str(m.label), str(m.value), str(getattr(m, "delta", "") or "")])
    for e in at.expander:
        parts.append(str(getattr(e, "label", "")))
    for tab in at.tabs:
        parts.append(str(getattr(tab, "label", "")))
    parts.extend(html_text(at))
    return "\n".join(parts)


def html_text(at: AppTest) -> list[str]:
    """The text of every st.html block (tags, styles and scripts left out), one string per block."""
    out = []
    for e in at.get("html"):
        body = re.sub(r"<(style|script)\b.*?</\1>", " ", e.proto.body, flags=re.S)
        out.append(html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip())
    return out
