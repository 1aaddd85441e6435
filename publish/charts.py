"""The app's charts in the static edition: the same chart functions, drawn three ways.

1. Readable without JavaScript: the chart's message (the app's own words) and every number in an
   HTML table, plus a static SVG of the figure.
2. Interactive where JavaScript runs: a button loads the local plotly.min.js (the copy the plotly
   Python package ships, never a CDN) and the figure's JSON, only when a reader asks for it.
3. For print and embedding: a PNG, and a standalone page for an iframe (pages_records.write_embed).

SVG and PNG are rendered by kaleido with a local Chrome/Chromium (no network: plotly.js comes from
the plotly package, MathJax is off). Without a browser the edition still builds, with tables only.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from metrics import progress as progress_metrics
from metrics import scenario
from metrics.views.phases import scenario_result
from publish import html
from publish import urls
from ui.charts import phases as phases_charts
from ui.charts import progress as progress_charts
from ui.charts import safeguards as safeguards_charts
from ui.charts.progress import edition_name
from ui.content import chart_text
from ui.content import progress as progress_words

SVG_WIDTH = 900
PNG_SCALE = 2
DEFAULT_CHROME = "/usr/bin/chromium"


@dataclass(frozen=True)
class Chart:
    name: str
    page: str  # the view it draws and the app page that shows it
    draw: Callable


CHARTS: dict[str, Chart] = {c.name: c for c in (
    Chart("progress", "progress", progress_charts.progress_chart),
    Chart("drift", "progress", progress_charts.drift_chart),
    Chart("outcomes", "progress", progress_charts.outcomes_chart),
    Chart("cities", "progress", progress_charts.cities_chart),
    Chart("timeline", "phases", phases_charts.timeline_chart),
    Chart("budget", "phases", phases_charts.budget_chart),
    Chart("scenario", "phases", phases_charts.scenario_chart),
    Chart("capabilities", "safeguards", safeguards_charts.capabilities_chart),
)}


def view_of(ed, page: str):
    return {"progress": ed.site.progress, "phases": ed.phases, "safeguards": ed.safeguards}[page]


def available(ed, name: str) -> bool:
    """The app draws a chart only when it has something to show; so does the edition."""
    pv, ph, sg = ed.site.progress, ed.phases, ed.safeguards
    return {
        "progress": True,
        "drift": not pv.history.empty,
        "outcomes": not pv.outcomes.empty,
        "cities": bool(pv.editions.get("per_1000")),
        "timeline": not ph.timeline.empty,
        "budget": ph.total is not None,
        "scenario": bool(ph.targets and ph.bases),
        "capabilities": not sg.timeline.empty,
    }[name]


def options(ed, name: str) -> dict:
    """The view a reader gets on opening the app's page: its widgets at their defaults."""
    if name == "cities":
        return {"metric": "per_1000", "edition": ed.site.progress.default_editions["per_1000"]}
    if name == "scenario":
        ph = ed.phases
        return {"rate": int(ph.preset_rate or 0), "start": ph.preset_start, "base": ph.preset_base}
    return {}


def build_figures(ed) -> dict[str, go.Figure]:
    out = {}
    for name, chart in CHARTS.items():
        if available(ed, name):
            out[name] = chart.draw(view_of(ed, chart.page), ed.pr, **options(ed, name))
    return out


def title(ed, name: str) -> str:
    if name == "budget":
        total = ed.phases.total
        return ed.t("phases.money.title", total=ed.pr.money(total["value"], total["qualifier"]) if total else ed.t("common.not_published"))
    return ed.t({"progress": "progress.chart.title", "drift": "progress.drift.title", "outcomes": "progress.outcomes.title",
                 "cities": "progress.cities.title", "timeline": "phases.timeline.title", "scenario": "phases.scenario.title",
                 "capabilities": "safeguards.cap.title"}[name])


def height(fig: go.Figure) -> int:
    return int(fig.layout.height or 450)


