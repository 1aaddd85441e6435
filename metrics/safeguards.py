"""Capabilities over time, the safeguards matrix and the open questions, as plain tables.

Every cell is built from records in data/ (capabilities.yaml, safeguards.yaml,
open_questions.yaml); nothing is typed here except the order the columns are shown in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Matrix columns, in the order a reader scans them: what is on the record, what is only promised,
# what nobody has published.
MATRIX_COLUMNS = ("documented", "promised", "not_published")
# Entry status -> matrix column. A conflicting entry is still on the record; it is flagged, not hidden.
ENTRY_COLUMN = {"documented": "documented", "conflicting": "documented", "promised": "promised",
                "not_published": "not_published"}
# Statuses that mean the capability is (or can be) switched on, for the timeline's colour scale.
ACTIVE_STATUSES = ("in_use", "pilot", "claimed")
# Safeguards whose substance is also a number in figures.yaml (so its conflict can be quoted).
SAFEGUARD_FIGURE_CLAIMS = {"retention": "retention-period"}
# Questions this project raised itself (no published date of asking): listed apart from those
# lawmakers or the press asked, and never given a "days unanswered" count.
PROJECT_ASKER_PREFIX = "Hong Kong CCTV Watch"
CAPABILITY_STATUS_ORDER = ("in_use", "pilot", "capable_not_used", "planned", "claimed", "not_ruled_out",
                           "not_in_use", "ruled_out", "not_found")


def text_or_none(value) -> str | None:
    """A non-empty string, else None (an empty optional column loads as NaN, which is truthy)."""
    return value if isinstance(value, str) and value.strip() else None


def localised(row, stem: str, lang: str):
    """row[stem_zh] in Chinese when present, else row[stem_en]; None when neither is published."""
    zh = text_or_none(row.get(f"{stem}_zh"))
    if lang == "zh-Hant" and zh:
        return zh
    return text_or_none(row.get(f"{stem}_en"))


def capability_events(capabilities: pd.DataFrame, events: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per dated status change, with the capability's name in lang, oldest first per capability.

    Capabilities keep the order of capabilities.yaml, so the chart reads the way the file does.
    """
    cols = ["capability", "name", "order", "date", "date_precision", "status", "summary", "source",
            "quote", "quote_lang", "claim", "note"]
    if capabilities.empty or events.empty:
        return pd.DataFrame(columns=cols)
    # The parent id column should be "capability"; load_all currently names it "capabilitie"
    # (schema.name.rstrip("s")), so take whichever is there and keep working once the loader is fixed.
    parent = "capability" if "capability" in events else events.columns[0]
    events = events.rename(columns={parent: "capability"})
    caps = capabilities.reset_index(drop=True)
    order = {cid: i for i, cid in enumerate(caps["id"])}
    names = {r["id"]: localised(r, "name", lang) for r in caps.to_dict("records")}
    rows = []
    for e in events.to_dict("records"):
        cid = e["capability"]
        if cid not in order:
            continue
        rows.append({"capability": cid, "name": names[cid], "order": order[cid], "date": e["date"],
                     "date_precision": e["date_precision"], "status": e["status"],
                     "summary": localised(e, "summary", lang), "source": e["source"], "quote": e["quote"],
                     "quote_lang": e["quote_lang"], "claim": e.get("claim"), "note": e.get("note")})
    out = pd.DataFrame(rows, columns=cols)
    # Undated statements (the date is not published) sort after the dated ones of their capability.
    return out.sort_values(["order", "date"], kind="stable", na_position="last").reset_index(drop=True)


def latest_status(timeline: pd.DataFrame) -> pd.DataFrame:
    """The newest dated status of each capability (ties keep the later record in the file).

    An undated statement cannot be "latest"; a capability with only undated statements keeps one
    row (its last), so it is still listed.
    """
    if timeline.empty:
        return timeline
    dated = timeline[timeline["date"].notna()].groupby("capability", sort=False).tail(1)
    undated_only = timeline[~timeline["capability"].isin(dated["capability"])].groupby("capability", sort=False).tail(1)
    return pd.concat([dated, undated_only]).sort_values("order").reset_index(drop=True)


