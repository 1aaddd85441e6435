"""CSV, JSON and GeoJSON exports: formula guard, BOM, ISO dates, lists, and reading them back."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from loaders.datasets import load_all
from loaders.export import (neutralise, read_csv_export, to_csv_bytes, to_district_geojson_bytes, to_geojson_bytes,
                            to_json_bytes, unneutralise)

INJECTIONS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=1", "'=already guarded", "''-two"]


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _synthetic() -> pd.DataFrame:
    """Made-up rows for the export mechanics only (never shown as data)."""
    return pd.DataFrame({
        "text": INJECTIONS,
        "number": [-5.0, -0.5, 3.0, -1e6, 0.0, 2.5, -7.25, 1.0, -3.0],
        "count": pd.array([-5, 1, None, -2, 0, 3, 4, 5, -6], dtype="Int64"),
    })


@pytest.mark.parametrize("cell", INJECTIONS)
def test_formula_like_text_is_neutralised(cell):
    out = neutralise(cell)
    assert out.startswith("'")
    assert unneutralise(out) == cell


@pytest.mark.parametrize("cell", ["plain", "", "2028", "銳眼", "'quoted but harmless", "a=b"])
def test_harmless_text_is_left_alone(cell):
    assert neutralise(cell) == cell
    assert unneutralise(cell) == cell


def _as_loaded(text: str) -> str:
    """Line breaks as the loaders read them (CR -> LF), which is how CSV exports write them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_csv_cells_are_neutralised_and_negative_numbers_intact():
    rows = _rows(to_csv_bytes(_synthetic()))
    assert len(rows) == len(INJECTIONS)  # a carriage return never splits a row
    assert [r["text"] for r in rows] == [_as_loaded(neutralise(c)) for c in INJECTIONS]
    assert all(r["text"].startswith("'") for r in rows)
    assert [float(r["number"]) for r in rows] == _synthetic()["number"].tolist()
    assert rows[0]["number"] == "-5" and rows[1]["number"] == "-0.5"  # whole numbers without ".0"
    assert rows[0]["count"] == "-5" and rows[2]["count"] == ""


def test_neutralised_csv_reads_back_to_the_original_text():
    rows = _rows(to_csv_bytes(_synthetic()))
    assert [unneutralise(r["text"]) for r in rows] == [_as_loaded(c) for c in INJECTIONS]


def test_json_and_geojson_keep_values_as_data():
    df = _synthetic()
    records = json.loads(to_json_bytes(df))
    assert [r["text"] for r in records] == INJECTIONS
    assert records[0]["number"] == -5.0 and records[2]["count"] is None
    pts = df.assign(latitude=22.3, longitude=114.1)
    fc = json.loads(to_geojson_bytes(pts))
    assert fc["features"][3]["properties"]["number"] == -1e6
    assert fc["features"][0]["geometry"]["coordinates"] == [114.1, 22.3]


def test_bom_variant_round_trips_chinese_text():
    df = pd.DataFrame({"name_zh": ["中西區", "銳眼", "-負數"], "n": [1, -2, 3]})
    data = to_csv_bytes(df, bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    assert not to_csv_bytes(df).startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["name_zh", "n"]
    assert back["name_zh"].map(unneutralise).tolist() == df["name_zh"].tolist()
    assert back["n"].tolist() == [1, -2, 3]


def test_dates_are_iso_and_lists_are_joined():
    df = pd.DataFrame({"d": pd.to_datetime(["2025-12-31", None]), "ids": [("a-1", "b-2"), None]})
    rows = _rows(to_csv_bytes(df))
    assert rows[0] == {"d": "2025-12-31", "ids": "a-1;b-2"}
    assert rows[1] == {"d": "", "ids": ""}


@pytest.mark.parametrize("bom", [False, True])
def test_every_exported_dataset_reads_back_as_the_loaders_frame(bom):
    bundle = load_all()
    for name, frame in bundle.frames.items():
        back = read_csv_export(to_csv_bytes(frame, bom=bom, dataset=name), name)
        pd.testing.assert_frame_equal(back.reset_index(drop=True), frame.reset_index(drop=True), obj=name)


def test_district_geojson_joins_rows_to_their_boundaries():
    bundle = load_all()
    rows = pd.DataFrame({"code": ["B", "A", "ZZ"], "label": ["=x", "y", "z"]})
    fc = json.loads(to_district_geojson_bytes(rows, bundle.geo))
    assert [f["properties"]["code"] for f in fc["features"]] == ["B", "A"]  # no shape for ZZ: left out
    assert fc["features"][0]["properties"]["label"] == "=x"
    assert fc["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
