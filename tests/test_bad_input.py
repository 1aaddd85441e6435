"""Bad-input corpus: break one data file in one way, and the loaders must say exactly what is wrong.

Every case takes a fresh copy of data/ (`data_copy`), breaks exactly one file, runs `load_all()`
and checks that

(a) a Problem names the broken file, the field, the line where that means something (the line
    the case broke), and says what was expected;
(b) every other dataset still loads with the row count of the unbroken copy, and no new problems
    appear in other files (one broken file never blanks the dashboard);
(c) for representative cases, `python -m loaders check --data-dir DIR` exits 1 and prints the
    same `FILE:LINE: field: message` line.

Most record-level cases insert a small, otherwise valid record (templates below, proven valid by
`test_valid_template_loads`) in the middle of the file, so the line numbers are known exactly and
no other dataset refers to the broken record. File-level cases break files nothing refers to.
Known loader bugs are strict xfails with the reason; see also the focused tests at the end.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from loaders import datasets
from loaders import schema as data_schema
from loaders.datasets import GEO_FILE, Bundle, load_all
from loaders.problems import Problem
from loaders.validate import MAX_FILE_BYTES
from tests.conftest import ROOT

VENV_PY = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))
MISSING_SOURCE = "no-such-source"


# --------------------------------------------------------------------------- expectations


@dataclass
class Expect:
    """One Problem the loaders must report."""

    file: str
    field: str | re.Pattern
    message: str  # a distinctive substring saying what was expected
    lines: tuple | None = None  # acceptable line numbers; None = not checked (not meaningful)
    at_or_after: int | None = None  # the line is not before this one (error found later in the file)

    def matches(self, p: Problem) -> bool:
        if p.file != self.file:
            return False
        if isinstance(self.field, re.Pattern):
            if not self.field.fullmatch(p.field):
                return False
        elif p.field != self.field:
            return False
        if self.message not in p.message:
            return False
        if self.lines is not None and p.line not in self.lines:
            return False
        if self.at_or_after is not None and (p.line is None or p.line < self.at_or_after):
            return False
        return True


@dataclass
class Broken:
    """What a case did: the file it broke and what must be reported (nothing, for clean cases)."""

    file: str
    expect: list[Expect] = field(default_factory=list)
    own_rows: str | None = None  # "all": every original record still loads; "all_but_one": one row lost
    not_read: bool = False  # the file must be rejected without reading its bytes


# --------------------------------------------------------------------------- record templates
# One line per field so a case can change, drop, rename or repeat exactly one line. `{src}` is an
# existing source id. Each template is a valid record (test_valid_template_loads).

TEMPLATES: dict[str, str] = {
    "sources.yaml": """\
- id: zz-test-source
  title: A test source
  publisher: Test Publisher
  url: https://example.org/test-source
  published: 2024-03
  language: en
  kind: news
  original: true
  accessed: 2026-11-26
""",
    "figures.yaml": """\
- id: zz-test-figure
  as_of: 2024-06-30
  as_of_precision: day
  stated: 2024-07-01
  value: 100
  qualifier: about
  unit: camera
  basis: installed_by_police
  topic: rollout
  claim: zz-test-claim
  programme: smartview
  source: {src}
  quote: "About 100 cameras, said a test quote."
  quote_lang: en
""",
    "phases.yaml": """\
- id: zz-test-phase
  number: 3
  name_en: Test phase
  name_zh: 測試階段
  start: 2024-01-01
  end: 2024-12-31
  end_precision: day
  promise_en: A test promise.
  sources:
    - {src}
""",
    "capabilities.yaml": """\
- id: zz-test-capability
  name_en: Test capability
  name_zh: 測試功能
  events:
    - date: 2024-01-01
      date_precision: day
      status: planned
      summary_en: A test event.
      source: {src}
      quote: "A test quote."
      quote_lang: en
""",
    "safeguards.yaml": """\
- id: zz-test-safeguard
  name_en: Test safeguard
  name_zh: 測試保障
  expectation_en: A test expectation.
  status: not_published
  entries:
    - date: 2024-01-01
      date_precision: day
      status: not_published
      summary_en: A test entry.
      source: {src}
      quote: "A test quote."
      quote_lang: en
""",
    "open_questions.yaml": """\
- id: zz-test-question
  question_en: A test question?
  question_zh: 測試問題？
  first_asked: 2024-01-01
  first_asked_precision: day
  status: unanswered
  sources: [{src}]
""",
    "cities.yaml": """\
- id: zz-test-city
  city_en: Testville
  edition: zz-test-edition
  year: 2019
  cameras: 1000
  source: {src}
""",
    "smartview_sites.yaml": """\
- id: zz-test-site
  name_en: Test site
  district_code: E
  precision: district
  first_seen: 2024-03-01
  first_seen_precision: month
  source: {src}
  quote: "A test site."
  quote_lang: en
