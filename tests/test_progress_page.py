"""AppTest checks of the rollout-progress page. Expected numbers are computed here, directly from
data/ with pandas (not through metrics/progress.py), so the page is checked against the data."""
from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from loaders.datasets import load_all
from tests.apptest import all_text, run_page
from ui import fmt
from ui.i18n import t

AVG_MONTH_DAYS = 365.25 / 12


def latest_count(figs: pd.DataFrame, claim: str) -> pd.Series:
    """The newest observed camera count of a claim (newest statement first among ties)."""
    f = figs[(figs["claim"] == claim) & (figs["unit"] == "camera") & (figs["as_of"] <= figs["stated"])]
    return f[f["as_of"] == f["as_of"].max()].sort_values("stated", ascending=False).iloc[0]


def expected(root=None) -> dict:
    b = load_all(root)
    figs = b["figures"]
    police = latest_count(figs, "police-installed-cameras")
    system = latest_count(figs, "system-total-cameras")
    target_id = b["phases"].set_index("number").loc[2, "target_figure"]
    target = figs.set_index("id").loc[target_id]
    months = (target["as_of"] - police["as_of"]).days / AVG_MONTH_DAYS
    cams = figs[(figs["claim"] == "police-installed-cameras") & (figs["unit"] == "camera") & (figs["as_of"] < police["as_of"])]
    aim = police["as_of"] - pd.DateOffset(months=12)
    earlier = cams.assign(gap=(cams["as_of"] - aim).abs()).sort_values(["gap", "as_of"]).iloc[0]
    recent = (police["value"] - earlier["value"]) / ((police["as_of"] - earlier["as_of"]).days / AVG_MONTH_DAYS)
    d = b["districts"]
    pop = d["population_2021"].sum() if d["population_2021"].notna().all() else d["population_2019"].sum()
    return {"police": police["value"], "system": system["value"], "target": target["value"],
            "percent": police["value"] / target["value"] * 100, "needed": (target["value"] - police["value"]) / months,
            "recent": recent, "population": pop}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart(at, key: str = "p_chart") -> list[dict]:
    el = next(e for e in at.get("plotly_chart") if getattr(e, "key", None) == key)
    return json.loads(el.proto.spec)["data"]


def trace(data: list[dict], basis: str, kind: str = "cameras") -> dict:
    return next(tr for tr in data if tr.get("meta", {}).get("basis") == basis and tr["meta"].get("kind") == kind)


@pytest.fixture(scope="module")
def page_en():
    return run_page("progress", lang="en")


def test_page_renders_in_both_languages_without_missing_strings(page_en):
    assert not page_en.exception
    zh = run_page("progress", lang="zh-Hant")
    assert not zh.exception
    for at in (page_en, zh):
        assert "⟦" not in all_text(at)
    assert t("progress.headline.police", "zh-Hant") in metrics(zh)


def test_headline_numbers_equal_values_computed_from_the_data(page_en):
    exp = expected()
    m = metrics(page_en)
    assert fmt.number(exp["police"]) in m[t("progress.headline.police")]
    assert fmt.number(exp["system"]) in m[t("progress.headline.system")]
    assert fmt.number(exp["target"]) in m[t("progress.headline.target")]
    assert m[t("progress.headline.percent")] == fmt.percent(exp["percent"])
    target = fmt.number(exp["target"])
    assert m[t("progress.headline.needed", target=target)] == t("progress.per_month", n=fmt.number(exp["needed"]))
    assert m[t("progress.headline.recent")] == t("progress.per_month", n=fmt.number(exp["recent"]))


def test_a_changed_data_file_changes_the_headline(data_copy):
    figs = yaml.safe_load((data_copy / "figures.yaml").read_text(encoding="utf-8"))
    source = next(f["source"] for f in figs if f["claim"] == "police-installed-cameras")
    record = {"id": "synthetic-later-count", "claim": "police-installed-cameras", "value": 12345, "qualifier": "exact",
              "unit": "camera", "basis": "installed_by_police", "topic": "rollout", "programme": "smartview",
              "as_of": "2026-06-30", "as_of_precision": "day", "stated": "2026-07-02", "source": source,
              "quote": "synthetic record written by a test: 12,345 cameras", "quote_lang": "en"}
    with (data_copy / "figures.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n" + yaml.safe_dump([record], allow_unicode=True, sort_keys=False))
    at = run_page("progress", lang="en")
    assert not at.exception
    m = metrics(at)
    assert m[t("progress.headline.police")] == "12,345"
    assert m[t("progress.headline.percent")] == fmt.percent(12345 / expected(data_copy)["target"] * 100)


