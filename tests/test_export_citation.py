"""BibTeX entries that the standard styles print in full: the project's name survives the plain
style, and every entry carries the project's one address once it has one (none is invented)."""
from __future__ import annotations

import datetime as dt

import pytest
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

from loaders import citation

VERSION = citation.DataVersion("abcdef123456", dt.date(2025, 12, 31))
SITE = "https://watch.example"  # a reserved test domain: the project has no public address yet


def _entries(monkeypatch, homepage):
    monkeypatch.setattr(citation, "HOMEPAGE", homepage)
    return [citation.dashboard_bibtex(VERSION, "0123456789ab" * 3 + "0123"),
            citation.dataset_bibtex("figures", "Published figures", VERSION, ("Transport Department (2021). Cameras",)),
            citation.dataset_bibtex("capability_events", "Capability status events", VERSION)]


def _rendered(bib: str, style: str = "plain") -> str:
    data = parse_string(bib, "bibtex")
    formatter = find_plugin("pybtex.style.formatting", style)()
    return " ".join(e.text.render_as("text") for e in formatter.format_entries(data.entries.values()))


@pytest.mark.parametrize("style", ["plain", "unsrt", "alpha"])
def test_plain_styles_print_the_project_name_for_a_dataset(monkeypatch, style):
    text = _rendered(_entries(monkeypatch, None)[1], style)
    assert "Published figures" in text and "Dataset in Hong Kong CCTV Watch" in text
    assert "2025-12-31.abcdef123456" in text


def test_entries_use_only_fields_misc_prints(monkeypatch):
    for bib in _entries(monkeypatch, SITE):
        entry = next(iter(parse_string(bib, "bibtex").entries.values()))
        assert entry.type == "misc"
        assert set(entry.fields) <= {"title", "howpublished", "year", "version", "url", "note"}
        assert "booktitle" not in entry.fields


def test_every_entry_has_the_project_url(monkeypatch):
    dashboard, figures, events = (next(iter(parse_string(b, "bibtex").entries.values())) for b in _entries(monkeypatch, SITE))
    assert dashboard.fields["url"] == SITE
    assert figures.fields["url"] == f"{SITE}/data?d_ds=figures"  # its view on the Data page
    assert events.fields["url"] == f"{SITE}/data?d_ds=capability_events"  # no \_ escaping in a URL
    assert f"{SITE}/data?d_ds=figures" in _rendered(_entries(monkeypatch, SITE)[1])
    assert citation.dataset_citation("figures", "Published figures", VERSION).endswith(f"{SITE}/data?d_ds=figures")


def test_no_url_is_invented_while_the_project_has_no_address(monkeypatch):
    for bib in _entries(monkeypatch, None):
        assert "url" not in next(iter(parse_string(bib, "bibtex").entries.values())).fields
    assert "http" not in citation.dashboard_citation(VERSION)


def test_url_field_is_kept_verbatim_but_cannot_break_the_entry():
    assert citation.bib_url("https://a.example/x_y?q=1&r=%20") == "https://a.example/x_y?q=1&r=%20"
    assert citation.bib_url("https://a.example/{x}\\ y") == "https://a.example/%7Bx%7D%5C%20y"
