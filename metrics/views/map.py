"""The map page's view model: known cameras prepared for filtering, once per data version."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.geo import DistrictIndex
from metrics.map_stats import prepare_cameras

# What the district panel's table and downloads show of each camera, in this order.
TABLE_COLUMNS = ["id", "description_en", "description_zh", "operator", "programme", "kind", "precision",
                 "district_code", "latitude", "longitude", "first_seen", "source"]


@dataclass
class MapView:
    cameras: pd.DataFrame  # every known camera with colour class, first-seen precision, source label
    districts: pd.DataFrame
    geo: dict | None
    sites: pd.DataFrame  # named SmartView sites, with their quotes
    index: DistrictIndex | None  # point -> district for uploads (read-only)


def map_view(bundle) -> MapView:
    return MapView(prepare_cameras(bundle["cameras"], bundle["sources"]), bundle["districts"],
                   bundle.geo, bundle["smartview_sites"], DistrictIndex(bundle.geo) if bundle.geo else None)
