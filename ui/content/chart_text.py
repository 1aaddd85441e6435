"""Every chart's text alternative: a sentence stating its message (the chart's accessible name) and,
where the page has no table of the same numbers yet, that table.

Built from the same view models as the charts, so the words and the drawing cannot disagree. Pure
(no Streamlit); plain text, not Markdown (an accessible name is read, not rendered).
"""
from __future__ import annotations

import pandas as pd

from metrics import progress
from metrics.views.phases import PhasesView, ScenarioResult
from metrics.views.progress import ProgressView
from metrics.views.safeguards import SafeguardsView
from metrics import scenario
from ui.charts.phases import how_text, line_label
from ui.present import Presenter, missing


def _span(pr: Presenter, dates) -> tuple[str, str]:
    dates = pd.Series(list(dates)).dropna()
    if dates.empty:
        return pr.t("common.undated"), pr.t("common.undated")
    return pr.date(dates.min()), pr.date(dates.max())


def progress_alt(view: ProgressView, pr: Presenter) -> str:
    lead, target = view.lead, view.target
    latest = pr.t("chart_alt.latest", value=pr.value(lead), date=pr.as_of(lead)) if lead is not None else pr.t("common.not_published")
    aim = pr.t("chart_alt.target", value=pr.value(target), date=pr.as_of(target)) if target is not None else ""
    return pr.t("chart_alt.progress", n=len(view.counts), latest=latest, target=aim).strip()


def drift_alt(view: ProgressView, pr: Presenter) -> str:
    h = view.history
    first, last = _span(pr, h["stated"]) if len(h) else (pr.t("common.undated"),) * 2
    return pr.t("chart_alt.drift", n=len(h), deadlines=h["as_of"].nunique() if len(h) else 0, first=first, last=last)


def outcomes_alt(view: ProgressView, pr: Presenter) -> str:
    o = view.outcomes
    first, last = _span(pr, o["as_of"]) if len(o) else (pr.t("common.undated"),) * 2
    parts = []
    for basis in progress.OUTCOME_BASES:
        rows = o[o["basis"] == basis].sort_values("as_of")
        if len(rows):
            r = rows.iloc[-1]
            parts.append(pr.t("chart_alt.latest_of", what=pr.basis(basis), value=pr.value(r), date=pr.as_of(r)))
    return pr.t("chart_alt.outcomes", first=first, last=last, latest=pr.joined(parts))


def cities_alt(view: ProgressView, pr: Presenter, metric: str, edition: str, edition_name: str) -> str:
    rows = progress.edition_rows(view.cities, edition, metric)
    return pr.t("chart_alt.cities", n=len(rows), edition=edition_name, measure=pr.t(f"progress.cities.short_{metric}"))


def timeline_alt(view: PhasesView, pr: Presenter) -> str:
    spans = [pr.t("chart_alt.phase_span", phase=pr.t("phases.timeline.row", n=int(r["number"])),
                  start=pr.date(r["start"], "month"), end=pr.date(r["end"], r["end_precision"]))
             for r in view.phases.sort_values("number").to_dict("records")]
    return pr.t("chart_alt.timeline", phases=pr.joined(spans), ref=pr.date(view.ref) if view.ref is not None else "")


def timeline_table(view: PhasesView, pr: Presenter) -> pd.DataFrame:
    """The timeline's marks as rows: phase, what, date, value, source."""
    items = view.timeline.sort_values(["phase", "start"])
    rows = []
    for r in items.to_dict("records"):
        rec = view.figures_by_id.get(r["figure"]) if isinstance(r["figure"], str) else None
        if r["kind"] == "phase":
            what = pr.t("chart_alt.kind_phase")
            when = pr.t("phases.dates", start=pr.date(r["start"], "month"), end=pr.date(r["end"], r["precision"]))
        else:
            what = pr.t(f"phases.timeline.kind.{r['kind']}")
            when = pr.date(r["start"], r["precision"])
        rows.append({pr.t("chart_alt.col.phase"): pr.t("phases.timeline.row", n=int(r["phase"])),
                     pr.t("chart_alt.col.what"): what, pr.t("chart_alt.col.date"): when,
                     pr.t("chart_alt.col.value"): pr.value(rec) if rec is not None else "",
                     pr.t("chart_alt.col.source"): pr.source_label(r["source"]) if isinstance(r["source"], str) else ""})
    return pd.DataFrame(rows, dtype="object")


