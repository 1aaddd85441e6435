"""Rollout progress (home page): how far along SmartView is, whether it is on track, and who said so.

Layout only: numbers come from the cached view model (metrics/views/progress.py), words from
ui/present.py and ui/content/progress.py, figures from ui/charts/progress.py. View choices live in
the link as codes (ui/url_state.py: p_bases, p_per1000, p_log, p_plan, p_zoom, p_out1000, p_cmp, p_ed).
"""
import streamlit as st

from metrics import progress as metrics
from metrics import scenario
from ui import data_io, state, url_state, versions, widgets
from ui.charts.progress import edition_name
from ui.content import chart_text
from ui.content import freshness as words_freshness
from ui.content import progress as words
from ui.layout import problems_warning

FILES = ("figures.yaml", "sources.yaml", "phases.yaml", "capabilities.yaml", "cities.yaml", "districts.csv")

lang = state.lang()
bundle = data_io.bundle()
pr = data_io.presenter(bundle.signature, lang, bundle)
view = data_io.view("progress", bundle, lang)
params = url_state.progress_params(view.editions["per_1000"] + view.editions["per_km2"], view.default_editions["per_1000"])
notices = state.seed_widgets(params)
lead, target, pace = view.lead, view.target, view.pace
not_published = pr.t("common.not_published")


def chart(name: str, key: str, alt: str, **options) -> None:
    widgets.chart(data_io.chart(name, bundle, lang, **options), key, alt)


# --- title and freshness ----------------------------------------------------------------------
st.title(pr.t("progress.title"))
st.markdown(pr.t("progress.intro"))
state.show_notices(notices, params, lang)
problems_warning(bundle, pr, files=FILES)
if updated := words.last_updated(view, pr):
    st.caption(updated)


# --- headline ---------------------------------------------------------------------------------
def headline_metric(label_key: str, headline, key: str, extra: str | None = None, help_key: str | None = None) -> None:
    """A published number with its date, every disagreeing reading, and its sources."""
    help_text = pr.t(help_key) if help_key else None
    if headline.records.empty:
        st.metric(pr.t(label_key), not_published, help=help_text)
        return
    first = headline.readings.iloc[0]
    st.metric(pr.t(label_key), pr.number(first["value"], first["qualifier"], first["value_high"]), help=help_text)
    st.caption(pr.t("progress.as_of", date=pr.as_of(first)))
    if len(headline.readings) > 1:
        others = " / ".join(pr.number(r["value"], r["qualifier"], r["value_high"]) for r in headline.readings.iloc[1:].to_dict("records"))
        st.caption(pr.t("progress.sources_differ", others=others))
    if extra:
        st.caption(extra)
    widgets.sources_popover(pr, headline.records, key)


st.header(pr.t("progress.headline.title"))
# Two per row: qualified values ("about 11,000") are cut off in four narrow columns.
c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
with c1:
    headline_metric("progress.headline.police", view.police, "p_src_police")
with c2:
    third = view.third.lead
    third_note = None if third is None else pr.t("progress.headline.third_party", value=pr.number(third["value"], third["qualifier"]),
                                                 date=pr.as_of(third))
    headline_metric("progress.headline.system", view.system, "p_src_system", extra=third_note, help_key="progress.headline.system_help")
with c3:
    if target is None:
        st.metric(pr.t("progress.headline.target"), not_published)
    else:
        st.metric(pr.t("progress.headline.target"), pr.number(target["value"], target["qualifier"]))
        st.caption(pr.t("progress.headline.target_by", date=pr.as_of(target), stated=pr.date(target["stated"])))
        widgets.sources_popover(pr, view.target_records, "p_src_target")
with c4:
    if view.percent_police is None:
        st.metric(pr.t("progress.headline.percent"), not_published)
    else:
        st.metric(pr.t("progress.headline.percent"), pr.percent(view.percent_police))
        st.caption(pr.t("progress.headline.percent_police"))
        if view.percent_system is not None:
            st.caption(pr.t("progress.headline.percent_system", pct=pr.percent(view.percent_system)))

