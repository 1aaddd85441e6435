"""The safeguards page's chart: each capability's published status over time."""
from __future__ import annotations

import plotly.graph_objects as go

from metrics import safeguards
from metrics.views.safeguards import SafeguardsView
from ui import escape
from ui.charts.common import finish
from ui.present import Presenter

# Colour by what a status means for the public: switched on (red), could be (orange), planned
# (purple), not in use / not found (grey).
STATUS_COLOURS = {"in_use": "#c0392b", "pilot": "#e74c3c", "claimed": "#e67e22", "capable_not_used": "#f39c12",
                  "planned": "#8e44ad", "not_ruled_out": "#9b59b6", "not_in_use": "#7f8c8d", "ruled_out": "#95a5a6",
                  "not_found": "#bdc3c7"}
STATUS_SYMBOLS = {"in_use": "circle", "pilot": "circle", "claimed": "x", "capable_not_used": "triangle-up",
                  "planned": "diamond", "not_ruled_out": "diamond-open", "not_in_use": "circle-open", "ruled_out": "circle-open",
                  "not_found": "square-open"}
REF_COLOUR = "#c0392b"


def capabilities_chart(view: SafeguardsView, pr: Presenter) -> go.Figure:
    """One row per capability, one mark per dated statement, coloured by status; undated ones are listed, not drawn."""
    timeline = view.timeline
    fig = go.Figure()
    names = list(dict.fromkeys(timeline["name"]))
    dated = timeline[timeline["date"].notna()]
    for _, g in dated.groupby("capability", sort=False):
        fig.add_trace(go.Scatter(x=g["date"], y=g["name"], mode="lines", line={"color": "#ddd", "width": 2},
                                 showlegend=False, hoverinfo="skip"))
    # Draw the least active statuses first so an "in use" mark is never hidden under another on the same day.
    for status in reversed(safeguards.CAPABILITY_STATUS_ORDER):
        part = dated[dated["status"] == status].to_dict("records")
        if not part:
            continue
        label = pr.t(f"safeguards.cap_status.{status}")
        cd = [[escape.html(r["name"]), escape.html(label), escape.html(pr.date(r["date"], r["date_precision"])), pr.hover(r["summary"]),
               escape.html(pr.source_label(r["source"])), pr.hover(r["quote"])] for r in part]
        colour = STATUS_COLOURS.get(status, "#333")
        fig.add_trace(go.Scatter(
            x=[r["date"] for r in part], y=[r["name"] for r in part], mode="markers", name=label, meta={"status": status},
            marker={"size": 13, "color": colour, "symbol": STATUS_SYMBOLS.get(status, "circle"), "line": {"width": 2, "color": colour}},
            customdata=cd, hovertemplate="<b>%{customdata[0]}</b> · %{customdata[1]} · %{customdata[2]}<br>%{customdata[3]}<br>"
                                         "%{customdata[4]}<br><i>%{customdata[5]}</i><extra></extra>"))
    if view.ref is not None:
        fig.add_shape(type="line", x0=view.ref, x1=view.ref, yref="paper", y0=0, y1=1, line={"dash": "dot", "color": REF_COLOUR})
    return finish(fig, pr, 120 + 48 * len(names), margin={"l": 10, "r": 10, "t": 20, "b": 10},
                  yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
                  legend={"traceorder": "reversed"})
