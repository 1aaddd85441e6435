"""Rollout progress (home page): how far along SmartView is, whether it is on track, and who said so.

Layout only: every number comes from data/ through metrics/progress.py and metrics/conflicts.py;
every string from ui/strings/progress.yaml. Data text reaching Markdown or a plotly hover is escaped.
View choices are widgets bound to the URL (p_bases, p_per1000, p_plan, p_log, p_out1000, p_cmp, p_ed).
"""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import progress as P
from ui import data_io, escape, fmt, layout, state
from ui.i18n import catalogue, t

FILES = ("figures.yaml", "sources.yaml", "phases.yaml", "capabilities.yaml", "cities.yaml", "districts.csv")
BASIS_COLOURS = {"installed_by_police": "#1f6fb4", "connected_third_party": "#e6791e", "in_system_total": "#2ca02c"}
PLAN_COLOUR = "#6b6b6b"
OUTCOME_COLOURS = {"cases_assisted": "#8e5bb8", "arrests": "#c9302c"}
HK_COLOUR = "#c0392b"
DEADLINE_COLOURS = ("#1f6fb4", "#e6791e", "#2ca02c", "#c9302c", "#8e5bb8", "#8c564b", "#17becf")
# Short marks so a qualifier stays visible on the chart itself ("~5,000", ">4,500", "<4,000").
QUALIFIER_MARK = {"exact": "", "range": "", "about": "~", "more_than": ">", "almost": "<", "at_least": "≥", "up_to": "≤"}
HOVER = ("<b>%{customdata[0]}</b> · %{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i>"
         "<br>%{customdata[4]}<extra>%{fullData.name}</extra>")
CHART_MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}

lang = state.lang()
bundle = data_io.bundle()
figures, sources = bundle["figures"], bundle["sources"]


# --- text helpers -----------------------------------------------------------------------------

def label(key: str, fallback: str, **values) -> str:
    """A catalogue string when the key exists (labels for data slugs), else the slug itself."""
    return t(key, lang, **values) if key in catalogue() else fallback


def missing(value) -> bool:
    return value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value))


def qualified_number(value, qualifier, value_high=None, digits: int = 0) -> str:
    """'about 5,000' / '約5,000' / '2,000–2,500': the number with its published qualifier, no unit."""
    n = fmt.number(value, lang, digits)
    if qualifier == "range" and not missing(value_high):
        n = f"{n}–{fmt.number(value_high, lang, digits)}"
    q = "" if qualifier in ("exact", "range") else t(f"qualifier.{qualifier}", lang)
    return f"{q}{n}" if lang == "zh-Hant" else " ".join(x for x in (q, n) if x)


def value_text(r) -> str:
    """The published value with qualifier and unit: 'about 5,000 cameras', 'more than HK$240 million a year'."""
    high = r.get("value_high")
    if r["unit"] in ("hkd", "hkd_per_year"):
        q = "" if r["qualifier"] in ("exact", "range") else t(f"qualifier.{r['qualifier']}", lang)
        money = fmt.money_hkd(r["value"], lang)
        if r["unit"] == "hkd_per_year":
            money = t("progress.per_year", lang, amount=money)
        return f"{q}{money}" if lang == "zh-Hant" else " ".join(x for x in (q, money) if x)
    return fmt.qualified(r["value"], r["qualifier"], r["unit"], lang, None if missing(high) else high)


def date_text(value, precision) -> str:
    """A date as precisely as published; a month/year date on the period's last day reads "end of ..."."""
    if missing(value) or precision == "undated":
        return t("progress.undated", lang)
    precision = precision or "day"
    return fmt.date(value, precision, lang)


def as_published(value) -> str:
    """A decimal with the digits it was published with (68.4, 15.25, 7), thousands grouped."""
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def time_axis(fig: go.Figure) -> go.Figure:
    """Chinese month labels on date axes in zh-Hant (plotly's default is English)."""
    if lang == "zh-Hant":
        fig.update_xaxes(tickformat="%Y年%-m月")
    return fig


def district_names(codes: list[str]) -> str:
    """District codes -> names in the page language, joined ("Wan Chai, Southern")."""
    d = bundle["districts"].set_index("code")
    col = "name_zh" if lang == "zh-Hant" else "name_en"
    return t("progress.list_sep", lang).join(str(d.loc[c, col]) if c in d.index else c for c in codes)


def basis_label(basis: str) -> str:
    return label(f"progress.basis.{basis}", basis)


def source_label(source_id: str) -> str:
    """Plain 'Publisher (date)' for hovers and tables (escape it before it reaches HTML)."""
    s = bundle.source(source_id)
    if s is None:
        return str(source_id)
    copy = "" if s["original"] else " " + t("progress.copy_mark", lang, publisher=s["original_publisher"] or "?")
    return f"{s['publisher']} ({s['published']}){copy}"


