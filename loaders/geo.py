"""Geometry for the district map: simplify HAD boundaries, find a point's district.

Simplification and marker placement are plain Python (shared borders must be simplified the
same way for both districts, which general-purpose simplifiers do not promise); finding a
point's district uses shapely. No Streamlit here.
Coordinates are GeoJSON order: (longitude, latitude), WGS84 degrees.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Sequence

from loaders.district_names import DISTRICTS, district_code, name_en, name_zh
from loaders.problems import DataError, Problem

Point = tuple[float, float]
Ring = list[Point]

# HAD's property names in hksar_18_district_boundary.json.
_HAD_CODE, _HAD_EN, _HAD_ZH = "地區號碼", "District", "地區"


def load_districts_geojson(path: str | Path) -> dict:
    """Read a GeoJSON FeatureCollection; raise DataError if it is not one."""
    path = Path(path)
    try:
        fc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError([Problem(path.name, None, "file", f"cannot read GeoJSON: {exc}")]) from exc
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection" or not isinstance(fc.get("features"), list):
        raise DataError([Problem(path.name, None, "type", "expected a GeoJSON FeatureCollection")])
    return fc


# ---------------------------------------------------------------- basic ring maths

def ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Signed shoelace area in square degrees (positive = counter-clockwise)."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        s += x0 * y1 - x1 * y0
    if ring and tuple(ring[0]) != tuple(ring[-1]):
        (x0, y0), (x1, y1) = ring[-1], ring[0]
        s += x0 * y1 - x1 * y0
    return s / 2.0


def geometry_area(geometry: dict) -> float:
    """Unsigned area of a Polygon/MultiPolygon in square degrees (holes subtracted)."""
    total = 0.0
    for poly in _polygons(geometry):
        total += abs(ring_area(poly[0])) - sum(abs(ring_area(h)) for h in poly[1:])
    return total


def _polygons(geometry: dict) -> list[list[list]]:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected Polygon or MultiPolygon, got {kind!r}")


# ---------------------------------------------------------------- Douglas-Peucker

def _dp(points: Sequence[Point], tol: float, kx: float) -> list[Point]:
    """Douglas-Peucker on an open chain; endpoints always kept. kx scales longitude so the
    tolerance means the same ground distance east-west as north-south."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tol * tol
    while stack:  # iterative: rings have thousands of points, recursion would be deep
        i, j = stack.pop()
        ax, ay = points[i][0] * kx, points[i][1]
        bx, by = points[j][0] * kx, points[j][1]
        dx, dy = bx - ax, by - ay
        seg2 = dx * dx + dy * dy
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k][0] * kx - ax, points[k][1] - ay
            if seg2 == 0.0:
                d2 = px * px + py * py
            else:
                t = max(0.0, min(1.0, (px * dx + py * dy) / seg2))
                ex, ey = px - t * dx, py - t * dy
                d2 = ex * ex + ey * ey
            if d2 > best:
                best, best_k = d2, k
        if best > tol2:
            keep[best_k] = True
            stack.append((i, best_k))
            stack.append((best_k, j))
    return [p for p, k in zip(points, keep) if k]


def _dp_canonical(chain: list[Point], tol: float, kx: float) -> list[Point]:
    """DP that gives the same vertices whichever way the chain is walked, so a border
    shared by two districts is simplified identically for both (no slivers, no gaps)."""
    rev = chain[::-1]
    if rev < chain:
        return _dp(rev, tol, kx)[::-1]
    return _dp(chain, tol, kx)


def _dp_closed(ring: list[Point], tol: float, kx: float) -> list[Point]:
    """DP on a closed ring (first == last): split at the vertex farthest from the start."""
    start = ring[0]
    far = max(range(len(ring)), key=lambda k: ((ring[k][0] - start[0]) * kx) ** 2 + (ring[k][1] - start[1]) ** 2)
    a = _dp_canonical(ring[: far + 1], tol, kx)
    b = _dp_canonical(ring[far:], tol, kx)
    return a + b[1:]


def _clean_ring(ring: Iterable[Sequence[float]], precision: int | None) -> Ring:
    """Tuples, optional rounding, no consecutive duplicates, closed."""
    out: Ring = []
    for p in ring:
        q = (round(float(p[0]), precision), round(float(p[1]), precision)) if precision is not None else (float(p[0]), float(p[1]))
        if not out or out[-1] != q:
            out.append(q)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _simplify_ring(ring: Ring, fixed: list[bool], tol: float, kx: float) -> Ring:
    """Simplify one closed ring, keeping every `fixed` vertex (junctions between districts)."""
    body = ring[:-1]
    idx = [i for i, f in enumerate(fixed) if f]
    if not idx:
        return _dp_closed(ring, tol, kx)
    # Rotate so the ring starts at a fixed vertex, then simplify chain by chain.
    r = idx[0]
    body = body[r:] + body[:r]
    idx = [i - r for i in idx] + [len(body)]
    loop = body + [body[0]]
    out: Ring = [loop[0]]
    for a, b in zip(idx, idx[1:]):
        chain = loop[a : b + 1]
        if chain[0] == chain[-1] and len(chain) > 3:
            out.extend(_dp_closed(chain, tol, kx)[1:])
        else:
            out.extend(_dp_canonical(chain, tol, kx)[1:])
    return out


