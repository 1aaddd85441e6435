"""The home page's charts: counts against the plan, target drift, outcomes, other cities."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics import progress
from metrics.views.progress import ProgressView
from ui import escape
from ui.charts.common import HOVER, HOVER_4, count_axis, finish, range_segments
from ui.present import Presenter, missing

BASIS_COLOURS = {"installed_by_police": "#1f6fb4", "connected_third_party": "#e6791e", "in_system_total": "#2ca02c"}
PLAN_COLOUR = "#6b6b6b"
OUTCOME_COLOURS = {"cases_assisted": "#8e5bb8", "arrests": "#c9302c"}
HK_COLOUR = "#c0392b"
DEADLINE_COLOURS = ("#1f6fb4", "#e6791e", "#2ca02c", "#c9302c", "#8e5bb8", "#8c564b", "#17becf")


def set_range(view: ProgressView, pr: Presenter) -> dict | None:
    """{'low': '2', 'high': '3'}: the published cameras-per-set range, for labels."""
    return {"low": pr.n(view.per_set[0]), "high": pr.n(view.per_set[1])} if view.per_set else None


def _scaled(values, view: ProgressView, per1000: bool) -> pd.Series:
    v = pd.Series(list(values), dtype="float64")
    return progress.per_1000(v, view.population) if per1000 and view.population is not None else v


def _plan_cd(r: dict, view: ProgressView, pr: Presenter) -> list[str]:
    phases = view.phases.set_index("number")
    ph = phases.loc[r["phase"]]
    if r["kind"] == "start":
        what = pr.t("progress.chart.plan_start", value=pr.number(r["value"], r["qualifier"]), date=pr.date(r["date"], "month"))
    else:
        what = pr.t("progress.chart.plan_end", value=pr.number(r["value"], r["qualifier"]), unit=pr.unit(r["unit"]),
                    date=pr.date(r["date"], r["precision"]))
    sources = ", ".join(pr.source_label(s) for s in r["sources"][:4]) + (f" (+{len(r['sources']) - 4})" if len(r["sources"]) > 4 else "")
    return [escape.html(pr.localised(ph, "name") or ""), escape.html(what), pr.hover(pr.localised(ph, "promise"), 70),
            escape.html(sources)]


def _add_plan(fig: go.Figure, view: ProgressView, pr: Presenter, per1000: bool) -> None:
    plan = view.plan
    line = plan[plan["kind"] != "sets"].to_dict("records")
    fig.add_trace(go.Scatter(
        x=[r["date"] for r in line], y=list(_scaled([r["value"] for r in line], view, per1000)), mode="lines+markers",
        name=pr.t("progress.chart.plan"), legendgroup="plan", meta={"basis": "plan", "kind": "plan"},
        line={"color": PLAN_COLOUR, "dash": "dash", "width": 2}, marker={"symbol": "diamond-open", "size": 10, "color": PLAN_COLOUR},
        customdata=[_plan_cd(r, view, pr) for r in line], hovertemplate=HOVER_4))
    sets = plan[(plan["kind"] == "sets") & plan["low"].notna()].to_dict("records")
    if sets and not per1000:
        xs, ys, cd = range_segments(sets, "low", "high", "date", [_plan_cd(r, view, pr) for r in sets])
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=pr.t("progress.chart.plan_sets", **set_range(view, pr)), legendgroup="plan",
            meta={"basis": "plan", "kind": "plan_sets"}, opacity=0.5, line={"color": PLAN_COLOUR, "width": 6},
            marker={"symbol": "line-ew-open", "size": 14, "color": PLAN_COLOUR}, customdata=cd, hovertemplate=HOVER_4))


def progress_chart(view: ProgressView, pr: Presenter, bases=progress.COUNT_BASES, show_plan: bool = True, per1000: bool = False,
                   log_y: bool = False, zoom: bool = False) -> go.Figure:
    """Published counts by basis (sets as camera ranges), and the official plan as a dashed path."""
    fig = go.Figure()
    per1000 = per1000 and view.population is not None
    pop = view.population

    def rate(r) -> str:
        if not per1000:
            return ""
        return pr.t("progress.chart.rate_hover", rate=pr.n(progress.per_1000(float(r["value"]), pop), 2), year=pop.year)

    counts = view.counts
    for basis in [b for b in progress.COUNT_BASES if b in bases]:
        part = counts[counts["basis"] == basis]
        cams = part[~part["is_set"]].to_dict("records")
        sets = part[part["is_set"] & part["low"].notna()].to_dict("records")
        colour = BASIS_COLOURS.get(basis, "#333")
        if cams:
            y = _scaled([r["value"] for r in cams], view, per1000)
            high = _scaled([r["value"] if missing(r["value_high"]) else r["value_high"] for r in cams], view, per1000)
            fig.add_trace(go.Scatter(
                x=[r["as_of"] for r in cams], y=list(y), mode="markers+text", name=pr.basis(basis), legendgroup=basis,
                meta={"basis": basis, "kind": "cameras"}, marker={"size": 10, "color": colour},
                text=[pr.mark(r["qualifier"]) for r in cams], textposition="middle left", textfont={"color": colour, "size": 15},
                error_y={"type": "data", "symmetric": False, "array": list(high - y), "arrayminus": [0] * len(y),
                         "visible": bool((high > y).any()), "color": colour},
                customdata=[pr.hover_row(r, rate(r)) for r in cams], hovertemplate=HOVER))
        if sets and not per1000:
            xs, ys, cd = range_segments(sets, "low", "high", "as_of", [pr.hover_row(r) for r in sets])
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", name=pr.t("progress.chart.sets_trace", basis=pr.basis(basis), **set_range(view, pr)),
                legendgroup=basis, meta={"basis": basis, "kind": "sets"}, opacity=0.5,
                line={"color": colour, "width": 6}, marker={"symbol": "line-ew-open", "size": 14, "color": colour},
                customdata=cd, hovertemplate=HOVER))
    if show_plan and not view.plan.empty:
        _add_plan(fig, view, pr, per1000)
    y_title = pr.t("progress.chart.y_per1000", year=pop.year) if per1000 else pr.t("progress.chart.y_cameras")
    finish(fig, pr, 500, hovermode="closest", yaxis={"title": y_title, "type": "log" if log_y else "linear", "rangemode": "tozero"})
    shown = counts[counts["basis"].isin(bases)]
    if zoom and not shown.empty:
        # Zoom to the published counts: their dates, and the top of their drawn range.
        fig.update_xaxes(range=[shown["as_of"].min() - pd.Timedelta(days=45), shown["as_of"].max() + pd.Timedelta(days=75)])
        if not log_y:
            top = _scaled([shown["high"].max()], view, per1000).iloc[0]
            fig.update_yaxes(range=[0, top * 1.12])
    if not per1000:  # counts: "60,000" / "6萬" ticks, never "60k"
        ys = [y for tr in fig.data for y in (tr.y or ()) if y is not None and y > 0]
        if ys:
            top = max(ys) if not (zoom and not shown.empty and not log_y) else fig.layout.yaxis.range[1]
            fig.update_yaxes(**count_axis(top, pr, log=log_y, bottom=min(ys)))
    return fig


def drift_chart(view: ProgressView, pr: Presenter) -> go.Figure:
    """Each published total target at the date it was stated, one line per deadline (a revision is a step)."""
    history = view.history
    fig = go.Figure()
    deadline = [pr.t("progress.drift.by", date=pr.date(d, p)) for d, p in zip(history["as_of"], history["as_of_precision"])]
    history = history.assign(deadline=deadline)
    cams = history[history["unit"] == "camera"]
    for i, (_, part) in enumerate(cams.groupby("as_of", sort=True)):
        rows = part.to_dict("records")
        first_of_value = ~part.duplicated(["value"])
        fig.add_trace(go.Scatter(
            x=[r["stated"] for r in rows], y=[r["value"] for r in rows], mode="lines+markers+text",
            text=[pr.marked(r["value"], r["qualifier"]) if show else "" for r, show in zip(rows, first_of_value)],
            textposition="top center", name=rows[0]["deadline"],
            line={"color": DEADLINE_COLOURS[i % len(DEADLINE_COLOURS)], "shape": "hv", "width": 1.5}, marker={"size": 9},
            customdata=[_stated_row(pr, r) for r in rows], hovertemplate=HOVER))
    sets = history[history["unit"] == "set"]
    if not sets.empty and view.per_set:
        lo, hi = view.per_set
        rows = sets.assign(low=sets["value"] * lo, high=sets["value_high"].fillna(sets["value"]) * hi).to_dict("records")
        xs, ys, cd = range_segments(rows, "low", "high", "stated", [_stated_row(pr, r) for r in rows])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=pr.t("progress.drift.sets", **set_range(view, pr)), opacity=0.45,
                                 line={"color": PLAN_COLOUR, "width": 6}, marker={"symbol": "line-ew-open", "size": 14},
                                 customdata=cd, hovertemplate=HOVER))
    ys = [y for tr in fig.data for y in (tr.y or ()) if y is not None and y > 0]
    return finish(fig, pr, 460, xaxis_title=pr.t("progress.drift.x"),
                  yaxis={"title": pr.t("progress.chart.y_cameras"), "type": "log",
                         **(count_axis(max(ys), pr, log=True, bottom=min(ys)) if ys else {})})


def _stated_row(pr: Presenter, r: dict) -> list[str]:
    """Hover for a target drawn at the date it was stated: the deadline travels in the extra line."""
    return pr.hover_row(r, r["deadline"])


def outcomes_chart(view: ProgressView, pr: Presenter, rate: bool = False) -> go.Figure:
    """Police-reported cases assisted and arrests over time (or per 1,000 police cameras)."""
    outs = view.outcomes
    fig = go.Figure()

    def rate_line(r) -> str:
        if missing(r["per_1000_cameras"]):
            return ""
        return pr.t("progress.outcomes.rate_hover", rate=pr.n(r["per_1000_cameras"], 1), cameras=pr.n(r["cameras"]))

    for basis in progress.OUTCOME_BASES:
        part = outs[outs["basis"] == basis]
        if rate:
            part = part[part["per_1000_cameras"].notna()]
        rows = part.to_dict("records")
        if not rows:
            continue
        fig.add_trace(go.Scatter(
            x=[r["as_of"] for r in rows], y=[r["per_1000_cameras"] if rate else r["value"] for r in rows], mode="lines+markers+text",
            name=pr.basis(basis), meta={"basis": basis}, marker={"size": 9, "color": OUTCOME_COLOURS[basis]},
            line={"color": OUTCOME_COLOURS[basis], "width": 1, "dash": "dot"},
            text=[pr.mark(r["qualifier"]) for r in rows], textposition="middle left",
            customdata=[pr.hover_row(r, rate_line(r)) for r in rows], hovertemplate=HOVER))
    ys = [y for tr in fig.data for y in (tr.y or ()) if y is not None and y > 0]
    return finish(fig, pr, 380, yaxis={"title": pr.t("progress.outcomes.y_rate" if rate else "progress.outcomes.y_count"),
                                       "rangemode": "tozero", **(count_axis(max(ys), pr) if ys and not rate else {})})


def edition_name(pr: Presenter, edition: str) -> str:
    return pr.label(f"progress.edition.{edition}", edition)


def cities_chart(view: ProgressView, pr: Presenter, metric: str, edition: str) -> go.Figure:
    """One edition's cities (never mixed with another edition) and Hong Kong's SmartView path on the same scale."""
    rows = progress.edition_rows(view.cities, edition, metric).to_dict("records")
    hk = view.hk_density
    hk = hk[hk[metric].notna()].to_dict("records") if len(hk) else []
    fig = go.Figure()
    if rows:
        names = [(r["city_zh"] if pr.zh else None) or r["city_en"] for r in rows]
        cd = [[escape.html(f"{pr.mark(r['qualifier'])}{pr.as_published(r[metric])}"), escape.html(str(r["year"])),
               escape.html(pr.source_label(r["source"])), pr.hover(r["quote"]) or escape.html(pr.t("progress.cities.no_quote"))]
              for r in rows]
        fig.add_trace(go.Bar(
            x=[r[metric] for r in rows], y=names, orientation="h", name=pr.t("progress.cities.trace", edition=edition_name(pr, edition)),
            marker={"color": "#8c9fb7"}, customdata=cd, textposition="outside", cliponaxis=False,
            text=[f"{pr.mark(r['qualifier'])}{pr.as_published(r[metric])}" for r in rows],
            hovertemplate="<b>%{y}</b>: %{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>"))
    if hk:
        year = view.population.year if view.population else ""
        labels = [pr.t(f"progress.cities.hk_{r['key']}", date=pr.date(r["date"], r["precision"])) for r in hk]
        cd = [[escape.html(pr.number(r["cameras"], r["qualifier"])), escape.html(pr.t("progress.cities.hk_hover", year=year))] for r in hk]
        fig.add_trace(go.Bar(
            x=[r[metric] for r in hk], y=labels, orientation="h", name=pr.t("progress.cities.hk_trace"),
            marker={"color": HK_COLOUR}, customdata=cd, textposition="outside", cliponaxis=False,
            text=[pr.n(r[metric], 2) for r in hk],
            hovertemplate="<b>%{y}</b>: %{x:.2f}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    return finish(fig, pr, max(260, 30 * (len(rows) + len(hk)) + 100), date_axis=False, barmode="overlay",
                  yaxis={"autorange": "reversed"},
                  xaxis_title=pr.t(f"progress.cities.{metric}"))