def app_link(ed, here: str, name: str) -> str:
    page = CHARTS[name].page
    if name == "cities":
        o = options(ed, name)
        return ed.app.progress(here, ed.lang, p_cmp=o["metric"], p_ed=o["edition"])
    if page == "progress":
        return ed.app.progress(here, ed.lang)
    if name == "scenario":
        o = options(ed, name)
        return ed.app.phases(here, ed.lang, s_rate=o["rate"], s_start=o["start"], s_base=o["base"])
    return ed.app.page(here, page, ed.lang)


# --- words and numbers beside each chart -------------------------------------------------------------------

def message(ed, name: str) -> str:
    """The chart's point in the app's own words (HTML)."""
    pv, pr = ed.site.progress, ed.pr
    if name == "progress":
        lines = [pr.t("progress.chart.legend_note")]
        if pv.per_set:
            lines.append(pr.t("progress.chart.sets_note", low=pr.n(pv.per_set[0]), high=pr.n(pv.per_set[1])))
        summary = []
        if pv.lead is not None:
            summary.append(ed.t("site.chart.progress.latest", value=pr.value(pv.lead), date=pr.as_of(pv.lead)))
        if pv.target is not None:
            summary.append(ed.t("site.chart.progress.target", value=pr.value(pv.target), date=pr.as_of(pv.target)))
        return "".join(f"<p>{html.esc(x)}</p>" for x in summary) + "".join(f'<p class="note">{html.esc(x)}</p>' for x in lines)
    if name == "drift":
        return html.md(pr.t("progress.drift.intro")) + f'<p class="note">{html.esc(pr.t("progress.drift.log_note"))}</p>'
    if name == "outcomes":
        return f"<p>{html.esc(pr.t('progress.outcomes.intro'))}</p>"
    if name == "cities":
        o = options(ed, name)
        hk = pv.hk_density
        notes = [pr.t("progress.cities.hk_note")]
        if len(hk) and hk[o["metric"]].isna().any():
            notes.insert(0, pr.t("progress.cities.hk_missing_pop"))
        return (html.callout(html.md(pr.t("progress.cities.not_comparable")), "warn")
                + f"<p>{html.esc(ed.t('site.chart.cities.edition', edition=edition_name(pr, o['edition']), metric=pr.t('progress.cities.' + o['metric'])))}</p>"
                + "".join(f'<p class="note">{html.esc(x)}</p>' for x in notes))
    if name == "timeline":
        return f'<p class="note">{html.esc(pr.t("phases.timeline.note"))}</p>'
    if name == "budget":
        return html.md(pr.t("phases.money.intro"))
    if name == "scenario":
        return html.md(pr.t("phases.scenario.intro")) + f'<p class="note">{html.esc(pr.t("phases.scenario.not_forecast"))}</p>'
    if name == "capabilities":
        out = html.md(pr.t("safeguards.cap.intro"))
        undated = int(ed.safeguards.timeline["date"].isna().sum())
        if undated:
            out += f'<p class="note">{html.esc(pr.t("safeguards.cap.undated", n=undated))}</p>'
        return out + f'<p class="note">{html.esc(pr.t("safeguards.cap.chart_note"))}</p>'
    return ""


def frame_table(ed, df: pd.DataFrame, link_col: str | None = None, numeric=(), langs: dict | None = None) -> str:
    """A DataFrame the app shows with st.dataframe, as an HTML table (a link column opens the source).

    `langs` marks data text that stays in its own language: column -> a language code, or one per row."""
    rows = []
    langs = langs or {}
    for i, r in enumerate(df.to_dict("records")):
        row = []
        for col, v in r.items():
            if col == link_col:
                row.append(html.Cell("", html=html.ext_link(v, ed.t("progress.col.open")) if html.url_ok(v) else ""))
            else:
                c = html.cell(v)
                lang = langs.get(col)
                c.lang = lang[i] if isinstance(lang, (list, tuple)) else lang
                row.append(c)
        rows.append(row)
    return html.table(list(df.columns), rows, numeric=numeric)