def source_url(source_id: str):
    s = bundle.source(source_id)
    return s["url"] if s else None


def hover_text(text, width: int = 60) -> str:
    """Escaped, line-wrapped text for a plotly hover (quotes stay verbatim)."""
    if missing(text):
        return ""
    return "<br>".join(escape.html(line) for line in textwrap.wrap(str(text), width=width))


def citation(source_id: str, quote, quote_lang) -> str:
    """layout.citation for this page's bundle and language (a missing quote shows none)."""
    return layout.citation(bundle, source_id, lang, None if missing(quote) else quote, quote_lang)


def note_md(note) -> str:
    return "" if missing(note) else f"\n\n_{t('progress.note', lang)}: {escape.md(note)}_"


def cite(r) -> str:
    """Markdown: the record's value and date, its source with the verbatim quote, and its note."""
    head = f"**{escape.md(value_text(r))}** · {escape.md(date_text(r['as_of'], r['as_of_precision']))}"
    return head + "\n\n" + citation(r["source"], r["quote"], r["quote_lang"]) + note_md(r.get("note"))


def source_popover(records: pd.DataFrame, key: str) -> None:
    """The one-click source behind a headline number: every record that states it."""
    if records is None or records.empty:
        return
    with st.popover(t("progress.sources_button", lang, n=len(records)), key=key):
        for i, (_, r) in enumerate(records.iterrows()):
            if i:
                st.divider()
            st.markdown(cite(r))


def hover_rows(df: pd.DataFrame, extra=lambda r: "") -> list[list[str]]:
    """customdata for HOVER: value, date, source, quote, one extra line (all escaped)."""
    return [[escape.html(value_text(r)), escape.html(date_text(r["as_of"], r["as_of_precision"])),
             escape.html(source_label(r["source"])), hover_text(r["quote"]), escape.html(extra(r))]
            for _, r in df.iterrows()]


def range_segments(df: pd.DataFrame, low: str, high: str, x: str, cd: list) -> tuple[list, list, list]:
    """x, y, customdata for vertical low-high bars, one per row, separated by gaps (None)."""
    xs, ys, cds = [], [], []
    for (_, r), row_cd in zip(df.iterrows(), cd):
        xs += [r[x], r[x], None]
        ys += [r[low], r[high], None]
        cds += [row_cd, row_cd, [""] * len(row_cd)]
    return xs, ys, cds


LINK = t("progress.col.link", lang)
LINK_CONFIG = {LINK: st.column_config.LinkColumn(display_text=t("progress.col.open", lang))}


def records_table(df: pd.DataFrame, first: dict | None = None, date_col: str = "as_of") -> None:
    """Records as a table with source and link (dataframe cells are never rendered as Markdown)."""
    precision = df["as_of_precision"] if date_col == "as_of" else ["day"] * len(df)
    st.dataframe(pd.DataFrame({
        t("progress.col.stated" if date_col == "stated" else "progress.col.date", lang):
            [date_text(d, p) for d, p in zip(df[date_col], precision)],
        **(first or {}),
        t("progress.col.value", lang): [value_text(r) for _, r in df.iterrows()],
        t("progress.col.source", lang): [source_label(s) for s in df["source"]],
        LINK: [source_url(s) for s in df["source"]],
        t("progress.col.quote", lang): list(df["quote"]),
    }), hide_index=True, width="stretch", column_config=LINK_CONFIG)


# --- what the page is computed from -----------------------------------------------------------

per_set_record = P.cameras_per_set(figures)
per_set = P.per_set_range(figures)
counts = P.counts(figures, per_set=per_set)
police = P.latest_records(figures, "installed_by_police")
system = P.latest_records(figures, "in_system_total")
third = P.latest_records(figures, "connected_third_party")
lead, lead_system, lead_third = (P.headline_record(x) for x in (police, system, third))
target = P.target_record(figures, bundle["phases"])
pace = P.recent_pace(figures)
pop = P.population(bundle["districts"])
area = P.land_area_km2(bundle["districts"])
conflicts = data_io.conflicts(bundle)
need = need_months = None
if target is not None and lead is not None:
    need, need_months = P.needed_pace(lead["value"], lead["as_of"], target["value"], target["as_of"])
reach = None
if pace is not None and pace.per_month is not None and target is not None:
    reach = P.reach_date(lead["value"], lead["as_of"], target["value"], pace.per_month)
set_range = {"low": fmt.number(per_set[0], lang), "high": fmt.number(per_set[1], lang)} if per_set else None


# --- title and freshness ----------------------------------------------------------------------

st.title(t("progress.title", lang))
st.markdown(t("progress.intro", lang))
layout.problems_warning(bundle, lang, files=FILES)
newest = layout.newest_as_of(figures)
if newest is not None:
    precisions = figures.loc[figures["as_of"] == newest, "as_of_precision"]
    finest = min(precisions, key=lambda p: ("day", "month", "year", "undated").index(p))
    st.caption(t("progress.last_updated", lang, date=date_text(newest, finest),
                 count_date=date_text(lead["as_of"], lead["as_of_precision"]) if lead is not None
                 else t("common.not_published", lang)))


