"""The app's caches: the data bundle, each page's view model and each chart, keyed by the data signature.

One key for everything: loaders.signature.data_signature (the content hash the citation's data
version carries), so an edited data file is picked up on the next rerun and nothing is rebuilt
while the data stays the same. Entries are shared across sessions (st.cache_resource, no copy per
rerun) and are never mutated: pages only read view models and hand figures to Streamlit.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from loaders.datasets import Bundle, data_dir, load_all
from loaders.signature import data_signature
from metrics import freshness as freshness_views
from metrics.views import data as data_views
from metrics.views import map as map_views
from metrics.views import phases as phases_views
from metrics.views import progress as progress_views
from metrics.views import safeguards as safeguards_views
from ui import briefing
from ui.charts import phases as phases_charts
from ui.charts import progress as progress_charts
from ui.charts import safeguards as safeguards_charts
from ui.present import Presenter


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(root: str, signature: str) -> Bundle:
    loaded = load_all(root)
    loaded.signature = signature
    return loaded


def bundle() -> Bundle:
    root = data_dir()
    return _load(str(root), data_signature(root))


@st.cache_resource(show_spinner=False, max_entries=8)
def presenter(signature: str, lang: str, _bundle: Bundle) -> Presenter:
    return Presenter.for_bundle(_bundle, lang)


@st.cache_resource(show_spinner=False, max_entries=4)
def conflicts(signature: str, _bundle: Bundle):
    """Conflicting figures, computed once per data version (the home page and safeguards show them)."""
    return progress_views.conflicts_of(_bundle)


# name -> (builder(bundle, lang, conflicts), whether the view depends on the language)
VIEWS: dict[str, tuple[Callable, bool]] = {
    "progress": (lambda b, lang, c: progress_views.progress_view(b, c), False),
    "phases": (lambda b, lang, c: phases_views.phases_view(b, lang), True),
    "safeguards": (lambda b, lang, c: safeguards_views.safeguards_view(b, lang, c), True),
    "map": (lambda b, lang, c: map_views.map_view(b), False),
    "data": (lambda b, lang, c: data_views.data_view(b), False),
    "freshness": (lambda b, lang, c: freshness_views.freshness(b["freshness"], b["figures"], lang), True),
}


@st.cache_resource(show_spinner=False, max_entries=16)
def _view(name: str, signature: str, lang: str, _bundle: Bundle):
    build, _ = VIEWS[name]
    return build(_bundle, lang, conflicts(signature, _bundle))


def view(name: str, loaded: Bundle, lang: str):
    """A page's view model for this data version (and language, where names are localised)."""
    _, by_lang = VIEWS[name]
    return _view(name, loaded.signature, lang if by_lang else "", loaded)


CHARTS: dict[str, tuple[str, Callable]] = {
    "progress": ("progress", progress_charts.progress_chart),
    "drift": ("progress", progress_charts.drift_chart),
    "outcomes": ("progress", progress_charts.outcomes_chart),
    "cities": ("progress", progress_charts.cities_chart),
    "timeline": ("phases", phases_charts.timeline_chart),
    "budget": ("phases", phases_charts.budget_chart),
    "scenario": ("phases", phases_charts.scenario_chart),
    "capabilities": ("safeguards", safeguards_charts.capabilities_chart),
}


@st.cache_resource(show_spinner=False, max_entries=96)
def _chart(name: str, signature: str, lang: str, options: tuple, _bundle: Bundle):
    page, draw = CHARTS[name]
    return draw(view(page, _bundle, lang), presenter(signature, lang, _bundle), **dict(options))


def chart(name: str, loaded: Bundle, lang: str, **options):
    """A chart for this data version, language and view options (built once, then shared)."""
    return _chart(name, loaded.signature, lang, tuple(sorted(options.items())), loaded)


@st.cache_data(show_spinner=False, max_entries=8)
def _briefing(signature: str, lang: str, today: str, _bundle: Bundle) -> bytes:
    return briefing.build_briefing(_bundle, lang, today).encode("utf-8")


def briefing_bytes(loaded: Bundle, lang: str, today: str) -> bytes:
    """The printable briefing's bytes, built once per data version, language and day."""
    return _briefing(loaded.signature, lang, today, loaded)


@st.cache_resource(show_spinner=False, max_entries=4)
def _timeline(signature: str, history: str, root: str):
    from loaders import changes

    return changes.timeline(root)


def timeline(loaded: Bundle):
    """Every recorded data version and the data as it is now, with the record changes between them."""
    from loaders import changes

    return _timeline(loaded.signature, changes.history_signature(), str(loaded.root))


@st.cache_data(show_spinner=False, max_entries=16)
def version_zip(signature: str, history: str, label: str, root: str) -> bytes:
    from loaders import changes

    return changes.records_zip_bytes(label, root)


@st.cache_data(show_spinner=False, max_entries=16)
def version_diff_csv(signature: str, history: str, old: str, new: str, root: str) -> bytes:
    from loaders import changes

    return changes.diff_csv_bytes(old, new, root, bom=True)
