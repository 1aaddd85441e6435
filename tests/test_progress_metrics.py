"""Unit tests for metrics/progress.py and metrics/conflicts.py on small frames built here (synthetic,
never shown), plus checks against the real data files where the issue names a known fact."""
from __future__ import annotations

import pandas as pd
import pytest

from loaders import schema
from loaders.datasets import load_all, to_frame
from metrics import conflicts
from metrics import progress
def fig(id, as_of, value, basis="installed_by_police", unit="camera", claim="police-installed-cameras",
        stated=None, precision="day", qualifier="exact", value_high=None, programme="smartview",
        source="src-a", topic="rollout"):
    return {"id": id, "as_of": as_of, "as_of_precision": precision, "stated": stated or as_of, "value": value,
            "value_high": value_high, "qualifier": qualifier, "unit": unit, "basis": basis, "topic": topic,
            "claim": claim, "programme": programme, "phase": None, "source": source,
            "quote": f"quote {id}", "quote_lang": "en", "note": None}


def frame(*rows) -> pd.DataFrame:
    return to_frame(list(rows), schema.FIGURES)


# --- conflicts --------------------------------------------------------------------------------

def test_same_period_uses_the_coarser_precision():
    assert conflicts.same_period("2025-10-03", "day", "2025-10-01", "month")
    assert conflicts.same_period("2025-12-31", "day", "2025-01-01", "year")
    assert not conflicts.same_period("2025-10-03", "day", "2025-10-19", "day")
    assert not conflicts.same_period("2025-09-30", "day", "2025-10-01", "month")


def test_end_of_period_dates_are_points_not_whole_periods():
    # The data model puts "end of 2025" on 31 Dec at year precision: that is a day, not all of 2025.
    assert not conflicts.same_period("2025-12-31", "year", "2025-07-23", "day")
    assert not conflicts.same_period("2025-06-30", "month", "2025-06-02", "day")
    assert conflicts.same_period("2024-01-01", "year", "2024-07-01", "day")


def test_undated_records_match_no_period():
    assert not conflicts.same_period(pd.NaT, "undated", "2025-10-19", "day")
    f = frame(fig("a", "2025-10-19", 4500), {**fig("b", "2025-10-19", 9999), "as_of": None, "as_of_precision": "undated"})
    assert conflicts.find_conflicts(f).empty


def test_different_totals_for_the_same_deadline_conflict():
    f = frame(fig("a", "2027-12-31", 7000, basis="target_total", claim="target-2027", stated="2024-12-17", precision="year", qualifier="up_to"),
              fig("b", "2027-12-31", 15000, basis="target_total", claim="target-2027", stated="2025-07-25", precision="year", qualifier="more_than"))
    out = conflicts.find_conflicts(f)
    assert list(out["rule"]) == ["same_deadline"]


def test_targets_for_different_deadlines_do_not_conflict():
    f = frame(fig("a", "2025-01-01", 2000, basis="annual_target", claim="annual", precision="year"),
              fig("b", "2026-01-01", 20000, basis="annual_target", claim="annual", precision="year"))
    assert conflicts.find_conflicts(f).empty


def test_policy_claim_with_two_values_is_a_conflict_whenever_stated():
    f = frame(fig("r30", "2024-02-21", 30, basis="retention_days", unit="day", claim="retention-period", source="a"),
              fig("r31", "2024-05-07", 31, basis="retention_days", unit="day", claim="retention-period", source="b"),
              fig("r31b", "2026-02-24", 31, basis="retention_days", unit="day", claim="retention-period", source="c"))
    out = conflicts.find_conflicts(f)
    assert list(out["claim"]) == ["retention-period"]
    row = out.iloc[0]
    assert row["rule"] == "same_claim" and row["n_positions"] == 2 and row["n_records"] == 3
    assert [s["position"] for s in row["sides"]] == [1, 2, 2]
    assert {s["source"] for s in row["sides"]} == {"a", "b", "c"}
    assert all(s["quote"] for s in row["sides"])


def test_time_series_counts_at_different_dates_are_not_conflicts():
    f = frame(fig("a", "2025-07-23", 3162), fig("b", "2025-10-03", 4000, qualifier="almost"),
              fig("c", "2025-10-19", 4500, qualifier="more_than"))
    assert conflicts.find_conflicts(f).empty


