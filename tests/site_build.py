"""The static edition built once per test session (tests/test_site_*.py share it), plus page helpers."""
from __future__ import annotations

import re
import shutil
import tempfile
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import atexit

from tests.conftest import DATA


@lru_cache(maxsize=4)
def built(images: bool = False, base_url: str | None = None, snapshot: bool = False) -> Path:
    """The shipped data built into a temporary folder (removed at exit); one build per option set."""
    from publish.site import Options, build

    root = Path(tempfile.mkdtemp(prefix="hkcctv-site-test-"))
    atexit.register(shutil.rmtree, root, True)
    out = root / "site"
    build(out, DATA, Options(images=images, base_url=base_url, snapshot=snapshot, built_at="2026-01-01T00:00:00Z",
                             keep_versions=False))
    return out


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Links(HTMLParser):
    """href/src of every element, the ids on the page, the <html lang>."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        for key in ("href", "src", "data-figure", "data-plotly"):
            if a.get(key):
                self.refs.append(a[key])
        if a.get("id"):
            self.ids.add(a["id"])


def links(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


SKIP_TEXT = {"script", "style", "pre", "code", "blockquote", "q"}


class Text(HTMLParser):
    """Visible interface text: data in another language (elements with their own lang), quotes,
    code and scripts left out."""

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "hr", "img", "meta", "link", "input", "circle", "path"):
            return
        a = dict(attrs)
        skip = tag in SKIP_TEXT or (a.get("lang") not in (None, self.page_lang))
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if not any(skip for _, skip in self.stack):
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def visible_text(path: Path, lang: str) -> str:
    p = Text(lang)
    p.feed(path.read_text(encoding="utf-8"))
    return p.text()
