"""The record-level changelog: versions, records as of a version, differences, summaries, the CLI."""
from __future__ import annotations

import csv
import io
import json

import pytest

from loaders import changes as record_changes
from loaders import citation
from loaders.datasets import load_all
from tests.changelog_fixture import (ADDED, CHANGED, MOVED, NEW_SOURCE, REMOVED, T2, edit,  # noqa: F401
                                     two_versions)
from tests.conftest import DATA, ROOT


def ops(changes):
    return [(c.dataset, c.key, c.op, c.field_names) for c in changes]


# ---------------------------------------------------------------- what changed between two versions

def test_changes_between_versions_list_exactly_what_was_added_changed_and_removed(two_versions):
    t = two_versions
    assert ops(record_changes.changes_between(t.v1.label, t.v2.label, t.root, t.history)) == [
        ("sources", NEW_SOURCE, "added", ()),
        ("figures", ADDED, "added", ()),
        ("figures", CHANGED, "changed", ("value", "note")),
        ("figures", REMOVED, "removed", ()),
        ("cameras", MOVED, "changed", ("latitude",)),
    ]


def test_changed_fields_carry_old_and_new_values(two_versions):
    t = two_versions
    change = next(c for c in record_changes.changes_between(t.v1.label, t.v2.label, t.root, t.history) if c.key == CHANGED)
    assert change.fields == (("value", 7, 8), ("note", "Seven Mong Kok locations; see smartview_sites.yaml.", "=Test note, changed."))


def test_recorded_versions_count_their_changes(two_versions):
    t = two_versions
    assert (t.v2.seq, t.v2.added, t.v2.changed, t.v2.removed, t.v2.recorded) == (2, 2, 2, 1, T2)
    assert t.v1.added == sum(len(v) for v in record_changes.snapshot(record_changes.REPO_ROOT / "data").values())


def test_diff_is_one_row_per_changed_field(two_versions):
    t = two_versions
    d = record_changes.diff(t.v1.label, t.v2.label, t.root, t.history)
    assert list(d.columns) == record_changes.DIFF_COLUMNS
    assert d[["dataset", "id", "change", "field"]].fillna("").values.tolist() == [
        ["sources", NEW_SOURCE, "added", ""], ["figures", ADDED, "added", ""],
        ["figures", CHANGED, "changed", "value"], ["figures", CHANGED, "changed", "note"],
        ["figures", REMOVED, "removed", ""], ["cameras", MOVED, "changed", "latitude"],
    ]
    assert d.loc[d["field"] == "latitude", ["old", "new"]].values.tolist() == [["22.271863", "22.272313"]]


def test_diff_csv_neutralises_formula_cells(two_versions):
    t = two_versions
    rows = list(csv.DictReader(io.StringIO(record_changes.diff_csv_bytes(t.v1.label, t.v2.label, t.root, t.history).decode("utf-8"))))
    note = next(r for r in rows if r["field"] == "note")
    assert note["new"] == "'=Test note, changed."
    value = next(r for r in rows if r["field"] == "value")
    assert (value["old"], value["new"]) == ("7", "8")  # as written, not 7.0


@pytest.mark.parametrize("lang, text", [
    ("en", f"Figure changed: {CHANGED}: value 7 → 8; note changed."),
    ("zh-Hant", f"更改數字：{CHANGED}：value 7 → 8；note 已更改。"),
])
def test_changed_figure_summary_in_both_languages(two_versions, lang, text):
    t = two_versions
    change = next(c for c in record_changes.changes_between(t.v1.label, t.v2.label, t.root, t.history) if c.key == CHANGED)
    assert record_changes.summary(change, lang) == text


