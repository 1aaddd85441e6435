"""Phases and money (for lawmakers): each phase side by side, a timeline, the HK$4.06bn request, a scenario.

Layout only: numbers come from data/ through metrics/phases.py, metrics/budget.py and
metrics/scenario.py; strings from ui/strings/phases.yaml. Derived numbers say "derived" and show
their arithmetic; data text reaching Markdown or plotly hovers is escaped.
"""
from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import briefing as BR
from metrics import budget as B
from metrics import phases as PH
from metrics import progress as P
from metrics import safeguards as SG
from metrics import scenario as SC
from ui import data_io, escape, fmt, layout, state
from ui.i18n import t

FILES = ("figures.yaml", "sources.yaml", "phases.yaml", "safeguards.yaml")
KIND_COLOURS = {"published": "#1f77b4", "reserved": "#6baed6", "derived": "#9ecae1", "remainder": "#bdbdbd"}
PHASE_COLOURS = {1: "#6b8fb5", 2: "#e6791e", 3: "#8c6bb1"}
MARKERS = {"announcement": "circle-open", "milestone": "diamond", "count": "square"}
# Short marks so a qualifier stays visible on a chart label ("~60,000", "≥5,000").
QUALIFIER_MARK = {"exact": "", "range": "", "about": "~", "more_than": ">", "almost": "<", "at_least": "≥", "up_to": "≤"}

lang = state.lang()
bundle = data_io.bundle()
figures, sources, phases = bundle["figures"], bundle["sources"], bundle["phases"]
FIGURES_BY_ID = figures.set_index("id", drop=False) if not figures.empty else figures
ref = PH.reference_date(sources)


# --- text helpers -----------------------------------------------------------------------------

def date_text(value, precision="day") -> str:
    return fmt.date(value, precision, lang)  # "not published" for a missing date, "end of 2025" etc.


def value_text(r) -> str:
    high = r.get("value_high")
    high = None if high is None or pd.isna(high) else high
    if r["unit"] == "percent":
        q = t(f"qualifier.{r['qualifier']}", lang) if r["qualifier"] not in ("exact", "range") else ""
        text = f"{fmt.number(r['value'], lang)}%"
        return f"{q}{text}" if lang == "zh-Hant" else " ".join(x for x in (q, text) if x)
    if r["unit"] in ("hkd", "hkd_per_year"):
        return money_text(r["value"], r["qualifier"], per_year=r["unit"] == "hkd_per_year")
    return fmt.qualified(r["value"], r["qualifier"], r["unit"], lang, high)


def money_text(value, qualifier="exact", per_year=False) -> str:
    """'about HK$300 million' / '約3億港元'; '… a year' for recurrent costs; small sums in full (HK$1,000)."""
    text = fmt.money_hkd(value, lang) if value is None or pd.isna(value) or abs(float(value)) >= 1e6 \
        else t("phases.money.per_camera.value", lang, n=n_text(value))
    q = t(f"qualifier.{qualifier}", lang) if qualifier not in ("exact", "range", None) else ""
    text = f"{q}{text}" if lang == "zh-Hant" else " ".join(x for x in (q, text) if x)
    return t("phases.per_year_money", lang, amount=text) if per_year else text


def n_text(value, digits=0) -> str:
    return fmt.number(value, lang, digits)


def source_label(source_id: str) -> str:
    return layout.source_label(bundle, source_id)


def citation(source_id: str, quote=None, quote_lang=None) -> str:
    """layout.citation for this page's bundle and language, with the verbatim quote."""
    return layout.citation(bundle, source_id, lang, quote or None, quote_lang)


def cite(r) -> str:
    """A figure (value and date) or a safeguard entry (its summary and date), then source and quote."""
    what = value_text(r) if "value" in r else r.get("summary") or ""
    head = f"**{escape.md(what)}** · {escape.md(date_text(r['as_of'], r['as_of_precision']))}"
    return head + "\n\n" + citation(r["source"], r.get("quote"), r.get("quote_lang"))


def sources_popover(records: list[dict], key: str, extra_sources: list[str] = ()) -> None:
    """Every record (value, date, source, verbatim quote) behind the numbers next to it."""
    records = [r for r in records if r]
    seen = set()
    unique = [r for r in records if not (r["id"] in seen or seen.add(r["id"]))]
    n = len(unique) + len(extra_sources)
    if not n:
        return
    with st.popover(t("phases.sources_button", lang, n=n), key=key):
        for i, r in enumerate(unique):
            if i:
                st.divider()
            st.markdown(cite(r))
        for sid in extra_sources:
            st.divider()
            st.markdown(citation(sid))


