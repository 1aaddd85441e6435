"""Record rules of `python -m loaders check`, each both ways: a record that breaks the rule is named
by file, line and field; one that keeps it loads. Data is built in a copy of data/ (tmp_path)."""
from __future__ import annotations

from pathlib import Path

from loaders.__main__ import main_check
from loaders.datasets import load_all

FIG = """\
- id: zz-rule-figure
  claim: zz-rule-claim
  value: {value}
  qualifier: {qualifier}
  unit: camera
  basis: target_total
  topic: target
  programme: smartview
  as_of: "2028-12-31"
  as_of_precision: year
  stated: "2026-02-15"
  source: am730-2026-02-15
  quote: "{quote}"
  quote_lang: zh-Hant
{extra}"""


def _append(root: Path, file: str, block: str) -> int:
    """Append a record; return the 1-based line of its first line."""
    path = root / file
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    first = text.count("\n") + 1
    path.write_text(text + block, encoding="utf-8")
    return first


def _figure(root: Path, value="60000", qualifier="about", quote="警方預計2028年全港會安裝約6萬支閉路電視鏡頭。", extra="") -> int:
    return _append(root, "figures.yaml", FIG.format(value=value, qualifier=qualifier, quote=quote, extra=extra))


def _problems(root: Path, file: str) -> list[str]:
    return [str(p) for p in load_all(root).problems if p.file == file]


def _ids(root: Path, name: str) -> set[str]:
    return set(load_all(root)[name]["id"])


# --------------------------------------------------------------------------- the quote contains its value

def test_quote_that_contains_its_value_loads(data_copy: Path):
    _figure(data_copy)
    assert _problems(data_copy, "figures.yaml") == []
    assert "zz-rule-figure" in _ids(data_copy, "figures")


def test_quote_without_its_value_is_named_by_file_line_and_field(data_copy: Path):
    first = _figure(data_copy, value="66500", quote="再增加約6,500支鏡頭")
    quote_line = first + 12
    probs = _problems(data_copy, "figures.yaml")
    assert any(p.startswith(f"figures.yaml:{quote_line}: quote: does not contain the value 66,500 as published") for p in probs), probs
    assert "zz-rule-figure" not in _ids(data_copy, "figures")


