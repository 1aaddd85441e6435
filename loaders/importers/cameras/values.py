"""Single values from any camera list: plain text, numbers, dates, operators, header names.

Every reader hands raw cells to these functions, so a value means the same whichever format
it arrived in (an operator written "Hong Kong Police Force" in a CSV, a KML or an OSM tag is
police everywhere).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from loaders.schema import OPERATORS, PRECISIONS

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Invisible format characters (zero-width, bidi overrides) can disguise text; drop them.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def clean_text(value: Any) -> str:
    """Plain one-line text: control/invisible characters removed, whitespace collapsed."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    s = _INVISIBLE.sub("", _CONTROL.sub(" ", str(value)))
    return " ".join(s.split())


def show(value: Any) -> str:
    """A raw value for a message: quoted, shortened, never huge."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "nothing"
    s = clean_text(value) if isinstance(value, str) else str(value)
    return repr(s if len(s) <= 40 else s[:37] + "...")


def number(value: Any) -> float | None:
    """A finite float from a JSON number or text ("22,3" decimal comma accepted); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        num = float(value)
    else:
        s = clean_text(value)
        if s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not _NUMBER.match(s):
            return None
        num = float(s)
    return num if math.isfinite(num) else None


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def is_blank(value: Any) -> bool:
    return clean_text(value) == ""


# ---------------------------------------------------------------- dates

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANK = {p: i for i, p in enumerate(PRECISIONS)}  # day 0, month 1, year 2


def parse_date(value: Any, precision: Any = None) -> tuple[str, str] | None:
    """(first day as YYYY-MM-DD, precision) for an ISO date, month or year; ('', '') for
    nothing or 'undated'; None when the text is not an ISO date (01/07/2024 could be either
    1 July or 7 January, so it is never guessed).

    A precision column (day, month, year) may say the date is coarser than written: the
    export splits mixed-precision dates into `first_seen` + `first_seen_precision`.
    """
    s = clean_text(value)
    if not s or s.lower() == "undated":
        return "", ""
    m = _DAY.match(s)
    try:
        if m:
            day, found = dt.date.fromisoformat(m.group(1)), "day"
        elif (m := _MONTH.match(s)):
            day, found = dt.date(int(m.group(1)), int(m.group(2)), 1), "month"
        elif (m := _YEAR.match(s)):
            day, found = dt.date(int(m.group(1)), 1, 1), "year"
        else:
            return None
    except ValueError:
        return None
    stated = clean_text(precision).lower()
    if stated in _RANK and _RANK[stated] > _RANK[found]:
        found = stated  # e.g. 2024-07-01 with precision 'month': July 2024
        day = day.replace(day=1) if stated == "month" else day.replace(month=1, day=1)
    return day.isoformat(), found


# ---------------------------------------------------------------- operators

_POLICE = re.compile(r"police|\bhkpf\b|警", re.I)
_TRANSPORT = re.compile(r"transport\s+department|^td$|運輸署|运输署", re.I)


def operator_code(value: Any) -> str | None:
    """transport_department / police / other for any spelling; None when empty.

    'Hong Kong Police Force', 'HKPF', '香港警務處', '警方' are police; 'Transport Department',
    '運輸署' are transport_department; any other named operator is other.
    """
    s = clean_text(value)
    if not s:
        return None
    if s.lower() in OPERATORS:
        return s.lower()
    if _POLICE.search(s):
        return "police"
    if _TRANSPORT.search(s):
        return "transport_department"
    return "other"


# ---------------------------------------------------------------- header names

_BRACKETS = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")


def fold_key(name: Any) -> str:
    """A column, tag or field name for matching: no units in brackets, no BOM, no spaces or
    punctuation, lower case. 'Latitude (WGS84)' -> 'latitude', 'first_seen' -> 'firstseen'."""
    s = clean_text(name).lstrip("\ufeff").lower()
    s = _BRACKETS.sub("", s)
    return re.sub(r"[\s_\-.:/]+", "", s)


# Every accepted name of every field, folded. Generic 'description' and 'name' go to the
# English or Chinese description by their text.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "編號", "编号", "cameraid", "camerano", "key"),
    "latitude": ("latitude", "lat", "y", "緯度", "纬度", "wgs84latitude", "latitudewgs84", "latwgs84"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "經度", "经度", "wgs84longitude", "longitudewgs84",
                  "lonwgs84", "lngwgs84"),
    "easting": ("easting", "hk1980easting", "hk80easting", "hk1980grideasting", "eastinghk1980", "東坐標", "东坐标",
                "東距", "东距"),
    "northing": ("northing", "hk1980northing", "hk80northing", "hk1980gridnorthing", "northinghk1980", "北坐標",
                 "北坐标", "北距"),
    "district": ("district", "districtcode", "地區", "地区", "區", "区", "分區", "分区"),
    "district_as_published": ("districtaspublished",),
    "operator": ("operator", "營運者", "营运者", "運營者", "运营者", "經營者", "经营者", "營辦者", "营办者"),
    "programme": ("programme", "program"),
    "kind": ("kind",),
    "surveillance_type": ("surveillancetype",),
    "camera_type": ("cameratype",),
    "precision": ("precision", "精確度", "精确度"),
    "description_en": ("descriptionen", "nameen", "英文描述", "英文名稱", "英文名称"),
    "description_zh": ("descriptionzh", "descriptionzhhant", "namezh", "namezhhant", "namezhhk", "中文描述",
                       "中文名稱", "中文名称"),
    "description": ("description", "desc", "描述", "說明", "说明", "location", "地點", "地点"),
    "name": ("name", "名稱", "名称", "title"),
    "first_seen": ("firstseen", "首次發現", "首次发现", "首次發現日期", "首次发现日期", "startdate", "date", "日期"),
    "first_seen_precision": ("firstseenprecision",),
    "source": ("source",),
}
FIELD_FOR: dict[str, str] = {alias: field for field, names in ALIASES.items() for alias in names}


def field_for(name: Any) -> str | None:
    """The importer's field for a column/field name, or None when it is not used."""
    return FIELD_FOR.get(fold_key(name))
