"""The map as a deck.gl spec: layers, tooltips in the reader's language, the legend, the initial view.

Pure (no Streamlit): built from metrics/map_stats.py's filtered cameras and district table. The
spec is plain JSON-able dicts (not pdk.Layer over DataFrames), so the payload holds only the
fields the layers and the tooltip use, coordinates rounded to 5 decimals (about 1 m).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd
import pydeck as pdk

from loaders.district_names import CODES, name_en as district_name_en, name_zh as district_name_zh
from metrics.map_stats import (CATEGORIES, HEX_RADIUS_M, POINT_LIMIT, POPULATION_COLUMN, class_breaks, class_index,
                               district_points, district_table, hex_bins)
from ui import escape, fmt
from ui.i18n import t
from ui.url_state import MAP_DEFAULT_LAYERS as DEFAULT_LAYERS

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLOURS = {"td": (0, 114, 178), "smartview": (213, 94, 0), "other": (0, 158, 115), "upload": (204, 121, 167)}


MAX_DECK_BYTES = 1_400_000  # the deck JSON sent to the browser stays under this (1.5 MB budget)


COORD_DIGITS = 5  # about 1 m: finer than any source's precision


STREET_RING_M = 120  # ring radius for a point the source places only on a street


DISTRICT_RING_M = 900  # ring radius for cameras the source places only in a district


# Streamlit 1.67's chart fills in a Carto style whenever mapStyle is empty, even with
# map_provider=None (despite its docstring). "__MAP_STYLE__" is the frontend's own placeholder
# that it deletes without a fallback: the only value that really leaves the base map out
# (checked in Chromium: no request to basemaps.cartocdn.com). District outlines are drawn by us.
NO_BASE_MAP = "__MAP_STYLE__"


# Sequential ramps (ColorBrewer Purples for districts, YlGnBu for density), light -> dark.
SHADING_RAMP = ((242, 240, 247), (203, 201, 226), (158, 154, 200), (117, 107, 177), (84, 39, 143))


DENSITY_RAMP = ((255, 255, 204), (161, 218, 180), (65, 182, 196), (44, 127, 184), (37, 52, 148))


NOT_PUBLISHED_FILL = (190, 190, 190)


TIP_CHARS = 140  # longest text line in a tooltip; the district table has the full text


# One tooltip for every pickable object of every layer (Streamlit allows one per chart), so
# every object carries the same four lines a-d. Streamlit 1.67 HTML-escapes the values it
# interpolates; we also neutralise markup in the values ourselves (see `safe`).
# Lines are <div>s so an empty one takes no space (hexagons use two lines, cameras four).
TOOLTIP = {"html": "<b>{a}</b><div>{b}</div><div>{c}</div><div>{d}</div>",
           "style": {"fontSize": "13px", "maxWidth": "360px", "whiteSpace": "normal"}}


def safe(text) -> str:
    """Data text for a tooltip: `<` and `>` become entities, so no tag can ever form.

    Why not html.escape: Streamlit 1.67 escapes interpolated tooltip values itself, so a full
    escape would show "Tate&#x27;s Cairn" for every apostrophe and ampersand. Without < and >
    text is inert in HTML element content whichever renderer draws it (a bare & can only spell
    a character). Data with markup shows visibly as &lt;...&gt;, which is the honest outcome.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def short(text, limit: int = TIP_CHARS) -> str:
    """A one-line tooltip text of at most `limit` characters (cut text ends with …)."""
    text = "" if text is None else " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def district_names(lang: str, districts: pd.DataFrame | None = None) -> dict[str, str]:
    """code -> district name in lang: districts.csv where it has one, else the built-in table."""
    zh = lang == "zh-Hant"
    names = {c: district_name_zh(c) if zh else district_name_en(c) for c in CODES}
    if districts is not None and len(districts):
        col = "name_zh" if zh else "name_en"
        names.update({c: n for c, n in zip(districts["code"], districts[col]) if c in names and isinstance(n, str) and n})
    return names