def _simplify_ring_min(ring: Ring, users: dict, tolerance: float) -> Ring:
    """Simplify a closed ring keeping junction vertices; never fewer than 4 points."""
    body = ring[:-1]
    m = [frozenset(users[p]) for p in body]
    n = len(body)
    # Junction: the set of districts using this vertex differs from a neighbour's.
    fixed = [m[i] != m[i - 1] or m[i] != m[(i + 1) % n] or len(m[i]) > 2 for i in range(n)]
    kx = math.cos(math.radians(sum(p[1] for p in body) / n))
    tol = tolerance
    simple = _simplify_ring(ring, fixed, tol, kx)
    while len(set(simple)) < 3 and tol > 1e-9:  # too few points: retry finer
        tol /= 4
        simple = _simplify_ring(ring, fixed, tol, kx)
    return simple if len(set(simple)) >= 3 else ring


def simplify_feature_collection(fc: dict, tolerance_deg: float, precision: int = 5, min_ring_area: float = 0.0) -> dict:
    """Simplify HAD district boundaries for display; output properties code/name_en/name_zh.

    Topology-aware Douglas-Peucker: vertices where the set of districts sharing a point
    changes are kept, and each shared border is simplified the same way for both sides.
    `tolerance_deg` is in degrees of latitude (~111 km). Rings stay closed with at least
    4 points; rings smaller than `min_ring_area` (square degrees) are dropped, except a
    polygon's outer ring (0 = keep everything). Output is deterministic and sorted by code.
    """
    problems: list[Problem] = []
    items: list[tuple[str, list[list[Ring]]]] = []
    for n, feat in enumerate(fc.get("features", []), start=1):
        props = feat.get("properties") or {}
        code = None
        for key in ("code", _HAD_CODE, _HAD_EN, _HAD_ZH, "name_en", "name_zh"):
            code = district_code(str(props[key])) if props.get(key) else None
            if code:
                break
        geom = feat.get("geometry") or {}
        if not code:
            problems.append(Problem("geojson", n, "code", f"feature {n}: no known district code or name in {sorted(props)}"))
            continue
        try:
            polys = [[_clean_ring(r, precision) for r in poly] for poly in _polygons(geom)]
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            problems.append(Problem("geojson", n, "geometry", f"district {code}: {exc}"))
            continue
        items.append((code, polys))
    if problems:
        raise DataError(problems)

    # Which districts use each vertex: a vertex is a junction where that set changes.
    users: dict[Point, set[str]] = defaultdict(set)
    for code, polys in items:
        for poly in polys:
            for ring in poly:
                for p in ring:
                    users[p].add(code)

    features = []
    for code, polys in sorted(items, key=lambda it: it[0]):
        largest = max(range(len(polys)), key=lambda i: abs(ring_area(polys[i][0])) if polys[i] else 0.0, default=0)
        out_polys = []
        for pi, poly in enumerate(polys):
            out_rings = []
            for k, ring in enumerate(poly):
                if len(set(ring)) < 3:  # degenerate input ring
                    if k == 0:
                        break
                    continue
                simple = _simplify_ring_min(ring, users, tolerance_deg)
                if min_ring_area and abs(ring_area(simple)) < min_ring_area:
                    if k > 0:  # a tiny hole
                        continue
                    if pi != largest:  # a tiny island: drop the whole polygon (never the main one)
                        break
                out_rings.append([[x, y] for x, y in simple])
            if out_rings:
                out_polys.append(out_rings)
        if not out_polys:
            raise DataError([Problem("geojson", None, "geometry", f"district {code}: nothing left after simplification")])
        geometry = {"type": "Polygon", "coordinates": out_polys[0]} if len(out_polys) == 1 else {"type": "MultiPolygon", "coordinates": out_polys}
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name_en": name_en(code), "name_zh": name_zh(code)},
            "geometry": geometry,
        })
    return {"type": "FeatureCollection", "features": features}


def count_vertices(fc: dict) -> int:
    """Number of coordinate pairs in a FeatureCollection (closing points included)."""
    return sum(len(r) for f in fc["features"] for poly in _polygons(f["geometry"]) for r in poly)


# ---------------------------------------------------------------- point in polygon

