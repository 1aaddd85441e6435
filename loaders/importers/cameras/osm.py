"""OpenStreetMap -> records: Overpass JSON, and GeoJSON from overpass-turbo, osmtogeojson or QuickOSM.

Only features tagged man_made=surveillance are cameras (a street lamp is not); the others are
counted in one notice. Nodes are exact points; ways and areas are taken at their centroid and
marked street precision (the centre of a building is not where its camera hangs).
"""
from __future__ import annotations

import re
from typing import Any

from loaders.importers.cameras.notices import Notice, Problem
from loaders.importers.cameras.values import clean_text, has_cjk

_REF = re.compile(r"^(node|way|relation)/(\d+)$")
_FULL_ID = re.compile(r"^([nwr])(\d+)$")  # QuickOSM's full_id
_TYPES = {"n": "node", "w": "way", "r": "relation"}


def identity(feature: dict, props: dict) -> tuple[str, str] | None:
    """(type, id) of an OSM feature as the common exporters write it, or None."""
    for value in (props.get("@id"), feature.get("id"), props.get("id")):
        m = _REF.match(clean_text(value))
        if m:
            return m.group(1), m.group(2)
    m = _FULL_ID.match(clean_text(props.get("full_id")))
    if m:
        return _TYPES[m.group(1)], m.group(2)
    for type_key, id_key in (("osm_type", "osm_id"), ("type", "id")):  # QuickOSM; osmtogeojson's properties
        kind, num = clean_text(props.get(type_key)).lower(), clean_text(props.get(id_key))
        if kind in _TYPES.values() and num.isdigit() and (type_key == "osm_type" or isinstance(props.get("tags"), dict)):
            return kind, num
    return None


def tags_of(props: dict) -> dict:
    """Tags flat in the properties (overpass-turbo, QuickOSM) or nested under 'tags' (osmtogeojson)."""
    nested = props.get("tags")
    return {**props, **nested} if isinstance(nested, dict) else props


def is_camera(tags: dict) -> bool:
    return clean_text(tags.get("man_made")) == "surveillance"


def tag_fields(tags: dict) -> dict:
    """The tags the importer maps: operator, names and descriptions, start_date,
    surveillance:type and camera:type (plain text; nothing interpreted)."""
    t = {str(k): clean_text(v) for k, v in (tags or {}).items() if not isinstance(v, (dict, list))}
    en = [t.get("name:en", "")]
    zh = [t.get(k, "") for k in ("name:zh", "name:zh-Hant", "name:zh-HK", "name:zh_Hant")]
    for generic in (t.get("name", ""), t.get("description", "")):
        (zh if has_cjk(generic) else en).append(generic)
    zh += [t.get("description:zh", ""), t.get("description:zh-Hant", "")]
    en += [t.get("description:en", "")]
    if t.get("surveillance"):
        en.append(f"surveillance={t['surveillance']}")  # the zone: public, outdoor, indoor
    return {
        "operator": t.get("operator", ""),
        "description_en": "; ".join(dict.fromkeys(e for e in en if e)),
        "description_zh": "; ".join(dict.fromkeys(z for z in zh if z)),
        "surveillance_type": t.get("surveillance:type", ""),
        "camera_type": t.get("camera:type", ""),
        "first_seen": t.get("start_date", ""),
    }


def skipped_notice(name: str, skipped: list[str]) -> list[Problem]:
    """One notice for every feature that was not a camera, with a few examples."""
    if not skipped:
        return []
    shown = "; ".join(skipped[:3]) + ("; ..." if len(skipped) > 3 else "")
    what = "feature was" if len(skipped) == 1 else "features were"
    return [Notice(name, None, "man_made", f"{len(skipped):,} {what} skipped: not tagged man_made=surveillance ({shown})")]


def _describe(kind: str, num: Any, tags: dict) -> str:
    keys = [f"{k}={clean_text(v)}" for k, v in tags.items() if k in ("man_made", "highway", "amenity", "shop", "building")]
    return f"{kind}/{clean_text(num)}" + (f" {', '.join(keys[:2])}" if keys else "")


