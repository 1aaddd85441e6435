"""The printable HTML briefing: every figure cited, every cited URL in data/sources, escaped, script-free."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
import yaml

from loaders.datasets import load_all
from ui.briefing import build_briefing
from tests.apptest import run_page

GENERATED = pd.Timestamp("2026-11-27")


class Parsed(HTMLParser):
    """Collects tags, footnote targets, figure spans and what follows each figure span."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.note_ids: list[str] = []
        self.note_urls: list[str] = []
        self.figure_ids: list[str] = []
        self.refs: list[str] = []
        self._in_note = False
        self._after_figure = None  # figure id whose closing span we passed; the next tag must be a footnote
        self._depth = 0
        self.uncited: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if self._after_figure is not None:
            if not (tag == "sup" and a.get("class") == "fn"):
                self.uncited.append(self._after_figure)
            self._after_figure = None
        if tag == "li" and (a.get("id") or "").startswith("fn-"):
            self.note_ids.append(a["id"])
            self._in_note = True
        if tag == "a" and self._in_note and (a.get("href") or "").startswith("http"):
            self.note_urls.append(a["href"])
        if tag == "a" and (a.get("href") or "").startswith("#fn-"):
            self.refs.append(a["href"][1:])
        if tag == "span" and a.get("class") == "fig":
            self.figure_ids.append(a["data-figure"])
            self._depth = 1
        elif tag == "span" and self._depth:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_note = False
        if tag == "span" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self._after_figure = self.figure_ids[-1]

    def handle_data(self, data):
        if self._after_figure is not None and data.strip():
            self.uncited.append(self._after_figure)
            self._after_figure = None


def parse(html: str) -> Parsed:
    p = Parsed()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(scope="module")
def bundle():
    return load_all()


@pytest.fixture(scope="module", params=["en", "zh-Hant"])
def briefing(request, bundle):
    return request.param, build_briefing(bundle, request.param, GENERATED)


def test_every_cited_url_is_a_source_in_data(briefing, bundle):
    _, html = briefing
    p = parse(html)
    assert p.note_urls
    assert set(p.note_urls) <= set(bundle["sources"]["url"])


def test_every_figure_in_the_briefing_has_a_footnote(briefing, bundle):
    _, html = briefing
    p = parse(html)
    assert p.figure_ids, "the briefing shows published figures"
    assert set(p.figure_ids) <= set(bundle["figures"]["id"])
    assert p.uncited == []


def test_every_footnote_reference_resolves_and_every_note_is_used(briefing):
    _, html = briefing
    p = parse(html)
    assert set(p.refs) == set(p.note_ids)
    assert len(p.note_ids) == len(set(p.note_ids))


def test_each_figure_footnote_is_its_own_source(briefing, bundle):
    """The number after a figure points at the note whose URL is that figure's source."""
    _, html = briefing
    url_of_note = dict(re.findall(r'<li id="(fn-\d+)">.*?<a href="([^"]+)"', html))
    sources = bundle["sources"].set_index("id")["url"]
    figures = bundle["figures"].set_index("id")["source"]
    for fid, note in re.findall(r'data-figure="([^"]+)">.*?</span><sup class="fn"><a href="#(fn-\d+)"', html):
        assert url_of_note[note] == sources[figures[fid]], fid


def test_self_contained_printable_and_script_free(briefing):
    lang, html = briefing
    p = parse(html)
    tags = {t for t, _ in p.tags}
    assert not tags & {"script", "link", "iframe", "img", "object", "embed"}
    assert not any(k.startswith("on") for _, a in p.tags for k in a)
    assert "@media print" in html and "<style>" in html
    assert f'<html lang="{lang}">' in html


def test_derived_numbers_are_labelled(briefing):
    lang, html = briefing
    label = "derived" if lang == "en" else "推算"
    assert html.count('class="derived"') >= 3
    assert all(label in chunk for chunk in re.findall(r'<span class="derived">(.*?)<sup', html))


def test_not_published_lines_appear(briefing):
    lang, html = briefing
    assert ("not published" if lang == "en" else "未有公布") in html


def test_data_text_is_escaped(data_copy):
    path = data_copy / "figures.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    rec = next(r for r in records if r["claim"] == "budget-phase-2-3-total")
    rec["quote"] = '<script>alert("x")</script> & <b>bold</b> 40.6億元'  # still contains its number
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    html = build_briefing(load_all(data_copy), "en", GENERATED)
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_pages_offer_the_briefing_download():
    for page in ("phases", "safeguards"):
        at = run_page(page, "en")
        assert not at.exception
        buttons = [e for e in at.get("download_button")]
        assert buttons, page