target_n = pr.n(target["value"]) if target is not None else not_published
d1, d2, d3 = st.columns(3)
with d1:
    needed_label = pr.t("progress.headline.needed", target=target_n)
    if view.need_months is None:
        st.metric(needed_label, not_published)
    else:
        st.metric(needed_label, pr.t("progress.per_month", n=pr.n(view.need)) if view.need is not None else pr.t("progress.deadline_passed"))
        st.caption(pr.t("progress.headline.needed_note", months=pr.n(view.need_months, 1), date=pr.as_of(target)))
with d2:
    if pace is None or pace.per_month is None:
        st.metric(pr.t("progress.headline.recent"), not_published)
    else:
        delta = pr.t("progress.headline.vs_needed", pct=pr.percent(pace.per_month / view.need * 100, 0)) if view.need else None
        st.metric(pr.t("progress.headline.recent"), pr.t("progress.per_month", n=pr.n(pace.per_month)),
                  delta=delta, delta_color="off", delta_arrow="off")
        st.caption(pr.t("progress.headline.recent_note", start=pr.number(pace.earlier["value"], pace.earlier["qualifier"]),
                        start_date=pr.as_of(pace.earlier), end=pr.number(pace.latest["value"], pace.latest["qualifier"]),
                        end_date=pr.as_of(pace.latest), months=pr.n(pace.months, 1)))
        widgets.sources_popover(pr, [pace.earlier, pace.latest], "p_src_pace")
with d3:
    reach_label = pr.t("progress.headline.reach", target=target_n)
    if view.reach is None and pace is not None and (pace.per_month or 0) > 0:
        st.metric(reach_label, pr.t("progress.headline.reach_beyond", year=scenario.HORIZON.year))
    elif view.reach is None:
        st.metric(reach_label, not_published)
    else:
        late = view.reach_years_late
        st.metric(reach_label, pr.date(view.reach, "month"))
        st.caption(pr.t("progress.headline.reach_late" if late > 0 else "progress.headline.reach_early", years=pr.n(abs(late), 1)))

with st.container(border=True):
    st.markdown(f"**{pr.t('progress.assume.title')}**\n\n" + "\n".join(f"- {line}" for line in words.assumptions(view, pr)))
    if view.population is not None:
        with st.expander(pr.t("progress.assume.population_sources", n=len(view.population.sources)), key="p_src_population",
                         type="compact"):
            st.markdown("\n\n".join(pr.citation_md(s) for s in view.population.sources))
    if view.target_conflicted:
        st.warning(pr.t("progress.assume.scope_conflict"))

versions.whats_new(pr, bundle)

fresh = data_io.view("freshness", bundle, lang)
if fresh.matters:
    st.header(pr.t("freshness.open_matters"))
    st.caption(words_freshness.checked_line(fresh, pr) or "")
    widgets.open_matters(pr, fresh, key="p_matter")


# --- progress chart ---------------------------------------------------------------------------
st.header(pr.t("progress.chart.title"))
k1, k2, k3 = st.columns([3, 1.2, 1.2])
bases = k1.pills(pr.t("progress.chart.bases"), metrics.COUNT_BASES, selection_mode="multi", format_func=pr.basis, key="p_bases") or []
per1000 = k2.toggle(pr.t("progress.chart.per1000"), key="p_per1000", disabled=view.population is None)
log_y = k2.toggle(pr.t("progress.chart.log"), key="p_log")
show_plan = k3.toggle(pr.t("progress.chart.plan_toggle"), key="p_plan")
zoom = k3.toggle(pr.t("progress.chart.zoom"), key="p_zoom")
chart("progress", "p_chart", chart_text.progress_alt(view, pr), bases=tuple(bases), show_plan=show_plan, per1000=per1000, log_y=log_y, zoom=zoom)
st.caption(pr.t("progress.chart.legend_note"))
if view.per_set and not per1000:
    st.caption(pr.t("progress.chart.sets_note", low=pr.n(view.per_set[0]), high=pr.n(view.per_set[1])))
