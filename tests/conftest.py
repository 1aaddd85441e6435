"""Shared fixtures: a writable copy of data/, cleared Streamlit caches, and page paths."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PAGES = sorted((ROOT / "pages").glob("*.py"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the real data directory, selected through HKCCTV_DATA_DIR, safe to break."""
    dest = tmp_path / "data"
    shutil.copytree(DATA, dest)
    monkeypatch.setenv("HKCCTV_DATA_DIR", str(dest))
    return dest


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """A cached bundle from one test must not leak into the next."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()


@pytest.fixture(scope="session")
def shipped():
    """The shipped data/, loaded once per test session (read-only: copy a frame before changing it)."""
    from loaders.datasets import REPO_DATA_DIR, load_all

    return load_all(REPO_DATA_DIR)


@pytest.fixture(scope="session")
def views(shipped):
    """The progress, phases and safeguards view models of the shipped data (phases and safeguards
    per language), for the chart and chart-text tests."""
    from metrics.views.phases import phases_view
    from metrics.views.progress import conflicts_of, progress_view
    from metrics.views.safeguards import safeguards_view
    from ui.i18n import LANGS

    conflicts = conflicts_of(shipped)
    return {"progress": progress_view(shipped, conflicts), "phases": {lang: phases_view(shipped, lang) for lang in LANGS},
            "safeguards": {lang: safeguards_view(shipped, lang, conflicts) for lang in LANGS}}


# Under pytest-xdist (make test runs `-n auto --dist loadgroup`), tests that share an expensive
# fixture stay on one worker: a browser test file (its server, its pages), the static-edition
# tests (one site build). Each worker has its own app server and Chromium (session fixtures), so
# two browser files run side by side: the browser tests mostly wait, on pages and on reruns.
# xdist 3.8's own xdist_group marks do not group under pytest 9 (checked: marked tests still
# spread over workers), so the groups are named here.
def _group_of(nodeid: str) -> str:
    if nodeid.startswith("tests/browser/"):
        return nodeid.split("::")[0]
    if nodeid.startswith("tests/test_site_"):
        return "site"
    return nodeid


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # plain pytest: no workers, nothing to group
    pass
else:
    class _SharedFixtureGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _group_of(nodeid)

    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") == "loadgroup":
            return _SharedFixtureGroups(config, log)
        return None