# --- headline ---------------------------------------------------------------------------------

def headline_metric(label_key: str, records: pd.DataFrame, key: str, extra: str | None = None, help_key: str | None = None) -> None:
    """A published number with its date, every disagreeing reading, and its sources."""
    help_text = t(help_key, lang) if help_key else None
    if records.empty:
        st.metric(t(label_key, lang), t("common.not_published", lang), help=help_text)
        return
    readings = P.distinct_readings(records)
    first = readings.iloc[0]
    st.metric(t(label_key, lang), qualified_number(first["value"], first["qualifier"], first["value_high"]), help=help_text)
    st.caption(t("progress.as_of", lang, date=date_text(first["as_of"], first["as_of_precision"])))
    if len(readings) > 1:
        others = " / ".join(qualified_number(r["value"], r["qualifier"], r["value_high"]) for _, r in readings.iloc[1:].iterrows())
        st.caption(t("progress.sources_differ", lang, others=others))
    if extra:
        st.caption(extra)
    source_popover(records, key)


def not_published_metric(label_text: str) -> None:
    st.metric(label_text, t("common.not_published", lang))


st.subheader(t("progress.headline.title", lang))
# Two per row: qualified values ("about 11,000") are cut off in four narrow columns.
c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
with c1:
    headline_metric("progress.headline.police", police, "p_src_police")
with c2:
    third_note = None if lead_third is None else t(
        "progress.headline.third_party", lang, value=qualified_number(lead_third["value"], lead_third["qualifier"]),
        date=date_text(lead_third["as_of"], lead_third["as_of_precision"]))
    headline_metric("progress.headline.system", system, "p_src_system", extra=third_note, help_key="progress.headline.system_help")
with c3:
    if target is None:
        not_published_metric(t("progress.headline.target", lang))
    else:
        st.metric(t("progress.headline.target", lang), qualified_number(target["value"], target["qualifier"]))
        st.caption(t("progress.headline.target_by", lang, date=date_text(target["as_of"], target["as_of_precision"]),
                     stated=date_text(target["stated"], "day")))
        source_popover(figures[figures["claim"] == target["claim"]].sort_values("stated"), "p_src_target")
with c4:
    if target is None or lead is None:
        not_published_metric(t("progress.headline.percent", lang))
    else:
        st.metric(t("progress.headline.percent", lang), fmt.percent(lead["value"] / target["value"] * 100, lang))
        st.caption(t("progress.headline.percent_police", lang))
        if lead_system is not None:
            st.caption(t("progress.headline.percent_system", lang,
                         pct=fmt.percent(lead_system["value"] / target["value"] * 100, lang)))

target_n = fmt.number(target["value"], lang) if target is not None else t("common.not_published", lang)
d1, d2, d3 = st.columns(3)
with d1:
    needed_label = t("progress.headline.needed", lang, target=target_n)
    if need_months is None:
        not_published_metric(needed_label)
    else:
        st.metric(needed_label, t("progress.per_month", lang, n=fmt.number(need, lang)) if need is not None
                  else t("progress.deadline_passed", lang))
        st.caption(t("progress.headline.needed_note", lang, months=fmt.number(need_months, lang, 1),
                     date=date_text(target["as_of"], target["as_of_precision"])))
with d2:
    if pace is None or pace.per_month is None:
        not_published_metric(t("progress.headline.recent", lang))
    else:
        delta = None if not need else t("progress.headline.vs_needed", lang, pct=fmt.percent(pace.per_month / need * 100, lang, 0))
        st.metric(t("progress.headline.recent", lang), t("progress.per_month", lang, n=fmt.number(pace.per_month, lang)),
                  delta=delta, delta_color="off", delta_arrow="off")
        st.caption(t("progress.headline.recent_note", lang,
                     start=qualified_number(pace.earlier["value"], pace.earlier["qualifier"]),
                     start_date=date_text(pace.earlier["as_of"], pace.earlier["as_of_precision"]),
                     end=qualified_number(pace.latest["value"], pace.latest["qualifier"]),
                     end_date=date_text(pace.latest["as_of"], pace.latest["as_of_precision"]),
                     months=fmt.number(pace.months, lang, 1)))
        source_popover(pd.DataFrame([pace.earlier, pace.latest]), "p_src_pace")
with d3:
    reach_label = t("progress.headline.reach", lang, target=target_n)
    if reach is None:
        not_published_metric(reach_label)
    else:
        st.metric(reach_label, date_text(reach, "month"))
        late = (reach - target["as_of"]).days / 365.25
        st.caption(t("progress.headline.reach_late" if late > 0 else "progress.headline.reach_early", lang,
                     years=fmt.number(abs(late), lang, 1)))


