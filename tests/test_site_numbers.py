"""The static home page shows the same headline numbers as the live app (one test reads both)."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.apptest import run_page
from tests.site_build import built


class Metrics(HTMLParser):
    """label -> value of every <div class="metric"> on a page."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._in: str | None = None
        self._label = ""

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "p" and cls == "label":
            self._in, self._label = "label", ""
        elif tag == "p" and cls.split()[:1] == ["value"]:
            self._in = "value"
            self.found[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "p":
            self._in = None

    def handle_data(self, data):
        if self._in == "label":
            self._label += data
        elif self._in == "value":
            self.found[self._label] += data


def static_metrics(lang: str) -> dict[str, str]:
    p = Metrics()
    p.feed((built() / lang / "index.html").read_text(encoding="utf-8"))
    return p.found


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_static_home_numbers_equal_the_apps(lang):
    at = run_page("progress", lang=lang)
    assert not at.exception
    app = {str(m.label): str(m.value) for m in at.metric}
    assert len(app) == 7
    assert static_metrics(lang) == app
