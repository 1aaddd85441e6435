"""Permalink pages: one per published figure, per source, per conflict, per chart (embed), plus their lists.

A permalink's address is made from the record's id only (publish/urls.py), so it never changes
while the record keeps its id; its content is whatever the data says now.
"""
from __future__ import annotations

import pandas as pd

from loaders import citation
from publish import charts
from publish import html
from publish import records
from publish import urls
from publish.pages_main import conflict_blocks
from ui.present import missing, text_or_none


def write_all(ed, figures: dict) -> None:
    figures_index(ed)
    for fid in sorted(ed.figures):
        figure_page(ed, fid)
    sources_index(ed)
    for sid in sorted(ed.sources):
        source_page(ed, sid)
    conflicts_index(ed)
    for cid, row in ed.site.conflicts:
        conflict_page(ed, cid, row)
    for name, fig in figures.items():
        embed_page(ed, name, fig)


def _claim_label(ed, r) -> str:
    claim = r.get("claim")
    if missing(claim):
        return ed.pr.basis(str(r.get("basis") or ""))
    return ed.pr.label(f"progress.claim.{claim}", str(claim).replace("-", " "))


# --- figures -----------------------------------------------------------------------------------------------

def figures_index(ed) -> None:
    here = urls.list_dir(ed.lang, "figures")
    pr = ed.pr
    frame = ed.site.bundle["figures"]
    out = [f"<h1>{html.esc(ed.t('site.figures.title', n=pr.n(len(frame))))}</h1>", f"<p>{html.esc(ed.t('site.figures.intro'))}</p>",
           ed.problems("progress"),
           f'<p class="meta">{html.link("feed.atom", ed.t("site.feed.title"))}</p>']
    if not frame.empty:
        for topic, part in frame.sort_values(["topic", "claim", "as_of", "stated", "id"], na_position="last").groupby("topic", sort=True):
            rows = []
            for r in part.to_dict("records"):
                rows.append([html.Cell("", html=ed.figure_link(here, r["id"], pr.value(r))), _claim_label(ed, r), pr.as_of(r),
                             pr.date(r["stated"]) if not missing(r["stated"]) else pr.t("common.undated"),
                             html.Cell("", html=ed.source_link(here, r["source"]))])
            out.append(f'<h2 id="topic-{html.esc(topic)}">{html.esc(ed.pr.label(f"site.topic.{topic}", topic))} ({pr.n(len(part))})</h2>')
            out.append(html.table([pr.t("progress.col.value"), ed.t("site.col.claim"), pr.t("progress.col.date"), pr.t("progress.col.stated"),
                                pr.t("progress.col.source")], rows))
    ed.write(here, ed.frame(here, ed.t("site.figures.title", n=pr.n(len(frame))), "figures"), "\n".join(x for x in out if x))


