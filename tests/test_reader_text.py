"""No internal jargon reaches a reader: notes and summaries in data/*.yaml (shown on pages and in
exports) and every UI string are written for readers, not for the people who compiled the data."""
from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import DATA
from ui.i18n import catalogue

# Phrases that speak about how the data was compiled, or name internal fields, instead of the facts.
JARGON = [
    r"\bthe research\b", r"\bresearch(?:'s)? (?:summary|list|notes?)\b", r"\bper the research\b",
    r"\bstated is empty\b", r"\bas_of\b", r"\bvalue_high\b", r"\benum\b", r"ENUM COMPROMISE",
    r"\bURL slug\b", r"\bclosest text recorded\b", r"\[no title recorded\]", r"\btitle is the URL\b",
    r"shared/research", r"hk_figures\.md", r"\bthe quote shown is\b",
    "研究資料", "研究未", "最接近的文字", "網址字串",
]
_JARGON = re.compile("|".join(JARGON), re.IGNORECASE)
# Fields whose text is the publisher's own words (quotes, headlines, addresses) are not ours to rewrite.
NOT_OURS = {"quote", "quote_lang", "title", "value_text", "url", "start_quote", "id", "source", "sources"}


def _texts(node, path=""):
    """(path, text) for every string value in a parsed YAML tree, skipping publisher-worded fields."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_OURS:
                yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _jargon_in(file: str) -> list[str]:
    raw = (DATA / file).read_text(encoding="utf-8")
    found = [f"{file}: {where}: {text}" for where, text in _texts(yaml.safe_load(raw)) if _JARGON.search(text)]
    found += [f"{file}: comment: {line}" for line in raw.splitlines() if line.lstrip().startswith("#") and _JARGON.search(line)]
    return found


DATA_FILES = sorted(p.name for p in DATA.glob("*.yaml"))


@pytest.mark.parametrize("file", DATA_FILES)
def test_data_notes_are_written_for_readers(file):
    assert _jargon_in(file) == []


def test_ui_strings_are_written_for_readers():
    bad = [f"{key} [{lang}]: {text}" for key, texts in catalogue().items() for lang, text in texts.items()
           if _JARGON.search(re.sub(r"\{[^}]*\}", "", str(text or "")))]
    assert bad == []


@pytest.mark.parametrize("text", ["The research says mid-2024", "stated is empty (read 2026-11-26)", "ENUM COMPROMISE: x",
                                  "the quote shown is the closest text recorded", "as_of is the report date", "據研究資料，文件沒有交代"])
def test_the_scan_catches_known_jargon(text):
    assert _JARGON.search(text)


@pytest.mark.parametrize("text", ["Estimates by British research firm Comparitech", "Police stated 30 days",
                                  "The report date is used"])
def test_the_scan_leaves_plain_words_alone(text):
    assert not _JARGON.search(text)
