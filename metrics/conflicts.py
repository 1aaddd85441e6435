"""Where published figures disagree: derived from the records, never typed into a page.

The rule (data-model.md: "records sharing a claim describe the same quantity, so differing values
within a claim are a conflict"), refined so that progress over time is not mistaken for conflict:

- A record's *position* is its (value, value_high, unit, basis). Qualifiers ("about", "more than")
  are not positions: "about 5,000" and "5,000" agree.
- Standing facts (STANDING_BASES: retention period, vehicles equipped, long-run recurrent cost):
  the as_of is only when it was said, so any two positions within the claim conflict, whenever stated.
- Everything else (running counts, outcomes, targets, budgets) is about a period: two records
  conflict only when their as_of dates name the same period (same_period). Counts at different
  dates are progress, not disagreement. For targets (TARGET_BASES) the period is the deadline, so
  two different totals "by 2027" conflict (rule "same_deadline"; a later one may be a revision).
- Undated records (as_of_precision "undated") are in no known period: they conflict only under
  the standing-fact rule.
- Periods: a date with month/year precision stands for the whole month/year ("Oct 2024"), except
  a date on the *last* day of its period, which the data model uses for "end of" / "by" and which
  is therefore a point (end of 2025 = 31 Dec 2025). Two periods match at the coarser precision.
- Contested records (rule "contested"): a record whose `conflicts_with` names another record says
  the two describe the same thing differently though their numbers may agree (37 robberies per
  HKFP, 37 burglaries per SCMP). Each record of such a group is its own side, labelled by its claim.
- Capabilities, two rules: (1) events of one capability sharing a `claim` conflict when their
  statuses differ; (2) an unconfirmed claim that a capability is there (status `claimed`, e.g.
  "15 pilot cameras with facial recognition") conflicts with the statements that it is not
  (DENIALS: not in use, ruled out, not found) about the same capability, whatever their dates:
  "claimed" marks exactly the reports that official statements do not bear out.

Output: one row per conflict, with every record on every side (source id, value, quote), so the
page can cite each side; nothing is averaged or picked.
"""
from __future__ import annotations

import pandas as pd

# Facts without a period of their own: differing values conflict whenever they were stated.
STANDING_BASES = frozenset({"retention_days", "equipped_vehicles", "recurrent_cost_hkd"})
# Targets and projections: the as_of is the deadline.
TARGET_BASES = frozenset({"target_total", "target_additional", "annual_target", "projection_total"})
POSITION = ("value", "value_high", "unit", "basis")
DENIALS = frozenset({"not_in_use", "ruled_out", "not_found"})
_RANK = {"day": 0, "month": 1, "year": 2}

COLUMNS = ["kind", "claim", "topic", "capability", "rule", "period_start", "period_end", "period_precision",
           "n_positions", "n_records", "sources", "sides"]
SIDE_FIGURE_FIELDS = ("id", "claim", "source", "value", "value_high", "qualifier", "unit", "basis", "as_of", "as_of_precision",
                      "stated", "quote", "quote_lang", "note")
SIDE_EVENT_FIELDS = ("capability", "status", "date", "date_precision", "source", "summary_en", "summary_zh", "quote",
                     "quote_lang", "note")


def effective_precision(date, precision: str) -> str:
    """'day' for an end-of-period date (31 Dec at year precision, 30 Jun at month precision), else precision."""
    if date is None or pd.isna(date):
        return precision
    d = pd.Timestamp(date)
    if precision == "year" and (d.month, d.day) == (12, 31):
        return "day"
    if precision == "month" and d.is_month_end:
        return "day"
    return precision


def period_key(date, precision: str) -> tuple:
    """The calendar period a date stands for at a precision: (2025,), (2025, 10) or (2025, 10, 3)."""
    d = pd.Timestamp(date)
    return {"year": (d.year,), "month": (d.year, d.month)}.get(precision, (d.year, d.month, d.day))


def same_period(a, a_precision: str, b, b_precision: str) -> bool:
    """True when two as_of dates name the same period at the coarser of their (effective) precisions.

    An undated record (no as_of published) is in no known period, so it matches nothing.
    """
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return False
    pa, pb = effective_precision(a, a_precision), effective_precision(b, b_precision)
    coarser = pa if _RANK.get(pa, 0) >= _RANK.get(pb, 0) else pb
    return period_key(a, coarser) == period_key(b, coarser)


def _position(row: pd.Series) -> tuple:
    high = row["value_high"]
    high = None if high is None or pd.isna(high) else float(high)
    return (float(row["value"]), high, row["unit"], row["basis"])


def _components(records: pd.DataFrame) -> list[list[int]]:
    """Groups of row positions linked by same_period (transitively), in date order."""
    idx = list(range(len(records)))
    parent = idx[:]

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    dates, precs = records["as_of"].tolist(), records["as_of_precision"].tolist()
    for i in idx:
        for j in idx[i + 1:]:
            if same_period(dates[i], precs[i], dates[j], precs[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in idx:
        groups.setdefault(find(i), []).append(i)
    latest = pd.Timestamp.max  # undated groups sort last
    return sorted(groups.values(), key=lambda g: min(latest if pd.isna(dates[i]) else dates[i] for i in g))


def _clean(value):
    """NaN/NaT/None -> None, so a side reads the same whatever frame it came from."""
    return None if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)) else value


