"""Phases side by side: targets, latest counts, gaps, paces, safeguards per phase, the timeline; and the page.

Checks against data/ compute their expectations from the records; rule tests use small synthetic
frames built here (never shown).
"""
from __future__ import annotations

import pandas as pd
import pytest

from loaders import schema
from loaders.datasets import load_all, to_frame
from metrics import phases as phases_metrics
from metrics import progress
from tests.apptest import all_text, html_text, run_page
from ui.i18n import t


@pytest.fixture(scope="module")
def bundle():
    return load_all()


@pytest.fixture(scope="module")
def views(bundle):
    return phases_metrics.phase_views(bundle["phases"], bundle["figures"], bundle["safeguards"], bundle["safeguard_entries"],
                          phases_metrics.reference_date(bundle["sources"]))


def by_number(views, n):
    return next(v for v in views if v.phase["number"] == n)


def test_reference_date_is_when_the_sources_were_last_read(bundle):
    assert phases_metrics.reference_date(bundle["sources"]) == bundle["sources"]["accessed"].max()


def test_one_view_per_phase_in_order(bundle, views):
    assert [v.phase["number"] for v in views] == sorted(bundle["phases"]["number"])


def test_latest_counts_are_the_progress_metric_records(bundle, views):
    for v in views:
        until = min(v.phase["end"], phases_metrics.reference_date(bundle["sources"]))
        for basis in phases_metrics.ALL_COUNT_BASES:
            expected = progress.latest_records(bundle["figures"][bundle["figures"]["as_of"] <= until], basis)
            assert [r["id"] for r in v.delivered[basis]] == list(expected["id"])


def test_gap_is_target_minus_latest_count_for_each_basis(views):
    for v in views:
        for g in v.gaps:
            assert g.value == float(g.target["value"]) - float(g.delivered["value"])
            if g.per_year is not None:
                assert g.per_year == pytest.approx(g.value / ((g.due - g.pace_from).days / phases_metrics.DAYS_PER_YEAR))


def test_a_target_of_unresolved_scope_is_measured_from_both_counts(views):
    scoped = [v for v in views if v.camera_target and v.camera_target["claim"] in phases_metrics.SCOPE_UNRESOLVED_CLAIMS and v.status != "future"]
    assert scoped
    for v in scoped:
        assert {g.basis for g in v.gaps} == set(phases_metrics.DELIVERED_BASES)


def test_a_police_installation_target_is_measured_from_the_police_count_only(views):
    past = [v for v in views if v.status == "past" and v.gaps]
    assert past
    for v in past:
        assert {g.basis for g in v.gaps} == {"installed_by_police"}
        assert all(g.per_year is None for g in v.gaps)  # a phase that ended needs no pace


def test_a_future_phase_starts_from_the_previous_phase_target(views):
    future = [v for v in views if v.status == "future"]
    for v in future:
        before = by_number(views, v.phase["number"] - 1)
        assert [g.basis for g in v.gaps] == ["plan"]
        assert v.baseline["id"] == before.camera_target["id"]


def test_deadline_is_capped_at_the_phase_end():
    phase = {"end": pd.Timestamp("2031-03-31")}
    assert phases_metrics.deadline({"as_of": pd.Timestamp("2031-12-31")}, phase) == pd.Timestamp("2031-03-31")
    assert phases_metrics.deadline({"as_of": pd.Timestamp("2028-12-31")}, {"end": pd.Timestamp("2028-12-31")}) == pd.Timestamp("2028-12-31")


