"""`python -m loaders add-figure`: a valid record is appended and checked; anything else changes nothing."""
from __future__ import annotations

import pytest

from loaders.add_figure import Refused, add_figure, main_add_figure
from loaders.datasets import load_all

GOOD = {
    "claim": "police-installed-cameras", "value": "60,000", "qualifier": "about", "unit": "camera",
    "basis": "target_total", "topic": "target", "programme": "smartview", "as_of": "2028-12-31",
    "as_of_precision": "year", "stated": "2026-02-24", "source": "hk01-2026-02-15",
    "quote": "Police plan about 60,000 cameras by 2028.", "quote_lang": "en", "id": "test-figure-60000",
}
NEW_SOURCE = {"source": "test-news-2026-03-01", "source_title": "Police to add cameras", "source_publisher": "Test News",
              "source_url": "https://news.example.org/2026/03/01/cameras", "source_published": "2026-03-01",
              "source_language": "en", "source_kind": "news"}


def files(root):
    return {p.name: p.read_bytes() for p in (root / "figures.yaml", root / "sources.yaml")}


def test_add_figure_writes_a_record_that_check_accepts(data_copy):
    add_figure(GOOD, data_copy, today="2026-12-06")
    bundle = load_all(data_copy)
    assert bundle.problems == []
    row = bundle["figures"].set_index("id").loc["test-figure-60000"]
    assert (row["value"], row["qualifier"], row["unit"], row["source"]) == (60000, "about", "camera", "hk01-2026-02-15")
    assert row["quote"] == "Police plan about 60,000 cameras by 2028."


def test_add_figure_appends_text_and_keeps_comments(data_copy):
    before = (data_copy / "figures.yaml").read_text(encoding="utf-8")
    added = add_figure(GOOD, data_copy, today="2026-12-06")
    after = (data_copy / "figures.yaml").read_text(encoding="utf-8")
    assert after == before.rstrip("\n") + "\n\n" + added.text
    assert after.splitlines()[added.line - 1] == "- id: test-figure-60000"


@pytest.mark.parametrize("change, message", [
    ({"source": "no-such-source"}, "source: unknown source id 'no-such-source'; add it in the same command with --source-title"),
    ({"as_of": "2028-02-30"}, "as_of: expected a date YYYY-MM-DD, got '2028-02-30'"),
    ({"stated": "24/02/2026"}, "stated: expected a date YYYY-MM-DD, got '24/02/2026'"),
    ({"unit": "cameras"}, "unit: expected one of camera, set,"),
    ({"value": "sixty thousand"}, "value: expected a number, got 'sixty thousand'"),
    ({"id": "police-installed-cameras-2024-04-18-dimsumdaily"}, "id: duplicate id 'police-installed-cameras-2024-04-18-dimsumdaily'"),
    ({"quote": ""}, "quote: required (--quote)"),
    ({"stated": "2027-01-01"}, "stated: 2027-01-01 is after today (2026-12-06)"),
])
def test_add_figure_refuses_and_leaves_the_files_untouched(data_copy, change, message):
    before = files(data_copy)
    with pytest.raises(Refused) as err:
        add_figure({**GOOD, **change}, data_copy, today="2026-12-06")
    assert message in str(err.value)
    assert files(data_copy) == before


def test_add_figure_problem_names_the_new_line(data_copy):
    lines = (data_copy / "figures.yaml").read_text(encoding="utf-8").count("\n")
    with pytest.raises(Refused) as err:
        add_figure({**GOOD, "as_of": "2028-02-30"}, data_copy, today="2026-12-06")
    # the record starts two lines after the old end (one blank line between); as_of is its 9th line (id, claim, value, qualifier, unit, basis, topic, programme, as_of)
    assert str(err.value).startswith(f"figures.yaml:{lines + 2 + 8}: as_of:")