def figure_page(ed, fid: str) -> None:
    here = urls.figure_dir(ed.lang, fid)
    pr, r = ed.pr, ed.figures[fid]
    value = pr.value(r)
    claim = _claim_label(ed, r)
    facts = [
        (ed.t("site.figure.value"), html.esc(value)),
        (ed.t("site.figure.as_published"), html.esc(_as_published(ed, r))),
        (pr.t("progress.col.qualifier"), html.esc(_qualifier(ed, r["qualifier"]))),
        (ed.t("site.figure.unit"), html.esc(pr.unit(r["unit"]))),
        (ed.t("site.figure.basis"), html.esc(pr.basis(str(r["basis"])))),
        (ed.t("site.col.claim"), f"{html.esc(claim)} <code>{html.esc(r['claim'])}</code>"),
        (pr.t("progress.col.date"), html.esc(pr.as_of(r))),
        (pr.t("progress.col.stated"), html.esc(pr.date(r["stated"]) if not missing(r["stated"]) else pr.t("common.undated"))),
    ]
    if text_or_none(r.get("value_text")):
        facts.append((ed.t("site.figure.value_text"), html.esc(r["value_text"])))
    if isinstance(r.get("derived_from"), (list, tuple)) and r["derived_from"]:
        facts.append((ed.t("site.figure.derived_from"), ", ".join(ed.figure_link(here, d) for d in r["derived_from"])))
    if text_or_none(r.get("phase")):
        facts.append((ed.t("site.col.phase"), html.esc(r["phase"])))
    recorded = ed.site.first_recorded.get(fid)
    if recorded:
        facts.append((ed.t("site.figure.recorded"), html.esc(recorded[0]) + (f" ({html.esc(pr.date(recorded[1]))})" if recorded[1] else "")))
    facts.append((ed.t("site.figure.id"), f"<code>{html.esc(fid)}</code>"))
    out = [f'<p class="meta">{html.esc(claim)}</p><h1>{html.esc(value)} <span class="meta">· {html.esc(pr.as_of(r))}</span></h1>',
           ed.problems("progress"), html.dl(facts)]
    if text_or_none(r.get("note")):
        out.append(_note(ed, r["note"]))
    out.append(f"<h2>{html.esc(pr.t('common.source'))}</h2>" + html.md(pr.citation_md(r["source"], r["quote"], r["quote_lang"])))
    out.append(f'<p class="note">{ed.source_link(here, r["source"], ed.t("site.source.permalink"))}</p>')

    for cid in ed.site.figure_conflicts.get(fid, []):
        row = dict(next(row for c, row in ed.site.conflicts if c == cid))
        text, body = conflict_blocks(ed, here, row)
        out.append(f'<h2>{html.esc(ed.t("site.figure.conflict"))}</h2><p>{html.md_inline(text.summary)}</p>{body}'
                   f'<p>{html.link(urls.rel(here, urls.conflict_dir(ed.lang, cid)), ed.t("site.conflict.permalink"))}</p>')

    same = records.same_claim(ed.site.bundle["figures"], r.get("claim"))
    if len(same) > 1:
        rows = []
        for s in same.to_dict("records"):
            link = html.esc(pr.value(s)) + f" ({html.esc(ed.t('site.figure.this'))})" if s["id"] == fid else ed.figure_link(here, s["id"], pr.value(s))
            rows.append([pr.as_of(s), pr.date(s["stated"]) if not missing(s["stated"]) else pr.t("common.undated"),
                         html.Cell("", html=link), html.Cell("", html=ed.source_link(here, s["source"]))])
        out.append(f"<h2>{html.esc(ed.t('site.figure.over_time', n=pr.n(len(same))))}</h2>"
                   + html.table([pr.t("progress.col.date"), pr.t("progress.col.stated"), pr.t("progress.col.value"), pr.t("progress.col.source")], rows))

    page, state = records.app_view(r)
    app = ed.app.progress(here, ed.lang, **state) if page == "progress" else ed.app.page(here, page, ed.lang)
    out.append(f"<h2>{html.esc(ed.t('site.figure.cite'))}</h2><pre>{html.esc(figure_citation(ed, r))}</pre>")
    out.append(f"<p>{html.link(app, ed.t('site.open_in_app'))} · {html.link(urls.rel(here, urls.list_dir(ed.lang, 'figures')), ed.t('site.figures.all'))}</p>")
    ed.write(here, ed.frame(here, f"{value} · {claim}", "figures", description=f"{claim}: {value}, {pr.as_of(r)}"), "\n".join(x for x in out if x))


def _note(ed, note: str) -> str:
    """A curator's note: written in English in the data, marked as such on a Chinese page."""
    return f'<p class="note"><em>{html.esc(ed.t("present.note"))}: <span lang="en">{html.esc(note)}</span></em></p>'


def _qualifier(ed, qualifier) -> str:
    if missing(qualifier) or qualifier in ("exact", "range"):
        return ed.t("site.figure.range" if qualifier == "range" else "site.figure.exact")
    return ed.pr.t(f"qualifier.{qualifier}")


def _title(ed, s) -> str:
    return text_or_none(s.get("title")) or ed.t("site.source.untitled")


def _as_published(ed, r) -> str:
    """The number as the record holds it (value, value_high), no rounding, no unit words."""
    v = ed.pr.as_published(r["value"])
    high = r.get("value_high")
    return v if missing(high) else f"{v}–{ed.pr.as_published(high)}"


