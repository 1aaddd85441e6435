"""The rollout-progress page's view model: every number the home page shows, computed once per data version.

Language-free: records (pandas rows / DataFrames) and derived numbers. ui/present.py turns them
into words, ui/charts/progress.py into figures, pages/progress.py lays them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.citation import newest_as_of
from metrics import progress
from metrics.conflicts import find_conflicts

PRECISION_ORDER = ("day", "month", "year", "undated")


@dataclass
class Headline:
    """One headline number: every latest record (they may disagree) and the distinct readings."""

    records: pd.DataFrame
    readings: pd.DataFrame

    @property
    def lead(self) -> pd.Series | None:
        return progress.headline_record(self.records)


@dataclass
class ProgressView:
    police: Headline
    system: Headline
    third: Headline
    target: pd.Series | None
    target_records: pd.DataFrame  # every record of the target's claim, oldest statement first
    target_conflicted: bool  # published sources disagree about the target (its claim has a conflict)
    pace: progress.Pace | None
    need: float | None  # cameras a month needed from the latest police count
    need_months: float | None
    need_system: float | None  # the same from the system total (the target's scope is not published)
    reach: pd.Timestamp | None  # when the target is reached at the published pace
    per_set_record: pd.Series | None
    per_set: tuple[float, float] | None
    population: progress.Population | None
    population_missing_2021: list[str]
    area_km2: float | None
    area_missing: list[str]
    newest: pd.Timestamp | None
    newest_precision: str | None
    counts: pd.DataFrame
    plan: pd.DataFrame
    history: pd.DataFrame
    conflicts: pd.DataFrame
    outcomes: pd.DataFrame
    cities: pd.DataFrame
    editions: dict[str, list[str]] = field(default_factory=dict)  # metric -> editions with a value
    default_editions: dict[str, str | None] = field(default_factory=dict)
    hk_density: pd.DataFrame = field(default_factory=pd.DataFrame)
    phases: pd.DataFrame = field(default_factory=pd.DataFrame)
    capabilities: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def lead(self) -> pd.Series | None:
        return self.police.lead

    @property
    def percent_police(self) -> float | None:
        return _share(self.lead, self.target)

    @property
    def percent_system(self) -> float | None:
        return _share(self.system.lead, self.target)

    @property
    def reach_years_late(self) -> float | None:
        if self.reach is None or self.target is None:
            return None
        return (self.reach - self.target["as_of"]).days / 365.25


def _share(part, whole) -> float | None:
    if part is None or whole is None or not whole["value"]:
        return None
    return float(part["value"]) / float(whole["value"]) * 100


def _headline(figures: pd.DataFrame, basis: str) -> Headline:
    records = progress.latest_records(figures, basis)
    return Headline(records, progress.distinct_readings(records))


def newest_observed(figures: pd.DataFrame) -> tuple[pd.Timestamp | None, str | None]:
    """The newest observed date (the citation's rule: as_of up to the newest statement) and its finest precision."""
    newest = newest_as_of(figures)
    if newest is None:
        return None, None
    newest = pd.Timestamp(newest)
    precisions = figures.loc[figures["as_of"] == newest, "as_of_precision"]
    return newest, min(precisions, key=PRECISION_ORDER.index)


def conflicts_of(bundle) -> pd.DataFrame:
    return find_conflicts(bundle["figures"], bundle["capability_events"])


def hk_points(police, system, target) -> list[dict]:
    """Hong Kong's SmartView path on the cities' scale: latest police count, latest system total, the target."""
    out = []
    for key, r in (("police_now", police), ("system_now", system), ("target", target)):
        if r is not None:
            out.append({"key": key, "date": r["as_of"], "precision": r["as_of_precision"], "cameras": r["value"],
                        "qualifier": r["qualifier"], "figure": r["id"]})
    return out


def progress_view(bundle, conflicts: pd.DataFrame | None = None) -> ProgressView:
    figures, districts, phases = bundle["figures"], bundle["districts"], bundle["phases"]
    conflicts = conflicts_of(bundle) if conflicts is None else conflicts
    police = _headline(figures, "installed_by_police")
    system = _headline(figures, "in_system_total")
    third = _headline(figures, "connected_third_party")
    lead = police.lead
    target = progress.target_record(figures, phases)
    target_records = figures[figures["claim"] == target["claim"]].sort_values("stated") if target is not None else figures.iloc[0:0]
    pace = progress.recent_pace(figures)
    need = need_months = need_system = reach = None
    if target is not None and lead is not None:
        need, need_months = progress.needed_pace(lead["value"], lead["as_of"], target["value"], target["as_of"])
        if system.lead is not None:
            need_system, _ = progress.needed_pace(system.lead["value"], system.lead["as_of"], target["value"], target["as_of"])
    if pace is not None and pace.per_month is not None and target is not None:
        reach = progress.reach_date(lead["value"], lead["as_of"], target["value"], pace.per_month)
    per_set = progress.per_set_range(figures)
    pop = progress.population(districts)
    area = progress.land_area_km2(districts)
    newest, precision = newest_observed(figures)
    cities = bundle["cities"]
    metrics = ("per_1000", "per_km2")
    density = progress.smartview_density(hk_points(lead, system.lead, target), pop, area)
    return ProgressView(
        police=police, system=system, third=third, target=target, target_records=target_records,
        target_conflicted=bool(target is not None and len(conflicts) and (conflicts["claim"] == target["claim"]).any()),
        pace=pace, need=need, need_months=need_months, need_system=need_system, reach=reach,
        per_set_record=progress.cameras_per_set(figures), per_set=per_set, population=pop,
        population_missing_2021=progress.districts_missing(districts, "population_2021"),
        area_km2=area, area_missing=progress.districts_missing(districts, "area_km2"),
        newest=newest, newest_precision=precision,
        counts=progress.counts(figures, per_set=per_set), plan=progress.plan_path(phases, figures, per_set),
        history=progress.target_history(figures), conflicts=conflicts, outcomes=progress.outcomes(figures), cities=cities,
        editions={m: progress.editions(cities, m) for m in metrics},
        default_editions={m: progress.default_edition(cities, m) for m in metrics},
        hk_density=density, phases=phases, capabilities=bundle["capabilities"],
    )
