"""What every chart shares: the hover layout, margins, range bars for sets, Chinese date axes."""
from __future__ import annotations

import plotly.graph_objects as go

from ui.present import Presenter

# customdata: value, date, source, quote, one extra line (Presenter.hover_row).
HOVER = ("<b>%{customdata[0]}</b> · %{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i>"
         "<br>%{customdata[4]}<extra>%{fullData.name}</extra>")
# customdata: title, what, quote/promise, source (plans, timelines, budget lines).
HOVER_4 = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><br>%{customdata[3]}<extra></extra>"
MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}
LEGEND_BELOW = {"orientation": "h", "y": -0.15}


def range_segments(rows: list[dict], low: str, high: str, x: str, cd: list) -> tuple[list, list, list]:
    """x, y, customdata for vertical low-high bars, one per row, separated by gaps (None)."""
    xs, ys, cds = [], [], []
    for r, row_cd in zip(rows, cd):
        xs += [r[x], r[x], None]
        ys += [r[low], r[high], None]
        cds += [row_cd, row_cd, [""] * len(row_cd)]
    return xs, ys, cds


def localise_axes(fig: go.Figure, pr: Presenter) -> go.Figure:
    """Chinese month labels on date axes in zh-Hant (plotly's default is English)."""
    if pr.zh:
        fig.update_xaxes(tickformat="%Y年%-m月")
    return fig


def finish(fig: go.Figure, pr: Presenter, height: int, date_axis: bool = True, **layout) -> go.Figure:
    """Common layout; a date x axis gets Chinese month labels in zh-Hant."""
    fig.update_layout(height=height, margin=layout.pop("margin", MARGIN), hoverlabel={"align": "left"},
                      legend=layout.pop("legend", LEGEND_BELOW), **layout)
    return localise_axes(fig, pr) if date_axis else fig
