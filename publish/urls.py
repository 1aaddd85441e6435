"""Where every page of the static edition lives, and how pages link to each other and to the live app.

One layout, stable for as long as a record keeps its id:

    index.html                          language choice
    <lang>/                             rollout progress (the home page)
    <lang>/<page>/                      map, phases, safeguards, data
    <lang>/figures/<figure id>/         one page per published figure (a permalink)
    <lang>/sources/<source id>/         one page per cited source
    <lang>/conflicts/<conflict id>/     one page per disagreement between sources
    <lang>/embed/<chart>/               a chart on its own, for an iframe; chart.svg, chart.png, figure.js beside it
    assets/, data/                      styles, scripts, plotly.js; the data package

Every internal link is relative (the edition works from any folder of any host, and from a copy).
Links to the live app are built from its own link codes (ui/url_state) and, by default, climb out
of the edition: production serves the app at / and the edition at /edition/, so from
/edition/en/map/ the app's map is ../../../map?lang=en. `--app-url` replaces that with an address.
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import urlencode

from ui import url_state
from ui.i18n import LANGS

PAGES = ("progress", "map", "phases", "safeguards", "data")
LISTS = ("figures", "sources", "conflicts")
_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def segment(record_id: str) -> str:
    """A record id as one path segment. Ids are validated slugs; anything else is refused, never mangled
    (a mangled id would make a permalink that changes when the id is fixed)."""
    text = str(record_id)
    if not _SEGMENT.match(text):
        raise ValueError(f"not a slug, cannot be a permalink: {text!r}")
    return text


def page_dir(lang: str, page: str) -> str:
    """'en/' for the home page, 'en/map/' for the others (directories: each holds an index.html)."""
    return f"{lang}/" if page == "progress" else f"{lang}/{page}/"


def list_dir(lang: str, kind: str) -> str:
    return f"{lang}/{kind}/"


def figure_dir(lang: str, figure_id: str) -> str:
    return f"{lang}/figures/{segment(figure_id)}/"


def source_dir(lang: str, source_id: str) -> str:
    return f"{lang}/sources/{segment(source_id)}/"


def conflict_dir(lang: str, conflict_id: str) -> str:
    return f"{lang}/conflicts/{segment(conflict_id)}/"


def embed_dir(lang: str, chart: str) -> str:
    return f"{lang}/embed/{segment(chart)}/"


def other_lang(lang: str) -> str:
    return next(x for x in LANGS if x != lang)


def swap_lang(path: str, lang: str) -> str:
    """The same page in the other language: 'en/figures/x/' -> 'zh-Hant/figures/x/'."""
    head, _, rest = path.partition("/")
    assert head == lang, (path, lang)
    return f"{other_lang(lang)}/{rest}"


def rel(from_dir: str, to: str) -> str:
    """A relative link from a page directory to a path inside the edition ('' is the edition's root).

    Directories keep their trailing slash; rel('en/map/', 'en/figures/x/') == '../figures/x/'.
    """
    target = "/" + to
    base = "/" + from_dir
    out = posixpath.relpath(target, base)
    if to.endswith("/") or to == "":
        out = out.rstrip("/") + "/" if out != "." else "./"
    return out


def depth(from_dir: str) -> int:
    return len([p for p in from_dir.split("/") if p])


class AppLinks:
    """Links to the live app's matching view: codes from ui/url_state, the language always given."""

    def __init__(self, app_url: str | None = None, prefix_depth: int = 0):
        self.app_url = app_url  # None: the app sits one level above the edition (production layout)
        self.prefix_depth = prefix_depth  # extra levels when pages are written under versions/<label>/

    def base(self, from_dir: str) -> str:
        if self.app_url:
            return self.app_url.rstrip("/") + "/"
        return "../" * (depth(from_dir) + self.prefix_depth + 1)

    def link(self, from_dir: str, page: str, lang: str, params: dict | None = None) -> str:
        query = dict(params or {})
        query["lang"] = lang
        path = "" if page == "progress" else page
        return self.base(from_dir) + path + "?" + urlencode(query, doseq=True)

    # -- the views the edition points at, each through the app's own codec ---------------------------
    def progress(self, from_dir: str, lang: str, **state) -> str:
        params = url_state.encode_all(url_state.progress_params(
            [state["p_ed"]] if state.get("p_ed") else [], None).params, state) if state else {}
        return self.link(from_dir, "progress", lang, params)

    def phases(self, from_dir: str, lang: str, **state) -> str:
        # Each value is written out (the codec leaves defaults out, but the app's defaults follow the data).
        params = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in state.items() if v is not None}
        return self.link(from_dir, "phases", lang, params)

    def map(self, from_dir: str, lang: str, district: str | None = None) -> str:
        state = {"m_dist": district} if district else {}
        return self.link(from_dir, "map", lang, url_state.encode_all(url_state.MAP.params, state))

    def page(self, from_dir: str, page: str, lang: str) -> str:
        return self.link(from_dir, page, lang)

    def data(self, from_dir: str, lang: str, dataset: str | None = None) -> str:
        return self.link(from_dir, "data", lang, {"d_ds": dataset} if dataset else None)
