"""The phases-and-money page's charts: the phase timeline, the HK$4.06bn bar, the scenario line."""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from metrics import scenario
from metrics.views.phases import PhasesView, scenario_result
from ui import escape
from ui.charts.common import HOVER_4, count_axis, finish, hover_date
from ui.present import Presenter

PHASE_COLOURS = {1: "#6b8fb5", 2: "#e6791e", 3: "#8c6bb1"}
MARKERS = {"announcement": "circle-open", "milestone": "diamond", "count": "square"}
# One colour per budget line (Okabe-Ito, distinguishable with the common colour-vision deficiencies);
# the kind of line is told by its pattern: solid published, dotted reserved, hatched derived,
# crossed for what the published lines leave unexplained.
LINE_COLOURS = ("#0072B2", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#F0E442")
REMAINDER_COLOUR = "#d9d9d9"
KIND_PATTERNS = {"published": "", "reserved": ".", "derived": "/", "remainder": "x"}
LABEL_CHARS, LABEL_CHARS_ZH = 40, 20  # a bar label's line length: fits a phone's chart width
ROW_PX, BAR_HALF_PX = 78, 9  # each line's row: two or three lines of label over an 18-px bar
REF_COLOUR = "#c0392b"


def line_label(pr: Presenter, claim: str) -> str:
    return pr.label(f"phases.budget.line.{claim}", claim)


def _phase_names(view: PhasesView, pr: Presenter) -> dict[int, str]:
    return {int(r["number"]): pr.localised(r, "name") or str(r["number"]) for r in view.phases.to_dict("records")}


def _short_names(view: PhasesView, pr: Presenter) -> dict[int, str]:
    """Row labels: "Phase 1" / "第1階段" (the full names fill half a phone's width)."""
    return {int(r["number"]): pr.t("phases.timeline.row", n=int(r["number"])) for r in view.phases.to_dict("records")}


def timeline_chart(view: PhasesView, pr: Presenter) -> go.Figure:
    """Each phase as a bar, with announcements, target deadlines and the latest count inside it.

    One number is written on the chart per phase, its last target (the others are in the hover
    and in the table beside the chart): on a phone a year is 40 px, too narrow for two labels.
    """
    items = view.timeline
    names = _short_names(view, pr)
    full = _phase_names(view, pr)
    phases = {int(r["number"]): r for r in view.phases.to_dict("records")}
    fig = go.Figure()
    for r in items[items["kind"] == "phase"].to_dict("records"):
        ph = phases[r["phase"]]
        span = pr.t("phases.dates", start=pr.date(r["start"], "month"), end=pr.date(r["end"], r["precision"]))
        fig.add_trace(go.Bar(
            y=[names[r["phase"]]], x=[(r["end"] - r["start"]).total_seconds() * 1000], base=[r["start"]], orientation="h",
            marker={"color": PHASE_COLOURS.get(r["phase"], "#888"), "opacity": 0.55}, name=full[r["phase"]], showlegend=False,
            customdata=[[escape.html(full[r["phase"]]), escape.html(span),
                         pr.hover(pr.localised(ph, "promise")), escape.html(pr.source_label(r["source"]) if r["source"] else "")]],
            hovertemplate=HOVER_4, width=0.5))
    last_target = {}
    for r in items[items["kind"] == "milestone"].to_dict("records"):
        if r["phase"] not in last_target or r["start"] >= last_target[r["phase"]]["start"]:
            last_target[r["phase"]] = r
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
            last = last_target.get(r["phase"])
            if kind == "milestone" and rec is not None and last is not None and (last["start"], last["figure"]) == (r["start"], r["figure"]):
                label = pr.marked(rec["value"], rec["qualifier"]) + (" " + pr.unit("set") if rec["unit"] == "set" else "")
            texts.append(label)
            cd.append([escape.html(pr.t(f"phases.timeline.kind.{kind}")) + " · " + escape.html(pr.date(r["start"], r["precision"])),
                       escape.html(what), pr.hover(quote), escape.html(pr.source_label(r["source"]) if r["source"] else "")])
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text" if kind == "milestone" else "markers", name=pr.t(f"phases.timeline.kind.{kind}"),
            marker={"symbol": MARKERS[kind], "size": 13 if kind != "announcement" else 10,
                    "color": "#222" if kind != "count" else "#2ca02c", "line": {"width": 2}},
            text=texts, textposition="top left", textfont={"color": "#222"}, cliponaxis=False, customdata=cd, hovertemplate=HOVER_4))
    if view.ref is not None:
        fig.add_shape(type="line", x0=view.ref, x1=view.ref, yref="paper", y0=0, y1=1, line={"dash": "dot", "color": REF_COLOUR})
        # Named in the legend (a label on the line would sit under the legend or on a bar).
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"dash": "dot", "color": REF_COLOUR},
                                 name=pr.t("phases.timeline.ref", date=pr.date(view.ref)), hoverinfo="skip"))
    return finish(fig, pr, 320, barmode="overlay", margin={"l": 10, "r": 16, "t": 10, "b": 10}, xaxis={"type": "date"},
                  yaxis={"autorange": "reversed"})


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
    """The request line by line, each line a bar starting where the one before ends, so together
    they run the length of the total bar below them.

    Every bar is labelled beside itself (name, amount, share, kind): no legend to clip, and a
    1% line is as readable as a 30% one. Each line has its own colour; published, reserved,
    derived and unexplained lines also differ by pattern, for readers who cannot tell the colours.
    """
    b = view.budget
    total = float(b.total["value"]) if b.total else 0.0
    costed = [x for x in b.lines if x.value is not None]
    fig = go.Figure()
    start = 0.0
    for i, ln in enumerate(costed):
        name, kind = line_label(pr, ln.claim), pr.t(f"phases.money.kind.{ln.kind}")
        src = pr.source_label(ln.figure["source"]) if ln.figure else pr.t("phases.money.derived_from")
        colour = REMAINDER_COLOUR if ln.kind == "remainder" else LINE_COLOURS[i % len(LINE_COLOURS)]
        fig.add_trace(go.Bar(
            y=[ln.claim], x=[ln.value], base=[start], orientation="h", name=f"{name} ({kind})", showlegend=False,
            meta={"kind": ln.kind, "claim": ln.claim},
            marker={"color": colour, "line": {"color": "#333", "width": 1},
                    "pattern": {"shape": KIND_PATTERNS.get(ln.kind, ""), "fgcolor": "#111", "fgopacity": 0.55, "solidity": 0.3}},
            customdata=[[escape.html(name), escape.html(pr.money(ln.value, ln.qualifier)), escape.html(kind),
                         escape.html(src), pr.hover(ln.figure["quote"] if ln.figure else how_text(view, pr, ln))]],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>%{customdata[3]}<br>"
                          "<i>%{customdata[4]}</i><extra></extra>"))
        share = pr.percent(ln.value / total * 100) if total else ""
        # The label sits above its bar, from the chart's left edge: the full width is free for it,
        # so it never runs off a phone's screen, however narrow or far right the bar is.
        label = "<br>".join(escape.html(x) for x in textwrap.wrap(name, LABEL_CHARS_ZH if pr.zh else LABEL_CHARS))
        label = f"<b>{label}</b><br>" + escape.html(f"{pr.money(ln.value, ln.qualifier)} · {share} · {kind}")
        fig.add_annotation(x=0, y=ln.claim, text=label, showarrow=False, xanchor="left", yanchor="bottom", align="left",
                           yshift=BAR_HALF_PX, font={"size": 12, "color": "#222"})
        start += ln.value
    if b.total:
        total_text = pr.t("phases.money.total_bar", total=pr.money(total, b.total["qualifier"]))
        fig.add_trace(go.Bar(y=["total"], x=[total], base=[0], orientation="h", name=total_text, showlegend=False,
                             marker={"color": "#444"}, text=[escape.html(total_text)], textposition="inside",
                             insidetextanchor="middle", textfont={"color": "white"}, hoverinfo="skip", meta={"kind": "total"}))
    ticks = [i * 1e9 for i in range(int(total // 1e9) + 1)]
    tick_text = [pr.t("phases.money.tick", n=f"{v / 1e8:g}" if pr.zh else f"{v / 1e9:g}") for v in ticks]
    rows = len(costed) + 1
    return finish(fig, pr, ROW_PX * rows + 30, date_axis=False, barmode="overlay", showlegend=False, bargap=0.75,
                  margin={"l": 6, "r": 6, "t": 6, "b": 6},
                  xaxis={"tickvals": ticks, "ticktext": tick_text, "range": [0, total * 1.005] if total else None},
                  yaxis={"autorange": "reversed", "showticklabels": False, "categoryorder": "array",
                         "categoryarray": [ln.claim for ln in costed] + ["total"]})


def scenario_chart(view: PhasesView, pr: Presenter, rate=0, start=None, base: str | None = None) -> go.Figure:
    """The scenario's straight line, the published starting count, the published targets and where they are met."""
    res = scenario_result(view, rate, start, base)
    fig = go.Figure()
    if res is None:
        return fig
    fig.add_trace(go.Scatter(x=res.curve["date"], y=res.curve["cameras"], mode="lines", name=pr.t("phases.scenario.curve"),
                             line={"color": "#e6791e", "width": 3}, hovertemplate=f"%{{x|{hover_date(pr)}}}: %{{y:,.0f}}<extra></extra>"))
    b = res.base
    fig.add_trace(go.Scatter(x=[b["as_of"]], y=[b["value"]], mode="markers", name=pr.t("phases.scenario.base_point"),
                             marker={"size": 11, "color": "#2ca02c", "symbol": "square"},
                             customdata=[[escape.html(pr.value(b)), escape.html(pr.source_label(b["source"])), pr.hover(b["quote"])]],
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"))
    recs = [view.figures_by_id[tg.figure_id] for tg in view.targets]
    fig.add_trace(go.Scatter(x=[tg.deadline for tg in view.targets], y=[tg.value for tg in view.targets], mode="markers+text",
                             name=pr.t("phases.scenario.targets"), marker={"symbol": "diamond", "size": 14, "color": "#222"},
                             text=[pr.n(tg.value) for tg in view.targets], textposition="top left", cliponaxis=False,
                             customdata=[[escape.html(pr.value(r)), escape.html(pr.source_label(r["source"])), pr.hover(r["quote"])] for r in recs],
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"))
    hits = [(tg, res.reached[tg.figure_id]) for tg in view.targets
            if res.reached[tg.figure_id] is not None and res.reached[tg.figure_id] is not scenario.BEYOND]
    if hits:
        fig.add_trace(go.Scatter(x=[d for _, d in hits], y=[tg.value for tg, _ in hits], mode="markers",
                                 name=pr.t("phases.scenario.reached"),
                                 marker={"size": 12, "color": "#e6791e", "symbol": "circle-open", "line": {"width": 3}},
                                 hovertemplate=f"%{{x|{hover_date(pr, day=True)}}}: %{{y:,.0f}}<extra></extra>"))
    top = max([float(res.curve["cameras"].max())] + [tg.value for tg in view.targets])
    return finish(fig, pr, 400, yaxis={"title": pr.t("phases.scenario.y"), "rangemode": "tozero", **count_axis(top, pr)})