def test_add_figure_refuses_a_quote_without_its_number(data_copy):
    before = files(data_copy)
    with pytest.raises(Refused, match="quote"):
        add_figure({**GOOD, "quote": "Police plan tens of thousands of cameras by 2028."}, data_copy, today="2026-12-06")
    assert files(data_copy) == before


def test_add_figure_adds_a_new_source_in_the_same_command(data_copy):
    added = add_figure({**GOOD, **NEW_SOURCE}, data_copy, today="2026-12-06")
    bundle = load_all(data_copy)
    assert bundle.problems == []
    src = bundle.source("test-news-2026-03-01")
    assert (src["publisher"], src["original"], str(src["accessed"])[:10]) == ("Test News", True, "2026-12-06")
    assert added.source["id"] == "test-news-2026-03-01"


def test_add_figure_refuses_a_new_source_without_its_details(data_copy):
    before = files(data_copy)
    with pytest.raises(Refused, match=r"source_url: required for a new source \(--source-url\)"):
        add_figure({**GOOD, **{k: v for k, v in NEW_SOURCE.items() if k != "source_url"}}, data_copy, today="2026-12-06")
    assert files(data_copy) == before


def test_add_figure_copy_of_names_the_original_publisher(data_copy):
    add_figure({**GOOD, **NEW_SOURCE, "source_copy_of": "South China Morning Post"}, data_copy, today="2026-12-06")
    src = load_all(data_copy).source("test-news-2026-03-01")
    assert (src["original"], src["original_publisher"]) == (False, "South China Morning Post")


def test_add_figure_quote_that_looks_like_yaml_stays_text(data_copy):
    quote = 'He said: "about 60,000"\n- id: injected\n  value: 1 # not a record'
    add_figure({**GOOD, "quote": quote}, data_copy, today="2026-12-06")
    bundle = load_all(data_copy)
    assert bundle.problems == [] and "injected" not in set(bundle["figures"]["id"])
    assert bundle["figures"].set_index("id").loc["test-figure-60000", "quote"] == quote


def test_add_figure_default_id_from_claim_date_and_source(data_copy):
    added = add_figure({k: v for k, v in GOOD.items() if k != "id"}, data_copy, today="2026-12-06")
    assert added.figure["id"] == "police-installed-cameras-2028-12-31-hk01-2026-02-15"


def test_add_figure_asks_for_missing_values_in_a_terminal(data_copy, capsys):
    answers = iter(["about", "2028-12-31", "2026-02-24", ""])
    asked = []

    def ask(prompt):
        asked.append(prompt.split(" ")[0])
        return next(answers)

    args = [f"--{k.replace('_', '-')}={v}" for k, v in GOOD.items() if k not in ("qualifier", "as_of", "stated")]
    assert main_add_figure(args + ["--data-dir", str(data_copy), "--today", "2026-12-06"], ask=ask, interactive=True) == 0
    assert asked == ["qualifier", "as_of", "stated", "note"]
    assert "- id: test-figure-60000" in (data_copy / "figures.yaml").read_text(encoding="utf-8")


def test_add_figure_cli_refuses_with_exit_1_and_reasons(data_copy, capsys):
    args = [f"--{k.replace('_', '-')}={v}" for k, v in GOOD.items()] + ["--unit=bananas", "--data-dir", str(data_copy)]
    assert main_add_figure(args + ["--no-input", "--today", "2026-12-06"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("add-figure: not added, figures.yaml unchanged:\n  figures.yaml:")
    assert "unit: expected one of camera" in err


def test_add_figure_dry_run_writes_nothing(data_copy, capsys):
    before = files(data_copy)
    args = [f"--{k.replace('_', '-')}={v}" for k, v in GOOD.items()] + ["--data-dir", str(data_copy)]
    assert main_add_figure(args + ["--dry-run", "--no-input", "--today", "2026-12-06"]) == 0
    assert "- id: test-figure-60000" in capsys.readouterr().out
    assert files(data_copy) == before
