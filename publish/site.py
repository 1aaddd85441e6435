"""The static edition's build: load the data once, build every page in both languages, write atomically.

`build(out, ...)` is what `python -m publish` and `make site` run. Everything the pages say comes
from the same view models (metrics/views), Presenter (ui/present.py), words (ui/content) and chart
functions (ui/charts) as the live app. Nothing is written to `out` until the whole edition is built
in a temporary folder beside it; then the folders are swapped, so a reader (or a CDN sync) never sees
a half-written site. The same data and code give the same bytes, except the package's generated
timestamp (site/data/datapackage.json), which is the build's one timestamp.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import changes
from loaders import citation
from loaders.datasets import Bundle, load_all
from loaders.export import generated_timestamp
from loaders.schema import ALL as SCHEMAS
from metrics import freshness as freshness_metrics
from ui.content import freshness as freshness_words
from metrics.views import data as data_views
from metrics.views import map as map_views
from metrics.views import phases as phases_views
from metrics.views import progress as progress_views
from metrics.views import safeguards as safeguards_views
from publish import html
from publish import records as site_records
from publish import urls
from ui.i18n import LANGS
from ui.present import Presenter, unique_records

VERSIONS_DIR = "versions"
# Which data files each page depends on (the app's pages name the same files): their problems show there.
PAGE_FILES = {
    "progress": ("figures.yaml", "sources.yaml", "phases.yaml", "capabilities.yaml", "cities.yaml", "districts.csv"),
    "map": ("cameras_td.csv", "smartview_sites.yaml", "districts.csv", "district_census_2021.yaml", "geo/districts.geojson",
            "sources.yaml"),
    "phases": ("figures.yaml", "sources.yaml", "phases.yaml", "safeguards.yaml"),
    "safeguards": ("capabilities.yaml", "safeguards.yaml", "open_questions.yaml", "sources.yaml", "figures.yaml"),
    "data": None,  # every file
}
DATASET_FILES = {s.name: s.file for s in SCHEMAS}


@dataclass
class Options:
    app_url: str | None = None  # the live app's address; None: one level above the edition (production layout)
    base_url: str | None = None  # the edition's own public address, for sitemap.xml, canonical links and feed links
    images: bool = True  # SVG + PNG of every chart through kaleido and a local Chrome
    chrome: str | None = None  # Chrome/Chromium for kaleido (default: $BROWSER_PATH, else /usr/bin/chromium)
    built_at: str | None = None  # the build timestamp (default: $SOURCE_DATE_EPOCH, else now)
    snapshot: bool = False  # also write this edition under versions/<data version>/
    keep_versions: bool = True  # carry earlier versions/<label>/ folders of `out` into the new build
    history_dir: str | None = None


@dataclass
class Site:
    """Everything the pages of both languages share, computed once."""

    bundle: Bundle
    options: Options
    version: citation.DataVersion
    conflicts: list[tuple[str, dict]]
    conflict_rows: pd.DataFrame
    progress: progress_views.ProgressView
    map: map_views.MapView
    data: data_views.DataView
    timeline: changes.Timeline | None
    timeline_problem: str | None
    first_recorded: dict
    files: dict[str, bytes] = field(default_factory=dict)
    images: dict[tuple[str, str], dict] = field(default_factory=dict)  # (lang, chart) -> {"svg": (w, h), "png": ...}
    image_problem: str | None = None
    prefix: str = ""  # "versions/<label>/" while writing a snapshot
    snapshots: list[str] = field(default_factory=list)  # versions/<label> folders present in the output
    built_at: str = ""  # the build's one timestamp (datapackage.json's generated block)

    def add(self, path: str, data: bytes | str) -> None:
        self.files[self.prefix + path] = data.encode("utf-8") if isinstance(data, str) else data

    @property
    def figure_conflicts(self) -> dict[str, list[str]]:
        return site_records.figure_conflicts(self.conflicts)

    def unavailable(self) -> dict[str, str]:
        """dataset -> 'unavailable' (nothing could be read) or 'incomplete' (some records left out)."""
        out = {}
        for name, file in DATASET_FILES.items():
            if not any(p.file == file for p in self.bundle.problems):
                continue
            frame = self.bundle.frames.get(name)
            out[name] = "unavailable" if frame is None or frame.empty else "incomplete"
        return out


class Edition:
    """One language's view of the site: its Presenter, language-dependent views, the page frame."""

    def __init__(self, site: Site, lang: str):
        self.site, self.lang = site, lang
        self.pr = Presenter.for_bundle(site.bundle, lang)
        self.zh = self.pr.zh
        self.phases = phases_views.phases_view(site.bundle, lang)
        self.safeguards = safeguards_views.safeguards_view(site.bundle, lang, site.conflict_rows)
        self.freshness = freshness_metrics.freshness(site.bundle.frames.get("freshness"), site.bundle["figures"], lang)
        self.sources = {r["id"]: r for r in site.bundle["sources"].to_dict("records")} if len(site.bundle["sources"]) else {}
        self.figures = {r["id"]: r for r in site.bundle["figures"].to_dict("records")} if len(site.bundle["figures"]) else {}
        self.app = urls.AppLinks(site.options.app_url, urls.depth(site.prefix))

    def t(self, key: str, **values) -> str:
        return self.pr.t(key, **values)

    # -- links from a page directory ---------------------------------------------------------------------
    def href(self, here: str, to: str) -> str:
        return urls.rel(here, to)

    def figure_link(self, here: str, fid: str, text: str | None = None) -> str:
        if fid not in self.figures:
            return html.esc(text or fid)
        return html.link(urls.rel(here, urls.figure_dir(self.lang, fid)), text if text is not None else fid)

    def source_link(self, here: str, sid: str, text: str | None = None) -> str:
        if sid not in self.sources:
            return html.esc(text or sid)
        return html.link(urls.rel(here, urls.source_dir(self.lang, sid)), text if text is not None else self.pr.source_label(sid))

    def absolute(self, path: str) -> str | None:
        base = self.site.options.base_url
        return base.rstrip("/") + "/" + self.site.prefix + path if base else None

    # -- the frame -----------------------------------------------------------------------------------------
    def frame(self, here: str, title: str, current: str | None = None, description: str = "", scripts: bool = False,
              head_extra: str = "") -> html.Frame:
        nav = [(urls.rel(here, urls.page_dir(self.lang, p)), self.t(f"nav.{p}"), p == current) for p in urls.PAGES]
        nav += [(urls.rel(here, urls.list_dir(self.lang, k)), self.t(f"site.nav.{k}"), k == current) for k in urls.LISTS]
        other = urls.other_lang(self.lang)
        switch = (urls.rel(here, urls.swap_lang(here, self.lang)), self.t(f"lang.{other}"), other)
        feed = urls.rel(here, f"{self.lang}/figures/feed.atom")
        head = (f'<link rel="alternate" hreflang="{html.esc(other)}" href="{html.esc(switch[0])}">'
                f'<link rel="alternate" type="application/atom+xml" title="{html.esc(self.t("site.feed.title"))}" href="{html.esc(feed)}">'
                + head_extra)
        return html.Frame(
            lang=self.lang, path=here, title=f"{title} · {self.t('app.title')}", site_name=self.t("app.title"), nav=nav,
            switch=switch, head_extra=head, footer_html=self.footer(here), description=description or self.t("app.tagline"),
            canonical=self.absolute(here), scripts=[urls.rel(here, "assets/site.js")] if scripts else [],
            skip_label=self.t("site.skip"), nav_label=self.t("site.nav.label"), home_href=urls.rel(here, urls.page_dir(self.lang, "progress")),
        )

    def footer(self, here: str) -> str:
        b, v = self.site.bundle, self.site.version
        app = self.app.page(here, "progress", self.lang)
        return "".join(f"<p>{x}</p>" for x in (
            html.esc(self.t("footer.sources", n=len(b["sources"]))),
            html.esc(self.t("footer.licence")),
            html.esc(self.t("footer.about")),
            html.esc(self.t("site.footer.version", version=v.label)) + " · "
            + html.link(urls.rel(here, urls.page_dir(self.lang, "data")), self.t("site.footer.data")) + " · "
            + html.link(app, self.t("site.footer.live_app")),
        ))

    def write(self, here: str, frame: html.Frame, body: str) -> None:
        self.site.add(here + "index.html", html.page(frame, body))

    # -- shared blocks -------------------------------------------------------------------------------------
    def problems(self, page: str | None) -> str:
        """The app's problems warning: every problem with file, line and field; unavailable datasets named."""
        files = PAGE_FILES.get(page) if page else None
        probs = self.site.bundle.problems if files is None else self.site.bundle.problems_in(*files)
        if not probs:
            return ""
        status = self.site.unavailable()
        lost = [f"{DATASET_FILES[n]}: {self.t('site.dataset.' + s)}" for n, s in sorted(status.items())
                if files is None or DATASET_FILES[n] in files]
        items = "".join(f"<li><code>{html.esc(str(p))}</code></li>" for p in probs[:50])
        more = f"<li>… (+{len(probs) - 50})</li>" if len(probs) > 50 else ""
        head = f"<p><strong>{html.esc(self.t('problems.title', n=len(probs)))}</strong></p>"
        lost_html = "<ul>" + "".join(f"<li>{html.esc(x)}</li>" for x in lost) + "</ul>" if lost else ""
        return html.callout(head + lost_html + f"<ul>{items}{more}</ul>", "warn")

    def sources_block(self, here: str, records, extra_sources=(), render=None, notes: bool = True) -> str:
        """The app's sources popover as a <details>: every record (value, date, source, verbatim quote)."""
        unique = unique_records(records)
        extra = list(extra_sources)
        n = len(unique) + len(extra)
        if not n:
            return ""
        parts = []
        for r in unique:
            text = html.md(render(self.pr, r) if render else self.pr.cite_md(r, note=notes))
            rid = r.get("id")
            more = []
            if isinstance(rid, str) and rid in self.figures:
                more.append(self.figure_link(here, rid, self.t("site.figure.permalink")))
            if isinstance(r.get("source"), str) and r["source"] in self.sources:
                more.append(self.source_link(here, r["source"], self.t("site.source.permalink")))
            parts.append(text + (f'<p class="note">{" · ".join(more)}</p>' if more else ""))
        for sid in extra:
            parts.append(html.md(self.pr.citation_md(sid)) + (f'<p class="note">{self.source_link(here, sid, self.t("site.source.permalink"))}</p>'
                                                             if sid in self.sources else ""))
        return html.details(self.t("present.sources_button", n=n), "<div>" + "<hr>".join(parts) + "</div>", cls="sources")

    def records_table(self, here: str, df: pd.DataFrame, first: dict | None = None, date_col: str = "as_of",
                      caption: str | None = None) -> str:
        """The app's records table (date, value, source, quote) with the value and source as permalinks."""
        rows = df.to_dict("records")
        date_key = "progress.col.stated" if date_col == "stated" else "progress.col.date"
        first = first or {}
        headers = [self.t(date_key), *first.keys(), self.t("progress.col.value"), self.t("progress.col.source"),
                   self.t("progress.col.quote")]
        body = []
        for i, r in enumerate(rows):
            when = self.pr.date(r[date_col], r["as_of_precision"] if date_col == "as_of" else "day")
            value = html.Cell(self.pr.value(r), html=self.figure_link(here, r["id"], self.pr.value(r)))
            src = html.Cell(self.pr.source_label(r["source"]), html=self.source_link(here, r["source"]))
            quote = html.Cell(r.get("quote") or "", lang=r.get("quote_lang") if isinstance(r.get("quote_lang"), str) else None)
            body.append([when, *[col[i] for col in first.values()], value, src, quote])
        return html.table(headers, body, caption=caption)

    def freshness_line(self) -> str:
        """The app's footer line (ui/content/freshness): sources last checked, newest figure published."""
        text = freshness_words.checked_line(self.freshness, self.pr)
        if text is None:
            return ""
        if later := freshness_words.nothing_later(self.freshness, self.pr):
            text += ("。" if self.zh else ". ") + later
        text += "。" if self.zh else "."
        return f'<p class="meta">{html.esc(text)}</p>'