if per1000:
    st.caption(pr.t("progress.chart.per1000_note"))
with st.expander(pr.t("progress.chart.table", n=len(view.counts))):
    widgets.records_table(pr, view.counts, {pr.t("progress.col.basis"): [pr.basis(b) for b in view.counts["basis"]]})


# --- target drift -----------------------------------------------------------------------------
st.header(pr.t("progress.drift.title"))
st.markdown(pr.t("progress.drift.intro"))
if view.history.empty:
    st.info(pr.t("common.no_data"))
else:
    chart("drift", "p_drift", chart_text.drift_alt(view, pr))
    st.caption(pr.t("progress.drift.log_note"))
    with st.expander(pr.t("progress.drift.table", n=len(view.history))):
        deadlines = [pr.t("progress.drift.by", date=pr.as_of(r)) for r in view.history.to_dict("records")]
        widgets.records_table(pr, view.history, {pr.t("progress.col.deadline"): deadlines}, date_col="stated")


# --- conflicting figures ----------------------------------------------------------------------
st.header(pr.t("progress.conflicts.title", n=len(view.conflicts)))
st.markdown(pr.t("progress.conflicts.intro"))
if view.conflicts.empty:
    st.info(pr.t("progress.conflicts.none"))
for row in view.conflicts.to_dict("records"):
    text = words.conflict_text(row, view, pr)
    with st.expander(text.summary):
        st.caption(text.rule)
        cols = st.columns(min(len(text.headings), 3))
        for i, (heading, sides) in enumerate(zip(text.headings, text.sides)):
            with cols[i % len(cols)]:
                st.markdown(heading)
                for j, side in enumerate(sides):
                    if j:
                        st.divider()
                    st.markdown(side)


# --- outcomes ---------------------------------------------------------------------------------
st.header(pr.t("progress.outcomes.title"))
st.caption(pr.t("progress.outcomes.intro"))
if view.outcomes.empty:
    st.info(pr.t("common.no_data"))
else:
    rate = st.toggle(pr.t("progress.outcomes.rate_toggle"), key="p_out1000")
    chart("outcomes", "p_outcomes", chart_text.outcomes_alt(view, pr), rate=rate)
    with st.expander(pr.t("progress.outcomes.table", n=len(view.outcomes))):
        widgets.records_table(pr, view.outcomes, words.outcome_columns(view, pr))


# --- other cities -----------------------------------------------------------------------------
st.header(pr.t("progress.cities.title"))
st.warning(pr.t("progress.cities.not_comparable"))
e1, e2 = st.columns([1, 2])
metric = e1.segmented_control(pr.t("progress.cities.metric"), url_state.CITY_METRICS, key="p_cmp",
                              format_func=lambda m: pr.t(f"progress.cities.short_{m}")) or "per_1000"
editions = view.editions[metric]
if not editions:
    st.info(pr.t("progress.cities.empty"))
else:
    if st.session_state.get("p_ed") not in editions:
        st.session_state["p_ed"] = view.default_editions[metric]  # this measure's own default edition
    edition = e2.selectbox(pr.t("progress.cities.edition"), editions, key="p_ed", format_func=lambda e: edition_name(pr, e))
    chart("cities", "p_cities", chart_text.cities_alt(view, pr, metric, edition, edition_name(pr, edition)), metric=metric,
          edition=edition)
    hk = view.hk_density
    if len(hk) and hk[metric].isna().any():
        st.caption(pr.t("progress.cities.hk_missing_area", missing=pr.districts(view.area_missing)) if metric == "per_km2"
                   else pr.t("progress.cities.hk_missing_pop"))
    st.caption(pr.t("progress.cities.hk_note"))
with st.expander(pr.t("progress.cities.all", n=len(view.cities))):
    link = pr.t("progress.col.link")
    st.dataframe(words.cities_table(view, pr), hide_index=True, width="stretch",
                 column_config={link: st.column_config.LinkColumn(display_text=pr.t("progress.col.open"))})
state.write_url(params)