def test_time_series_counts_for_the_same_period_that_differ_conflict():
    f = frame(fig("a", "2024-04-17", 15, unit="camera", source="x"), fig("b", "2024-04-17", 15, unit="set", source="y"),
              fig("c", "2025-07-23", 3162))
    out = conflicts.find_conflicts(f)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["rule"] == "same_period" and row["period_start"] == pd.Timestamp("2024-04-17")
    assert sorted(s["unit"] for s in row["sides"]) == ["camera", "set"]


def test_qualifier_alone_is_not_a_disagreement():
    f = frame(fig("a", "2025-12-31", 5000, qualifier="about", source="x"), fig("b", "2025-12-31", 5000, source="y"))
    assert conflicts.find_conflicts(f).empty


def event(capability, date, status, claim=None, source="s", seq=0):
    return {"capability": capability, "seq": seq, "date": pd.Timestamp(date), "date_precision": "day", "status": status,
            "summary_en": f"{capability} {status}", "summary_zh": None, "source": source, "quote": f"q {source}",
            "quote_lang": "en", "claim": claim, "note": None}


def test_capability_events_with_differing_status_on_one_claim_conflict():
    events = pd.DataFrame([event("anpr", "2025-07-01", "planned", claim="patrol-cars", source="a"),
                           event("anpr", "2025-07-01", "in_use", claim="patrol-cars", source="b", seq=1),
                           event("anpr", "2025-10-20", "in_use", source="c", seq=2)])
    out = conflicts.find_conflicts(frame(), events)
    assert list(out["rule"]) == ["capability_status"]
    assert {s["source"] for s in out.iloc[0]["sides"]} == {"a", "b"}


def test_an_unconfirmed_claim_conflicts_with_denials_of_the_same_capability():
    events = pd.DataFrame([event("facial-recognition", "2024-02-22", "not_in_use", source="legco"),
                           event("facial-recognition", "2024-07-27", "claimed", source="mirror", seq=1),
                           event("facial-recognition", "2025-07-01", "capable_not_used", source="scmp", seq=2),
                           event("facial-recognition", "2025-10-03", "not_in_use", source="udn", seq=3),
                           event("audio", "2024-12-17", "capable_not_used", source="rthk")])
    out = conflicts.find_conflicts(frame(), events)
    assert list(out["rule"]) == ["claimed_vs_denied"]
    sides = out.iloc[0]["sides"]
    assert [(s["position"], s["source"]) for s in sides] == [(1, "mirror"), (2, "legco"), (2, "udn")]


def test_loader_parent_column_name_is_tolerated():
    # load_all names the parent column "capabilitie" today; the rule must not depend on that.
    events = pd.DataFrame([event("fr", "2024-07-27", "claimed"), event("fr", "2025-10-03", "not_in_use", seq=1)])
    out = conflicts.find_conflicts(frame(), events.rename(columns={"capability": "capabilitie"})[["capabilitie", *events.columns[1:]]])
    assert list(out["capability"]) == ["fr"]


def test_real_data_lists_the_retention_conflict():
    b = load_all()
    out = conflicts.find_conflicts(b["figures"], b["capability_events"])
    retention = out[out["sides"].map(lambda sides: {s.get("basis") for s in sides} == {"retention_days"})]
    assert len(retention) == 1
    values = {s["value"] for s in retention.iloc[0]["sides"]}
    assert {30.0, 31.0} <= values
    assert all(s["source"] and s["quote"] for s in retention.iloc[0]["sides"])


def test_real_data_counts_at_different_dates_are_not_reported_as_conflicts():
    b = load_all()
    out = conflicts.find_conflicts(b["figures"])
    police = b["figures"][b["figures"]["claim"] == "police-installed-cameras"]
    assert police["as_of"].nunique() > 3  # a real time series
    first, last = police["as_of"].min(), police["as_of"].max()
    for _, row in out[out["claim"] == "police-installed-cameras"].iterrows():
        dates = {s["as_of"] for s in row["sides"]}
        assert not {first, last} <= dates


# --- progress ---------------------------------------------------------------------------------