def assumptions() -> list[str]:
    """The rules behind the headline, with the records and dates they use (Markdown, data escaped)."""
    out = []
    if lead is not None:
        out.append(t("progress.assume.latest", lang, value=escape.md(value_text(lead)),
                     date=escape.md(date_text(lead["as_of"], lead["as_of_precision"])), n=len(police)))
    if pace is not None and pace.earlier is not None:
        out.append(t("progress.assume.recent", lang, start=escape.md(value_text(pace.earlier)),
                     start_date=escape.md(date_text(pace.earlier["as_of"], pace.earlier["as_of_precision"])),
                     end=escape.md(value_text(pace.latest)),
                     end_date=escape.md(date_text(pace.latest["as_of"], pace.latest["as_of_precision"])),
                     window=P.PACE_WINDOW_MONTHS))
    if need is not None:
        out.append(t("progress.assume.needed", lang, target=fmt.number(target["value"], lang), latest=fmt.number(lead["value"], lang),
                     date=escape.md(date_text(target["as_of"], target["as_of_precision"])), months=fmt.number(need_months, lang, 1)))
        if lead_system is not None:
            sys_need, _ = P.needed_pace(lead_system["value"], lead_system["as_of"], target["value"], target["as_of"])
            if sys_need is not None:
                out.append(t("progress.assume.scope", lang, system=fmt.number(lead_system["value"], lang),
                             need=fmt.number(sys_need, lang)))
    out.append(t("progress.assume.qualifiers", lang))
    if set_range:
        out.append(t("progress.assume.sets", lang, **set_range,
                     source=escape.md(source_label(per_set_record["source"]))))
    else:
        out.append(t("progress.assume.sets_unknown", lang))
    if pop is not None and pop.column == "population_2021":
        out.append(t("progress.assume.population", lang, total=fmt.number(pop.total, lang), year=pop.year))
    elif pop is not None:
        out.append(t("progress.assume.population_fallback", lang, total=fmt.number(pop.total, lang), year=pop.year,
                     missing=escape.md(district_names(P.districts_missing(bundle["districts"], "population_2021")))))
    else:
        out.append(t("progress.assume.no_population", lang))
    return out


with st.container(border=True):
    st.markdown(f"**{t('progress.assume.title', lang)}**\n\n" + "\n".join(f"- {line}" for line in assumptions()))
    if pop is not None:
        with st.popover(t("progress.assume.population_sources", lang, n=len(pop.sources)), key="p_src_population"):
            st.markdown("\n\n".join(layout.citation(bundle, s, lang) for s in pop.sources))
    if target is not None and (conflicts["claim"] == target["claim"]).any():
        st.warning(t("progress.assume.scope_conflict", lang))


# --- progress chart ---------------------------------------------------------------------------

def scaled(values, per1000: bool) -> pd.Series:
    v = pd.Series(list(values), dtype="float64")
    return P.per_1000(v, pop) if per1000 and pop is not None else v


def progress_figure(bases: list[str], show_plan: bool, per1000: bool, log_y: bool, zoom: bool) -> go.Figure:
    """Published counts by basis (sets as camera ranges), and the official plan as a dashed path."""
    fig = go.Figure()

    def rate(r):
        if not per1000 or pop is None:
            return ""
        return t("progress.chart.rate_hover", lang, rate=fmt.number(P.per_1000(float(r["value"]), pop), lang, 2), year=pop.year)

    for basis in bases:
        part = counts[counts["basis"] == basis]
        cams, sets = part[~part["is_set"]], part[part["is_set"] & part["low"].notna()]
        colour = BASIS_COLOURS.get(basis, "#333")
        if not cams.empty:
            y = scaled(cams["value"], per1000)
            high = scaled(cams["value_high"].fillna(cams["value"]), per1000)
            fig.add_trace(go.Scatter(
                x=list(cams["as_of"]), y=list(y), mode="markers+text", name=basis_label(basis), legendgroup=basis,
                meta={"basis": basis, "kind": "cameras"}, marker={"size": 10, "color": colour},
                text=[QUALIFIER_MARK.get(q, "") for q in cams["qualifier"]], textposition="middle left",
                textfont={"color": colour, "size": 15},
                error_y={"type": "data", "symmetric": False, "array": list(high - y), "arrayminus": [0] * len(y),
                         "visible": bool((high > y).any()), "color": colour},
                customdata=hover_rows(cams, rate), hovertemplate=HOVER))
        if not sets.empty and not per1000:
            xs, ys, cd = range_segments(sets, "low", "high", "as_of", hover_rows(sets))
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", name=t("progress.chart.sets_trace", lang, basis=basis_label(basis), **set_range),
                legendgroup=basis, meta={"basis": basis, "kind": "sets"}, opacity=0.5,
                line={"color": colour, "width": 6}, marker={"symbol": "line-ew-open", "size": 14, "color": colour},
                customdata=cd, hovertemplate=HOVER))
    plan = P.plan_path(bundle["phases"], figures, per_set)
    if show_plan and not plan.empty:
        add_plan(fig, plan, per1000)
    y_title = t("progress.chart.y_per1000", lang, year=pop.year) if per1000 and pop is not None else t("progress.chart.y_cameras", lang)
    fig.update_layout(height=500, margin=CHART_MARGIN, hovermode="closest", legend={"orientation": "h", "y": -0.12},
                      yaxis={"title": y_title, "type": "log" if log_y else "linear", "rangemode": "tozero"},
                      hoverlabel={"align": "left"})
    shown = counts[counts["basis"].isin(bases)]
    if zoom and not shown.empty:
        # Zoom to the published counts: their dates, and the top of their drawn range.
        fig.update_xaxes(range=[shown["as_of"].min() - pd.Timedelta(days=45), shown["as_of"].max() + pd.Timedelta(days=75)])
        if not log_y:
            top = scaled([shown["high"].max()], per1000).iloc[0]
            fig.update_yaxes(range=[0, top * 1.12])
    return fig