def figure_citation(ed, r) -> str:
    """A plain citation of one figure: the dashboard, its data version, the figure's permalink, its source."""
    s = ed.pr.source(r["source"]) or {}
    v = ed.site.version
    where = ed.absolute(urls.figure_dir(ed.lang, r["id"]))
    title = text_or_none(s.get("title")) or ""
    source = f"{s.get('publisher', r['source'])}, {title} ({ed.pr.published(s.get('published'))}) {s.get('url', '')}".strip()
    return ed.t("site.figure.citation", author=citation.AUTHOR, year=v.year or "n.d.", value=ed.pr.value(r), date=ed.pr.as_of(r),
                figure=r["id"], project=citation.PROJECT, version=v.label, source=source) + (f" {where}" if where else "")


# --- sources -----------------------------------------------------------------------------------------------

def _citing(ed, sid: str) -> dict[str, list[dict]]:
    """Every record that cites a source, by dataset."""
    b = ed.site.bundle
    out: dict[str, list[dict]] = {}
    for name in ("figures", "capability_events", "safeguard_entries", "cities", "smartview_sites", "phases", "open_questions",
                 "districts", "cameras"):
        frame = b.frames.get(name)
        if frame is None or frame.empty:
            continue
        hits = []
        for col in ("source", "sources", "guidance_sources"):
            if col not in frame:
                continue
            if col == "source":
                mask = frame[col].eq(sid)
            else:
                mask = frame[col].map(lambda v: isinstance(v, (list, tuple)) and sid in v)
            hits.append(frame[mask])
        if hits:
            rows = pd.concat(hits).drop_duplicates(subset=[c for c in ("id", "seq", "capability", "safeguard", "code") if c in frame])
            if len(rows):
                out[name] = rows.to_dict("records")
    return out


def sources_index(ed) -> None:
    here = urls.list_dir(ed.lang, "sources")
    pr = ed.pr
    frame = ed.site.bundle["sources"]
    figs = ed.site.bundle["figures"]
    counts = figs["source"].value_counts() if len(figs) else pd.Series(dtype="int64")
    rows = []
    for s in frame.sort_values(["publisher", "published", "id"]).to_dict("records") if len(frame) else []:
        copy = pr.copy_mark(s)
        title = html.Cell(_title(ed, s), lang=s.get("language") if text_or_none(s.get("title")) else None)
        rows.append([html.Cell("", html=ed.source_link(here, s["id"], s["publisher"])), title,
                     pr.published(s["published"]), pr.quote_language(s.get("language")), copy,
                     pr.n(int(counts.get(s["id"], 0)))])
    out = [f"<h1>{html.esc(ed.t('site.sources.title', n=pr.n(len(frame))))}</h1>", f"<p>{html.esc(ed.t('site.sources.intro'))}</p>",
           ed.problems("progress"),
           html.table([pr.t("data.col_publisher"), pr.t("data.col_source_title"), pr.t("data.col_published"), ed.t("site.col.language"),
                    ed.t("site.col.copy"), ed.t("site.col.figures")], rows, numeric=(5,))]
    ed.write(here, ed.frame(here, ed.t("site.sources.title", n=pr.n(len(frame))), "sources"), "\n".join(x for x in out if x))


