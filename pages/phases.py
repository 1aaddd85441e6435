"""Phases and money (for lawmakers): each phase side by side, a timeline, the HK$4.06bn request, a scenario.

Layout only: numbers come from the cached view model (metrics/views/phases.py), words from
ui/content/phases.py, figures from ui/charts/phases.py. Derived numbers say "derived" and show their
arithmetic. The scenario's inputs live in the link as codes (s_rate, s_start, s_base).
"""
import datetime as dt

import streamlit as st

from metrics import scenario
from metrics.views.phases import scenario_result
from ui import data_io, escape, state, url_state, widgets
from ui.charts.phases import line_label
from ui.content import chart_text, freshness
from ui.content import html
from ui.content import phases as words
from ui.layout import problems_warning

FILES = ("figures.yaml", "sources.yaml", "phases.yaml", "safeguards.yaml")

lang = state.lang()
bundle = data_io.bundle()
pr = data_io.presenter(bundle.signature, lang, bundle)
view = data_io.view("phases", bundle, lang)
params = url_state.phases_params(int(view.preset_rate or 0), view.preset_start, view.preset_base, tuple(view.bases))
notices = state.seed_widgets(params)
total = view.total
total_text = pr.money(total["value"], total["qualifier"]) if total else pr.t("common.not_published")

# --- title ------------------------------------------------------------------------------------
st.title(pr.t("phases.title"))
st.markdown(pr.t("phases.intro", total=total_text))
state.show_notices(notices, params, lang)
problems_warning(bundle, pr, files=FILES)
top_l, top_r = st.columns([2, 1])
if view.ref is not None:
    top_l.caption(pr.t("phases.as_of_note", date=pr.date(view.ref)))
today = dt.date.today().isoformat()
top_r.download_button(pr.t("briefing.download"), data_io.briefing_bytes(bundle, lang, today),
                      file_name=pr.t("briefing.file_name", date=today), mime="text/html", key="ph_briefing",
                      help=pr.t("briefing.help"), icon=":material/download:")

# --- phases side by side ----------------------------------------------------------------------
st.header(pr.t("phases.side_by_side"))
if not view.views:
    st.info(pr.t("common.no_data"))
fresh = data_io.view("freshness", bundle, lang)
st.html(words.comparison_html(view, pr, {v.phase["id"]: freshness.phase_status(v.phase, v.status, fresh, pr) for v in view.views}))

# --- timeline (Gantt) -------------------------------------------------------------------------
st.header(pr.t("phases.timeline.title"))
st.caption(pr.t("phases.timeline.note"))
if view.timeline.empty:
    st.info(pr.t("common.no_data"))
else:
    widgets.chart(data_io.chart("timeline", bundle, lang), "ph_timeline", chart_text.timeline_alt(view, pr),
                  chart_text.timeline_table(view, pr), pr.t("chart_alt.read_as_table"))

# --- money ------------------------------------------------------------------------------------
st.header(pr.t("phases.money.title", total=total_text))
st.markdown(pr.t("phases.money.intro"))
widgets.open_matters(pr, fresh, key="ph_matter", ids=("finance-committee-vote", "phase-2-contract"))
budget = view.budget
if total is None:
    st.metric(pr.t("phases.money.total"), pr.t("common.not_published"))
else:
    st.metric(pr.t("phases.money.total"), total_text)
    st.caption(pr.t("phases.money.total_note", date=pr.date(total["stated"])))
    widgets.sources_popover(pr, notes=False, records=[total], key="ph_src_total")
    widgets.chart(data_io.chart("budget", bundle, lang), "ph_budget_bar", chart_text.budget_alt(view, pr))
    # The chart's numbers as a table: a table on a desktop, a labelled card per line on a phone.
    cols = ("line", "amount", "share", "kind", "how", "source")
    st.html(html.table([pr.t(f"phases.money.col.{c}") for c in cols],
                    [[r["line"], r["amount"], r["share"], r["kind"], r["how"], (r["source"], r["url"])]
                     for r in chart_text.budget_rows(view, pr)],
                    caption=pr.t("phases.money.table_caption", total=total_text), numeric=(1, 2),
                    label_sep=pr.t("present.label_sep")))
    st.caption(pr.t("phases.money.share_note"))
    for chk in budget.cross_checks:
        base = line_label(pr, chk["claim"].removesuffix("-share"))
        st.caption(pr.t("phases.money.cross_check", line=base, share=escape.md(pr.value(chk))))
    with st.expander(pr.t("phases.money.quotes")):
        for ln in budget.lines:
            if ln.figure:
                st.markdown(f"**{escape.md(line_label(pr, ln.claim))}** — " + pr.cite_md(ln.figure, note=False))
        for chk in budget.cross_checks:
            st.markdown(pr.cite_md(chk, note=False))

    st.subheader(pr.t("phases.money.per_camera.title"))
    per = words.per_camera(view, pr)
    cols = st.columns(max(len(per) + len(budget.unit_costs), 1))
    for col, pc, raw in zip(cols, per, view.per_camera):
        with col:
            st.metric(pc.label, pc.value)
            for text in pc.captions:
                st.caption(text)
            widgets.sources_popover(pr, notes=False, records=pc.inputs, key=f"ph_src_pc_{raw.key}")
    for col, uc in zip(cols[len(per):], budget.unit_costs):
        with col:
            st.metric(pr.t("phases.money.per_camera.purchase"), pr.value(uc))
            st.caption(pr.t("phases.money.per_camera.purchase_note"))
            widgets.sources_popover(pr, notes=False, records=[uc], key=f"ph_src_uc_{uc['id']}")

    st.subheader(pr.t("phases.money.recurrent.title"))
    if view.recurrent.empty:
        st.info(pr.t("common.not_published"))
    else:
        if view.recurrent_conflict:
            st.warning(pr.t("phases.money.recurrent.conflict"))
        for col, r in zip(st.columns(len(view.recurrent)), view.recurrent.to_dict("records")):
            with col, st.container(border=True):
                st.caption(escape.md(pr.source_label(r["source"])))
                st.markdown(f"### {escape.md(pr.value(r))}")
                st.caption(pr.t("phases.money.recurrent.undated") if r["stated"] is None or r["stated"] != r["stated"]
                           else pr.t("phases.money.recurrent.stated", date=pr.date(r["stated"])))
                st.markdown(pr.citation_md(r["source"], r["quote"], r["quote_lang"]))
                if note := pr.note_md(r):
                    st.caption(note.strip())

