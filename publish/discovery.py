"""How the edition is found and reused: the data package under data/, an Atom feed of figures in
each language, sitemap.xml, and schema.org Dataset JSON-LD for the data page.

No public address is recorded for the project (loaders.citation.HOMEPAGE is None), so none is
invented: absolute URLs come only from `--base-url`. Without it sitemap.xml is not written (the
format requires absolute URLs), feed links are relative to the feed (allowed by Atom, resolved by
feed readers against the feed's own address), entry ids are urn:uuid (as loaders/feeds.py does),
and the JSON-LD leaves `url` out and gives download paths relative to the page.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from xml.sax.saxutils import escape as xml_escape

from feedgen.feed import FeedGenerator

from loaders import citation, datapackage
from publish import records
from publish import urls as site_urls
from ui.present import missing

_NS = uuid.UUID("0b7c5a52-3f59-4b0e-9d1e-6a3c2a7e41d3")  # fixed: the same figure keeps its entry id


def write_data_package(site) -> None:
    """The Frictionless package (every dataset as CSV, the districts GeoJSON, datapackage.json, README)
    under data/: the same builder, and bytes, as the app's zip and `python -m loaders export`."""
    pkg = datapackage.build(site.bundle, generated_at=site.built_at, commit=citation.git_commit())
    for path, data in pkg.files.items():
        site.add(f"data/{path}", data)


def _utc(ts) -> dt.datetime:
    return dt.datetime(ts.year, ts.month, ts.day, tzinfo=dt.timezone.utc)


