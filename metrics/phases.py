"""The three phases side by side: promised, delivered, gap, pace needed, places and safeguards.

Pure functions over the loaded frames. Counts come from metrics/progress.py (observed counts,
latest records, needed pace), so the phases page and the progress page read the same numbers.
Rules:
- A gap or a pace is derived arithmetic on published records; it carries its inputs so the page
  can show "60,000 − 11,000 = 49,000" next to the sources.
- Targets and counts in sets are never compared with cameras: such a gap is "not comparable".
- Whether "about 60,000 by 2028" counts connected third-party cameras is not published, so the
  gap is computed against both the police-installed count and the in-system total, labelled.
- "Now" is the date the sources were last read (sources.accessed), not the clock: the page says
  what the published record shows as of that date.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics import progress
# The counts a camera target is compared with, in the order shown.
DELIVERED_BASES = ("installed_by_police", "in_system_total")
# Targets whose scope (police-installed only, or the whole system with third-party feeds) no source
# settles (open_questions.yaml: sixty-thousand-includes-third-party): their gap is shown against
# both counts. Every other camera target is a police installation target.
SCOPE_UNRESOLVED_CLAIMS = frozenset({"target-2028-total", "target-2031-total"})
ALL_COUNT_BASES = ("installed_by_police", "connected_third_party", "in_system_total")
DAYS_PER_YEAR = 365.25


def reference_date(sources: pd.DataFrame) -> pd.Timestamp | None:
    """The date the published record is read as of: when the sources were last accessed."""
    if sources.empty or sources["accessed"].isna().all():
        return None
    return sources["accessed"].max()


def _clean(value):
    return None if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)) else value


def _record(row) -> dict:
    return {k: _clean(v) for k, v in (row.items() if hasattr(row, "items") else row)}


@dataclass
class Gap:
    """target − delivered for one count basis (derived), with the pace it implies."""

    basis: str
    target: dict
    delivered: dict
    value: float  # cameras still to add (negative = target passed)
    pace_from: pd.Timestamp | None = None  # where the needed pace is measured from
    per_year: float | None = None  # cameras a year needed, None once the deadline has passed
    years: float | None = None
    due: pd.Timestamp | None = None


@dataclass
class PhaseView:
    """Everything the page shows for one phase."""

    phase: dict
    status: str  # past | current | future
    targets: list[dict]  # every target record for the phase (camera and set), newest statement first
    headline_target: dict | None  # the record phases.yaml links as the phase's target
    camera_target: dict | None  # the target compared with counts (cameras only)
    delivered: dict[str, list[dict]]  # basis -> latest records up to the phase end (may disagree)
    delivered_before_start: bool  # True when no count has been published since the phase began
    gaps: list[Gap]
    gap_note: str | None  # "sets" when the only target is in sets, "no_count", or None
    baseline: dict | None = None  # for a future phase: the previous phase's target the pace starts from
    published_pace: list[dict] = field(default_factory=list)  # annual targets tied to the phase
    safeguards: list[dict] = field(default_factory=list)  # per safeguard: overall status, entries dated in the phase


def phase_status(phase: dict, ref: pd.Timestamp | None) -> str:
    if ref is None:
        return "current"
    if phase["end"] < ref:
        return "past"
    return "current" if phase["start"] <= ref else "future"


def _targets(figures: pd.DataFrame, phase: dict) -> list[dict]:
    """Target records tied to the phase (by the phase field or the phases.yaml link), newest statement first."""
    linked = figures["id"] == (phase.get("target_figure") or "")
    tied = (figures["phase"] == phase["number"]).fillna(False) & figures["basis"].isin(("target_total", "target_additional"))
    f = figures[linked | tied].sort_values(["stated", "id"], ascending=[False, True])
    return [_record(r) for _, r in f.iterrows()]


def _camera_target(targets: list[dict], headline: dict | None) -> dict | None:
    """The camera total the phase is measured against: the linked target if in cameras, else the newest camera total."""
    if headline and headline["unit"] == "camera" and headline["basis"] == "target_total":
        return headline
    return next((t for t in targets if t["unit"] == "camera" and t["basis"] == "target_total"), None)


def _latest_counts(figures: pd.DataFrame, until: pd.Timestamp) -> dict[str, list[dict]]:
    """basis -> every camera record at the newest as_of not after `until` (disagreeing sources kept)."""
    out = {}
    upto = figures[figures["as_of"] <= until]
    for basis in ALL_COUNT_BASES:
        recs = progress.latest_records(upto, basis)
        out[basis] = [_record(r) for _, r in recs.iterrows()]
    return out


def _years(start, end) -> float:
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR


def deadline(target: dict, phase: dict) -> pd.Timestamp:
    """A target's deadline, never later than its phase's end ("about 66,500 by 2031", full service March 2031)."""
    return min(pd.Timestamp(target["as_of"]), pd.Timestamp(phase["end"]))


def _gap(basis: str, target: dict, delivered: dict, start_from: pd.Timestamp, due: pd.Timestamp) -> Gap:
    value = float(target["value"]) - float(delivered["value"])
    years = _years(start_from, due)
    per_year = value / years if years > 0 else None
    return Gap(basis, target, delivered, value, start_from, per_year, years if years > 0 else None, due)


def _published_pace(figures: pd.DataFrame, number: int) -> list[dict]:
    f = figures[(figures["basis"] == "annual_target") & (figures["phase"] == number).fillna(False)]
    return [_record(r) for _, r in f.sort_values(["stated", "id"], ascending=[False, True]).iterrows()]


def _safeguards_by(safeguards: pd.DataFrame, entries: pd.DataFrame, start: pd.Timestamp, until: pd.Timestamp,
                   lang: str) -> list[dict]:
    """Each safeguard's overall status (as curated in safeguards.yaml) and the entries dated in [start, until].

    The per-entry labels are not re-judged per phase: one "documented" statement about smart
    lampposts is not a published PIA, so the row's own status is what the page shows.
    """
    out = []
    for s in safeguards.to_dict("records"):
        mine = entries[entries["safeguard"] == s["id"]]
        inside = mine[(mine["date"] >= start) & (mine["date"] <= until)].sort_values(["date", "seq"])
        name = s["name_zh"] if lang == "zh-Hant" and isinstance(s.get("name_zh"), str) and s["name_zh"] else s["name_en"]
        out.append({"id": s["id"], "name": name, "status": s["status"],
                    "entries": [_record(r) for _, r in inside.iterrows()]})
    return out


def visible_targets(targets: list[dict]) -> list[dict]:
    """Targets worth listing for a phase, earliest deadline first, one per distinct statement.

    An "N more" target is left out when a total target in the same unit has the same deadline
    (the total says the same thing); each kept record carries `n`, how many records state it.
    """
    groups: dict = {}
    for r in targets:
        groups.setdefault((r["as_of"], r["value"], r["unit"], r["basis"]), []).append(r)
    totals = {(k[0], k[2]) for k in groups if k[3] == "target_total"}
    kept = [dict(g[0], n=len(g)) for k, g in groups.items() if k[3] != "target_additional" or (k[0], k[2]) not in totals]
    return sorted(kept, key=lambda r: (r["as_of"], r["unit"] != "set", r["value"]))


def phase_views(phases: pd.DataFrame, figures: pd.DataFrame, safeguards: pd.DataFrame, entries: pd.DataFrame,
                ref: pd.Timestamp | None, lang: str = "en") -> list[PhaseView]:
    """One PhaseView per phase, in phase order (see module docstring for the rules)."""
    views: list[PhaseView] = []
    by_id = figures.set_index("id", drop=False) if len(figures) else figures
    previous: tuple[dict, pd.Timestamp] | None = None  # the previous phase's camera target and its deadline
    for _, row in phases.sort_values("number").iterrows():
        p = _record(row)
        status = phase_status(p, ref)
        targets = _targets(figures, p)
        fid = p.get("target_figure")
        headline = _record(by_id.loc[fid]) if fid and fid in by_id.index else None
        camera_target = _camera_target(targets, headline)
        until = min(p["end"], ref) if ref is not None else p["end"]
        delivered = _latest_counts(figures, until)
        newest = [r["as_of"] for recs in delivered.values() for r in recs]
        before_start = bool(newest) and max(newest) < p["start"]
        gaps: list[Gap] = []
        baseline = None
        note = None
        if camera_target is None:
            note = "sets" if targets else "no_target"
        elif status == "future" and previous is not None:
            # Nothing can be delivered yet: measure the pace from the previous phase's own target.
            baseline, due_before = previous
            gaps.append(_gap("plan", camera_target, baseline, max(due_before, p["start"]), deadline(camera_target, p)))
        else:
            bases = DELIVERED_BASES if camera_target["claim"] in SCOPE_UNRESOLVED_CLAIMS else DELIVERED_BASES[:1]
            for basis in bases:
                recs = delivered.get(basis) or []
                if recs:
                    d = recs[0]
                    start_from = max(d["as_of"], p["start"]) if status != "past" else d["as_of"]
                    gaps.append(_gap(basis, camera_target, d, start_from, deadline(camera_target, p)))
            if not gaps:
                note = "no_count"
        views.append(PhaseView(p, status, targets, headline, camera_target, delivered, before_start, gaps, note,
                               baseline, _published_pace(figures, p["number"]),
                               _safeguards_by(safeguards, entries, p["start"], until, lang)))
        if camera_target is not None:
            previous = (camera_target, deadline(camera_target, p))
    return views


# --- timeline (Gantt) -------------------------------------------------------------------------

TIMELINE_COLUMNS = ["kind", "phase", "start", "end", "precision", "figure", "source"]


def timeline_items(phases: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Rows for the Gantt chart, each placed on its phase's row and citing a figure or source.

    kind: phase (start..end bar) | announcement (the day a phase was promised, or a phase target
    first stated) | milestone (a phase target's deadline, capped at the phase end) | count (the
    latest published count inside the phase).
    """
    rows = []
    ordered = phases.sort_values("number")
    for _, p in ordered.iterrows():
        srcs = list(p["sources"] or [])
        first_source = srcs[0] if srcs else None
        rows.append({"kind": "phase", "phase": int(p["number"]), "start": p["start"], "end": p["end"],
                     "precision": p["end_precision"], "figure": None, "source": first_source})
        if pd.notna(p["promised_on"]):
            rows.append({"kind": "announcement", "phase": int(p["number"]), "start": p["promised_on"], "end": p["promised_on"],
                         "precision": "day", "figure": None, "source": first_source})
        targets = figures[(figures["basis"] == "target_total") & (figures["phase"] == p["number"]).fillna(False)]
        # One milestone per distinct target (deadline, value, unit); its first statement is an announcement.
        for _, g in targets.sort_values(["stated", "id"]).groupby(["as_of", "value", "unit"], sort=False):
            first = _record(g.iloc[0])
            due = deadline(first, _record(p))
            precision = first["as_of_precision"] if due == first["as_of"] else p["end_precision"]
            rows.append({"kind": "milestone", "phase": int(p["number"]), "start": due, "end": due,
                         "precision": precision, "figure": first["id"], "source": first["source"]})
            rows.append({"kind": "announcement", "phase": int(p["number"]), "start": first["stated"], "end": first["stated"],
                         "precision": "day", "figure": first["id"], "source": first["source"]})
        for basis in DELIVERED_BASES:
            inside = figures[(figures["as_of"] >= p["start"]) & (figures["as_of"] <= p["end"])]
            recs = progress.latest_records(inside, basis)
            if len(recs):
                r = _record(recs.iloc[0])
                rows.append({"kind": "count", "phase": int(p["number"]), "start": r["as_of"], "end": r["as_of"],
                             "precision": r["as_of_precision"], "figure": r["id"], "source": r["source"]})
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    return out.drop_duplicates(["kind", "phase", "start", "figure"]).reset_index(drop=True)
