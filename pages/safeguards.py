"""Safeguards (for lawmakers): capabilities over time, the safeguards matrix, open questions, the briefing.

Layout only: every cell comes from data/ (capabilities.yaml, safeguards.yaml, open_questions.yaml)
through metrics/safeguards.py; strings from ui/strings/safeguards.yaml. Data text reaching
Markdown or plotly hovers is escaped.
"""
from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import briefing as BR
from metrics import phases as PH
from metrics import safeguards as SG
from ui import data_io, escape, fmt, layout, state
from ui.i18n import t

FILES = ("capabilities.yaml", "safeguards.yaml", "open_questions.yaml", "sources.yaml", "figures.yaml")
FR_CAPABILITY = "facial-recognition"  # the capability whose promised date moved; its planned events are listed in order
# Colour by what a status means for the public: switched on (red), could be (orange), planned
# (purple), not in use / not found (grey).
STATUS_COLOURS = {"in_use": "#c0392b", "pilot": "#e74c3c", "claimed": "#e67e22", "capable_not_used": "#f39c12",
                  "planned": "#8e44ad", "not_ruled_out": "#9b59b6", "not_in_use": "#7f8c8d", "ruled_out": "#95a5a6",
                  "not_found": "#bdc3c7"}
STATUS_SYMBOLS = {"in_use": "circle", "pilot": "circle", "claimed": "x", "capable_not_used": "triangle-up",
                  "planned": "diamond", "not_ruled_out": "diamond-open", "not_in_use": "circle-open", "ruled_out": "circle-open",
                  "not_found": "square-open"}
MATRIX_BADGE = {"documented": "green", "promised": "orange", "not_published": "red", "conflicting": "violet"}

lang = state.lang()
bundle = data_io.bundle()
sources = bundle["sources"]
ref = PH.reference_date(sources)
conflicts = data_io.conflicts(bundle)


# --- text helpers -----------------------------------------------------------------------------

def date_text(value, precision="day") -> str:
    return fmt.date(value, precision, lang)  # "not published" for a missing date, "end of 2025" etc.


def source_label(source_id: str) -> str:
    return layout.source_label(bundle, source_id)


def citation(source_id: str, quote=None, quote_lang=None) -> str:
    """layout.citation for this page's bundle and language, with the verbatim quote."""
    return layout.citation(bundle, source_id, lang, quote or None, quote_lang)


def entry_md(e: dict) -> str:
    when = date_text(e["date"], e["date_precision"]) if pd.notna(e["date"]) else t("safeguards.undated", lang)
    return f"**{escape.md(when)}** — {escape.md(e.get('summary') or '')}"


def hover(text, width=60) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return "<br>".join(escape.html(line) for line in textwrap.wrap(str(text), width=width))


def entries_popover(entries: list[dict], key: str, guidance: list[str] = ()) -> None:
    """Every entry's source and verbatim quote, then the guidance documents, behind one button."""
    n = len(entries) + len(guidance)
    if not n:
        return
    with st.popover(t("safeguards.sources_button", lang, n=n), key=key):
        for i, e in enumerate(entries):
            if i:
                st.divider()
            st.markdown(entry_md(e) + "\n\n" + citation(e["source"], e.get("quote"), e.get("quote_lang")))
        if guidance:
            st.markdown(f"**{t('safeguards.guidance_sources', lang)}**")
            for sid in guidance:
                st.markdown(citation(sid))


def conflict_sides(claim: str) -> str | None:
    """'30 days (3 sources) vs 31 days (3 sources)' for a figure claim the sources disagree on."""
    rows = conflicts[(conflicts["kind"] == "figure") & (conflicts["claim"] == claim)]
    if rows.empty:
        return None
    by_position: dict[int, list[dict]] = {}
    for side in rows.iloc[0]["sides"]:
        by_position.setdefault(side["position"], []).append(side)
    parts = []
    for sides in by_position.values():
        s = sides[0]
        value = fmt.qualified(s["value"], "exact", s["unit"], lang)
        parts.append(t("safeguards.side", lang, value=value, n=len(sides)))
    return t("safeguards.sides_join", lang).join(parts)


@st.cache_data(show_spinner=False, max_entries=8)
def briefing_bytes(signature: str, language: str, today: str) -> bytes:  # signature: cache key only
    return BR.build_briefing(data_io.bundle(), language, pd.Timestamp(today)).encode("utf-8")


# --- title ------------------------------------------------------------------------------------

