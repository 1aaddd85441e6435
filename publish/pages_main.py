"""The five pages of the app, as static HTML: progress (home), map, phases, safeguards, data.

Each follows its page in pages/ top to bottom, reading the same view models and the same words
(ui/content, ui/present); where the app has a widget the edition shows the default view and links
to the app for the rest.
"""
from __future__ import annotations

import pandas as pd

from loaders import catalogue, citation
from loaders import datapackage
from metrics import map_stats as stats
from metrics import safeguards as safeguards_metrics
from publish import charts
from publish import html
from publish import svgmap
from publish import urls
from ui import escape
from ui.charts.phases import line_label
from ui.content import freshness as freshness_words
from ui.content import headline as headline_words
from ui.content import phases as phase_words
from ui.content import progress as progress_words
from ui.content import safeguards as sg_words


def write_all(ed, figures: dict) -> None:
    progress_page(ed, figures)
    phases_page(ed, figures)
    safeguards_page(ed, figures)
    map_page(ed)
    data_page(ed)


def _p(text: str, cls: str | None = None) -> str:
    return f'<p{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{html.esc(text)}</p>'


def _caption(text: str) -> str:
    return f'<p class="caption">{html.md_inline(text)}</p>'


def metric_html(ed, here: str, m: headline_words.Metric) -> str:
    """One headline number: label, value, captions, and every record behind it."""
    help_html = f'<p class="note">{html.esc(m.help)}</p>' if m.help else ""
    np_cls = " np" if m.value == ed.t("common.not_published") else ""
    delta = f'<p class="delta">{html.esc(m.delta)}</p>' if m.delta else ""
    caps = "".join(_caption(c) for c in m.captions)
    return (f'<div class="metric" data-metric="{html.esc(m.key)}"><p class="label">{html.esc(m.label)}</p>'
            f'<p class="value{np_cls}">{html.esc(m.value)}</p>{delta}{caps}{help_html}'
            f"{ed.sources_block(here, m.records)}</div>")


# --- progress (home) ---------------------------------------------------------------------------------------

def progress_page(ed, figures: dict) -> None:
    here = urls.page_dir(ed.lang, "progress")
    pv, pr = ed.site.progress, ed.pr
    out = [f"<h1>{html.esc(pr.t('progress.title'))}</h1>", html.md(pr.t("progress.intro")), ed.problems("progress")]
    if updated := progress_words.last_updated(pv, pr):
        out.append(_caption(updated))
    out.append(ed.freshness_line())
    out.append(f'<p class="meta">{html.link(ed.app.progress(here, ed.lang), ed.t("site.open_in_app"))}</p>')

    out.append(f'<h2 id="headline">{html.esc(pr.t("progress.headline.title"))}</h2>')
    out.append('<div class="metrics">' + "".join(metric_html(ed, here, m) for m in headline_words.headline_metrics(pv, pr)) + "</div>")
    box = [f"<h3>{html.esc(pr.t('progress.assume.title'))}</h3>",
           html.md("\n".join(f"- {line}" for line in progress_words.assumptions(pv, pr)))]
    if pv.population is not None:
        box.append(html.details(pr.t("progress.assume.population_sources", n=len(pv.population.sources)),
                             "<div>" + "".join(html.md(pr.citation_md(s)) for s in pv.population.sources) + "</div>", cls="sources"))
    if pv.target_conflicted:
        box.append(html.callout(html.md(pr.t("progress.assume.scope_conflict")), "warn"))
    out.append('<div class="box">' + "".join(box) + "</div>")

    for name in ("progress", "drift"):
        if name in figures:
            out.append(charts.section(ed, here, name, figures[name]))
        elif name == "drift":
            out.append(f"<h2>{html.esc(pr.t('progress.drift.title'))}</h2>" + _p(pr.t("common.no_data")))

    out.append(f'<h2 id="conflicts">{html.esc(pr.t("progress.conflicts.title", n=len(pv.conflicts)))}</h2>')
    out.append(html.md(pr.t("progress.conflicts.intro")))
    if not ed.site.conflicts:
        out.append(_p(pr.t("progress.conflicts.none")))
    for cid, row in ed.site.conflicts:
        out.append(conflict_details(ed, here, cid, row))

    if "outcomes" in figures:
        out.append(charts.section(ed, here, "outcomes", figures["outcomes"]))
    else:
        out.append(f"<h2>{html.esc(pr.t('progress.outcomes.title'))}</h2>" + _p(pr.t("common.no_data")))
    if "cities" in figures:
        out.append(charts.section(ed, here, "cities", figures["cities"]))
    else:
        out.append(f"<h2>{html.esc(pr.t('progress.cities.title'))}</h2>" + _p(pr.t("progress.cities.empty")))
    cities = progress_words.cities_table(pv, pr)
    # cities_table sorts the rows; the quotes keep their own language.
    ordered = pv.cities.sort_values(["year", "edition", "city_en"])
    quote_langs = [q if isinstance(q, str) else None for q in ordered["quote_lang"]]
    langs = {pr.t("progress.col.quote"): quote_langs, pr.t("present.note"): "en"}
    out.append(html.details(pr.t("progress.cities.all", n=len(pv.cities)),
                         charts.frame_table(ed, cities, link_col=pr.t("progress.col.link"), langs=langs), cls="more"))
    frame = ed.frame(here, pr.t("progress.title"), "progress", description=pr.t("app.tagline"), scripts=True)
    ed.write(here, frame, "\n".join(x for x in out if x))