@pytest.mark.parametrize("key, lang, text", [
    (ADDED, "en", f"Figure added: {ADDED} (about 2,500 cameras, as of 2026-11-30)."),
    (ADDED, "zh-Hant", f"新增數字：{ADDED}（約2,500支鏡頭，截至2026-11-30）。"),
    # Its source gives only the year: the summary says 2024, not the stand-in 2024-01-01.
    (REMOVED, "en", f"Figure removed: {REMOVED} (13 cameras, as of 2024)."),
    (REMOVED, "zh-Hant", f"移除數字：{REMOVED}（13支鏡頭，截至2024）。"),
    (MOVED, "en", f"Camera changed: {MOVED}: moved 50 m."),
    (MOVED, "zh-Hant", f"更改鏡頭：{MOVED}：移動了 50 米。"),
    (NEW_SOURCE, "en", f"Source added: {NEW_SOURCE} (Test article)."),
])
def test_one_line_summaries(two_versions, key, lang, text):
    t = two_versions
    change = next(c for c in record_changes.changes_between(t.v1.label, t.v2.label, t.root, t.history) if c.key == key)
    assert record_changes.summary(change, lang) == text


# ---------------------------------------------------------------- versions and records as of a version

def test_versions_are_the_recorded_ones_labelled_as_cited(two_versions):
    t = two_versions
    vs = record_changes.versions(t.root, t.history)
    assert [v.label for v in vs] == [t.v1.label, t.v2.label]
    assert vs[-1].label == citation.data_version(t.root, load_all(t.root)["figures"]).label


def test_unrecorded_edit_is_the_newest_version(two_versions):
    t = two_versions
    (t.root / "cities.yaml").write_text((t.root / "cities.yaml").read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    vs = record_changes.versions(t.root, t.history)
    assert len(vs) == 3 and not vs[-1].is_recorded and vs[-1].recorded is None
    assert (vs[-1].added, vs[-1].changed, vs[-1].removed) == (0, 0, 0)  # a comment changes the label, not a record


def test_records_as_of_a_version(two_versions):
    t = two_versions
    old = record_changes.records_as_of(t.v1.label, t.root, t.history)["figures"].set_index("id")
    new = record_changes.records_as_of(t.v2.label, t.root, t.history)["figures"].set_index("id")
    assert old.loc[CHANGED, "value"] == 7 and new.loc[CHANGED, "value"] == 8
    assert REMOVED in old.index and REMOVED not in new.index
    assert ADDED in new.index and ADDED not in old.index


def test_records_zip_holds_every_dataset_as_of_the_version(two_versions):
    import zipfile

    t = two_versions
    z = zipfile.ZipFile(io.BytesIO(record_changes.records_zip_bytes(t.v1.label, t.root, t.history)))
    names = z.namelist()
    assert f"records-{t.v1.label}/figures.csv" in names and f"records-{t.v1.label}/cameras.csv" in names
    figures = list(csv.DictReader(io.StringIO(z.read(f"records-{t.v1.label}/figures.csv").decode("utf-8"))))
    assert next(r for r in figures if r["id"] == CHANGED)["value"] == "7"
    assert record_changes.records_zip_bytes(t.v1.label, t.root, t.history) == z.fp.getvalue()


def test_history_signature_changes_when_a_version_is_recorded(two_versions):
    t = two_versions
    before = record_changes.history_signature(t.history)
    (t.root / "cities.yaml").write_text((t.root / "cities.yaml").read_text(encoding="utf-8") + "# x\n", encoding="utf-8")
    record_changes.record(t.root, t.history, recorded="2026-12-03T00:00:00Z")
    assert record_changes.history_signature(t.history) != before


def test_a_version_is_found_by_its_hash(two_versions):
    t = two_versions
    assert record_changes.timeline(t.root, t.history).index(t.v1.data_hash[:8]) == 0


def test_latest_changes_are_newest_first_without_the_first_version(two_versions):
    t = two_versions
    latest = record_changes.latest_changes(3, t.root, t.history)
    assert latest["id"].tolist() == [NEW_SOURCE, ADDED, CHANGED]
    assert set(latest["version"]) == {t.v2.label} and latest["date"].tolist() == ["2026-12-02"] * 3
    assert record_changes.latest_changes(50, t.root, t.history, datasets=("figures",))["id"].tolist() == [ADDED, CHANGED, REMOVED]
    # What's new names figures first: the datasets' order ranks the rows within a version.
    assert record_changes.latest_changes(50, t.root, t.history, datasets=("figures", "sources"))["id"].tolist() == [
        ADDED, CHANGED, REMOVED, NEW_SOURCE]


def test_recording_again_without_a_change_records_nothing(two_versions):
    t = two_versions
    assert record_changes.record(t.root, t.history, recorded="2026-12-03T00:00:00Z") is None
    assert sorted(p.name for p in t.history.iterdir()) == ["0001.jsonl", "0002.jsonl"]


def test_recording_a_version_does_not_change_the_data_version(tmp_path):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    before = citation.data_hash(root)
    record_changes.record(root, tmp_path / "history", recorded="2026-12-01T00:00:00Z")
    assert citation.data_hash(root) == before
    assert not any(p.suffix == ".jsonl" for p in root.rglob("*"))


def test_history_files_are_byte_reproducible(tmp_path):
    import shutil

    out = []
    for name in ("a", "b"):
        root = tmp_path / name / "data"
        shutil.copytree(DATA, root)
        record_changes.record(root, tmp_path / name / "history", recorded="2026-12-01T00:00:00Z")
        edit(root)
        record_changes.record(root, tmp_path / name / "history", recorded=T2)
        out.append([p.read_bytes() for p in sorted((tmp_path / name / "history").iterdir())])
    assert out[0] == out[1]


# ---------------------------------------------------------------- a damaged history is named, not replayed

def test_hand_edited_history_file_is_named(two_versions):
    t = two_versions
    path = t.history / "0002.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"8"', '"9"').replace(", 8]", ", 9]"), encoding="utf-8")
    with pytest.raises(record_changes.HistoryError, match=r"0002\.jsonl: the records after replaying this file do not match"):
        record_changes.versions(t.root, t.history)


