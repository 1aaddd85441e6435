"""A self-contained, printable HTML briefing: progress, phases, money, capabilities, safeguards, questions.

Pure function of the loaded data (no Streamlit), for a committee member to print or open offline:
- inline CSS only, no scripts, no external files; prints cleanly on A4;
- every data-derived string goes through html.escape (ui.escape.html);
- every published figure is a <span class="fig" data-figure="ID"> followed by a numbered footnote
  (<sup class="fn"><a href="#fn-N">N</a></sup>); derived numbers are <span class="derived"> with
  their arithmetic and the footnotes of their inputs;
- footnotes are numbered per source, with publisher, title, date, URL and the verbatim quotes of the
  figures (statements on capabilities and safeguards cite their source; their quotes are in the app);
- fits four A4 pages in either language (tests/browser/test_briefing_print_browser.py prints it):
  table headers repeat on each page, rows are not split, footnotes run in two columns, and the
  capabilities and safeguards give the latest statement in words and the earlier ones as cited
  dates; on a phone every table row is a card with labelled cells (no sideways scrolling).
"""
from __future__ import annotations

from urllib.parse import unquote

import pandas as pd

from metrics import budget
from metrics import phases
from metrics import progress
from metrics import safeguards
from metrics.freshness import freshness
from ui.content.freshness import checked_line, phase_status
from ui.escape import html as esc
from ui.i18n import t
from ui.present import Presenter, text_or_none

CSS = """
body{font-family:"Noto Sans","Noto Sans CJK TC","Helvetica Neue",Arial,sans-serif;color:#111;max-width:960px;
margin:24px auto;padding:0 16px;line-height:1.45;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #333;padding-bottom:2px;margin:22px 0 6px}
h3{font-size:14px;margin:10px 0 4px}p{margin:4px 0}p.meta{color:#333;font-size:12px;margin:2px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:12.5px;table-layout:fixed}
th,td{border:1px solid #bbb;padding:3px 5px;vertical-align:top;text-align:left;overflow-wrap:break-word}
thead th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
th[scope=row]{word-break:keep-all;background:#f7f7f7}
.derived{font-style:italic;background:#f4f4f4;padding:0 2px}
.np{color:#8a1c1c;font-weight:600}.conflict{color:#8a4b00;font-weight:600}sup.fn{font-size:9px;line-height:0}sup.fn a{text-decoration:none}
sup.fn+sup.fn::before{content:","}ol.notes{font-size:11.5px;padding-left:22px;margin:4px 0}
ol.notes li{margin-bottom:3px;break-inside:avoid}ol.notes .url{word-break:break-all;color:#333}q{font-style:italic}
.note{font-size:12px;color:#333}.earlier{font-size:11.5px;color:#333}
ul{margin:4px 0;padding-left:20px}
.box{border:1px solid #999;padding:6px 8px;margin:6px 0}
@media screen and (max-width:640px){
 body{margin:12px auto;padding:0 12px;font-size:15px}
 table,thead,tbody,tr,th,td{display:block;width:auto}
 thead{display:none}
 tr{border:1px solid #bbb;border-radius:6px;margin:0 0 10px;padding:4px 8px}
 th,td{border:none;padding:2px 0}th[scope=row]{background:none;font-size:15px}
 td[data-label]::before{content:attr(data-label);display:block;font-weight:600;font-size:12px;color:#333}
 col{width:auto!important}
}
@media print{
 @page{size:A4;margin:8mm 8mm 9mm}
 body{margin:0;max-width:none;padding:0;font-size:8pt;line-height:1.25}
 h1{font-size:13pt}h2{font-size:10pt;margin:6px 0 2px;page-break-after:avoid;break-after:avoid}h3{font-size:8.6pt;margin:4px 0 2px}
 p.meta,.note,.earlier{font-size:7.2pt}table{font-size:7.4pt;margin:2px 0 4px}th,td{padding:1px 3px}
 ol.notes{columns:2;column-gap:5mm;font-size:6.6pt;line-height:1.2;padding-left:14px}ol.notes li{margin-bottom:1px}
 sup.fn{font-size:5.8pt}a{color:#000;text-decoration:none}.box{padding:2px 5px;margin:3px 0}
}
"""


