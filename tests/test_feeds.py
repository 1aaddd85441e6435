"""Atom feeds of figure changes: valid per feedparser, one entry per added or changed figure, two languages."""
from __future__ import annotations

import feedparser
import pytest

from loaders import changes as record_changes
from loaders.export import main_export
from loaders.feeds import FILE_NAMES, build_feed, write_change_feeds
from tests.changelog_fixture import ADDED, CHANGED, two_versions  # noqa: F401  (fixture)

GENERATED = "2026-12-03T00:00:00Z"


def parsed(t, lang):
    return feedparser.parse(build_feed(record_changes.timeline(t.root, t.history), lang, GENERATED))


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_feed_is_valid_atom(two_versions, lang):
    feed = parsed(two_versions, lang)
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.language == lang


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_one_entry_per_added_or_changed_figure(two_versions, lang):
    t = two_versions
    titles = [e.title for e in parsed(t, lang).entries]
    changes = [c for c in record_changes.changes_between(t.v1.label, t.v2.label, t.root, t.history)
               if c.dataset == "figures" and c.op in ("added", "changed")]
    assert titles == [record_changes.summary(c, lang) for c in changes]
    assert [c.key for c in changes] == [ADDED, CHANGED]


def test_entry_carries_the_source_quote_and_version(two_versions):
    t = two_versions
    entry = parsed(t, "en").entries[0]
    text = entry.content[0].value
    assert "Quote (verbatim, en): Test quote: about 2,500 cameras." in text
    assert f"Data version: {t.v2.label}" in text
    assert entry.link == "https://example.org/test-article"
    assert entry.updated == "2026-12-02T00:00:00+00:00"


def test_chinese_entry_is_in_chinese(two_versions):
    entry = parsed(two_versions, "zh-Hant").entries[1]
    assert entry.title == f"更改數字：{CHANGED}：value 7 → 8；note 已更改。"
    assert "更改的欄位：" in entry.content[0].value


def test_feed_bytes_are_reproducible(two_versions):
    t = two_versions
    tl = record_changes.timeline(t.root, t.history)
    assert build_feed(tl, "en", GENERATED) == build_feed(record_changes.timeline(t.root, t.history), "en", GENERATED)


def test_entry_ids_are_stable_and_differ_by_language(two_versions):
    en, zh = parsed(two_versions, "en"), parsed(two_versions, "zh-Hant")
    assert len({e.id for e in en.entries} | {e.id for e in zh.entries}) == 4
    assert all(e.id.startswith("urn:uuid:") for e in en.entries)


def test_unrecorded_changes_take_the_generated_time(two_versions):
    t = two_versions
    figures = t.root / "figures.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("value: 8\n", "value: 9\n", 1), encoding="utf-8")
    entry = parsed(t, "en").entries[0]
    assert entry.title == f"Figure changed: {CHANGED}: value 8 → 9." and entry.updated == "2026-12-03T00:00:00+00:00"


def test_export_writes_both_feeds_beside_the_package(two_versions, tmp_path, monkeypatch):
    t = two_versions
    monkeypatch.setenv("HKCCTV_HISTORY_DIR", str(t.history))
    out = tmp_path / "pkg"
    assert main_export(["--out", str(out), "--data-dir", str(t.root), "--generated", GENERATED]) == 0
    assert (out / "datapackage.json").is_file()
    for name in FILE_NAMES.values():
        feed = feedparser.parse((out / name).read_bytes())
        assert feed.bozo == 0 and len(feed.entries) == 2, name


def test_write_change_feeds_names_the_files(two_versions, tmp_path):
    t = two_versions
    paths = write_change_feeds(tmp_path, t.root, t.history, generated=GENERATED)
    assert [p.name for p in paths] == ["changes.en.atom", "changes.zh-Hant.atom"]
