"""What every chart shares: the hover layout, margins, legends, range bars for sets, axes in the reader's language."""
from __future__ import annotations

import math

import plotly.graph_objects as go

from ui.present import Presenter

# customdata: value, date, source, quote, one extra line (Presenter.hover_row).
HOVER = ("<b>%{customdata[0]}</b> · %{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i>"
         "<br>%{customdata[4]}<extra>%{fullData.name}</extra>")
# customdata: title, what, quote/promise, source (plans, timelines, budget lines).
HOVER_4 = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><br>%{customdata[3]}<extra></extra>"
MARGIN = {"l": 10, "r": 10, "t": 10, "b": 10}
# Legends sit above the plot: below it, a legend that wraps on a phone runs into the x-axis title.
# Plotly grows the top margin to fit it.
LEGEND_TOP = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0, "title": {"text": ""}}
# The plotly toolbar sits over the top of the plot (on a phone, over the bars and the legend);
# zoom by dragging and reset by double-click still work without it.
CONFIG = {"displayModeBar": False, "responsive": True}


def range_segments(rows: list[dict], low: str, high: str, x: str, cd: list) -> tuple[list, list, list]:
    """x, y, customdata for vertical low-high bars, one per row, separated by gaps (None)."""
    xs, ys, cds = [], [], []
    for r, row_cd in zip(rows, cd):
        xs += [r[x], r[x], None]
        ys += [r[low], r[high], None]
        cds += [row_cd, row_cd, [""] * len(row_cd)]
    return xs, ys, cds


def count_label(value: float, pr: Presenter) -> str:
    """A tick label for a count: 60,000 in English, 6萬 in Chinese (never plotly's "60k")."""
    if pr.zh and value >= 10_000:
        return f"{value / 10_000:,.4g}萬"
    return f"{value:,.0f}" if value >= 1 or value == 0 else f"{value:g}"


def nice_step(top: float, ticks: int = 6) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `ticks` ticks up to `top`."""
    raw = max(top, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def count_axis(top: float, pr: Presenter, log: bool = False, bottom: float = 1.0) -> dict:
    """tickvals/ticktext for a count axis up to `top`: round steps, or powers of ten on a log axis
    (only those: plotly's log minor ticks read as a bare "2" and "5")."""
    if not top or top <= 0 or math.isnan(top):
        return {}
    if log:
        lo = math.floor(math.log10(max(bottom, 1e-9)))
        vals = [10 ** e for e in range(lo, math.ceil(math.log10(top)) + 1)]
    else:
        step = nice_step(top)
        vals = [i * step for i in range(int(top // step) + 2)]
    return {"tickvals": vals, "ticktext": [count_label(v, pr) for v in vals]}


def localise_axes(fig: go.Figure, pr: Presenter) -> go.Figure:
    """Chinese month labels on date axes in zh-Hant (plotly's default is English)."""
    if pr.zh:
        fig.update_xaxes(tickformat="%Y年%-m月")
    return fig


def hover_date(pr: Presenter, day: bool = False) -> str:
    """A plotly hover date format in the reader's language: 'Mar 2027' / '2027年3月'."""
    if pr.zh:
        return "%Y年%-m月%-d日" if day else "%Y年%-m月"
    return "%-d %b %Y" if day else "%b %Y"


def finish(fig: go.Figure, pr: Presenter, height: int, date_axis: bool = True, **layout) -> go.Figure:
    """Common layout; a date x axis gets Chinese month labels in zh-Hant."""
    legend = {**LEGEND_TOP, **layout.pop("legend", {})}
    fig.update_layout(height=height, margin=layout.pop("margin", MARGIN), hoverlabel={"align": "left"},
                      legend=legend, separators=".,", **layout)
    return localise_axes(fig, pr) if date_axis else fig