def add_plan(fig: go.Figure, plan: pd.DataFrame, per1000: bool) -> None:
    phases = bundle["phases"].set_index("number")

    def plan_cd(r) -> list[str]:
        ph = phases.loc[r["phase"]]
        name = ph["name_zh"] if lang == "zh-Hant" else ph["name_en"]
        promise = ph["promise_zh"] if lang == "zh-Hant" and not missing(ph["promise_zh"]) else ph["promise_en"]
        if r["kind"] == "start":
            what = t("progress.chart.plan_start", lang, value=qualified_number(r["value"], r["qualifier"]),
                     date=fmt.date(r["date"], "month", lang))
        else:
            unit = t(f"unit.{r['unit']}", lang)
            what = t("progress.chart.plan_end", lang, value=qualified_number(r["value"], r["qualifier"]), unit=unit,
                     date=date_text(r["date"], r["precision"]))
        return [escape.html(name), escape.html(what), hover_text(promise, 70),
                escape.html(", ".join(source_label(s) for s in r["sources"][:4])
                            + (f" (+{len(r['sources']) - 4})" if len(r["sources"]) > 4 else ""))]

    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><br>%{customdata[3]}<extra></extra>"
    line = plan[plan["kind"] != "sets"]
    fig.add_trace(go.Scatter(
        x=list(line["date"]), y=list(scaled(line["value"], per1000)), mode="lines+markers", name=t("progress.chart.plan", lang),
        legendgroup="plan", meta={"basis": "plan", "kind": "plan"},
        line={"color": PLAN_COLOUR, "dash": "dash", "width": 2}, marker={"symbol": "diamond-open", "size": 10, "color": PLAN_COLOUR},
        customdata=[plan_cd(r) for _, r in line.iterrows()], hovertemplate=hover))
    sets = plan[(plan["kind"] == "sets") & plan["low"].notna()]
    if not sets.empty and not per1000:
        xs, ys, cd = range_segments(sets, "low", "high", "date", [plan_cd(r) for _, r in sets.iterrows()])
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=t("progress.chart.plan_sets", lang, **set_range), legendgroup="plan",
            meta={"basis": "plan", "kind": "plan_sets"}, opacity=0.5, line={"color": PLAN_COLOUR, "width": 6},
            marker={"symbol": "line-ew-open", "size": 14, "color": PLAN_COLOUR}, customdata=cd, hovertemplate=hover))


st.subheader(t("progress.chart.title", lang))
bases_all = list(P.COUNT_BASES)
k1, k2, k3 = st.columns([3, 1.2, 1.2])
with k1:
    bases = st.pills(t("progress.chart.bases", lang), bases_all, selection_mode="multi", default=bases_all,
                     format_func=basis_label, key="p_bases", bind="query-params") or []
with k2:
    per1000 = st.toggle(t("progress.chart.per1000", lang), key="p_per1000", bind="query-params", disabled=pop is None)
    log_y = st.toggle(t("progress.chart.log", lang), key="p_log", bind="query-params")
with k3:
    show_plan = st.toggle(t("progress.chart.plan_toggle", lang), value=True, key="p_plan", bind="query-params")
    zoom = st.toggle(t("progress.chart.zoom", lang), key="p_zoom", bind="query-params")
st.plotly_chart(time_axis(progress_figure([b for b in bases_all if b in bases], show_plan, per1000, log_y, zoom)), width="stretch", key="p_chart")
st.caption(t("progress.chart.legend_note", lang))
if set_range and not per1000:
    st.caption(t("progress.chart.sets_note", lang, **set_range))
if per1000:
    st.caption(t("progress.chart.per1000_note", lang))
with st.expander(t("progress.chart.table", lang, n=len(counts))):
    records_table(counts, {t("progress.col.basis", lang): [basis_label(b) for b in counts["basis"]]})