""",
}


def _set(block: str, key: str, raw: str) -> str:
    """Give the first `key:` line of a block a new raw YAML value."""
    new, n = re.subn(rf"^(\s*(?:- )?){re.escape(key)}:.*$", lambda m: f"{m.group(1)}{key}: {raw}", block, count=1, flags=re.M)
    assert n == 1, f"{key} not in template"
    return new


def _drop(block: str, key: str) -> str:
    new, n = re.subn(rf"^\s+{re.escape(key)}:.*\n", "", block, count=1, flags=re.M)
    assert n == 1, f"{key} not in template (or is the first line)"
    return new


def _rename(block: str, key: str, new_key: str) -> str:
    new, n = re.subn(rf"^(\s*(?:- )?){re.escape(key)}:", lambda m: f"{m.group(1)}{new_key}:", block, count=1, flags=re.M)
    assert n == 1, f"{key} not in template"
    return new


def _after(block: str, key: str, line: str) -> str:
    """Insert a raw line after the first `key:` line (same indentation as that key)."""
    m = re.search(rf"^(\s*(?:- )?){re.escape(key)}:.*\n", block, flags=re.M)
    assert m, f"{key} not in template"
    indent = " " * len(m.group(1))
    return block[: m.end()] + indent + line + "\n" + block[m.end():]


# --------------------------------------------------------------------------- file surgery


def _top_level_starts(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith("- ")]


def insert_block(path: Path, block: str, where: str = "middle") -> tuple[int, int]:
    """Insert raw YAML text before the middle top-level record (or at the end).

    Returns (first line of the block, 1-based; its 1-based position among top-level records).
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    starts = _top_level_starts(lines)
    assert starts, f"{path.name}: expected a block list of records starting with '- ' at column 0"
    at = starts[len(starts) // 2] if where == "middle" else len(lines)
    position = sum(1 for s in starts if s < at) + 1
    path.write_text("".join(lines[:at]) + block + "".join(lines[at:]), encoding="utf-8")
    return at + 1, position


def block_line(first: int, block: str, marker: str, occurrence: int = 1) -> int:
    """File line of the `occurrence`-th block line containing `marker`."""
    seen = 0
    for i, line in enumerate(block.splitlines()):
        if marker in line:
            seen += 1
            if seen == occurrence:
                return first + i
    raise AssertionError(f"{marker!r} not in block")


def any_source(base: Bundle) -> str:
    return str(base["sources"]["id"].iloc[0])


def middle_line_with(path: Path, pattern: str) -> int:
    """1-based number of a line near the middle of the file matching the regex."""
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert hits, f"{path.name}: no line matches {pattern!r}"
    return hits[len(hits) // 2] + 1


def edit_line_bytes(path: Path, line_no: int, fn: Callable[[bytes], bytes]) -> None:
    raw = path.read_bytes().split(b"\n")
    raw[line_no - 1] = fn(raw[line_no - 1])
    path.write_bytes(b"\n".join(raw))


def csv_rows(path: Path) -> tuple[list[str], list[str]]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines, next(csv.reader([lines[0]]))


def csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def edit_csv_row(path: Path, line_no: int, fn: Callable[[list[str], list[str]], list[str]]) -> None:
    lines, header = csv_rows(path)
    cells = next(csv.reader([lines[line_no - 1]]))
    lines[line_no - 1] = csv_line(fn(cells, header))
    path.write_text("\n".join(lines), encoding="utf-8")


def middle_csv_row(path: Path, where: Callable[[list[str], list[str]], bool] = lambda c, h: True) -> int:
    lines, header = csv_rows(path)
    hits = [i + 1 for i, line in enumerate(lines[1:], 1) if line.strip() and where(next(csv.reader([line])), header)]
    assert hits, f"{path.name}: no matching data row"
    return hits[len(hits) // 2]


# --------------------------------------------------------------------------- the cases
# A case is fn(root, base) -> Broken. Record-level cases go through `record_case`.


def record_case(file: str, change: Callable[[str], str], field_: str | re.Pattern, message: str,
                line_at: str | tuple[str, ...] | None = None, occurrence: int = 1, where: str = "middle") -> Callable:
    """Insert the file's template, changed by `change`, and expect a problem on the line(s) holding
    the `line_at` marker(s) ("@record" = the record's first line; None = line not checked)."""

    def case(root: Path, base: Bundle) -> Broken:
        block = change(TEMPLATES[file]).replace("{src}", any_source(base))
        first, _ = insert_block(root / file, block, where)
        markers = (line_at,) if isinstance(line_at, str) else line_at
        lines = None
        if markers is not None:
            lines = tuple(first if m == "@record" else block_line(first, block, m, occurrence) for m in markers)
        return Broken(file, [Expect(file, field_, message, lines)], own_rows="all")

    return case


def case_yaml_bad_indentation(root: Path, base: Bundle) -> Broken:
    file = "open_questions.yaml"
    block = "- id: zz-bad-indent\n  question_en: Where?\n     question_zh: 邊度？\n  first_asked: 2024-01-01\n"
    first, _ = insert_block(root / file, block)
    # Record-level recovery: the broken record costs only itself.
    return Broken(file, [Expect(file, "yaml", "malformed YAML", (first + 2,))], own_rows="all")


def _unclosed_quote(exact: bool) -> Callable:
    def case(root: Path, base: Bundle) -> Broken:
        file = "cities.yaml"
        block = TEMPLATES[file].replace("{src}", any_source(base)) + '  note: "the quote is never closed\n'
        first, _ = insert_block(root / file, block)
        broken = block_line(first, block, "never closed")
        exp = Expect(file, "yaml", "malformed YAML", (broken,)) if exact else Expect(file, "yaml", "malformed YAML", at_or_after=broken)
        return Broken(file, [exp])

    return case


def case_top_level_mapping(root: Path, base: Bundle) -> Broken:
    file = "safeguards.yaml"
    path = root / file
    text = path.read_text(encoding="utf-8")
    path.write_text("safeguards:\n" + "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True)), encoding="utf-8")
    return Broken(file, [Expect(file, "file", "expected a list of records", (1,))])


def case_record_is_a_string(root: Path, base: Bundle) -> Broken:
    file = "capabilities.yaml"
    first, position = insert_block(root / file, "- facial recognition is not used\n")
    # The line of a scalar record is not reported (see test_scalar_record_problem_names_its_line).
    return Broken(file, [Expect(file, f"record {position}", "expected a mapping of field: value", (None, first))], own_rows="all")


def case_phase_unknown_source_in_list(root: Path, base: Bundle) -> Broken:
    file = "phases.yaml"
    block = TEMPLATES[file].replace("{src}", any_source(base)) + f"    - {MISSING_SOURCE}\n"
    first, _ = insert_block(root / file, block)
    lines = (first, block_line(first, block, "- " + any_source(base)), block_line(first, block, MISSING_SOURCE))
    return Broken(file, [Expect(file, "sources", f"unknown sources id '{MISSING_SOURCE}'", lines)], own_rows="all")


def case_capability_event_unknown_source(root: Path, base: Bundle) -> Broken:
    file = "capabilities.yaml"
    block = _set(TEMPLATES[file], "source", MISSING_SOURCE).replace("{src}", any_source(base))
    first, _ = insert_block(root / file, block)
    lines = (block_line(first, block, "- date:"), block_line(first, block, MISSING_SOURCE))
    return Broken(file, [Expect(file, "source", f"unknown sources id '{MISSING_SOURCE}'", lines)], own_rows="all")


def case_capability_event_duplicate_key(root: Path, base: Bundle) -> Broken:
    file = "capabilities.yaml"
    block = _after(TEMPLATES[file], "status", "status: in_use").replace("{src}", any_source(base))
    first, _ = insert_block(root / file, block)
    return Broken(file, [Expect(file, "status", "field appears twice", (block_line(first, block, "status: in_use"),))], own_rows="all")


def case_capability_events_not_a_list(root: Path, base: Bundle) -> Broken:
    file = "capabilities.yaml"
    block = "- id: zz-test-capability\n  name_en: Test\n  name_zh: 測試\n  events: planned\n"
    first, _ = insert_block(root / file, block)
    return Broken(file, [Expect(file, "events", "expected a list of records", (first + 3,))], own_rows="all")


def case_figures_duplicate_id(root: Path, base: Bundle) -> Broken:
    file = "figures.yaml"
    existing = str(base["figures"]["id"].iloc[0])
    block = _set(TEMPLATES[file], "id", existing).replace("{src}", any_source(base))
    path = root / file
    original = path.read_text(encoding="utf-8").split("\n")
    id_line = next(i + 1 for i, line in enumerate(original) if re.fullmatch(rf"(- )?\s*id:\s*['\"]?{re.escape(existing)}['\"]?\s*(#.*)?", line))
    first, _ = insert_block(path, block, where="end")
    return Broken(file, [Expect(file, "id", f"duplicate id '{existing}' (first used on line {id_line})", (first,))], own_rows="all")


def case_sources_copy_without_original_publisher(root: Path, base: Bundle) -> Broken:
    file = "sources.yaml"
    block = _set(_set(TEMPLATES[file], "original", "false"), "kind", "news_copy")
    first, _ = insert_block(root / file, block)
    return Broken(file, [Expect(file, "original_publisher", "original", (first, block_line(first, block, "original: false")))], own_rows="all")


def case_census_population_not_whole(root: Path, base: Bundle) -> Broken:
    file = "district_census_2021.yaml"
    path = root / file
    line = middle_line_with(path, r"^\s*population_2021:\s*\d+\s*(#.*)?$")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = re.sub(r"population_2021:.*", "population_2021: 12.5", lines[line - 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    return Broken(file, [Expect(file, "population_2021", "expected a whole number", (line,))], own_rows="all_but_one")


def case_census_population_huge(root: Path, base: Bundle) -> Broken:
    file = "district_census_2021.yaml"
    path = root / file
    line = middle_line_with(path, r"^\s*population_2021:\s*\d+\s*(#.*)?$")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = re.sub(r"population_2021:.*", "population_2021: 1000000000000000000000", lines[line - 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    return Broken(file, [Expect(file, "population_2021", "expected at most", (line,))], own_rows="all_but_one")


# CSV -----------------------------------------------------------------------------------------


def case_districts_code_z(root: Path, base: Bundle) -> Broken:
    file = "districts.csv"
    line = middle_csv_row(root / file)
    edit_csv_row(root / file, line, lambda c, h: ["Z" if name == "code" else v for name, v in zip(h, c)])
    return Broken(file, [Expect(file, "code", "expected one of A, B, C", (line,))], own_rows="all_but_one")


def case_cameras_too_many_cells(root: Path, base: Bundle) -> Broken:
    file = "cameras_td.csv"
    line = middle_csv_row(root / file)
    _, header = csv_rows(root / file)
    edit_csv_row(root / file, line, lambda c, h: c + ["extra"])
    return Broken(file, [Expect(file, "row", f"has {len(header) + 1} cells; the header has {len(header)}", (line,))], own_rows="all_but_one")


def case_districts_header_missing_column(root: Path, base: Bundle) -> Broken:
    file = "districts.csv"
    path = root / file
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace("population_2019", "population2019")
    path.write_text("\n".join(lines), encoding="utf-8")
    return Broken(file, [Expect(file, "population_2019", "column is missing from the header", (1,))])


def _set_cells(values: dict[str, str]) -> Callable[[list[str], list[str]], list[str]]:
    return lambda c, h: [values.get(name, v) for name, v in zip(h, c)]


def case_cameras_latitude_new_york(root: Path, base: Bundle) -> Broken:
    file = "cameras_td.csv"
    line = middle_csv_row(root / file)
    edit_csv_row(root / file, line, _set_cells({"latitude": "40.7"}))
    return Broken(file, [Expect(file, "latitude", "expected at most 22.6", (line,))], own_rows="all_but_one")


def case_cameras_lat_lon_swapped(root: Path, base: Bundle) -> Broken:
    file = "cameras_td.csv"
    line = middle_csv_row(root / file)

    def swap(c: list[str], h: list[str]) -> list[str]:
        row = dict(zip(h, c))
        return _set_cells({"latitude": row["longitude"], "longitude": row["latitude"]})(c, h)

    edit_csv_row(root / file, line, swap)
    return Broken(file, [Expect(file, "latitude", "expected at most 22.6", (line,)),
                         Expect(file, "longitude", "expected at least 113.8", (line,))], own_rows="all_but_one")


def case_cameras_unclosed_quote(root: Path, base: Bundle) -> Broken:
    file = "cameras_td.csv"
    line = middle_csv_row(root / file)
    edit_csv_row(root / file, line, lambda c, h: c)  # normalise, then break the description's quoting
    lines, header = csv_rows(root / file)
    cells = next(csv.reader([lines[line - 1]]))
    i = header.index("description_en")
    lines[line - 1] = ",".join(cells[:i]) + ',"' + cells[i].replace('"', "") + "," + ",".join(cells[i + 1:])
    (root / file).write_text("\n".join(lines), encoding="utf-8")
    return Broken(file, [Expect(file, "row", "cells", (line,))])


# encodings, sizes, missing --------------------------------------------------------------------


def _bytes_in_line(file: str, insert: bytes, message: str, pattern: str = r":\s*\S") -> Callable:
    def case(root: Path, base: Bundle) -> Broken:
        line = middle_line_with(root / file, pattern)
        edit_line_bytes(root / file, line, lambda b: b + insert)
        return Broken(file, [Expect(file, "file", message, (line,))])

    return case


def _clean(file: str, transform: Callable[[bytes], bytes]) -> Callable:
    def case(root: Path, base: Bundle) -> Broken:
        path = root / file
        path.write_bytes(transform(path.read_bytes()))
        return Broken(file, [])

    return case


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _whole_file(file: str, content: bytes, message: str) -> Callable:
    def case(root: Path, base: Bundle) -> Broken:
        (root / file).write_bytes(content)
        return Broken(file, [Expect(file, "file", message)])

    return case


def case_file_50_mb(root: Path, base: Bundle) -> Broken:
    file = "cameras_td.csv"
    path = root / file
    header = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    with path.open("wb") as fh:
        fh.write(header)
        fh.truncate(50_000_000)  # sparse: instant, and NUL bytes would be reported if it were read
    return Broken(file, [Expect(file, "file", "50.0 MB")], not_read=True)


def case_missing_file(root: Path, base: Bundle) -> Broken:
    file = "smartview_sites.yaml"
    (root / file).unlink()
    return Broken(file, [Expect(file, "file", "file is missing")])


# GeoJSON ---------------------------------------------------------------------------------------


def case_geojson_truncated(root: Path, base: Bundle) -> Broken:
    path = root / GEO_FILE
    text = path.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    path.write_text(cut, encoding="utf-8")
    return Broken(GEO_FILE, [Expect(GEO_FILE, "json", "malformed JSON", (cut.count("\n") + 1,))])


def _geo_feature(edit: Callable[[list, int], None], expect: Callable[[int], Expect]) -> Callable:
    def case(root: Path, base: Bundle) -> Broken:
        path = root / GEO_FILE
        fc = json.loads(path.read_text(encoding="utf-8"))
        i = next(k for k, f in enumerate(fc["features"]) if f["properties"]["code"] == "K")
        edit(fc["features"], i)
        path.write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        return Broken(GEO_FILE, [expect(i + 1)])

    return case


def _geo_code_z(feats: list, i: int) -> None:
    feats[i]["properties"]["code"] = "Z"


def _geo_null(feats: list, i: int) -> None:
    feats[i] = None


def _geo_no_coordinates(feats: list, i: int) -> None:
    feats[i]["geometry"]["coordinates"] = []


# --------------------------------------------------------------------------- the corpus

FIG, SRC = "figures.yaml", "sources.yaml"
R = "@record"


def xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


CASES = [
    # malformed YAML and wrong shapes
    pytest.param(case_yaml_bad_indentation, True, id="yaml-bad-indentation"),
    pytest.param(_unclosed_quote(exact=False), False, id="yaml-unclosed-quote"),
    pytest.param(_unclosed_quote(exact=True), False, id="yaml-unclosed-quote-exact-line"),
    pytest.param(case_top_level_mapping, False, id="top-level-mapping"),
    pytest.param(case_record_is_a_string, False, id="record-is-a-string"),
    # missing and unknown fields
    pytest.param(record_case(FIG, lambda b: _drop(b, "quote"), "quote", "required field is missing", R), True, id="figures-missing-quote"),
    pytest.param(record_case(SRC, lambda b: _drop(b, "url"), "url", "required field is missing", R), False, id="sources-missing-url"),
    pytest.param(record_case(FIG, lambda b: _rename(b, "quote", "qoute"), "qoute", "unknown field (expected one of", "qoute:"), False, id="figures-field-typo-qoute"),
    # numbers
    pytest.param(record_case(FIG, lambda b: _set(b, "value", '"lots"'), "value", "expected a number, got 'lots'", "value:"), False, id="figures-value-not-a-number"),
    pytest.param(record_case(FIG, lambda b: _set(b, "value", "-5"), "value", "expected a number that is not negative", "value:"), False, id="figures-value-negative"),
    pytest.param(record_case(FIG, lambda b: _set(b, "value", ".nan"), "value", "expected a finite number", "value:"), False, id="figures-value-nan"),
    pytest.param(record_case(FIG, lambda b: _set(b, "value", ".inf"), "value", "expected a finite number", "value:"), False, id="figures-value-inf"),
    pytest.param(record_case(FIG, lambda b: _set(b, "phase", "4") if "phase:" in b else _after(b, "programme", "phase: 4"), "phase", "expected at most 3", "phase:"), False, id="figures-phase-4"),
    pytest.param(case_census_population_not_whole, False, id="census-population-not-whole"),
    pytest.param(case_census_population_huge, False, id="census-population-huge"),
    # references
    pytest.param(record_case(FIG, lambda b: _set(b, "source", MISSING_SOURCE), "source", f"unknown sources id '{MISSING_SOURCE}'", (R, "source:")), False, id="figures-unknown-source"),
    pytest.param(case_phase_unknown_source_in_list, False, id="phases-unknown-source-in-list"),
    pytest.param(case_capability_event_unknown_source, False, id="capability-event-unknown-source"),
    # enums, languages, slugs, urls
    pytest.param(record_case(FIG, lambda b: _set(b, "unit", "widgets"), "unit", "expected one of camera, set, case", "unit:"), False, id="figures-unknown-unit"),
    pytest.param(record_case(FIG, lambda b: _set(b, "qualifier", "roughly"), "qualifier", "expected one of exact, about, more_than", "qualifier:"), False, id="figures-unknown-qualifier"),
    pytest.param(record_case(FIG, lambda b: _set(b, "basis", "guesswork"), "basis", "expected one of installed_by_police", "basis:"), False, id="figures-unknown-basis"),
    pytest.param(record_case(SRC, lambda b: _set(b, "language", "english"), "language", "expected a language code (en, zh-Hant", "language:"), False, id="sources-bad-language"),
    pytest.param(record_case(FIG, lambda b: _set(b, "quote_lang", "zh-HK"), "quote_lang", "expected a language code", "quote_lang:"), False, id="figures-bad-quote-lang"),
    pytest.param(record_case(FIG, lambda b: _set(b, "id", "Figure_1"), "id", "expected a lowercase id", "id:"), False, id="figures-id-not-a-slug"),
    pytest.param(record_case(SRC, lambda b: _set(b, "url", "www.example.org/page"), "url", "expected an http(s) URL", "url:"), False, id="sources-url-not-http"),
    pytest.param(record_case("smartview_sites.yaml", lambda b: _set(b, "precision", "exact"), "precision", "expected one of street, district", "precision:"), False, id="smartview-precision-exact"),
    # dates
    pytest.param(record_case(FIG, lambda b: _set(b, "as_of", "2025-13-45"), "as_of", "expected a date YYYY-MM-DD, got '2025-13-45'", "as_of:"), False, id="figures-date-2025-13-45"),
    pytest.param(record_case(FIG, lambda b: _set(b, "as_of", "last year"), "as_of", "expected a date YYYY-MM-DD, got 'last year'", "as_of:"), False, id="figures-date-last-year"),
    pytest.param(record_case(FIG, lambda b: _set(b, "as_of", "20250101"), "as_of", "expected a date YYYY-MM-DD", "as_of:"), False, id="figures-date-compact"),
    pytest.param(record_case(FIG, lambda b: _set(b, "as_of", "9999-12-31"), "as_of", "expected a date", "as_of:"), False, id="figures-date-9999"),
    pytest.param(record_case(SRC, lambda b: _set(b, "published", "March 2024"), "published", "expected YYYY, YYYY-MM, YYYY-MM-DD or 'undated'", "published:"), False, id="sources-published-words"),
    pytest.param(record_case(SRC, lambda b: _set(b, "published", "2024-02-30"), "published", "expected a real date, got '2024-02-30'", "published:"), False, id="sources-published-impossible"),
    # duplicates and booleans
    pytest.param(case_figures_duplicate_id, False, id="figures-duplicate-id"),
    pytest.param(record_case(FIG, lambda b: _after(b, "unit", "unit: set"), "unit", "field appears twice in one record", "unit:", occurrence=2), False, id="figures-duplicate-key"),
    pytest.param(case_capability_event_duplicate_key, False, id="capability-event-duplicate-key"),
    pytest.param(case_capability_events_not_a_list, False, id="capability-events-not-a-list"),
    pytest.param(record_case(SRC, lambda b: _set(b, "original", "maybe"), "original", "expected true or false, got 'maybe'", "original:"), False, id="sources-original-not-bool"),
    pytest.param(case_sources_copy_without_original_publisher, False, id="sources-copy-without-original-publisher"),
    # CSV
    pytest.param(case_districts_code_z, False, id="districts-code-z"),
    pytest.param(case_cameras_too_many_cells, False, id="csv-too-many-cells"),
    pytest.param(case_districts_header_missing_column, False, id="csv-header-missing-column"),
    pytest.param(case_cameras_latitude_new_york, True, id="cameras-latitude-40.7"),
    pytest.param(case_cameras_lat_lon_swapped, False, id="cameras-lat-lon-swapped"),
    pytest.param(case_cameras_unclosed_quote, False, id="csv-unclosed-quote"),
    # encodings, sizes and missing files
    pytest.param(_bytes_in_line("open_questions.yaml", " caf\xe9".encode("latin-1"), "not UTF-8 text (byte 0xe9"), False, id="non-utf8-latin1"),
    pytest.param(_bytes_in_line("safeguards.yaml", " 中文".encode("gbk"), "not UTF-8 text (byte 0xd6"), False, id="non-utf8-gbk"),
    pytest.param(_bytes_in_line("capabilities.yaml", b" \x00", "contains NUL bytes"), False, id="nul-bytes"),
    pytest.param(_clean(SRC, lambda raw: b"\xef\xbb\xbf" + raw), False, id="bom-yaml-loads-clean"),
    pytest.param(_clean("cameras_td.csv", lambda raw: b"\xef\xbb\xbf" + raw), False, id="bom-csv-loads-clean"),
    pytest.param(_clean(FIG, _crlf), False, id="crlf-yaml-loads-clean"),
    pytest.param(_clean("districts.csv", _crlf), False, id="crlf-csv-loads-clean"),
    pytest.param(_clean("capabilities.yaml", lambda raw: b"\xef\xbb\xbf" + _crlf(raw)), False, id="bom-and-crlf-loads-clean"),
    pytest.param(_whole_file("cities.yaml", b"", "file is empty"), False, id="empty-file"),
    pytest.param(_whole_file("open_questions.yaml", b"  \n\n\t \n   \n", "file is empty"), False, id="whitespace-only-file"),
    pytest.param(case_file_50_mb, True, id="file-50-mb"),
    pytest.param(case_missing_file, False, id="missing-file"),
    # GeoJSON
    pytest.param(case_geojson_truncated, False, id="geojson-truncated"),
    pytest.param(_geo_feature(_geo_code_z, lambda n: Expect(GEO_FILE, f"features[{n}].properties.code", "expected a district code A-T, got 'Z'")), False, id="geojson-code-z"),
    pytest.param(_geo_feature(_geo_null, lambda n: Expect(GEO_FILE, re.compile(rf"features\[{n}\].*"), "expected")), False, id="geojson-feature-null"),
    pytest.param(_geo_feature(_geo_no_coordinates, lambda n: Expect(GEO_FILE, f"features[{n}].geometry", "expected")), False, id="geojson-polygon-without-coordinates"),
]


# --------------------------------------------------------------------------- helpers for (b)

_COUNT_FILES: dict[str, set[str]] = {name: {s.file} for name, s in data_schema.BY_NAME.items()}
_COUNT_FILES.pop("cameras")
_COUNT_FILES |= {"cameras[td]": {data_schema.CAMERAS.file}, "cameras[sites]": {data_schema.SMARTVIEW_SITES.file, GEO_FILE}, "geo": {GEO_FILE}}


def counts(bundle: Bundle) -> dict[str, int]:
    out = {name: len(df) for name, df in bundle.frames.items() if name != "cameras"}
    sites = bundle.frames["cameras"]["kind"] == "smartview_site"
    out["cameras[td]"] = int((~sites).sum())
    out["cameras[sites]"] = int(sites.sum())
    out["geo"] = len(bundle.geo["features"]) if bundle.geo else 0
    return out


def _signature(root: Path) -> str:
    h = hashlib.sha1()
    for p in sorted(x for x in root.rglob("*") if x.is_file()):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


_BASELINES: dict[str, Bundle] = {}


def baseline(root: Path) -> Bundle:
    """load_all on the unbroken copy (cached by content: every test copies the same data)."""
    sig = _signature(root)
    if sig not in _BASELINES:
        _BASELINES[sig] = load_all(root)
    return _BASELINES[sig]


def _ids(bundle: Bundle, name: str) -> set:
    schema = data_schema.BY_NAME[name]
    df = bundle.frames[name]
    if schema.id_field and schema.id_field in df:
        return set(df[schema.id_field])
    return set(map(tuple, df.astype(str).itertuples(index=False)))


# --------------------------------------------------------------------------- speed
# PyYAML's pure-Python parser and pandas' per-column conversions dominate load_all, and every test
# re-reads files it did not touch. Both are deterministic, so they are memoised by exact input:
# parsing by (dataset, the file's bytes), frames by (dataset, repr of the rows). A changed, missing
# or oversized file always goes through the real code; the CLI runs (c) never use the memo.
_PARSED: dict[tuple, tuple[list, list]] = {}
_FRAMES: dict[tuple, object] = {}


def _copy_row(row: dict) -> dict:
    """Rows hold immutable values (str, numbers, dates, tuples) and lists of child rows."""
    return {k: [_copy_row(c) for c in v] if isinstance(v, list) else v for k, v in row.items()}


@pytest.fixture(autouse=True)
def _memoise_unchanged_inputs(monkeypatch):
    real_read, real_frame = datasets._read_records, datasets.to_frame

    def read_records(schema: data_schema.Schema, root):
        path = Path(root) / schema.file
        try:
            size = os.stat(path).st_size
        except OSError:
            return real_read(schema, root)
        if size > MAX_FILE_BYTES:
            return real_read(schema, root)
        with open(path, "rb") as fh:
            key = (schema.name, hashlib.sha1(fh.read()).digest())
        if key not in _PARSED:
            _PARSED[key] = real_read(schema, root)
        rows, problems = _PARSED[key]
        return [_copy_row(r) for r in rows], list(problems)

    def to_frame(rows, schema, extra=()):
        key = (schema.name, tuple(extra), repr(rows))
        if key not in _FRAMES:
            _FRAMES[key] = real_frame(rows, schema, extra)
        return _FRAMES[key].copy()

    monkeypatch.setattr(datasets, "_read_records", read_records)
    monkeypatch.setattr(datasets, "to_frame", to_frame)


# --------------------------------------------------------------------------- the corpus test


@pytest.mark.parametrize("case, cli", CASES)
def test_bad_input(case, cli, data_copy: Path):
    base = baseline(data_copy)
    broken = case(data_copy, base)

    cli_run = None
    if cli:  # started now, collected at the end: the CLI and the in-process load overlap
        cli_run = subprocess.Popen([PYTHON, "-m", "loaders", "check", "--data-dir", str(data_copy)], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    reads: list[Path] = []
    with pytest.MonkeyPatch.context() as mp:
        if broken.not_read:
            for meth in ("read_bytes", "read_text", "open"):
                orig = getattr(Path, meth)

                def spy(self, *a, _orig=orig, **kw):
                    reads.append(Path(self))
                    return _orig(self, *a, **kw)

                mp.setattr(Path, meth, spy)
        bundle = load_all(data_copy)

    mine = [p for p in bundle.problems if p.file == broken.file]
    # (a) the problem is reported where it is, with what was expected
    if not broken.expect:
        assert bundle.problems == base.problems, "a BOM or CRLF line ends must be accepted, not reported"
        assert counts(bundle) == counts(base)
    for exp in broken.expect:
        assert any(exp.matches(p) for p in mine), (
            f"expected a problem {exp}\nproblems in {broken.file}:\n" + "\n".join(map(str, mine)))
    if broken.not_read:
        assert not [p for p in reads if p.name == Path(broken.file).name], "an oversized file must be rejected by size, unread"
        assert len(mine) == 1, "\n".join(map(str, mine))

    # (b) everything else loads in full, and nothing else is reported
    before, after = counts(base), counts(bundle)
    for key, files in _COUNT_FILES.items():
        if broken.file not in files:
            assert after[key] == before[key], f"{key}: {after[key]} rows, {before[key]} on the unbroken copy (broke {broken.file})"
    assert [p for p in bundle.problems if p.file != broken.file] == [p for p in base.problems if p.file != broken.file]
    own = [n for n, s in data_schema.BY_NAME.items() if s.file == broken.file and s.children]  # parent datasets of the file
    own = own or [n for n, s in data_schema.BY_NAME.items() if s.file == broken.file]
    for name in own:
        if broken.own_rows == "all":
            assert _ids(base, name) <= _ids(bundle, name), f"{name}: good records were dropped along with the bad one"
        elif broken.own_rows == "all_but_one":
            assert len(bundle.frames[name]) == len(base.frames[name]) - 1, f"{name}: only the broken row may be dropped"

    # (c) the command line says the same thing
    if cli_run is not None:
        stdout, stderr = cli_run.communicate(timeout=120)
        assert cli_run.returncode == 1, stdout + stderr
        printed = stdout.splitlines()
        for exp in broken.expect:
            wanted = [str(p) for p in mine if exp.matches(p)]
            assert set(wanted) & set(printed), f"none of {wanted} in the output:\n{stdout}"
        line = next(p for p in mine if broken.expect[0].matches(p))
        if line.line is not None:
            assert any(out.startswith(f"{broken.file}:{line.line}: {line.field}: ") for out in printed)


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


# --------------------------------------------------------------------------- controls


@pytest.mark.parametrize("file", sorted(TEMPLATES))
def test_valid_template_loads(file: str, data_copy: Path):
    """The templates the record cases break are valid records: inserted unchanged, they load."""
    base = baseline(data_copy)
    block = TEMPLATES[file].replace("{src}", any_source(base))
    insert_block(data_copy / file, block)
    bundle = load_all(data_copy)
    assert [p for p in bundle.problems if p.file == file] == [p for p in base.problems if p.file == file]
    name = next(n for n, s in data_schema.BY_NAME.items() if s.file == file and not s.name.endswith(("_events", "_entries")))
    assert len(bundle.frames[name]) == len(base.frames[name]) + 1


# --------------------------------------------------------------------------- focused known bugs


def test_ref_problem_names_the_line_of_the_field(data_copy: Path):
    block = _set(TEMPLATES[FIG], "source", MISSING_SOURCE)
    first, _ = insert_block(data_copy / FIG, block)
    problems = [p for p in load_all(data_copy).problems if p.file == FIG and p.field == "source"]
    assert [p.line for p in problems] == [block_line(first, block, "source:")]


def test_scalar_record_problem_names_its_line(data_copy: Path):
    first, position = insert_block(data_copy / "capabilities.yaml", "- facial recognition is not used\n")
    problems = [p for p in load_all(data_copy).problems if p.field == f"record {position}"]
    assert [p.line for p in problems] == [first]


@pytest.mark.parametrize("content", [
    pytest.param("records:\n  - id: a\n", id="mapping"),
    pytest.param("# only a comment\n", id="comment-only"),
])
def test_messages_do_not_name_python_classes(content: str, data_copy: Path):
    (data_copy / "cities.yaml").write_text(content, encoding="utf-8")
    problems = [p for p in load_all(data_copy).problems if p.file == "cities.yaml"]
    assert problems
    assert not any(word in p.message for p in problems for word in ("LineDict", "NoneType"))


def test_record_with_duplicate_field_is_dropped(data_copy: Path):
    base = baseline(data_copy)
    block = _after(TEMPLATES[FIG], "unit", "unit: set").replace("{src}", any_source(base))
    insert_block(data_copy / FIG, block)
    bundle = load_all(data_copy)
    assert any(p.field == "unit" and "twice" in p.message for p in bundle.problems)
    assert "zz-test-figure" not in set(bundle["figures"]["id"])


def test_broken_sources_yaml_is_not_buried_under_reference_problems(data_copy: Path):
    path = data_copy / SRC
    path.write_text(path.read_text(encoding="utf-8") + '- id: "unclosed\n', encoding="utf-8")
    bundle = load_all(data_copy)
    assert any(p.file == SRC for p in bundle.problems[:50])
    assert len([p for p in bundle.problems if p.file != SRC]) <= len(data_schema.ALL)