st.title(t("safeguards.title", lang))
st.markdown(t("safeguards.intro", lang))
layout.problems_warning(bundle, lang, files=FILES)
if ref is not None:
    st.caption(t("safeguards.as_of_note", lang, date=date_text(ref)))


# --- capabilities timeline --------------------------------------------------------------------

st.header(t("safeguards.cap.title", lang))
st.markdown(t("safeguards.cap.intro", lang))
timeline = SG.capability_events(bundle["capabilities"], bundle["capability_events"], lang)
if timeline.empty:
    st.info(t("common.no_data", lang))
else:
    fig = go.Figure()
    names = list(dict.fromkeys(timeline["name"]))
    for cid, g in timeline[timeline["date"].notna()].groupby("capability", sort=False):
        fig.add_trace(go.Scatter(x=g["date"], y=g["name"], mode="lines", line={"color": "#ddd", "width": 2},
                                 showlegend=False, hoverinfo="skip"))
    dated = timeline[timeline["date"].notna()]  # undated statements are listed under each capability, not plotted
    # Draw the least active statuses first so an "in use" mark is never hidden under another on the same day.
    for status in reversed(SG.CAPABILITY_STATUS_ORDER):
        part = dated[dated["status"] == status]
        if part.empty:
            continue
        cd = [[escape.html(r["name"]), escape.html(t(f"safeguards.cap_status.{status}", lang)),
               escape.html(date_text(r["date"], r["date_precision"])), hover(r["summary"]),
               escape.html(source_label(r["source"])), hover(r["quote"])] for r in part.to_dict("records")]
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["name"], mode="markers", name=t(f"safeguards.cap_status.{status}", lang),
            marker={"size": 13, "color": STATUS_COLOURS.get(status, "#333"), "symbol": STATUS_SYMBOLS.get(status, "circle"),
                    "line": {"width": 2, "color": STATUS_COLOURS.get(status, "#333")}},
            customdata=cd,
            hovertemplate="<b>%{customdata[0]}</b> · %{customdata[1]} · %{customdata[2]}<br>%{customdata[3]}<br>"
                          "%{customdata[4]}<br><i>%{customdata[5]}</i><extra></extra>"))
    if ref is not None:
        fig.add_shape(type="line", x0=ref, x1=ref, yref="paper", y0=0, y1=1, line={"dash": "dot", "color": "#c0392b"})
    fig.update_layout(height=120 + 48 * len(names), margin={"l": 10, "r": 10, "t": 20, "b": 10},
                      yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
                      legend={"orientation": "h", "y": -0.12, "traceorder": "reversed"}, hoverlabel={"align": "left"})
    st.plotly_chart(fig, width="stretch", key="sg_cap_chart")
    undated = timeline[timeline["date"].isna()]
    if len(undated):
        st.caption(t("safeguards.cap.undated", lang, n=len(undated)))
    st.caption(t("safeguards.cap.chart_note", lang))

    latest = SG.latest_status(timeline)
    st.subheader(t("safeguards.cap.latest", lang))
    for _, cap in latest.iterrows():
        events = SG.status_history(timeline, cap["capability"])
        status = t(f"safeguards.cap_status.{cap['status']}", lang)
        label = f"{cap['name']} — {status} ({date_text(cap['date'], cap['date_precision'])})"
        with st.expander(label):
            st.markdown("\n".join(f"- {entry_md(e)} · _{escape.md(t('safeguards.cap_status.' + e['status'], lang))}_" for e in events))
            claims = {e["claim"] for e in events if e.get("claim")}
            related = conflicts[(conflicts["capability"] == cap["capability"]) | (conflicts["claim"].isin(claims))]
            for _, c in related.iterrows():
                if c["kind"] == "figure":
                    st.warning(t("safeguards.cap.conflict_figure", lang, sides=conflict_sides(c["claim"]) or ""))
                else:
                    statuses = " / ".join(dict.fromkeys(t(f"safeguards.cap_status.{s['status']}", lang) for s in c["sides"]))
                    st.warning(t("safeguards.cap.conflict_status", lang, statuses=statuses))
            entries_popover(events, key=f"sg_cap_src_{cap['capability']}")

    fr = [e for e in SG.status_history(timeline, FR_CAPABILITY) if e["status"] in ("planned", "not_in_use")]
    if fr:
        st.subheader(t("safeguards.cap.fr_slip", lang))
        st.markdown(t("safeguards.cap.fr_slip_intro", lang))
        st.markdown("\n".join(
            f"- **{escape.md(date_text(e['date'], e['date_precision']))}** ({escape.md(t('safeguards.cap_status.' + e['status'], lang))}): "
            f"“{escape.md(e['quote'])}” — {escape.md(source_label(e['source']))}" for e in fr))
        entries_popover(fr, key="sg_fr_src")