def hover(text, width=60) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return "<br>".join(escape.html(line) for line in textwrap.wrap(str(text), width=width))


def localised(row, stem):
    return SG.localised(row, stem, lang)


# --- briefing download (cached bytes) ---------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def briefing_bytes(signature: str, language: str, today: str) -> bytes:  # signature: cache key only
    return BR.build_briefing(data_io.bundle(), language, pd.Timestamp(today)).encode("utf-8")


# --- title ------------------------------------------------------------------------------------

st.title(t("phases.title", lang))
TOTAL = B.budget(figures).total
st.markdown(t("phases.intro", lang, total=money_text(TOTAL["value"], TOTAL["qualifier"]) if TOTAL else t("common.not_published", lang)))
layout.problems_warning(bundle, lang, files=FILES)
top_l, top_r = st.columns([2, 1])
with top_l:
    if ref is not None:
        st.caption(t("phases.as_of_note", lang, date=date_text(ref)))
with top_r:
    today = dt.date.today().isoformat()
    st.download_button(t("briefing.download", lang), briefing_bytes(data_io.content_signature(bundle.root), lang, today),
                       file_name=t("briefing.file_name", lang, date=today), mime="text/html", key="ph_briefing",
                       help=t("briefing.help", lang), icon=":material/download:")

views = PH.phase_views(phases, figures, bundle["safeguards"], bundle["safeguard_entries"], ref, lang)
pace = P.recent_pace(figures)


# --- phases side by side ----------------------------------------------------------------------

def about(value) -> str:
    """A derived pace, rounded to the nearest 100: its inputs are "about" figures, so more digits would mislead."""
    return n_text(round(float(value), -2))


