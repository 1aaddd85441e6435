"""The HK$4.06bn budget: published lines, derived contingency, the unexplained remainder, cost per camera.

Expected numbers are computed here from data/figures.yaml, never copied; the synthetic frames in
the rule tests are built by code and never shown.
"""
from __future__ import annotations

import pandas as pd
import pytest

from loaders import schema
from loaders.datasets import load_all, to_frame
from metrics import budget as budget_metrics
from tests.apptest import all_text, html_text, run_page
from ui import fmt


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return load_all()["figures"]


def fig(id, claim, value, unit="hkd", qualifier="exact", basis="cost_hkd", topic="budget", source="src"):
    return {"id": id, "as_of": "2026-02-13", "as_of_precision": "day", "stated": "2026-02-13", "value": value,
            "value_high": None, "qualifier": qualifier, "unit": unit, "basis": basis, "topic": topic, "claim": claim,
            "programme": "smartview", "phase": None, "source": source, "quote": f"quote {id}", "quote_lang": "en", "note": None}


def test_budget_total_equals_its_published_lines_plus_the_unexplained_remainder(figures):
    b = budget_metrics.budget(figures)
    budget = figures[(figures["topic"] == "budget") & (figures["basis"] == "cost_hkd")]
    total = float(budget.loc[budget["claim"] == budget_metrics.TOTAL_CLAIM, "value"].iloc[0])
    money = budget[(budget["unit"] == "hkd") & (budget["claim"] != budget_metrics.TOTAL_CLAIM) & ~budget["claim"].isin(budget_metrics.UNIT_COST_CLAIMS)]
    published = float(money.groupby("claim")["value"].first().sum())
    percents = budget[(budget["unit"] == "percent") & ~budget["claim"].str.removesuffix(budget_metrics.SHARE_SUFFIX).isin(money["claim"])]
    derived = float((percents["value"] / 100 * total).sum())

    assert b.total["value"] == total
    assert sum(ln.value for ln in b.lines if ln.kind in ("published", "reserved")) == pytest.approx(published)
    assert sum(ln.value for ln in b.lines if ln.kind == "derived") == pytest.approx(derived)
    assert b.remainder.value == pytest.approx(total - published - derived)
    assert total == pytest.approx(sum(ln.value for ln in b.costed) + b.remainder.value)
    assert budget_metrics.check_sum(b) == pytest.approx(0)


def test_contingency_amount_is_derived_from_the_published_percent(figures):
    b = budget_metrics.budget(figures)
    share = figures[figures["claim"] == "budget-contingency-share"].iloc[0]
    line = next(ln for ln in b.lines if ln.claim == "budget-contingency")
    assert line.kind == "derived"  # never labelled as published
    assert line.percent == share["value"]
    assert line.value == pytest.approx(share["value"] / 100 * b.total["value"])
    assert {r["id"] for r in line.inputs} == {b.total["id"], share["id"]}


def test_storage_is_labelled_reserved_and_keeps_its_about(figures):
    line = next(ln for ln in budget_metrics.budget(figures).lines if ln.claim == "budget-storage")
    rec = figures[figures["claim"] == "budget-storage"].iloc[0]
    assert (line.kind, line.value, line.qualifier) == ("reserved", rec["value"], rec["qualifier"])


def test_a_share_whose_amount_is_published_is_a_cross_check_not_a_second_line(figures):
    b = budget_metrics.budget(figures)
    assert "budget-cameras-share" in {c["claim"] for c in b.cross_checks}
    assert [ln.claim for ln in b.lines].count("budget-cameras") == 1


def test_lines_never_costed_in_public_are_listed_as_not_published(figures):
    b = budget_metrics.budget(figures)
    gaps = [ln for ln in b.lines if ln.kind == "not_published"]
    assert {ln.claim for ln in gaps} == {c for c, _ in budget_metrics.UNPUBLISHED_LINES} - set(figures["claim"])
    assert all(ln.value is None for ln in gaps)


def test_a_published_record_replaces_its_not_published_row():
    f = to_frame([fig("t", budget_metrics.TOTAL_CLAIM, 1000.0), fig("a", "budget-ai-toolbox", 100.0)], schema.FIGURES)
    b = budget_metrics.budget(f)
    assert [ln.kind for ln in b.lines if ln.claim == "budget-ai-toolbox"] == ["published"]
    assert b.remainder.value == 900.0 and b.remainder.qualifier == "exact"


def test_remainder_is_approximate_when_a_line_is_about():
    f = to_frame([fig("t", budget_metrics.TOTAL_CLAIM, 1000.0), fig("s", "budget-storage", 300.0, qualifier="about")], schema.FIGURES)
    assert budget_metrics.budget(f).remainder.qualifier == "about"


def test_no_total_means_no_remainder_and_no_cost_per_camera():
    f = to_frame([fig("a", "budget-fibre", 100.0)], schema.FIGURES)
    b = budget_metrics.budget(f)
    assert b.total is None and b.remainder is None
    assert budget_metrics.cost_per_camera(f, b) == []


def test_cost_per_camera_shows_its_inputs_and_flags_the_inference(figures):
    per = {p.key: p for p in budget_metrics.cost_per_camera(figures)}
    total = figures[figures["claim"] == budget_metrics.TOTAL_CLAIM].iloc[0]["value"]
    target = figures[figures["claim"] == budget_metrics.NETWORK_TARGET_CLAIM].iloc[0]["value"]
    base = figures[figures["claim"] == budget_metrics.BASE_COUNT_CLAIM].iloc[0]["value"]
    assert per["network"].value == pytest.approx(total / target) and not per["network"].inference
    assert per["added"].cameras == target - base
    assert per["added"].value == pytest.approx(total / (target - base)) and per["added"].inference


def test_both_recurrent_cost_figures_are_kept_as_a_conflict(figures):
    recs, conflict = budget_metrics.recurrent_costs(figures)
    expected = figures[figures["basis"] == "recurrent_cost_hkd"]
    assert set(recs["id"]) == set(expected["id"]) and len(recs) >= 2
    assert conflict


def test_phases_page_shows_every_budget_line_and_the_remainder():
    at = run_page("phases", "en")
    assert not at.exception
    b = budget_metrics.budget(load_all()["figures"])
    table = next(x for x in html_text(at) if x.startswith("The HK$4.06 billion request, line by line"))
    for ln in b.lines:
        expected = fmt.money_hkd(ln.value, "en") if ln.value is not None else "not published"
        assert expected in table, ln.claim
    assert "derived" in table
    assert fmt.money_hkd(b.total["value"], "en") in all_text(at)


def test_not_published_rows_cite_sources_that_exist(figures):
    sources = set(load_all()["sources"]["id"])
    for ln in budget_metrics.budget(figures).lines:
        if ln.kind == "not_published" and ln.source:
            assert ln.source in sources, ln.claim