def district_name(code: str | None, lang: str, districts: pd.DataFrame | None = None) -> str:
    """One district's name in lang (see district_names)."""
    if not code:
        return t("map.district_unknown", lang)
    return district_names(lang, districts).get(code, str(code))


def class_labels(breaks: list[float], lang: str, whole: bool) -> list[str]:
    """Legend text per class: "0–3", "4–9" for counts; "0.0–2.5", "2.5–7.1" for rates."""
    out, lo = [], 0.0
    for hi in breaks:
        if whole:
            out.append(fmt.number(hi, lang) if lo == hi else f"{fmt.number(lo, lang)}–{fmt.number(hi, lang)}")
            lo = hi + 1
        else:
            out.append(f"{fmt.number(lo, lang, 1)}–{fmt.number(hi, lang, 1)}")
            lo = hi
    return out


def ramp_colour(index: int | None, n: int, ramp) -> tuple[int, int, int]:
    """Spread n classes over a ramp so 2 classes still use its light and dark ends."""
    if index is None:
        return NOT_PUBLISHED_FILL
    if n <= 1:
        return ramp[len(ramp) // 2]
    return ramp[round(index * (len(ramp) - 1) / (n - 1))]


def metric_text(row, metric: str, lang: str) -> str:
    value = row[metric]
    if metric == "known":
        return fmt.number(value, lang)
    return fmt.number(value, lang, digits=1) if value == value else t("common.not_published", lang)


def _bounds(geometry: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        for x, y in poly[0]:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def _merc_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


# The initial view fits the narrowest chart the map may be drawn in. The server does not know the
# chart's width and deck.gl's JSON spec has no fit-to-bounds, so the page says which kind of
# screen asked (MapRequest.phone, from the browser's user agent) and the view is fitted to the
# narrowest chart of that kind: a phone's column (about 330 px on a 360-px-wide screen) or a
# desktop's map column (about 600 px at 1280 px wide, about 430 px on a 1024-px laptop with the
# sidebar open). A wider chart shows the same view with sea around it.
FIT_WIDTH = 320
FIT_HEIGHT = 360  # the map's height on a phone (pages/map.py)
DESKTOP_FIT = (420, 480)  # width and height the desktop view is fitted to (the chart is 520 px tall)
# Lantau to Sai Kung and Lo Wu to the southern islands: the fallback box when no outlines load.
HK_BOUNDS = (113.82, 22.14, 114.50, 22.57)


def fit_for(phone: bool) -> tuple[int, int]:
    """The chart size the first view is fitted to: a phone's column, or a desktop's map column."""
    return (FIT_WIDTH, FIT_HEIGHT) if phone else DESKTOP_FIT


def fit_view(bounds: tuple[float, float, float, float], width: int = FIT_WIDTH, height: int = FIT_HEIGHT) -> dict:
    """Centre and zoom that show the lon/lat box (x0, y0, x1, y1) whole in a width x height chart."""
    x0, y0, x1, y1 = bounds
    dx = max(x1 - x0, 1e-4)
    dy = max(_merc_y(y1) - _merc_y(y0), 1e-4)
    # deck.gl's world is 512 px wide at zoom 0 (not 256 as for raster tiles); 0.1 leaves a margin.
    zoom = math.log2(min(width * 360 / (512 * dx), height * 360 / (512 * dy))) - 0.1
    return {"latitude": round((y0 + y1) / 2, 5), "longitude": round((x0 + x1) / 2, 5),
            "zoom": round(max(8.0, min(15.0, zoom)), 2)}


def view_state(geo: dict | None, code: str | None, width: int = FIT_WIDTH, height: int = FIT_HEIGHT) -> dict:
    """Initial view: the chosen district's bounding box fitted to the chart, else all of Hong Kong."""
    feats = [f for f in (geo or {}).get("features", []) if not code or f["properties"].get("code") == code]
    if not feats:
        return fit_view(HK_BOUNDS, width, height)
    boxes = [_bounds(f["geometry"]) for f in feats]
    return fit_view((min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)),
                    width, height)


def _pos(lon, lat) -> list[float]:
    return [round(float(lon), COORD_DIGITS), round(float(lat), COORD_DIGITS)]


def _first_seen_text(value, precision: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("map.tip_first_seen", lang, date=t("common.not_published", lang))
    return t("map.tip_first_seen", lang, date=fmt.date(value, precision, lang))


def camera_objects(cams: pd.DataFrame, lang: str, districts: pd.DataFrame | None, upload_name: str | None = None) -> list[dict]:
    """One tooltip-ready object per camera: position, district code, four text lines."""
    if cams.empty:
        return []
    primary, fallback = ("description_zh", "description_en") if lang == "zh-Hant" else ("description_en", "description_zh")
    names = district_names(lang, districts)
    op_label = {o: t(f"map.operator.{o}", lang) for o in ("transport_department", "police", "other")}
    prog_label = {p: t(f"map.programme.{p}", lang) for p in ("td_traffic_snapshot", "smartview", "osm", "user", "other")}
    prec_label = {p: t(f"map.precision.{p}", lang) for p in ("exact", "street", "district")}
    sep = "・" if lang == "zh-Hant" else " · "
    out = []
    cols = ["id", "longitude", "latitude", "district_code", "operator", "programme", "precision", "first_seen",
            primary, fallback, "first_seen_precision", "source_label"]
    frame = cams.reindex(columns=cols)
    for (cid, lon, lat, code, op, prog, prec, seen, desc, desc2, seen_prec, src) in frame.itertuples(index=False, name=None):
        title = desc if isinstance(desc, str) and desc else (desc2 if isinstance(desc2, str) and desc2 else cid)
        source = t("map.tip_upload_source", lang, name=upload_name) if upload_name else t("map.tip_source", lang, source=src)
        out.append({
            "p": _pos(lon, lat),
            "z": code if isinstance(code, str) and code else "",
            "a": safe(short(title)),
            "b": safe(f"{op_label.get(op, op)}{sep}{prog_label.get(prog, prog)}"),
            "c": safe(f"{names.get(code, t('map.district_unknown', lang))}{sep}{prec_label.get(prec, prec)}"),
            "d": safe(short(f"{_first_seen_text(seen, seen_prec if isinstance(seen_prec, str) else 'day', lang)}{sep}{source}", 200)),
        })
    return out


def _scatter(layer_id: str, data: list[dict], colour, *, filled: bool = True, radius: float = 40,
             min_px: float = 3, max_px: float = 9, line_px: float = 1, line_colour=(255, 255, 255)) -> dict:
    layer = {"@@type": "ScatterplotLayer", "id": layer_id, "data": data, "pickable": True,
             "getPosition": "@@=p", "radiusUnits": "meters", "getRadius": radius,
             "radiusMinPixels": min_px, "radiusMaxPixels": max_px,
             "filled": filled, "stroked": True, "lineWidthUnits": "pixels", "getLineWidth": line_px}
    if filled:
        layer["getFillColor"] = [*colour, 220]
        layer["getLineColor"] = [*line_colour, 230]
    else:
        layer["getLineColor"] = "@@=k" if colour is None else [*colour, 255]
        layer["lineWidthMinPixels"] = line_px
    return layer


def district_ring_objects(cams: pd.DataFrame, points: dict, lang: str, districts: pd.DataFrame | None) -> list[dict]:
    """Cameras a source places only in a district: one ring per district at a point inside it,
    with the count, never a dot that would look like a location."""
    if cams.empty:
        return []
    out = []
    for code, group in cams.groupby("district_code", sort=True):
        if code not in points:
            continue
        cats = group["category"].value_counts()
        colour = COLOURS[cats.index[0]] if len(cats) == 1 else (60, 60, 60)
        names = [n for n in group["description_zh" if lang == "zh-Hant" else "description_en"].fillna("") if n]
        if not names:
            names = [n for n in group["description_en"].fillna("") if n]
        shown = "; ".join(names[:3]) + ("; …" if len(names) > 3 else "")
        out.append({
            "p": _pos(*points[code]), "z": code, "n": str(len(group)), "k": [*colour, 255],
            "a": safe(t("map.tip_ring_title", lang, n=fmt.number(len(group), lang), district=district_name(code, lang, districts))),
            "b": safe(t("map.tip_ring_where", lang)),
            "c": safe(short(shown, 200)),
            "d": safe(short(t("map.tip_source", lang, source="; ".join(sorted(set(group["source_label"].astype(str))))), 200)),
        })
    return out


def _hex_pos(lon, lat) -> list[float]:
    return [round(float(lon), 4), round(float(lat), 4)]  # computed centres: 4 decimals (~10 m) is plenty


def hex_objects(cams: pd.DataFrame, lang: str) -> tuple[list[dict], list[float]]:
    """Hexagon density of known cameras with a real position (exact or street); its class breaks.
    Two tooltip lines only: at 60,000 cameras there are thousands of hexagons, and every
    repeated constant line would cost the browser hundreds of kilobytes."""
    bins = hex_bins(cams["longitude"], cams["latitude"], groups=cams["category"])
    if bins.empty:
        return [], []
    breaks = class_breaks(bins["n"], whole=True)
    sep = "・" if lang == "zh-Hant" else " · "
    labels = {c: t(f"map.cat_short.{c}", lang) for c in CATEGORIES}
    out = []
    for row in bins.to_dict("records"):
        i = class_index(row["n"], breaks)
        parts = [f"{labels[c]} {fmt.number(row[c], lang)}" for c in CATEGORIES if row.get(c)]
        out.append({"p": _hex_pos(row["lon"], row["lat"]), "k": [*ramp_colour(i, len(breaks), DENSITY_RAMP), 200],
                    "a": t("map.tip_hex_title", lang, n=fmt.number(row["n"], lang)), "b": sep.join(parts), "c": "", "d": ""})
    return out, breaks


def upload_hex_objects(up: pd.DataFrame, lang: str) -> tuple[list[dict], list[float]]:
    bins = hex_bins(up["longitude"], up["latitude"])
    if bins.empty:
        return [], []
    breaks = class_breaks(bins["n"], whole=True)
    session = t("map.tip_upload_session", lang)
    out = []
    for row in bins.to_dict("records"):
        i = class_index(row["n"], breaks)
        alpha = 90 + round(150 * (i or 0) / max(1, len(breaks) - 1))
        out.append({"p": _hex_pos(row["lon"], row["lat"]), "k": [*COLOURS["upload"], alpha],
                    "a": t("map.tip_upload_hex_title", lang, n=fmt.number(row["n"], lang)), "b": session, "c": "", "d": ""})
    return out, breaks


def _hex_layer(layer_id: str, data: list[dict]) -> dict:
    # ColumnLayer with 6 sides draws flat hexagons; its corners point east-west, so turn it
    # 30° to match the pointy-top grid of hex_bins (checked in Chromium: no gaps).
    return {"@@type": "ColumnLayer", "id": layer_id, "data": data, "pickable": True, "extruded": False,
            "diskResolution": 6, "radius": HEX_RADIUS_M, "angle": 30, "coverage": 0.94, "getPosition": "@@=p",
            "getFillColor": "@@=k", "stroked": False}


def district_features(geo: dict, table: pd.DataFrame, metric: str, shading: bool, lang: str) -> tuple[list[dict], list[float]]:
    """District shapes with shading colour and tooltip lines in their properties."""
    breaks = class_breaks(table[metric], whole=metric == "known") if shading else []
    feats = []
    for feat in geo.get("features", []):
        code = feat["properties"].get("code")
        if code not in table.index:
            continue
        row = table.loc[code]
        if shading:
            i = class_index(row[metric], breaks)
            fill = [*ramp_colour(i, len(breaks), SHADING_RAMP), 150]
        else:
            fill = [255, 255, 255, 1]  # nearly invisible, still clickable
        pop = row[POPULATION_COLUMN]
        feats.append({"type": "Feature", "geometry": feat["geometry"], "properties": {
            "code": code, "k": fill,
            "a": safe(row["name_zh"] if lang == "zh-Hant" else row["name_en"]),
            "b": t("map.tip_district_known", lang, n=fmt.number(row["known"], lang)),
            "c": t("map.tip_district_rates", lang, per100k=metric_text(row, "per100k", lang), perkm2=metric_text(row, "perkm2", lang),
                   population=fmt.number(pop, lang) if pop == pop else t("common.not_published", lang)),
            "d": t("map.tip_district_smartview", lang, np=t("common.not_published", lang)),
        }})
    return feats, breaks


def _round_geometry(geometry: dict) -> dict:
    """District outlines with 5-decimal coordinates (the simplified file already is ~5)."""
    def rnd(ring):
        return [[round(x, COORD_DIGITS), round(y, COORD_DIGITS)] for x, y in ring]
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [rnd(r) for r in geometry["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[rnd(r) for r in poly] for poly in geometry["coordinates"]]}


@dataclass(frozen=True)
class MapRequest:
    """How the reader asked to see the map (everything except which cameras: see CameraFilter)."""

    lang: str = "en"
    layers: frozenset = frozenset(DEFAULT_LAYERS)
    metric: str = "known"
    tiles: bool = True
    district: str | None = None
    phone: bool = True  # fit the first view to a phone's column (the safe default when the screen is not known)


@dataclass
class MapResult:
    """The deck spec plus what the page needs to explain it (legend, notices, counts)."""

    spec: dict
    drawn: dict = field(default_factory=dict)  # what each layer drew: points, rings, hexagons ...
    notices: list[str] = field(default_factory=list)  # i18n keys of things to tell the reader
    shading_breaks: list[float] = field(default_factory=list)
    density_breaks: list[float] = field(default_factory=list)
    upload_mode: str | None = None  # "points" | "density" | None
    located: int = 0  # cameras passing the filters with a point or street location

    @property
    def layer_ids(self) -> list[str]:
        return [layer["id"] for layer in self.spec["layers"]]


def build_map(cams: pd.DataFrame, all_districts_cams: pd.DataFrame, districts: pd.DataFrame | None, geo: dict | None,
              req: MapRequest, upload: pd.DataFrame | None = None, upload_name: str | None = None) -> MapResult:
    """The deck.gl spec for the filtered cameras.

    `cams` passed every filter; `all_districts_cams` passed every filter except the district one,
    so district shading always compares all 18 districts. Layers, bottom to top: districts
    (outline always, fill when shaded), density hexagons, district-only rings, street rings,
    exact points per colour class, the uploaded layer, the chosen district's outline.

    Points give way to hexagons above POINT_LIMIT, and also when their tooltips (long or
    Chinese descriptions) would push the payload past MAX_DECK_BYTES.
    """
    result = _build_map(cams, all_districts_cams, districts, geo, req, upload, upload_name, force_density=False)
    if len(to_json(result.spec).encode()) > MAX_DECK_BYTES:
        result = _build_map(cams, all_districts_cams, districts, geo, req, upload, upload_name, force_density=True)
    return result


def _build_map(cams, all_districts_cams, districts, geo, req: MapRequest, upload, upload_name, force_density: bool) -> MapResult:
    lang = req.lang
    layers: list[dict] = []
    result = MapResult(spec={})
    table = district_table(all_districts_cams, districts)
    if geo:
        feats, breaks = district_features(geo, table, req.metric, "shading" in req.layers, lang)
        for f in feats:
            f["geometry"] = _round_geometry(f["geometry"])
        result.shading_breaks = breaks
        layers.append({"@@type": "GeoJsonLayer", "id": "districts", "data": {"type": "FeatureCollection", "features": feats},
                       "pickable": True, "stroked": True, "filled": True, "getFillColor": "@@=properties.k",
                       "getLineColor": [90, 90, 90, 200], "lineWidthUnits": "pixels", "getLineWidth": 1,
                       "lineWidthMinPixels": 1})
        result.drawn["districts"] = len(feats)
    else:
        result.notices.append("map.notice_no_outlines")

    located = cams[cams["precision"].isin(("exact", "street"))]
    district_only = cams[cams["precision"].eq("district")]
    result.located = len(located)
    too_many = len(located) > POINT_LIMIT or force_density
    want_points = "points" in req.layers
    show_density = "density" in req.layers or (want_points and too_many)
    if want_points and too_many:
        result.notices.append("map.notice_density_takeover")
    if show_density and len(located):
        data, result.density_breaks = hex_objects(located, lang)
        layers.append(_hex_layer("density", data))
        result.drawn["density"] = len(data)
    if want_points:
        rings = district_ring_objects(district_only, district_points(geo), lang, districts)
        if rings:
            layers.append(_scatter("cameras-district", rings, None, filled=False, radius=DISTRICT_RING_M,
                                   min_px=10, max_px=40, line_px=2.5))
            layers.append({"@@type": "TextLayer", "id": "cameras-district-count", "data": rings, "pickable": False,
                           "getPosition": "@@=p", "getText": "@@=n", "getSize": 13, "getColor": [20, 20, 20, 255],
                           "fontWeight": "bold", "getTextAnchor": "middle", "getAlignmentBaseline": "center",
                           "background": True, "getBackgroundColor": [255, 255, 255, 210], "backgroundPadding": [3, 1]})
            result.drawn["cameras-district"] = int(sum(int(r["n"]) for r in rings))
        if not too_many:
            street = located[located["precision"].eq("street")]
            if len(street):
                objs = camera_objects(street, lang, districts)
                for obj, cat in zip(objs, street["category"]):
                    obj["k"] = [*COLOURS[cat], 255]
                layers.append(_scatter("cameras-street", objs, None, filled=False, radius=STREET_RING_M,
                                       min_px=5, max_px=30, line_px=2))
                result.drawn["cameras-street"] = len(objs)
            exact = located[located["precision"].eq("exact")]
            for cat in CATEGORIES:
                part = exact[exact["category"].eq(cat)]
                if len(part):
                    layers.append(_scatter(f"cameras-{cat}", camera_objects(part, lang, districts), COLOURS[cat]))
                    result.drawn[f"cameras-{cat}"] = len(part)

    if upload is not None and len(upload) and "upload" in req.layers:
        budget = POINT_LIMIT - (sum(v for k, v in result.drawn.items() if k.startswith("cameras-") and k != "cameras-district"))
        if len(upload) <= budget and not force_density:
            objs = camera_objects(upload, lang, districts, upload_name=upload_name or "")
            layers.append(_scatter("upload", objs, COLOURS["upload"], radius=45, line_colour=(40, 40, 40)))
            result.upload_mode = "points"
        else:
            objs, _ = upload_hex_objects(upload, lang)
            layers.append(_hex_layer("upload-density", objs))
            result.upload_mode = "density"
            result.notices.append("map.notice_upload_density")
        result.drawn["upload"] = len(upload)

    if geo and "density" in result.drawn:
        # Hexagons cover the district shapes: draw the outlines again on top (not pickable).
        outlines = [{"type": "Feature", "geometry": _round_geometry(f["geometry"]), "properties": {}} for f in geo.get("features", [])]
        layers.insert(layers.index(next(x for x in layers if x["id"] == "density")) + 1,
                      {"@@type": "GeoJsonLayer", "id": "district-outlines", "pickable": False, "filled": False, "stroked": True,
                       "data": {"type": "FeatureCollection", "features": outlines}, "getLineColor": [60, 60, 60, 220],
                       "lineWidthUnits": "pixels", "getLineWidth": 1})

    if geo and req.district:
        chosen = [{"type": "Feature", "geometry": _round_geometry(f["geometry"]), "properties": {}}
                  for f in geo.get("features", []) if f["properties"].get("code") == req.district]
        if chosen:
            layers.append({"@@type": "GeoJsonLayer", "id": "district-selected", "pickable": False, "filled": False,
                           "stroked": True, "data": {"type": "FeatureCollection", "features": chosen},
                           "getLineColor": [20, 20, 20, 255], "lineWidthUnits": "pixels", "getLineWidth": 3})

    spec = {"initialViewState": view_state(geo, req.district, *fit_for(req.phone)), "layers": layers,
            "views": [{"@@type": "MapView", "controller": True}]}
    if req.tiles:
        spec["mapProvider"] = "carto"  # no mapStyle: Streamlit picks the light or dark Carto style
    else:
        spec["mapStyle"] = NO_BASE_MAP
    result.spec = spec
    return result


def to_json(spec: dict) -> str:
    """Compact JSON (pydeck's own to_json indents by 2 and would triple the payload)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class PrebuiltDeck(pdk.Deck):
    """A pydeck.Deck whose JSON was built (and cached) ahead of time: st.pydeck_chart calls
    to_json() and reads the tooltip, nothing else, so a warm rerun costs no serialisation."""

    def __init__(self, spec_json: str, tooltip: dict):
        super().__init__(layers=[], tooltip=tooltip, map_provider=None, map_style=None)
        self._spec_json = spec_json

    def to_json(self) -> str:
        return self._spec_json


def legend_html(lang: str, req: MapRequest, shading_breaks: list[float], density_breaks: list[float],
                has_upload: bool = False) -> str:
    """The legend as HTML (st.html): swatches and labels for what is drawn. Labels come from the
    catalogue and numbers from fmt, and are escaped all the same."""
    def row(swatch: str, label: str) -> str:
        return f'<div style="display:flex;gap:.5em;align-items:center;margin:.15em 0">{swatch}<span>{escape.html(label)}</span></div>'

    def dot(rgb, ring=False, size=12):
        fill = f"border:2px solid rgb{tuple(rgb)};background:transparent" if ring else f"background:rgb{tuple(rgb)};border:1px solid #fff"
        return f'<span style="display:inline-block;flex:none;width:{size}px;height:{size}px;border-radius:50%;{fill}"></span>'

    def box(rgb):
        return f'<span style="display:inline-block;flex:none;width:14px;height:14px;background:rgb{tuple(rgb)};border:1px solid #999"></span>'

    parts = [f"<strong>{escape.html(t('map.legend', lang))}</strong>"]
    if "points" in req.layers:
        parts += [row(dot(COLOURS[cat]), t(f"map.cat.{cat}", lang)) for cat in CATEGORIES]
        parts.append(row(dot((80, 80, 80)), t("map.legend_exact", lang)))
        parts.append(row(dot((80, 80, 80), ring=True), t("map.legend_street", lang)))
        parts.append(row(dot((80, 80, 80), ring=True, size=20), t("map.legend_district", lang)))
    if has_upload and "upload" in req.layers:
        parts.append(row(dot(COLOURS["upload"]), t("map.cat.upload", lang)))
    scales = ((t("map.legend_density", lang), density_breaks, DENSITY_RAMP, True),
              (t("map.legend_shading", lang, metric=t(f"map.metric.{req.metric}", lang)), shading_breaks, SHADING_RAMP,
               req.metric == "known"))
    for title, breaks, ramp, whole in scales:
        if not breaks:
            continue
        parts.append(f"<div style='margin-top:.5em'>{escape.html(title)}</div>")
        parts += [row(box(ramp_colour(i, len(breaks), ramp)), label) for i, label in enumerate(class_labels(breaks, lang, whole))]
        if ramp is SHADING_RAMP and not whole:
            parts.append(row(box(NOT_PUBLISHED_FILL), t("map.legend_not_published", lang)))
    parts.append(row(box((255, 255, 255)), t("map.legend_outline", lang)))
    return "<div style='font-size:0.85em;line-height:1.35'>" + "".join(parts) + "</div>"


def points_drawn(result: MapResult) -> int:
    """Known cameras drawn one by one (dots and street rings), for captions and tests."""
    return sum(v for k, v in result.drawn.items() if k in ("cameras-street", *(f"cameras-{c}" for c in CATEGORIES)))

