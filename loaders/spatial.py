"""Spatial truth: every camera's point lies in the district its district_code names.

Run by load_all (so `python -m loaders check` reports it) on the rows as loaded, with their
lines. A point within the boundary tolerance (loaders.geo.BOUNDARY_TOLERANCE_M, about 12 m:
what simplifying the boundaries for display can move a border) counts as inside: a camera on
a boundary road may sit on either side. A SmartView site placed at a Transport Department
camera is checked the same way against the site's district.
"""
from __future__ import annotations

from loaders.district_names import name_en
from loaders.problems import Problem


def _where(index, code: str | None, lon: float, lat: float) -> str | None:
    """None when the point fits `code`, else what is wrong, for a message."""
    from loaders.geo import BOUNDARY_TOLERANCE_M

    if code is not None and (code not in index.codes or index.fits(code, lon, lat)):
        return None  # a district missing from the boundary file is reported where that file is loaded
    here = index.nearest(lon, lat)
    if here is None:
        return f"the point ({lat:.6f}, {lon:.6f}) lies outside every district boundary"
    if code is None:
        return None  # no district given: nothing to contradict
    metres = index.distance_m(code, lon, lat)
    return (f"the point ({lat:.6f}, {lon:.6f}) lies in {name_en(here)} ({here}), {metres:,.0f} m outside "
            f"{name_en(code)} (tolerance {BOUNDARY_TOLERANCE_M} m)")


def check_districts(cameras: list[dict], sites: list[dict], geo: dict | None,
                    cameras_file: str = "cameras_td.csv", sites_file: str = "smartview_sites.yaml") -> list[Problem]:
    """Problems for cameras (and street-level sites) whose point is not in their district."""
    if not geo:
        return []  # the boundary file's own problem is reported where it is loaded
    from loaders.geo import DistrictIndex

    index = DistrictIndex(geo)
    problems: list[Problem] = []
    td_points = {}
    for row in cameras:
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None:
            continue
        td_points[row["id"]] = (lon, lat)
        wrong = _where(index, row.get("district_code"), lon, lat)
        if wrong:
            field = "district_code" if "lies in" in wrong else "latitude"
            line = row.get("_lines", {}).get(field, row.get("_line"))
            fix = "; set district_code from the point and keep the source's wording in district_as_published" \
                if field == "district_code" else ""
            problems.append(Problem(cameras_file, line, field, f"{row['id']}: {wrong}{fix}"))
    for site in sites:
        key = site.get("td_camera_key")
        if site.get("precision") != "street" or not key:
            continue
        line = site.get("_lines", {}).get("td_camera_key", site.get("_line"))
        if f"td-{key}" not in td_points:
            continue  # placed by district instead (loaders.datasets._site_rows)
        wrong = _where(index, site.get("district_code"), *td_points[f"td-{key}"])
        if wrong:
            problems.append(Problem(sites_file, line, "td_camera_key", f"camera td-{key}: {wrong}, the site's district"))
    return problems