def conflict_blocks(ed, here: str, row: dict) -> tuple[progress_words.ConflictText, str]:
    """The app's conflict text: the rule, then each position's records side by side (HTML)."""
    text = progress_words.conflict_text(row, ed.site.progress, ed.pr)
    cols = []
    for heading, sides in zip(text.headings, text.sides):
        body = "<hr>".join(html.md(s) for s in sides)
        cols.append(f'<div class="box">{html.md(heading)}{body}</div>')
    return text, f'<p class="note">{html.esc(text.rule)}</p><div class="cols">{"".join(cols)}</div>'


def conflict_details(ed, here: str, cid: str, row: dict) -> str:
    text, body = conflict_blocks(ed, here, row)
    link = html.link(urls.rel(here, urls.conflict_dir(ed.lang, cid)), ed.t("site.conflict.permalink"))
    return f"<details><summary>{html.md_inline(text.summary)}</summary><div>{body}<p>{link}</p></div></details>"


# --- phases and money --------------------------------------------------------------------------------------

def phases_page(ed, figures: dict) -> None:
    here = urls.page_dir(ed.lang, "phases")
    view, pr = ed.phases, ed.pr
    total = view.total
    total_text = pr.money(total["value"], total["qualifier"]) if total else pr.t("common.not_published")
    out = [f"<h1>{html.esc(pr.t('phases.title'))}</h1>", html.md(pr.t("phases.intro", total=total_text)), ed.problems("phases")]
    if view.ref is not None:
        out.append(_caption(pr.t("phases.as_of_note", date=pr.date(view.ref))))
    out.append(f'<p class="meta">{html.link(ed.app.page(here, "phases", ed.lang), ed.t("site.open_in_app_briefing"))}</p>')

    out.append(f"<h2>{html.esc(pr.t('phases.side_by_side'))}</h2>")
    if not view.views:
        out.append(_p(pr.t("common.no_data")))
    cards = []
    for v in view.views:
        card = phase_words.phase_card(v, view, pr)
        status = freshness_words.phase_status(v.phase, v.status, ed.freshness, pr) + " · " + card.dates
        parts = [f"<h3>{html.esc(card.title)}</h3>", _caption(status)]
        for sec in card.sections:
            parts.append(f"<p><strong>{html.esc(sec.heading)}</strong></p>")
            for kind, text in sec.lines:
                parts.append(f'<div class="caption">{html.md(text)}</div>' if kind == "caption" else html.md(text))
        parts.append(ed.sources_block(here, card.used, extra_sources=card.extra_sources, notes=False))
        cards.append('<div class="box">' + "".join(parts) + "</div>")
    out.append('<div class="cols">' + "".join(cards) + "</div>")

    if "timeline" in figures:
        out.append(charts.section(ed, here, "timeline", figures["timeline"]))
    else:
        out.append(f"<h2>{html.esc(pr.t('phases.timeline.title'))}</h2>" + _p(pr.t("common.no_data")))

    budget = view.budget
    if total is None:
        out.append(f"<h2>{html.esc(pr.t('phases.money.title', total=total_text))}</h2>")
        out.append(metric_html(ed, here, headline_words.Metric("total", pr.t("phases.money.total"), pr.t("common.not_published"))))
    else:
        m = headline_words.Metric("total", pr.t("phases.money.total"), total_text,
                                  [pr.t("phases.money.total_note", date=pr.date(total["stated"]))], [total])
        money = [metric_html(ed, here, m), _caption(pr.t("phases.money.share_note"))]
        for chk in budget.cross_checks:
            base = line_label(pr, chk["claim"].removesuffix("-share"))
            money.append(_caption(pr.t("phases.money.cross_check", line=base, share=escape.md(pr.value(chk)))))
        quotes = [f"<p><strong>{html.esc(line_label(pr, ln.claim))}</strong></p>" + html.md(pr.cite_md(ln.figure, note=False))
                  for ln in budget.lines if ln.figure]
        quotes += [html.md(pr.cite_md(chk, note=False)) for chk in budget.cross_checks]
        money.append(html.details(pr.t("phases.money.quotes"), "<div>" + "<hr>".join(quotes) + "</div>", cls="sources"))
        section = charts.section(ed, here, "budget", figures["budget"], table_open=True) if "budget" in figures else ""
        out.append(section + "".join(money))

        out.append(f"<h3>{html.esc(pr.t('phases.money.per_camera.title'))}</h3>")
        items = []
        for pc, raw in zip(phase_words.per_camera(view, pr), view.per_camera):
            items.append(metric_html(ed, here, headline_words.Metric(f"per-camera-{raw.key}", pc.label, pc.value, pc.captions, pc.inputs)))
        for uc in budget.unit_costs:
            items.append(metric_html(ed, here, headline_words.Metric(f"unit-{uc['id']}", pr.t("phases.money.per_camera.purchase"), pr.value(uc),
                                                                   [pr.t("phases.money.per_camera.purchase_note")], [uc])))
        out.append('<div class="metrics">' + "".join(items) + "</div>")

        out.append(f"<h3>{html.esc(pr.t('phases.money.recurrent.title'))}</h3>")
        if view.recurrent.empty:
            out.append(_p(pr.t("common.not_published"), "np"))
        else:
            if view.recurrent_conflict:
                out.append(html.callout(html.md(pr.t("phases.money.recurrent.conflict")), "warn"))
            boxes = []
            for r in view.recurrent.to_dict("records"):
                stated = (pr.t("phases.money.recurrent.undated") if r["stated"] is None or r["stated"] != r["stated"]
                          else pr.t("phases.money.recurrent.stated", date=pr.date(r["stated"])))
                note = pr.note_md(r.get("note"))
                boxes.append(f'<div class="box">{_caption(escape.md(pr.source_label(r["source"])))}'
                             f'<p class="value">{ed.figure_link(here, r["id"], pr.value(r))}</p>{_caption(stated)}'
                             f'{html.md(pr.citation_md(r["source"], r["quote"], r["quote_lang"]))}'
                             f'{html.md(note.strip()) if note else ""}</div>')
            out.append('<div class="cols">' + "".join(boxes) + "</div>")

    if "scenario" in figures:
        o = charts.options(ed, "scenario")
        current = view.current
        lead = []
        if view.preset_rate is not None and current is not None:
            lead.append(_caption(pr.t("phases.scenario.preset", rate=escape.md(pr.value(current.published_pace[0])),
                                      start=pr.date(view.preset_start, "month"), base=pr.t(f"phases.basis.{view.preset_base}"),
                                      phase=escape.md(pr.localised(current.phase, "name") or ""))))
        res = charts.scenario_result(view, o["rate"], o["start"], o["base"])
        lead.append(_caption(pr.t("phases.scenario.base_value", value=escape.md(pr.value(res.base)), date=pr.as_of(res.base),
                                  source=escape.md(pr.source_label(res.base["source"])))))
        lead.append(_p(ed.t("site.scenario.try"), "note"))
        out.append(charts.section(ed, here, "scenario", figures["scenario"], table_open=True).replace(
            '<figure class="chart">', "".join(lead) + '<figure class="chart">', 1))
    else:
        out.append(f"<h2>{html.esc(pr.t('phases.scenario.title'))}</h2>" + _p(pr.t("common.no_data")))
    frame = ed.frame(here, pr.t("phases.title"), "phases", scripts=True)
    ed.write(here, frame, "\n".join(x for x in out if x))


