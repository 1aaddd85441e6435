"""Two recorded data versions in tmp_path: the shipped data, then a test edit of it.

The edit (test data, made by code): one figure added, one changed (value 7 -> 8, note), one
removed; one camera moved about 50 m north; one source added. Nothing here is real news.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from loaders import changes
from loaders import yaml_text
from tests.conftest import DATA

ADDED, CHANGED, REMOVED = "test-added-figure", "pilot-locations-2024-04-18-dimsumdaily", "western-district-cameras-2024-grandtkitchen"
MOVED, NEW_SOURCE = "td-AID01108", "test-source-2026-12"
T1, T2 = "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"

NEW_FIGURE = {
    "id": ADDED, "claim": "test-claim", "value": 2500, "qualifier": "about", "unit": "camera", "basis": "installed_by_police",
    "topic": "rollout", "programme": "smartview", "as_of": "2026-11-30", "as_of_precision": "day", "stated": "2026-12-01",
    "source": NEW_SOURCE, "quote": "Test quote: about 2,500 cameras.", "quote_lang": "en",
}
SOURCE = {"id": NEW_SOURCE, "title": "Test article", "publisher": "Test Publisher", "url": "https://example.org/test-article",
          "published": "2026-12-01", "language": "en", "kind": "news", "original": True, "accessed": "2026-12-01"}


@dataclass
class TwoVersions:
    root: Path
    history: Path
    v1: changes.Version
    v2: changes.Version


def edit(root: Path) -> None:
    figures = (root / "figures.yaml").read_text(encoding="utf-8")
    figures = yaml_text.set_field(figures, CHANGED, "value", 8)
    figures = yaml_text.set_field(figures, CHANGED, "note", "=Test note, changed.")
    figures = yaml_text.replace(figures, REMOVED, None)
    figures = yaml_text.append(figures, yaml_text.record_block(NEW_FIGURE))
    (root / "figures.yaml").write_text(figures, encoding="utf-8")
    sources = (root / "sources.yaml").read_text(encoding="utf-8")
    (root / "sources.yaml").write_text(yaml_text.append(sources, yaml_text.record_block(SOURCE)), encoding="utf-8")
    cams = (root / "cameras_td.csv").read_text(encoding="utf-8")
    (root / "cameras_td.csv").write_text(cams.replace("td-AID01108,22.271863,", "td-AID01108,22.272313,", 1), encoding="utf-8")


@pytest.fixture
def two_versions(tmp_path) -> TwoVersions:
    root, history = tmp_path / "data", tmp_path / "history"
    shutil.copytree(DATA, root)
    v1 = changes.record(root, history, recorded=T1)
    edit(root)
    v2 = changes.record(root, history, recorded=T2)
    return TwoVersions(root, history, v1, v2)
