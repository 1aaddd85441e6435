"""ui/content/chart_text.py: every chart's text alternative states its message with the chart's own numbers."""
from __future__ import annotations

import pytest

from metrics.views.phases import scenario_result
from ui.charts import phases as phase_charts
from ui.content import chart_text
from ui.i18n import t
from ui.present import Presenter

LANGS = ("en", "zh-Hant")


@pytest.mark.parametrize("lang", LANGS)
def test_budget_alt_names_every_costed_line_with_its_amount(shipped, views, lang):
    pr = Presenter.for_bundle(shipped, lang)
    view = views["phases"][lang]
    alt = chart_text.budget_alt(view, pr)
    assert pr.money(view.total["value"], view.total["qualifier"]) in alt
    for ln in view.budget.lines:
        if ln.value is not None:
            assert f"{phase_charts.line_label(pr, ln.claim)} {pr.money(ln.value, ln.qualifier)}" in alt


@pytest.mark.parametrize("lang", LANGS)
def test_budget_rows_match_the_lines_and_say_not_published(shipped, views, lang):
    pr = Presenter.for_bundle(shipped, lang)
    view = views["phases"][lang]
    rows = chart_text.budget_rows(view, pr)
    assert [r["line"] for r in rows] == [phase_charts.line_label(pr, ln.claim) for ln in view.budget.lines]
    unpublished = [r for r, ln in zip(rows, view.budget.lines) if ln.value is None]
    assert unpublished and all(r["amount"] == t("common.not_published", lang) for r in unpublished)
    assert not any("nan" in str(v) for r in rows for v in r.values())


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_alt_and_table_give_each_phase_its_dates(shipped, views, lang):
    pr = Presenter.for_bundle(shipped, lang)
    view = views["phases"][lang]
    alt = chart_text.timeline_alt(view, pr)
    table = chart_text.timeline_table(view, pr)
    for r in view.phases.to_dict("records"):
        assert pr.date(r["start"], "month") in alt and pr.date(r["end"], r["end_precision"]) in alt
    assert len(table) == len(view.timeline)
    assert set(table[t("chart_alt.col.phase", lang)]) == {t("phases.timeline.row", lang, n=int(n)) for n in view.phases["number"]}


def test_scenario_alt_says_when_each_target_is_reached(shipped, views):
    pr = Presenter.for_bundle(shipped, "en")
    view = views["phases"]["en"]
    res = scenario_result(view, view.preset_rate, view.preset_start, view.preset_base)
    alt = chart_text.scenario_alt(res, view, pr)
    for tg in view.targets:
        assert pr.n(tg.value) in alt
    assert pr.n(res.rate) in alt and pr.value(res.base) in alt


@pytest.mark.parametrize("lang", LANGS)
def test_capabilities_table_has_a_row_per_statement_with_its_status(shipped, views, lang):
    pr = Presenter.for_bundle(shipped, lang)
    view = views["safeguards"][lang]
    table = chart_text.capabilities_table(view, pr)
    assert len(table) == len(view.timeline)
    statuses = {t(f"safeguards.cap_status.{s}", lang) for s in view.timeline["status"]}
    assert set(table[t("chart_alt.col.status", lang)]) == statuses
    alt = chart_text.capabilities_alt(view, pr)
    assert all(cap.latest["name"] in alt for cap in view.capabilities)


@pytest.mark.parametrize("lang", LANGS)
def test_progress_alts_state_the_latest_count_and_the_target(shipped, views, lang):
    pr = Presenter.for_bundle(shipped, lang)
    view = views["progress"]
    alt = chart_text.progress_alt(view, pr)
    assert pr.value(view.lead) in alt and pr.value(view.target) in alt
    assert str(len(view.history)) in chart_text.drift_alt(view, pr)
    assert "⟦" not in alt + chart_text.outcomes_alt(view, pr)