# --- target drift -----------------------------------------------------------------------------

st.subheader(t("progress.drift.title", lang))
st.markdown(t("progress.drift.intro", lang))
history = P.target_history(figures)
if history.empty:
    st.info(t("common.no_data", lang))
else:
    fig = go.Figure()
    # Hovers and labels sit at the statement date; the deadline travels in its own column.
    history = history.assign(deadline=[t("progress.drift.by", lang, date=date_text(d, p))
                                       for d, p in zip(history["as_of"], history["as_of_precision"])])
    at_stated = history.assign(as_of=history["stated"], as_of_precision="day")
    cams = at_stated[at_stated["unit"] == "camera"]
    # One trace per deadline, so a target revised for the same deadline shows as a step up or down.
    for i, (deadline, part) in enumerate(cams.groupby(history["as_of"], sort=True)):
        first_of_value = ~part.duplicated(["value"])
        text = [f"{QUALIFIER_MARK.get(r['qualifier'], '')}{fmt.number(r['value'], lang)}" if show else ""
                for (_, r), show in zip(part.iterrows(), first_of_value)]
        fig.add_trace(go.Scatter(
            x=list(part["stated"]), y=list(part["value"]), mode="lines+markers+text", text=text, textposition="top center",
            name=part["deadline"].iloc[0], line={"color": DEADLINE_COLOURS[i % len(DEADLINE_COLOURS)], "shape": "hv", "width": 1.5},
            marker={"size": 9}, customdata=hover_rows(part, lambda r: r["deadline"]), hovertemplate=HOVER))
    sets = at_stated[at_stated["unit"] == "set"]
    if not sets.empty and per_set:
        sets = sets.assign(low=sets["value"] * per_set[0], high=sets["value_high"].fillna(sets["value"]) * per_set[1])
        xs, ys, cd = range_segments(sets, "low", "high", "stated", hover_rows(sets, lambda r: r["deadline"]))
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=t("progress.drift.sets", lang, **set_range), opacity=0.45,
                                 line={"color": PLAN_COLOUR, "width": 6}, marker={"symbol": "line-ew-open", "size": 14},
                                 customdata=cd, hovertemplate=HOVER))
    fig.update_layout(height=460, margin=CHART_MARGIN, legend={"orientation": "h", "y": -0.18},
                      xaxis_title=t("progress.drift.x", lang),
                      yaxis={"title": t("progress.chart.y_cameras", lang), "type": "log"}, hoverlabel={"align": "left"})
    st.plotly_chart(time_axis(fig), width="stretch", key="p_drift")
    st.caption(t("progress.drift.log_note", lang))
    with st.expander(t("progress.drift.table", lang, n=len(history))):
        records_table(history, {t("progress.col.deadline", lang): list(history["deadline"])}, date_col="stated")


# --- conflicting figures ----------------------------------------------------------------------

CAPABILITIES = bundle["capabilities"].set_index("id")


def conflict_title(row) -> str:
    if row["kind"] == "capability" and row["capability"] in CAPABILITIES.index:
        cap = CAPABILITIES.loc[row["capability"]]
        name = cap["name_zh"] if lang == "zh-Hant" else cap["name_en"]
        return label(f"progress.claim.{row['claim']}", name if row["rule"] == "claimed_vs_denied" else f"{name}: {row['claim']}")
    return label(f"progress.claim.{row['claim']}", str(row["claim"]).replace("-", " "))


def side_heading(side: dict, rule: str) -> str:
    if rule == "claimed_vs_denied":
        return t("progress.conflicts.claimed" if side["status"] == "claimed" else "progress.conflicts.denied", lang)
    if "status" in side and side.get("status") and "value" not in side:
        return label(f"progress.status.{side['status']}", side["status"])
    return value_text(side)


def side_markdown(side: dict) -> str:
    if "value" not in side:  # a capability event
        summary = side["summary_zh"] if lang == "zh-Hant" and side.get("summary_zh") else side["summary_en"]
        status = label(f"progress.status.{side['status']}", side["status"])
        head = f"{escape.md(date_text(side['date'], side['date_precision']))} · _{escape.md(status)}_: {escape.md(summary)}"
    else:
        head = t("progress.conflicts.stated", lang, date=escape.md(date_text(side["stated"], "day")),
                 as_of=escape.md(date_text(side["as_of"], side["as_of_precision"])))
        if missing(side["stated"]) and missing(side["as_of"]):
            head = t("progress.undated", lang)
    return head + "\n\n" + citation(side["source"], side["quote"], side["quote_lang"]) + note_md(side.get("note"))


RULE_TEXT = {"same_claim": "progress.conflicts.rule_claim", "same_period": "progress.conflicts.rule_period",
             "same_deadline": "progress.conflicts.rule_deadline", "capability_status": "progress.conflicts.rule_capability",
             "claimed_vs_denied": "progress.conflicts.rule_claimed"}

