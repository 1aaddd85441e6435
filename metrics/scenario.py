"""Scenario tool: a straight-line installation pace against the published targets.

Pure arithmetic on the user's inputs (cameras per year from a start date and a published starting
count). Nothing here is a forecast: the page labels every result as a scenario, and the published
plan is only one preset of the same inputs.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

DAYS_PER_YEAR = 365.25  # average year, so a pace "per year" spans leap years evenly
# Reach dates after this are not computed as dates (pandas stops at 2262, and a date centuries
# away says nothing a reader can use): they are "not reached before 2100".
HORIZON = pd.Timestamp("2100-12-31")


class _Beyond:
    """The reach date of a pace so slow it does not reach the target before HORIZON."""

    def __repr__(self) -> str:
        return f"BEYOND({HORIZON.year})"


BEYOND = _Beyond()


@dataclass(frozen=True)
class Target:
    """A published target: a figure id, its value (cameras) and its deadline."""

    figure_id: str
    value: float
    deadline: pd.Timestamp
    deadline_precision: str = "day"


def _ts(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def reach_date(start_value: float, start_date, per_year: float, target_value: float) -> pd.Timestamp | None:
    """The day a straight line from (start_date, start_value) at per_year reaches target_value.

    None when it never does (no pace, or a negative one); BEYOND when it is not reached before
    HORIZON. A target already met is reached on the start date.
    """
    start = _ts(start_date)
    remaining = float(target_value) - float(start_value)
    if remaining <= 0:
        return start
    if per_year is None or not math.isfinite(per_year) or per_year <= 0:
        return None
    days = remaining / float(per_year) * DAYS_PER_YEAR
    if days > (HORIZON - start).days:
        return BEYOND
    return start + pd.Timedelta(days=round(days))  # nearest day, as metrics/progress.reach_date


def reach_dates(start_value: float, start_date, per_year: float, targets) -> dict:
    """{target key: date reached or None} for targets given as {key: value} or [Target, ...]."""
    if isinstance(targets, dict):
        items = targets.items()
    else:
        items = ((t.figure_id, t.value) for t in targets)
    return {key: reach_date(start_value, start_date, per_year, value) for key, value in items}


def on_time(reached: pd.Timestamp | None, target: Target) -> bool | None:
    """Whether a reach date meets the target's deadline (None when never reached)."""
    if reached is None:
        return None
    return False if reached is BEYOND else reached <= target.deadline


def curve(start_value: float, start_date, per_year: float, until) -> pd.DataFrame:
    """Cumulative cameras at the start date, each 1 January after it, and the end date (for the chart)."""
    start, end = _ts(start_date), min(_ts(until), HORIZON)
    if end < start:
        end = start
    points = [start] + [pd.Timestamp(dt.date(y, 1, 1)) for y in range(start.year + 1, end.year + 1)] + [end]
    points = sorted(set(points))
    rate = max(float(per_year or 0), 0.0)
    values = [float(start_value) + rate * (p - start).days / DAYS_PER_YEAR for p in points]
    return pd.DataFrame({"date": points, "cameras": values})