# ---------------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------------

def make_site(bundle: Bundle, options: Options) -> Site:
    conflict_rows = progress_views.conflicts_of(bundle)
    try:
        tl, tl_problem = changes.timeline(bundle.root, options.history_dir), None
    except (changes.HistoryError, OSError, ValueError, KeyError) as exc:  # a broken history is named, the edition still builds
        tl, tl_problem = None, str(exc)
    return Site(
        bundle=bundle, options=options, version=citation.data_version(bundle.root, bundle.frames.get("figures")),
        conflicts=site_records.with_ids(conflict_rows), conflict_rows=conflict_rows,
        progress=progress_views.progress_view(bundle, conflict_rows), map=map_views.map_view(bundle),
        data=data_views.data_view(bundle), timeline=tl, timeline_problem=tl_problem, first_recorded=site_records.first_recorded(tl),
    )


def render_all(site: Site) -> None:
    """Every page and file of one edition into site.files (under site.prefix)."""
    from publish import assets, charts, discovery, pages_main, pages_records

    editions = {lang: Edition(site, lang) for lang in LANGS}
    figures = {lang: charts.build_figures(ed) for lang, ed in editions.items()}
    if not site.prefix:
        charts.render_images(site, figures)
    for lang, ed in editions.items():
        charts.write_chart_files(ed, figures[lang])
        pages_main.write_all(ed, figures[lang])
        pages_records.write_all(ed, figures[lang])
        discovery.write_feed(ed)
    pages_records.write_root(site, editions)
    assets.write_assets(site)
    discovery.write_data_package(site)
    discovery.write_sitemap(site)