def test_check_command_prints_the_quote_problem(data_copy: Path, capsys):
    first = _figure(data_copy, value="66500", quote="再增加約6,500支鏡頭")
    assert main_check(["--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert f"figures.yaml:{first + 12}: quote: does not contain the value 66,500" in out


def test_value_in_a_headline_is_accepted_with_the_headline_quoted(data_copy: Path):
    _figure(data_copy, value="66500", quote="再增加約6,500支鏡頭",
            extra='  value_in: headline\n  value_text: "擴銳眼計劃斥40億元裝6.65萬支鏡頭"\n')
    assert _problems(data_copy, "figures.yaml") == []


def test_value_in_a_headline_without_the_headline_is_named(data_copy: Path):
    first = _figure(data_copy, value="66500", quote="再增加約6,500支鏡頭", extra="  value_in: headline\n")
    probs = _problems(data_copy, "figures.yaml")
    assert any(p.startswith(f"figures.yaml:{first}: value_text: required when value_in is headline") for p in probs), probs


def test_headline_text_without_the_value_is_named(data_copy: Path):
    first = _figure(data_copy, value="70000", quote="再增加約6,500支鏡頭",
                    extra='  value_in: headline\n  value_text: "擴銳眼計劃斥40億元裝6.65萬支鏡頭"\n')
    probs = _problems(data_copy, "figures.yaml")
    assert any(p.startswith(f"figures.yaml:{first + 15}: value_text: does not contain the value 70,000") for p in probs), probs


def test_derived_number_names_its_inputs_and_loads(data_copy: Path):
    _figure(data_copy, value="66500", quote="再增加約6,500支鏡頭",
            extra="  derived_from: [target-2031-additional-2026-02-25-am730, target-2028-2026-02-15-am730]\n")
    assert _problems(data_copy, "figures.yaml") == []


def test_derived_from_an_unknown_figure_is_named(data_copy: Path):
    first = _figure(data_copy, value="66500", quote="再增加約6,500支鏡頭", extra="  derived_from: [no-such-figure]\n")
    probs = _problems(data_copy, "figures.yaml")
    assert f"figures.yaml:{first + 14}: derived_from: unknown figures id 'no-such-figure'" in probs, probs


# --------------------------------------------------------------------------- 約 stays "about"

def test_exact_record_whose_quote_says_about_is_named(data_copy: Path):
    first = _figure(data_copy, qualifier="exact")
    probs = _problems(data_copy, "figures.yaml")
    assert any(p.startswith(f"figures.yaml:{first + 3}: qualifier: is exact, but the source writes '約' before 60,000") for p in probs), probs


def test_exact_record_with_a_bare_number_loads(data_copy: Path):
    _figure(data_copy, qualifier="exact", quote="預計到2028年增加共6萬支閉路電視鏡頭覆蓋全港")
    assert _problems(data_copy, "figures.yaml") == []


# --------------------------------------------------------------------------- titles are headlines or say they are not known

SRC = """\
- id: zz-rule-source
{title}  publisher: Test Publisher
  url: https://example.org/zz
  published: "2026-02"
  language: en
  kind: news
  original: true
  accessed: "2026-11-30"
"""


def test_source_with_unknown_headline_says_so_and_loads(data_copy: Path):
    _append(data_copy, "sources.yaml", SRC.format(title="  headline_known: false\n"))
    assert _problems(data_copy, "sources.yaml") == []
    assert "zz-rule-source" in _ids(data_copy, "sources")


def test_source_without_a_title_or_a_word_on_it_is_named(data_copy: Path):
    first = _append(data_copy, "sources.yaml", SRC.format(title=""))
    assert f"sources.yaml:{first}: title: required field is missing (or set headline_known: false when the headline is not known)" \
        in _problems(data_copy, "sources.yaml")


def test_source_with_a_title_and_headline_unknown_is_named(data_copy: Path):
    first = _append(data_copy, "sources.yaml", SRC.format(title='  title: "made-up-slug"\n  headline_known: false\n'))
    assert f"sources.yaml:{first + 1}: title: must be empty when headline_known is false" in _problems(data_copy, "sources.yaml")


# --------------------------------------------------------------------------- a phase starts on a source's word

PHASE = """\
- id: zz-rule-phase
  number: 2
  name_en: Test phase
  name_zh: 測試階段
  start: "2026-04-01"
  end: "2028-12-31"
  end_precision: year
  promise_en: A test promise.
{start}  sources:
    - tvb-pearl-2026-02-24
"""


def test_confirmed_start_with_its_source_loads(data_copy: Path):
    _append(data_copy, "phases.yaml", PHASE.format(
        start='  start_status: confirmed\n  start_confirmed_by: hkcd-2025-02-11\n  start_quote: "a test quote"\n'))
    assert _problems(data_copy, "phases.yaml") == []


def test_confirmed_start_without_a_source_is_named(data_copy: Path):
    first = _append(data_copy, "phases.yaml", PHASE.format(start="  start_status: confirmed\n"))
    assert f"phases.yaml:{first}: start_confirmed_by: required when start_status is confirmed (the source that says the phase started)" \
        in _problems(data_copy, "phases.yaml")


# --------------------------------------------------------------------------- freshness

def test_freshness_statement_after_the_check_is_named(data_copy: Path):
    path = data_copy / "freshness.yaml"
    text = path.read_text(encoding="utf-8").replace('last_date: "2026-02-27"', 'last_date: "2026-12-25"')
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index('  last_date: "2026-12-25"') + 1
    assert f"freshness.yaml:{line}: last_date: must not be after checked" in _problems(data_copy, "freshness.yaml")


def test_freshness_unknown_figure_is_named(data_copy: Path):
    path = data_copy / "freshness.yaml"
    text = path.read_text(encoding="utf-8").replace("last_figure: police-installed-cameras-phase1-hk01-2026-02-24", "last_figure: no-such-figure")
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("  last_figure: no-such-figure") + 1
    assert f"freshness.yaml:{line}: last_figure: unknown figures id 'no-such-figure'" in _problems(data_copy, "freshness.yaml")