# --- scenario tool ----------------------------------------------------------------------------
st.header(pr.t("phases.scenario.title"))
st.markdown(pr.t("phases.scenario.intro"))
if not view.targets or not view.bases:
    st.info(pr.t("common.no_data"))
else:
    def reset_to_plan() -> None:
        st.session_state["s_rate"] = int(view.preset_rate or 0)
        st.session_state["s_start"] = view.preset_start
        st.session_state["s_base"] = view.preset_base

    i1, i2, i3, i4 = st.columns([1.2, 1.2, 1.6, 1])
    rate = i1.number_input(pr.t("phases.scenario.rate"), min_value=url_state.SCENARIO_RATE[0], max_value=url_state.SCENARIO_RATE[1],
                           step=1_000, key="s_rate")
    start = i2.date_input(pr.t("phases.scenario.start"), min_value=url_state.SCENARIO_START[0],
                          max_value=url_state.SCENARIO_START[1], key="s_start")
    base = i3.selectbox(pr.t("phases.scenario.base"), list(view.bases), format_func=lambda k: pr.t(f"phases.basis.{k}"), key="s_base")
    i4.button(pr.t("phases.scenario.reset"), on_click=reset_to_plan, key="s_reset", width="stretch")
    current = view.current
    if view.preset_rate is not None and current is not None:
        st.caption(pr.t("phases.scenario.preset", rate=escape.md(pr.value(current.published_pace[0])),
                        start=pr.date(view.preset_start, "month"), base=pr.t(f"phases.basis.{view.preset_base}"),
                        phase=escape.md(pr.localised(current.phase, "name") or "")))
    res = scenario_result(view, rate, start, base)
    st.caption(pr.t("phases.scenario.base_value", value=escape.md(pr.value(res.base)), date=pr.as_of(res.base),
                    source=escape.md(pr.source_label(res.base["source"]))))
    for col, tg in zip(st.columns(len(view.targets)), view.targets):
        when = res.reached[tg.figure_id]
        label = pr.t("phases.scenario.target", value=pr.n(tg.value), date=pr.date(tg.deadline, tg.deadline_precision))
        with col:
            if when is None:
                st.metric(label, pr.t("phases.scenario.never"))
            elif when is scenario.BEYOND:
                st.metric(label, pr.t("phases.scenario.beyond", year=scenario.HORIZON.year))
            else:
                months = (when - tg.deadline).days / (365.25 / 12)
                verdict = (pr.t("phases.scenario.late", months=pr.n(months)) if months > 0
                           else pr.t("phases.scenario.on_time", months=pr.n(-months)))
                st.metric(label, pr.date(when, "month"), delta=verdict, delta_color="inverse" if months > 0 else "normal",
                          delta_arrow="off")
            widgets.sources_popover(pr, notes=False, records=[view.figures_by_id[tg.figure_id]], key=f"s_src_{tg.figure_id}")
    st.caption(pr.t("phases.scenario.arith", base=escape.md(pr.value(res.base)), start=pr.date(res.start), rate=pr.n(res.rate)))
    widgets.chart(data_io.chart("scenario", bundle, lang, rate=res.rate, start=res.start.date(), base=base), "s_chart",
                  chart_text.scenario_alt(res, view, pr))
    st.caption(pr.t("phases.scenario.not_forecast"))
state.write_url(params)