def render_phase(v: PH.PhaseView, box) -> None:
    p = v.phase
    used: list[dict] = []
    with box:
        st.subheader(localised(p, "name"))
        st.caption(t(f"phases.status.{v.status}", lang) + " · " +
                   t("phases.dates", lang, start=date_text(p["start"], "month"), end=date_text(p["end"], p["end_precision"])))

        st.markdown(f"**{t('phases.promised', lang)}**")
        st.markdown(escape.md(localised(p, "promise")))
        if SG.text_or_none(p.get("promised_by")):
            st.caption(t("phases.promised_by", lang, who=escape.md(p["promised_by"]), date=date_text(p.get("promised_on"))))

        st.markdown(f"**{t('phases.targets', lang)}**")
        lines = []
        for r in PH.visible_targets(v.targets):
            key = "phases.target_line_additional" if r["basis"] == "target_additional" else "phases.target_line"
            times = t("phases.n_records", lang, n=r["n"]) if r["n"] > 1 else ""
            lines.append("- " + t(key, lang, value=escape.md(value_text(r)), date=date_text(r["as_of"], r["as_of_precision"])) + times)
        used.extend(v.targets)
        st.markdown("\n".join(lines) if lines else t("common.not_published", lang))

        st.markdown(f"**{t('phases.delivered', lang)}**")
        lines = []
        for basis in PH.ALL_COUNT_BASES:
            recs = v.delivered.get(basis) or []
            if recs:
                r = recs[0]
                lines.append("- " + t("phases.count_line", lang, basis=t(f"phases.basis.{basis}", lang), value=escape.md(value_text(r)),
                                      date=date_text(r["as_of"], r["as_of_precision"])))
                used.extend(recs)
            else:
                lines.append("- " + t("phases.count_line_none", lang, basis=t(f"phases.basis.{basis}", lang)))
        st.markdown("\n".join(lines))
        if v.status == "future":
            st.caption(t("phases.not_started_counts", lang))
        elif v.delivered_before_start:
            st.caption(t("phases.none_since_start", lang, start=date_text(p["start"], "month")))

        st.markdown(f"**{t('phases.gap', lang)}**")
        if v.gap_note == "sets":
            st.caption(t("phases.gap_sets", lang))
        elif v.gap_note:
            st.caption(t("common.not_published", lang))
        for g in v.gaps:
            label = t(f"phases.gap_basis.{g.basis}", lang, n=int(v.phase["number"]) - 1)
            value = t("phases.gap_met", lang) if g.value <= 0 else t("phases.cameras", lang, n=n_text(g.value))
            st.markdown(f"- {label}: **{value}**")
            st.caption(t("phases.gap_arith", lang, target=n_text(g.target["value"]), delivered=n_text(g.delivered["value"]),
                         gap=n_text(g.value), date=date_text(g.delivered["as_of"], g.delivered["as_of_precision"])))
            used.append(g.delivered)
        if any(g.basis == "in_system_total" for g in v.gaps):
            st.caption(t("phases.scope_note", lang))

        st.markdown(f"**{t('phases.pace', lang)}**")
        if v.status == "past":
            st.caption(t("phases.pace_ended", lang))
        for g in v.gaps:
            if g.per_year is None:
                continue
            label = t(f"phases.gap_basis.{g.basis}", lang, n=int(v.phase["number"]) - 1)
            st.markdown(f"- {label}: **{t('phases.per_year_about', lang, n=about(g.per_year))}**")
            st.caption(t("phases.pace_arith", lang, gap=n_text(g.value), years=n_text(g.years, 2),
                         start=date_text(g.pace_from), due=date_text(g.due), rate=n_text(g.per_year)))
        for r in v.published_pace[:1]:
            st.markdown("- " + t("phases.pace_published", lang, value=escape.md(value_text(r)), date=date_text(r["stated"])))
            used.extend(v.published_pace)
        if v.status == "current" and pace is not None and pace.per_month is not None:
            st.markdown("- " + t("phases.pace_recent", lang, n=about(pace.per_month * 12)))
            st.caption(t("phases.pace_recent_arith", lang, start=escape.md(value_text(pace.earlier)),
                         start_date=date_text(pace.earlier["as_of"], pace.earlier["as_of_precision"]),
                         end=escape.md(value_text(pace.latest)), end_date=date_text(pace.latest["as_of"], pace.latest["as_of_precision"]),
                         months=n_text(pace.months, 1)))
            used.extend([pace.earlier.to_dict(), pace.latest.to_dict()])

        st.markdown(f"**{t('phases.places', lang)}**")
        places = localised(p, "places")
        st.markdown(escape.md(places) if places else t("common.not_published", lang))

        st.markdown(f"**{t('phases.safeguards', lang, date=date_text(ref))}**")
        lines = []
        for sg in v.safeguards:
            status = t(f"safeguards.status.{sg['status']}", lang)
            n = len(sg["entries"])
            inside = (t("phases.safeguard_entries", lang, n=n) if n > 1 else t("phases.safeguard_entry_one", lang) if n
                      else t("phases.safeguard_none", lang))
            lines.append(f"- {escape.md(sg['name'])}: **{status}** · {inside}")
            used.extend({**e, "as_of": e["date"], "as_of_precision": e["date_precision"], "id": f"{sg['id']}-{e['seq']}",
                         "summary": localised(e, "summary")} for e in sg["entries"])
        st.markdown("\n".join(lines) if lines else t("common.no_data", lang))

        sources_popover(used, key=f"ph_src_{p['id']}", extra_sources=list(p.get("sources") or []))


st.header(t("phases.side_by_side", lang))
if not views:
    st.info(t("common.no_data", lang))
else:
    for v, col in zip(views, st.columns(len(views))):
        render_phase(v, col.container(border=True))


# --- timeline (Gantt) -------------------------------------------------------------------------