# --- safeguards --------------------------------------------------------------------------------------------

MATRIX_CLASS = {"documented": "ok", "promised": "warn", "not_published": "np", "conflicting": "warn"}


def safeguards_page(ed, figures: dict) -> None:
    here = urls.page_dir(ed.lang, "safeguards")
    view, pr = ed.safeguards, ed.pr
    out = [f"<h1>{html.esc(pr.t('safeguards.title'))}</h1>", html.md(pr.t("safeguards.intro")), ed.problems("safeguards")]
    if view.ref is not None:
        out.append(_caption(pr.t("safeguards.as_of_note", date=pr.date(view.ref))))
    out.append(f'<p class="meta">{html.link(ed.app.page(here, "safeguards", ed.lang), ed.t("site.open_in_app_briefing"))}</p>')

    if "capabilities" in figures:
        out.append(charts.section(ed, here, "capabilities", figures["capabilities"]))
        out.append(f"<h3>{html.esc(pr.t('safeguards.cap.latest'))}</h3>")
        for cap in view.capabilities:
            latest = cap.latest
            status = pr.t(f"safeguards.cap_status.{latest['status']}")
            summary = f"{latest['name']} — {status} ({pr.date(latest['date'], latest['date_precision'])})"
            body = html.md("\n".join(f"- {sg_words.entry_md(pr, e)} · _{escape.md(pr.t('safeguards.cap_status.' + e['status']))}_"
                                  for e in cap.history))
            body += "".join(html.callout(html.md(w), "warn") for w in sg_words.capability_warnings(view, pr, cap))
            body += ed.sources_block(here, cap.history, render=sg_words.entry_cite_md)
            out.append(html.details(summary, f"<div>{body}</div>"))
        if view.fr_slip:
            out.append(f"<h3>{html.esc(pr.t('safeguards.cap.fr_slip'))}</h3>")
            out.append(html.md(pr.t("safeguards.cap.fr_slip_intro")) + html.md(sg_words.fr_slip_md(view, pr)))
            out.append(ed.sources_block(here, view.fr_slip, render=sg_words.entry_cite_md))
    else:
        out.append(f"<h2>{html.esc(pr.t('safeguards.cap.title'))}</h2>" + _p(pr.t("common.no_data")))

    out.append(f'<h2 id="matrix">{html.esc(pr.t("safeguards.matrix.title"))}</h2>' + html.md(pr.t("safeguards.matrix.intro")))
    if not view.matrix:
        out.append(_p(pr.t("common.no_data")))
    for row in view.matrix:
        cls = MATRIX_CLASS.get(row.status, "")
        head = (f'<h3>{html.esc(row.name)}</h3><p><span class="badge {cls}">{html.esc(pr.t(f"safeguards.status.{row.status}"))}</span></p>'
                + _caption(pr.t("safeguards.matrix.expected") + " " + escape.md(row.expectation or "")))
        if row.id in view.notes:
            head += _caption("ℹ️ " + escape.md(view.notes[row.id]))
        cols = "".join(f'<div><p><strong>{html.esc(pr.t(f"safeguards.matrix.col.{c}"))}</strong></p>{html.md(sg_words.matrix_cell(view, pr, row, c))}</div>'
                       for c in safeguards_metrics.MATRIX_COLUMNS)
        entries = [e for c in safeguards_metrics.MATRIX_COLUMNS for e in row.cells[c]]
        out.append(f'<div class="box">{head}<div class="cols">{cols}</div>'
                   f'{ed.sources_block(here, entries, extra_sources=row.guidance_sources, render=sg_words.entry_cite_md)}</div>')

    out.append(f'<h2 id="questions">{html.esc(pr.t("safeguards.questions.title"))}</h2>' + html.md(pr.t("safeguards.questions.intro")))
    if view.asked.empty and view.raised.empty:
        out.append(_p(pr.t("common.no_data")))
    for group, key in ((view.asked, "asked"), (view.raised, "research")):
        if group.empty:
            continue
        out.append(f"<h3>{html.esc(pr.t(f'safeguards.questions.{key}'))}</h3>")
        for q in group.to_dict("records"):
            summary = html.md(escape.md(q["summary"])) if q["summary"] else ""
            out.append(f'<div class="box"><p><strong>{html.esc(q["question"])}</strong></p>'
                       f'{_caption(sg_words.question_meta(view, pr, q, asked=key == "asked"))}{summary}'
                       f'{ed.sources_block(here, [], extra_sources=q["sources"])}</div>')
    out.append(freshness_section(ed, here))
    frame = ed.frame(here, pr.t("safeguards.title"), "safeguards", scripts="capabilities" in figures)
    ed.write(here, frame, "\n".join(x for x in out if x))


