"""The one URL-state codec: every page's link parameters, parsed into valid values and written as codes.

A link holds codes (`p_bases=installed_by_police`, `m_dist=E`, `s_rate=20000`), never display
labels, so a link made in English opens the same view with `lang=zh-Hant`. Every value is either
parsed into a valid one or replaced, with a `Notice` naming the parameter, so the page can say
what it did instead of silently showing another view. Old links that carried display labels
(either language) still open the right view, with a notice. No Streamlit here; ui/state.py
applies it to widgets.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.district_names import CODES, name_en, name_zh
from loaders.schema import CAMERA_PRECISIONS, CAMERA_PROGRAMMES, OPERATORS
from ui.i18n import LANGS, catalogue, t

MAX_RAW_CHARS = 200  # a value longer than this is shown cut in a notice (the view never uses it)
MAX_TEXT_CHARS = 500  # a search text longer than this is cut (a box, not a document)


@dataclass(frozen=True)
class Param:
    """One link parameter: its key (also the widget key), kind, choices, default and range."""

    key: str
    kind: str  # one | many | bool | int | number | date | text
    choices: tuple = ()
    default: Any = None
    lo: Any = None  # int, number and date: smallest allowed (clamped, with a notice); text: unused
    hi: Any = None  # text: the most characters kept
    labels: str | None = None  # catalogue key pattern ("progress.basis.{}") of the display labels old links used
    show: Callable[[Any, str], str] | None = None  # how a notice names a value, where the catalogue has no label
    empty_ok: bool = True  # many: `key=` (empty) is a valid explicit "nothing selected"


@dataclass(frozen=True)
class Notice:
    """A link value that could not be used as given: which parameter, what it said, what is shown instead."""

    param: str
    raw: str
    reason: str  # unknown | not_number | not_date | below | above | label | too_long | unused
    used: Any


def _label_aliases(p: Param) -> dict[str, str]:
    """Display label (any language, case-folded) -> code, for links made before labels left the URL."""
    out: dict[str, str] = {}
    if not p.labels:
        return out
    cat = catalogue()
    for code in p.choices:
        entry = cat.get(p.labels.format(code)) or {}
        for lang in LANGS:
            text = entry.get(lang)
            if text:
                out[text.casefold()] = code
    return out


def _one(p: Param, value: str) -> tuple[Any, str | None]:
    if value in p.choices:
        return value, None
    alias = _label_aliases(p).get(value.casefold())
    if alias is not None:
        return alias, "label"
    return p.default, "unknown"


def _number(value: str) -> float | None:
    try:
        n = float(value.strip().replace(",", ""))
    except ValueError:
        return None
    return n if math.isfinite(n) else None


def shown_raw(text: str) -> str:
    """A link value as a notice may quote it: cut short, and invisible or direction-changing
    characters (NUL, bidi overrides) written as their code, so the notice reads as typed."""
    cut = text[:MAX_RAW_CHARS]
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") else c for c in cut)


def parse(p: Param, raw: Sequence[str]) -> tuple[Any, Notice | None]:
    """The value a link's raw strings stand for, and a notice when any of them could not be used as given."""
    raw = [str(r) for r in raw]
    if not raw:
        return default_value(p), None
    shown = shown_raw(raw[-1])

    def notice(reason: str, used) -> Notice:
        return Notice(p.key, shown if p.kind != "many" else shown_raw(",".join(raw)), reason, used)

    if p.kind == "text":  # free text (a search): any characters, kept as typed, only its length is capped
        text = raw[-1]
        if p.hi is not None and len(text) > p.hi:
            return text[:p.hi], notice("too_long", p.hi)
        return text, None

    if p.kind == "many":
        if raw == [""] and p.empty_ok:
            return [], None
        picked, reasons = [], []
        for item in raw:
            code, reason = _one(p, item.strip())
            if reason == "unknown":
                reasons.append(reason)
                continue
            if reason:
                reasons.append(reason)
            if code not in picked:
                picked.append(code)
        picked = [c for c in p.choices if c in picked]
        if not picked:
            return default_value(p), notice("unknown", default_value(p))
        return picked, notice("unknown" if "unknown" in reasons else "label", picked) if reasons else None
    value = raw[-1].strip()
    if p.kind == "one":
        code, reason = _one(p, value)
        return code, notice(reason, code) if reason else None
    if p.kind == "bool":
        parsed = {"true": True, "false": False, "1": True, "0": False}.get(value.lower())
        return (p.default, notice("unknown", p.default)) if parsed is None else (parsed, None)
    if p.kind in ("int", "number"):
        n = _number(value)
        if n is None:
            return p.default, notice("not_number", p.default)
        n = int(round(n)) if p.kind == "int" else n
        if p.lo is not None and n < p.lo:
            return p.lo, notice("below", p.lo)
        if p.hi is not None and n > p.hi:
            return p.hi, notice("above", p.hi)
        return n, None
    if p.kind == "date":
        try:
            d = dt.date.fromisoformat(value[:10]) if len(value) >= 10 else dt.date.fromisoformat(value)
        except ValueError:
            return p.default, notice("not_date", p.default)
        if p.lo is not None and d < p.lo:
            return p.lo, notice("below", p.lo)
        if p.hi is not None and d > p.hi:
            return p.hi, notice("above", p.hi)
        return d, None
    raise ValueError(f"unknown parameter kind {p.kind!r}")


