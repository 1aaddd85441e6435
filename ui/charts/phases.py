"""The phases-and-money page's charts: the phase timeline, the HK$4.06bn bar, the scenario line."""
from __future__ import annotations

import plotly.graph_objects as go

from metrics import scenario as SC
from metrics.views.phases import PhasesView, scenario_result
from ui import escape
from ui.charts.common import HOVER_4, LEGEND_BELOW, finish
from ui.present import Presenter

PHASE_COLOURS = {1: "#6b8fb5", 2: "#e6791e", 3: "#8c6bb1"}
MARKERS = {"announcement": "circle-open", "milestone": "diamond", "count": "square"}
KIND_COLOURS = {"published": "#1f77b4", "reserved": "#6baed6", "derived": "#9ecae1", "remainder": "#bdbdbd"}
KIND_PATTERNS = {"derived": "/", "remainder": "x"}
REF_COLOUR = "#c0392b"


def line_label(pr: Presenter, claim: str) -> str:
    return pr.label(f"phases.budget.line.{claim}", claim)


def _phase_names(view: PhasesView, pr: Presenter) -> dict[int, str]:
    return {int(r["number"]): pr.localised(r, "name") or str(r["number"]) for r in view.phases.to_dict("records")}


def timeline_chart(view: PhasesView, pr: Presenter) -> go.Figure:
    """Each phase as a bar, with announcements, target deadlines and the latest count inside it."""
    items = view.timeline
    names = _phase_names(view, pr)
    phases = {int(r["number"]): r for r in view.phases.to_dict("records")}
    fig = go.Figure()
    for r in items[items["kind"] == "phase"].to_dict("records"):
        ph = phases[r["phase"]]
        span = pr.t("phases.dates", start=pr.date(r["start"], "month"), end=pr.date(r["end"], r["precision"]))
        fig.add_trace(go.Bar(
            y=[names[r["phase"]]], x=[(r["end"] - r["start"]).total_seconds() * 1000], base=[r["start"]], orientation="h",
            marker={"color": PHASE_COLOURS.get(r["phase"], "#888"), "opacity": 0.55}, name=names[r["phase"]], showlegend=False,
            customdata=[[escape.html(names[r["phase"]]), escape.html(span),
                         pr.hover(pr.localised(ph, "promise")), escape.html(pr.source_label(r["source"]) if r["source"] else "")]],
            hovertemplate=HOVER_4, width=0.5))
    for kind in ("announcement", "milestone", "count"):
        part = items[items["kind"] == kind].to_dict("records")
        if not part:
            continue
        xs, ys, texts, cd = [], [], [], []
        for r in part:
            rec = view.figures_by_id.get(r["figure"]) if isinstance(r["figure"], str) else None
            if rec is None:
                what, quote = pr.t("phases.timeline.promised"), pr.localised(phases[r["phase"]], "promise")
            elif kind == "announcement":
                what, quote = pr.t("phases.timeline.stated", value=pr.value(rec), date=pr.as_of(rec)), rec["quote"]
            else:
                what, quote = pr.value(rec), rec["quote"]
            xs.append(r["start"])
            ys.append(names[r["phase"]])
            label = ""
            if kind != "announcement" and rec is not None:
                label = pr.marked(rec["value"], rec["qualifier"]) + (" " + pr.unit("set") if rec["unit"] == "set" else "")
            texts.append(label)
            cd.append([escape.html(pr.t(f"phases.timeline.kind.{kind}")) + " · " + escape.html(pr.date(r["start"], r["precision"])),
                       escape.html(what), pr.hover(quote), escape.html(pr.source_label(r["source"]) if r["source"] else "")])
        # Several markers on one spot (2,000 sets and >=5,000 cameras, both due end-2025) share one label.
        joined: dict = {}
        for i, key in enumerate(zip(xs, ys)):
            joined.setdefault(key, []).append(i)
        for idx in joined.values():
            label = " / ".join(x for x in (texts[i] for i in idx) if x)
            for j, i in enumerate(idx):
                texts[i] = label if j == 0 else ""
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text" if kind != "announcement" else "markers", name=pr.t(f"phases.timeline.kind.{kind}"),
            marker={"symbol": MARKERS[kind], "size": 13 if kind != "announcement" else 10,
                    "color": "#222" if kind != "count" else "#2ca02c", "line": {"width": 2}},
            text=texts, textposition="top center" if kind == "milestone" else "bottom center", customdata=cd,
            hovertemplate=HOVER_4))
    if view.ref is not None:
        fig.add_shape(type="line", x0=view.ref, x1=view.ref, yref="paper", y0=0, y1=1, line={"dash": "dot", "color": REF_COLOUR})
        fig.add_annotation(x=view.ref, yref="paper", y=1.02, text=escape.html(pr.t("phases.timeline.ref", date=pr.date(view.ref))),
                           showarrow=False, font={"color": REF_COLOUR, "size": 11})
    return finish(fig, pr, 340, barmode="overlay", margin={"l": 10, "r": 10, "t": 40, "b": 10}, xaxis={"type": "date"},
                  yaxis={"autorange": "reversed"}, legend={**LEGEND_BELOW, "y": -0.18})


