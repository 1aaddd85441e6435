"""Helpers for Streamlit AppTest runs: run a page or the whole app with a language and URL."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def run_page(name: str, lang: str | None = None, query: dict | None = None, timeout: int = 60) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=timeout)
    params = dict(query or {})
    if lang:
        params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def run_app(lang: str | None = None, query: dict | None = None, timeout: int = 60) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in (dict(query or {}) | ({"lang": lang} if lang else {})).items():
        at.query_params[k] = v
    return at.run()


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
    return "\n".join(parts)
