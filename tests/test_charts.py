"""ui/charts/*: each chart is a pure function of a view model and a Presenter, tested on its traces and labels."""
from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from metrics import scenario
from metrics.views.phases import scenario_result
from tests.conftest import ROOT
from ui.charts import phases as phase_charts
from ui.charts import progress as progress_charts
from ui.charts import safeguards as safeguard_charts
from ui.i18n import t
from ui.present import Presenter

LANGS = ("en", "zh-Hant")


def pr(shipped, lang) -> Presenter:
    return Presenter.for_bundle(shipped, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_progress_chart_draws_each_basis_sets_as_ranges_and_the_plan(shipped, views, lang):
    view = views["progress"]
    fig = progress_charts.progress_chart(view, pr(shipped, lang))
    names = [tr.name for tr in fig.data]
    assert t("progress.basis.installed_by_police", lang) in names and t("progress.chart.plan", lang) in names
    sets = next(tr for tr in fig.data if tr.meta == {"basis": "installed_by_police", "kind": "sets"})
    set_rows = view.counts[(view.counts["basis"] == "installed_by_police") & view.counts["is_set"]]
    lo, hi = view.per_set
    ys = [y for y in sets.y if y is not None]
    assert ys == [v for r in set_rows.itertuples() for v in (r.value * lo, (r.value if pd.isna(r.value_high) else r.value_high) * hi)]
    cams = next(tr for tr in fig.data if tr.meta == {"basis": "installed_by_police", "kind": "cameras"})
    police = view.counts[(view.counts["basis"] == "installed_by_police") & ~view.counts["is_set"]]
    assert list(cams.y) == list(police["value"].astype(float))
    assert list(cams.text) == [{"about": "~", "more_than": ">", "almost": "<", "at_least": "≥"}.get(q, "") for q in police["qualifier"]]
    assert (fig.layout.xaxis.tickformat == "%Y年%-m月") == (lang == "zh-Hant")


def test_progress_chart_per_1000_divides_by_the_population_and_leaves_sets_out(shipped, views):
    view = views["progress"]
    fig = progress_charts.progress_chart(view, pr(shipped, "en"), per1000=True, show_plan=False)
    cams = next(tr for tr in fig.data if tr.meta == {"basis": "installed_by_police", "kind": "cameras"})
    police = view.counts[(view.counts["basis"] == "installed_by_police") & ~view.counts["is_set"]]
    assert list(cams.y) == pytest.approx(list(police["value"] * 1000 / view.population.total))
    assert not [tr for tr in fig.data if (tr.meta or {}).get("kind") == "sets"]


def test_drift_chart_has_one_line_per_deadline_on_a_log_axis(shipped, views):
    view = views["progress"]
    fig = progress_charts.drift_chart(view, pr(shipped, "en"))
    deadlines = view.history.loc[view.history["unit"] == "camera", "as_of"].nunique()
    assert len([tr for tr in fig.data if tr.mode == "lines+markers+text"]) == deadlines
    assert fig.layout.yaxis.type == "log"


def test_cities_chart_shows_one_edition_and_hong_kong_on_its_scale(shipped, views):
    view = views["progress"]
    edition = view.default_editions["per_1000"]
    fig = progress_charts.cities_chart(view, pr(shipped, "en"), "per_1000", edition)
    rows = view.cities[(view.cities["edition"] == edition) & view.cities["per_1000"].notna()]
    assert len(fig.data[0].x) == len(rows)
    assert fig.data[1].name == t("progress.cities.hk_trace", "en")
    assert fig.layout.xaxis.tickformat is None  # a number axis: never given a date format


@pytest.mark.parametrize("lang", LANGS)
def test_budget_chart_segments_add_up_to_the_request(shipped, views, lang):
    view = views["phases"][lang]
    fig = phase_charts.budget_chart(view, pr(shipped, lang))
    lines = [tr for tr in fig.data if tr.meta["kind"] != "total"]
    assert sum(tr.x[0] for tr in lines) == pytest.approx(float(view.total["value"]))
    # Each line starts where the one before it ends: together they run the length of the total bar.
    ends = [tr.base[0] + tr.x[0] for tr in lines]
    assert [tr.base[0] for tr in lines[1:]] == pytest.approx(ends[:-1])
    kinds = {tr.meta["kind"] for tr in lines}
    assert {"published", "remainder"} <= kinds
    patterns = {tr.meta["kind"]: tr.marker.pattern.shape for tr in lines}
    assert patterns["remainder"] == "x" and patterns["published"] == "" and patterns.get("derived", "/") == "/"


@pytest.mark.parametrize("lang", LANGS)
def test_budget_chart_labels_every_line_with_its_amount_and_kind(shipped, views, lang):
    view = views["phases"][lang]
    p = pr(shipped, lang)
    fig = phase_charts.budget_chart(view, p)
    costed = [ln for ln in view.budget.lines if ln.value is not None]
    labels = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert len(labels) == len(costed)
    for ln, label in zip(costed, labels):
        assert p.money(ln.value, ln.qualifier) in label and t(f"phases.money.kind.{ln.kind}", lang) in label
    published = [tr.marker.color for tr in fig.data if tr.meta["kind"] == "published"]
    assert len(set(published)) == len(published)  # distinct lines, distinct colours
    assert not fig.layout.showlegend  # nothing to clip: the labels are the legend


def test_timeline_marks_the_date_the_record_is_read_as_of(shipped, views):
    view = views["phases"]["en"]
    fig = phase_charts.timeline_chart(view, pr(shipped, "en"))
    assert len([tr for tr in fig.data if tr.type == "bar"]) == len(view.phases)
    assert fig.layout.shapes[0].x0 == view.ref


def test_scenario_chart_at_a_crawl_reaches_nothing_before_2100(shipped, views):
    view = views["phases"]["en"]
    res = scenario_result(view, 1, view.preset_start, view.preset_base)
    assert all(d is scenario.BEYOND for d in res.reached.values())
    assert res.curve["date"].max() <= scenario.HORIZON
    fig = phase_charts.scenario_chart(view, pr(shipped, "en"), rate=1, start=view.preset_start, base=view.preset_base)
    assert t("phases.scenario.reached", "en") not in [tr.name for tr in fig.data]


def test_scenario_chart_at_the_published_pace_marks_where_targets_are_met(shipped, views):
    view = views["phases"]["en"]
    fig = phase_charts.scenario_chart(view, pr(shipped, "en"), rate=view.preset_rate, start=view.preset_start, base=view.preset_base)
    reached = next(tr for tr in fig.data if tr.name == t("phases.scenario.reached", "en"))
    assert list(reached.y) == [tg.value for tg in view.targets]


@pytest.mark.parametrize("lang", LANGS)
def test_capabilities_chart_has_a_row_per_capability_and_a_mark_per_dated_statement(shipped, views, lang):
    view = views["safeguards"][lang]
    fig = safeguard_charts.capabilities_chart(view, pr(shipped, lang))
    marks = sum(len(tr.x) for tr in fig.data if tr.mode == "markers")
    assert marks == int(view.timeline["date"].notna().sum())
    assert list(fig.layout.yaxis.categoryarray) == list(dict.fromkeys(view.timeline["name"]))[::-1]


def test_data_text_in_hovers_is_escaped(shipped, views):
    view = views["progress"]
    counts = view.counts.copy()
    counts.loc[counts.index[0], "quote"] = "<script>alert(1)</script>"
    bad = type(view)(**{**view.__dict__, "counts": counts})
    fig = progress_charts.progress_chart(bad, pr(shipped, "en"))
    text = fig.to_json()
    assert "<script>" not in text and "&lt;script&gt;" in text


PURE = ["ui/present.py", "ui/charts", "ui/content", "ui/briefing.py", "ui/url_state.py", "metrics", "loaders"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("where", PURE)
def test_view_models_charts_and_words_never_import_streamlit(where):
    files = [ROOT / where] if where.endswith(".py") else sorted((ROOT / where).rglob("*.py"))
    for f in files:
        assert not any(m == "streamlit" or m.startswith("streamlit.") for m in _imports(f)), f


@pytest.mark.parametrize("lower, upper", [("metrics", "ui"), ("metrics", "pages"), ("loaders", "metrics"), ("loaders", "ui"),
                                          ("ui", "pages")])
def test_imports_point_one_way(lower, upper):
    for f in sorted((ROOT / lower).rglob("*.py")):
        bad = [m for m in _imports(f) if m == upper or m.startswith(upper + ".")]
        assert not bad, f"{f.relative_to(ROOT)} imports {bad}"