def build_feed(ed) -> bytes:
    """One language's Atom feed of every figure, newest publication first (statement date, else the
    source's publication date, else the date its undated source was accessed; records.publication_date).
    A figure with none of these (not in the shipped data) is listed last, dated 1970-01-01."""
    pr, site = ed.pr, ed.site
    here = f"{ed.lang}/figures/"
    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(_NS, 'figures:' + ed.lang)}")
    fg.title(ed.t("site.feed.title"))
    fg.subtitle(ed.t("site.feed.subtitle"))
    fg.author({"name": citation.AUTHOR})
    fg.language(ed.lang)
    fg.generator("Hong Kong CCTV Watch (python -m publish)")
    home = ed.absolute(site_urls.page_dir(ed.lang, "progress"))
    fg.link(href=home or site_urls.rel(here, site_urls.page_dir(ed.lang, "progress")), rel="alternate")
    if ed.absolute(here):
        fg.link(href=ed.absolute(here) + "feed.atom", rel="self")
    dated = []
    for fid, r in ed.figures.items():
        when = records.publication_date(r, ed.sources)
        dated.append((when, fid, r))
    dated.sort(key=lambda x: (x[0] is None, -(x[0].value if x[0] is not None else 0), x[1]))
    newest = None
    # feedgen prepends by default; order="append" keeps ours (newest first).
    for when, fid, r in dated:
        stamp = _utc(when) if when is not None else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        newest = stamp if newest is None or stamp > newest else newest
        fe = fg.add_entry(order="append")
        fe.id(f"urn:uuid:{uuid.uuid5(_NS, f'figure:{fid}:{ed.lang}')}")
        title = f"{_claim(ed, r)}: {pr.value(r)} ({pr.as_of(r)})"
        fe.title(title)
        fe.updated(stamp)
        fe.published(stamp)
        s = ed.sources.get(r["source"]) or {}
        lines = [title, "", f"{pr.t('progress.col.stated')}: {pr.date(r['stated']) if not missing(r['stated']) else pr.t('common.undated')}",
                 f"{pr.t('common.source')}: {pr.source_label(r['source'])}" + (f" {s['url']}" if s.get("url") else "")]
        if isinstance(r.get("quote"), str) and r["quote"]:
            lines.append(f"{pr.t('common.quote_lang', language=pr.quote_language(r.get('quote_lang')))}: {r['quote']}")
        lines.append(ed.t("site.footer.version", version=site.version.label))
        fe.content("\n".join(lines), type="text")
        target = ed.absolute(site_urls.figure_dir(ed.lang, fid)) or site_urls.rel(here, site_urls.figure_dir(ed.lang, fid))
        fe.link(href=target, rel="alternate")
    fg.updated(newest or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    return fg.atom_str(pretty=True, encoding="UTF-8")


def _claim(ed, r) -> str:
    claim = r.get("claim")
    return ed.pr.label(f"progress.claim.{claim}", str(claim).replace("-", " ")) if not missing(claim) else ed.pr.basis(str(r.get("basis")))


def write_feed(ed) -> None:
    ed.site.add(f"{ed.lang}/figures/feed.atom", build_feed(ed))


def page_paths(site) -> list[str]:
    """Every HTML page directory of the edition (not the snapshots), for the sitemap."""
    return sorted(p[: -len("index.html")] for p in site.files if p.endswith("index.html") and not p.startswith("versions/")
                  and "/embed/" not in p)


def write_sitemap(site) -> None:
    """sitemap.xml with absolute URLs: only when --base-url gives the edition's address."""
    base = site.options.base_url
    if not base or site.prefix:
        return
    lastmod = site.version.newest_as_of.isoformat() if site.version.newest_as_of else None
    urls = []
    for path in page_paths(site):
        loc = xml_escape(base.rstrip("/") + "/" + path)
        urls.append(f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           + "\n".join(urls) + "\n</urlset>\n")
    site.add("sitemap.xml", xml)


def dataset_jsonld(ed, here: str) -> str:
    """schema.org Dataset for dataset search engines: names, description, version, licences, files."""
    site = ed.site
    v = site.version
    infos = site.data.infos
    dist = [{"@type": "DataDownload", "name": "datapackage.json", "encodingFormat": "application/json",
             "contentUrl": _url(ed, here, "data/" + datapackage.DESCRIPTOR)}]
    for i in infos.values():
        dist.append({"@type": "DataDownload", "name": i.name, "description": i.description, "encodingFormat": "text/csv",
                     "contentUrl": _url(ed, here, "data/" + datapackage.csv_path(i.name))})
    if site.bundle.geo:
        dist.append({"@type": "DataDownload", "name": "district_boundaries", "encodingFormat": "application/geo+json",
                     "contentUrl": _url(ed, here, "data/" + datapackage.GEO_PATH)})
    licences = []
    for i in infos.values():
        for lic in i.licences:
            text = lic.get("path") or lic.get("title")
            if text and text not in licences:
                licences.append(text)
    obj = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Hong Kong CCTV Watch data",
        "alternateName": ed.t("app.title") if ed.zh else None,
        "description": ("Every published figure on the Hong Kong Police SmartView camera network, with its source and verbatim "
                        "quote, and the supporting datasets. Figures in sets are never converted to cameras; an empty cell "
                        "means not published or not given by the source."),
        "version": v.label,
        "creator": {"@type": "Organization", "name": citation.AUTHOR},
        "citation": citation.dashboard_citation(v),
        "license": licences[0] if len(licences) == 1 else licences,
        "isAccessibleForFree": True,
        "inLanguage": ["en", "zh-Hant"],
        "keywords": ["Hong Kong", "CCTV", "SmartView", "surveillance", "police", "public oversight"],
        "spatialCoverage": {"@type": "Place", "name": "Hong Kong"},
        "temporalCoverage": _coverage(site),
        "dateModified": v.newest_as_of.isoformat() if v.newest_as_of else None,
        "distribution": dist,
    }
    if ed.absolute(here):
        obj["url"] = ed.absolute(here)
    obj = {k: val for k, val in obj.items() if val not in (None, [], "")}
    # "</" cannot end the script element early: JSON allows "\/" for "/".
    return json.dumps(obj, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _url(ed, here: str, path: str) -> str:
    return ed.absolute(path) or site_urls.rel(here, path)


def _coverage(site) -> str | None:
    figures = site.bundle["figures"]
    if figures.empty or figures["as_of"].isna().all():
        return None
    start = figures["as_of"].min().date().isoformat()
    end = site.version.newest_as_of.isoformat() if site.version.newest_as_of else figures["as_of"].max().date().isoformat()
    return f"{start}/{end}"
