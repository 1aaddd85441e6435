"""Spreadsheet exports: the .xlsx keeps Chinese, types and the formula guard in Excel and LibreOffice;
the "CSV for Excel" carries the byte order mark Excel needs."""
from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from loaders.datasets import load_all
from loaders.export import to_csv_bytes, to_xlsx_bytes

INJECTIONS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "=1+1", "'=already", "''-two"]


def _synthetic() -> pd.DataFrame:
    """Made-up rows for the export mechanics only (never shown as data)."""
    n = len(INJECTIONS)
    return pd.DataFrame({
        "text": INJECTIONS,
        "name_zh": ["中西區", "銳眼", "灣仔區", "觀塘", "深水埗", "油尖旺", "東區", "南區"][:n],
        "count": pd.array([15, None, -2, 0, 3, 4, 5, 60000], dtype="Int64"),
        "value": [15.0, 4.2, -0.5, None, 1e6, 2.0, 3.0, 4.06e9],
        "day": pd.to_datetime(["2024-07-01", None, "2025-12-31", "2024-01-01", None, None, None, None]),
        "flag": [True, False] * (n // 2),
        "ids": [("a-1", "b-2")] + [None] * (n - 1),
    })


def _sheet(data: bytes, name: str | None = None):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return wb[name] if name else wb.worksheets[0]


def test_xlsx_keeps_text_numbers_dates_and_booleans_typed():
    ws = _sheet(to_xlsx_bytes(_synthetic(), dataset="synthetic"))
    assert ws.title == "synthetic"
    header, first, second = ([c.value for c in row] for row in ws.iter_rows(max_row=3))
    assert header == ["text", "name_zh", "count", "value", "day", "flag", "ids"]
    assert first[1:] == ["中西區", 15, 15, dt.datetime(2024, 7, 1), True, "a-1;b-2"]
    assert second[1:] == ["銳眼", None, 4.2, None, False, None]
    assert ws["E2"].number_format == "yyyy-mm-dd" and ws.freeze_panes == "A2"


def test_xlsx_stores_formula_like_text_as_text_never_a_formula():
    ws = _sheet(to_xlsx_bytes(_synthetic()))
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == INJECTIONS  # exactly the data: no apostrophe added
    guarded = [c for c in cells if c.value.lstrip("'")[:1] in ("=", "+", "-", "@", "\t")]
    assert len(guarded) == len(INJECTIONS)
    assert all(c.data_type == "s" and c.quotePrefix for c in guarded)
    with zipfile.ZipFile(io.BytesIO(to_xlsx_bytes(_synthetic()))) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")  # no formula element anywhere


def test_xlsx_splits_partial_dates_like_the_csv():
    sources = load_all()["sources"]
    ws = _sheet(to_xlsx_bytes(sources, dataset="sources"))
    header = [c.value for c in ws[1]]
    at = header.index("published")
    assert header[at + 1] == "published_precision"
    precisions = {row[at + 1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert precisions <= {"day", "month", "year", "undated"} and "undated" in precisions


def test_xlsx_has_one_sheet_per_dataset_and_same_bytes_every_time():
    bundle = load_all()
    frames = {"figures": bundle["figures"], "districts": bundle["districts"]}
    data = to_xlsx_bytes(frames)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["figures", "districts"]
    assert wb["districts"].max_row == len(bundle["districts"]) + 1
    assert to_xlsx_bytes(frames) == data  # fixed dates inside the zip and in the document properties


def test_xlsx_replaces_characters_a_workbook_cannot_hold():
    ws = _sheet(to_xlsx_bytes(pd.DataFrame({"t": ["a\x00b\x07c", "line\nbreak"]})))
    assert [ws["A2"].value, ws["A3"].value] == ["a\ufffdb\ufffdc", "line\nbreak"]


def test_csv_for_excel_starts_with_the_utf8_byte_order_mark_excel_detects():
    df = pd.DataFrame({"id": ["td-1"], "name_zh": ["中西區"]})
    data = to_csv_bytes(df, bom=True)
    # Excel reads a CSV as UTF-8 only when these three bytes come first; nothing may precede them
    # (a "sep=," line would make Excel ignore the mark).
    assert data[:3] == b"\xef\xbb\xbf" and data[3:].startswith(b"id,name_zh\n")
    assert data.decode("utf-8-sig").splitlines()[1] == "td-1,中西區"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (make test installs libreoffice-calc-nogui as root)")
def test_libreoffice_opens_the_xlsx_with_chinese_intact_and_formulas_inert(tmp_path):
    src = tmp_path / "export.xlsx"
    src.write_bytes(to_xlsx_bytes(_synthetic(), dataset="cameras"))
    # Convert with LibreOffice's own reader, then write its view of the sheet as UTF-8 CSV
    # (filter options: comma, double quote, UTF-8; formulas export their computed value).
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path / "out"),
                    str(src)], check=True, capture_output=True, timeout=180)
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "export.csv").read_text(encoding="utf-8"), newline="")))
    assert [r[1] for r in rows[1:]] == _synthetic()["name_zh"].tolist()
    assert [r[0] for r in rows[1:]] == INJECTIONS  # "=1+1" stays text; a formula would show 2
    assert rows[1][2:5] == ["15", "15", "2024-07-01"]