def data_table(ed, here: str, name: str) -> tuple[str, int]:
    """(HTML table, rows) of every number the chart draws, each linked to its figure and source pages."""
    pv, ph, sg, pr = ed.site.progress, ed.phases, ed.safeguards, ed.pr
    if name == "progress":
        return ed.records_table(here, pv.counts, {pr.t("progress.col.basis"): [pr.basis(b) for b in pv.counts["basis"]]}), len(pv.counts)
    if name == "drift":
        deadlines = [pr.t("progress.drift.by", date=pr.as_of(r)) for r in pv.history.to_dict("records")]
        return ed.records_table(here, pv.history, {pr.t("progress.col.deadline"): deadlines}, date_col="stated"), len(pv.history)
    if name == "outcomes":
        return ed.records_table(here, pv.outcomes, progress_words.outcome_columns(pv, pr)), len(pv.outcomes)
    if name == "cities":
        o = options(ed, name)
        metric = o["metric"]
        rows = progress_metrics.edition_rows(pv.cities, o["edition"], metric).to_dict("records")
        body = [[(r["city_zh"] if pr.zh else None) or r["city_en"], f"{pr.mark(r['qualifier'])}{pr.as_published(r[metric])}", r["year"],
                 html.Cell("", html=ed.source_link(here, r["source"])), html.Cell(r.get("quote") or "", lang=r.get("quote_lang"))] for r in rows]
        hk = pv.hk_density
        for r in (hk[hk[metric].notna()].to_dict("records") if len(hk) else []):
            body.append([pr.t(f"progress.cities.hk_{r['key']}", date=pr.date(r["date"], r["precision"])), pr.n(r[metric], 2), "",
                         html.Cell("", html=ed.figure_link(here, r["figure"], pr.number(r["cameras"], r["qualifier"]))),
                         pr.t("progress.cities.hk_hover", year=pv.population.year if pv.population else "")])
        headers = [pr.t("progress.col.city"), pr.t(f"progress.cities.{metric}"), pr.t("progress.col.year"), pr.t("progress.col.source"),
                   pr.t("progress.col.quote")]
        return html.table(headers, body, numeric=(1,)), len(body)
    if name == "timeline":
        names = {int(r["number"]): pr.localised(r, "name") or str(r["number"]) for r in ph.phases.to_dict("records")}
        body = []
        for r in ph.timeline.to_dict("records"):
            rec = ph.figures_by_id.get(r["figure"]) if isinstance(r["figure"], str) else None
            if r["kind"] == "phase":
                when, what = pr.t("phases.dates", start=pr.date(r["start"], "month"), end=pr.date(r["end"], r["precision"])), ""
                kind = pr.t("site.chart.timeline.phase")
            else:
                when, kind = pr.date(r["start"], r["precision"]), pr.t(f"phases.timeline.kind.{r['kind']}")
                what = html.Cell("", html=ed.figure_link(here, rec["id"], pr.value(rec))) if rec is not None else pr.t("phases.timeline.promised")
            src = html.Cell("", html=ed.source_link(here, r["source"])) if isinstance(r.get("source"), str) and r["source"] else ""
            body.append([names.get(r["phase"], r["phase"]), kind, when, what, src])
        headers = [pr.t("site.col.phase"), pr.t("site.col.kind"), pr.t("site.col.when"), pr.t("progress.col.value"), pr.t("progress.col.source")]
        return html.table(headers, body), len(body)
    if name == "budget":
        rows = chart_text.budget_rows(ph, pr)  # the same rows as the app's table
        cols = ("line", "amount", "share", "kind", "how", "source")
        df = pd.DataFrame({**{pr.t(f"phases.money.col.{c}"): [r[c] for r in rows] for c in cols},
                           pr.t("phases.money.col.link"): [r["url"] for r in rows]})
        return frame_table(ed, df, link_col=pr.t("phases.money.col.link")), len(df)
    if name == "scenario":
        o = options(ed, name)
        res = scenario_result(ph, o["rate"], o["start"], o["base"])
        body = []
        for tg in ph.targets:
            when = res.reached[tg.figure_id]
            label = pr.t("phases.scenario.target", value=pr.n(tg.value), date=pr.date(tg.deadline, tg.deadline_precision))
            if when is None:
                result = pr.t("phases.scenario.never")
            elif when is scenario.BEYOND:
                result = pr.t("phases.scenario.beyond", year=scenario.HORIZON.year)
            else:
                months = (when - tg.deadline).days / (365.25 / 12)
                verdict = (pr.t("phases.scenario.late", months=pr.n(months)) if months > 0 else pr.t("phases.scenario.on_time", months=pr.n(-months)))
                result = f"{pr.date(when, 'month')} ({verdict})"
            body.append([html.Cell("", html=ed.figure_link(here, tg.figure_id, label)), result])
        arith = pr.t("phases.scenario.arith", base=pr.value(res.base), start=pr.date(res.start), rate=pr.n(res.rate))
        return html.table([pr.t("progress.col.target"), pr.t("site.col.reached")], body, caption=arith), len(body)
    if name == "capabilities":
        tl = sg.timeline
        body = [[r["name"], pr.date(r["date"], r["date_precision"]) if pd.notna(r["date"]) else pr.t("safeguards.undated"),
                 pr.t(f"safeguards.cap_status.{r['status']}"), r.get("summary") or "",
                 html.Cell("", html=ed.source_link(here, r["source"]))] for r in tl.to_dict("records")]
        headers = [pr.t("site.col.capability"), pr.t("site.col.when"), pr.t("site.col.status"), pr.t("site.col.summary"),
                   pr.t("progress.col.source")]
        return html.table(headers, body), len(body)
    return "", 0


