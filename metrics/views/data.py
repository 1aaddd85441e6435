"""The data page's view model: the data version a reader cites, and the catalogue of every dataset."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders import catalogue, citation


@dataclass
class DataView:
    version: citation.DataVersion
    infos: dict[str, catalogue.DatasetInfo]
    geo: dict
    summary: pd.DataFrame


def data_view(bundle) -> DataView:
    infos = catalogue.describe_all(bundle)
    geo = catalogue.geo_info(bundle)
    return DataView(citation.data_version(bundle.root, bundle.frames.get("figures")), {i.name: i for i in infos}, geo,
                    catalogue.summary_table(infos, geo))
