"""Rollout progress: published counts, the official plan, pace, target history, outcomes, densities.

Pure functions over the loaded frames (no Streamlit, no strings for display). Rules kept here so
they are tested once:
- Only published records are used; nothing is interpolated except the plan path, which joins the
  plan's own stated targets with straight lines (and is labelled "official plan").
- Figures in sets are never converted: a set-figure becomes a camera *range* for drawing, using
  the published cameras-per-set record (2-3), and never enters a sum, a pace or a ratio.
- A count is "observed" when its as_of is not after the date it was stated (future dates are
  targets or projections).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.conflicts import same_period
from metrics.scenario import HORIZON

COUNT_BASES = ("installed_by_police", "connected_third_party", "in_system_total")
# The citywide running counts, by the claim that carries them. Other records with the same basis
# are not citywide counts (one district, the facial-recognition pilot, "cameras per set"), so the
# chart, headline and pace read only these claims.
SERIES_CLAIMS = {
    "installed_by_police": ("police-installed-cameras", "police-installed-sets"),
    "connected_third_party": ("third-party-connected-cameras",),
    "in_system_total": ("system-total-cameras",),
}
OUTCOME_BASES = ("cases_assisted", "arrests")
# Citywide cumulative outcomes (breakdowns by crime type are other claims).
OUTCOME_CLAIMS = {"cases_assisted": ("cases-assisted",), "arrests": ("arrests",)}
TARGET_BASES = ("target_total",)
# The published "cameras per set" record (police via HKFP, Jul 2025: two to three cameras a set).
PER_SET_CLAIM = "cameras-per-set"
AVG_MONTH_DAYS = 365.25 / 12
PACE_WINDOW_MONTHS = 12


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def months_between(start, end) -> float:
    """Months between two dates, as days / average month length (fractional)."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / AVG_MONTH_DAYS