def test_counts_draw_sets_as_a_two_to_three_camera_range_and_drop_targets():
    f = frame(fig("s", "2024-12-17", 612, unit="set"), fig("c", "2025-07-23", 3162),
              fig("t", "2028-12-31", 60000, basis="target_total", claim="t", stated="2026-02-13", precision="year"),
              fig("fut", "2026-12-31", 9000, stated="2026-02-01"))
    c = progress.counts(f, per_set=(2, 3))
    assert list(c["id"]) == ["s", "c"]
    s = c.set_index("id")
    assert (s.loc["s", "low"], s.loc["s", "high"]) == (1224, 1836) and s.loc["s", "is_set"]
    assert (s.loc["c", "low"], s.loc["c", "high"]) == (3162, 3162)


def test_sets_get_no_camera_range_without_a_published_cameras_per_set():
    f = frame(fig("s", "2024-12-17", 612, unit="set"))
    assert progress.per_set_range(f) is None
    assert progress.counts(f)[["low", "high"]].isna().all().all()
    f = frame(fig("s", "2024-12-17", 612, unit="set"),
              fig("per", "2025-07-22", 2, value_high=3, qualifier="range", claim="cameras-per-set", topic="context"))
    assert progress.per_set_range(f) == (2.0, 3.0)
    assert list(progress.counts(f)["id"]) == ["s"]  # the per-set record is not a count


def test_counts_read_only_the_citywide_series_claims():
    f = frame(fig("city", "2025-07-23", 3162), fig("district", "2024-01-01", 13, claim="western-district-installed-cameras", precision="year"),
              fig("fr", "2024-07-27", 15, claim="fr-pilot-cameras"))
    assert list(progress.counts(f)["id"]) == ["city"]


def test_recent_pace_uses_camera_counts_closest_to_twelve_months_before():
    f = frame(fig("a", "2024-10-15", 500, precision="month"), fig("sets", "2024-12-31", 615, unit="set"),
              fig("b", "2025-07-23", 3162), fig("z", "2025-12-31", 5000, qualifier="about"))
    pace = progress.recent_pace(f)
    assert pace.latest["id"] == "z" and pace.earlier["id"] == "a"
    months = (pd.Timestamp("2025-12-31") - pd.Timestamp("2024-10-15")).days / progress.AVG_MONTH_DAYS
    assert pace.months == pytest.approx(months)
    assert pace.per_month == pytest.approx(4500 / months)


def test_recent_pace_without_an_earlier_count_has_no_rate():
    pace = progress.recent_pace(frame(fig("z", "2025-12-31", 5000)))
    assert pace.earlier is None and pace.per_month is None


def test_needed_pace_and_reach_date():
    per_month, months = progress.needed_pace(5000, "2025-12-31", 60000, "2028-12-31")
    assert months == pytest.approx(1096 / progress.AVG_MONTH_DAYS)
    assert per_month == pytest.approx(55000 / months)
    assert progress.reach_date(5000, "2025-12-31", 60000, 1000) == pd.Timestamp("2025-12-31") + pd.Timedelta(days=round(55 * progress.AVG_MONTH_DAYS))
    assert progress.reach_date(5000, "2025-12-31", 60000, 0) is None
    assert progress.needed_pace(5000, "2029-01-01", 60000, "2028-12-31")[0] is None


def test_latest_records_keep_every_source_at_the_newest_date():
    f = frame(fig("a", "2025-12-31", 5000, source="x", stated="2026-02-15"),
              fig("b", "2025-12-31", 5000, source="y", stated="2026-02-24"), fig("c", "2025-10-19", 4500))
    latest = progress.latest_records(f, "installed_by_police")
    assert list(latest["id"]) == ["b", "a"]
    readings = progress.distinct_readings(latest)
    assert len(readings) == 1 and readings.iloc[0]["sources"] == ["y", "x"]


def _phases(*rows):
    return to_frame(list(rows), schema.PHASES)


def _phase(n, start, end, value, unit="camera", figure=None, precision="year"):
    return {"id": f"phase-{n}", "number": n, "name_en": f"Phase {n}", "name_zh": f"第{n}階段", "start": start,
            "end": end, "end_precision": precision, "promise_en": "p", "target_value": value, "target_unit": unit,
            "target_figure": figure, "sources": ["s"]}


