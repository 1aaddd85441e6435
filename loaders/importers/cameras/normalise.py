"""Records from any reader -> camera rows (the columns of data/cameras_td.csv), checked.

A record is a dict of importer fields (see values.ALIASES) with raw values, plus '_line' and
what the reader fixed ('_id', '_profile', '_problems', '_notices'). Here every value is checked
the same way whatever the format: the point (WGS84 or HK1980 Grid) must lie inside one of
Hong Kong's 18 districts; a published district that disagrees with the point is kept as
published and the code taken from the point; a date that is not ISO is left empty with a
notice; an unknown operator, programme or precision falls back to the format's default.
A row with a Problem is left out; a Notice leaves it in.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from loaders.district_names import CODES, district_code, name_en
from loaders.importers.cameras import grid
from loaders.importers.cameras.notices import Notice, Problem
from loaders.importers.cameras.values import SLUG, clean_text, has_cjk, is_blank, number, operator_code, parse_date, show
from loaders.schema import CAMERA_KINDS, CAMERA_PRECISIONS, CAMERA_PROGRAMMES, CAMERAS, LAT_RANGE, LON_RANGE, PRECISIONS

COLUMNS = [f.name for f in CAMERAS.fields]
# What a format says about its rows when a row does not say it itself.
PROFILES = {
    "td": {"operator": "transport_department", "programme": "td_traffic_snapshot", "kind": "traffic_snapshot"},
    "osm": {"operator": "other", "programme": "osm", "kind": "surveillance"},
    "user": {"operator": "other", "programme": "user", "kind": "surveillance"},
}


def _coord_problem(name: str, line: int, field: str, raw: Any, rng: tuple[float, float], other: float | None,
                   other_rng) -> Problem | None:
    num = number(raw)
    expect = f"expected a number between {rng[0]:g} and {rng[1]:g} (Hong Kong), got {show(raw)}"
    if num is None:
        return Problem(name, line, field, expect)
    if not rng[0] <= num <= rng[1]:
        swapped = other is not None and other_rng[0] <= num <= other_rng[1] and rng[0] <= other <= rng[1]
        return Problem(name, line, field, expect + ("; latitude and longitude look swapped" if swapped else "; the point is outside Hong Kong"))
    return None


def _in_degrees(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def point(rec: dict, name: str, line: int) -> tuple[float | None, float | None, list[Problem]]:
    """(latitude, longitude, problems): WGS84 columns first, else HK1980 Grid easting/northing.
    (None, None, []) when the record gives no position at all."""
    raw_lat, raw_lon = rec.get("latitude"), rec.get("longitude")
    if not (is_blank(raw_lat) and is_blank(raw_lon)):
        lat, lon = number(raw_lat), number(raw_lon)
        if _in_degrees(lat, lon):
            return lat, lon, []
        if lat is not None and lon is not None and grid.in_grid(lon, lat):
            lon, lat = grid.to_wgs84(lon, lat)  # x/y given in HK1980 Grid metres
            note = Notice(name, line, "longitude", "values look like HK1980 Grid easting/northing in metres; converted to WGS84")
            return lat, lon, [note]
        bad = [p for p in (_coord_problem(name, line, "latitude", raw_lat, LAT_RANGE, lon, LON_RANGE),
                           _coord_problem(name, line, "longitude", raw_lon, LON_RANGE, lat, LAT_RANGE)) if p]
        return (lat, lon, bad) if not bad else (None, None, bad)
    raw_e, raw_n = rec.get("easting"), rec.get("northing")
    if is_blank(raw_e) and is_blank(raw_n):
        return None, None, []
    e, n = number(raw_e), number(raw_n)
    bad = []
    for field, raw, num, rng in (("easting", raw_e, e, grid.EASTING_RANGE), ("northing", raw_n, n, grid.NORTHING_RANGE)):
        if num is None or not rng[0] <= num <= rng[1]:
            bad.append(Problem(name, line, field, f"expected HK1980 Grid metres between {rng[0]:,.0f} and {rng[1]:,.0f} "
                                                  f"(Hong Kong), got {show(raw)}"))
    if bad:
        return None, None, bad
    lon, lat = grid.to_wgs84(e, n)
    return lat, lon, []


def _choice(rec: dict, field: str, allowed: tuple, default: str, name: str, line: int, notes: list) -> str:
    raw = clean_text(rec.get(field))
    if not raw:
        return default
    if raw.lower() in allowed:
        return raw.lower()
    notes.append(Notice(name, line, field, f"{show(raw)} is not one of {', '.join(allowed)}; {default!r} used"))
    return default


def _descriptions(rec: dict) -> tuple[str, str]:
    """English and Chinese descriptions: explicit columns first, else 'name' and 'description'
    joined, each to the language of its text (Chinese characters -> Chinese)."""
    en, zh = clean_text(rec.get("description_en")), clean_text(rec.get("description_zh"))
    found: dict[str, list[str]] = {"en": [], "zh": []}
    for key in ("name", "description"):
        text = clean_text(rec.get(key))
        if text:
            found["zh" if has_cjk(text) else "en"].append(text)
    return en or "; ".join(dict.fromkeys(found["en"])), zh or "; ".join(dict.fromkeys(found["zh"]))


_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _date_notice(raw: Any) -> str:
    """Why a date was left empty; for 01/07/2024 both readings, since the file cannot say which."""
    msg = f"{show(raw)} is not a date written YYYY-MM-DD, YYYY-MM or YYYY"
    m = _DMY.match(clean_text(raw))
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
        readings = [f"{d} {_MONTHS[mo - 1]} {year}" for d, mo in ((a, b), (b, a)) if 1 <= mo <= 12 and 1 <= d <= 31]
        if len(set(readings)) == 2:
            msg += f" (it could be {readings[0]} or {readings[1]})"
    return msg + "; the row is kept with first_seen empty"


def _outside(name: str, line: int, lat: float, lon: float) -> Problem:
    return Problem(name, line, "coordinates", f"the point ({lat:.6f}, {lon:.6f}) is outside Hong Kong: "
                                              "it lies in none of the 18 districts' boundaries")


def _district(rec: dict, lat, lon, here: str | None, index, name: str, line: int, bad: list, notes: list) -> tuple[str, str]:
    """(district_code, district_as_published). The point decides: a published district is
    kept when the point lies in it (or within the boundary tolerance), else the code comes
    from the point and the published wording stays in district_as_published."""
    from loaders.geo import BOUNDARY_TOLERANCE_M

    raw = clean_text(rec.get("district"))
    published = clean_text(rec.get("district_as_published"))
    if not published and raw and raw.upper() not in CODES:
        published = raw
    given = district_code(raw) if raw else None
    if raw and given is None:
        notes.append(Notice(name, line, "district", f"{show(raw)} is not one of Hong Kong's 18 districts"
                                                    + ("; district_code is taken from the point" if lat is not None else "")))
    if lat is None:
        if given is None:
            bad.append(Problem(name, line, "district", "a row without coordinates needs its district (A-T or a district name)"))
        return given or "", published
    if index is None:
        return given or "", published
    here = here or index.nearest(lon, lat)  # `here` comes from one vectorised lookup of every row
    if here is None:
        bad.append(_outside(name, line, lat, lon))
        return "", published
    if given is None or given == here:
        return here, published
    if index.fits(given, lon, lat):
        return given, published  # on the border, within the tolerance of the simplified boundaries
    metres = index.distance_m(given, lon, lat)
    notes.append(Notice(name, line, "district",
                        f"given as {show(raw)} ({given}), but the point lies in {name_en(here)} ({here}), {metres:,.0f} m "
                        f"outside {name_en(given)} (more than the {BOUNDARY_TOLERANCE_M} m boundary tolerance); district_code is "
                        "set from the point" + (" and the published name kept in district_as_published" if published else "")))
    return here, published


def build_rows(records: list[dict], name: str, *, default_profile: str, zh_map: dict[str, str], source_id: str,
               keep_row_sources: bool, operator: str | None, programme: str | None, index, require_point: bool,
               problems: list[Problem]) -> list[dict]:
    rows: list[dict] = []
    seen: dict[str, int] = {}
    points = [point(rec, name, rec.get("_line", n)) for n, rec in enumerate(records, start=1)]
    heres = index.codes_for([p[1] for p in points], [p[0] for p in points]) if index is not None else [None] * len(points)
    for n, (rec, (lat, lon, coord_problems), here) in enumerate(zip(records, points, heres), start=1):
        line = rec.get("_line", n)
        bad: list[Problem] = list(rec.get("_problems", ()))
        notes: list[Problem] = list(rec.get("_notices", ()))
        prof = PROFILES[rec.get("_profile", default_profile)]

        given = clean_text(rec.get("id")) if "_id" not in rec else ""
        if len(given) > 100:
            bad.append(Problem(name, line, "id", f"expected an id of at most 100 characters, got {show(given)}"))
        cam_id = rec.get("_id") or given or f"row-{n}"

        precision = _choice(rec, "precision", CAMERA_PRECISIONS, "exact", name, line, notes)
        for p in coord_problems:
            (notes if isinstance(p, Notice) else bad).append(p)
        if lat is None and not coord_problems:
            if require_point:
                bad.append(Problem(name, line, "latitude", "no coordinates; the map can only place rows that have a point"))
            elif precision != "district":
                bad += [_coord_problem(name, line, f, None, rng, None, None)
                        for f, rng in (("latitude", LAT_RANGE), ("longitude", LON_RANGE))]
        code, published = ("", "")
        if not bad:
            code, published = _district(rec, lat, lon, here, index, name, line, bad, notes)

        prog = programme or _choice(rec, "programme", CAMERA_PROGRAMMES, prof["programme"], name, line, notes)
        kind_default = "smartview_site" if prog == "smartview" else prof["kind"]
        kind = kind_default if programme else _choice(rec, "kind", CAMERA_KINDS, kind_default, name, line, notes)
        seen_on = parse_date(rec.get("first_seen"), rec.get("first_seen_precision"))
        if seen_on is None:
            notes.append(Notice(name, line, "first_seen", _date_notice(rec.get("first_seen"))))
            seen_on = ("", "")
        raw_precision = clean_text(rec.get("first_seen_precision")).lower()
        if raw_precision and raw_precision not in PRECISIONS and raw_precision != "undated":
            notes.append(Notice(name, line, "first_seen_precision", f"{show(raw_precision)} is not one of "
                                                                    f"{', '.join(PRECISIONS)}; ignored"))
        source = source_id
        row_source = clean_text(rec.get("source"))
        if keep_row_sources and row_source:
            if SLUG.match(row_source):
                source = row_source
            else:
                notes.append(Notice(name, line, "source", f"{show(row_source)} is not a source id; {source_id!r} used"))
        en, zh = _descriptions(rec)
        key = rec.get("_key")
        if key and zh_map.get(key):
            zh = zh_map[key]

        if not bad and cam_id in seen:
            bad.append(Problem(name, line, "id", f"duplicate id {cam_id!r} (first at {name}:{seen[cam_id]}); this row is dropped"))
        if bad:
            problems.extend(bad)
            continue
        problems.extend(notes)
        seen[cam_id] = line
        rows.append({
            "id": cam_id,
            "latitude": round(lat, 6) if lat is not None else None,
            "longitude": round(lon, 6) if lon is not None else None,
            "district_code": code, "district_as_published": published,
            "operator": operator or operator_code(rec.get("operator")) or prof["operator"],
            "programme": prog, "kind": kind,
            "surveillance_type": clean_text(rec.get("surveillance_type")),
            "camera_type": clean_text(rec.get("camera_type")),
            "description_en": en, "description_zh": zh, "precision": precision,
            "first_seen": seen_on[0], "first_seen_precision": seen_on[1], "source": source,
        })
    return rows


def build_positions(records: Iterable[dict], name: str, *, index, problems: list[Problem], start: int = 1
                    ) -> tuple[list[float], list[float], list[str], list[int]]:
    """(latitudes, longitudes, district codes, record numbers) of the rows with a usable point, for a list too
    long to draw one camera at a time (the map bins it into hexagons). Each point gets build_rows'
    checks (WGS84 or HK1980 Grid, inside Hong Kong, the district from the point); the rest of a row
    is not read, so it is neither checked nor kept. `start` numbers rows for records without lines."""
    recs = list(records)
    points = [point(rec, name, rec.get("_line", n)) for n, rec in enumerate(recs, start=start)]
    heres = index.codes_for([p[1] for p in points], [p[0] for p in points]) if index is not None else [None] * len(points)
    lats: list[float] = []
    lons: list[float] = []
    codes: list[str] = []
    kept: list[int] = []
    for n, (rec, (lat, lon, found), here) in enumerate(zip(recs, points, heres), start=start):
        line = rec.get("_line", n)
        bad = list(rec.get("_problems", ())) + [p for p in found if not isinstance(p, Notice)]
        notes = list(rec.get("_notices", ())) + [p for p in found if isinstance(p, Notice)]
        if lat is None and not bad:
            bad.append(Problem(name, line, "latitude", "no coordinates; the map can only place rows that have a point"))
        if not bad and index is not None:
            here = here or index.nearest(lon, lat)
            if here is None:
                bad.append(_outside(name, line, lat, lon))
        if bad:
            problems.extend(bad)
            continue
        problems.extend(notes)
        lats.append(round(lat, 6))
        lons.append(round(lon, 6))
        codes.append(here or "")
        kept.append(n)
    return lats, lons, codes, kept
