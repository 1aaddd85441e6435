"""Record-level facts the edition's permalinks need: conflict ids, which conflicts a figure is in,
which app view shows a figure, when each figure entered the record (loaders.changes)."""
from __future__ import annotations

import re

import pandas as pd

from metrics.progress import COUNT_BASES
from ui.present import missing

# Figure topics -> the app page that shows them (everything else: the home page).
TOPIC_PAGE = {"budget": "phases", "safeguard": "safeguards", "capability": "safeguards"}


def _slug(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", str(text).lower())).strip("-")


def period_key(start, precision) -> str | None:
    """'2028-12-31', '2025-10', '2025': the period a conflict is about, as precise as its records."""
    if missing(start) or missing(precision):
        return None
    d = pd.Timestamp(start)
    return {"year": f"{d.year}", "month": f"{d.year}-{d.month:02d}"}.get(precision, d.date().isoformat())


def conflict_id(row) -> str:
    """A stable id from what the conflict is about: its claim, its period, and (for capability
    statements, whose claims may share a name with a figure claim) its rule. The same records
    disagreeing about the same thing keep the same id from one data version to the next."""
    parts = [str(row["claim"])]
    period = period_key(row.get("period_start"), row.get("period_precision"))
    if period:
        parts.append(period)
    if row.get("kind") == "capability":
        parts.append(str(row["rule"]).replace("_", "-"))
    return "--".join(_slug(p) for p in parts if _slug(p)) or "conflict"


def with_ids(conflicts: pd.DataFrame) -> list[tuple[str, dict]]:
    """(id, conflict row) for every conflict; a clash (never seen in the data) gets -2, -3 in row order."""
    out, seen = [], {}
    for row in conflicts.to_dict("records") if len(conflicts) else []:
        cid = conflict_id(row)
        if cid in seen:
            seen[cid] += 1
            cid = f"{cid}-{seen[cid]}"
        else:
            seen[cid] = 1
        out.append((cid, row))
    return out


def figure_conflicts(conflicts: list[tuple[str, dict]]) -> dict[str, list[str]]:
    """figure id -> ids of the conflicts it is a side of."""
    out: dict[str, list[str]] = {}
    for cid, row in conflicts:
        for side in row["sides"]:
            fid = side.get("id")
            if isinstance(fid, str):
                out.setdefault(fid, [])
                if cid not in out[fid]:
                    out[fid].append(cid)
    return out


def app_view(r) -> tuple[str, dict]:
    """(app page, link state) of the live view that shows a figure: a count opens the home page
    with only its basis on the chart; budget lines open phases; retention and the like, safeguards."""
    basis = r.get("basis")
    if basis in COUNT_BASES:
        return "progress", {"p_bases": [basis]}
    return TOPIC_PAGE.get(r.get("topic"), "progress"), {}


def first_recorded(timeline) -> dict[str, tuple[str, str | None]]:
    """figure id -> (data version label, date recorded) of the version that added it."""
    out: dict[str, tuple[str, str | None]] = {}
    if timeline is None:
        return out
    for version, changes in zip(timeline.versions, timeline.changes):
        for ch in changes:
            if ch.dataset == "figures" and ch.op == "added" and ch.key not in out:
                out[ch.key] = (version.label, version.date)
    return out


def same_claim(figures: pd.DataFrame, claim) -> pd.DataFrame:
    """Every record of a claim, oldest period first, then by statement date."""
    if figures.empty or missing(claim):
        return figures.iloc[0:0]
    part = figures[figures["claim"] == claim]
    return part.sort_values(["as_of", "stated", "id"], na_position="last")


def publication_date(r, sources: dict) -> pd.Timestamp | None:
    """When a figure was published: its statement date, else its source's publication date, else
    (an undated source) the date the source was accessed for the record; None without any of them."""
    if not missing(r.get("stated")):
        return pd.Timestamp(r["stated"])
    s = sources.get(r.get("source")) or {}
    pub = s.get("published")
    if isinstance(pub, str) and re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", pub):
        return pd.Timestamp(pub + ("-01" * (2 - pub.count("-"))))
    accessed = s.get("accessed")
    return None if missing(accessed) else pd.Timestamp(accessed)
