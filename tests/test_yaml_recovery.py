"""A damaged data file costs only its bad records: when the whole-file YAML parse fails, the loader
parses record by record between top-level '- ' lines, keeps every good record before and after the
damage, and names the file and line of each broken one."""
from __future__ import annotations

from pathlib import Path

from loaders.datasets import load_all
from loaders.validate import parse_yaml_list


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _record_starts(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith("- id: ")]


def test_malformed_line_costs_only_its_record(data_copy: Path):
    path = data_copy / "figures.yaml"
    lines = _lines(path)
    starts = _record_starts(lines)
    victim = starts[len(starts) // 2]
    before_id, victim_id, after_id = (lines[s].removeprefix("- id: ") for s in (starts[len(starts) // 2 - 1], victim, starts[len(starts) // 2 + 1]))
    lines.insert(victim + 2, '    value: [unclosed')  # bad indentation and an unclosed flow sequence
    path.write_text("\n".join(lines), encoding="utf-8")
    full = len(starts)

    bundle = load_all(data_copy)
    ids = set(bundle["figures"]["id"])
    assert {before_id, after_id} <= ids and victim_id not in ids
    assert len(ids) == full - 1
    mine = [p for p in bundle.problems if p.file == "figures.yaml"]
    assert mine and all(p.field == "yaml" and "malformed YAML" in p.message for p in mine), mine
    assert all(victim + 1 <= p.line <= victim + 4 for p in mine), [str(p) for p in mine]
    assert "the records around it still load" in mine[0].message


def test_truncated_file_keeps_every_record_before_the_cut(data_copy: Path):
    path = data_copy / "figures.yaml"
    lines = _lines(path)
    starts = _record_starts(lines)
    last = starts[-1]
    quote_line = next(i for i in range(last, len(lines)) if lines[i].startswith("  quote: "))
    cut = lines[:quote_line] + [lines[quote_line][: len(lines[quote_line]) // 2]]  # cut mid-quote, no closing quote
    path.write_text("\n".join(cut), encoding="utf-8")

    bundle = load_all(data_copy)
    assert len(bundle["figures"]) == len(starts) - 1
    probs = [p for p in bundle.problems if p.file == "figures.yaml"]
    assert probs and probs[0].line == quote_line + 1, [str(p) for p in probs]


def test_damage_in_two_places_keeps_the_records_between(data_copy: Path):
    path = data_copy / "figures.yaml"
    lines = _lines(path)
    starts = _record_starts(lines)
    a, b = starts[10], starts[20]
    for at in (b, a):  # insert from the bottom so the earlier index stays valid
        lines.insert(at + 1, "  : : broken")
    path.write_text("\n".join(lines), encoding="utf-8")
    bundle = load_all(data_copy)
    assert len(bundle["figures"]) == len(starts) - 2
    assert sorted(p.line for p in bundle.problems if p.file == "figures.yaml")[:2] == [a + 2, b + 3]


def test_text_that_is_not_a_list_of_records_reports_the_whole_file_error():
    records, problems = parse_yaml_list("id: x\n  bad: [\n", "x.yaml")
    assert records == [] and len(problems) == 1 and problems[0].field == "yaml"


def test_a_clean_file_is_parsed_in_one_piece():
    records, problems = parse_yaml_list("- id: a\n  v: 1\n- id: b\n  v: 2\n", "x.yaml")
    assert problems == [] and [r["id"] for r in records] == ["a", "b"] and records[1].line == 3
