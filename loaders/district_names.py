"""The one table of Hong Kong's 18 districts and every spelling the sources use for them.

Codes A-T are the Home Affairs Department's (no I or O). Spellings differ between the
Transport Department ("Central & Western"), the HAD boundary file ("Central And Western"),
the Census and Statistics Department and the press; all resolve here.
"""
from __future__ import annotations

import re

# code: (English name, Chinese name, region_en, region_zh)
DISTRICTS: dict[str, tuple[str, str, str, str]] = {
    "A": ("Central and Western", "中西區", "Hong Kong Island", "香港島"),
    "B": ("Wan Chai", "灣仔區", "Hong Kong Island", "香港島"),
    "C": ("Eastern", "東區", "Hong Kong Island", "香港島"),
    "D": ("Southern", "南區", "Hong Kong Island", "香港島"),
    "E": ("Yau Tsim Mong", "油尖旺區", "Kowloon", "九龍"),
    "F": ("Sham Shui Po", "深水埗區", "Kowloon", "九龍"),
    "G": ("Kowloon City", "九龍城區", "Kowloon", "九龍"),
    "H": ("Wong Tai Sin", "黃大仙區", "Kowloon", "九龍"),
    "J": ("Kwun Tong", "觀塘區", "Kowloon", "九龍"),
    "K": ("Tsuen Wan", "荃灣區", "New Territories West", "新界西"),
    "L": ("Tuen Mun", "屯門區", "New Territories West", "新界西"),
    "M": ("Yuen Long", "元朗區", "New Territories West", "新界西"),
    "N": ("North", "北區", "New Territories East", "新界東"),
    "P": ("Tai Po", "大埔區", "New Territories East", "新界東"),
    "Q": ("Sai Kung", "西貢區", "New Territories East", "新界東"),
    "R": ("Sha Tin", "沙田區", "New Territories East", "新界東"),
    "S": ("Kwai Tsing", "葵青區", "New Territories West", "新界西"),
    "T": ("Islands", "離島區", "New Territories West", "新界西"),
}

CODES: tuple[str, ...] = tuple(DISTRICTS)


def _fold(name: str) -> str:
    """Case-, spacing- and '&/and'-insensitive key; Chinese names lose a trailing 區."""
    s = name.strip().lower().replace("&", " and ")
    s = re.sub(r"\bdistrict\b", " ", s)
    s = re.sub(r"[^a-z0-9\u4e00-\u9fff]+", " ", s).strip()
    s = s.removesuffix("區").strip()
    return s


_ALIASES: dict[str, str] = {}
for _code, (_en, _zh, _r, _rz) in DISTRICTS.items():
    _ALIASES[_fold(_en)] = _code
    _ALIASES[_fold(_zh)] = _code
_ALIASES[_fold("Central & Western")] = "A"
_ALIASES[_fold("Kwai Tsing")] = "S"
_ALIASES[_fold("Kwai Chung")] = "S"  # older TD spelling seen in some lists


def district_code(name: str | None) -> str | None:
    """Return the district code for any known spelling, or None."""
    if not name:
        return None
    if name.strip().upper() in DISTRICTS:
        return name.strip().upper()
    return _ALIASES.get(_fold(name))


def name_en(code: str) -> str:
    return DISTRICTS[code][0]


def name_zh(code: str) -> str:
    return DISTRICTS[code][1]