def test_missing_history_file_is_named(two_versions):
    t = two_versions
    (t.history / "0001.jsonl").unlink()
    with pytest.raises(record_changes.HistoryError, match=r"0002\.jsonl: expected version number 1, found 2"):
        record_changes.versions(t.root, t.history)


# ---------------------------------------------------------------- command line

def test_cli_prints_the_changes_since_a_version(two_versions, capsys):
    t = two_versions
    assert record_changes.main_changes(["--since", t.v1.label, "--data-dir", str(t.root), "--history-dir", str(t.history)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{t.v2.label}  (recorded {T2}; 2 added, 2 changed, 1 removed)"
    assert f"  ~ Figure changed: {CHANGED}: value 7 → 8; note changed." in out
    assert f"    更改數字：{CHANGED}：value 7 → 8；note 已更改。" in out
    assert "      value: 7 → 8" in out
    assert t.v1.label not in out


def test_cli_names_an_unknown_version(two_versions, capsys):
    t = two_versions
    assert record_changes.main_changes(["--since", "1999-01-01.000000000000", "--data-dir", str(t.root), "--history-dir", str(t.history)]) == 1
    err = capsys.readouterr().err
    assert "'1999-01-01.000000000000' is not a known version; versions: " + t.v1.label in err


def test_cli_record_refuses_data_with_problems(data_copy, tmp_path, capsys):
    (data_copy / "figures.yaml").write_text("- id: Bad Id\n", encoding="utf-8")
    assert record_changes.main_changes(["--record", "--data-dir", str(data_copy), "--history-dir", str(tmp_path / "h")]) == 1
    assert "not recorded: " in capsys.readouterr().err
    assert not (tmp_path / "h").exists()


# ---------------------------------------------------------------- the shipped history

def test_shipped_history_replays_the_versions_in_git():
    hist = record_changes.History.load(ROOT / "history")
    assert len(hist.versions) >= 4
    first = hist.snapshots[0]
    assert len(first["cameras"]) == 575 and not first.get("figures")
    assert all("Reconstructed from git commit" in v.note for v in hist.versions[:4])


def test_shipped_history_headers_are_json_lines():
    for path in sorted((ROOT / "history").glob("*.jsonl")):
        header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        assert {"seq", "version", "recorded", "records_sha256"} <= set(header), path.name
