"""Edit the curated YAML files as text, so comments, order and layout stay as people wrote them.

Re-dumping figures.yaml with a YAML library would drop every comment and reflow every record;
these helpers append, replace or remove one record's block of lines and write each value as a
plain word or a JSON-style double-quoted string, which YAML reads back exactly. Every block is
read back and compared with the values it was made from before anyone writes it.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from loaders.validate import parse_yaml_list

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Words YAML 1.1 reads as booleans or null: never written bare.
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def quote(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `text` (escapes anything unprintable)."""
    out = []
    for ch in json.dumps(text, ensure_ascii=False)[1:-1]:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return quote(text)


def record_block(record: dict, order: Iterable[str] | None = None) -> str:
    """One record as YAML list-item lines ('- id: x' then '  field: value'); empty values left out."""
    keys = [k for k in (order or record) if k in record] + [k for k in record if order and k not in order]
    lines = []
    for k in keys:
        v = record[k]
        if v is None or (isinstance(v, str) and v == "") or (isinstance(v, (list, tuple)) and not v):
            continue
        lines.append(("- " if not lines else "  ") + f"{k}: {scalar(v)}")
    return "\n".join(lines) + "\n"


def read_back(block: str) -> dict:
    """The record a block reads as, through the project's own YAML loader."""
    records, problems = parse_yaml_list(block, "block")
    if problems or len(records) != 1:
        raise ValueError(f"the new record does not read back as one record: {'; '.join(map(str, problems))}")
    return {k: v for k, v in records[0].items()}


# ---------------------------------------------------------------- blocks in a file

def _start(line: str, key: str) -> str | None:
    m = re.match(rf'^- {re.escape(key)}:\s*(.*?)\s*(#.*)?$', line)
    if not m:
        return None
    val = m.group(1)
    if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
        val = val[1:-1]
    return val


def blocks(text: str, key: str = "id") -> list[tuple[str, int, int]]:
    """(record id, first line, end line) of each top-level record; comment and blank lines
    directly before the next record are left outside the block (they introduce that record)."""
    lines = text.split("\n")
    starts = [(i, _start(ln, key)) for i, ln in enumerate(lines) if ln.startswith("- ")]
    out = []
    for n, (i, rid) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        if rid is not None:
            out.append((rid, i, end))
    return out


def find(text: str, rid: str, key: str = "id") -> tuple[int, int] | None:
    for found, start, end in blocks(text, key):
        if found == rid:
            return start, end
    return None


def append(text: str, block: str) -> str:
    """The file text with a new record at the end, separated by one blank line."""
    body = text.rstrip("\n")
    return (body + "\n\n" if body else "") + block


def replace(text: str, rid: str, block: str | None, key: str = "id") -> str:
    """The file text with one record's block replaced (or removed when block is None)."""
    where = find(text, rid, key)
    if where is None:
        raise KeyError(rid)
    lines = text.split("\n")
    start, end = where
    new = [] if block is None else block.rstrip("\n").split("\n")
    if block is None:  # drop the blank line that separated the removed record too
        while end < len(lines) and not lines[end].strip() and start > 0 and not lines[start - 1].strip():
            end += 1
    return "\n".join(lines[:start] + new + lines[end:])


def set_field(text: str, rid: str, field: str, value: Any, key: str = "id") -> str:
    """The file text with one field of one record set (the line replaced in place, or added last)."""
    where = find(text, rid, key)
    if where is None:
        raise KeyError(rid)
    lines = text.split("\n")
    start, end = where
    for i in range(start, end):
        if re.match(rf"^(- |  ){re.escape(field)}:", lines[i]):
            prefix = lines[i][:2]
            lines[i] = f"{prefix}{field}: {scalar(value)}"
            return "\n".join(lines)
    lines.insert(end, f"  {field}: {scalar(value)}")
    return "\n".join(lines)
