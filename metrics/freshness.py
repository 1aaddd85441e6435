"""How fresh the published record is: when the sources were last searched, the newest figure, and
the matters still open, each with its last published statement. A view model only: no Streamlit,
no UI strings (the page words it with ui/strings/freshness.yaml).

Two dates are kept apart on purpose: *checked* is when someone last searched for newer sources;
*newest figure* is the newest date a figure was published. "Nothing newer found as of <checked>"
is a statement about the search, not about the world.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# freshness.yaml kinds
SOURCES_KIND = "sources"
OPEN_KIND = "open_matter"


def _date(value) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@dataclass(frozen=True)
class OpenMatter:
    """One unanswered matter and the newest published statement on it."""

    id: str
    title: str  # data text in the requested language (English when no translation is recorded)
    status: str  # no_later_source | answered
    checked: pd.Timestamp | None  # when the sources were last searched for it
    last_date: pd.Timestamp | None  # date of the newest statement found
    last_source: str | None  # source id of that statement
    last_figure: str | None  # figure id, where the statement gives a number
    statement: str | None  # what it said (data text), requested language
    quote: str | None
    quote_lang: str | None


@dataclass(frozen=True)
class Freshness:
    checked: pd.Timestamp | None  # when the sources as a whole were last searched
    newest_figure: pd.Timestamp | None  # newest `stated` date among the figures
    newest_figure_id: str | None
    newest_source: pd.Timestamp | None  # newest item found by the search (may be a column without a figure)
    newest_source_id: str | None
    matters: list[OpenMatter] = field(default_factory=list)

    @property
    def nothing_later(self) -> bool:
        """True when the last search found nothing newer than the newest item recorded."""
        return self.checked is not None and self.newest_source is not None and self.checked > self.newest_source


def newest_figure(figures: pd.DataFrame) -> tuple[pd.Timestamp | None, str | None]:
    """The newest published figure: latest `stated` (ties: first id), or (None, None) when none is dated."""
    if figures is None or figures.empty or "stated" not in figures or figures["stated"].isna().all():
        return None, None
    dated = figures[figures["stated"].notna()].sort_values(["stated", "id"], ascending=[False, True])
    row = dated.iloc[0]
    return pd.Timestamp(row["stated"]), str(row["id"])


def _pick(row, base: str, lang: str) -> str | None:
    zh = _text(row.get(f"{base}_zh")) if lang == "zh-Hant" else None
    return zh or _text(row.get(f"{base}_en"))


def freshness(freshness_frame: pd.DataFrame, figures: pd.DataFrame, lang: str = "en") -> Freshness:
    """The freshness view model from the freshness and figures frames (both as load_all returns them)."""
    f = freshness_frame if freshness_frame is not None else pd.DataFrame()
    overall = f[f["kind"] == SOURCES_KIND] if len(f) else f
    checked = newest_source = newest_source_id = None
    if len(overall):
        row = overall.sort_values("checked", ascending=False).iloc[0]
        checked, newest_source, newest_source_id = _date(row["checked"]), _date(row["last_date"]), _text(row["last_source"])
    fig_date, fig_id = newest_figure(figures)
    matters = []
    if len(f):
        for _, row in f[f["kind"] == OPEN_KIND].iterrows():
            matters.append(OpenMatter(
                id=str(row["id"]), title=_pick(row, "title", lang) or str(row["id"]), status=str(row["status"]),
                checked=_date(row["checked"]), last_date=_date(row["last_date"]), last_source=_text(row["last_source"]),
                last_figure=_text(row.get("last_figure")), statement=_pick(row, "last_statement", lang),
                quote=_text(row.get("quote")), quote_lang=_text(row.get("quote_lang"))))
    if checked is None and matters:  # no overall record: the latest search of any matter
        checked = max((m.checked for m in matters if m.checked is not None), default=None)
    return Freshness(checked, fig_date, fig_id, newest_source, newest_source_id, matters)


@dataclass(frozen=True)
class PhaseStart:
    """How a phase's start may be shown: confirmed by a source, or only planned."""

    state: str  # "confirmed" | "not_confirmed" (planned start reached, no source says it began) | "planned" (still ahead)
    start: pd.Timestamp | None
    source: str | None  # the confirming source, when confirmed


def phase_start(phase: dict | pd.Series, as_of: pd.Timestamp | None) -> PhaseStart:
    """A phase is 'under way' only on a source's word. `as_of` is the date the record is read at
    (e.g. the freshness checked date): a planned start on or before it, unconfirmed, is
    "not_confirmed" ("planned to start Apr 2026; start not confirmed"), never "under way"."""
    start = _date(phase.get("start"))
    if phase.get("start_status") == "confirmed" and _text(phase.get("start_confirmed_by")):
        return PhaseStart("confirmed", start, _text(phase.get("start_confirmed_by")))
    if start is not None and as_of is not None and start <= pd.Timestamp(as_of):
        return PhaseStart("not_confirmed", start, None)
    return PhaseStart("planned", start, None)