def test_chart_has_a_trace_per_basis_and_one_for_the_plan(page_en):
    data = chart(page_en)
    kinds = {(tr["meta"]["basis"], tr["meta"]["kind"]) for tr in data if "meta" in tr}
    for basis in ("installed_by_police", "connected_third_party", "in_system_total"):
        assert (basis, "cameras") in kinds
    assert ("plan", "plan") in kinds
    plan = trace(data, "plan", "plan")
    assert max(plan["y"]) == pytest.approx(max(load_all()["phases"]["target_value"]))


def test_sets_are_drawn_as_a_camera_range_never_as_cameras(page_en):
    b = load_all()
    per = b["figures"][b["figures"]["claim"] == "cameras-per-set"].iloc[0]
    sets = b["figures"][(b["figures"]["claim"] == "police-installed-sets") & (b["figures"]["as_of"] <= b["figures"]["stated"])]
    data = chart(page_en)
    ys = [y for y in trace(data, "installed_by_police", "sets")["y"] if y is not None]
    assert sorted(ys) == sorted([v * per["value"] for v in sets["value"]] + [v * per["value_high"] for v in sets["value"]])
    cams = b["figures"][(b["figures"]["claim"] == "police-installed-cameras") & (b["figures"]["as_of"] <= b["figures"]["stated"])]
    assert sorted(trace(data, "installed_by_police")["y"]) == sorted(cams["value"])  # set records are not among them


def test_per_1000_toggle_divides_by_the_population(page_en):
    pop = expected()["population"]
    before = trace(chart(page_en), "installed_by_police")["y"]
    after = trace(chart(run_page("progress", lang="en", query={"p_per1000": "true"})), "installed_by_police")["y"]
    assert after == pytest.approx([y * 1000 / pop for y in before])


def test_bases_shown_come_from_the_url():
    # Streamlit stores a bound pills widget's options in the URL by their displayed label.
    data = chart(run_page("progress", lang="en", query={"p_bases": t("progress.basis.installed_by_police")}))
    assert {tr["meta"]["basis"] for tr in data if "meta" in tr} == {"installed_by_police", "plan"}


def test_conflicts_panel_lists_the_retention_conflict(page_en):
    labels = [e.label for e in page_en.expander]
    title = t("progress.claim.retention-period")
    retention = [label for label in labels if label.startswith(title)]
    assert len(retention) == 1
    assert "30 days" in retention[0] and "31 days" in retention[0]


def test_a_bad_figures_row_is_named_and_the_rest_still_renders(data_copy):
    text = (data_copy / "figures.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("  value: 3162"))
    lines[n] = "  value: lots"
    (data_copy / "figures.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    at = run_page("progress", lang="en")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "figures\\.yaml" in warning and str(n + 1) in warning and "value" in warning
    assert fmt.number(expected(data_copy)["police"]) in metrics(at)[t("progress.headline.police")]


def test_missing_files_leave_the_page_standing(data_copy):
    (data_copy / "cities.yaml").unlink()
    (data_copy / "phases.yaml").unlink()
    at = run_page("progress", lang="en")
    assert not at.exception
    assert metrics(at)[t("progress.headline.target")] != ""
    assert "cities\\.yaml: file: file is missing" in " ".join(w.value for w in at.warning)


def test_an_unpublished_figure_reads_not_published(data_copy):
    figs = yaml.safe_load((data_copy / "figures.yaml").read_text(encoding="utf-8"))
    kept = [f for f in figs if f["claim"] != "system-total-cameras"]
    (data_copy / "figures.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
    at = run_page("progress", lang="en")
    assert metrics(at)[t("progress.headline.system")] == t("common.not_published")


def test_data_text_is_escaped_in_markdown_and_hovers(data_copy):
    figs = yaml.safe_load((data_copy / "figures.yaml").read_text(encoding="utf-8"))
    evil = "[click](http://evil.example) <b>bold</b>"
    for f in figs:
        if f["claim"] == "police-installed-cameras":
            f["quote"] = f"{evil} {f['value']:g}"  # the quote must still contain its number
    (data_copy / "figures.yaml").write_text(yaml.safe_dump(figs, allow_unicode=True, sort_keys=False), encoding="utf-8")
    at = run_page("progress", lang="en")
    markdown = "\n".join(m.value for m in at.markdown)
    assert "[click](http" not in markdown and "\\[click\\]" in markdown
    hovers = json.dumps(trace(chart(at), "installed_by_police")["customdata"])
    assert "<b>bold" not in hovers and "&lt;b&gt;bold" in hovers