def _sides(records: pd.DataFrame, key, fields) -> list[dict]:
    """One dict per record, numbered by position (1 = the first position in date order)."""
    order: dict = {}
    sides = []
    for _, row in records.iterrows():
        k = key(row)
        order.setdefault(k, len(order) + 1)
        side = {f: _clean(row.get(f)) for f in fields}
        side["position"] = order[k]
        sides.append(side)
    return sorted(sides, key=lambda s: s["position"])


def _figure_conflicts(figures: pd.DataFrame) -> list[dict]:
    rows = []
    if figures is None or figures.empty:
        return rows
    for claim, recs in figures.groupby("claim", sort=True):
        recs = recs.sort_values(["as_of", "stated", "id"]).reset_index(drop=True)
        standing = set(recs["basis"]) <= STANDING_BASES
        groups = [list(range(len(recs)))] if standing else _components(recs)
        rule = "same_claim" if standing else "same_deadline" if set(recs["basis"]) <= TARGET_BASES else "same_period"
        for g in groups:
            part = recs.iloc[g]
            positions = {_position(r) for _, r in part.iterrows()}
            if len(positions) < 2:
                continue
            precision = max((effective_precision(d, p) for d, p in zip(part["as_of"], part["as_of_precision"])),
                            key=lambda p: _RANK.get(p, 0))
            rows.append({
                "kind": "figure", "claim": claim, "topic": part["topic"].iloc[0], "capability": None, "rule": rule,
                "period_start": pd.NaT if standing else part["as_of"].min(),
                "period_end": pd.NaT if standing else part["as_of"].max(),
                "period_precision": None if standing else precision,
                "n_positions": len(positions), "n_records": len(part),
                "sources": list(dict.fromkeys(part["source"])),
                "sides": _sides(part, _position, SIDE_FIGURE_FIELDS),
            })
    return rows


def _contested(figures: pd.DataFrame) -> list[dict]:
    """Groups of records linked by `conflicts_with` (either direction): every record is a side."""
    if figures is None or figures.empty or "conflicts_with" not in figures:
        return []
    ids = set(figures["id"])
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for rid, others in zip(figures["id"], figures["conflicts_with"]):
        for other in others if isinstance(others, (list, tuple)) else ():
            if other in ids:
                parent[find(other)] = find(rid)
    groups: dict = {}
    for rid in ids:
        if rid in parent or any(parent.get(x) == rid for x in parent):
            groups.setdefault(find(rid), []).append(rid)
    rows = []
    for members in sorted(groups.values(), key=sorted):
        part = figures[figures["id"].isin(members)].sort_values(["stated", "id"])
        rows.append({
            "kind": "figure", "claim": part["claim"].iloc[0], "topic": part["topic"].iloc[0], "capability": None,
            "rule": "contested", "period_start": part["as_of"].min(), "period_end": part["as_of"].max(),
            "period_precision": None, "n_positions": len(part), "n_records": len(part),
            "sources": list(dict.fromkeys(part["source"])),
            "sides": _sides(part, lambda r: r["id"], SIDE_FIGURE_FIELDS),
        })
    return rows


def _capability_row(capability, claim, rule, recs: pd.DataFrame, key) -> dict:
    return {
        "kind": "capability", "claim": claim, "topic": "capability", "capability": capability, "rule": rule,
        "period_start": recs["date"].min(), "period_end": recs["date"].max(), "period_precision": None,
        "n_positions": len({key(r) for _, r in recs.iterrows()}), "n_records": len(recs),
        "sources": list(dict.fromkeys(recs["source"])), "sides": _sides(recs, key, SIDE_EVENT_FIELDS),
    }


def _capability_conflicts(events: pd.DataFrame | None) -> list[dict]:
    rows = []
    if events is None or events.empty or "status" not in events:
        return rows
    # The parent id column: "capability"; load_all currently names it "capabilitie" (rstrip("s")), so
    # take whichever is there rather than break when the loader is fixed.
    parent = "capability" if "capability" in events else events.columns[0]
    events = events.rename(columns={parent: "capability"}).sort_values(["capability", "date", "seq"])
    claimed = events[events["claim"].notna()]
    for (capability, claim), recs in claimed.groupby(["capability", "claim"], sort=True):
        if recs["status"].nunique() > 1:
            rows.append(_capability_row(capability, claim, "capability_status", recs.reset_index(drop=True),
                                        lambda r: r["status"]))
    for capability, recs in events.groupby("capability", sort=True):
        said, denied = recs[recs["status"] == "claimed"], recs[recs["status"].isin(DENIALS)]
        if len(said) and len(denied):
            both = pd.concat([said, denied]).reset_index(drop=True)
            rows.append(_capability_row(capability, f"{capability}-claimed", "claimed_vs_denied", both,
                                        lambda r: r["status"] == "claimed"))
    return rows


def find_conflicts(figures: pd.DataFrame, capability_events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every claim on which published records disagree, one row per conflict (see module docstring)."""
    rows = _figure_conflicts(figures) + _contested(figures) + _capability_conflicts(capability_events)
    return pd.DataFrame(rows, columns=COLUMNS)