def how_text(view: PhasesView, pr: Presenter, ln) -> str:
    """The arithmetic behind a derived or remainder line, or why a line has no amount."""
    b = view.budget
    if ln.kind == "derived" and b.total:
        return pr.t("phases.money.derived_arith", percent=pr.n(ln.percent, 0), total=pr.money(b.total["value"]), amount=pr.money(ln.value))
    if ln.kind == "remainder":
        return pr.t("phases.money.remainder_arith", total=pr.money(b.total["value"]),
                    lines=" − ".join(pr.money(x.value) for x in b.costed), amount=pr.money(ln.value, ln.qualifier))
    if ln.kind == "not_published":
        return pr.t("phases.money.not_published_note")
    return ""


def budget_chart(view: PhasesView, pr: Presenter) -> go.Figure:
    """The request as one stacked bar: published lines, reserved, derived shares and the unexplained remainder."""
    b = view.budget
    fig = go.Figure()
    for ln in [x for x in b.lines if x.value is not None]:
        kind = pr.t(f"phases.money.kind.{ln.kind}")
        src = pr.source_label(ln.figure["source"]) if ln.figure else pr.t("phases.money.derived_from")
        fig.add_trace(go.Bar(
            y=[""], x=[ln.value], orientation="h", name=f"{line_label(pr, ln.claim)} ({kind})", meta={"kind": ln.kind, "claim": ln.claim},
            marker={"color": KIND_COLOURS.get(ln.kind, "#888"), "line": {"color": "white", "width": 1},
                    "pattern": {"shape": KIND_PATTERNS.get(ln.kind, "")}},
            customdata=[[escape.html(line_label(pr, ln.claim)), escape.html(pr.money(ln.value, ln.qualifier)), escape.html(kind),
                         escape.html(src), pr.hover(ln.figure["quote"] if ln.figure else how_text(view, pr, ln))]],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>%{customdata[3]}<br>"
                          "<i>%{customdata[4]}</i><extra></extra>"))
    total = float(b.total["value"]) if b.total else 0.0
    ticks = [i * 1e9 for i in range(int(total // 1e9) + 1)]
    tick_text = [pr.t("phases.money.tick", n=f"{v / 1e8:g}" if pr.zh else f"{v / 1e9:g}") for v in ticks]
    return finish(fig, pr, 260, date_axis=False, barmode="stack", margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=True,
                  legend={"orientation": "h", "y": -0.3, "traceorder": "normal"}, xaxis={"tickvals": ticks, "ticktext": tick_text})


def scenario_chart(view: PhasesView, pr: Presenter, rate=0, start=None, base: str | None = None) -> go.Figure:
    """The scenario's straight line, the published starting count, the published targets and where they are met."""
    res = scenario_result(view, rate, start, base)
    fig = go.Figure()
    if res is None:
        return fig
    fig.add_trace(go.Scatter(x=res.curve["date"], y=res.curve["cameras"], mode="lines", name=pr.t("phases.scenario.curve"),
                             line={"color": "#e6791e", "width": 3}, hovertemplate="%{x|%b %Y}: %{y:,.0f}<extra></extra>"))
    b = res.base
    fig.add_trace(go.Scatter(x=[b["as_of"]], y=[b["value"]], mode="markers", name=pr.t("phases.scenario.base_point"),
                             marker={"size": 11, "color": "#2ca02c", "symbol": "square"},
                             customdata=[[escape.html(pr.value(b)), escape.html(pr.source_label(b["source"])), pr.hover(b["quote"])]],
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"))
    recs = [view.figures_by_id[tg.figure_id] for tg in view.targets]
    fig.add_trace(go.Scatter(x=[tg.deadline for tg in view.targets], y=[tg.value for tg in view.targets], mode="markers+text",
                             name=pr.t("phases.scenario.targets"), marker={"symbol": "diamond", "size": 14, "color": "#222"},
                             text=[pr.n(tg.value) for tg in view.targets], textposition="middle right",
                             customdata=[[escape.html(pr.value(r)), escape.html(pr.source_label(r["source"])), pr.hover(r["quote"])] for r in recs],
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"))
    hits = [(tg, res.reached[tg.figure_id]) for tg in view.targets
            if res.reached[tg.figure_id] is not None and res.reached[tg.figure_id] is not SC.BEYOND]
    if hits:
        fig.add_trace(go.Scatter(x=[d for _, d in hits], y=[tg.value for tg, _ in hits], mode="markers",
                                 name=pr.t("phases.scenario.reached"),
                                 marker={"size": 12, "color": "#e6791e", "symbol": "circle-open", "line": {"width": 3}},
                                 hovertemplate="%{x|%d %b %Y}: %{y:,.0f}<extra></extra>"))
    return finish(fig, pr, 400, yaxis_title=pr.t("phases.scenario.y"))
