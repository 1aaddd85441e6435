"""Honest freshness: when the sources were last searched (kept apart from the newest figure's date),
the open matters with their last published statement, and phases shown as started only on a source's word."""
from __future__ import annotations

import pandas as pd
import pytest

from loaders.datasets import load_all
from metrics.freshness import freshness, newest_figure, phase_start
from ui.i18n import t

D = pd.Timestamp


def _frame(rows):
    return pd.DataFrame(rows)


FIGS = _frame([{"id": "a", "stated": D("2026-02-24")}, {"id": "b", "stated": D("2026-02-25")}, {"id": "c", "stated": pd.NaT}])
FRESH = _frame([
    {"id": "all", "kind": "sources", "title_en": "All", "title_zh": "全部", "checked": D("2026-11-30"), "status": "no_later_source",
     "last_date": D("2026-02-27"), "last_source": "col", "last_figure": None, "last_statement_en": "x", "last_statement_zh": None,
     "quote": None, "quote_lang": None},
    {"id": "vote", "kind": "open_matter", "title_en": "The vote", "title_zh": "表決", "checked": D("2026-11-30"), "status": "no_later_source",
     "last_date": D("2026-02-24"), "last_source": "tvb", "last_figure": "budget", "last_statement_en": "Still planned.",
     "last_statement_zh": "仍在計劃中。", "quote": "q", "quote_lang": "en"},
])


def test_checked_date_is_kept_apart_from_the_newest_figure():
    f = freshness(FRESH, FIGS)
    assert f.checked == D("2026-11-30")
    assert (f.newest_figure, f.newest_figure_id) == (D("2026-02-25"), "b")
    assert (f.newest_source, f.newest_source_id) == (D("2026-02-27"), "col")
    assert f.nothing_later


def test_open_matters_carry_their_last_statement_in_the_language_asked():
    [m] = freshness(FRESH, FIGS, "zh-Hant").matters
    assert (m.id, m.title, m.statement) == ("vote", "表決", "仍在計劃中。")
    assert (m.last_date, m.last_source, m.last_figure, m.checked) == (D("2026-02-24"), "tvb", "budget", D("2026-11-30"))


def test_missing_translation_falls_back_to_english():
    fresh = FRESH.copy()
    fresh.loc[1, "title_zh"] = None
    assert freshness(fresh, FIGS, "zh-Hant").matters[0].title == "The vote"


def test_no_dated_figure_gives_no_newest_figure():
    assert newest_figure(_frame([{"id": "c", "stated": pd.NaT}])) == (None, None)


def test_without_an_overall_record_the_latest_matter_check_is_used():
    assert freshness(FRESH[FRESH["kind"] == "open_matter"], FIGS).checked == D("2026-11-30")


@pytest.mark.parametrize("phase, state", [
    ({"start": D("2026-04-01"), "start_status": "planned"}, "not_confirmed"),
    ({"start": D("2026-04-01")}, "not_confirmed"),  # no status: treated as unconfirmed
    ({"start": D("2024-04-01"), "start_status": "confirmed", "start_confirmed_by": "hkcd"}, "confirmed"),
    ({"start": D("2028-01-01"), "start_status": "planned"}, "planned"),
    ({"start": D("2026-04-01"), "start_status": "confirmed", "start_confirmed_by": None}, "not_confirmed"),
])
def test_a_phase_is_under_way_only_on_a_sources_word(phase, state):
    assert phase_start(phase, D("2026-11-30")).state == state


def test_shipped_data_checked_30_nov_2026_and_nothing_after_27_feb():
    b = load_all()
    f = freshness(b["freshness"], b["figures"])
    assert f.checked == D("2026-11-30") and f.newest_source == D("2026-02-27")
    assert f.newest_figure is not None and f.newest_figure <= f.newest_source < f.checked
    assert {m.id for m in f.matters} == {"finance-committee-vote", "phase-2-contract", "facial-recognition-live", "newest-police-count"}
    assert all(m.status == "no_later_source" and m.last_source in set(b["sources"]["id"]) for m in f.matters)


def test_shipped_phase_2_reads_planned_to_start_apr_2026_start_not_confirmed():
    b = load_all()
    p2 = b["phases"].set_index("id").loc["phase-2"].to_dict()
    ps = phase_start(p2, D("2026-11-30"))
    assert ps.state == "not_confirmed" and ps.start == D("2026-04-01")
    assert t("freshness.phase.start_not_confirmed", "en", date="Apr 2026") == "planned to start Apr 2026; start not confirmed"
    assert t("freshness.phase.start_not_confirmed", "zh-Hant", date="2026年4月") == "計劃於2026年4月展開；未有出處確認已展開"


def test_freshness_strings_in_both_languages():
    assert t("freshness.checked", "en", checked="30 Nov 2026", newest="25 Feb 2026") == "Sources last checked 30 Nov 2026; newest figure published 25 Feb 2026"
    assert t("freshness.nothing_later", "en", date="30 Nov 2026") == "No later source found as of 30 Nov 2026"
    assert "2026年11月30日" in t("freshness.nothing_later", "zh-Hant", date="2026年11月30日")