class Footnotes:
    """Numbered citations, one per source, collecting the verbatim quotes used from each."""

    def __init__(self, pr: Presenter):
        self.pr = pr
        self.order: dict[str, int] = {}
        self.quotes: dict[str, list[tuple[str, str]]] = {}

    def ref(self, source_id: str, quote: str | None = None, quote_lang: str | None = None) -> str:
        """The footnote mark for a source; `quote` is printed in its note (figures pass theirs)."""
        if source_id not in self.order:
            self.order[source_id] = len(self.order) + 1
            self.quotes[source_id] = []
        if quote and (quote, quote_lang) not in self.quotes[source_id]:
            self.quotes[source_id].append((quote, quote_lang))
        n = self.order[source_id]
        return f'<sup class="fn"><a href="#fn-{n}">{n}</a></sup>'

    def html(self, lang: str) -> str:
        items = []
        for sid, n in self.order.items():
            s = self.pr.source(sid)
            if s is not None:
                copy = " " + esc(t("briefing.copy_of", lang, publisher=s["original_publisher"] or "?")) if self.pr.copy_mark(s) else ""
                head = (f'{esc(self.pr.publisher(s))}, “{esc(self.pr.title(s))}” ({esc(self.pr.published(s["published"]))}).{copy} '
                        f'<a href="{esc(s["url"])}" class="url">{esc(readable_url(s["url"]))}</a>')
            else:
                head = esc(sid)
            quotes = "".join(f' <q lang="{esc(ql or "")}">{esc(q)}</q>' for q, ql in self.quotes[sid])
            items.append(f'<li id="fn-{n}">{head}{quotes}</li>')
        return '<ol class="notes">' + "".join(items) + "</ol>"


def readable_url(url: str) -> str:
    """A source address as a reader types it: no scheme, percent-escapes decoded (a Chinese path
    is a few characters, not five lines of %E8%AD%A6). The link itself keeps the exact address."""
    text = unquote(str(url))
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    return text.removeprefix("www.")


def table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None, css_class: str = "") -> str:
    """A table whose header repeats on every printed page and whose rows are not split across
    pages; on a phone each row is a card with every cell labelled. Cells are HTML (escaped by the
    caller); the first cell of a row is its header."""
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>'] + [f'<td data-label="{esc(h)}">{c}</td>' for h, c in zip(headers[1:], row[1:])]
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class Writer:
    """Formatting for one language (ui.present), plus the footnotes every figure cites."""

    def __init__(self, bundle, lang: str):
        self.lang = lang
        self.pr = Presenter.for_bundle(bundle, lang)
        self.notes = Footnotes(self.pr)
        self.fresh = freshness(bundle["freshness"], bundle["figures"], lang)
        self.colon = "：" if lang == "zh-Hant" else ": "  # label/value separator in the reader's language

    # -- text
    def date(self, value, precision="day") -> str:
        return self.pr.date(value, precision)

    def money(self, value, qualifier="exact") -> str:
        return self.pr.money(value, qualifier)

    def value(self, r) -> str:
        return self.pr.value(r)

    def n(self, value, digits=0) -> str:
        return self.pr.n(value, digits)

    def pick(self, row, stem: str) -> str | None:
        return self.pr.localised(row, stem)

    # -- cited pieces (return HTML)
    def fig(self, r, text: str | None = None) -> str:
        """A published figure: its text, then its footnote."""
        body = esc(text if text is not None else self.value(r))
        return f'<span class="fig" data-figure="{esc(r["id"])}">{body}</span>{self.notes.ref(r["source"], r.get("quote"), r.get("quote_lang"))}'

    def derived(self, text: str, arithmetic: str, inputs: list) -> str:
        """A derived number: labelled, with its arithmetic and the footnotes of every input."""
        refs = "".join(dict.fromkeys(self.notes.ref(r["source"], r.get("quote"), r.get("quote_lang"))
                                     for r in inputs if r is not None))  # one mark per source
        label = esc(t("briefing.derived", self.lang))
        opening, closing = ("（", "）") if self.lang == "zh-Hant" else (" (", ")")
        return f'<span class="derived">{esc(text)}{opening}{label}{self.colon}{esc(arithmetic)}{closing}{refs}</span>'

    def src(self, source_id, quote=None, quote_lang=None) -> str:
        return self.notes.ref(source_id, quote, quote_lang)

    def not_published(self) -> str:
        return f'<span class="np">{esc(t("common.not_published", self.lang))}</span>'


