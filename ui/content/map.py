"""The map page's words: how many cameras the filters show, the district panel's table in the reader's language.

Pure (no Streamlit). The downloads keep the data's own codes (researchers join on them); the table
on screen shows labels, dates and names in the reader's language.
"""
from __future__ import annotations

import pandas as pd

from ui.present import Presenter, missing, text_or_none


def shown_count(shown: int, total: int, active_fields: list[str], pr: Presenter) -> str:
    """'Showing 576 of 591 known cameras. Filters on: Operator.' (the line beside the filters)."""
    head = pr.t("map.count_shown", shown=pr.n(shown), total=pr.n(total))
    if active_fields:
        return head + " " + pr.t("map.filters_active", fields=pr.joined(active_fields))
    return head + " " + pr.t("map.filters_none")


def _label(pr: Presenter, stem: str, code) -> str:
    return "" if missing(code) else pr.label(f"{stem}.{code}", code)


def camera_table(frame: pd.DataFrame, pr: Presenter) -> pd.DataFrame:
    """The district panel's cameras with headers, labels and dates in the reader's language.

    A Chinese description is shown in Chinese where the source gives one, else the English one;
    what a source does not give reads "not published", never "None" or "NaT".
    """
    rows = frame.to_dict("records")
    first, second = ("description_zh", "description_en") if pr.zh else ("description_en", "description_zh")
    not_published = pr.t("common.not_published")

    def description(r) -> str:
        return text_or_none(r.get(first)) or text_or_none(r.get(second)) or not_published

    def seen(r) -> str:
        value = r.get("first_seen")
        return not_published if missing(value) else pr.date(value, r.get("first_seen_precision") or "day")

    def coord(value) -> str:
        return "" if missing(value) else f"{float(value):.5f}"

    return pd.DataFrame({
        pr.t("map.col.id"): [r["id"] for r in rows],
        pr.t("map.col.description"): [description(r) for r in rows],
        pr.t("map.col.operator"): [_label(pr, "map.operator", r.get("operator")) for r in rows],
        pr.t("map.col.programme"): [_label(pr, "map.programme", r.get("programme")) for r in rows],
        pr.t("map.col.precision"): [_label(pr, "map.precision", r.get("precision")) for r in rows],
        pr.t("map.col.district"): [pr.district(r["district_code"]) if not missing(r.get("district_code")) else not_published
                                   for r in rows],
        pr.t("map.col.latitude"): [coord(r.get("latitude")) for r in rows],
        pr.t("map.col.longitude"): [coord(r.get("longitude")) for r in rows],
        pr.t("map.col.first_seen"): [seen(r) for r in rows],
        pr.t("map.col.source"): [pr.source_label(r["source"]) if not missing(r.get("source")) else "" for r in rows],
    }, dtype="object")
