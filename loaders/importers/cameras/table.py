"""CSV/TSV camera lists -> records: headers in English or Chinese, aliases, units in brackets.

'Latitude (WGS84)', '緯度', 'lat' all name the latitude; 編號 描述 地區 營運者 首次發現 are
id, description, district, operator, first seen. A column the importer does not use is
reported once (a notice at line 1), never dropped without a word. Cells that the app's own
CSV export guarded against spreadsheet formulas get their guard removed again.
"""
from __future__ import annotations

import csv
import io

from loaders.export import unneutralise
from loaders.importers.cameras.notices import DataError, Notice, Problem
from loaders.importers.cameras.sniff import split_header
from loaders.importers.cameras.values import clean_text, field_for, fold_key


def read_rows(text: str, name: str) -> tuple[list[str], list[dict]]:
    """Rows keyed by folded header names, each with its first physical line number."""
    delim, _ = split_header(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    rows: list[dict] = []
    prev = 0
    try:
        for fields in reader:
            line, prev = prev + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                header = [clean_text(f).lstrip("\ufeff") for f in fields]
                keys = [fold_key(h) for h in header]
                continue
            row = {"_line": line}
            for k, v in zip(keys, fields):
                if k and k not in row:  # first of duplicate column names wins
                    row[k] = v
            rows.append(row)
    except csv.Error as exc:
        raise DataError([Problem(name, reader.line_num, "file", f"cannot read CSV: {exc}")]) from None
    return header or [], rows


def records(text: str, name: str) -> tuple[list[str], list[dict], list[Problem]]:
    """(importer fields found, records, notices about unused columns)."""
    header, rows = read_rows(text, name)
    used: dict[str, str] = {}  # folded column -> field
    notes: list[Problem] = []
    taken: dict[str, str] = {}  # field -> the column that fills it
    for col in header:
        key = fold_key(col)
        field = field_for(col)
        if not key:
            continue
        if field is None:
            notes.append(Notice(name, 1, col, "column not used by the importer; its values are ignored"))
        elif field in taken:
            notes.append(Notice(name, 1, col, f"column ignored: {taken[field]!r} already gives {field}"))
        else:
            taken[field] = col
            used[key] = field
    out = []
    for row in rows:
        rec = {"_line": row["_line"]}
        for key, field in used.items():
            if key in row:
                rec[field] = unneutralise(row[key])
        out.append(rec)
    return list(taken), out, notes