def centroid(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Centroid of a way's nodes: of the area when they close a ring, else of the line."""
    from shapely.geometry import LineString, Point, Polygon

    pts = [p for p in points if p is not None]
    if not pts:
        return None
    if len(pts) == 1:
        geom = Point(pts[0])
    elif len(pts) >= 4 and pts[0] == pts[-1]:
        geom = Polygon(pts)
    else:
        geom = LineString(pts)
    c = geom.centroid
    return None if c.is_empty else (c.x, c.y)


def overpass_records(obj: dict, name: str) -> tuple[list[dict], list[Problem]]:
    """Overpass elements tagged man_made=surveillance: nodes, and ways/relations placed at their
    centre ('out center'), their geometry ('out geom') or their nodes in the same response."""
    elements = [el for el in obj["elements"] if isinstance(el, dict)]
    nodes = {el.get("id"): (el.get("lon"), el.get("lat")) for el in elements if el.get("type") == "node"}
    out, problems, skipped = [], [], []
    for n, el in enumerate(obj["elements"], start=1):
        if not isinstance(el, dict):
            continue
        tags = el.get("tags") if isinstance(el.get("tags"), dict) else {}
        kind = el.get("type")
        if not tags:
            continue  # untagged nodes are the corners of ways, not features
        if not is_camera(tags):
            skipped.append(_describe(kind, el.get("id"), tags))
            continue
        rec = {"_line": n, "_profile": "osm", "_id": f"osm-{kind}-{clean_text(el.get('id'))}", **tag_fields(tags)}
        if kind == "node":
            rec.update(latitude=el.get("lat"), longitude=el.get("lon"), precision="exact")
        elif kind in ("way", "relation"):
            pos = _element_centre(el, nodes)
            if pos is None:
                problems.append(Problem(name, n, "geometry", f"{kind} {clean_text(el.get('id'))} has no position; "
                                                              "run the Overpass query with 'out center' or 'out geom'"))
                continue
            rec.update(longitude=pos[0], latitude=pos[1], precision="street")  # a centre, not the mast
        else:
            continue
        out.append(rec)
    return out, problems + skipped_notice(name, skipped)


def _element_centre(el: dict, nodes: dict) -> tuple[float, float] | None:
    center = el.get("center") if isinstance(el.get("center"), dict) else None
    if center is not None:
        return center.get("lon"), center.get("lat")
    pts: list = []
    geometry = el.get("geometry")
    if isinstance(geometry, list):
        pts = [(g.get("lon"), g.get("lat")) for g in geometry if isinstance(g, dict)]
    elif isinstance(el.get("members"), list):
        for m in el["members"]:
            if isinstance(m, dict) and isinstance(m.get("geometry"), list):
                pts += [(g.get("lon"), g.get("lat")) for g in m["geometry"] if isinstance(g, dict)]
    elif isinstance(el.get("nodes"), list):
        pts = [nodes.get(ref) for ref in el["nodes"]]
    try:
        pts = [(float(x), float(y)) for x, y in (p for p in pts if p is not None)]
    except (TypeError, ValueError):
        return None
    return centroid(pts)


def feature_record(props: dict, ident: tuple[str, str] | None, n: int) -> dict:
    """An OSM GeoJSON feature already known to be a camera -> record (geometry read by the caller)."""
    tags = tags_of(props)
    rec = {"_line": n, "_profile": "osm", **tag_fields(tags)}
    if ident:
        rec["_id"] = f"osm-{ident[0]}-{ident[1]}"
    else:
        rec["id"] = props.get("id") if isinstance(props.get("id"), (str, int)) else ""
    return rec


def skipped_label(feature: dict, props: dict, ident) -> str:
    tags = tags_of(props)
    return _describe(ident[0], ident[1], tags) if ident else _describe("feature", feature.get("id") or "?", tags)