st.subheader(t("progress.conflicts.title", lang, n=len(conflicts)))
st.markdown(t("progress.conflicts.intro", lang))
if conflicts.empty:
    st.info(t("progress.conflicts.none", lang))
for _, row in conflicts.iterrows():
    positions = sorted({s["position"] for s in row["sides"]})
    headings = [side_heading(next(s for s in row["sides"] if s["position"] == pos), row["rule"]) for pos in positions]
    bases = [next(s for s in row["sides"] if s["position"] == pos).get("basis") for pos in positions]
    if len(set(bases)) > 1:  # same number, different scope: say which scope each side claims
        headings = [f"{h} ({label(f'progress.scope.{b}', label(f'progress.basis.{b}', str(b)))})" for h, b in zip(headings, bases)]
    summary = t("progress.conflicts.summary", lang, title=conflict_title(row), sides=" ≠ ".join(headings), n=len(row["sources"]))
    with st.expander(escape.md(summary)):
        st.caption(t(RULE_TEXT[row["rule"]], lang, n=row["n_positions"],
                     date="" if missing(row["period_precision"]) else date_text(row["period_start"], row["period_precision"])))
        cols = st.columns(min(len(positions), 3))
        for i, (pos, heading) in enumerate(zip(positions, headings)):
            sides = [s for s in row["sides"] if s["position"] == pos]
            with cols[i % len(cols)]:
                st.markdown(f"**{t('progress.conflicts.side', lang, n=pos)}: {escape.md(heading)}**")
                for j, s in enumerate(sides):
                    if j:
                        st.divider()
                    st.markdown(side_markdown(s))


# --- outcomes ---------------------------------------------------------------------------------

st.subheader(t("progress.outcomes.title", lang))
st.caption(t("progress.outcomes.intro", lang))
outs = P.outcomes(figures)
if outs.empty:
    st.info(t("common.no_data", lang))
else:
    rate = st.toggle(t("progress.outcomes.rate_toggle", lang), key="p_out1000", bind="query-params")
    fig = go.Figure()

    def rate_line(r) -> str:
        if pd.isna(r["per_1000_cameras"]):
            return ""
        return t("progress.outcomes.rate_hover", lang, rate=fmt.number(r["per_1000_cameras"], lang, 1), cameras=fmt.number(r["cameras"], lang))

    for basis in P.OUTCOME_BASES:
        part = outs[outs["basis"] == basis]
        if rate:
            part = part[part["per_1000_cameras"].notna()]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=list(part["as_of"]), y=list(part["per_1000_cameras"] if rate else part["value"]), mode="lines+markers+text",
            name=basis_label(basis), meta={"basis": basis}, marker={"size": 9, "color": OUTCOME_COLOURS[basis]},
            line={"color": OUTCOME_COLOURS[basis], "width": 1, "dash": "dot"},
            text=[QUALIFIER_MARK.get(q, "") for q in part["qualifier"]], textposition="middle left",
            customdata=hover_rows(part, rate_line), hovertemplate=HOVER))
    fig.update_layout(height=380, margin=CHART_MARGIN, legend={"orientation": "h", "y": -0.18}, hoverlabel={"align": "left"},
                      yaxis_title=t("progress.outcomes.y_rate" if rate else "progress.outcomes.y_count", lang))
    st.plotly_chart(time_axis(fig), width="stretch", key="p_outcomes")
    notes = {"sets": t("progress.outcomes.note_sets", lang), "no_count": t("progress.outcomes.note_no_count", lang)}
    with st.expander(t("progress.outcomes.table", lang, n=len(outs))):
        records_table(outs, {
            t("progress.col.what", lang): [basis_label(b) for b in outs["basis"]],
            t("progress.col.cameras", lang): [fmt.number(c, lang) if not pd.isna(c) else "" for c in outs["cameras"]],
            t("progress.col.per_1000_cameras", lang): [fmt.number(v, lang, 1) if not pd.isna(v) else notes.get(n, "")
                                                       for v, n in zip(outs["per_1000_cameras"], outs["rate_note"])],
        })


# --- other cities -----------------------------------------------------------------------------

def edition_name(e: str) -> str:
    return label(f"progress.edition.{e}", e)


def hk_points() -> list[dict]:
    """Hong Kong's SmartView path on the cities' scale: latest police count, latest system total, the target."""
    out = []
    for key, r in (("police_now", lead), ("system_now", lead_system), ("target", target)):
        if r is not None:
            out.append({"key": key, "date": r["as_of"], "precision": r["as_of_precision"], "cameras": r["value"],
                        "qualifier": r["qualifier"], "figure": r["id"]})
    return out


