"""Cached access to the data bundle, keyed by the content of the data directory.

The key is a hash of every file's bytes, so an edited data file is picked up on the next rerun
without a restart, and an unchanged directory costs one hash, not a reload.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from loaders.datasets import Bundle, data_dir, load_all
from metrics.conflicts import find_conflicts


def content_signature(root: Path) -> str:
    h = hashlib.sha1()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@st.cache_data(show_spinner=False, max_entries=4)
def _load(root: str, signature: str) -> Bundle:  # signature is the cache key only
    return load_all(root)


def bundle() -> Bundle:
    root = data_dir()
    signature = content_signature(root)
    loaded = _load(str(root), signature)
    loaded.signature = signature
    return loaded


@st.cache_data(show_spinner=False, max_entries=4)
def _conflicts(root: str, signature: str):
    loaded = _load(root, signature)
    return find_conflicts(loaded["figures"], loaded["capability_events"])


def conflicts(loaded: Bundle):
    """Conflicting figures, computed once per data version (two pages show them)."""
    return _conflicts(str(loaded.root), loaded.signature or content_signature(loaded.root))