def freshness_section(ed, here: str) -> str:
    """When the sources were last checked, and the matters still open with their last statement."""
    f, pr = ed.freshness, ed.pr
    if not f.matters and f.checked is None:
        return ""
    out = [f'<h2 id="open-matters">{html.esc(pr.t("freshness.open_matters"))}</h2>', ed.freshness_line()]
    for m in f.matters:
        src = pr.source_label(m.last_source) if m.last_source else pr.t("common.not_published")
        key = "freshness.matter.answered" if m.status == "answered" else "freshness.matter.last"
        line = pr.t(key, date=pr.date(m.last_date), source=src)
        body = [f"<p><strong>{html.esc(m.title)}</strong></p>", _p(line, "caption")]
        if m.statement:
            body.append(_p(m.statement))
        if m.quote:
            body.append(f'<blockquote lang="{html.esc(m.quote_lang or "")}">{html.esc(m.quote)}</blockquote>')
        links = []
        if m.last_source and m.last_source in ed.sources:
            links.append(ed.source_link(here, m.last_source, ed.t("site.source.permalink")))
        if m.last_figure and m.last_figure in ed.figures:
            links.append(ed.figure_link(here, m.last_figure, ed.t("site.figure.permalink")))
        if links:
            body.append(f'<p class="note">{" · ".join(links)}</p>')
        out.append('<div class="box">' + "".join(body) + "</div>")
    return "".join(out)