def alt_text(ed, name: str) -> str:
    return ed.t("site.chart.alt", title=title(ed, name))


def image_tag(ed, here: str, name: str, fig: go.Figure, lazy: bool = True) -> str:
    size = ed.site.images.get((ed.lang, name), {}).get("svg")
    if not size:
        return ""
    src = urls.rel(here, urls.embed_dir(ed.lang, name) + "chart.svg")
    w, h = size
    return (f'<img src="{html.esc(src)}" width="{w}" height="{h}" alt="{html.esc(alt_text(ed, name))}"'
            + (' loading="lazy"' if lazy else "") + ' decoding="async">')


def interactive_button(ed, here: str, name: str) -> str:
    return (f'<button type="button" class="interact" hidden data-chart="{html.esc(name)}" '
            f'data-figure="{html.esc(urls.rel(here, urls.embed_dir(ed.lang, name) + "figure.js"))}" '
            f'data-plotly="{html.esc(urls.rel(here, "assets/plotly.min.js"))}" data-loading="{html.esc(ed.t("site.chart.loading"))}" '
            f'data-failed="{html.esc(ed.t("site.chart.failed"))}">{html.esc(ed.t("site.chart.interactive"))}</button>')


def section(ed, here: str, name: str, fig: go.Figure, level: int = 2, with_title: bool = True, embed_links: bool = True,
            table_open: bool = False) -> str:
    """One chart as the edition shows it: message, static image, tools, and the numbers as a table."""
    heading = f'<h{level} id="chart-{name}">{html.esc(title(ed, name))}</h{level}>' if with_title else ""
    table_html, n = data_table(ed, here, name)
    tools = [interactive_button(ed, here, name)]
    if embed_links:
        tools.append(html.link(urls.rel(here, urls.embed_dir(ed.lang, name)), ed.t("site.chart.embed")))
    png = ed.site.images.get((ed.lang, name), {}).get("png")
    if png:
        tools.append(html.link(urls.rel(here, urls.embed_dir(ed.lang, name) + "chart.png"), ed.t("site.chart.png")))
    tools.append(html.link(app_link(ed, here, name), ed.t("site.chart.open_app")))
    return (f'<section class="chart-block" aria-labelledby="chart-{name}">{heading}{message(ed, name)}'
            f'<figure class="chart"><div class="chart-live" id="live-{name}" hidden></div>{image_tag(ed, here, name, fig)}'
            f'<figcaption class="status" aria-live="polite"></figcaption></figure>'
            f'<div class="chart-tools">{" ".join(tools)}</div>'
            + html.details(ed.t("site.chart.numbers", n=n), table_html, cls="more", open_=table_open) + "</section>")


