"""The static edition under stress: bad data, hostile text, a failed build, a rebuild, a public address."""
from __future__ import annotations

import json
import re
import shutil
from html import escape as html_escape
import xml.etree.ElementTree as ET

import pytest

from publish import site as publish_site
from publish import urls
from tests.conftest import DATA
from tests.site_build import built

pytestmark = pytest.mark.filterwarnings("ignore")


def _build(data_dir, out, **opts):
    return publish_site.build(out, data_dir, publish_site.Options(images=False, built_at="2026-01-01T00:00:00Z", **opts))


HOSTILE = "As of today, 15 cameras <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """One build of a data directory with a broken file, a bad record and hostile text (three problems, one build)."""
    root = tmp_path_factory.mktemp("bad")
    data = root / "data"
    shutil.copytree(DATA, data)
    (data / "phases.yaml").write_text("- id: phase-1\n  number: [unclosed\n", encoding="utf-8")
    figures = (data / "figures.yaml").read_text(encoding="utf-8")
    figures = figures.replace("As of today, 15 cameras have been strategically placed at seven key locations", HOSTILE, 1)
    figures = figures.replace("qualifier: about", "qualifier: roughly", 1)
    (data / "figures.yaml").write_text(figures, encoding="utf-8")
    src = data / "sources.yaml"
    src.write_text(src.read_text(encoding="utf-8").replace('publisher: "Dimsum Daily"', 'publisher: "Dimsum <b onmouseover=alert(4)>Daily"', 1),
                   encoding="utf-8")
    report = _build(data, root / "site")
    return report, root / "site"


def test_broken_file_builds_with_dataset_unavailable_and_problem_named(bad):
    report, site = bad
    problem = next(p for p in report.problems if p.startswith("phases.yaml:"))
    assert re.search(r"phases\.yaml:\d+: \w+", problem)
    html = (site / "en" / "phases" / "index.html").read_text(encoding="utf-8")
    assert html_escape(problem) in html
    assert "phases.yaml: unavailable: nothing in this file could be used" in html
    data_page = (site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    assert "unavailable: nothing in this file could be used" in data_page
    assert (site / "en" / "index.html").is_file()  # everything else still builds


def test_one_bad_record_marks_its_dataset_incomplete(bad):
    report, site = bad
    problem = next(p for p in report.problems if p.startswith("figures.yaml:"))
    assert ": qualifier: " in problem
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "figures.yaml: incomplete: some records could not be used and are left out" in home


def test_text_from_data_is_escaped_everywhere(bad):
    _, site = bad
    page = (site / urls.figure_dir("en", "police-installed-cameras-2024-04-18-dimsumdaily") / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Dimsum &lt;b onmouseover=alert(4)&gt;Daily" in page
    offenders = []
    for f in site.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        if re.search(r"<script>alert|<img src=x|<b onmouseover|href=\"javascript:", html):
            offenders.append(str(f.relative_to(site)))
    assert offenders == []
    feed = (site / "en" / "figures" / "feed.atom").read_text(encoding="utf-8")
    assert "<script>" not in feed


def test_failed_build_leaves_the_previous_site_and_no_half_written_folder(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("previous edition", encoding="utf-8")
    from publish import pages_records

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pages_records, "source_page", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        publish_site.build(out, None, publish_site.Options(images=False))
    assert (out / "index.html").read_text(encoding="utf-8") == "previous edition"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_build_is_deterministic_except_the_one_timestamp(tmp_path):
    first = built()
    second = tmp_path / "site"
    publish_site.build(second, None, publish_site.Options(images=False, built_at="2030-05-05T05:05:05Z", keep_versions=False))
    a = {p.relative_to(first).as_posix(): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    b = {p.relative_to(second).as_posix(): p.read_bytes() for p in second.rglob("*") if p.is_file()}
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == ["data/datapackage.json"]
    assert "2030-05-05T05:05:05Z" in b["data/datapackage.json"].decode()


def test_built_site_is_readable_by_a_web_server(tmp_path):
    site = built()
    assert site.stat().st_mode & 0o005 == 0o005


def test_base_url_enables_sitemap_canonical_and_absolute_links():
    site = built(base_url="https://example.test/edition/", snapshot=True)
    tree = ET.parse(site / "sitemap.xml")
    locs = [e.text for e in tree.getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.test/edition/en/" in locs and "https://example.test/edition/zh-Hant/map/" in locs
    assert not [u for u in locs if "/versions/" in u or "/embed/" in u]
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.test/edition/en/">' in home
    data = (site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', data, re.S).group(1))
    assert ld["url"] == "https://example.test/edition/en/data/"
    embed = (site / "en" / "embed" / "progress" / "index.html").read_text(encoding="utf-8")
    assert "src=&quot;https://example.test/edition/en/embed/progress/&quot;" in embed


def test_snapshot_is_a_complete_edition_beside_the_current_one():
    site = built(base_url="https://example.test/edition/", snapshot=True)
    versions = [p.name for p in (site / "versions").iterdir()]
    assert len(versions) == 1
    snap = site / "versions" / versions[0]
    assert (snap / "en" / "index.html").is_file() and (snap / "zh-Hant" / "figures" / "feed.atom").is_file()
    home = (snap / "en" / "map" / "index.html").read_text(encoding="utf-8")
    # Two levels deeper: the app links climb two more levels to the app above the edition.
    assert 'href="../../../../../map?lang=en"' in home


def test_rebuild_keeps_earlier_snapshots(tmp_path):
    out = tmp_path / "site"
    (out / "versions" / "2025-01-01.abcdef123456" / "en").mkdir(parents=True)
    (out / "versions" / "2025-01-01.abcdef123456" / "en" / "index.html").write_text("old edition", encoding="utf-8")
    kept = publish_site._carry_versions(out, tmp_path / "new")
    assert kept == ["2025-01-01.abcdef123456"]
    assert (tmp_path / "new" / "versions" / "2025-01-01.abcdef123456" / "en" / "index.html").read_text(encoding="utf-8") == "old edition"


def test_app_url_option_makes_absolute_app_links():
    links = urls.AppLinks("https://app.example.test/")
    assert links.map("en/map/", "zh-Hant", "E") == "https://app.example.test/map?m_dist=E&lang=zh-Hant"
    assert urls.AppLinks().map("en/map/", "en", "E") == "../../../map?m_dist=E&lang=en"


def test_a_record_id_that_is_not_a_slug_never_becomes_a_path():
    with pytest.raises(ValueError):
        urls.figure_dir("en", "../../etc/passwd")