# --- safeguards matrix ------------------------------------------------------------------------

st.header(t("safeguards.matrix.title", lang))
st.markdown(t("safeguards.matrix.intro", lang))
rows = SG.matrix(bundle["safeguards"], bundle["safeguard_entries"], lang)
if not rows:
    st.info(t("common.no_data", lang))
else:
    widths = [1.5, 1.4, 1.4, 1.1]
    head = st.columns(widths)
    for col, key in zip(head, ("safeguard", "documented", "promised", "not_published")):
        col.markdown(f"**{t(f'safeguards.matrix.col.{key}', lang)}**")
    for row in rows:
        with st.container(border=True):
            cols = st.columns(widths)
            with cols[0]:
                badge = MATRIX_BADGE.get(row.status, "gray")
                st.markdown(f"**{escape.md(row.name)}**  \n:{badge}-badge[{t(f'safeguards.status.{row.status}', lang)}]")
                st.caption(t("safeguards.matrix.expected", lang) + " " + escape.md(row.expectation or ""))
                note = bundle["safeguards"].set_index("id").loc[row.id, "note"] if "note" in bundle["safeguards"] else None
                if isinstance(note, str) and note:
                    st.caption("ℹ️ " + escape.md(note))
            for col, column in zip(cols[1:], SG.MATRIX_COLUMNS):
                with col:
                    lines = [f"- {entry_md(e)}" + (" ⚠️" if e["status"] == "conflicting" else "") for e in row.cells[column]]
                    if column == "not_published" and SG.not_published_marker(row):
                        lines.insert(0, f"- {t('safeguards.matrix.finding', lang)}")
                    if column == "documented" and row.conflicting:
                        claim = SG.SAFEGUARD_FIGURE_CLAIMS.get(row.id)
                        sides = conflict_sides(claim) if claim else None
                        lines.insert(0, "⚠️ " + t("safeguards.matrix.conflict", lang) + (f" {sides}" if sides else ""))
                    st.markdown("\n".join(lines) if lines else "—")
            entries_popover([e for c in SG.MATRIX_COLUMNS for e in row.cells[c]], key=f"sg_src_{row.id}",
                            guidance=row.guidance_sources)


# --- open questions ---------------------------------------------------------------------------

st.header(t("safeguards.questions.title", lang))
st.markdown(t("safeguards.questions.intro", lang))
questions = SG.open_questions(bundle["open_questions"], lang)
if questions.empty:
    st.info(t("common.no_data", lang))
else:
    asked, research = SG.split_questions(questions)
    for group, key in ((asked, "asked"), (research, "research")):
        if group.empty:
            continue
        st.subheader(t(f"safeguards.questions.{key}", lang))
        for q in group.to_dict("records"):
            with st.container(border=True):
                st.markdown(f"**{escape.md(q['question'])}**")
                meta = t("safeguards.questions.meta", lang, date=date_text(q["first_asked"], q["first_asked_precision"]),
                         who=escape.md(q["asked_by"] or t("common.not_published", lang)),
                         status=t(f"safeguards.q_status.{q['status']}", lang))
                if key == "asked" and ref is not None:
                    n, unit = SG.time_unanswered(q["first_asked"], q["first_asked_precision"], ref)
                    meta += " · " + t(f"safeguards.questions.since_{q['status']}", lang,
                                      span=t(f"safeguards.questions.{unit}", lang, n=fmt.number(n, lang)), date=date_text(ref))
                st.caption(meta)
                if q["summary"]:
                    st.markdown(escape.md(q["summary"]))
                with st.popover(t("safeguards.sources_button", lang, n=len(q["sources"])), key=f"sg_q_{q['id']}"):
                    for sid in q["sources"]:
                        st.markdown(citation(sid))


# --- briefing ---------------------------------------------------------------------------------

st.header(t("briefing.section", lang))
st.markdown(t("briefing.intro", lang))
today = dt.date.today().isoformat()
st.download_button(t("briefing.download", lang), briefing_bytes(data_io.content_signature(bundle.root), lang, today),
                   file_name=t("briefing.file_name", lang, date=today), mime="text/html", key="sg_briefing",
                   help=t("briefing.help", lang), icon="📄", type="primary")
