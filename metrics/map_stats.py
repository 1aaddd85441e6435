"""The map's statistics: which known cameras pass the reader's filters, district totals, class breaks,
hexagon bins and the click -> district rule.

Pure (pandas and numpy, no strings in a language): ui/charts/map_deck.py draws from these, and
metrics/views/map.py prepares the cameras once per data version.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.district_names import CODES, name_en as district_name_en, name_zh as district_name_zh
from loaders.geo import representative_point

CATEGORIES = ("td", "smartview", "other")  # colour classes of known cameras


POINT_LIMIT = 4_000  # above this many points, hexagons take over (readability and payload size)


HEX_RADIUS_M = 600  # centre-to-corner; a hexagon is about 1 km across (flat to flat)


POPULATION_COLUMN = "population_2021"


HK_CENTRE = {"latitude": 22.36, "longitude": 114.14, "zoom": 9.6}


def category(cams: pd.DataFrame) -> pd.Series:
    """td / smartview / other: the colour class of each known camera."""
    out = pd.Series("other", index=cams.index, dtype="object")
    out[cams["programme"].eq("td_traffic_snapshot")] = "td"
    out[cams["programme"].eq("smartview") | cams["kind"].eq("smartview_site")] = "smartview"
    return out


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """source id -> "publisher, published" (short enough for a tooltip)."""
    if sources is None or sources.empty:
        return {}
    return {r.id: f"{r.publisher}, {r.published}" for r in sources.itertuples(index=False)}


def prepare_cameras(cams: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Known cameras plus what the map needs: colour class, first-seen precision (day where the
    row gives none), source label."""
    out = cams.copy()
    out["category"] = category(out)
    out["first_seen_precision"] = out["first_seen_precision"].astype("object").where(out["first_seen_precision"].notna(), "day")
    labels = source_labels(sources)
    out["source_label"] = out["source"].map(labels).astype("object").where(out["source"].map(labels).notna(), out["source"])
    return out


@dataclass(frozen=True)
class CameraFilter:
    """What a reader asked to see. None = no restriction on that field."""

    operators: tuple[str, ...] | None = None
    programmes: tuple[str, ...] | None = None
    precisions: tuple[str, ...] | None = None
    district: str | None = None
    seen_from: dt.date | None = None
    seen_to: dt.date | None = None
    include_undated: bool = True

    @property
    def dated(self) -> bool:
        return self.seen_from is not None or self.seen_to is not None

    def without_district(self) -> "CameraFilter":
        return CameraFilter(self.operators, self.programmes, self.precisions, None,
                            self.seen_from, self.seen_to, self.include_undated)


def filter_cameras(cams: pd.DataFrame, flt: CameraFilter) -> pd.DataFrame:
    """The rows that pass every filter. A date range keeps undated cameras only if asked:
    most sources give no first-seen date, and dropping them silently would hide them."""
    keep = pd.Series(True, index=cams.index)
    for column, allowed in (("operator", flt.operators), ("programme", flt.programmes), ("precision", flt.precisions)):
        if allowed is not None:
            keep &= cams[column].isin(allowed)
    if flt.district:
        keep &= cams["district_code"].eq(flt.district)
    if flt.dated:
        seen = cams["first_seen"]
        in_range = seen.notna()
        if flt.seen_from is not None:
            in_range &= seen >= pd.Timestamp(flt.seen_from)
        if flt.seen_to is not None:
            in_range &= seen <= pd.Timestamp(flt.seen_to)
        keep &= in_range | (seen.isna() & flt.include_undated)
    return cams[keep]


def district_table(cams: pd.DataFrame, districts: pd.DataFrame) -> pd.DataFrame:
    """One row per district (all 18, in code order): names, population, area, known cameras by
    colour class, per 100,000 residents and per km². NaN where population/area is not published.

    Counts are of KNOWN cameras in this dataset only (TD cameras, named SmartView sites, ...),
    never an estimate of SmartView coverage, which is not published per district.
    """
    base = pd.DataFrame({"code": list(CODES)})
    if districts is not None and len(districts):
        cols = [c for c in ("code", "name_en", "name_zh", "population_2019", "population_2021", "area_km2", "sources")
                if c in districts.columns]
        base = base.merge(districts[cols], on="code", how="left")
    for col in ("population_2019", "population_2021", "area_km2"):
        if col not in base.columns:
            base[col] = np.nan
        base[col] = pd.to_numeric(base[col], errors="coerce").astype("float64")
    base["name_en"] = [n if isinstance(n, str) and n else district_name_en(c) for c, n in zip(base["code"], base.get("name_en", [None] * len(base)))]
    base["name_zh"] = [n if isinstance(n, str) and n else district_name_zh(c) for c, n in zip(base["code"], base.get("name_zh", [None] * len(base)))]
    counts = pd.crosstab(cams["district_code"], cams["category"]) if len(cams) else pd.DataFrame()
    for cat in CATEGORIES:
        col = counts[cat] if cat in counts.columns else pd.Series(dtype="int64")
        base[cat] = base["code"].map(col).fillna(0).astype("int64")
    base["known"] = base[list(CATEGORIES)].sum(axis=1)
    pop = base[POPULATION_COLUMN]
    base["per100k"] = (base["known"] / pop * 100_000).where(pop > 0)
    base["perkm2"] = (base["known"] / base["area_km2"]).where(base["area_km2"] > 0)
    return base.set_index("code", drop=False)


