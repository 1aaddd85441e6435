"""The static edition built from the shipped data: every page and permalink, links, languages, feeds."""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest

from publish import records
from publish import urls
from tests.site_build import built, html_files, links, visible_text
from tests.test_i18n_pages import CJK, ENGLISH
from ui import url_state

LANGS = ("en", "zh-Hant")


@pytest.fixture(scope="module")
def site() -> Path:
    return built()


def test_every_page_exists_in_both_languages(site):
    missing = [f"{urls.page_dir(lang, p)}index.html" for lang in LANGS for p in (*urls.PAGES, *urls.LISTS)
               if not (site / (urls.page_dir(lang, p) if p in urls.PAGES else urls.list_dir(lang, p)) / "index.html").is_file()]
    assert missing == []
    assert (site / "index.html").is_file()


def test_every_figure_source_and_conflict_has_a_permalink(site, shipped):
    conflicts = [cid for cid, _ in records.with_ids(R_conflicts(shipped))]
    expected = ([urls.figure_dir(lang, f) for f in shipped["figures"]["id"] for lang in LANGS]
                + [urls.source_dir(lang, s) for s in shipped["sources"]["id"] for lang in LANGS]
                + [urls.conflict_dir(lang, c) for c in conflicts for lang in LANGS])
    assert len(conflicts) >= 10  # the shipped data has ten disagreements: none may go without a page
    assert [p for p in expected if not (site / p / "index.html").is_file()] == []


def R_conflicts(bundle):
    from metrics.views.progress import conflicts_of

    return conflicts_of(bundle)


def test_conflict_ids_come_from_claim_and_period(shipped):
    ids = dict((row["claim"], cid) for cid, row in records.with_ids(R_conflicts(shipped)))
    assert ids["target-2028-total"] == "target-2028-total--2028-12-31"
    assert ids["retention-period"] == "retention-period"  # a standing fact has no period
    assert ids["facial-recognition-claimed"] == "facial-recognition-claimed--claimed-vs-denied"


def _internal_target(page: Path, ref: str, site: Path) -> Path | None:
    """The file an internal link points at, or None for an outside link or a link to the live app."""
    parts = urlsplit(ref)
    if parts.scheme or ref.startswith(("data:", "mailto:", "#")) or not parts.path:
        return None
    rel_page = page.parent.relative_to(site).as_posix()
    joined = posixpath.normpath(posixpath.join(rel_page, parts.path))
    if joined.startswith(".."):
        return None  # climbs out of the edition: the live app (checked in test_app_links_use_the_app_codec)
    target = site / joined
    return target / "index.html" if ref.split("?")[0].split("#")[0].endswith("/") or target.is_dir() else target


def test_no_internal_link_is_broken(site):
    broken = []
    for page in html_files(site):
        for ref in links(page).refs:
            target = _internal_target(page, ref, site)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {ref}")
    assert broken == []


def test_link_checker_finds_a_broken_link(site, tmp_path):
    page = tmp_path / "en" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<a href="../figures/none/">x</a>', encoding="utf-8")
    target = _internal_target(page, "../figures/none/", tmp_path)
    assert target is not None and not target.is_file()


def test_app_links_use_the_app_codec(site):
    """Every link out of the edition is the live app's page with valid codes and the page's language."""
    params = {"progress": url_state.progress_params(["ed"], None).params, "phases": url_state.phases_params().params,
              "map": url_state.MAP.params, "safeguards": (), "data": ()}
    bad, seen = [], 0
    for page in html_files(site):
        info = links(page)
        for ref in info.refs:
            parts = urlsplit(ref)
            rel_page = page.parent.relative_to(site).as_posix()
            if parts.scheme or not parts.path.startswith("../") and parts.path != "":
                continue
            joined = posixpath.normpath(posixpath.join(rel_page, parts.path))
            if not joined.startswith(".."):
                continue
            seen += 1
            app_page = joined.removeprefix("..").strip("/") or "progress"
            query = parse_qs(parts.query, keep_blank_values=True)
            ok = joined in ("..", "../map", "../phases", "../safeguards", "../data") and query.get("lang") == [info.lang]
            if app_page == "data":
                query.pop("d_ds", None)
            values, notices = url_state.decode_all([p for p in params.get(app_page, ()) if p.key != "p_ed"], query)
            unknown = set(query) - {"lang", "p_ed", "s_rate", "s_start", "s_base"} - {p.key for p in params.get(app_page, ())}
            if not ok or notices or unknown:
                bad.append(f"{page.relative_to(site)} -> {ref}")
    assert seen > 500
    assert bad == []