def budget_alt(view: PhasesView, pr: Presenter) -> str:
    b = view.budget
    if not b.total:
        return pr.t("common.not_published")
    costed = [ln for ln in b.lines if ln.value is not None]
    parts = [f"{line_label(pr, ln.claim)} {pr.money(ln.value, ln.qualifier)} ({pr.t(f'phases.money.kind.{ln.kind}')})" for ln in costed]
    return pr.t("chart_alt.budget", total=pr.money(b.total["value"], b.total["qualifier"]), lines=pr.joined(parts))


def budget_rows(view: PhasesView, pr: Presenter) -> list[dict]:
    """The budget table's rows (line, amount, share, kind, how it is derived, source, link)."""
    b = view.budget
    total = float(b.total["value"])
    out = []
    for ln in b.lines:
        source = (ln.figure or {}).get("source") or ln.source
        out.append({"line": line_label(pr, ln.claim),
                    "amount": pr.money(ln.value, ln.qualifier) if ln.value is not None else pr.t("common.not_published"),
                    "share": pr.percent(ln.value / total * 100) if ln.value is not None else pr.t("common.not_published"),
                    "kind": pr.t(f"phases.money.kind.{ln.kind}"), "how": how_text(view, pr, ln),
                    "source": pr.source_label(source) if source else "", "url": pr.source_url(source) if source else None})
    return out


def scenario_alt(res: ScenarioResult | None, view: PhasesView, pr: Presenter) -> str:
    if res is None:
        return pr.t("common.no_data")
    parts = []
    for tg in view.targets:
        when = res.reached[tg.figure_id]
        reached = (pr.t("phases.scenario.never") if when is None else pr.t("phases.scenario.beyond", year=scenario.HORIZON.year)
                   if when is scenario.BEYOND else pr.date(when, "month"))
        parts.append(pr.t("chart_alt.reaches", target=pr.n(tg.value), date=reached))
    return pr.t("chart_alt.scenario", base=pr.value(res.base), rate=pr.n(res.rate), start=pr.date(res.start),
                reached=pr.joined(parts))


def scenario_table(res: ScenarioResult | None, view: PhasesView, pr: Presenter) -> pd.DataFrame:
    if res is None:
        return pd.DataFrame()
    rows = []
    for tg in view.targets:
        when = res.reached[tg.figure_id]
        rows.append({pr.t("chart_alt.col.target"): pr.n(tg.value),
                     pr.t("chart_alt.col.deadline"): pr.date(tg.deadline, tg.deadline_precision),
                     pr.t("chart_alt.col.reached"): (pr.t("phases.scenario.never") if when is None
                                                     else pr.t("phases.scenario.beyond", year=scenario.HORIZON.year) if when is scenario.BEYOND
                                                     else pr.date(when, "month"))})
    return pd.DataFrame(rows, dtype="object")


def capabilities_alt(view: SafeguardsView, pr: Presenter) -> str:
    t = view.timeline
    first, last = _span(pr, t["date"])
    latest = [f"{cap.latest['name']}: {pr.t('safeguards.cap_status.' + cap.latest['status'])}" for cap in view.capabilities]
    return pr.t("chart_alt.capabilities", n=int(t["date"].notna().sum()), k=len(view.capabilities), first=first, last=last,
                latest=pr.joined(latest))


def capabilities_table(view: SafeguardsView, pr: Presenter) -> pd.DataFrame:
    rows = []
    for r in view.timeline.to_dict("records"):
        rows.append({pr.t("chart_alt.col.capability"): r["name"],
                     pr.t("chart_alt.col.date"): pr.date(r["date"], r["date_precision"]) if not missing(r["date"]) else pr.t("common.undated"),
                     pr.t("chart_alt.col.status"): pr.t("safeguards.cap_status." + r["status"]),
                     pr.t("chart_alt.col.summary"): r["summary"] or "",
                     pr.t("chart_alt.col.source"): pr.source_label(r["source"])})
    return pd.DataFrame(rows, dtype="object")
