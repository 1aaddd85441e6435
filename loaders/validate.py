"""The one validation layer: read a data file, check every record against its schema, report Problems.

Every problem names the file, the line (YAML) or row (CSV, counted as the physical line in the
file so an editor jumps to it), the field and what was expected. Bad records are dropped and
reported; good records load, so one broken row never blanks the dashboard.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path
from typing import Any

import yaml

from loaders.problems import Problem
from loaders.schema import LANGS, Field, Schema

MAX_FILE_BYTES = 20_000_000  # a data file larger than this is almost certainly not ours
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping and of each of its keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            mapping.duplicates.append((key, key_node.start_mark.line + 1))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = value_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as strings: the schema decides what a date is, and YAML's own guesses differ by version.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in _LineLoader.yaml_implicit_resolvers.copy().items()
}


class LineDict(dict):
    """A dict with the line it started on and the line of each value."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.line = 0
        self.lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []


def read_text(path: Path, label: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """Read a data file as UTF-8 text (a BOM and CRLF line ends are accepted)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [Problem(label, None, "file", "file is missing")]
    if size > max_bytes:
        return None, [Problem(label, None, "file", f"file is {size / 1e6:.1f} MB; the limit for a data file is {max_bytes / 1e6:.0f} MB")]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(label, None, "file", "file is empty")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(label, line, "file", f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8")]
    if "\x00" in text:
        return None, [Problem(label, text[: text.index("\x00")].count("\n") + 1, "file", "contains NUL bytes; not a text file")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _kind_name(value: Any) -> str:
    """What a reader calls a YAML value (not a Python class name)."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


def _yaml_problem(exc: yaml.YAMLError, label: str, suffix: str = "") -> Problem:
    # An unclosed quote is noticed far below where it opened: name the opening line too.
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    if start is not None and "quoted scalar" in str(getattr(exc, "context", "")):
        mark, start = start, None  # an unclosed quote: the line where it opened is the one to fix
    line = mark.line + 1 if mark else None
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if context and start is not None and start.line + 1 != line:
        what += f" ({context} that began on line {start.line + 1})"
    return Problem(label, line, "yaml", f"malformed YAML: {what}{suffix}")


def _compose(text: str):
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


# A top-level record of a block list starts with "- " (or a lone "-") at column 0.
_RECORD_START = re.compile(r"^-(?: |$)")


def _record_chunks(text: str) -> list[tuple[int, str]]:
    """The text cut into top-level records: (0-based first line, record text)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _RECORD_START.match(line)]
    return [(a, "\n".join(lines[a:b])) for a, b in zip(starts, starts[1:] + [len(lines)])]


def _recover_records(text: str, label: str) -> tuple[list, list, list[Problem]] | None:
    """Parse a damaged block list record by record, so one broken record costs only itself.

    Each record is parsed on its own, padded with blank lines so every line number stays the
    file's own. Returns (records, their nodes, problems), or None when the text is not a block
    list of records (then the whole-file error is the useful one).
    """
    chunks = _record_chunks(text)
    if not chunks:
        return None
    data, nodes, problems = [], [], []
    for first, chunk in chunks:
        try:
            node, items = _compose("\n" * first + chunk)
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(exc, label, "; this record is skipped, the records around it still load"))
            continue
        if not isinstance(items, list) or node is None:
            problems.append(Problem(label, first + 1, "yaml", "malformed YAML: expected a record starting with '- '"))
            continue
        data.extend(items)
        nodes.extend(node.value)
    return (data, nodes, problems) if problems else None


def parse_yaml_list(text: str, label: str) -> tuple[list[LineDict], list[Problem]]:
    recovered: list[Problem] = []
    try:
        node, data = _compose(text)
    except yaml.YAMLError as exc:
        salvage = _recover_records(text, label)
        if salvage is None:
            return [], [_yaml_problem(exc, label)]
        data, items, recovered = salvage
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", items)
    if not isinstance(data, list):
        line = node.start_mark.line + 1 if node is not None else 1
        return [], [Problem(label, line, "file", f"expected a list of records, got {_kind_name(data)}")]
    good, problems = [], recovered
    for i, (rec, item) in enumerate(zip(data, node.value), 1):
        if not isinstance(rec, LineDict):
            problems.append(Problem(label, item.start_mark.line + 1, f"record {i}", f"expected a mapping of field: value, got {_kind_name(rec)}"))
            continue
        good.append(rec)
    return good, problems


def parse_csv(text: str, label: str, schema: Schema) -> tuple[list[LineDict], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(label, None, "file", "file is empty")]
    except csv.Error as exc:
        return [], [Problem(label, 1, "header", f"malformed CSV: {exc}")]
    header = [h.strip() for h in header]
    missing = [f.name for f in schema.fields if f.required and f.name not in header]
    if missing:
        return [], [Problem(label, 1, name, "column is missing from the header") for name in missing]
    known = {f.name for f in schema.fields}
    # An unknown column is reported once, at the header, and ignored; the rows still load.
    problems: list[Problem] = [Problem(label, 1, h, f"unknown column (expected: {', '.join(f.name for f in schema.fields)})")
                               for h in header if h not in known]
    rows: list[LineDict] = []
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(label, start, "row", f"malformed CSV: {exc}"))
            break
        line, start = start, reader.line_num + 1  # a quoted cell may span lines: report where the row began
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            spans = " (a quote opened on this line is not closed)" if reader.line_num > line else ""
            problems.append(Problem(label, line, "row", f"has {len(values)} cells; the header has {len(header)}{spans}"))
            continue
        rec = LineDict({h: (v if v != "" else None) for h, v in zip(header, values) if h in known})
        rec.line = line
        rec.lines = {h: line for h in header}
        rows.append(rec)
    return rows, problems


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))  # also keeps dates inside pandas' datetime64 range
INT_LIMIT = 2**53  # larger integers are typos (and overflow Int64 / lose float precision)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    else:
        s = str(value).strip()
        if not ISO_DATE.match(s):  # fromisoformat also takes 20250101 and 2025-W01-1
            raise ValueError(s)
        d = dt.date.fromisoformat(s)
    if not DATE_RANGE[0] <= d <= DATE_RANGE[1]:
        raise ValueError(s)
    return d


def coerce(value: Any, f: Field) -> Any:
    """Convert one raw value to its schema type; raise ValueError with what was expected."""
    k = f.kind
    if k in ("str", "text"):
        if isinstance(value, (dict, list)):
            raise ValueError(f"expected text, got a {type(value).__name__}")
        s = str(value).strip()
        if not s:
            raise ValueError("expected text, got an empty value")
        return s
    if k == "slug":
        s = str(value).strip()
        if not SLUG.match(s):
            raise ValueError(f"expected a lowercase id of letters, digits and '-', got {value!r}")
        return s
    if k == "url":
        s = str(value).strip()
        if not re.match(r"^https?://\S+$", s):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return s
    if k == "lang":
        if value not in LANGS:
            raise ValueError(f"expected a language code ({', '.join(LANGS)}), got {value!r}")
        return value
    if k == "enum":
        if str(value) not in f.choices:
            raise ValueError(f"expected one of {', '.join(map(str, f.choices))}; got {value!r}")
        return str(value)
    if k == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise ValueError(f"expected true or false, got {value!r}")
    if k in ("int", "number"):
        if isinstance(value, bool):
            raise ValueError(f"expected a number, got {value!r}")
        try:
            num = float(str(value).replace(",", "")) if not isinstance(value, (int, float)) else float(value)
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
        if math.isnan(num) or math.isinf(num):
            raise ValueError(f"expected a finite number, got {value!r}")
        if abs(num) >= INT_LIMIT:
            raise ValueError(f"expected at most {INT_LIMIT - 1:,}, got {value!r}")
        if k == "int":
            if num != int(num):
                raise ValueError(f"expected a whole number, got {value!r}")
            num = int(num)
        if f.lo is not None and num < f.lo:
            raise ValueError(f"expected at least {f.lo:g}, got {value!r}" if f.lo != 0 else f"expected a number that is not negative, got {value!r}")
        if f.hi is not None and num > f.hi:
            raise ValueError(f"expected at most {f.hi:g}, got {value!r}")
        return num
    if k == "date":
        try:
            return _date(value)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r} (years 1900-2100)") from None
    if k == "partial_date":
        s = str(value).strip()
        if s == "undated":
            return s
        if not PARTIAL_DATE.match(s):
            raise ValueError(f"expected YYYY, YYYY-MM, YYYY-MM-DD or 'undated', got {value!r}")
        parts = s.split("-") + ["01", "01"]
        try:
            dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise ValueError(f"expected a real date, got {value!r}") from None
        return s
    if k == "ref":
        s = str(value).strip()
        if not s:
            raise ValueError("expected an id, got an empty value")
        return s
    if k == "refs":
        items = value if isinstance(value, list) else [v for v in str(value).split(";")]
        items = tuple(str(v).strip() for v in items if str(v).strip())
        if not items:
            raise ValueError("expected at least one id")
        return items
    raise AssertionError(f"unknown field kind {k}")


def check_records(records: list[LineDict], schema: Schema, label: str) -> tuple[list[dict], list[Problem]]:
    """Coerce every record; return the clean ones and a Problem for each bad field.

    Unknown fields are reported (a typo in a field name must not silently drop data).
    """
    known = {f.name for f in schema.fields} | set(schema.children)
    clean, problems = [], []
    seen: dict[Any, int] = {}
    for rec in records:
        row: dict[str, Any] = {"_line": rec.line, "_lines": rec.lines}
        bad = False
        for key, line in rec.duplicates:
            problems.append(Problem(label, line, key, "field appears twice in one record"))
            bad = True
        for key in rec:
            if key not in known:
                problems.append(Problem(label, rec.lines.get(key, rec.line), key, f"unknown field (expected one of: {', '.join(sorted(known))})"))
                bad = True
        for f in schema.fields:
            value = rec.get(f.name)
            line = rec.lines.get(f.name, rec.line)
            if value is None or (isinstance(value, str) and not value.strip()):
                if f.required:
                    problems.append(Problem(label, rec.line, f.name, "required field is missing"))
                    bad = True
                row[f.name] = None
                continue
            try:
                row[f.name] = coerce(value, f)
            except ValueError as exc:
                problems.append(Problem(label, line, f.name, str(exc)))
                bad = True
        for rule in schema.rules if not bad else ():  # cross-field rules only make sense on valid fields
            broken = rule(row)
            if broken:
                problems.append(Problem(label, rec.lines.get(broken[0], rec.line), broken[0], broken[1]))
                bad = True
        if schema.id_field and row.get(schema.id_field) is not None:
            key = row[schema.id_field]
            if key in seen:
                problems.append(Problem(label, rec.lines.get(schema.id_field, rec.line), schema.id_field,
                                        f"duplicate id {key!r} (first used on line {seen[key]})"))
                bad = True
            else:
                seen[key] = rec.lines.get(schema.id_field, rec.line)
        for child_name, child_schema in schema.children.items():
            items = rec.get(child_name) or []
            if not isinstance(items, list) or not all(isinstance(i, LineDict) for i in items):
                problems.append(Problem(label, rec.lines.get(child_name, rec.line), child_name,
                                        f"expected a list of records (field: value mappings), got {_kind_name(items)}"))
                bad = True
                continue
            kids, kid_problems = check_records(items, child_schema, label)
            problems.extend(kid_problems)
            if len(kids) != len(items):
                bad = True
            row[child_name] = kids
        if not bad:
            clean.append(row)
    return clean, problems


def check_refs(rows: list[dict], schema: Schema, label: str, ids: dict[str, set | None]) -> tuple[list[dict], list[Problem]]:
    """Drop rows whose references do not resolve (a figure without a source is not shown).

    ids[name] is None when that file itself failed to load: its own problem is reported there,
    and checking against it here would bury that one line under a problem for every record.
    """
    problems, keep = [], []
    for row in rows:
        bad = False
        for f in schema.fields:
            if f.kind not in ("ref", "refs") or f.ref is None or row.get(f.name) is None or ids.get(f.ref) is None:
                continue
            values = row[f.name] if f.kind == "refs" else (row[f.name],)
            for v in values:
                if v not in ids[f.ref]:
                    line = row.get("_lines", {}).get(f.name, row["_line"])
                    problems.append(Problem(label, line, f.name, f"unknown {f.ref} id {v!r}"))
                    bad = True
        for child_name, child_schema in schema.children.items():
            kids, kid_problems = check_refs(row.get(child_name, []), child_schema, label, ids)
            problems.extend(kid_problems)
            if len(kids) != len(row.get(child_name, [])):
                bad = True
        if not bad:
            keep.append(row)
    return keep, problems