# --- files: the figure's JSON for plotly.js, and the rendered images -------------------------------------

def figure_js(name: str, fig: go.Figure) -> str:
    """The figure for plotly.js as a script (works from any host and from a folder opened as file://)."""
    return f'(window.HKCCTV_FIGURES=window.HKCCTV_FIGURES||{{}})["{name}"]={fig.to_json()};\n'


def write_chart_files(ed, figures: dict[str, go.Figure]) -> None:
    for name, fig in figures.items():
        ed.site.add(urls.embed_dir(ed.lang, name) + "figure.js", figure_js(name, fig))


_UID = re.compile(r'id="defs-([0-9a-z]{6})"')


def stable_svg(svg: str) -> str:
    """plotly gives each export a random 6-character id in its clip-path names; fix it, so the same
    figure gives the same bytes (only the id's own patterns are replaced, never data text)."""
    m = _UID.search(svg)
    if not m:
        return svg
    uid = m.group(1)
    return re.sub(rf'(clip|defs-|legend|topdefs-|legendclip-){uid}', r"\1p0", svg)


def find_chrome(explicit: str | None = None) -> str | None:
    for candidate in (explicit, os.environ.get("BROWSER_PATH"), DEFAULT_CHROME, shutil.which("chromium"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def render_images(site, figures_by_lang: dict[str, dict[str, go.Figure]]) -> None:
    """SVG and PNG of every chart in both languages, in one kaleido session (a few seconds)."""
    if not site.options.images:
        site.image_problem = "images switched off (--no-images)"
        return
    chrome = find_chrome(site.options.chrome)
    try:
        import kaleido
    except ImportError:
        site.image_problem = "kaleido is not installed (pip install -r requirements.txt)"
        return
    if chrome is None:
        site.image_problem = "no Chrome or Chromium found (apt-get install chromium, or pass --chrome PATH)"
        return
    jobs, sizes = [], {}
    tmp = Path(tempfile.mkdtemp(prefix="hkcctv-charts-"))
    try:
        for lang, figures in figures_by_lang.items():
            for name, fig in figures.items():
                h = height(fig)
                for fmt, scale in (("svg", 1), ("png", PNG_SCALE)):
                    path = tmp / f"{lang}-{name}.{fmt}"
                    jobs.append({"fig": fig, "path": str(path), "opts": {"format": fmt, "width": SVG_WIDTH, "height": h, "scale": scale}})
                    sizes[(lang, name, fmt)] = (path, (SVG_WIDTH, h))
        saved = os.environ.get("BROWSER_PATH")
        os.environ["BROWSER_PATH"] = chrome

        async def run():
            async with kaleido.Kaleido(n=2, timeout=90, mathjax=False) as k:
                await k.write_fig_from_object(jobs)

        # In a thread of its own: the caller may already run an event loop (a notebook, Playwright's sync API).
        failure: list[BaseException] = []

        def worker():
            try:
                asyncio.run(run())
            except Exception as exc:  # noqa: BLE001 - any browser failure: build without images, say why
                failure.append(exc)

        thread = threading.Thread(target=worker, name="kaleido")
        try:
            thread.start()
            thread.join()
        finally:
            if saved is None:
                os.environ.pop("BROWSER_PATH", None)
            else:
                os.environ["BROWSER_PATH"] = saved
        if failure:
            site.image_problem = f"chart images not rendered: {failure[0].__class__.__name__}: {failure[0]}"
            return
        for (lang, name, fmt), (path, size) in sorted(sizes.items()):
            if not path.exists():
                continue
            data = path.read_bytes()
            if fmt == "svg":
                data = stable_svg(data.decode("utf-8")).encode("utf-8")
            site.add(urls.embed_dir(lang, name) + f"chart.{fmt}", data)
            site.images.setdefault((lang, name), {})[fmt] = size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
