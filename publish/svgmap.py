"""The map without WebGL: an SVG of the 18 districts, the known sites and the Transport Department cameras.

Drawn from data/geo/districts.geojson and the map view's cameras, with the app's colours, shading
classes and legend (ui/charts/map_deck, metrics/map_stats). Cameras a source places only in a
district have no coordinates: they are drawn as one ring with a count at a point inside the
district (map_stats.district_points), and the legend and their labels say so. Each district links
to the app's interactive map of that district.
"""
from __future__ import annotations

import math

from metrics import map_stats as stats
from publish import html
from ui.charts import map_deck as deck

WIDTH = 900
PAD = 8


class Projection:
    """Equirectangular with the x axis shrunk by cos(latitude): true shapes at Hong Kong's size."""

    def __init__(self, geo: dict, width: int = WIDTH):
        xs, ys = [], []
        for f in geo["features"]:
            for ring in _rings(f["geometry"]):
                for x, y in ring:
                    xs.append(x)
                    ys.append(y)
        self.lon0, self.lat1 = min(xs), max(ys)
        self.k = math.cos(math.radians((min(ys) + max(ys)) / 2))
        span_x = (max(xs) - min(xs)) * self.k
        self.scale = (width - 2 * PAD) / span_x
        self.width = width
        self.height = int(round((max(ys) - min(ys)) * self.scale + 2 * PAD))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (round(PAD + (lon - self.lon0) * self.k * self.scale, 1), round(PAD + (self.lat1 - lat) * self.scale, 1))


def _rings(geometry: dict):
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        yield from poly


def _path(geometry: dict, proj: Projection) -> str:
    parts = []
    for ring in _rings(geometry):
        pts = [proj(x, y) for x, y in ring]
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
    return "".join(parts)


def _rgb(c) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


def figure(ed, here: str) -> str:
    """The <figure> with the inline SVG map and its legend, or a note that the boundaries are unavailable."""
    mv, pr, lang = ed.site.map, ed.pr, ed.lang
    geo = mv.geo
    if not geo or not geo.get("features"):
        return html.callout(f"<p>{html.esc(pr.t('map.notice_no_outlines'))}</p>", "warn")
    proj = Projection(geo)
    table = stats.district_table(mv.cameras, mv.districts)
    breaks = stats.class_breaks(table["known"], whole=True)
    shapes = []
    for f in sorted(geo["features"], key=lambda f: f["properties"]["code"]):
        code = f["properties"]["code"]
        row = table.loc[code] if code in table.index else None
        known = int(row["known"]) if row is not None else 0
        fill = deck.ramp_colour(stats.class_index(known, breaks), len(breaks), deck.SHADING_RAMP)
        label = ed.t("site.map.district_label", district=pr.district(code), n=pr.n(known))
        shapes.append(f'<a href="{html.esc(ed.app.map(here, lang, code))}" aria-label="{html.esc(label)}">'
                      f'<path d="{_path(f["geometry"], proj)}" fill="{_rgb(fill)}" stroke="#5a5a5a" stroke-width="0.8">'
                      f"<title>{html.esc(label)}</title></path></a>")
    cams = mv.cameras
    dots = []
    exact = cams[cams["precision"].isin(("exact", "street")) & cams["latitude"].notna()]
    for cat in stats.CATEGORIES:
        part = exact[exact["category"].eq(cat)].sort_values("id")
        if part.empty:
            continue
        colour = _rgb(deck.COLOURS[cat])
        r = 2.2 if cat == "td" else 4.5
        circles = "".join(
            (f'<circle cx="{x}" cy="{y}" r="{r}"/>' if p == "exact" else f'<circle cx="{x}" cy="{y}" r="{r + 2}" fill="none" stroke-width="1.6"/>')
            for (x, y), p in ((proj(lon, lat), p) for lon, lat, p in zip(part["longitude"], part["latitude"], part["precision"])))
        title = ed.t("site.map.points_title", what=pr.t(f"map.cat.{cat}"), n=pr.n(len(part)))
        dots.append(f'<g fill="{colour}" stroke="{colour}"><title>{html.esc(title)}</title>{circles}</g>')
    district_only = cams[cams["precision"].eq("district")]
    points = stats.district_points(geo)
    rings = []
    for code, group in sorted(district_only.groupby("district_code")):
        if code not in points:
            continue
        x, y = proj(*points[code])
        n = len(group)
        label = ed.t("site.map.district_ring", n=pr.n(n), district=pr.district(code))
        rings.append(f'<g><title>{html.esc(label)}</title><circle cx="{x}" cy="{y}" r="11" fill="#fff" fill-opacity="0.85" '
                     f'stroke="{_rgb(deck.COLOURS["smartview"])}" stroke-width="2.5"/>'
                     f'<text x="{x}" y="{y + 4}" text-anchor="middle" font-size="11" font-weight="700" fill="#111">{n}</text></g>')
    svg = (f'<svg class="map" viewBox="0 0 {proj.width} {proj.height}" role="group" aria-labelledby="map-title" aria-describedby="map-desc" '
           f'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{html.esc(pr.t("map.chart_alt"))}</title>'
           f'<desc id="map-desc">{html.esc(ed.t("site.map.desc"))}</desc>'
           f'<g class="districts">{"".join(shapes)}</g>{"".join(dots)}{"".join(rings)}</svg>')
    req = deck.MapRequest(lang=lang, layers=frozenset({"points", "shading"}), metric="known", tiles=False, district=None)
    legend = deck.legend_html(lang, req, breaks, [], has_upload=False)
    return (f'<figure class="map">{svg}<figcaption>{legend}<p class="note">{html.esc(ed.t("site.map.caption"))}</p>'
            f"</figcaption></figure>")