def test_plan_path_joins_stated_targets_and_holds_until_the_next_phase_starts():
    ph = _phases(_phase(1, "2024-04-01", "2025-12-31", 2000, unit="set", figure="t1s"),
                 _phase(2, "2026-04-01", "2028-12-31", 60000, figure="t2"),
                 _phase(3, "2028-01-01", "2031-03-31", 66500, precision="month", figure="t3"))
    figs = frame(fig("t1s", "2025-12-31", 2000, basis="target_total", unit="set", claim="a", precision="year", stated="2025-04-13"),
                 {**fig("t1c", "2025-12-31", 5000, basis="target_total", claim="b", precision="year", stated="2025-10-19",
                        qualifier="at_least"), "phase": 1},
                 fig("t2", "2028-12-31", 60000, basis="target_total", claim="c", precision="year", stated="2026-02-13", qualifier="about"),
                 fig("t3", "2031-12-31", 66500, basis="target_total", claim="d", precision="year", stated="2026-02-25"))
    path = progress.plan_path(ph, figs, per_set=(2, 3))
    line = path[path["kind"] != "sets"]
    assert list(line["value"]) == [5000, 5000, 60000, 66500]
    assert list(line["date"]) == [pd.Timestamp(d) for d in ("2025-12-31", "2026-04-01", "2028-12-31", "2031-03-31")]
    assert list(line["qualifier"]) == ["at_least", "at_least", "about", "exact"]
    sets = path[path["kind"] == "sets"].iloc[0]
    assert (sets["value"], sets["low"], sets["high"]) == (2000, 4000, 6000)


def test_plan_path_without_a_camera_target_for_a_set_phase_starts_later():
    path = progress.plan_path(_phases(_phase(1, "2024-01-01", "2025-12-31", 2000, unit="set"), _phase(2, "2026-04-01", "2028-12-31", 60000)))
    assert list(path.loc[path["kind"] != "sets", "value"]) == [60000]
    assert path.loc[path["kind"] == "sets", "low"].isna().all()


def test_population_never_uses_a_partial_year():
    d = pd.DataFrame({"code": list("ABCDEFGHJKLMNPQRST"), "population_2019": [100] * 18,
                      "population_2021": [200] * 17 + [None], "area_km2": [1.0] * 17 + [None],
                      "sources": [["c"]] * 18})
    pop = progress.population(d)
    assert (pop.total, pop.year) == (1800, 2019)
    assert progress.land_area_km2(d) is None
    assert progress.per_1000(5000, pop) == pytest.approx(5000 * 1000 / 1800)


def test_outcome_rates_only_against_a_camera_count_for_the_same_period():
    f = frame(fig("cams", "2025-07-23", 3000), fig("sets", "2024-12-31", 615, unit="set"),
              fig("o1", "2025-07-01", 351, basis="cases_assisted", unit="case", claim="cases-assisted", precision="month", topic="outcome"),
              fig("o2", "2024-12-31", 122, basis="cases_assisted", unit="case", claim="cases-assisted", topic="outcome"),
              fig("o3", "2023-12-31", 1, basis="arrests", unit="arrest", claim="arrests", topic="outcome"))
    o = progress.outcomes(f).set_index("id")
    assert o.loc["o1", "per_1000_cameras"] == pytest.approx(351 * 1000 / 3000)
    assert pd.isna(o.loc["o2", "per_1000_cameras"]) and o.loc["o2", "rate_note"] == "sets"
    assert o.loc["o3", "rate_note"] == "no_count"


def test_target_history_in_statement_order():
    f = frame(fig("t2", "2028-12-31", 60000, basis="target_total", claim="t28", stated="2025-09-23", precision="year"),
              fig("t1", "2027-12-31", 7000, basis="target_total", claim="t27", stated="2024-12-17", precision="year"),
              fig("x", "2025-07-23", 3162))
    assert list(progress.target_history(f)["id"]) == ["t1", "t2"]


def test_editions_are_kept_apart():
    cities = pd.DataFrame({"edition": ["b-2021", "a-2019", "a-2019"], "year": [2021, 2019, 2019],
                           "city_en": ["X", "Y", "Z"], "per_1000": [1.0, None, 3.0], "per_km2": [None, 2.0, None]})
    assert progress.editions(cities) == ["a-2019", "b-2021"]
    assert list(progress.edition_rows(cities, "a-2019", "per_1000")["city_en"]) == ["Z"]