def timeline_figure(items: pd.DataFrame) -> go.Figure:
    names = {int(r["number"]): localised(r, "name") for r in phases.to_dict("records")}
    fig = go.Figure()
    hover_tpl = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>"
    for _, r in items[items["kind"] == "phase"].iterrows():
        ph = phases[phases["number"] == r["phase"]].iloc[0]
        span = t("phases.dates", lang, start=date_text(r["start"], "month"), end=date_text(r["end"], r["precision"]))
        fig.add_trace(go.Bar(
            y=[names[r["phase"]]], x=[(r["end"] - r["start"]).total_seconds() * 1000], base=[r["start"]], orientation="h",
            marker={"color": PHASE_COLOURS.get(r["phase"], "#888"), "opacity": 0.55}, name=names[r["phase"]], showlegend=False,
            customdata=[[escape.html(names[r["phase"]]), escape.html(span), escape.html(source_label(r["source"]) if r["source"] else ""),
                         hover(localised(ph, "promise"))]],
            hovertemplate=hover_tpl, width=0.5))
    for kind in ("announcement", "milestone", "count"):
        part = items[items["kind"] == kind]
        if part.empty:
            continue
        xs, ys, texts, cd = [], [], [], []
        for _, r in part.iterrows():
            rec = FIGURES_BY_ID.loc[r["figure"]].to_dict() if isinstance(r["figure"], str) and r["figure"] in FIGURES_BY_ID.index else None
            if kind == "announcement" and rec is None:
                what = t("phases.timeline.promised", lang)
                quote = localised(phases[phases["number"] == r["phase"]].iloc[0], "promise")
            elif kind == "announcement":
                what = t("phases.timeline.stated", lang, value=value_text(rec), date=date_text(rec["as_of"], rec["as_of_precision"]))
                quote = rec["quote"]
            else:
                what = value_text(rec)
                quote = rec["quote"]
            xs.append(r["start"])
            ys.append(names[r["phase"]])
            texts.append(QUALIFIER_MARK.get(rec["qualifier"], "") + fmt.number(rec["value"], lang)
                         + (" " + t("unit.set", lang) if rec["unit"] == "set" else "") if kind != "announcement" and rec is not None else "")
            cd.append([escape.html(t(f"phases.timeline.kind.{kind}", lang)) + " · " + escape.html(date_text(r["start"], r["precision"])),
                       escape.html(what), escape.html(source_label(r["source"]) if r["source"] else ""), hover(quote)])
        # Several markers on one spot (2,000 sets and >=5,000 cameras, both due end-2025) share one label.
        joined: dict = {}
        for i, key in enumerate(zip(xs, ys)):
            joined.setdefault(key, []).append(i)
        for idx in joined.values():
            label = " / ".join(x for x in (texts[i] for i in idx) if x)
            for j, i in enumerate(idx):
                texts[i] = label if j == 0 else ""
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text" if kind != "announcement" else "markers", name=t(f"phases.timeline.kind.{kind}", lang),
            marker={"symbol": MARKERS[kind], "size": 13 if kind != "announcement" else 10, "color": "#222" if kind != "count" else "#2ca02c",
                    "line": {"width": 2}},
            text=texts, textposition="top center" if kind == "milestone" else "bottom center", customdata=cd,
            hovertemplate=hover_tpl))
    if ref is not None:
        fig.add_shape(type="line", x0=ref, x1=ref, yref="paper", y0=0, y1=1, line={"dash": "dot", "color": "#c0392b"})
        fig.add_annotation(x=ref, yref="paper", y=1.02, text=escape.html(t("phases.timeline.ref", lang, date=date_text(ref))),
                           showarrow=False, font={"color": "#c0392b", "size": 11})
    fig.update_layout(height=340, barmode="overlay", margin={"l": 10, "r": 10, "t": 40, "b": 10}, xaxis={"type": "date"},
                      yaxis={"autorange": "reversed"}, legend={"orientation": "h", "y": -0.18}, hoverlabel={"align": "left"})
    return fig


st.header(t("phases.timeline.title", lang))
st.caption(t("phases.timeline.note", lang))
items = PH.timeline_items(phases, figures)
if items.empty:
    st.info(t("common.no_data", lang))
else:
    st.plotly_chart(timeline_figure(items), width="stretch", key="ph_timeline")


# --- money ------------------------------------------------------------------------------------

st.header(t("phases.money.title", lang, total=money_text(TOTAL["value"], TOTAL["qualifier"]) if TOTAL else t("common.not_published", lang)))
st.markdown(t("phases.money.intro", lang))
budget = B.budget(figures)


def line_label(claim: str) -> str:
    key = f"phases.budget.line.{claim}"
    label = t(key, lang)
    return claim if label == f"⟦{key}⟧" else label


def how_text(ln: B.Line) -> str:
    if ln.kind == "derived" and budget.total:
        return t("phases.money.derived_arith", lang, percent=n_text(ln.percent, 0), total=money_text(budget.total["value"]),
                 amount=money_text(ln.value))
    if ln.kind == "remainder":
        return t("phases.money.remainder_arith", lang, total=money_text(budget.total["value"]),
                 lines=" − ".join(money_text(x.value) for x in budget.costed), amount=money_text(ln.value, ln.qualifier))
    if ln.kind == "not_published":
        return t("phases.money.not_published_note", lang)
    return ""


