"""The phases-and-money page's view model: phases side by side, the timeline, the budget, the scenario presets.

Computed once per data version and language (phase and safeguard names are localised in
metrics/phases.py). The scenario's result for a reader's inputs is `scenario_result`, shared by
the page and its chart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from metrics import budget as budget_metrics
from metrics import phases as phases_metrics
from metrics import progress
from metrics import scenario
@dataclass
class PhasesView:
    ref: pd.Timestamp | None  # the date the published record is read as of (sources last checked)
    phases: pd.DataFrame
    views: list[phases_metrics.PhaseView]
    timeline: pd.DataFrame
    budget: budget_metrics.Budget
    per_camera: list[budget_metrics.PerCamera]
    recurrent: pd.DataFrame
    recurrent_conflict: bool
    pace: progress.Pace | None
    figures_by_id: dict[str, dict] = field(default_factory=dict)
    # scenario presets: the current phase's published annual pace, from its start, on the system total
    targets: list[scenario.Target] = field(default_factory=list)
    bases: dict[str, dict] = field(default_factory=dict)  # count basis -> the latest published record
    current: phases_metrics.PhaseView | None = None
    preset_rate: float | None = None
    preset_start: dt.date | None = None
    preset_base: str | None = None

    @property
    def total(self) -> dict | None:
        return self.budget.total


def phases_view(bundle, lang: str) -> PhasesView:
    figures, sources, phases = bundle["figures"], bundle["sources"], bundle["phases"]
    ref = phases_metrics.reference_date(sources)
    views = phases_metrics.phase_views(phases, figures, bundle["safeguards"], bundle["safeguard_entries"], ref, lang)
    budget = budget_metrics.budget(figures)
    recurrent, conflict = budget_metrics.recurrent_costs(figures)
    targets = [scenario.Target(v.camera_target["id"], float(v.camera_target["value"]), phases_metrics.deadline(v.camera_target, v.phase),
                         v.phase["end_precision"])
               for v in views if v.camera_target is not None and v.status != "past"]
    bases = {basis: progress.headline_record(progress.latest_records(figures, basis)) for basis in phases_metrics.DELIVERED_BASES}
    bases = {k: r.to_dict() for k, r in bases.items() if r is not None}
    current = next((v for v in views if v.status == "current"), views[0] if views else None)
    preset_rate = float(current.published_pace[0]["value"]) if current is not None and current.published_pace else None
    preset_start = current.phase["start"].date() if current is not None else None
    preset_base = "in_system_total" if "in_system_total" in bases else next(iter(bases), None)
    return PhasesView(
        ref=ref, phases=phases, views=views, timeline=phases_metrics.timeline_items(phases, figures), budget=budget,
        per_camera=budget_metrics.cost_per_camera(figures, budget), recurrent=recurrent, recurrent_conflict=conflict,
        pace=progress.recent_pace(figures), figures_by_id={r["id"]: r for r in figures.to_dict("records")},
        targets=targets, bases=bases, current=current, preset_rate=preset_rate, preset_start=preset_start,
        preset_base=preset_base,
    )


@dataclass
class ScenarioResult:
    base: dict  # the published starting count
    start: pd.Timestamp
    rate: float
    reached: dict  # target figure id -> date reached, None (never) or SC.BEYOND
    curve: pd.DataFrame


def scenario_result(view: PhasesView, rate, start, base: str | None) -> ScenarioResult | None:
    """The straight line from a published count at `rate` a year from `start`, and when it meets each target."""
    if not view.targets or not view.bases:
        return None
    base_rec = view.bases.get(base) or view.bases[view.preset_base]
    start_ts = pd.Timestamp(start or view.preset_start or dt.date.today())
    rate = float(rate or 0)
    reached = scenario.reach_dates(float(base_rec["value"]), start_ts, rate, view.targets)
    dates = [d for d in reached.values() if isinstance(d, pd.Timestamp)]
    until = max([tg.deadline for tg in view.targets] + dates) + pd.DateOffset(months=6)
    return ScenarioResult(base_rec, start_ts, rate, reached, scenario.curve(float(base_rec["value"]), start_ts, rate, until))
