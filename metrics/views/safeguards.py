"""The safeguards page's view model: capabilities over time, the safeguards matrix, the open questions.

Computed once per data version and language (capability and safeguard names are localised by
metrics/safeguards.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics import phases
from metrics import safeguards as safeguards_metrics
FR_CAPABILITY = "facial-recognition"  # the capability whose promised date moved; its planned events are listed in order


@dataclass
class CapabilityView:
    latest: dict  # the newest dated status
    history: list[dict]  # every statement, oldest first
    conflicts: list[dict]  # conflict rows about this capability or its claims


@dataclass
class SafeguardsView:
    ref: pd.Timestamp | None
    timeline: pd.DataFrame  # one row per dated status statement
    capabilities: list[CapabilityView]
    fr_slip: list[dict]  # facial recognition's planned / not-in-use statements, oldest first
    matrix: list[safeguards_metrics.MatrixRow]
    notes: dict[str, str]  # safeguard id -> curator's note
    asked: pd.DataFrame  # questions asked by lawmakers or the press
    raised: pd.DataFrame  # questions this project raised from the record
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def figure_conflict(self, claim: str | None) -> dict | None:
        """The conflict row of a figure claim (e.g. retention 30 vs 31 days), if the sources disagree."""
        if not claim or self.conflicts.empty:
            return None
        rows = self.conflicts[(self.conflicts["kind"] == "figure") & (self.conflicts["claim"] == claim)]
        return None if rows.empty else rows.iloc[0].to_dict()


def safeguards_view(bundle, lang: str, conflicts: pd.DataFrame) -> SafeguardsView:
    timeline = safeguards_metrics.capability_events(bundle["capabilities"], bundle["capability_events"], lang)
    caps = []
    if not timeline.empty:
        for cap in safeguards_metrics.latest_status(timeline).to_dict("records"):
            history = safeguards_metrics.status_history(timeline, cap["capability"])
            claims = {e["claim"] for e in history if isinstance(e.get("claim"), str)}
            related = conflicts[(conflicts["capability"] == cap["capability"]) | conflicts["claim"].isin(claims)] if len(conflicts) else conflicts
            caps.append(CapabilityView(cap, history, related.to_dict("records")))
    fr = [e for e in safeguards_metrics.status_history(timeline, FR_CAPABILITY) if e["status"] in ("planned", "not_in_use")] if len(timeline) else []
    safeguards = bundle["safeguards"]
    notes = {r["id"]: r["note"] for r in safeguards.to_dict("records") if isinstance(r.get("note"), str) and r["note"]}
    questions = safeguards_metrics.open_questions(bundle["open_questions"], lang)
    asked, raised = safeguards_metrics.split_questions(questions) if len(questions) else (questions, questions)
    return SafeguardsView(
        ref=phases.reference_date(bundle["sources"]), timeline=timeline, capabilities=caps, fr_slip=fr,
        matrix=safeguards_metrics.matrix(safeguards, bundle["safeguard_entries"], lang), notes=notes, asked=asked, raised=raised,
        conflicts=conflicts,
    )
