"""The string catalogue: every UI string, in English and Traditional Chinese.

Strings live in ui/strings/*.yaml, one file per page area, each key holding both languages side
by side (`key: {en: ..., zh-Hant: ...}`) so a missing translation is visible in review and caught
by a test. Keys are unique across files. No Streamlit here, so it is tested directly.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("en", "zh-Hant")
DEFAULT_LANG = "en"
STRINGS_DIR = Path(__file__).resolve().parent / "strings"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in entries.items():
            if key in merged:
                raise KeyError(f"{path.name}: string key {key!r} is defined twice")
            merged[key] = texts
    return merged


def normalise_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The string for key in lang, formatted with values. A missing key shows itself, loudly."""
    entry = catalogue().get(key)
    if entry is None:
        return f"⟦{key}⟧"
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or f"⟦{key}⟧"
    return text.format(**values) if values else text