def default_value(p: Param):
    return list(p.default) if p.kind == "many" else p.default


def encode(p: Param, value) -> str | list[str] | None:
    """The URL form of a widget value: codes; None when at the default (left out of the link)."""
    if p.kind == "many":
        value = [c for c in p.choices if c in (value or [])]
        if value == list(p.default):
            return None
        return value if value else ""
    if value is None or value == p.default:
        return None
    if p.kind == "bool":
        return "true" if value else "false"
    if p.kind == "date":
        return value.isoformat()
    if p.kind == "number":
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def decode_all(params: Sequence[Param], query: Mapping[str, Sequence[str]]) -> tuple[dict, list[Notice]]:
    """Values for every parameter present in the query (absent ones are not in the result)."""
    values, notices = {}, []
    for p in params:
        raw = query.get(p.key)
        raw = [raw] if isinstance(raw, str) else list(raw or [])
        if not raw:
            continue
        values[p.key], n = parse(p, raw)
        if n:
            notices.append(n)
    return values, notices


def encode_all(params: Sequence[Param], state: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """URL parameters for widget values: codes only, nothing for a value at its default."""
    out = {}
    for p in params:
        enc = encode(p, state.get(p.key, default_value(p)))
        if enc is not None:
            out[p.key] = enc
    return out


def used_text(p: Param, used, lang: str) -> str:
    """How a notice names the value shown instead: its display label where it has one."""
    if used is None or (p.kind == "many" and not used):
        return t("url.nothing" if p.kind == "many" and used == [] else "url.default", lang)
    items = used if isinstance(used, list) else [used]
    if p.show:
        items = [p.show(u, lang) for u in items]
    elif p.labels:
        items = [t(p.labels.format(u), lang) for u in items]
    elif p.kind == "bool":
        items = [t("serve.on" if u else "serve.off", lang) for u in items]
    elif p.kind in ("int", "number", "text"):  # text: the number of characters kept
        items = [f"{u:,}" for u in items]
    elif p.kind == "date":
        items = [u.isoformat() for u in items]
    return t("present.list_sep", lang).join(str(x) for x in items)


def notice_text(n: Notice, p: Param | None, lang: str) -> str:
    """The notice's one line; p is None for a parameter no widget takes (reason "unused")."""
    used = used_text(p, n.used, lang) if p is not None else t("url.default", lang)
    key = f"serve.notice.{n.reason}" if n.reason in ("too_long", "unused") else f"url.notice.{n.reason}"
    return t(key, lang, param=n.param, value=n.raw, used=used)


# --- every page's parameters (the hostile-link tests read these) -----------------------------------

def _as_tuple(x) -> tuple:
    return tuple(x) if x is not None else ()


@dataclass(frozen=True)
class PageParams:
    """A page's link parameters, in order."""

    page: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def get(self, key: str) -> Param:
        return next(p for p in self.params if p.key == key)


COUNT_BASES = ("installed_by_police", "connected_third_party", "in_system_total")
CITY_METRICS = ("per_1000", "per_km2")


def progress_params(editions: Sequence[str] = (), default_edition: str | None = None) -> PageParams:
    return PageParams("progress", (
        Param("p_bases", "many", COUNT_BASES, COUNT_BASES, labels="progress.basis.{}"),
        Param("p_per1000", "bool", default=False),
        Param("p_log", "bool", default=False),
        Param("p_plan", "bool", default=True),
        Param("p_zoom", "bool", default=False),
        Param("p_out1000", "bool", default=False),
        Param("p_cmp", "one", CITY_METRICS, "per_1000", labels="progress.cities.short_{}"),
        Param("p_ed", "one", _as_tuple(editions), default_edition, labels="progress.edition.{}"),
    ))


SCENARIO_RATE = (0, 500_000)
SCENARIO_START = (dt.date(2024, 1, 1), dt.date(2035, 12, 31))
SCENARIO_BASES = ("installed_by_police", "in_system_total")


def phases_params(preset_rate: int = 0, preset_start: dt.date | None = None, preset_base: str | None = None,
                  bases: Sequence[str] = SCENARIO_BASES) -> PageParams:
    return PageParams("phases", (
        Param("s_rate", "int", default=preset_rate, lo=SCENARIO_RATE[0], hi=SCENARIO_RATE[1]),
        Param("s_start", "date", default=preset_start, lo=SCENARIO_START[0], hi=SCENARIO_START[1]),
        Param("s_base", "one", tuple(bases), preset_base, labels="phases.basis.{}"),
    ))


ALL_DISTRICTS = "all"


def _district(code: str, lang: str) -> str:
    if code == ALL_DISTRICTS:
        return t("map.f_all_districts", lang)
    return name_zh(code) if lang == "zh-Hant" else name_en(code)


MAP_LAYERS = ("points", "density", "shading", "upload")
MAP_DEFAULT_LAYERS = ("points", "shading", "upload")
MAP_METRICS = ("known", "per100k", "perkm2")
MAP_DATES = (dt.date(2000, 1, 1), dt.date(2035, 12, 31))
MAP = PageParams("map", (
    Param("m_dist", "one", (ALL_DISTRICTS, *CODES), ALL_DISTRICTS, show=_district),
    Param("m_ops", "many", OPERATORS, OPERATORS, labels="map.operator.{}"),
    Param("m_prog", "many", CAMERA_PROGRAMMES, CAMERA_PROGRAMMES, labels="map.programme.{}"),
    Param("m_prec", "many", CAMERA_PRECISIONS, CAMERA_PRECISIONS, labels="map.precision.{}"),
    Param("m_from", "date", default=None, lo=MAP_DATES[0], hi=MAP_DATES[1]),
    Param("m_to", "date", default=None, lo=MAP_DATES[0], hi=MAP_DATES[1]),
    Param("m_undated", "bool", default=True),
    Param("m_layers", "many", MAP_LAYERS, MAP_DEFAULT_LAYERS, labels="map.layer.{}"),
    Param("m_metric", "one", MAP_METRICS, "known", labels="map.metric.{}"),
    Param("m_tiles", "bool", default=True),
))
MAP_FILTER_KEYS = ("m_ops", "m_prog", "m_prec", "m_from", "m_to", "m_undated")


def active_map_filters(state: Mapping[str, Any]) -> list[str]:
    """The map filter fields (besides the district) that narrow what is shown, so the page can say
    so even when the filters are folded away (a shared link may carry them)."""
    changed = encode_all(MAP.params, state)
    dated = state.get("m_from") is not None or state.get("m_to") is not None
    return [k for k in MAP_FILTER_KEYS if k in changed and (k != "m_undated" or dated)]


# --- the language (app.py's frame, on every page) -------------------------------------------------
LANG = Param("lang", "one", LANGS, LANGS[0], show=lambda code, lang: t(f"lang.{code}", lang))


# --- the data page's explorer: its parameters depend on the table and the columns picked ----------
DATA_DATES = (dt.date(1980, 1, 1), dt.date(2100, 12, 31))  # wide enough for every date and target
DATA_NUMBER_LIMIT = 2**53 - 1  # the largest integer a browser's number box holds exactly
DATA_PREFIX = "d_"
DATA_COLUMN_PREFIXES = ("d_v_", "d_lo_", "d_hi_", "d_c_")


def data_params(datasets: Sequence[str]) -> PageParams:
    """The table, the search and the table whose citation is shown."""
    return PageParams("data", (
        Param("d_ds", "one", tuple(datasets), datasets[0]),
        Param("d_q", "text", default="", hi=MAX_TEXT_CHARS),
        Param("d_cite", "one", tuple(datasets), datasets[0]),
    ))


def data_table_params(date_columns: Sequence[str], filter_columns: Sequence[str], columns: Sequence[str]) -> PageParams:
    """One table's date range, column choice and sort (the date range only where the table has dates)."""
    dated = (
        Param("d_dcol", "one", tuple(date_columns), date_columns[0]),
        Param("d_from", "date", default=None, lo=DATA_DATES[0], hi=DATA_DATES[1]),
        Param("d_to", "date", default=None, lo=DATA_DATES[0], hi=DATA_DATES[1]),
    ) if date_columns else ()
    return PageParams("data.table", (
        *dated,
        Param("d_cols", "many", tuple(filter_columns), ()),
        Param("d_sort", "one", tuple(columns), None),
        Param("d_desc", "bool", default=False),
    ))


def data_column_params(filters: Mapping[str, tuple[str, Any]]) -> PageParams:
    """The filter of each picked column: {column: ("values", options) | ("range", is_integer) | ("contains", None)}."""
    out: list[Param] = []
    lim = DATA_NUMBER_LIMIT
    for col, (kind, extra) in filters.items():
        if kind == "values":
            out.append(Param(f"d_v_{col}", "many", tuple(extra), ()))
        elif kind == "range":
            number = "int" if extra else "number"
            out += [Param(f"d_lo_{col}", number, default=None, lo=-lim, hi=lim),
                    Param(f"d_hi_{col}", number, default=None, lo=-lim, hi=lim)]
        else:
            out.append(Param(f"d_c_{col}", "text", default="", hi=MAX_TEXT_CHARS))
    return PageParams("data.columns", tuple(out))


def merged(page: str, *specs: PageParams) -> PageParams:
    """Several specs as one (for naming every parameter of a page in its notices)."""
    return PageParams(page, tuple(p for s in specs for p in s.params))