def status_history(timeline: pd.DataFrame, capability: str) -> list[dict]:
    """A capability's events oldest first, e.g. how facial recognition's expected date moved."""
    return timeline[timeline["capability"] == capability].to_dict("records")


@dataclass
class MatrixRow:
    """One safeguard: what people expect, and the cited entries in each matrix column."""

    id: str
    name: str
    expectation: str
    guidance_sources: list
    status: str
    cells: dict = field(default_factory=dict)  # column -> list of entry dicts (oldest first)

    @property
    def nothing_documented(self) -> bool:
        """True when no entry documents the safeguard: the 'not published' finding."""
        return not self.cells["documented"]

    @property
    def conflicting(self) -> bool:
        return self.status == "conflicting" or any(e["status"] == "conflicting" for e in self.cells["documented"])


def matrix(safeguards: pd.DataFrame, entries: pd.DataFrame, lang: str = "en") -> list[MatrixRow]:
    """The safeguards matrix: one row per safeguard, entries sorted into the three columns."""
    rows = []
    by_safeguard = {k: g.sort_values(["date", "seq"]) for k, g in entries.groupby("safeguard")} if len(entries) else {}
    for s in safeguards.to_dict("records"):
        cells = {c: [] for c in MATRIX_COLUMNS}
        group = by_safeguard.get(s["id"])
        if group is not None:
            for e in group.to_dict("records"):
                e = dict(e, summary=localised(e, "summary", lang))
                cells[ENTRY_COLUMN[e["status"]]].append(e)
        guidance = s.get("guidance_sources")
        rows.append(MatrixRow(id=s["id"], name=localised(s, "name", lang), expectation=localised(s, "expectation", lang),
                              guidance_sources=list(guidance) if isinstance(guidance, (list, tuple)) else [],
                              status=s["status"], cells=cells))
    return rows


def not_published_marker(row: MatrixRow) -> bool:
    """Whether the "not published" column carries the finding itself, not only dated entries.

    True when safeguards.yaml rates the protection as not published or only promised, or when no
    entry documents it: the protection has not been published as in force.
    """
    return row.status in ("not_published", "promised") or row.nothing_documented


def cell_summary(row: MatrixRow, column: str) -> list[str]:
    """The cell as plain strings (summary + source id), for tables, tests and the briefing."""
    return [f"{e['summary']} [{e['source']}]" for e in row.cells[column]]


def open_questions(questions: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Unanswered questions, oldest first: the date first asked is the headline number."""
    cols = ["id", "question", "first_asked", "first_asked_precision", "asked_by", "status", "summary", "sources"]
    if questions.empty:
        return pd.DataFrame(columns=cols)
    rows = [{"id": q["id"], "question": localised(q, "question", lang), "first_asked": q["first_asked"],
             "first_asked_precision": q["first_asked_precision"], "asked_by": text_or_none(q.get("asked_by")),
             "status": q["status"], "summary": localised(q, "summary", lang),
             "sources": list(q["sources"]) if isinstance(q["sources"], (list, tuple)) else []}
            for q in questions.to_dict("records")]
    return pd.DataFrame(rows, columns=cols).sort_values(["first_asked", "id"]).reset_index(drop=True)


def split_questions(questions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(asked by lawmakers or the press, raised by this project's research)."""
    ours = questions["asked_by"].fillna("").str.startswith(PROJECT_ASKER_PREFIX)
    return questions[~ours].reset_index(drop=True), questions[ours].reset_index(drop=True)


def days_unanswered(first_asked, today) -> int:
    """Whole days between the date first asked and today (derived, shown with both dates)."""
    return int((pd.Timestamp(today).normalize() - pd.Timestamp(first_asked).normalize()).days)


def time_unanswered(first_asked, precision: str, today) -> tuple[int, str]:
    """(n, unit) since a question was first asked, no finer than the date is known.

    A day-precise date gives days; a month-only date gives whole months; a year-only date gives
    whole years (counting from the start of the period, so it is a lower bound of nothing more).
    """
    start, end = pd.Timestamp(first_asked), pd.Timestamp(today)
    if precision == "day":
        return days_unanswered(start, end), "days"
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if precision == "month":
        return months, "months"
    return months // 12, "years"