def source_page(ed, sid: str) -> None:
    here = urls.source_dir(ed.lang, sid)
    pr, s = ed.pr, ed.sources[sid]
    facts = [
        (pr.t("data.col_publisher"), html.esc(s["publisher"])),
        (pr.t("data.col_source_title"), f'<span lang="{html.esc(s.get("language") or "")}">{html.esc(s["title"])}</span>' if text_or_none(s.get("title"))
         else html.esc(_title(ed, s))),
        (pr.t("data.col_url"), html.ext_link(s["url"])),
        (pr.t("data.col_published"), html.esc(pr.published(s["published"]))),
        (ed.t("site.col.language"), html.esc(pr.quote_language(s.get("language")))),
        (ed.t("site.source.kind"), html.esc(pr.label(f"site.source_kind.{s.get('kind')}", s.get("kind") or ""))),
    ]
    if pr.copy_mark(s):
        facts.append((ed.t("site.col.copy"), f'<span class="np">{html.esc(pr.t("common.copy_of", publisher=s.get("original_publisher") or "?"))}</span>'))
    if not missing(s.get("accessed")):
        facts.append((ed.t("site.source.accessed"), html.esc(pr.date(s["accessed"]))))
    if text_or_none(s.get("licence")):
        facts.append((pr.t("data.col_licences"), html.esc(s["licence"])))
    if s.get("headline_known"):
        facts.append((ed.t("site.source.headline"), html.esc(ed.t("site.source.headline_known"))))
    facts.append((ed.t("site.figure.id"), f"<code>{html.esc(sid)}</code>"))
    head = (f'<h1 lang="{html.esc(s.get("language") or "")}">{html.esc(s["title"])}</h1>' if text_or_none(s.get("title"))
            else f"<h1>{html.esc(s['publisher'])} ({html.esc(pr.published(s['published']))})</h1>")
    out = [f'<p class="meta">{html.esc(s["publisher"])}</p>{head}', html.dl(facts)]
    if text_or_none(s.get("note")):
        out.append(_note(ed, s["note"]))
    citing = _citing(ed, sid)
    if not citing:
        out.append(f"<p>{html.esc(ed.t('site.source.none'))}</p>")
    figs = citing.pop("figures", [])
    if figs:
        rows = [[html.Cell("", html=ed.figure_link(here, r["id"], pr.value(r))), _claim_label(ed, r), pr.as_of(r),
                 html.Cell(r.get("quote") or "", lang=r.get("quote_lang"))] for r in sorted(figs, key=lambda r: r["id"])]
        out.append(f"<h2>{html.esc(ed.t('site.source.figures', n=pr.n(len(figs))))}</h2>"
                   + html.table([pr.t("progress.col.value"), ed.t("site.col.claim"), pr.t("progress.col.date"), pr.t("progress.col.quote")], rows))
    for name, recs in sorted(citing.items()):
        items = []
        for r in recs[:200]:
            label = (pr.localised(r, "summary") or pr.localised(r, "name") or pr.localised(r, "city") or pr.localised(r, "question")
                     or pr.localised(r, "description") or r.get("id") or r.get("code") or "")
            quote = f'<blockquote lang="{html.esc(r.get("quote_lang") or "")}">{html.esc(r["quote"])}</blockquote>' if text_or_none(r.get("quote")) else ""
            items.append(f"<li>{html.esc(label)}{quote}</li>")
        more = f"<li>… (+{pr.n(len(recs) - 200)})</li>" if len(recs) > 200 else ""
        out.append(f"<h2>{html.esc(pr.t(f'data.ds.{name}'))} ({pr.n(len(recs))})</h2><ul>{''.join(items)}{more}</ul>")
    out.append(f"<p>{html.link(urls.rel(here, urls.list_dir(ed.lang, 'sources')), ed.t('site.sources.all'))}</p>")
    ed.write(here, ed.frame(here, f"{s['publisher']}: {_title(ed, s)}", "sources"), "\n".join(x for x in out if x))


# --- conflicts ---------------------------------------------------------------------------------------------

def conflicts_index(ed) -> None:
    here = urls.list_dir(ed.lang, "conflicts")
    pr = ed.pr
    from ui.content import progress as words

    out = [f"<h1>{html.esc(pr.t('progress.conflicts.title', n=len(ed.site.conflicts)))}</h1>", html.md(pr.t("progress.conflicts.intro"))]
    if not ed.site.conflicts:
        out.append(f"<p>{html.esc(pr.t('progress.conflicts.none'))}</p>")
    items = []
    for cid, row in ed.site.conflicts:
        text = words.conflict_text(row, ed.site.progress, pr)
        items.append(f"<li>{html.link(urls.rel(here, urls.conflict_dir(ed.lang, cid)), html.md_inline(text.summary), raw=True)}"
                     f'<br><span class="note">{html.esc(text.rule)}</span></li>')
    out.append(f"<ul>{''.join(items)}</ul>")
    ed.write(here, ed.frame(here, pr.t("progress.conflicts.title", n=len(ed.site.conflicts)), "conflicts"), "\n".join(out))


