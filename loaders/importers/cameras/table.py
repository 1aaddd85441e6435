"""CSV/TSV camera lists -> records: headers in English or Chinese, aliases, units in brackets.

'Latitude (WGS84)', '緯度', 'lat' all name the latitude; 編號 描述 地區 營運者 首次發現 are
id, description, district, operator, first seen. A column the importer does not use is
reported once (a notice at line 1), never dropped without a word. Cells that the app's own
CSV export guarded against spreadsheet formulas get their guard removed again.
"""
from __future__ import annotations

import csv
import re

from loaders.export import unneutralise
from loaders.importers.cameras.notices import DataError, Notice, Problem
from loaders.importers.cameras.sniff import split_header
from loaders.importers.cameras.values import clean_text, field_for, fold_key


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):
    """The text's lines with their endings, one at a time. (io.StringIO would copy the whole text
    at four bytes a character: 64 MB for a 16 MB upload.) The csv reader joins the lines of a
    quoted value itself."""
    for m in _LINE.finditer(text):
        yield m.group()


def _iter_rows(text: str, name: str):
    """(header, then each row keyed by folded header names with its first physical line number)."""
    delim, _ = split_header(text)
    reader = csv.reader(_lines(text), delimiter=delim)
    keys: list[str] | None = None
    prev = 0
    try:
        for fields in reader:
            line, prev = prev + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if keys is None:
                header = [clean_text(f).lstrip("\ufeff") for f in fields]
                keys = [fold_key(h) for h in header]
                yield header
                continue
            row = {"_line": line}
            for k, v in zip(keys, fields):
                if k and k not in row:  # first of duplicate column names wins
                    row[k] = v
            yield row
    except csv.Error as exc:
        raise DataError([Problem(name, reader.line_num, "file", f"cannot read CSV: {exc}")]) from None


def read_rows(text: str, name: str) -> tuple[list[str], list[dict]]:
    """Rows keyed by folded header names, each with its first physical line number."""
    it = _iter_rows(text, name)
    header = next(it, None)
    return header or [], list(it)


class TableRecords:
    """A CSV/TSV list's records, read from its text each time they are iterated: the text is kept,
    not one dict per row (a 200,000-row upload held as dicts costs about 200 MB). Counted once
    when made, which also finds a file the CSV reader cannot read before any row is used."""

    def __init__(self, text: str, name: str, used: dict[str, str]):
        self._text, self._name, self._used = text, name, used
        it = _iter_rows(text, name)
        next(it, None)
        self._count = sum(1 for _ in it)

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        it = _iter_rows(self._text, self._name)
        next(it, None)  # the header
        for row in it:
            rec = {"_line": row["_line"]}
            for key, field in self._used.items():
                if key in row:
                    rec[field] = unneutralise(row[key])
            yield rec


def records(text: str, name: str) -> tuple[list[str], TableRecords, list[Problem]]:
    """(importer fields found, records, notices about unused columns)."""
    it = _iter_rows(text, name)
    header = next(it, None) or []
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
    return list(taken), TableRecords(text, name, used), notes
