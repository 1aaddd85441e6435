"""The one number and date formatter. Numbers keep their published qualifier ("about", "more than")."""
from __future__ import annotations

import math

import pandas as pd

from ui.i18n import t


def number(value, lang: str = "en", digits: int = 0) -> str:
    """1234567 -> '1,234,567' (both locales group by thousands; Chinese text uses the same digits)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return t("common.not_published", lang)
    return f"{float(value):,.{digits}f}" if digits else f"{round(float(value)):,}"


def money_hkd(value, lang: str = "en") -> str:
    """HK$ amounts as officials state them: HK$4.06 billion / 40.6億元; HK$52 million / 5,200萬元."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("common.not_published", lang)
    v = float(value)
    if lang == "zh-Hant":
        if v >= 1e8:
            return f"{v / 1e8:,.2f}".rstrip("0").rstrip(".") + "億港元"
        if v >= 1e4:
            return f"{v / 1e4:,.0f}萬港元"
        return f"{v:,.0f}港元"
    if v >= 1e9:
        return f"HK${v / 1e9:,.2f}".rstrip("0").rstrip(".") + " billion"
    if v >= 1e6:
        return f"HK${v / 1e6:,.0f} million"
    return f"HK${v:,.0f}"


def qualified(value, qualifier: str, unit: str, lang: str = "en", value_high=None) -> str:
    """'about 5,000 cameras', 'more than 4,500 cameras', '615 sets', '2,000–2,500 sets'."""
    n = number(value, lang)
    if qualifier == "range" and value_high is not None:
        n = f"{n}–{number(value_high, lang)}"
    unit_text = t(f"unit.{unit}", lang)
    q = "" if qualifier in ("exact", "range") else t(f"qualifier.{qualifier}", lang)
    if lang == "zh-Hant":
        return f"{q}{n}{unit_text}"
    return " ".join(x for x in (q, n, unit_text) if x)


def date(value, precision: str = "day", lang: str = "en") -> str:
    """A date shown only as precisely as the source gave it.

    A month- or year-precision date on the period's last day is how "by end-2028" and "at the end
    of last year" are stored, so it reads "end of 2028" / "2028年底".
    """
    if precision == "undated":
        return t("common.undated", lang)
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # None, NaN and NaT
        return t("common.not_published", lang)
    d = pd.Timestamp(value)
    precision = precision or "day"
    if lang == "zh-Hant":
        text = {"year": f"{d.year}年", "month": f"{d.year}年{d.month}月"}.get(precision, f"{d.year}年{d.month}月{d.day}日")
    else:
        text = {"year": f"{d.year}", "month": d.strftime("%b %Y")}.get(precision, f"{d.day} {d.strftime('%b %Y')}")
    end_of_period = (precision == "year" and (d.month, d.day) == (12, 31)) or (precision == "month" and d.is_month_end)
    return t("common.end_of", lang, period=text) if end_of_period else text


def percent(value, lang: str = "en", digits: int = 1) -> str:
    return f"{value:.{digits}f}%"
