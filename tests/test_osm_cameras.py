"""Cameras mapped on OpenStreetMap join the known cameras once `loaders refresh` has written cameras_osm.csv."""
from __future__ import annotations

from loaders.datasets import OSM_FILE, load_all
from loaders.export import to_csv_bytes

ROW = {"id": "osm-node-1", "latitude": 22.3193, "longitude": 114.1694, "district_code": "E", "district_as_published": None,
       "operator": "other", "programme": "osm", "kind": "surveillance", "surveillance_type": "camera", "camera_type": "dome",
       "description_en": "Camera on Nathan Road", "description_zh": None, "precision": "exact", "first_seen": None,
       "first_seen_precision": None, "source": "hkfp-2025-07-22"}


def _write(root, rows) -> None:
    import pandas as pd

    (root / OSM_FILE).write_bytes(to_csv_bytes(pd.DataFrame(rows)))


def test_no_osm_file_means_no_osm_cameras(shipped):
    assert not (shipped.root / OSM_FILE).exists()
    assert not shipped["cameras"]["programme"].eq("osm").any()


def test_osm_cameras_are_loaded_with_the_known_cameras(data_copy):
    _write(data_copy, [ROW])
    bundle = load_all(data_copy)
    assert bundle.problems == []
    osm = bundle["cameras"][bundle["cameras"]["programme"] == "osm"]
    assert list(osm["id"]) == ["osm-node-1"] and osm.iloc[0]["camera_type"] == "dome"


def test_a_bad_osm_row_is_named_and_the_good_ones_kept(data_copy):
    _write(data_copy, [ROW, {**ROW, "id": "osm-node-2", "latitude": 99.0}])
    bundle = load_all(data_copy)
    assert [p.file for p in bundle.problems] == [OSM_FILE]
    assert bundle.problems[0].line == 3 and bundle.problems[0].field == "latitude"
    assert list(bundle["cameras"].loc[bundle["cameras"]["programme"] == "osm", "id"]) == ["osm-node-1"]