def _progress(w: Writer, bundle) -> str:
    figures = bundle["figures"]
    rows = []
    for basis in ("installed_by_police", "connected_third_party", "in_system_total"):
        recs = progress.latest_records(figures, basis)
        label = esc(t(f"briefing.basis.{basis}", w.lang))
        if recs.empty:
            rows.append(f"<tr><th>{label}</th><td>{w.not_published()}</td></tr>")
            continue
        readings = progress.distinct_readings(recs)
        cells = []
        for _, reading in readings.iterrows():
            first = recs[recs["id"] == reading["ids"][0]].iloc[0]
            cells.append(w.fig(first) + " " + esc(t("briefing.as_of", w.lang, date=w.date(first["as_of"], first["as_of_precision"]))))
        rows.append(f"<tr><th scope='row'>{label}</th><td>{' / '.join(cells)}</td></tr>")
    target = progress.target_record(figures, bundle["phases"])
    if target is not None:
        rows.append(f"<tr><th scope='row'>{esc(t('briefing.target', w.lang))}</th><td>{w.fig(target)} "
                    f"{esc(t('briefing.by', w.lang, date=w.date(target['as_of'], target['as_of_precision'])))}</td></tr>")
    pace = progress.recent_pace(figures)
    if pace is not None and pace.per_month is not None:
        arith = t("briefing.pace_arith", w.lang, end=w.n(pace.latest["value"]), start=w.n(pace.earlier["value"]),
                  months=w.n(pace.months, 1))
        per_year = t("briefing.per_year_about", w.lang, n=w.n(round(pace.per_month * 12, -2)))
        rows.append(f"<tr><th scope='row'>{esc(t('briefing.recent_pace', w.lang))}</th><td>"
                    f"{w.derived(per_year, arith, [pace.earlier, pace.latest])}</td></tr>")
    return f"<h2>{esc(t('briefing.progress', w.lang))}</h2><table class='kv'><colgroup><col style='width:30%'><col></colgroup>{''.join(rows)}</table>"


