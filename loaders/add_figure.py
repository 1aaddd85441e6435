"""`python -m loaders add-figure`: add one published number to figures.yaml without hand-editing YAML.

The record is written as text at the end of figures.yaml (comments and layout stay as they are),
with its source appended to sources.yaml when the same command names a new one. Before anything
is written, the new records go into a copy of the data directory and the full load and check run
there: if any problem appears that was not there before (a bad date or unit, an unknown source,
a duplicate id, a quote that does not contain the value once that rule is in `loaders check`),
nothing is written and the problems are printed. In a terminal, missing values are asked for.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from loaders import schema
from loaders import yaml_text

FIGURE_ORDER = ("id", "claim", "value", "value_high", "qualifier", "unit", "basis", "topic", "programme", "phase",
                "as_of", "as_of_precision", "stated", "source", "quote", "quote_lang", "note")
SOURCE_ORDER = ("id", "title", "publisher", "url", "published", "language", "kind", "original", "original_publisher",
                "accessed", "licence", "note")
REQUIRED = ("claim", "value", "qualifier", "unit", "basis", "topic", "programme", "source", "quote", "quote_lang")
SOURCE_REQUIRED = ("title", "publisher", "url", "published", "language", "kind")
CHOICES = {"qualifier": schema.QUALIFIERS, "unit": schema.UNITS, "basis": schema.BASES, "topic": schema.TOPICS, "programme": schema.PROGRAMMES,
           "as_of_precision": schema.PRECISIONS + ("undated",), "quote_lang": schema.LANGS, "source_language": schema.LANGS,
           "source_kind": schema.SOURCE_KINDS}
HELP = {
    "id": "figure id, lowercase letters, digits and '-' (default: CLAIM-AS_OF-SOURCE)",
    "claim": "what is claimed, shared by records of the same quantity (e.g. police-installed-cameras)",
    "value": "the number as published (60,000 or 60000)", "value_high": "upper end of a published range",
    "qualifier": "exact, about, more_than, ...", "unit": "camera, set, hkd, ... (sets stay sets)",
    "basis": "what is counted", "topic": "subject area", "programme": "programme or phase",
    "phase": "SmartView phase 1-3, where the source ties the number to one",
    "as_of": "date the number refers to, YYYY-MM-DD (empty when not published)",
    "as_of_precision": "day, month or year (how much of as_of the source gives), or undated",
    "stated": "when it was said or published, YYYY-MM-DD", "source": "source id in sources.yaml",
    "quote": "the sentence that contains the number, verbatim, in its original language",
    "quote_lang": "language of the quote (en, zh-Hant, ...)", "note": "caveats",
}


class Refused(Exception):
    """The figure was not added; the message says why (one problem a line)."""


@dataclass
class Added:
    figure: dict
    source: dict | None
    line: int  # where the figure starts in figures.yaml
    text: str  # what was appended to figures.yaml


def _number(text) -> int | float:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return text
    s = str(text).strip().replace(",", "")
    try:
        num = float(s)
    except ValueError:
        raise Refused(f"value: expected a number, got {text!r}") from None
    return int(num) if num.is_integer() else num


def build_records(values: dict, known_sources: set[str], today: str) -> tuple[dict, dict | None]:
    """The figure record (and a new source record) from the values given; Refused when incomplete."""
    missing = [f for f in REQUIRED if values.get(f) in (None, "")]
    if missing:
        raise Refused("\n".join(f"{f}: required (--{f.replace('_', '-')})" for f in missing))
    fig = {f: values.get(f) for f in FIGURE_ORDER if values.get(f) not in (None, "")}
    fig["value"] = _number(fig["value"])
    if "value_high" in fig:
        fig["value_high"] = _number(fig["value_high"])
    if "phase" in fig:
        fig["phase"] = int(_number(fig["phase"]))
    fig["quote"] = str(fig["quote"]).strip()
    fig.setdefault("as_of_precision", "day" if fig.get("as_of") else "undated")
    if fig.get("stated"):
        try:
            if dt.date.fromisoformat(str(fig["stated"])) > dt.date.fromisoformat(today):
                raise Refused(f"stated: {fig['stated']} is after today ({today}); a statement cannot be dated in the future")
        except ValueError:
            pass  # the check reports a malformed date with its line
    fig.setdefault("id", "-".join(str(x) for x in (fig["claim"], fig.get("as_of") or "undated", fig["source"])))
    fig = {f: fig[f] for f in FIGURE_ORDER if f in fig}
    src_given = {f: values.get(f"source_{f}") for f in SOURCE_REQUIRED + ("copy_of", "licence", "note", "accessed")
                 if values.get(f"source_{f}") not in (None, "")}
    source = None
    if fig["source"] in known_sources:
        if src_given:
            raise Refused(f"source: {fig['source']!r} is already in sources.yaml; leave out the --source-* options")
    else:
        if not src_given:
            raise Refused(f"source: unknown source id {fig['source']!r}; add it in the same command with "
                          + ", ".join(f"--source-{f}" for f in SOURCE_REQUIRED) + " (and --source-copy-of PUBLISHER for a copy)")
        missing = [f for f in SOURCE_REQUIRED if f not in src_given]
        if missing:
            raise Refused("\n".join(f"source_{f}: required for a new source (--source-{f})" for f in missing))
        source = {"id": fig["source"], "title": src_given["title"], "publisher": src_given["publisher"],
                  "url": src_given["url"], "published": str(src_given["published"]), "language": src_given["language"],
                  "kind": src_given["kind"], "original": "copy_of" not in src_given,
                  "original_publisher": src_given.get("copy_of"), "accessed": src_given.get("accessed", today),
                  "licence": src_given.get("licence"), "note": src_given.get("note")}
        source = {f: source[f] for f in SOURCE_ORDER if source.get(f) not in (None, "")}
    return fig, source


def _block(record: dict, order) -> str:
    block = yaml_text.record_block(record, order)
    if yaml_text.read_back(block) != record:
        raise Refused(f"{record.get('id')}: the record does not read back unchanged; nothing written")
    return block


def _line_range(text_before: str, block: str) -> range:
    """1-based lines the block occupies once appended to text_before."""
    start = yaml_text.append(text_before, "").count("\n") + 1
    return range(start, start + block.count("\n"))


def add_figure(values: dict, root=None, *, today: str | None = None, dry_run: bool = False) -> Added:
    """Check the new records in a copy of the data directory, then append them; Refused on any new problem."""
    from loaders.datasets import data_dir, load_all
    from loaders.validate import parse_yaml_list, read_text

    root = data_dir(root)
    today = today or dt.datetime.now(dt.timezone.utc).date().isoformat()
    figures_path, sources_path = root / schema.FIGURES.file, root / schema.SOURCES.file
    src_text, _ = read_text(sources_path, schema.SOURCES.file)
    known = {str(r.get("id")) for r in parse_yaml_list(src_text or "[]", schema.SOURCES.file)[0]}
    fig, source = build_records(values, known, today)
    fig_block = _block(fig, FIGURE_ORDER)
    src_block = _block(source, SOURCE_ORDER) if source else None

    before = load_all(root)
    baseline = {(p.file, p.field, p.message) for p in before.problems}
    fig_old = figures_path.read_text(encoding="utf-8")
    src_old = sources_path.read_text(encoding="utf-8")
    fig_new = yaml_text.append(fig_old, fig_block)
    src_new = yaml_text.append(src_old, src_block) if src_block else src_old
    fig_lines = _line_range(fig_old, fig_block)
    src_lines = _line_range(src_old, src_block) if src_block else range(0)

    work = Path(tempfile.mkdtemp(prefix=".add-figure-", dir=root.parent))
    try:
        tmp = work / "data"
        shutil.copytree(root, tmp)
        (tmp / schema.FIGURES.file).write_text(fig_new, encoding="utf-8", newline="\n")
        (tmp / schema.SOURCES.file).write_text(src_new, encoding="utf-8", newline="\n")
        after = load_all(tmp)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    new = [p for p in after.problems if (p.file, p.field, p.message) not in baseline
           or (p.file == schema.FIGURES.file and p.line in fig_lines) or (p.file == schema.SOURCES.file and p.line in src_lines)]
    if not new and fig["id"] not in set(after.frames["figures"]["id"]):
        new_msg = [f"{schema.FIGURES.file}:{fig_lines.start}: id: the new figure did not load"]
    else:
        new_msg = [str(p) for p in new]
    if new_msg:
        raise Refused("\n".join(new_msg))
    if not dry_run:
        if source:
            _write(sources_path, src_new)
        _write(figures_path, fig_new)
    return Added(fig, source, fig_lines.start, fig_block)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


# ---------------------------------------------------------------- command line

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m loaders add-figure",
                                description="Add one published figure (and its source, if new) and check the data.")
    for f in FIGURE_ORDER:
        p.add_argument(f"--{f.replace('_', '-')}", dest=f, help=HELP.get(f), metavar=f.upper())
    g = p.add_argument_group("a new source (when --source is not yet in sources.yaml)")
    for f in SOURCE_REQUIRED + ("licence", "note", "accessed"):
        g.add_argument(f"--source-{f}", dest=f"source_{f}", metavar=f.upper())
    g.add_argument("--source-copy-of", dest="source_copy_of", metavar="PUBLISHER",
                   help="the page republishes an article by PUBLISHER (original: false)")
    p.add_argument("--today", help="today's date, YYYY-MM-DD (default: today, UTC; for reproducible runs)")
    p.add_argument("--dry-run", action="store_true", help="check and show the record without writing it")
    p.add_argument("--no-input", action="store_true", help="never ask; fail on missing values (the default when not in a terminal)")
    p.add_argument("--data-dir", default=None, help="data directory (default: $HKCCTV_DATA_DIR or data/)")
    return p


def ask_missing(values: dict, ask: Callable[[str], str], known_sources: set[str]) -> dict:
    """Ask for each missing required value (and the new source's details when the source is new)."""
    out = dict(values)
    for f in REQUIRED:
        while out.get(f) in (None, ""):
            choices = CHOICES.get(f)
            hint = f" [{'/'.join(choices)}]" if choices and len(choices) <= 20 else ""
            out[f] = ask(f"{f} ({HELP.get(f, '')}){hint}: ").strip() or None
    for f in ("as_of", "stated", "note"):
        if out.get(f) is None:
            out[f] = ask(f"{f} ({HELP[f]}; empty to leave out): ").strip() or None
    if out.get("source") not in known_sources:
        for f in SOURCE_REQUIRED:
            key = f"source_{f}"
            while out.get(key) in (None, ""):
                out[key] = ask(f"new source {f}: ").strip() or None
    return out


def main_add_figure(argv: list[str], *, ask: Callable[[str], str] | None = None, interactive: bool | None = None) -> int:
    from loaders.datasets import data_dir, load_all
    from loaders.validate import parse_yaml_list, read_text

    a = build_parser().parse_args(argv)
    values = {k: v for k, v in vars(a).items() if k not in ("today", "dry_run", "no_input", "data_dir")}
    interactive = (sys.stdin.isatty() and not a.no_input) if interactive is None else interactive
    root = data_dir(a.data_dir)
    if interactive:
        text, _ = read_text(root / schema.SOURCES.file, schema.SOURCES.file)
        known = {str(r.get("id")) for r in parse_yaml_list(text or "[]", schema.SOURCES.file)[0]}
        values = ask_missing(values, ask or input, known)
    try:
        added = add_figure(values, root, today=a.today, dry_run=a.dry_run)
    except Refused as exc:
        print(f"add-figure: not added, {schema.FIGURES.file} unchanged:", file=sys.stderr)
        for line in str(exc).splitlines():
            print(f"  {line}", file=sys.stderr)
        return 1
    sys.stdout.write(added.text)
    verb = "would add" if a.dry_run else "added"
    print(f"{verb} figure {added.figure['id']} at {root / schema.FIGURES.file}:{added.line}"
          + (f" and source {added.source['id']} to {schema.SOURCES.file}" if added.source else ""), file=sys.stderr)
    if not a.dry_run:
        bundle = load_all(root)
        print(f"check: {len(bundle.problems)} problems; {len(bundle.frames['figures'])} figures, "
              f"{len(bundle.frames['sources'])} sources", file=sys.stderr)
    return 0