def _smartview(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[figures["programme"] != "other"]


# --- published counts -------------------------------------------------------------------------

def cameras_per_set(figures: pd.DataFrame) -> pd.Series | None:
    """The published record saying how many cameras a set holds (value..value_high), newest stated; None if absent."""
    r = figures[(figures["claim"] == PER_SET_CLAIM) & (figures["unit"] == "camera")]
    return None if r.empty else r.sort_values(["stated", "id"], ascending=[False, True]).iloc[0]


def per_set_range(figures: pd.DataFrame) -> tuple[float, float] | None:
    r = cameras_per_set(figures)
    return None if r is None else (float(r["value"]), float(_num(r["value_high"]) or r["value"]))


def counts(figures: pd.DataFrame, bases=COUNT_BASES, per_set: tuple[float, float] | None = None) -> pd.DataFrame:
    """Observed citywide camera/set counts (SERIES_CLAIMS) for the bases, oldest first, with a camera range to draw.

    `low`/`high` are the camera range a record stands for: the value (or published range) for
    cameras; for sets, value x per_set (the published 2-3 cameras a set), or NaN when per_set is
    not given. `is_set` marks the records that must never be summed with cameras.
    """
    f = _smartview(figures)
    claims = [c for b in bases for c in SERIES_CLAIMS.get(b, ())]
    f = f[f["basis"].isin(bases) & f["claim"].isin(claims) & f["unit"].isin(("camera", "set"))
          & (f["as_of"] <= f["stated"])].copy()
    high = f["value_high"].fillna(f["value"])
    f["is_set"] = f["unit"] == "set"
    lo, hi = per_set if per_set else (float("nan"), float("nan"))
    f["low"] = f["value"].where(~f["is_set"], f["value"] * lo)
    f["high"] = high.where(~f["is_set"], high * hi)
    return f.sort_values(["as_of", "stated", "id"]).reset_index(drop=True)


def latest_records(figures: pd.DataFrame, basis: str, unit: str = "camera") -> pd.DataFrame:
    """Every observed record at the newest as_of for a basis and unit (several sources, maybe disagreeing)."""
    c = counts(figures, (basis,))
    c = c[c["unit"] == unit]
    if c.empty:
        return c
    return c[c["as_of"] == c["as_of"].max()].sort_values(["stated", "id"], ascending=[False, True]).reset_index(drop=True)


def distinct_readings(records: pd.DataFrame) -> pd.DataFrame:
    """Records grouped by what they say (value, range, unit; a qualifier alone is no disagreement).

    One row per reading, in record order (newest statement first), with the qualifier of its first
    record and every id and source that states it.
    """
    cols = ["value", "value_high", "qualifier", "unit", "as_of", "as_of_precision", "ids", "sources"]
    if records.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for _, g in records.assign(_h=records["value_high"].fillna(-1)).groupby(["value", "_h", "unit"], sort=False):
        first = g.iloc[0]
        rows.append({"value": first["value"], "value_high": _num(first["value_high"]), "qualifier": first["qualifier"],
                     "unit": first["unit"], "as_of": first["as_of"], "as_of_precision": first["as_of_precision"],
                     "ids": list(g["id"]), "sources": list(dict.fromkeys(g["source"]))})
    return pd.DataFrame(rows, columns=cols)


def headline_record(records: pd.DataFrame) -> pd.Series | None:
    """The record a headline number is read from: the newest statement among the latest records.

    When records at the same date disagree, the page shows every reading (distinct_readings);
    this only picks which one leads, by a stated rule (newest statement, then id).
    """
    return None if records.empty else records.iloc[0]


# --- target and pace --------------------------------------------------------------------------

def target_record(figures: pd.DataFrame, phases: pd.DataFrame, phase_number: int = 2) -> pd.Series | None:
    """The headline target: the figure the phases file links to phase 2 (the 2028 target).

    Falls back to the newest-stated camera target_total whose deadline is in the phase's end year,
    so a phases file without target_figure still finds it.
    """
    ph = phases[phases["number"] == phase_number] if not phases.empty else phases
    if not ph.empty:
        fid = ph.iloc[0]["target_figure"]
        hit = figures[figures["id"] == fid] if fid else figures.iloc[0:0]
        if not hit.empty:
            return hit.iloc[0]
        year = pd.Timestamp(ph.iloc[0]["end"]).year
    else:
        year = 2028
    t = figures[figures["basis"].isin(TARGET_BASES) & (figures["unit"] == "camera") & (figures["as_of"].dt.year == year)]
    return None if t.empty else t.sort_values(["stated", "id"], ascending=[False, True]).iloc[0]


@dataclass(frozen=True)
class Pace:
    """Cameras per month between two published police counts."""

    latest: pd.Series
    earlier: pd.Series | None
    months: float | None
    per_month: float | None


def recent_pace(figures: pd.DataFrame, basis: str = "installed_by_police", window_months: int = PACE_WINDOW_MONTHS) -> Pace | None:
    """Pace shown by published figures: latest camera count vs the count closest to 12 months before it.

    Cameras only (never sets). Candidates are counts strictly before the latest date; the one whose
    as_of is closest to (latest - 12 months) is used, ties to the older one. None without a latest count.
    """
    c = counts(figures, (basis,))
    c = c[c["unit"] == "camera"]
    if c.empty:
        return None
    latest = headline_record(latest_records(figures, basis))
    earlier_pool = c[c["as_of"] < latest["as_of"]]
    if earlier_pool.empty:
        return Pace(latest, None, None, None)
    aim = latest["as_of"] - pd.DateOffset(months=window_months)
    gap = (earlier_pool["as_of"] - aim).abs()
    pool = earlier_pool.assign(_gap=gap).sort_values(["_gap", "as_of", "stated", "id"], ascending=[True, True, False, True])
    earlier = pool.iloc[0].drop("_gap")
    months = months_between(earlier["as_of"], latest["as_of"])
    return Pace(latest, earlier, months, (latest["value"] - earlier["value"]) / months)


def needed_pace(current: float, current_date, target: float, target_date) -> tuple[float | None, float]:
    """(cameras per month, months left) to go from current at current_date to target by target_date."""
    months = months_between(current_date, target_date)
    if months <= 0:
        return None, months
    return (target - current) / months, months


def reach_date(current: float, current_date, target: float, per_month: float | None):
    """The date the target is reached at a constant pace; None when the pace is not positive or the
    date would fall after metrics.scenario.HORIZON (2100)."""
    if per_month is None or per_month <= 0:
        return None
    if current >= target:
        return pd.Timestamp(current_date)
    days = (target - current) / per_month * AVG_MONTH_DAYS
    if days > (HORIZON - pd.Timestamp(current_date)).days:
        return None
    return pd.Timestamp(current_date) + pd.Timedelta(days=round(days))


# --- the official plan ------------------------------------------------------------------------

PLAN_COLUMNS = ["date", "value", "low", "high", "qualifier", "unit", "phase", "kind", "precision", "figure", "sources"]


def phase_camera_target(phase: pd.Series, figures: pd.DataFrame | None) -> pd.Series | None:
    """A phase's target in cameras: its linked figure if in cameras, else the newest-stated camera
    target_total tied to the phase (figure.phase) for the phase's end date (Phase 1 was planned in
    sets, then restated in cameras in Oct 2025)."""
    if figures is None or figures.empty:
        return None
    linked = figures[figures["id"] == phase["target_figure"]]
    if not linked.empty and linked.iloc[0]["unit"] == "camera":
        return linked.iloc[0]
    t = figures[(figures["basis"] == "target_total") & (figures["unit"] == "camera") & (figures["phase"] == phase["number"])]
    t = t[[same_period(d, p, phase["end"], phase["end_precision"]) for d, p in zip(t["as_of"], t["as_of_precision"])]]
    return None if t.empty else t.sort_values(["stated", "id"], ascending=[False, True]).iloc[0]


def plan_path(phases: pd.DataFrame, figures: pd.DataFrame | None = None, per_set: tuple[float, float] | None = None) -> pd.DataFrame:
    """The path the plan promises: each phase's camera target at the phase's end date, joined in order.

    kind "end": a phase's stated camera target at its end (the phase's own date, e.g. Mar 2031).
    kind "start": where a phase starts after the previous one ended (Phase 2 begins Apr 2026), the
    path holds the previous target until then; the plan promises nothing in between.
    kind "sets": a phase target stated in sets, kept as sets, with a per-set camera range to draw.
    """
    if phases.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    rows, prev = [], None
    for _, p in phases.sort_values("number").iterrows():
        base = {"phase": int(p["number"]), "precision": p["end_precision"], "sources": list(p["sources"] or [])}
        if p["target_unit"] == "set" and _num(p["target_value"]) is not None:
            v = float(p["target_value"])
            rows.append({**base, "date": p["end"], "value": v, "unit": "set", "kind": "sets", "figure": p["target_figure"],
                         "low": v * per_set[0] if per_set else None, "high": v * per_set[1] if per_set else None,
                         "qualifier": _qualifier(figures, p["target_figure"])})
        cam = phase_camera_target(p, figures)
        if cam is not None:
            value, qualifier, fid = float(cam["value"]), cam["qualifier"], cam["id"]
        elif p["target_unit"] in (None, "camera") and _num(p["target_value"]) is not None:
            value, qualifier, fid = float(p["target_value"]), "exact", p["target_figure"]
        else:
            continue
        if prev is not None and p["start"] > prev["date"]:
            rows.append({**prev, "date": p["start"], "phase": int(p["number"]), "kind": "start", "precision": "month"})
        prev = {**base, "date": p["end"], "value": value, "low": value, "high": value, "qualifier": qualifier,
                "unit": "camera", "kind": "end", "figure": fid}
        rows.append(prev)
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def _qualifier(figures: pd.DataFrame | None, figure_id) -> str:
    if figures is None or figures.empty or not figure_id:
        return "exact"
    hit = figures.loc[figures["id"] == figure_id, "qualifier"]
    return hit.iloc[0] if len(hit) else "exact"


# --- per 1,000 residents ----------------------------------------------------------------------

@dataclass(frozen=True)
class Population:
    total: int
    year: int
    column: str
    sources: tuple[str, ...]


def population(districts: pd.DataFrame, expected: int = 18) -> Population | None:
    """Hong Kong's population as the sum of the districts, from the newest year every district is published.

    2021: Southern's census figure is not published, so the 2021 sum would be incomplete; the 2019
    (C&SD land-based non-institutional) sum is complete and is used, with its year. Never a partial sum.
    """
    for column, year in (("population_2021", 2021), ("population_2019", 2019)):
        if column in districts and len(districts) == expected and districts[column].notna().all():
            sources = tuple(dict.fromkeys(s for refs in districts["sources"] for s in (refs or [])))
            return Population(int(districts[column].sum()), year, column, sources)
    return None


def districts_missing(districts: pd.DataFrame, column: str) -> list[str]:
    """Codes of the districts whose value in column is not published."""
    if column not in districts:
        return list(districts.get("code", []))
    return list(districts.loc[districts[column].isna(), "code"])


def land_area_km2(districts: pd.DataFrame, expected: int = 18) -> float | None:
    """Total land area from the districts, only when every district's area is published."""
    if "area_km2" in districts and len(districts) == expected and districts["area_km2"].notna().all():
        return float(districts["area_km2"].sum())
    return None


def per_1000(values, pop: Population | None):
    """Cameras per 1,000 residents (None without a complete population)."""
    if pop is None:
        return None
    return values * 1000.0 / pop.total


# --- target drift -----------------------------------------------------------------------------

def target_history(figures: pd.DataFrame, bases=TARGET_BASES) -> pd.DataFrame:
    """Each published total target, in the order it was stated (sets kept as sets)."""
    f = _smartview(figures)
    f = f[f["basis"].isin(bases)]
    return f.sort_values(["stated", "as_of", "id"]).reset_index(drop=True)


# --- outcomes ---------------------------------------------------------------------------------

def outcomes(figures: pd.DataFrame) -> pd.DataFrame:
    """Police-reported cases assisted and arrests, with a rate per 1,000 police cameras where possible.

    The rate uses a police-installed *camera* count for the same period (same_period at the coarser
    precision). If the only count for that period is in sets, or none is published, the rate is
    None and `rate_note` says why ("sets" / "no_count"): sets are never turned into cameras.
    """
    f = _smartview(figures)
    claims = [c for b in OUTCOME_BASES for c in OUTCOME_CLAIMS[b]]
    out = f[f["basis"].isin(OUTCOME_BASES) & f["claim"].isin(claims) & (f["as_of"] <= f["stated"])]
    out = out.sort_values(["as_of", "stated", "id"]).copy()
    police = counts(figures, ("installed_by_police",))
    rates, notes, cams, cam_ids = [], [], [], []
    for _, r in out.iterrows():
        match = police[[same_period(r["as_of"], r["as_of_precision"], d, p)
                        for d, p in zip(police["as_of"], police["as_of_precision"])]]
        cam = match[match["unit"] == "camera"].sort_values(["stated", "id"], ascending=[False, True])
        if not cam.empty:
            c = cam.iloc[0]
            rates.append(float(r["value"]) * 1000.0 / float(c["value"]))
            notes.append(None)
            cams.append(float(c["value"]))
            cam_ids.append(c["id"])
        else:
            rates.append(None)
            notes.append("sets" if not match.empty else "no_count")
            cams.append(None)
            cam_ids.append(None)
    out["cameras"] = pd.Series(cams, index=out.index, dtype="float64")
    out["camera_figure"] = cam_ids
    out["per_1000_cameras"] = pd.Series(rates, index=out.index, dtype="float64")
    out["rate_note"] = notes
    return out.reset_index(drop=True)


# --- other cities -----------------------------------------------------------------------------

def editions(cities: pd.DataFrame, metric: str | None = None) -> list[str]:
    """Editions (with a value for metric, if given) in year order; each is shown on its own, never mixed."""
    c = cities if metric is None else cities[cities[metric].notna()]
    if c.empty:
        return []
    return list(c.sort_values(["year", "edition"]).drop_duplicates("edition")["edition"])


def default_edition(cities: pd.DataFrame, metric: str) -> str | None:
    """The edition with the most cities for the metric (ties: the newest)."""
    c = cities[cities[metric].notna()]
    if c.empty:
        return None
    n = c.groupby("edition").agg(n=("edition", "size"), year=("year", "max")).sort_values(["n", "year"], ascending=False)
    return n.index[0]


def edition_rows(cities: pd.DataFrame, edition: str, metric: str) -> pd.DataFrame:
    """One edition's cities with a published value for the metric (per_1000 / per_km2), highest first."""
    e = cities[(cities["edition"] == edition) & cities[metric].notna()]
    return e.sort_values(metric, ascending=False).reset_index(drop=True)


def smartview_density(points: list[dict], pop: Population | None, area_km2: float | None) -> pd.DataFrame:
    """Hong Kong's SmartView path on the cities' scale: each point's cameras per 1,000 people and per km².

    `points` are {key, date, cameras, figure} dicts built from published records (latest police
    count, latest system total, the 2028 target). A ratio is None when its denominator is not complete.
    """
    rows = []
    for p in points:
        cams = _num(p.get("cameras"))
        rows.append({**p, "per_1000": per_1000(cams, pop) if cams is not None else None,
                     "per_km2": cams / area_km2 if cams is not None and area_km2 else None})
    return pd.DataFrame(rows)