def _in_ring(x: float, y: float, ring: Sequence[Sequence[float]]) -> bool:
    inside = False
    x0, y0 = ring[-1][0], ring[-1][1]
    for p in ring:
        x1, y1 = p[0], p[1]
        if (y1 > y) != (y0 > y) and x < (x0 - x1) * (y - y1) / (y0 - y1) + x1:
            inside = not inside
        x0, y0 = x1, y1
    return inside


def point_in_polygon(lon: float, lat: float, geometry: dict) -> bool:
    """Ray casting (even-odd) for a GeoJSON Polygon or MultiPolygon; holes are respected."""
    for poly in _polygons(geometry):
        if poly and _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


# Where a camera may sit relative to its district's boundary. The display boundaries are
# simplified (Douglas-Peucker, SIMPLIFY_TOLERANCE_DEG of latitude, longitude scaled to the same
# ground distance) and rounded to 5 decimals, so a border can move by up to about 12 m: a point
# closer than that to its district counts as inside it.
SIMPLIFY_TOLERANCE_DEG = 0.0001
_M_PER_DEG_LAT = 110_574.0  # at Hong Kong's latitude (WGS84)
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(22.35))
BOUNDARY_TOLERANCE_M = round((SIMPLIFY_TOLERANCE_DEG + 0.00001) * _M_PER_DEG_LAT)


class DistrictIndex:
    """Which district a point is in (shapely point-in-polygon), from a FeatureCollection with
    `code` properties (or HAD's 地區號碼). Points in no district give None; a point on a
    border shared by two districts goes to the first code in A-T order."""

    def __init__(self, fc: dict):
        import shapely
        from shapely.geometry import shape

        parts: dict[str, list] = defaultdict(list)
        for feat in fc.get("features", []):
            props = feat.get("properties") or {}
            code = props.get("code") or district_code(str(props.get(_HAD_CODE) or props.get(_HAD_EN) or ""))
            if code and isinstance(feat.get("geometry"), dict):
                parts[code].append(shape(feat["geometry"]))
        self.codes = sorted(parts)
        self._geoms = [shapely.union_all(parts[c]) if len(parts[c]) > 1 else parts[c][0] for c in self.codes]
        for g in self._geoms:
            shapely.prepare(g)
        self._bounds = [g.bounds for g in self._geoms]  # a cheap test before the exact one
        # The same shapes in metres (a local plane), for distances in messages and tolerances.
        self._metric = [shapely.transform(g, lambda xy: xy * (_M_PER_DEG_LON, _M_PER_DEG_LAT)) for g in self._geoms]
        self._shapely = shapely

    @classmethod
    def from_path(cls, path: str | Path) -> "DistrictIndex":
        return cls(load_districts_geojson(path))

    @staticmethod
    def _xy(lon, lat) -> tuple[float, float] | None:
        try:
            x, y = float(lon), float(lat)
        except (TypeError, ValueError):
            return None
        return None if math.isnan(x) or math.isnan(y) else (x, y)

    def code_for(self, lon: float, lat: float) -> str | None:
        """District code of the point, or None if it is in no district (or not a number)."""
        xy = self._xy(lon, lat)
        if xy is None:
            return None
        x, y = xy
        for code, geom, (x0, y0, x1, y1) in zip(self.codes, self._geoms, self._bounds):
            if x0 <= x <= x1 and y0 <= y <= y1 and self._shapely.intersects_xy(geom, x, y):
                return code
        return None

    def codes_for(self, lons: Iterable[float], lats: Iterable[float]) -> list[str | None]:
        """code_for over two sequences (lists, Series, arrays) of equal length, vectorised."""
        import numpy as np

        xs = np.asarray(list(lons), dtype=float)
        ys = np.asarray(list(lats), dtype=float)
        out: list[str | None] = [None] * len(xs)
        todo = np.ones(len(xs), dtype=bool) & ~np.isnan(xs) & ~np.isnan(ys)
        for code, geom in zip(self.codes, self._geoms):
            if not todo.any():
                break
            idx = np.flatnonzero(todo)
            hit = idx[self._shapely.intersects_xy(geom, xs[idx], ys[idx])]
            for i in hit:
                out[i] = code
            todo[hit] = False
        return out

    def distance_m(self, code: str, lon: float, lat: float) -> float | None:
        """Metres from the point to district `code` (0 inside it); None for an unknown code."""
        xy = self._xy(lon, lat)
        if xy is None or code not in self.codes:
            return None
        pt = self._shapely.Point(xy[0] * _M_PER_DEG_LON, xy[1] * _M_PER_DEG_LAT)
        return float(self._metric[self.codes.index(code)].distance(pt))

    def fits(self, code: str, lon: float, lat: float, tolerance_m: float = BOUNDARY_TOLERANCE_M) -> bool:
        """The point is in district `code`, or within the boundary tolerance of it."""
        d = self.distance_m(code, lon, lat)
        return d is not None and d <= tolerance_m

    def nearest(self, lon: float, lat: float, tolerance_m: float = BOUNDARY_TOLERANCE_M) -> str | None:
        """The district containing the point, else the nearest one within the tolerance, else None."""
        code = self.code_for(lon, lat)
        if code is not None:
            return code
        near = [(d, c) for c in self.codes if (d := self.distance_m(c, lon, lat)) is not None and d <= tolerance_m]
        return min(near)[1] if near else None