@dataclass
class Report:
    out: Path
    files: int
    bytes: int
    seconds: float
    version: str
    problems: list[str]
    images: int
    image_problem: str | None
    snapshot: str | None


def build(out: str | os.PathLike, data_dir: str | os.PathLike | None = None, options: Options | None = None,
          log=print) -> Report:
    """Build the edition into `out` (replaced as a whole, only once everything is built)."""
    t0 = time.perf_counter()
    options = options or Options()
    out = Path(out)
    bundle = load_all(data_dir)
    site = make_site(bundle, options)
    site.built_at = generated_timestamp(options.built_at)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
    try:
        kept = _carry_versions(out, tmp) if options.keep_versions else []
        site.snapshots = sorted(set(kept) | ({site.version.label} if options.snapshot else set()))
        render_all(site)
        if options.snapshot:
            site.prefix = f"{VERSIONS_DIR}/{site.version.label}/"
            main_files = dict(site.files)
            render_all(site)
            # Images and plotly.js are the same bytes: the snapshot's copies come from the main build.
            for path, data in main_files.items():
                if path.endswith((".png", ".svg")) and "/embed/" in path:
                    site.files.setdefault(site.prefix + path, data)
            site.prefix = ""
        for path, data in sorted(site.files.items()):
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    total = sum(len(d) for d in site.files.values())
    report = Report(out, len(site.files), total, time.perf_counter() - t0, site.version.label,
                    [str(p) for p in bundle.problems], sum(1 for v in site.images.values() for _ in v), site.image_problem,
                    site.version.label if options.snapshot else None)
    return report


def _carry_versions(out: Path, tmp: Path) -> list[str]:
    """Earlier snapshots (out/versions/<label>/) are kept: copied into the new build before the swap."""
    old = out / VERSIONS_DIR
    labels = []
    if old.is_dir():
        for child in sorted(old.iterdir()):
            if child.is_dir() and not child.name.startswith("."):
                shutil.copytree(child, tmp / VERSIONS_DIR / child.name)
                labels.append(child.name)
    return labels


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished build in place: the old site moves aside, the new one in, the old one goes."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / "site")
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main_log(report: Report) -> None:
    print(f"built the static edition (data version {report.version}): {report.files} files, "
          f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s -> {report.out}", file=sys.stderr)
