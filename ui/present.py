"""The one presentation layer: how a published record reads, in English or Traditional Chinese.

Values keep their published qualifier and unit ("about 5,000 cameras", "約5,000支鏡頭", "615 sets"),
money reads as officials state it (HK$4.06 billion / 40.6億港元), dates only as precise as the
source gave them, and a source always carries the copy mark when it is a copy of another
publisher's article. Every page, chart, the briefing and the static edition format through a
`Presenter`, so nothing is formatted twice. No Streamlit here.

Returned strings are plain text; `md` / `html` variants are escaped for Markdown and HTML.
"""
from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pandas as pd

from ui import escape, fmt
from ui.i18n import catalogue, t

ZH = "zh-Hant"
# Short marks so a qualifier stays visible on a chart label ("~5,000", ">4,500", "≥5,000").
QUALIFIER_MARK = {"exact": "", "range": "", "about": "~", "more_than": ">", "almost": "<", "at_least": "≥", "up_to": "≤"}
MONEY_UNITS = ("hkd", "hkd_per_year")


def missing(value) -> bool:
    """None, NaN, NaT or pd.NA (lists and strings are never missing)."""
    if value is None:
        return True
    if isinstance(value, (str, list, tuple, dict)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text_or_none(value) -> str | None:
    """A non-empty string, else None (an empty optional column loads as NaN, which is truthy)."""
    return value if isinstance(value, str) and value.strip() else None


def unique_records(records) -> list[dict]:
    """Records as dicts (from a frame, Series or mappings), None skipped, each id once: the list a
    sources popover (app) or <details> (static edition) shows."""
    if records is None:
        return []
    rows = records.to_dict("records") if isinstance(records, pd.DataFrame) else [
        r.to_dict() if isinstance(r, pd.Series) else dict(r) for r in records if r is not None]
    seen, unique = set(), []
    for r in rows:
        rid = r.get("id")
        if rid is not None and rid in seen:
            continue
        seen.add(rid)
        unique.append(r)
    return unique


def published_digits(value, most: int = 2) -> int:
    """How many decimals a published number has (4.2 -> 1, 15.25 -> 2, 5000 -> 0), at most `most`."""
    if missing(value):
        return 0
    text = f"{float(value):.{most}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


class Presenter:
    """Formatting for one language over one set of sources (and, for names, districts)."""

    def __init__(self, lang: str, sources: Mapping[str, Mapping] | None = None, districts: pd.DataFrame | None = None):
        self.lang = lang
        self.zh = lang == ZH
        self._sources = dict(sources or {})
        self._district_names: dict[str, str] = {}
        if districts is not None and len(districts):
            col = "name_zh" if self.zh else "name_en"
            self._district_names = {c: n for c, n in zip(districts["code"], districts[col]) if isinstance(n, str) and n}

    @classmethod
    def for_bundle(cls, bundle, lang: str) -> "Presenter":
        sources = bundle["sources"]
        by_id = {r["id"]: r for r in sources.to_dict("records")} if len(sources) else {}
        return cls(lang, by_id, bundle["districts"])

    # -- catalogue ------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return t(key, self.lang, **values)

    def label(self, key: str, fallback) -> str:
        """A catalogue string when the key exists (labels for data slugs), else the fallback text."""
        return self.t(key) if key in catalogue() else str(fallback)

    def joined(self, items) -> str:
        return self.t("present.list_sep").join(str(x) for x in items)

    def _qualify(self, qualifier, text: str) -> str:
        q = "" if qualifier in ("exact", "range", None) or missing(qualifier) else self.t(f"qualifier.{qualifier}")
        return f"{q}{text}" if self.zh else " ".join(x for x in (q, text) if x)

    # -- numbers --------------------------------------------------------------------------------
    def n(self, value, digits: int = 0) -> str:
        return fmt.number(value, self.lang, digits)

    def about(self, value) -> str:
        """A derived count rounded to the nearest 100: its inputs are "about" figures."""
        return self.n(round(float(value), -2))

    @staticmethod
    def mark(qualifier) -> str:
        return QUALIFIER_MARK.get(qualifier or "exact", "")

    def marked(self, value, qualifier, digits: int = 0) -> str:
        """'~5,000', '>4,500': a chart label that keeps the qualifier."""
        return f"{self.mark(qualifier)}{self.n(value, digits)}"

    def number(self, value, qualifier="exact", value_high=None, digits: int = 0) -> str:
        """'about 5,000' / '約5,000' / '2,000–2,500': the number with its published qualifier, no unit."""
        text = self.n(value, digits)
        if qualifier == "range" and not missing(value_high):
            text = f"{text}–{self.n(value_high, digits)}"
        return self._qualify(qualifier, text)

    @staticmethod
    def as_published(value) -> str:
        """A decimal with the digits it was published with (68.4, 15.25, 7), thousands grouped."""
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")

    def percent(self, value, digits: int = 1) -> str:
        return fmt.percent(value, self.lang, digits)

    def money(self, value, qualifier="exact", per_year: bool = False) -> str:
        """'about HK$300 million' / '約3億港元'; '… a year' for recurrent costs; small sums in full (HK$1,000)."""
        if missing(value):
            text = self.t("common.not_published")
        elif abs(float(value)) < 1e6:
            text = self.t("present.hkd_small", n=self.n(value))
        else:
            text = fmt.money_hkd(value, self.lang)
        text = self._qualify(qualifier, text)
        return self.t("present.per_year", amount=text) if per_year else text

    def unit(self, unit: str, value=None) -> str:
        """The unit's name; singular where the language has one ("1 camera")."""
        if value is not None and not missing(value) and float(value) == 1 and f"unit.{unit}.one" in catalogue():
            return self.t(f"unit.{unit}.one")
        return self.t(f"unit.{unit}")

    def value(self, r) -> str:
        """A record's published value with qualifier and unit: 'about 5,000 cameras', 'more than HK$240 million a year'."""
        unit, qualifier = r["unit"], r["qualifier"]
        if unit in MONEY_UNITS:
            return self.money(r["value"], qualifier, per_year=unit == "hkd_per_year")
        high = r.get("value_high")
        number = self.number(r["value"], qualifier, None if missing(high) else high, digits=published_digits(r["value"]))
        if unit == "percent":
            return f"{number}%"
        unit_text = self.unit(unit, r["value"] if qualifier in ("exact", None) else None)
        return f"{number}{unit_text}" if self.zh else f"{number} {unit_text}"

    # -- dates ----------------------------------------------------------------------------------
    def date(self, value, precision: str | None = "day") -> str:
        """A date only as precise as published; 'end of 2028' for a period's last day; missing -> 'date not published'."""
        if missing(value) or precision == "undated":
            return self.t("common.undated")
        return fmt.date(value, precision or "day", self.lang)

    def as_of(self, r) -> str:
        return self.date(r.get("as_of"), r.get("as_of_precision"))

    def published(self, text) -> str:
        """A source's publication date as recorded (YYYY, YYYY-MM, YYYY-MM-DD or 'undated')."""
        return self.t("common.undated") if missing(text) or text == "undated" else str(text)

    # -- names ----------------------------------------------------------------------------------
    def localised(self, row, stem: str) -> str | None:
        """row[stem_zh] in Chinese when present, else row[stem_en]; None when neither is published."""
        zh = text_or_none(row.get(f"{stem}_zh"))
        if self.zh and zh:
            return zh
        return text_or_none(row.get(f"{stem}_en"))

    def district(self, code) -> str:
        from loaders.district_names import name_en, name_zh
        if code in self._district_names:
            return self._district_names[code]
        try:
            return name_zh(code) if self.zh else name_en(code)
        except KeyError:
            return str(code)

    def districts(self, codes) -> str:
        return self.joined(self.district(c) for c in codes)

    def basis(self, basis: str) -> str:
        return self.label(f"progress.basis.{basis}", basis)

    # -- sources --------------------------------------------------------------------------------
    def source(self, source_id) -> Mapping | None:
        return self._sources.get(source_id)

    def source_url(self, source_id) -> str | None:
        s = self.source(source_id)
        return s["url"] if s else None

    def copy_mark(self, s: Mapping) -> str:
        """'[copy of HKFP]' for a copy on another host (weaker evidence), else ''."""
        if s.get("original") is False or s.get("original") == 0:
            return self.t("present.copy_mark", publisher=s.get("original_publisher") or "?")
        return ""

    def title(self, s: Mapping) -> str:
        """A source's headline as published, or says plainly that it is not known."""
        return text_or_none(s.get("title")) or self.t("present.headline_unknown")

    def source_label(self, source_id) -> str:
        """'Publisher (date)' plus the copy mark, for hovers, tables and buttons (escape before HTML)."""
        s = self.source(source_id)
        if s is None:
            return str(source_id)
        copy = self.copy_mark(s)
        return f"{self.publisher(s)} ({self.published(s['published'])})" + (f" {copy}" if copy else "")

    def quote_language(self, quote_lang) -> str:
        return self.label(f"quote_lang.{quote_lang}", quote_lang or "")

    def citation_md(self, source_id, quote=None, quote_lang=None) -> str:
        """Markdown: publisher, title (linked), date, copy warning, and the verbatim quote."""
        s = self.source(source_id)
        if s is None:
            return f"{self.t('common.source')}: {escape.md(source_id)}"
        url = str(s["url"]).replace(")", "%29").replace(" ", "%20")
        text = (f"{self.t('common.source')}{self.t('present.label_sep')}{escape.md(self.publisher(s))}, [{escape.md(self.title(s))}]({url}) "
                f"({escape.md(self.published(s['published']))})")
        if self.copy_mark(s):
            text += f" — _{self.t('common.copy_of', publisher=escape.md(s.get('original_publisher') or '?'))}_"
        if not missing(quote) and quote:
            text += (f"\n\n> {escape.md(quote)}\n\n"
                     f"_{self.t('common.quote_lang', language=self.quote_language(quote_lang))}_")
        return text

    def note_md(self, note) -> str:
        """A record's note as an italic Markdown line; `note` is the text, or the record itself
        (then its note_zh in Chinese where one is recorded, see note_of)."""
        if isinstance(note, Mapping) or isinstance(note, pd.Series):
            note = self.note_of(note)
        return "" if not text_or_none(note) else f"\n\n_{self.t('present.note')}{self.t('present.label_sep')}{escape.md(note)}_"

    def cite_md(self, r, what: str | None = None, note: bool = True) -> str:
        """Markdown for one record: its value (or `what`) and date, its source with the verbatim quote, its note."""
        what = what if what is not None else (self.value(r) if "value" in r else r.get("summary") or "")
        head = f"**{escape.md(what)}** · {escape.md(self.as_of(r))}"
        return (head + "\n\n" + self.citation_md(r["source"], r.get("quote"), r.get("quote_lang"))
                + (self.note_md(r) if note else ""))

    # -- chart hovers (HTML, escaped) -----------------------------------------------------------
    @staticmethod
    def hover(text, width: int = 60) -> str:
        """Escaped, line-wrapped text for a plotly hover (quotes stay verbatim)."""
        if missing(text) or not str(text):
            return ""
        return "<br>".join(escape.html(line) for line in textwrap.wrap(str(text), width=width))

    def hover_row(self, r, extra: str = "") -> list[str]:
        """customdata for charts.common.HOVER: value, date, source, quote, one extra line (all escaped)."""
        return [escape.html(self.value(r)), escape.html(self.as_of(r)), escape.html(self.source_label(r["source"])),
                self.hover(r.get("quote")), escape.html(extra)]

    # -- notes (appended) --------------------------------------------------------------------------
    def note_of(self, r) -> str | None:
        """A record's curator note in the reader's language: note_zh in Chinese where recorded, else note."""
        zh = text_or_none(r.get("note_zh")) if self.zh else None
        return zh or text_or_none(r.get("note"))

    def count(self, n, unit: str) -> str:
        """'1 camera', '576 cameras', '576支鏡頭': a number with its unit, singular where the language has one."""
        return f"{self.n(n)}{self.unit(unit, n)}" if self.zh else f"{self.n(n)} {self.unit(unit, n)}"

    def publisher(self, s: Mapping) -> str:
        """A source's publisher as the reader knows it: its Chinese name in Chinese where recorded."""
        zh = text_or_none(s.get("publisher_zh")) if self.zh else None
        return zh or str(s.get("publisher") or "")