def _phases(w: Writer, bundle, views: list[phases.PhaseView]) -> str:
    headers = [t(k, w.lang) for k in ("briefing.col.phase", "briefing.col.promised", "briefing.col.target",
                                      "briefing.col.delivered", "briefing.col.gap", "briefing.col.places")]
    rows = []
    for v in views:
        p = v.phase
        name = esc(w.pick(p, "name")) + "<br>" + esc(t("briefing.dates", w.lang, start=w.date(p["start"], "month"),
                                                        end=w.date(p["end"], p["end_precision"])))
        name += "<br>" + esc(phase_status(p, v.status, w.fresh, w.pr))
        promise = esc(w.pick(p, "promise") or "") + "".join(w.src(s) for s in (p.get("sources") or [])[:3])
        who = (text_or_none(p.get("promised_by_zh")) if w.lang == "zh-Hant" else None) or text_or_none(p.get("promised_by"))
        if who:
            promise += f'<br><span class="note">{esc(t("briefing.promised_by", w.lang, who=who, date=w.date(p.get("promised_on"))))}</span>'
        target = w.fig(v.headline_target) + " " + esc(t("briefing.by", w.lang, date=w.date(v.headline_target["as_of"], v.headline_target["as_of_precision"]))) \
            if v.headline_target else w.not_published()
        if v.camera_target and v.headline_target and v.camera_target["id"] != v.headline_target["id"]:
            target += "<br>" + w.fig(v.camera_target)
        delivered = []
        for basis in phases.DELIVERED_BASES:
            recs = v.delivered.get(basis) or []
            text = w.fig(recs[0]) + " " + esc(w.date(recs[0]["as_of"], recs[0]["as_of_precision"])) if recs else w.not_published()
            delivered.append(f"{esc(t('briefing.basis.' + basis, w.lang))}{w.colon}{text}")
        if v.delivered_before_start:
            delivered.append(f'<span class="np">{esc(t("briefing.none_since_start", w.lang))}</span>')
        gaps = []
        for g in v.gaps:
            label = t(f"briefing.gap_basis.{g.basis}", w.lang, n=int(p["number"]) - 1)
            arith = t("briefing.gap_arith", w.lang, target=w.n(g.target["value"]), delivered=w.n(g.delivered["value"]), gap=w.n(g.value))
            text = w.derived(t("briefing.cameras", w.lang, n=w.n(max(g.value, 0))), arith, [g.target, g.delivered])
            if g.per_year is not None:
                pace_arith = t("briefing.pace_needed_arith", w.lang, gap=w.n(g.value), years=w.n(g.years, 2), due=w.date(g.due),
                               rate=w.n(g.per_year))
                # Rounded to the nearest 100: the inputs are "about" figures.
                text += "<br>" + w.derived(t("briefing.per_year_about", w.lang, n=w.n(round(g.per_year, -2))), pace_arith, [])
            gaps.append(f"{esc(label)}{w.colon}{text}")
        if v.gap_note == "sets":
            gaps.append(esc(t("briefing.gap_sets", w.lang)))
        for r in v.published_pace[:1]:
            gaps.append(esc(t("briefing.pace_published", w.lang)) + " " + w.fig(r))
        places = esc(w.pick(p, "places") or "") or w.not_published()
        rows.append([name, promise, target, "<br>".join(delivered), "<br>".join(gaps) or w.not_published(), places])
    scope = f'<p class="note">{esc(t("briefing.scope_note", w.lang))}</p>'
    return f"<h2>{esc(t('briefing.phases', w.lang))}</h2>{table(headers, rows, [11, 27, 11, 15, 18, 18])}{scope}"


def _money(w: Writer, bundle) -> str:
    figures = bundle["figures"]
    b = budget.budget(figures)
    if not b.total:
        return f"<h2>{esc(t('briefing.money', w.lang))}</h2><p>{w.not_published()}</p>"
    total = float(b.total["value"])
    rows = []
    for ln in b.lines:
        label = esc(t(f"phases.budget.line.{ln.claim}", w.lang))
        kind = esc(t(f"phases.money.kind.{ln.kind}", w.lang))
        if ln.kind in ("published", "reserved"):
            amount = w.fig(ln.figure, w.money(ln.value, ln.qualifier))
        elif ln.kind == "derived":
            arith = t("phases.money.derived_arith", w.lang, percent=w.n(ln.percent), total=w.money(total), amount=w.money(ln.value))
            amount = w.derived(w.money(ln.value), arith, ln.inputs)
        elif ln.kind == "remainder":
            arith = t("phases.money.remainder_arith", w.lang, total=w.money(total),
                      lines=" − ".join(w.money(x.value) for x in b.costed), amount=w.money(ln.value, ln.qualifier))
            amount = w.derived(w.money(ln.value, ln.qualifier), arith, [r for r in ln.inputs if r])
        else:
            amount = w.not_published() + (w.src(ln.source) if ln.source else "")
        share = w.pr.percent(ln.value / total * 100) if ln.value is not None else "—"
        rows.append([label, amount, esc(share), kind])
    headers = [t(k, w.lang) for k in ("phases.money.col.line", "phases.money.col.amount", "phases.money.col.share", "phases.money.col.kind")]
    out = [f"<h2>{esc(t('briefing.money', w.lang))}</h2>",
           f"<p>{esc(t('briefing.total', w.lang))}{w.colon}{w.fig(b.total, w.money(total, b.total['qualifier']))}</p>",
           table(headers, rows, [34, 36, 12, 18])]
    for chk in b.cross_checks:
        line = t("phases.budget.line." + chk["claim"].removesuffix(budget.SHARE_SUFFIX), w.lang)
        out.append(f'<p class="note">{esc(t("briefing.cross_check", w.lang, line=line))} {w.fig(chk)}</p>')
    per = budget.cost_per_camera(figures, b)
    items = []
    for pc in per:
        value = t("phases.money.per_camera.value", w.lang, n=w.n(pc.value))
        if pc.key == "added":
            arith = t("phases.money.per_camera.added_arith", w.lang, total=w.money(total), target=w.n(pc.inputs[1]["value"]),
                      base=w.n(pc.inputs[2]["value"]), cameras=w.n(pc.cameras), amount=value)
            note = f' <span class="conflict">{esc(t("briefing.inference", w.lang, target=w.n(pc.inputs[1]["value"])))}</span>'
        else:
            arith = t("phases.money.per_camera.network_arith", w.lang, total=w.money(total), cameras=w.n(pc.cameras), amount=value)
            note = ""
        when = pc.inputs[1] if pc.key == "network" else pc.inputs[2]
        label = esc(t("phases.money.per_camera." + pc.key, w.lang, date=w.date(when["as_of"], when["as_of_precision"])))
        items.append(f"<li>{label}{w.colon}{w.derived(value, arith, list(pc.inputs))}{note}</li>")
    for uc in b.unit_costs:
        items.append(f"<li>{esc(t('phases.money.per_camera.purchase', w.lang))}{w.colon}{w.fig(uc)}</li>")
    if items:
        out.append(f"<h3>{esc(t('phases.money.per_camera.title', w.lang))}</h3><ul>{''.join(items)}</ul>")
    recurrent, conflict = budget.recurrent_costs(figures)
    out.append(f"<h3>{esc(t('phases.money.recurrent.title', w.lang))}</h3>")
    if recurrent.empty:
        out.append(f"<p>{w.not_published()}</p>")
    else:
        if conflict:
            out.append(f'<p class="conflict">{esc(t("phases.money.recurrent.conflict", w.lang))}</p>')
        def stated(r):
            return t("briefing.stated", w.lang, date=w.date(r["stated"])) if pd.notna(r["stated"]) else t("phases.money.recurrent.undated", w.lang)
        out.append("<ul>" + "".join(f"<li>{w.fig(r)} — {esc(stated(r))}</li>" for r in recurrent.to_dict("records")) + "</ul>")
    return "".join(out)


