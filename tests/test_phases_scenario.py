"""The scenario tool: reach_dates as a pure function, and the page reading its inputs from the URL."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders.datasets import load_all
from metrics import phases
from metrics import progress
from metrics import scenario
from tests.apptest import run_page
from ui.i18n import t


def test_reach_date_for_a_given_input():
    # 11,000 cameras on 1 Apr 2026, 20,000 a year: 49,000 more take 2.45 years, i.e. 895 days.
    out = scenario.reach_dates(11_000, "2026-04-01", 20_000, {"t60": 60_000, "t66": 66_500})
    assert out["t60"] == pd.Timestamp("2028-09-12")
    assert out["t66"] == pd.Timestamp("2026-04-01") + pd.Timedelta(days=round(55_500 / 20_000 * scenario.DAYS_PER_YEAR))


def test_targets_as_target_records_are_keyed_by_figure_id():
    targets = [scenario.Target("a", 5_000, pd.Timestamp("2027-01-01")), scenario.Target("b", 1_000, pd.Timestamp("2027-01-01"))]
    out = scenario.reach_dates(2_000, dt.date(2026, 1, 1), 3_000, targets)
    assert out == {"a": pd.Timestamp("2027-01-01"), "b": pd.Timestamp("2026-01-01")}  # b is already met on the start date


@pytest.mark.parametrize("rate", [0, -10, None, float("nan")])
def test_no_positive_pace_never_reaches_a_target(rate):
    assert scenario.reach_dates(100, "2026-01-01", rate, {"t": 200}) == {"t": None}


def test_on_time_compares_with_the_deadline():
    target = scenario.Target("t", 60_000, pd.Timestamp("2028-12-31"))
    assert scenario.on_time(pd.Timestamp("2028-09-12"), target) is True
    assert scenario.on_time(pd.Timestamp("2029-01-01"), target) is False
    assert scenario.on_time(None, target) is None


def test_curve_starts_at_the_start_value_and_rises_at_the_pace():
    c = scenario.curve(11_000, "2026-04-01", 20_000, "2028-04-01")
    assert c.iloc[0].tolist() == [pd.Timestamp("2026-04-01"), 11_000]
    assert c.iloc[-1]["cameras"] == pytest.approx(11_000 + 20_000 * (pd.Timestamp("2028-04-01") - pd.Timestamp("2026-04-01")).days / scenario.DAYS_PER_YEAR)
    assert c["cameras"].is_monotonic_increasing


def _targets_and_base():
    b = load_all()
    views = phases.phase_views(b["phases"], b["figures"], b["safeguards"], b["safeguard_entries"], phases.reference_date(b["sources"]))
    targets = [scenario.Target(v.camera_target["id"], float(v.camera_target["value"]), phases.deadline(v.camera_target, v.phase))
               for v in views if v.camera_target is not None and v.status != "past"]
    return b, views, targets


def test_scenario_inputs_in_the_url_drive_the_reach_dates():
    b, views, targets = _targets_and_base()
    at = run_page("phases", "en", query={"s_rate": "10000", "s_start": "2027-01-01",
                                                "s_base": t("phases.basis.installed_by_police", "en")})
    assert not at.exception
    assert at.number_input(key="s_rate").value == 10_000
    assert at.date_input(key="s_start").value == dt.date(2027, 1, 1)
    base = progress.headline_record(progress.latest_records(b["figures"], "installed_by_police"))
    expected = scenario.reach_dates(float(base["value"]), "2027-01-01", 10_000, targets)
    shown = [m.value for m in at.metric]
    for tg in targets:
        when = expected[tg.figure_id]
        assert when.strftime("%b %Y") in shown, tg.figure_id


def test_the_published_plan_is_the_default_scenario():
    b, views, targets = _targets_and_base()
    current = next(v for v in views if v.status == "current")
    at = run_page("phases", "en")
    assert at.number_input(key="s_rate").value == current.published_pace[0]["value"]
    assert at.date_input(key="s_start").value == current.phase["start"].date()
    assert at.selectbox(key="s_base").value == "in_system_total"
