"""The safeguards matrix, capabilities timeline and open questions: every cell comes from data/."""
from __future__ import annotations

import pandas as pd
import pytest

from loaders.datasets import load_all
from metrics import safeguards
from tests.apptest import all_text, run_page
from ui.i18n import t


@pytest.fixture(scope="module")
def bundle():
    return load_all()


@pytest.fixture(scope="module")
def rows(bundle):
    return {r.id: r for r in safeguards.matrix(bundle["safeguards"], bundle["safeguard_entries"])}


def entries_of(bundle, safeguard: str, *statuses: str) -> pd.DataFrame:
    e = bundle["safeguard_entries"]
    return e[(e["safeguard"] == safeguard) & e["status"].isin(statuses)].sort_values(["date", "seq"])


def test_every_entry_lands_in_exactly_one_cell(bundle, rows):
    for sid, row in rows.items():
        cells = [e["seq"] for c in safeguards.MATRIX_COLUMNS for e in row.cells[c]]
        assert sorted(cells) == sorted(bundle["safeguard_entries"].query("safeguard == @sid")["seq"])


def test_retention_cells_show_both_published_periods(bundle, rows):
    row = rows["retention"]
    documented = entries_of(bundle, "retention", "documented", "conflicting")
    assert [e["source"] for e in row.cells["documented"]] == list(documented["source"])
    assert [e["source"] for e in row.cells["not_published"]] == list(entries_of(bundle, "retention", "not_published")["source"])
    assert row.cells["promised"] == []
    assert row.conflicting  # 30 vs 31 days: kept, flagged, not picked
    # Both periods are on the record in the documented cell, each traced to its figure's source.
    figures = bundle["figures"][bundle["figures"]["claim"] == safeguards.SAFEGUARD_FIGURE_CLAIMS["retention"]]
    days_by_source = dict(zip(figures["source"], figures["value"]))
    shown = {days_by_source[e["source"]] for e in row.cells["documented"] if e["source"] in days_by_source}
    assert shown == set(figures["value"]) and len(shown) >= 2


def test_pia_cells_show_promises_and_the_not_published_finding(bundle, rows):
    row = rows["privacy-impact-assessment"]
    assert [e["source"] for e in row.cells["promised"]] == list(entries_of(bundle, "privacy-impact-assessment", "promised")["source"])
    assert [e["source"] for e in row.cells["documented"]] == list(entries_of(bundle, "privacy-impact-assessment", "documented")["source"])
    status = bundle["safeguards"].set_index("id").loc["privacy-impact-assessment", "status"]
    assert row.status == status
    assert safeguards.not_published_marker(row) == (status in ("not_published", "promised") or row.nothing_documented)
    assert safeguards.not_published_marker(row)


def test_cells_are_localised_from_the_data(bundle):
    zh = {r.id: r for r in safeguards.matrix(bundle["safeguards"], bundle["safeguard_entries"], "zh-Hant")}
    e = entries_of(bundle, "retention", "documented").iloc[0]
    assert zh["retention"].cells["documented"][0]["summary"] == (e["summary_zh"] or e["summary_en"])
    assert zh["retention"].name == bundle["safeguards"].set_index("id").loc["retention", "name_zh"]


def test_capability_events_keep_file_order_and_put_undated_last(bundle):
    tl = safeguards.capability_events(bundle["capabilities"], bundle["capability_events"])
    assert list(dict.fromkeys(tl["capability"])) == list(bundle["capabilities"]["id"])
    for _, g in tl.groupby("capability"):
        dated = g["date"].notna().tolist()
        assert dated == sorted(dated, reverse=True)  # all dated first, then undated


def test_latest_status_ignores_undated_statements():
    caps = pd.DataFrame({"id": ["x"], "name_en": ["X"], "name_zh": ["X"]})
    events = pd.DataFrame({"capability": ["x", "x"], "seq": [0, 1], "date": [pd.Timestamp("2025-01-01"), pd.NaT],
                           "date_precision": ["day", "day"], "status": ["planned", "claimed"], "summary_en": ["a", "b"],
                           "summary_zh": [None, None], "source": ["s", "s"], "quote": ["q", "q"], "quote_lang": ["en", "en"],
                           "claim": [None, None], "note": [None, None]})
    latest = safeguards.latest_status(safeguards.capability_events(caps, events))
    assert latest["status"].tolist() == ["planned"]


def test_open_questions_oldest_first_and_split_by_who_asked(bundle):
    q = safeguards.open_questions(bundle["open_questions"])
    assert q["first_asked"].is_monotonic_increasing
    asked, research = safeguards.split_questions(q)
    assert len(asked) + len(research) == len(q)
    assert research["asked_by"].str.startswith(safeguards.PROJECT_ASKER_PREFIX).all()
    assert not asked["asked_by"].fillna("").str.startswith(safeguards.PROJECT_ASKER_PREFIX).any()


def test_time_unanswered_is_no_finer_than_the_date_asked():
    assert safeguards.time_unanswered("2025-06-02", "day", "2026-11-26") == ((pd.Timestamp("2026-11-26") - pd.Timestamp("2025-06-02")).days, "days")
    assert safeguards.time_unanswered("2024-02-01", "month", "2026-11-26") == (33, "months")
    assert safeguards.time_unanswered("2024-01-01", "year", "2026-11-26") == (2, "years")


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_safeguards_page_shows_every_row_capability_and_question(bundle, lang):
    at = run_page("safeguards", lang)
    assert not at.exception
    text = all_text(at)
    assert "⟦" not in text
    assert "nan" not in text.split() and "None" not in text.split()  # empty optional fields are not printed
    name = "name_zh" if lang == "zh-Hant" else "name_en"
    for n in bundle["safeguards"][name]:
        assert n in text
    for n in bundle["capabilities"][name]:
        assert n in text
    question = "question_zh" if lang == "zh-Hant" else "question_en"
    for qtext in bundle["open_questions"][question]:
        assert qtext.rstrip("?？") in text.replace("\\", "")
    assert t("safeguards.matrix.conflict", lang) in text


def test_bad_safeguards_file_warns_and_the_rest_renders(data_copy):
    (data_copy / "safeguards.yaml").write_text("- id: retention\n  name_en: [unclosed\n", encoding="utf-8")
    at = run_page("safeguards", "en")
    assert not at.exception
    assert any("safeguards.yaml" in w.value.replace("\\", "") for w in at.warning)
    assert t("safeguards.cap.title", "en") in [h.value for h in at.header]