def _capabilities(w: Writer, bundle) -> str:
    """Each capability's latest status with what was said, then the dates of the earlier statements
    (each cited): the whole history is in the app."""
    timeline = safeguards.capability_events(bundle["capabilities"], bundle["capability_events"], w.lang)
    if timeline.empty:
        return ""
    rows = []
    for _, g in timeline.groupby("capability", sort=False):
        events = g.to_dict("records")
        dated = [e for e in events if pd.notna(e["date"])]
        latest = max(dated, key=lambda e: e["date"]) if dated else events[-1]
        rows.append([esc(g.iloc[0]["name"]), _statement(w, latest, t("safeguards.cap_status." + latest["status"], w.lang)),
                     _earlier(w, [e for e in events if e is not latest], lambda e: t("safeguards.cap_status." + e["status"], w.lang))])
    headers = [t(k, w.lang) for k in ("briefing.col.capability", "briefing.col.latest", "briefing.col.earlier")]
    return f"<h2>{esc(t('briefing.capabilities', w.lang))}</h2>{table(headers, rows, [16, 52, 32])}"


def _when(w: Writer, e: dict) -> str:
    return w.date(e["date"], e["date_precision"]) if pd.notna(e["date"]) else t("briefing.undated", w.lang)


def _statement(w: Writer, e: dict, status: str | None = None) -> str:
    """'12 Feb 2024 (in use): summary¹' — one dated, cited statement."""
    head = esc(_when(w, e)) + (f" (<b>{esc(status)}</b>)" if status else "")
    return f"{head}{w.colon}{esc(e['summary'] or '')}{w.src(e['source'])}"


def _earlier(w: Writer, events: list[dict], status=None) -> str:
    """Earlier statements as dates with their footnotes: '21 Feb 2024¹, 8 May 2024²'."""
    if not events:
        return ""
    # Each item in its own span: adjacent footnote marks get a comma between them (sup.fn+sup.fn).
    items = [f"<span>{esc(_when(w, e))}" + (f" ({esc(status(e))})" if status else "") + w.src(e["source"]) + "</span>" for e in events]
    return f'<span class="earlier">{esc(t("briefing.earlier", w.lang))}{w.colon}{t("present.list_sep", w.lang).join(items)}</span>'


