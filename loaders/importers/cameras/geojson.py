"""GeoJSON -> records: OpenStreetMap exports (see osm.py), the app's own GeoJSON export, and
anyone's points. Properties are matched by the same names as CSV columns; a property the
importer does not use is reported once.
"""
from __future__ import annotations

from loaders.importers.cameras import osm
from loaders.importers.cameras.notices import DataError, Notice, Problem
from loaders.importers.cameras.values import field_for, fold_key, show


def _point(geom, n: int, name: str, centroid_ok: bool) -> tuple[tuple | None, str | None, Problem | None]:
    """((lon, lat) or None, precision or None, problem). None geometry / null coordinates mean
    'no point' (a row known only to its district); other shapes only for OSM (their centroid)."""
    if geom is None:
        return None, None, None
    if not isinstance(geom, dict):
        return None, None, Problem(name, n, "geometry", f"feature {n}: expected a geometry object, got {show(geom)}")
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Point":
        if isinstance(coords, list) and len(coords) >= 2:
            if coords[0] is None and coords[1] is None:
                return None, None, None
            return (coords[0], coords[1]), None, None
        return None, None, Problem(name, n, "geometry", f"feature {n}: a Point needs [longitude, latitude]")
    if centroid_ok and kind in ("LineString", "Polygon", "MultiPolygon", "MultiLineString", "MultiPoint"):
        from shapely.geometry import shape

        try:
            c = shape(geom).centroid
        except (ValueError, TypeError, AttributeError, IndexError) as exc:
            return None, None, Problem(name, n, "geometry", f"feature {n}: unreadable {kind} ({exc})")
        if c.is_empty:
            return None, None, Problem(name, n, "geometry", f"feature {n}: empty {kind}")
        return (c.x, c.y), "street", None  # the centre of a way or area, not the camera itself
    return None, None, Problem(name, n, "geometry", f"feature {n}: expected a Point, got {show(kind)}")


def records(obj: dict, name: str, problems: list[Problem]) -> list[dict]:
    feats = obj.get("features") if obj.get("type") == "FeatureCollection" else [obj]
    if not isinstance(feats, list):
        raise DataError([Problem(name, None, "features", "expected a list of features")])
    out, skipped, ignored = [], [], {}
    for n, feat in enumerate(feats, start=1):
        if not isinstance(feat, dict):
            problems.append(Problem(name, n, "feature", f"feature {n}: expected an object"))
            continue
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        ident = osm.identity(feat, props)
        tags = osm.tags_of(props)
        is_osm = ident is not None or "man_made" in tags
        if is_osm and not osm.is_camera(tags):
            skipped.append(osm.skipped_label(feat, props, ident))
            continue
        pos, precision, problem = _point(feat.get("geometry"), n, name, centroid_ok=is_osm)
        if problem:
            problems.append(problem)
            continue
        if is_osm:
            rec = osm.feature_record(props, ident, n)
            rec["precision"] = precision or "exact"
        else:
            rec = {"_line": n}
            for key, value in props.items():
                field = field_for(key)
                if field is None or field in ("latitude", "longitude"):
                    ignored.setdefault(key, n)
                elif field not in rec and not isinstance(value, (dict, list)):
                    rec[field] = value
            if feat.get("id") is not None and "id" not in rec:
                rec["id"] = feat["id"]
        if pos is not None:
            rec["longitude"], rec["latitude"] = pos
        out.append(rec)
    problems.extend(osm.skipped_notice(name, skipped))
    for key, n in ignored.items():
        if fold_key(key):
            problems.append(Notice(name, n, str(key), "property not used by the importer; its values are ignored"))
    return out