def conflict_page(ed, cid: str, row: dict) -> None:
    here = urls.conflict_dir(ed.lang, cid)
    pr = ed.pr
    text, body = conflict_blocks(ed, here, row)
    links = [ed.figure_link(here, s["id"], f"{pr.value(s)} · {pr.source_label(s['source'])}")
             for s in row["sides"] if isinstance(s.get("id"), str)]
    sources = [ed.source_link(here, sid) for sid in row["sources"]]
    out = [f'<p class="meta">{html.esc(ed.t("site.conflict.kicker"))}</p><h1>{html.md_inline(text.summary)}</h1>', body]
    if links:
        out.append(f"<h2>{html.esc(ed.t('site.conflict.figures'))}</h2><ul>" + "".join(f"<li>{x}</li>" for x in links) + "</ul>")
    out.append(f"<h2>{html.esc(ed.t('site.conflict.sources', n=pr.n(len(sources))))}</h2><ul>" + "".join(f"<li>{x}</li>" for x in sources) + "</ul>")
    out.append(f'<p class="note">{html.esc(ed.t("site.conflict.id"))} <code>{html.esc(cid)}</code></p>')
    out.append(f"<p>{html.link(ed.app.progress(here, ed.lang), ed.t('site.open_in_app'))} · "
               f"{html.link(urls.rel(here, urls.list_dir(ed.lang, 'conflicts')), ed.t('site.conflicts.all'))}</p>")
    title = html.md_inline(text.summary)
    import re

    ed.write(here, ed.frame(here, re.sub(r"<[^>]+>", "", title).replace("&amp;", "&"), "conflicts"), "\n".join(out))


# --- embeds ------------------------------------------------------------------------------------------------

def embed_page(ed, name: str, fig) -> None:
    """A chart alone (no site navigation), for an iframe; the snippet to copy is on the page itself."""
    here = urls.embed_dir(ed.lang, name)
    pr = ed.pr
    title = charts.title(ed, name)
    v = ed.site.version
    height = charts.height(fig) + 260
    absolute = ed.absolute(here)
    src = absolute or here
    snippet = (f'<iframe src="{html.esc(src)}" title="{html.esc(title)}" width="100%" height="{height}" loading="lazy" '
               f'style="border:0;max-width:960px"></iframe>')
    credit = ed.t("site.embed.credit", project=pr.t("app.title"), version=v.label)
    page_link = charts.CHARTS[name].page
    body = (charts.section(ed, here, name, fig, level=1, embed_links=False)
            + f'<p class="note">{html.esc(credit)} · '
            + f'{html.link(urls.rel(here, urls.page_dir(ed.lang, page_link)) + "#chart-" + name, ed.t("site.embed.full"))}</p>'
            + f'<h2>{html.esc(ed.t("site.embed.snippet"))}</h2>'
            + f'<p class="note">{html.esc(ed.t("site.embed.snippet_ready" if absolute else "site.embed.snippet_note"))}</p>'
            + f'<pre><code class="embed-snippet" data-embed-src="{html.esc(here)}" data-absolute="{"1" if absolute else ""}">{html.esc(snippet)}</code></pre>')
    frame = ed.frame(here, title, None, scripts=True)
    frame.nav = []
    frame.body_attrs = ' class="embed"'
    ed.write(here, frame, body)


# --- the edition's root ------------------------------------------------------------------------------------

def write_root(site, editions: dict) -> None:
    """index.html at the edition's root: both languages, each in its own language (no redirect, no script)."""
    from ui.i18n import t

    links = "".join(f'<li lang="{lang}"><a href="{lang}/" hreflang="{lang}">{html.esc(t("app.title", lang))} · {html.esc(t(f"lang.{lang}", lang))}</a>'
                    f'<br><span class="note">{html.esc(t("app.tagline", lang))}</span></li>' for lang in editions)
    body = (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
            f'<title>{html.esc(t("app.title", "en"))} · {html.esc(t("app.title", "zh-Hant"))}</title>\n'
            f"<style>{html.CSS}</style>\n</head>\n<body>\n<main id=\"content\"><h1>{html.esc(t('app.title', 'en'))} · "
            f'<span lang="zh-Hant">{html.esc(t("app.title", "zh-Hant"))}</span></h1>\n<ul class="langs">{links}</ul>\n</main>\n</body>\n</html>\n')
    site.add("index.html", body)
