"""Does a quote contain the number it is cited for, as published?

Sources write one number many ways: 60,000 / 60000 / 6萬 / 6万 / 六萬 / 40.6億 / 4.06 billion /
HK$52m / 5,200萬 / 百分之五 / "seven" / 6,000至7,000組. `values_in(text)` reads every number a
text expresses, with its multiplier applied, so `quote_contains_value` can compare like with like.
It never converts units (sets stay sets): it only reads how a number is written.

Reading is deliberately generous (a stray 一 in a name also reads as 1): a false match can only let
a record through, never report a good one, and the values checked are specific enough (60,000,
4.06 billion, 787) that a generous reader does not hide a missing number.
"""
from __future__ import annotations

import math
import re
import unicodedata

# Multipliers written after a number. Longest first so 百萬 wins over 萬.
_SUFFIXES = (
    ("百萬", 1e6), ("百万", 1e6), ("千萬", 1e7), ("千万", 1e7),
    ("萬", 1e4), ("万", 1e4), ("億", 1e8), ("亿", 1e8), ("千", 1e3),
    ("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("mn", 1e6), ("m", 1e6), ("juta", 1e6),
    ("thousand", 1e3), ("ribu", 1e3), ("k", 1e3), ("miliar", 1e9), ("bilion", 1e9), ("b", 1e9),
)
_SUFFIX_RE = "|".join(re.escape(s) for s, _ in _SUFFIXES)
_SUFFIX_VALUE = dict(_SUFFIXES)
# 60,000 / 4.06 / 60000 / 66.500 (Indonesian thousands) then an optional multiplier; an English
# multiplier must end at a word boundary (so "5 members" is not 5 million).
_ARABIC = re.compile(
    r"(?<!\d)(?<!\d[.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s?(" + _SUFFIX_RE + r")(?![A-Za-z]))?",
    re.IGNORECASE,
)

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
_CN_RUN = re.compile("[" + "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG) + "]+")

_EN_ONES = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_EN_TENS = {w: 10 * i for i, w in enumerate(["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]) if w != "_"}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_EN_WORD = re.compile(r"[a-z]+", re.IGNORECASE)

# Words that, right before a number, say it is not exact ("約6萬", "about 7,000", "逾480").
APPROX_MARKERS = ("約", "约", "大約", "大约", "about", "around", "roughly", "approximately", "some", "nearly",
                  "almost", "逾", "超過", "超过", "more than", "over", "up to", "at least", "不少於", "不少于",
                  "最少", "最多", "不多於", "近", "sekitar", "lebih dari")


def _normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII; Chinese commas inside numbers to ','."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d)[，、](?=\d{3}(?!\d))", ",", text)


def _parse_arabic(digits: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits) and digits.count(".") >= 1 and len(digits.split(".")[-1]) == 3:
        # Either 66.500 (Indonesian/Malay thousands) or 1.385 (a decimal): caller tries both.
        return float(digits.replace(".", ""))
    return float(digits.replace(",", ""))


def _parse_chinese(run: str) -> float | None:
    """六萬 -> 60000, 兩千五百 -> 2500, 十五 -> 15, 四十點六億 is not handled (written with digits in practice)."""
    total, section, number = 0, 0, None
    for ch in run:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if number is None else number) * _CN_UNITS[ch]
            number = None
        elif ch in _CN_BIG:
            section += number or 0
            if section == 0:
                return None
            total = (total + section) * _CN_BIG[ch] if _CN_BIG[ch] > 10_000 else total + section * _CN_BIG[ch]
            section, number = 0, None
    section += number or 0
    value = total + section
    return float(value) if value or run[0] in "零〇" else None


def _english_values(text: str) -> set[float]:
    """Numbers written in English words: 'seven', 'thirteen', 'twenty-nine', 'two to three', 'five hundred'."""
    found: set[float] = set()
    words = [w.lower() for w in _EN_WORD.findall(text.replace("-", " "))]
    i = 0
    while i < len(words):
        w = words[i]
        if w not in _EN_ONES and w not in _EN_TENS:
            i += 1
            continue
        current, total = 0, 0
        while i < len(words) and (words[i] in _EN_ONES or words[i] in _EN_TENS or words[i] in _EN_SCALES):
            w = words[i]
            if w in _EN_ONES:
                current += _EN_ONES[w]
            elif w in _EN_TENS:
                current += _EN_TENS[w]
            elif w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * _EN_SCALES[w]
                current = 0
            found.add(float(total + current))
            i += 1
    return found


def values_in(text: str | None) -> set[float]:
    """Every number the text expresses, multipliers applied (a set of floats)."""
    if not text:
        return set()
    text = _normalise(str(text))
    found: set[float] = set()
    for m in _ARABIC.finditer(text):
        digits, suffix = m.group(1), m.group(2)
        mult = _SUFFIX_VALUE.get(suffix.lower() if suffix and suffix.isascii() else suffix, 1.0) if suffix else 1.0
        bases = {_parse_arabic(digits)}
        if re.fullmatch(r"\d{1,3}\.\d{3}", digits):
            bases.add(float(digits))  # 1.385 as a decimal, too
        for base in bases:
            found.add(base * mult)
            found.add(base)  # "2億" also contains the digit 2 as written
    for m in _CN_RUN.finditer(text):
        v = _parse_chinese(m.group(0))
        if v is not None:
            found.add(v)
    # 百分之五 / 百分之二十七: a percentage written in words.
    for m in re.finditer("百分之([" + "".join(_CN_DIGITS) + "".join(_CN_UNITS) + r"\d.]+)", text):
        raw = m.group(1)
        v = float(raw) if re.fullmatch(r"[\d.]+", raw) else _parse_chinese(raw)
        if v is not None:
            found.add(v)
    # Digits followed by a Chinese big unit written as a character run: 6萬 handled above; 4千5百 is rare.
    found |= _english_values(text)
    return found


def _has(values: set[float], value: float) -> bool:
    return any(math.isclose(v, value, rel_tol=1e-9, abs_tol=1e-9) for v in values)


def quote_contains_value(quote: str | None, value: float, unit: str | None = None, qualifier: str | None = None,
                         value_high: float | None = None) -> bool:
    """True when the quote writes `value` (and `value_high`, for a range) in any of the usual ways.

    unit and qualifier are accepted so callers can pass a whole record; the number is what is
    checked (a percentage is the number before its % sign; money is HK$ with its multiplier).
    """
    found = values_in(quote)
    if not _has(found, float(value)):
        return False
    return value_high is None or _has(found, float(value_high))


def _positions(text: str, value: float) -> list[int]:
    """Start offsets of each written form of `value` in text (Arabic digits or a Chinese numeral run)."""
    text = _normalise(text)
    starts = []
    for m in _ARABIC.finditer(text):
        digits, suffix = m.group(1), m.group(2)
        mult = _SUFFIX_VALUE.get(suffix.lower() if suffix and suffix.isascii() else suffix, 1.0) if suffix else 1.0
        if _has({_parse_arabic(digits) * mult}, value):
            starts.append(m.start())
    for m in _CN_RUN.finditer(text):
        v = _parse_chinese(m.group(0))
        if v is not None and _has({v}, value):
            starts.append(m.start())
    return starts


def approximation_before(quote: str | None, value: float) -> str | None:
    """The approximating word written right before *every* occurrence of value ('約', 'about', ...), else None.

    Used to catch a record marked exact whose quote says 約6萬 ("about 60,000"): if any occurrence
    stands bare, the quote does support an exact reading and None is returned.
    """
    if not quote:
        return None
    text = _normalise(str(quote))
    starts = _positions(text, float(value))
    if not starts:
        return None
    marker = None
    for start in starts:
        before = text[max(0, start - 16):start].rstrip().lower().removesuffix("hk$").rstrip()
        hit = next((mk for mk in sorted(APPROX_MARKERS, key=len, reverse=True) if before.endswith(mk)), None)
        if hit is None:
            return None
        marker = marker or hit
    return marker