def class_breaks(values: pd.Series, k: int = 5, whole: bool = False) -> list[float]:
    """Upper bounds of up to k classes by quantile (ties merged); [] when nothing is published.
    Quantiles keep a few very dense districts from washing every other one out. `whole`
    rounds bounds up to whole numbers, for counts."""
    v = pd.Series(values, dtype="float64").dropna()
    if v.empty:
        return []
    qs = (float(v.quantile(i / k)) for i in range(1, k + 1))
    return sorted({float(math.ceil(q)) if whole else round(q, 1) for q in qs})


def class_index(value, breaks: list[float]) -> int | None:
    """Which class a value falls in (0-based), None when not published."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not breaks:
        return None
    for i, hi in enumerate(breaks):
        if value <= hi:
            return i
    return len(breaks) - 1


def district_points(geo: dict | None) -> dict[str, tuple[float, float]]:
    """code -> (lon, lat) of a point inside each district, where district-only rings sit."""
    out = {}
    for feat in (geo or {}).get("features", []):
        code = feat["properties"].get("code")
        if code:
            out[code] = representative_point(feat["geometry"])
    return out


def hex_bins(lon, lat, radius_m: float = HEX_RADIUS_M, groups=None) -> pd.DataFrame:
    """Count points per pointy-top hexagon (radius = centre to corner, metres).

    Binned here rather than with deck.gl's HexagonLayer so the browser gets one row per
    hexagon, not every point: 60,000 or 1,000,000 cameras become a few thousand rows.
    Returns lon, lat (hexagon centre), n, and one count column per value of `groups`.
    """
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    cols = ["lon", "lat", "n"] + ([] if groups is None else sorted(pd.unique(np.asarray(groups))))
    if lon.size == 0:
        return pd.DataFrame(columns=cols)
    lat0, lon0 = HK_CENTRE["latitude"], HK_CENTRE["longitude"]
    kx = 111_320.0 * math.cos(math.radians(lat0))
    ky = 110_574.0
    x = (lon - lon0) * kx / radius_m
    y = (lat - lat0) * ky / radius_m
    q = math.sqrt(3) / 3 * x - y / 3
    r = 2 / 3 * y
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    frame = pd.DataFrame({"q": rq.astype("int64"), "r": rr.astype("int64")})
    if groups is None:
        agg = frame.groupby(["q", "r"]).size().rename("n").reset_index()
    else:
        frame["g"] = np.asarray(groups)
        agg = frame.groupby(["q", "r", "g"]).size().unstack("g", fill_value=0)
        agg["n"] = agg.sum(axis=1)
        agg = agg.reset_index()
        agg.columns.name = None
    cx = math.sqrt(3) * (agg["q"] + agg["r"] / 2) * radius_m
    cy = 1.5 * agg["r"] * radius_m
    agg["lon"] = lon0 + cx / kx
    agg["lat"] = lat0 + cy / ky
    return agg[[c for c in cols if c in agg.columns]].reset_index(drop=True)


def district_from_selection(selection) -> str | None:
    """The district a map click points at: a district shape, or the district of a clicked
    camera or ring. None for a hexagon (it may span districts) or an empty click."""
    if not selection:
        return None
    objects = (selection.get("objects") if hasattr(selection, "get") else None) or {}
    for layer_id, objs in objects.items():
        for obj in objs or []:
            if not isinstance(obj, dict):
                continue
            code = (obj.get("properties") or {}).get("code") if layer_id == "districts" else obj.get("z")
            if code in CODES:
                return code
    return None


def next_district(selection, current: str | None) -> str | None:
    """The district filter after a click: the clicked district, else unchanged (clicking empty
    sea should not throw away the reader's choice)."""
    picked = district_from_selection(selection)
    return picked if picked else current