# --- map ---------------------------------------------------------------------------------------------------

def map_page(ed) -> None:
    here = urls.page_dir(ed.lang, "map")
    mv, pr = ed.site.map, ed.pr
    out = [f"<h1>{html.esc(pr.t('map.title'))}</h1>", html.md(pr.t("map.intro")), ed.problems("map"),
           f'<p>{html.link(ed.app.map(here, ed.lang), ed.t("site.map.interactive"))}</p>']
    out.append(svgmap.figure(ed, here))
    table = stats.district_table(mv.cameras, mv.districts)
    np_text = pr.t("common.not_published")
    body = []
    for r in table.to_dict("records"):
        name = html.Cell("", html=html.link(ed.app.map(here, ed.lang, r["code"]), pr.district(r["code"])))
        body.append([name, pr.n(r["population_2021"]) if r["population_2021"] == r["population_2021"] else np_text,
                     pr.n(r["area_km2"], 1) if r["area_km2"] == r["area_km2"] else np_text,
                     pr.n(r["td"]), pr.n(r["smartview"]), pr.n(r["other"]), pr.n(r["known"]),
                     pr.n(r["per100k"], 1) if r["per100k"] == r["per100k"] else np_text])
    headers = [pr.t("map.f_district"), pr.t("map.panel_population", year=2021), pr.t("map.panel_area"), pr.t("map.panel_td"),
               pr.t("map.panel_smartview"), pr.t("map.panel_other"), pr.t("map.panel_known"), pr.t("map.metric.per100k")]
    out.append(f'<h2 id="districts">{html.esc(ed.t("site.map.districts"))}</h2>')
    out.append(_p(ed.t("site.map.districts_note"), "note"))
    out.append(html.table(headers, body, numeric=(1, 2, 3, 4, 5, 6, 7)))
    gaps = [pr.t("map.np_smartview", np=np_text), pr.t("map.np_locations", np=np_text)]
    out.append(f"<h2>{html.esc(ed.t('site.map.not_published'))}</h2>" + html.md("\n".join(f"- {g}" for g in gaps)))

    sites = mv.sites
    out.append(f'<h2 id="sites">{html.esc(pr.t("map.panel_sites", n=pr.n(len(sites))))}</h2>')
    cams = mv.cameras.set_index("id") if len(mv.cameras) else None
    for site in sites.to_dict("records") if len(sites) else []:
        cam_id = f"sv-{site['id']}"
        shown = cams.loc[cam_id, "precision"] if cams is not None and cam_id in cams.index else site["precision"]
        precision = pr.t("map.precision." + shown)
        seen = pr.t("map.tip_first_seen", date=pr.date(site["first_seen"], site["first_seen_precision"]))
        district = pr.district(site["district_code"]) if isinstance(site.get("district_code"), str) else pr.t("map.district_unknown")
        out.append(f'<div class="box" id="site-{html.esc(site["id"])}">'
                   f'<p><strong>{html.esc(pr.localised(site, "name") or "")}</strong> · {html.esc(district)} · {html.esc(precision)} · {html.esc(seen)}</p>'
                   f'{html.md(pr.citation_md(site["source"], site["quote"], site["quote_lang"]))}'
                   f'<p class="note">{ed.source_link(here, site["source"], ed.t("site.source.permalink"))}</p></div>')
    frame = ed.frame(here, pr.t("map.title"), "map")
    ed.write(here, frame, "\n".join(x for x in out if x))


