"""What ui/serve.py and PrebuiltDeck rely on inside Streamlit: these fail if an upgrade changes it."""
from __future__ import annotations

import json

import pytest
import streamlit.runtime.scriptrunner.script_runner as script_runner
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.apptest import run_page
from tests.conftest import ROOT
from ui.serve import APP, declare_navigation_mode


@pytest.fixture
def restore_switch():
    saved = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = saved


def test_a_fresh_server_would_pick_the_old_multipage_mode_for_app_py(restore_switch):
    # The problem ui/serve.py solves: pages/ beside app.py means "old mode" until told otherwise.
    PagesManager.uses_pages_directory = None
    PagesManager(str(APP), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True


def test_declaring_navigation_mode_survives_the_pages_manager(restore_switch):
    declare_navigation_mode()
    PagesManager(str(APP), setup_watcher=False)
    assert PagesManager.uses_pages_directory is False


def test_the_app_runs_in_navigation_mode_never_through_the_old_wrapper(monkeypatch):
    # The script runner picks the old multipage wrapper by this switch; if it ran, this raises.
    assert callable(script_runner._mpa_v1)

    def old_mode(*_a, **_k):
        raise AssertionError("app.py ran through Streamlit's old pages/ wrapper, not st.navigation")

    monkeypatch.setattr(script_runner, "_mpa_v1", old_mode)
    at = run_page("map", "en", {"m_dist": "E"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="m_dist").value == "E"
    assert at.selectbox(key="lang_choice").value == "en"  # app.py's frame: the language switch


def test_prebuilt_deck_sends_its_json_and_tooltip_unchanged():
    spec = {"initialViewState": {"latitude": 22.3, "longitude": 114.1, "zoom": 10},
            "layers": [{"@@type": "ScatterplotLayer", "id": "x", "data": [{"p": [114.1, 22.3], "a": "&lt;b&gt;"}]}]}
    tooltip = {"html": "<b>{a}</b>", "style": {"fontSize": "13px"}}

    at = AppTest.from_string(
        "import json\nimport streamlit as st\nfrom ui.charts.map_deck import PrebuiltDeck\n"
        f"st.pydeck_chart(PrebuiltDeck(json.dumps({spec!r}, separators=(',', ':')), {tooltip!r}), key='deck')\n",
        default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    proto = at.get("deck_gl_json_chart")[0].proto
    assert json.loads(proto.json) == spec
    assert json.loads(proto.tooltip) == tooltip


def test_make_run_and_the_browser_suite_start_the_app_through_ui_serve():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m ui.serve" in makefile
    conftest = (ROOT / "tests" / "browser" / "conftest.py").read_text(encoding="utf-8")
    assert "ui.serve" in conftest