def _safeguards(w: Writer, bundle) -> str:
    """Each safeguard: its status and what guidance expects, beside the latest documented, promised
    and not-published statements with what they said, then the dates of earlier ones (each cited)."""
    rows = []
    for row in safeguards.matrix(bundle["safeguards"], bundle["safeguard_entries"], w.lang):
        lines = []
        for col in safeguards.MATRIX_COLUMNS:
            entries = sorted(row.cells[col], key=lambda e: (pd.isna(e["date"]), e["date"]))
            parts = []
            if col == "not_published" and safeguards.not_published_marker(row):
                parts.append(w.not_published())
            if entries:
                parts.append(_statement(w, entries[-1]))
                if len(entries) > 1:
                    parts.append(_earlier(w, entries[:-1]))
            label = esc(t(f"safeguards.matrix.col.{col}", w.lang))
            lines.append(f"<b>{label}</b>{w.colon}" + (" ".join(parts) or esc(t("safeguards.matrix.none", w.lang))))
        status = esc(t(f"safeguards.status.{row.status}", w.lang))
        cls = ' class="conflict"' if row.conflicting else ""
        expectation = esc(row.expectation or "") + "".join(w.src(s) for s in row.guidance_sources)
        rows.append([f"{esc(row.name)} · <span{cls}>{status}</span><br><span class='note'>{expectation}</span>", "<br>".join(lines)])
    headers = [t("safeguards.matrix.col.safeguard", w.lang), t("briefing.col.statements", w.lang)]
    return f"<h2>{esc(t('briefing.safeguards', w.lang))}</h2>{table(headers, rows, [42, 58], 'safeguards')}"


def _questions(w: Writer, bundle, generated: pd.Timestamp) -> str:
    q = safeguards.open_questions(bundle["open_questions"], w.lang)
    if q.empty:
        return ""
    rows = []
    for r in q.to_dict("records"):
        srcs = "".join(w.src(s) for s in r["sources"])
        status = esc(t("safeguards.q_status." + r["status"], w.lang))
        rows.append([esc(r["question"]) + srcs, esc(w.date(r["first_asked"], r["first_asked_precision"])),
                     esc(r["asked_by"] or ""), status])
    headers = [t(k, w.lang) for k in ("safeguards.questions.col.question", "safeguards.questions.col.first_asked",
                                      "safeguards.questions.col.asked_by", "safeguards.questions.col.status")]
    return f"<h2>{esc(t('briefing.questions', w.lang))}</h2>{table(headers, rows, [52, 14, 20, 14])}"


def build_briefing(bundle, lang: str, generated) -> str:
    """The briefing as one HTML document (str) in lang; `generated` is the date printed on it."""
    generated = pd.Timestamp(generated)
    w = Writer(bundle, lang)
    ref = phases.reference_date(bundle["sources"])
    views = phases.phase_views(bundle["phases"], bundle["figures"], bundle["safeguards"], bundle["safeguard_entries"], ref, lang)
    body = [
        f"<h1>{esc(t('briefing.title', lang))}</h1>",
        f'<p class="meta">{esc(t("briefing.generated", lang, date=w.date(generated), ref=w.date(ref)))}</p>',
        f'<p class="meta">{esc(checked_line(w.fresh, w.pr) or "")}</p>',
        f'<div class="box">{esc(t("briefing.rules", lang))}</div>',
        _progress(w, bundle),
        _phases(w, bundle, views),
        _money(w, bundle),
        _capabilities(w, bundle),
        _safeguards(w, bundle),
        _questions(w, bundle, generated),
        f"<h2>{esc(t('briefing.sources', lang))}</h2>",
        w.notes.html(lang),
        f'<p class="meta">{esc(t("footer.licence", lang))}</p>',
    ]
    html_lang = "zh-Hant" if lang == "zh-Hant" else "en"
    return (f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(t('briefing.title', lang))}</title><style>{CSS}</style></head><body>"
            + "".join(body) + "</body></html>")