# --- data --------------------------------------------------------------------------------------------------

def data_page(ed) -> None:
    here = urls.page_dir(ed.lang, "data")
    site, pr, lang = ed.site, ed.pr, ed.lang
    version, infos = site.data.version, site.data.infos
    out = [f"<h1>{html.esc(pr.t('nav.data'))}</h1>", _p(pr.t("data.intro")), ed.problems("data")]
    newest = pr.date(version.newest_as_of, "day") if version.newest_as_of else pr.t("common.not_published")
    out.append(_p(ed.t("site.data.version", version=version.label, date=newest, hash=version.data_hash)))

    # Downloads: the same package as the app's zip and `python -m loaders export`.
    out.append(f'<h2 id="downloads">{html.esc(ed.t("site.data.downloads"))}</h2>' + _p(ed.t("site.data.downloads_note")))
    status = site.unavailable()
    rows = [[html.Cell("", html=html.link(urls.rel(here, "data/" + datapackage.DESCRIPTOR), datapackage.DESCRIPTOR)), ed.t("site.data.descriptor"), ""],
            [html.Cell("", html=html.link(urls.rel(here, "data/" + datapackage.README), datapackage.README)), ed.t("site.data.readme"), ""]]
    for i in infos.values():
        path = datapackage.csv_path(i.name)
        state = ed.t("site.dataset." + status[i.name]) if i.name in status else ""
        rows.append([html.Cell("", html=html.link(urls.rel(here, "data/" + path), path)),
                     f"{pr.t(f'data.ds.{i.name}')} · {pr.t('data.rows_files', rows=pr.n(i.rows), files=', '.join(i.files))}", state])
    if site.bundle.geo:
        rows.append([html.Cell("", html=html.link(urls.rel(here, "data/" + datapackage.GEO_PATH), datapackage.GEO_PATH)),
                     pr.t("data.ds.district_boundaries"), ""])
    rows.append([html.Cell("", html=html.link(urls.rel(here, f"{lang}/figures/feed.atom"), "feed.atom")), ed.t("site.feed.title"), ""])
    out.append(html.table([ed.t("site.col.file"), ed.t("site.col.what"), ed.t("site.col.status")], rows))
    out.append(_p(ed.t("site.data.explore_app"), "note") + f'<p>{html.link(ed.app.data(here, lang), ed.t("site.open_in_app"))}</p>')

    # Catalogue
    out.append(f'<h2 id="catalogue">{html.esc(pr.t("data.tab_catalogue"))}</h2>' + _p(pr.t("data.catalogue_intro"), "caption"))
    summary = site.data.summary
    cat = pd.DataFrame({
        pr.t("data.col_dataset"): summary["dataset"],
        pr.t("data.col_title"): summary["dataset"].map(lambda n: pr.t(f"data.ds.{n}")),
        pr.t("data.col_rows"): summary["rows"].map(lambda n: pr.n(n)),
        pr.t("data.col_dates"): [f"{c}: {a} – {b}" if c else pr.t("data.no_dates")
                                 for c, a, b in zip(summary["date_column"], summary["first"], summary["last"])],
        pr.t("data.col_updated"): summary["last_updated"].map(lambda d: pr.date(d, "day") if pd.notna(d) else "—"),
        pr.t("data.col_sources"): summary["sources"].map(lambda n: "—" if pd.isna(n) else pr.n(n)),
        pr.t("data.col_licences"): summary["licences"],
        pr.t("data.col_files"): summary["files"],
    })
    out.append(charts.frame_table(ed, cat))
    out.append(_p(pr.t("data.field_descriptions_lang") + " " + pr.t("data.quotes_note"), "caption"))
    col_names = {"column": "data.col_column", "type": "data.col_type", "required": "data.col_required",
                 "unit": "data.col_unit", "description": "data.col_description", "allowed values": "data.col_allowed"}
    for i in infos.values():
        body = [html.md(pr.t(f"data.ds.{i.name}.desc")), _p(pr.t("data.rows_files", rows=pr.n(i.rows), files=", ".join(i.files)), "caption"),
                f"<p><strong>{html.esc(pr.t('data.columns_heading'))}</strong></p>",
                # Column descriptions are written in English (the page says so): marked as such.
                charts.frame_table(ed, catalogue.columns_table(i).rename(columns={k: pr.t(v) for k, v in col_names.items()}),
                               langs={pr.t("data.col_description"): "en", pr.t("data.col_allowed"): "en", pr.t("data.col_unit"): "en"})]
        if i.date_ranges:
            body.append(f"<p><strong>{html.esc(pr.t('data.date_ranges_heading'))}</strong>: "
                        + "; ".join(f"<code>{html.esc(c)}</code> {html.esc(a)} – {html.esc(b)}" for c, (a, b) in i.date_ranges.items()) + "</p>")
        body.append(f"<p><strong>{html.esc(pr.t('data.licences_heading'))}</strong></p><ul>"
                    + "".join(f"<li>{html.esc(lic['title'])}</li>" for lic in i.licences) + "</ul>")
        if i.derived_from:
            body.append(f"<p><strong>{html.esc(pr.t('data.derived_heading'))}</strong></p><ul>"
                        + "".join(f"<li>{html.esc(d)}</li>" for d in i.derived_from) + "</ul>")
        if i.source_ids:
            body.append(f"<p><strong>{html.esc(pr.t('data.sources_heading', n=len(i.source_ids)))}</strong> "
                        + html.link(urls.rel(here, urls.list_dir(lang, "sources")), ed.t("site.nav.sources")) + "</p>")
        out.append(html.details(f"{i.name} · {pr.t(f'data.ds.{i.name}')} ({pr.n(i.rows)})", "<div>" + "".join(body) + "</div>", cls="more"))
    geo = site.data.geo
    out.append(html.details(f"{geo['name']} · {pr.t('data.ds.district_boundaries')}",
                         "<div>" + html.md(pr.t("data.ds.district_boundaries.desc"))
                         + _p(pr.t("data.features", n=geo["features"]) + f" · {geo['file']}", "caption")
                         + "<ul>" + "".join(f"<li>{html.esc(x['title'])}</li>" for x in geo["licences"])
                         + "".join(f"<li>{html.esc(d)}</li>" for d in geo["derived_from"]) + "</ul></div>", cls="more"))

    out.append(freshness_section(ed, here))
    out.append(versions_section(ed, here))

    # How to cite
    out.append(f'<h2 id="cite">{html.esc(pr.t("data.tab_cite"))}</h2>' + _p(pr.t("data.cite_intro"), "caption"))
    out.append(f"<h3>{html.esc(pr.t('data.cite_dashboard'))}</h3>" + _p(pr.t("data.cite_plain"), "caption")
               + f"<pre>{html.esc(citation.dashboard_citation(version))}</pre>" + _p(pr.t("data.cite_bibtex"), "caption")
               + f"<pre>{html.esc(citation.dashboard_bibtex(version))}</pre>")
    out.append(f"<h3>{html.esc(pr.t('data.cite_dataset'))}</h3>")
    for i in infos.values():
        out.append(html.details(f"{i.name} · {pr.t(f'data.ds.{i.name}')}",
                             f"<div><pre>{html.esc(citation.dataset_citation(i.name, i.title, version, i.derived_from))}</pre>"
                             f"<pre>{html.esc(citation.dataset_bibtex(i.name, i.title, version, i.derived_from))}</pre></div>", cls="more"))
    from publish import discovery

    ld = discovery.dataset_jsonld(ed, here)
    head = f'<script type="application/ld+json">{ld}</script>'
    frame = ed.frame(here, pr.t("nav.data"), "data", head_extra=head)
    ed.write(here, frame, "\n".join(x for x in out if x))


def versions_section(ed, here: str) -> str:
    """Every recorded data version with what it added, changed and removed; snapshots kept beside this edition."""
    site, pr = ed.site, ed.pr
    out = [f'<h2 id="versions">{html.esc(ed.t("site.versions.title"))}</h2>', _p(ed.t("site.versions.intro"), "caption")]
    if site.timeline is None:
        out.append(html.callout(_p(ed.t("site.versions.unavailable", problem=site.timeline_problem or "")), "warn"))
        return "".join(out)
    rows = []
    for v in reversed(site.timeline.versions):
        label = v.label
        if label in site.snapshots:
            cell = html.Cell("", html=html.link(urls.rel(here, f"versions/{label}/{ed.lang}/"), label))
        else:
            cell = label
        when = pr.date(v.date) if v.date else ed.t("site.versions.not_recorded")
        rows.append([cell, when, pr.n(v.added), pr.n(v.changed), pr.n(v.removed)])
    out.append(html.table([ed.t("site.col.version"), ed.t("site.col.recorded"), ed.t("site.col.added"), ed.t("site.col.changed"),
                        ed.t("site.col.removed")], rows, numeric=(2, 3, 4)))
    return "".join(out)