def cities_figure(rows: pd.DataFrame, hk: pd.DataFrame, metric: str, edition: str) -> go.Figure:
    name_col = "city_zh" if lang == "zh-Hant" else "city_en"
    fig = go.Figure()
    if not rows.empty:
        names = [r[name_col] or r["city_en"] for _, r in rows.iterrows()]
        cd = [[escape.html(f"{QUALIFIER_MARK.get(r['qualifier'] or 'exact', '')}{as_published(r[metric])}"), escape.html(str(r["year"])),
               escape.html(source_label(r["source"])), hover_text(r["quote"]) or escape.html(t("progress.cities.no_quote", lang))]
              for _, r in rows.iterrows()]
        fig.add_trace(go.Bar(x=list(rows[metric]), y=names, orientation="h", name=t("progress.cities.trace", lang, edition=edition_name(edition)),
                             marker={"color": "#8c9fb7"}, customdata=cd, textposition="outside", cliponaxis=False,
                             text=[f"{QUALIFIER_MARK.get(q or 'exact', '')}{as_published(v)}" for v, q in zip(rows[metric], rows["qualifier"])],
                             hovertemplate="<b>%{y}</b>: %{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>"))
    if not hk.empty:
        labels = [t(f"progress.cities.hk_{r['key']}", lang, date=date_text(r["date"], r["precision"])) for _, r in hk.iterrows()]
        cd = [[escape.html(qualified_number(r["cameras"], r["qualifier"])), escape.html(t("progress.cities.hk_hover", lang, year=pop.year))]
              for _, r in hk.iterrows()]
        fig.add_trace(go.Bar(x=list(hk[metric]), y=labels, orientation="h", name=t("progress.cities.hk_trace", lang),
                             marker={"color": HK_COLOUR}, customdata=cd, textposition="outside", cliponaxis=False,
                             text=[fmt.number(v, lang, 2) for v in hk[metric]],
                             hovertemplate="<b>%{y}</b>: %{x:.2f}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    fig.update_layout(height=max(260, 30 * (len(rows) + len(hk)) + 100), margin=CHART_MARGIN, barmode="overlay",
                      legend={"orientation": "h", "y": -0.12}, yaxis={"autorange": "reversed"},
                      xaxis_title=t(f"progress.cities.{metric}", lang), hoverlabel={"align": "left"})
    return fig


st.subheader(t("progress.cities.title", lang))
st.warning(t("progress.cities.not_comparable", lang))
cities = bundle["cities"]
e1, e2 = st.columns([1, 2])
with e1:
    metric = st.segmented_control(t("progress.cities.metric", lang), ["per_1000", "per_km2"], default="per_1000",
                                  format_func=lambda m: t(f"progress.cities.short_{m}", lang), key="p_cmp", bind="query-params") or "per_1000"
eds = P.editions(cities, metric)
if not eds:
    st.info(t("progress.cities.empty", lang))
else:
    default = P.default_edition(cities, metric)
    with e2:
        edition = st.selectbox(t("progress.cities.edition", lang), eds, index=eds.index(default), key="p_ed",
                               bind="query-params", format_func=edition_name)
    hk = P.smartview_density(hk_points(), pop, area)
    hk_shown = hk[hk[metric].notna()] if not hk.empty else hk
    st.plotly_chart(cities_figure(P.edition_rows(cities, edition, metric), hk_shown, metric, edition), width="stretch", key="p_cities")
    if len(hk_shown) < len(hk):
        if metric == "per_km2":
            st.caption(t("progress.cities.hk_missing_area", lang,
                         missing=district_names(P.districts_missing(bundle["districts"], "area_km2"))))
        else:
            st.caption(t("progress.cities.hk_missing_pop", lang))
    st.caption(t("progress.cities.hk_note", lang))
with st.expander(t("progress.cities.all", lang, n=len(cities))):
    allc = cities.sort_values(["year", "edition", "city_en"])
    st.dataframe(pd.DataFrame({
        t("progress.col.edition", lang): [edition_name(e) for e in allc["edition"]],
        t("progress.col.year", lang): list(allc["year"]),
        t("progress.col.city", lang): [(r["city_zh"] if lang == "zh-Hant" else None) or r["city_en"] for _, r in allc.iterrows()],
        t("progress.col.cameras_city", lang): list(allc["cameras"]),
        t("progress.cities.per_1000", lang): list(allc["per_1000"]),
        t("progress.cities.per_km2", lang): list(allc["per_km2"]),
        t("progress.cities.per_sq_mi", lang): list(allc["per_sq_mi"]),
        t("progress.col.qualifier", lang): [label(f"qualifier.{q}", q or "") if q not in (None, "exact") else "" for q in allc["qualifier"]],
        t("progress.col.source", lang): [source_label(s) for s in allc["source"]],
        LINK: [source_url(s) for s in allc["source"]],
        t("progress.col.quote", lang): list(allc["quote"]),
        t("progress.note", lang): list(allc["note"]),
    }), hide_index=True, width="stretch", column_config=LINK_CONFIG)