def test_html_lang_is_the_page_language(site):
    wrong = [str(p.relative_to(site)) for lang in LANGS for p in html_files(site / lang) if links(p).lang != lang]
    assert wrong == []


def test_chinese_pages_show_no_english_interface_string(site):
    leaked = {}
    pages = [site / "zh-Hant" / "index.html", *(site / "zh-Hant" / p / "index.html" for p in ("map", "phases", "safeguards", "data",
                                                                                               "figures", "sources", "conflicts"))]
    pages += sorted((site / "zh-Hant" / "figures").glob("*/index.html"))[:20] + sorted((site / "zh-Hant" / "embed").glob("*/index.html"))
    for page in pages:
        text = visible_text(page, "zh-Hant")
        found = [s for s in ENGLISH if s in text]
        if found:
            leaked[str(page.relative_to(site))] = found
    assert leaked == {}
    assert CJK.search(visible_text(site / "zh-Hant" / "index.html", "zh-Hant"))


def test_english_check_would_catch_an_english_page(site):
    assert any(s in visible_text(site / "en" / "index.html", "en") for s in ENGLISH)


def test_figure_page_shows_value_source_quote_and_the_claim_over_time(site, shipped):
    r = shipped["figures"].set_index("id").loc["police-installed-cameras-2024-04-18-dimsumdaily"]
    html = (site / urls.figure_dir("en", "police-installed-cameras-2024-04-18-dimsumdaily") / "index.html").read_text(encoding="utf-8")
    assert "<h1>15 cameras" in html
    assert r["quote"] in html
    assert "verbatim quote, in English" in html
    same = (shipped["figures"]["claim"] == r["claim"]).sum()
    assert f"The same claim over time ({same} records)" in html


def test_figure_in_a_conflict_shows_both_sides(site, shipped):
    conflicts = dict(records.with_ids(R_conflicts(shipped)))
    row = conflicts["retention-period"]
    values = {s["value"] for s in row["sides"]}
    fid = row["sides"][0]["id"]
    html = (site / urls.figure_dir("en", fid) / "index.html").read_text(encoding="utf-8")
    assert "Sources disagree" in html
    assert all(f"{int(v)} days" in html for v in values)
    assert 'href="../../conflicts/retention-period/"' in html


def test_not_published_is_marked_as_the_app_marks_it(site):
    html = (site / "en" / "map" / "index.html").read_text(encoding="utf-8")
    assert "not published" in html
    zh = (site / "zh-Hant" / "map" / "index.html").read_text(encoding="utf-8")
    assert "未有公布" in zh


def test_feed_is_valid_atom_with_every_figure_newest_first(site, shipped):
    for lang in LANGS:
        feed = feedparser.parse((site / lang / "figures" / "feed.atom").read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert len(feed.entries) == len(shipped["figures"])
        dates = [e.updated_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True)
        assert feed.feed.language == lang
        assert all(e.link.startswith("../figures/") or e.link.endswith("/") for e in feed.entries)


def test_no_sitemap_without_a_base_url(site):
    assert not (site / "sitemap.xml").exists()
    assert "canonical" not in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_data_page_carries_dataset_jsonld_whose_downloads_exist(site):
    page = site / "en" / "data" / "index.html"
    html = page.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    ld = json.loads(block)
    assert ld["@type"] == "Dataset" and ld["version"] in html
    assert "url" not in ld  # no public address given, none invented
    missing = [d["contentUrl"] for d in ld["distribution"] if not (page.parent / d["contentUrl"]).resolve().is_file()]
    assert missing == []


def test_data_package_is_under_data_with_matching_hashes(site):
    import hashlib

    desc = json.loads((site / "data" / "datapackage.json").read_bytes())
    assert {r["name"] for r in desc["resources"]} >= {"figures", "sources", "cameras"}
    for res in desc["resources"]:
        data = (site / "data" / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert desc["generated"]["at"] == "2026-01-01T00:00:00Z"


def test_no_page_refers_to_another_host_for_what_it_loads(site):
    """Scripts, styles, images and iframes come from the edition itself (outside links are plain <a>)."""
    loads = re.compile(r'<(?:script|img|iframe|link)\b[^>]*\b(?:src|href)="(https?:)?//', re.I)
    offenders = [str(p.relative_to(site)) for p in html_files(site) if loads.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_plotly_is_a_local_copy_and_only_loaded_on_request(site):
    assert (site / "assets" / "plotly.min.js").stat().st_size > 3_000_000
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "plotly.min.js" not in re.findall(r"<script[^>]*>", home).__str__()
    assert 'data-plotly="../assets/plotly.min.js"' in home