def _frames(target_unit: str):
    figs = to_frame([
        {"id": "t", "as_of": "2025-12-31", "as_of_precision": "year", "stated": "2024-07-01", "value": 2000, "qualifier": "exact",
         "unit": target_unit, "basis": "target_total", "topic": "target", "claim": "target-x", "programme": "smartview", "phase": 1,
         "source": "s", "quote": "q", "quote_lang": "en"},
        {"id": "c", "as_of": "2025-12-31", "as_of_precision": "year", "stated": "2026-02-01", "value": 5000, "qualifier": "about",
         "unit": "camera", "basis": "installed_by_police", "topic": "rollout",
         "claim": progress.SERIES_CLAIMS["installed_by_police"][0], "programme": "smartview",
         "source": "s", "quote": "q", "quote_lang": "en"},
    ], schema.FIGURES)
    phases = to_frame([{"id": "phase-1", "number": 1, "name_en": "P1", "name_zh": "P1", "start": "2024-04-01", "end": "2025-12-31",
                        "end_precision": "year", "promise_en": "x", "target_figure": "t", "sources": ["s"]}], schema.PHASES)
    empty_sg = to_frame([], schema.SAFEGUARDS)
    empty_entries = to_frame([], schema.SAFEGUARD_ENTRIES, extra=("safeguard", "seq"))
    return phases, figs, empty_sg, empty_entries


def test_a_target_in_sets_is_never_compared_with_cameras():
    v = phases_metrics.phase_views(*_frames("set"), pd.Timestamp("2026-11-26"))[0]
    assert v.camera_target is None and v.gaps == [] and v.gap_note == "sets"


def test_a_camera_target_gets_a_gap():
    v = phases_metrics.phase_views(*_frames("camera"), pd.Timestamp("2026-11-26"))[0]
    assert [(g.basis, g.value) for g in v.gaps] == [("installed_by_police", -3000.0)]


def test_visible_targets_drop_increments_restated_as_totals():
    rows = [{"id": "a", "as_of": pd.Timestamp("2025-12-31"), "value": 1385.0, "unit": "set", "basis": "target_additional"},
            {"id": "b", "as_of": pd.Timestamp("2025-12-31"), "value": 2000.0, "unit": "set", "basis": "target_total"},
            {"id": "c", "as_of": pd.Timestamp("2025-12-31"), "value": 2000.0, "unit": "set", "basis": "target_total"},
            {"id": "d", "as_of": pd.Timestamp("2031-12-31"), "value": 6500.0, "unit": "camera", "basis": "target_additional"}]
    out = phases_metrics.visible_targets(rows)
    assert [(r["id"], r["n"]) for r in out] == [("b", 2), ("d", 1)]


def test_safeguards_per_phase_keep_the_curated_status_and_count_entries_in_the_window(bundle, views):
    entries = bundle["safeguard_entries"]
    ref = phases_metrics.reference_date(bundle["sources"])
    for v in views:
        until = min(v.phase["end"], ref)
        for sg in v.safeguards:
            status = bundle["safeguards"].set_index("id").loc[sg["id"], "status"]
            mine = entries[(entries["safeguard"] == sg["id"]) & (entries["date"] >= v.phase["start"]) & (entries["date"] <= until)]
            assert sg["status"] == status
            assert len(sg["entries"]) == len(mine)


def test_timeline_has_every_phase_and_cites_each_marker(bundle):
    items = phases_metrics.timeline_items(bundle["phases"], bundle["figures"])
    assert sorted(items.loc[items["kind"] == "phase", "phase"]) == sorted(bundle["phases"]["number"])
    marks = items[items["kind"].isin(("milestone", "count"))]
    assert len(marks) and marks["figure"].isin(bundle["figures"]["id"]).all()
    assert items["source"].dropna().isin(bundle["sources"]["id"]).all()


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_phases_page_renders_every_phase_in_both_languages(bundle, lang):
    at = run_page("phases", lang)
    assert not at.exception
    text = all_text(at)
    assert "⟦" not in text
    assert "nan" not in text.split() and "None" not in text.split()
    assert t("phases.title", lang) in [h.value for h in at.title]
    name = "name_zh" if lang == "zh-Hant" else "name_en"
    comparison = html_text(at)[0]
    for n in bundle["phases"][name]:
        assert n in comparison


def test_phases_page_labels_the_gap_as_derived_with_its_arithmetic(views):
    at = run_page("phases", "en")
    text = all_text(at)
    g = next(g for v in views for g in v.gaps if g.basis == "in_system_total")
    assert f"{g.target['value']:,.0f} − {g.delivered['value']:,.0f}" in text
    assert "(derived)" in text