if budget.total is None:
    st.metric(t("phases.money.total", lang), t("common.not_published", lang))
else:
    st.metric(t("phases.money.total", lang), money_text(budget.total["value"], budget.total["qualifier"]))
    st.caption(t("phases.money.total_note", lang, date=date_text(budget.total["stated"])))
    sources_popover([budget.total], key="ph_src_total")
    fig = go.Figure()
    for ln in [x for x in budget.lines if x.value is not None]:
        kind_label = t(f"phases.money.kind.{ln.kind}", lang)
        src = source_label(ln.figure["source"]) if ln.figure else t("phases.money.derived_from", lang)
        fig.add_trace(go.Bar(
            y=[""], x=[ln.value], orientation="h", name=f"{line_label(ln.claim)} ({kind_label})",
            marker={"color": KIND_COLOURS.get(ln.kind, "#888"), "line": {"color": "white", "width": 1},
                    "pattern": {"shape": {"derived": "/", "remainder": "x"}.get(ln.kind, "")}},
            customdata=[[escape.html(line_label(ln.claim)), escape.html(money_text(ln.value, ln.qualifier)), escape.html(kind_label),
                         escape.html(src), hover(ln.figure["quote"] if ln.figure else how_text(ln))]],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}<br>%{customdata[3]}<br><i>%{customdata[4]}</i><extra></extra>"))
    ticks = [i * 1e9 for i in range(int(float(budget.total["value"]) // 1e9) + 1)]
    fig.update_layout(barmode="stack", height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=True,
                      legend={"orientation": "h", "y": -0.3, "traceorder": "normal"},
                      xaxis={"tickvals": ticks, "ticktext": [t("phases.money.tick", lang, n=f"{v / 1e8:g}" if lang == "zh-Hant" else f"{v / 1e9:g}") for v in ticks]},
                      hoverlabel={"align": "left"})
    st.plotly_chart(fig, width="stretch", key="ph_budget_bar")

    total_value = float(budget.total["value"])
    table = pd.DataFrame({
        t("phases.money.col.line", lang): [line_label(ln.claim) for ln in budget.lines],
        t("phases.money.col.amount", lang): [money_text(ln.value, ln.qualifier) if ln.value is not None else t("common.not_published", lang)
                                             for ln in budget.lines],
        t("phases.money.col.share", lang): [fmt.percent(ln.value / total_value * 100, lang) if ln.value is not None else "—" for ln in budget.lines],
        t("phases.money.col.kind", lang): [t(f"phases.money.kind.{ln.kind}", lang) for ln in budget.lines],
        t("phases.money.col.how", lang): [how_text(ln) for ln in budget.lines],
        t("phases.money.col.source", lang): [source_label(ln.figure["source"]) if ln.figure else (source_label(ln.source) if ln.source else "")
                                             for ln in budget.lines],
        t("phases.money.col.link", lang): [(bundle.source(s) or {}).get("url")
                                           for s in [(ln.figure or {}).get("source") or ln.source for ln in budget.lines]],
    })
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={t("phases.money.col.link", lang): st.column_config.LinkColumn(display_text=t("phases.open", lang))})
    st.caption(t("phases.money.share_note", lang))
    for chk in budget.cross_checks:
        base = chk["claim"].removesuffix(B.SHARE_SUFFIX)
        st.caption(t("phases.money.cross_check", lang, line=line_label(base), share=escape.md(value_text(chk))))
    with st.expander(t("phases.money.quotes", lang)):
        for ln in budget.lines:
            if ln.figure:
                st.markdown(f"**{escape.md(line_label(ln.claim))}** — " + cite(ln.figure))
        for chk in budget.cross_checks:
            st.markdown(cite(chk))

    st.subheader(t("phases.money.per_camera.title", lang))
    per = B.cost_per_camera(figures, budget)
    cols = st.columns(max(len(per) + len(budget.unit_costs), 1))
    for col, pc in zip(cols, per):
        with col:
            money_per_camera = t("phases.money.per_camera.value", lang, n=n_text(pc.value))
            when = pc.inputs[1] if pc.key == "network" else pc.inputs[2]  # the target's deadline / the base count's date
            st.metric(t(f"phases.money.per_camera.{pc.key}", lang, date=date_text(when["as_of"], when["as_of_precision"])), money_per_camera)
            if pc.key == "added":
                target, base = pc.inputs[1], pc.inputs[2]
                st.caption(t("phases.money.per_camera.added_arith", lang, total=money_text(budget.total["value"]),
                             target=n_text(target["value"]), base=n_text(base["value"]), cameras=n_text(pc.cameras),
                             amount=money_per_camera))
                st.caption("⚠️ " + t("phases.money.per_camera.inference", lang, base=escape.md(value_text(base)), target=n_text(target["value"]),
                                     date=date_text(base["as_of"], base["as_of_precision"])))
            else:
                st.caption(t("phases.money.per_camera.network_arith", lang, total=money_text(budget.total["value"]),
                             cameras=n_text(pc.cameras), amount=money_per_camera))
            sources_popover(list(pc.inputs), key=f"ph_src_pc_{pc.key}")
    for col, uc in zip(cols[len(per):], budget.unit_costs):
        with col:
            st.metric(t("phases.money.per_camera.purchase", lang), value_text(uc))
            st.caption(t("phases.money.per_camera.purchase_note", lang))
            sources_popover([uc], key=f"ph_src_uc_{uc['id']}")

    st.subheader(t("phases.money.recurrent.title", lang))
    recurrent, conflict = B.recurrent_costs(figures)
    if recurrent.empty:
        st.info(t("common.not_published", lang))
    else:
        if conflict:
            st.warning(t("phases.money.recurrent.conflict", lang))
        for col, (_, r) in zip(st.columns(len(recurrent)), recurrent.iterrows()):
            with col, st.container(border=True):
                st.caption(escape.md(source_label(r["source"])))
                st.markdown(f"### {escape.md(value_text(r))}")
                st.caption(t("phases.money.recurrent.stated", lang, date=date_text(r["stated"])) if pd.notna(r["stated"])
                           else t("phases.money.recurrent.undated", lang))
                st.markdown(citation(r["source"], r["quote"], r["quote_lang"]))
                if SG.text_or_none(r.get("note")):
                    st.caption(escape.md(r["note"]))


# --- scenario tool ----------------------------------------------------------------------------

st.header(t("phases.scenario.title", lang))
st.markdown(t("phases.scenario.intro", lang))

scenario_targets = [SC.Target(v.camera_target["id"], float(v.camera_target["value"]), PH.deadline(v.camera_target, v.phase),
                              v.phase["end_precision"])
                    for v in views if v.camera_target is not None and v.status != "past"]
bases = {basis: P.headline_record(P.latest_records(figures, basis)) for basis in PH.DELIVERED_BASES}
bases = {k: r for k, r in bases.items() if r is not None}
current = next((v for v in views if v.status == "current"), views[0] if views else None)
preset_rate = float(current.published_pace[0]["value"]) if current is not None and current.published_pace else None
preset_start = current.phase["start"].date() if current is not None else dt.date.today()
preset_base = "in_system_total" if "in_system_total" in bases else next(iter(bases), None)

if not scenario_targets or not bases:
    st.info(t("common.no_data", lang))
else:
    def reset_to_plan() -> None:
        st.session_state["s_rate"] = int(preset_rate or 0)
        st.session_state["s_start"] = preset_start
        st.session_state["s_base"] = preset_base

    i1, i2, i3, i4 = st.columns([1.2, 1.2, 1.6, 1])
    with i1:
        rate = st.number_input(t("phases.scenario.rate", lang), min_value=0, max_value=500_000, step=1_000,
                               value=int(preset_rate or 0), key="s_rate", bind="query-params")
    with i2:
        start = st.date_input(t("phases.scenario.start", lang), value=preset_start, min_value=dt.date(2024, 1, 1),
                              max_value=dt.date(2035, 12, 31), key="s_start", bind="query-params")
    with i3:
        # The URL holds the option's label, so the label is the basis name only (stable when the data changes).
        base_key = st.selectbox(t("phases.scenario.base", lang), list(bases), index=list(bases).index(preset_base),
                                format_func=lambda k: t(f"phases.basis.{k}", lang), key="s_base", bind="query-params")
    with i4:
        st.button(t("phases.scenario.reset", lang), on_click=reset_to_plan, key="s_reset", width="stretch")

    if preset_rate is not None and current is not None:
        st.caption(t("phases.scenario.preset", lang, rate=escape.md(value_text(current.published_pace[0])),
                     start=date_text(preset_start, "month"), base=t(f"phases.basis.{preset_base}", lang),
                     phase=escape.md(localised(current.phase, "name"))))
    base_rec = bases.get(base_key) if base_key in bases else bases[preset_base]
    st.caption(t("phases.scenario.base_value", lang, value=escape.md(value_text(base_rec)),
                 date=date_text(base_rec["as_of"], base_rec["as_of_precision"]), source=escape.md(source_label(base_rec["source"]))))
    start_ts = pd.Timestamp(start or preset_start)
    reached = SC.reach_dates(float(base_rec["value"]), start_ts, float(rate or 0), scenario_targets)

    out_cols = st.columns(len(scenario_targets))
    for col, tg in zip(out_cols, scenario_targets):
        when = reached[tg.figure_id]
        rec = FIGURES_BY_ID.loc[tg.figure_id]
        label = t("phases.scenario.target", lang, value=n_text(tg.value), date=date_text(tg.deadline, tg.deadline_precision))
        with col:
            if when is None:
                st.metric(label, t("phases.scenario.never", lang))
            else:
                months = (when - tg.deadline).days / (365.25 / 12)
                verdict = (t("phases.scenario.late", lang, months=n_text(months)) if months > 0
                           else t("phases.scenario.on_time", lang, months=n_text(-months)))
                st.metric(label, date_text(when, "month"), delta=verdict, delta_color="inverse" if months > 0 else "normal",
                          delta_arrow="off")
            sources_popover([rec.to_dict()], key=f"s_src_{tg.figure_id}")
    st.caption(t("phases.scenario.arith", lang, base=escape.md(value_text(base_rec)), start=date_text(start_ts),
                 rate=n_text(rate or 0)))

    until = max([tg.deadline for tg in scenario_targets] + [d for d in reached.values() if d is not None]) + pd.DateOffset(months=6)
    line = SC.curve(float(base_rec["value"]), start_ts, float(rate or 0), until)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=line["date"], y=line["cameras"], mode="lines", name=t("phases.scenario.curve", lang),
                             line={"color": "#e6791e", "width": 3},
                             hovertemplate="%{x|%b %Y}: %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[base_rec["as_of"]], y=[base_rec["value"]], mode="markers", name=t("phases.scenario.base_point", lang),
                             marker={"size": 11, "color": "#2ca02c", "symbol": "square"},
                             customdata=[[escape.html(value_text(base_rec)), escape.html(source_label(base_rec["source"])), hover(base_rec["quote"])]],
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"))
    fig.add_trace(go.Scatter(x=[tg.deadline for tg in scenario_targets], y=[tg.value for tg in scenario_targets], mode="markers+text",
                             name=t("phases.scenario.targets", lang), marker={"symbol": "diamond", "size": 14, "color": "#222"},
                             text=[n_text(tg.value) for tg in scenario_targets], textposition="middle right",
                             customdata=[[escape.html(value_text(FIGURES_BY_ID.loc[tg.figure_id])),
                                          escape.html(source_label(FIGURES_BY_ID.loc[tg.figure_id, "source"])),
                                          hover(FIGURES_BY_ID.loc[tg.figure_id, "quote"])] for tg in scenario_targets],
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"))
    hits = [(tg, reached[tg.figure_id]) for tg in scenario_targets if reached[tg.figure_id] is not None]
    if hits:
        fig.add_trace(go.Scatter(x=[d for _, d in hits], y=[tg.value for tg, _ in hits], mode="markers",
                                 name=t("phases.scenario.reached", lang), marker={"size": 12, "color": "#e6791e", "symbol": "circle-open", "line": {"width": 3}},
                                 hovertemplate="%{x|%d %b %Y}: %{y:,.0f}<extra></extra>"))
    fig.update_layout(height=400, margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h", "y": -0.15},
                      yaxis_title=t("phases.scenario.y", lang), hoverlabel={"align": "left"})
    st.plotly_chart(fig, width="stretch", key="s_chart")
    st.caption(t("phases.scenario.not_forecast", lang))
