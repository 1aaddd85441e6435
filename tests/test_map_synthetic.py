"""benchmarks/synthetic.py: generated cameras are labelled synthetic, inside districts, deterministic."""
from __future__ import annotations

import hashlib

from benchmarks.synthetic import DESCRIPTION, SOURCE_ID, make_data_dir
from loaders.datasets import REPO_DATA_DIR, load_all
from loaders.geo import DistrictIndex


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_synthetic_cameras_are_labelled_and_load_cleanly(tmp_path):
    before = _digest(REPO_DATA_DIR / "cameras_td.csv")
    dest = make_data_dir(tmp_path / "d", 500, seed=3)
    bundle = load_all(dest)
    assert not bundle.problems_in("cameras_td.csv", "sources.yaml")
    td = bundle["cameras"][bundle["cameras"]["id"].str.startswith("synthetic-")]
    assert len(td) == 500
    assert td["description_en"].str.startswith(DESCRIPTION).all()
    assert set(td["source"]) == {SOURCE_ID}
    source = bundle["sources"].set_index("id").loc[SOURCE_ID]
    assert "SYNTHETIC" in source["title"]
    assert _digest(REPO_DATA_DIR / "cameras_td.csv") == before  # the real data is only read


def test_synthetic_points_fall_inside_their_districts(tmp_path):
    dest = make_data_dir(tmp_path / "d", 300, seed=5)
    bundle = load_all(dest)
    index = DistrictIndex(bundle.geo)
    td = bundle["cameras"][bundle["cameras"]["id"].str.startswith("synthetic-")]
    assert [index.code_for(x, y) for x, y in zip(td["longitude"], td["latitude"])] == list(td["district_code"])
    assert set(td["programme"]) >= {"td_traffic_snapshot", "smartview"}  # several colour classes


def test_same_seed_same_bytes_other_seed_other_points(tmp_path):
    a = make_data_dir(tmp_path / "a", 200, seed=7)
    b = make_data_dir(tmp_path / "b", 200, seed=7)
    c = make_data_dir(tmp_path / "c", 200, seed=8)
    assert _digest(a / "cameras_td.csv") == _digest(b / "cameras_td.csv")
    assert _digest(a / "cameras_td.csv") != _digest(c / "cameras_td.csv")
    assert _digest(a / "sources.yaml") == _digest(b / "sources.yaml")
