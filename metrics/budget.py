"""The HK$4.06bn Phase 2 + 3 request, line by line: published, derived, reserved, not published.

Rules (truth rules applied to money):
- A published HK$ line is shown as published, with its qualifier ("about HK$300 million").
- A line published only as a percent of the total (the 5% contingency) gets a HK$ amount that is
  *derived* (5% x total), with the arithmetic; it is never presented as published.
- A percent whose HK$ amount is itself published (cameras: "about 1%, i.e. HK$52 million") is a
  cross-check on that line, not a second line, so nothing is counted twice.
- What the lines leave unexplained = total - published lines - derived lines, shown as derived.
- Lines known to exist but never costed in public appear as "not published", not omitted.
- Cost per camera is derived from published figures only, with every input shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics.conflicts import find_conflicts

TOTAL_CLAIM = "budget-phase-2-3-total"
# Published per-camera purchase price ("about HK$1,000 per camera"): a unit cost, not a budget line.
UNIT_COST_CLAIMS = frozenset({"budget-cost-per-camera"})
# The storage amount was "reserved" (預留) in the budget rather than a costed purchase.
RESERVED_CLAIMS = frozenset({"budget-storage"})
SHARE_SUFFIX = "-share"
RECURRENT_CLAIM = "recurrent-cost-long-run"
# Items the published plan describes but whose cost was never published. Each key has a label in
# ui/strings/phases.yaml (phases.budget.line.<key>); a record with this claim in figures.yaml
# replaces the "not published" row automatically.
UNPUBLISHED_LINES: tuple[tuple[str, str | None], ...] = (
    # (claim, source that mentions the item, if any)
    ("budget-ai-toolbox", "hk01-2026-02-13"),  # the Phase 2 "AI image-analysis toolbox"
    ("budget-phase-1", "somethingsbrewingcafe-standard-2024-07"),  # Siu (Jul 2024): cost "depends on the conditions in each district"
)
# Cost per camera: the total over published camera targets (the 2031 network total), and over the
# cameras added after the end-2025 in-system count. Both are derived and say so.
NETWORK_TARGET_CLAIM = "target-2031-total"
BASE_COUNT_CLAIM = "system-total-cameras"


def _records(figures: pd.DataFrame, claim: str) -> pd.DataFrame:
    return figures[figures["claim"] == claim].sort_values(["stated", "id"], ascending=[False, True])


def _first(figures: pd.DataFrame, claim: str) -> dict | None:
    r = _records(figures, claim)
    return None if r.empty else r.iloc[0].to_dict()


@dataclass
class Line:
    """One row of the budget table."""

    claim: str
    kind: str  # published | reserved | derived | remainder | not_published
    value: float | None  # HK$
    qualifier: str = "exact"
    figure: dict | None = None  # the record it comes from (source, quote), None for remainders/gaps
    inputs: list = field(default_factory=list)  # records an arithmetic used (derived lines)
    percent: float | None = None  # the published percent, for a derived share
    source: str | None = None  # for not-published rows: the source that mentions the item


@dataclass
class Budget:
    total: dict | None
    lines: list[Line]
    cross_checks: list[dict]  # shares whose HK$ amount is published separately
    unit_costs: list[dict]  # published per-camera prices

    @property
    def costed(self) -> list[Line]:
        return [ln for ln in self.lines if ln.kind in ("published", "reserved", "derived")]

    @property
    def remainder(self) -> Line | None:
        return next((ln for ln in self.lines if ln.kind == "remainder"), None)


def _budget_figures(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[(figures["topic"] == "budget") & (figures["basis"] == "cost_hkd") & (figures["programme"] != "other")]


def budget(figures: pd.DataFrame) -> Budget:
    """The budget table for the Phase 2 + 3 request (see module docstring for the rules)."""
    f = _budget_figures(figures)
    total = _first(f, TOTAL_CLAIM)
    money_claims = [c for c in dict.fromkeys(f.loc[f["unit"] == "hkd", "claim"]) if c != TOTAL_CLAIM and c not in UNIT_COST_CLAIMS]
    lines: list[Line] = []
    for claim in money_claims:
        rec = _first(f, claim)
        kind = "reserved" if claim in RESERVED_CLAIMS else "published"
        lines.append(Line(claim, kind, float(rec["value"]), rec["qualifier"], rec))
    cross_checks = []
    for claim in dict.fromkeys(f.loc[f["unit"] == "percent", "claim"]):
        rec = _first(f, claim)
        base_claim = claim.removesuffix(SHARE_SUFFIX)
        if base_claim in money_claims:
            cross_checks.append(rec)  # its HK$ amount is already a published line
            continue
        value = float(total["value"]) * float(rec["value"]) / 100 if total else None
        lines.append(Line(base_claim, "derived", value, rec["qualifier"], rec,
                          inputs=[r for r in (total, rec) if r], percent=float(rec["value"])))
    lines.sort(key=lambda ln: (ln.kind == "derived", -(ln.value or 0)))
    if total:
        explained = sum(ln.value for ln in lines if ln.value is not None)
        approximate = any(ln.qualifier != "exact" for ln in lines) or total["qualifier"] != "exact"
        lines.append(Line("remainder", "remainder", float(total["value"]) - explained,
                          "about" if approximate else "exact", None, inputs=[total] + [ln.figure for ln in lines]))
    present = set(f["claim"])
    for claim, source in UNPUBLISHED_LINES:
        if claim not in present:
            lines.append(Line(claim, "not_published", None, source=source))
    unit_costs = [r for c in UNIT_COST_CLAIMS for r in _records(f, c).to_dict("records")]
    return Budget(total, lines, cross_checks, unit_costs)


def check_sum(b: Budget) -> float:
    """Total minus (costed lines + remainder): zero by construction; a test holds it to that."""
    if not b.total:
        return 0.0
    return float(b.total["value"]) - sum(ln.value for ln in b.costed) - (b.remainder.value if b.remainder else 0.0)


@dataclass(frozen=True)
class PerCamera:
    """A derived HK$ per camera: total / cameras, with the records used and whether it rests on an inference."""

    key: str  # "network" (per camera of the 2031 network) | "added" (per camera added after end-2025)
    value: float
    cameras: float
    inputs: tuple  # figure records
    inference: bool  # True when the division assumes something no source states


def cost_per_camera(figures: pd.DataFrame, b: Budget | None = None) -> list[PerCamera]:
    """Derived cost per camera of the 2031 network, and per camera added after the end-2025 count.

    "Added" assumes the 66,500 includes the ~11,000 cameras already in the system at end-2025:
    no source says so, so it is flagged as an inference and shown with its inputs.
    """
    b = b or budget(figures)
    if not b.total:
        return []
    total = float(b.total["value"])
    target = _first(figures, NETWORK_TARGET_CLAIM)
    base = _first(figures, BASE_COUNT_CLAIM)
    out = []
    if target and target["unit"] == "camera" and target["value"] > 0:
        out.append(PerCamera("network", total / float(target["value"]), float(target["value"]), (b.total, target), False))
        if base and base["unit"] == "camera" and target["value"] > base["value"]:
            added = float(target["value"]) - float(base["value"])
            out.append(PerCamera("added", total / added, added, (b.total, target, base), True))
    return out


def recurrent_costs(figures: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Both published long-run recurrent-cost figures, side by side, and whether they conflict."""
    recs = figures[(figures["basis"] == "recurrent_cost_hkd")].sort_values(["stated", "id"]).reset_index(drop=True)
    conflicts = find_conflicts(recs)
    return recs, bool(len(conflicts) and (conflicts["claim"] == RECURRENT_CLAIM).any())