# ---------------------------------------------------------------- marker placement

def _scanline_point(rings: list[list], y: float) -> tuple[float, Point] | None:
    """Widest inside interval along latitude y: (width, midpoint) or None."""
    xs = []
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1]):
            if (a[1] > y) != (b[1] > y):
                xs.append(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]))
    xs.sort()
    best = None
    for x0, x1 in zip(xs[0::2], xs[1::2]):  # even-odd: intervals 0-1, 2-3, ... are inside
        if best is None or x1 - x0 > best[0]:
            best = (x1 - x0, ((x0 + x1) / 2, y))
    return best


def representative_point(geometry: dict) -> Point:
    """A point guaranteed inside the (largest) polygon: the outer ring's centroid when that
    is inside, else the middle of the widest horizontal run through the polygon."""
    polys = _polygons(geometry)
    poly = max(polys, key=lambda p: abs(ring_area(p[0])) - sum(abs(ring_area(h)) for h in p[1:]))
    rings = [[(float(p[0]), float(p[1])) for p in r] for r in poly]
    outer = rings[0]
    a = ring_area(outer)
    if a:
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(outer, outer[1:] + outer[:1]):
            c = x0 * y1 - x1 * y0
            cx += (x0 + x1) * c
            cy += (y0 + y1) * c
        cx, cy = round(cx / (6 * a), 6), round(cy / (6 * a), 6)
        if point_in_polygon(cx, cy, {"type": "Polygon", "coordinates": rings}):
            return (cx, cy)
    ys = [p[1] for p in outer]
    lo, hi = min(ys), max(ys)
    best = None
    # Several scanlines at odd fractions (never exactly on a vertex of a rounded grid).
    for frac in (0.5, 0.37, 0.63, 0.25, 0.75, 0.13, 0.87):
        y = lo + (hi - lo) * frac + 1.234e-7
        cand = _scanline_point(rings, y)
        if cand and (best is None or cand[0] > best[0]):
            best = cand
    if best is None:
        return (outer[0][0], outer[0][1])
    x, y = best[1]
    rx, ry = round(x, 6), round(y, 6)
    if point_in_polygon(rx, ry, {"type": "Polygon", "coordinates": rings}):
        return (rx, ry)
    return (x, y)


# ---------------------------------------------------------------- build step

def dumps_geojson(fc: dict) -> str:
    """Compact, sorted, UTF-8-friendly JSON with a trailing newline (stable bytes)."""
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def build_geo(src_path: str | Path, out_path: str | Path, tolerance: float = SIMPLIFY_TOLERANCE_DEG, max_area_change: float = 0.05) -> dict:
    """Simplify the HAD file and write data/geo/districts.geojson; return size statistics.

    Refuses (DataError) when any district's area moves by more than `max_area_change`,
    so a too-coarse tolerance cannot silently distort the map.
    """
    src = load_districts_geojson(src_path)
    out = simplify_feature_collection(src, tolerance)
    before = {}
    for feat in src["features"]:
        props = feat.get("properties") or {}
        code = district_code(str(props.get(_HAD_CODE) or props.get("code") or props.get(_HAD_EN) or ""))
        before[code] = before.get(code, 0.0) + geometry_area(feat["geometry"])
    changes = {}
    problems = []
    for feat in out["features"]:
        code = feat["properties"]["code"]
        change = geometry_area(feat["geometry"]) / before[code] - 1.0
        changes[code] = change
        if abs(change) > max_area_change:
            problems.append(Problem(Path(out_path).name, None, "geometry",
                                    f"district {code}: area changed by {change:+.1%} (limit ±{max_area_change:.0%}); lower the tolerance"))
    if set(before) != set(DISTRICTS):
        problems.append(Problem(Path(src_path).name, None, "code", f"expected districts {''.join(DISTRICTS)}, got {''.join(sorted(c or '?' for c in before))}"))
    if problems:
        raise DataError(problems)
    text = dumps_geojson(out)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(out_path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(out_path)
    return {
        "bytes": len(text.encode("utf-8")),
        "vertices_before": count_vertices(src),
        "vertices_after": count_vertices(out),
        "tolerance": tolerance,
        "max_area_change": max(changes.values(), key=abs),
        "area_change": changes,
    }
