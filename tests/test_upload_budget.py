"""Uploads bounded by cost: a list longer than the map draws one by one keeps only points and
districts (read a chunk at a time), problems are counted whole but listed up to a cap, and
clearing the upload lets its rows go. Memory and time are measured in `make bench`, not here."""
from __future__ import annotations

import gc
import weakref

import pytest

from benchmarks.synthetic import UPLOAD_DESCRIPTION, synthetic_upload_csv
from loaders.importers.cameras import import_cameras, read_records, table
from metrics import map_upload
from tests.apptest import all_text, run_page
from ui.i18n import t

ROWS = map_upload.DETAIL_ROWS + 500  # just past the point where only positions are kept


@pytest.fixture(scope="module")
def long_csv() -> bytes:
    return synthetic_upload_csv(ROWS)


def test_a_list_longer_than_the_map_draws_one_by_one_keeps_only_points_and_districts(long_csv):
    up = map_upload.read_upload(long_csv, "long.csv")
    assert up.positions_only and up.ok
    assert list(up.frame.columns) == list(map_upload.POSITION_COLUMNS)
    assert len(up.frame) == ROWS and up.problem_count == 0
    assert UPLOAD_DESCRIPTION not in up.frame.to_csv()  # the rows' text was not kept


def test_the_positions_are_the_ones_the_full_import_finds(long_csv):
    up = map_upload.read_upload(long_csv, "long.csv")
    full, _ = import_cameras(long_csv, "long.csv", source_id=map_upload.SOURCE_ID, require_point=True, keep_row_sources=False)
    got = sorted(zip(up.frame["latitude"], up.frame["longitude"], up.frame["district_code"].astype(str)))
    assert got == sorted(zip(full["latitude"], full["longitude"], full["district_code"]))


def test_a_long_list_names_its_bad_rows_by_line_and_field():
    data = synthetic_upload_csv(ROWS) + b"bad-1,99,114.1,x,,\nbad-2,22.3,abc,y,,\n"
    up = map_upload.read_upload(data, "mixed.csv")
    assert up.positions_only and len(up.frame) == ROWS
    assert {(p.line, p.field) for p in up.problems} == {(ROWS + 2, "latitude"), (ROWS + 3, "longitude")}


def test_problems_are_counted_whole_and_listed_up_to_the_cap():
    outside = b"latitude,longitude\n" + b"1.0,1.0\n" * (map_upload.MAX_LISTED + 4_000) + b"22.30,114.17\n"
    up = map_upload.read_upload(outside, "outside.csv")
    assert up.problem_count == 2 * (map_upload.MAX_LISTED + 4_000)  # latitude and longitude, each row
    assert len(up.problems) == map_upload.MAX_LISTED
    assert up.problems[0].line == 2


def test_a_long_list_with_few_usable_rows_is_read_in_full():
    rows = b"".join(b"1.0,1.0,lost\n" for _ in range(map_upload.DETAIL_ROWS)) + b"22.30,114.17,Mall entrance\n"
    up = map_upload.read_upload(b"latitude,longitude,description\n" + rows, "mostly-bad.csv")
    assert not up.positions_only and len(up.frame) == 1
    assert up.frame["description_en"].iloc[0] == "Mall entrance"
    assert up.problem_count == 2 * map_upload.DETAIL_ROWS and len(up.problems) == map_upload.MAX_LISTED


def test_the_row_limit_is_checked_before_any_row_is_read():
    up = map_upload.read_upload(synthetic_upload_csv(30), "many.csv", max_rows=20)
    assert [str(p) for p in up.problems] == ["many.csv: file: 30 rows; the limit is 20"]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_csv_records_are_read_lazily_with_any_line_ending(ending):
    text = ending.join(["latitude,longitude,description", '22.28,114.15,"two', 'lines"', "22.30,114.17,plain", ""])
    _, records, _, _ = read_records(text.encode(), "endings.csv")
    assert isinstance(records, table.TableRecords) and len(records) == 2
    got = list(records)
    assert [r["description"] for r in got] == [f"two{ending}lines", "plain"]
    assert [r["_line"] for r in got] == [2, 4]
    assert list(records) == got  # read again, the same


def test_clearing_the_upload_lets_its_rows_go(long_csv):
    at = run_page("map", "en")
    at.file_uploader(key="m_upload").set_value(("long.csv", long_csv, "text/csv")).run()
    assert not at.exception
    assert t("serve.upload_positions_only", "en", limit=f"{map_upload.DETAIL_ROWS:,}") in all_text(at).replace("\\", "")
    frame = weakref.ref(at.session_state["m_upload_result"][1].frame)
    at.file_uploader(key="m_upload").set_value(None).run()
    assert not at.exception
    assert "m_upload_result" not in at.session_state
    gc.collect()
    assert frame() is None, "something still holds the cleared upload's rows"
