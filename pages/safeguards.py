"""Safeguards (for lawmakers): capabilities over time, the safeguards matrix, open questions, the briefing.

Layout only: every cell comes from the cached view model (metrics/views/safeguards.py), words from
ui/content/safeguards.py, the chart from ui/charts/safeguards.py.
"""
import datetime as dt

import streamlit as st

from ui import data_io, escape, state, widgets
from ui.content import chart_text
from ui.content import safeguards as words
from ui.layout import problems_warning

FILES = ("capabilities.yaml", "safeguards.yaml", "open_questions.yaml", "sources.yaml", "figures.yaml")

lang = state.lang()
bundle = data_io.bundle()
pr = data_io.presenter(bundle.signature, lang, bundle)
view = data_io.view("safeguards", bundle, lang)


def entries_popover(entries: list[dict], key: str, guidance=()) -> None:
    """Every statement's source and verbatim quote, then the guidance documents, behind one button."""
    widgets.sources_popover(pr, entries, key, extra_sources=guidance, render=words.entry_cite_md)


# --- title ------------------------------------------------------------------------------------
st.title(pr.t("safeguards.title"))
st.markdown(pr.t("safeguards.intro"))
problems_warning(bundle, pr, files=FILES)
if view.ref is not None:
    st.caption(pr.t("safeguards.as_of_note", date=pr.date(view.ref)))

# --- capabilities timeline --------------------------------------------------------------------
st.header(pr.t("safeguards.cap.title"))
st.markdown(pr.t("safeguards.cap.intro"))
if view.timeline.empty:
    st.info(pr.t("common.no_data"))
else:
    widgets.chart(data_io.chart("capabilities", bundle, lang), "sg_cap_chart", chart_text.capabilities_alt(view, pr),
                  chart_text.capabilities_table(view, pr), pr.t("chart_alt.read_as_table"))
    undated = int(view.timeline["date"].isna().sum())
    if undated:
        st.caption(pr.t("safeguards.cap.undated", n=pr.count(undated, "statement")))
    st.caption(pr.t("safeguards.cap.chart_note"))

    st.subheader(pr.t("safeguards.cap.latest"))
    for cap in view.capabilities:
        latest = cap.latest
        status = pr.t(f"safeguards.cap_status.{latest['status']}")
        with st.expander(f"{latest['name']} — {status} ({pr.date(latest['date'], latest['date_precision'])})"):
            st.markdown("\n".join(f"- {words.entry_md(pr, e)} · _{escape.md(pr.t('safeguards.cap_status.' + e['status']))}_"
                                  for e in cap.history))
            for warning in words.capability_warnings(view, pr, cap):
                st.warning(warning)
            entries_popover(cap.history, key=f"sg_cap_src_{latest['capability']}")

    if view.fr_slip:
        st.subheader(pr.t("safeguards.cap.fr_slip"))
        st.markdown(pr.t("safeguards.cap.fr_slip_intro"))
        st.markdown(words.fr_slip_md(view, pr))
        entries_popover(view.fr_slip, key="sg_fr_src")
    widgets.open_matters(pr, data_io.view("freshness", bundle, lang), key="sg_matter", ids=("facial-recognition-live",))

# --- safeguards matrix ------------------------------------------------------------------------
st.header(pr.t("safeguards.matrix.title"))
st.markdown(pr.t("safeguards.matrix.intro"))
if not view.matrix:
    st.info(pr.t("common.no_data"))
else:
    st.html(words.matrix_html(view, pr, words.localised_notes(bundle["safeguards"], pr)))

# --- open questions ---------------------------------------------------------------------------
st.header(pr.t("safeguards.questions.title"))
st.markdown(pr.t("safeguards.questions.intro"))
if view.asked.empty and view.raised.empty:
    st.info(pr.t("common.no_data"))
for group, key in ((view.asked, "asked"), (view.raised, "research")):
    if group.empty:
        continue
    st.subheader(pr.t(f"safeguards.questions.{key}"))
    for q in group.to_dict("records"):
        with st.container(border=True):
            st.markdown(f"**{escape.md(q['question'])}**")
            st.caption(words.question_meta(view, pr, q, asked=key == "asked"))
            if q["summary"]:
                st.markdown(escape.md(q["summary"]))
            widgets.sources_popover(pr, [], key=f"sg_q_{q['id']}", extra_sources=q["sources"])

# --- briefing ---------------------------------------------------------------------------------
st.header(pr.t("briefing.section"))
st.markdown(pr.t("briefing.intro"))
today = dt.date.today().isoformat()
st.download_button(pr.t("briefing.download"), data_io.briefing_bytes(bundle, lang, today),
                   file_name=pr.t("briefing.file_name", date=today), mime="text/html", key="sg_briefing",
                   help=pr.t("briefing.help"), icon="📄", type="primary")
