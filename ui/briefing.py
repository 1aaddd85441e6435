"""A self-contained, printable HTML briefing: progress, phases, money, capabilities, safeguards, questions.

Pure function of the loaded data (no Streamlit), for a committee member to print or open offline:
- inline CSS only, no scripts, no external files; prints cleanly on A4;
- every data-derived string goes through html.escape (ui.escape.html);
- every published figure is a <span class="fig" data-figure="ID"> followed by a numbered footnote
  (<sup class="fn"><a href="#fn-N">N</a></sup>); derived numbers are <span class="derived"> with
  their arithmetic and the footnotes of their inputs;
- footnotes are numbered per source, with publisher, title, date, URL and the verbatim quotes used.
"""
from __future__ import annotations

import pandas as pd

from metrics import budget as B
from metrics import phases as PH
from metrics import progress as P
from metrics import safeguards as SG
from metrics.freshness import freshness
from ui.content.freshness import checked_line, phase_status
from ui.escape import html as esc
from ui.i18n import t
from ui.present import Presenter, text_or_none

CSS = """
body{font-family:"Noto Sans","Noto Sans CJK TC","Helvetica Neue",Arial,sans-serif;color:#111;max-width:960px;
margin:24px auto;padding:0 16px;line-height:1.45;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;border-bottom:2px solid #333;padding-bottom:2px;margin-top:26px}
h3{font-size:14px;margin:14px 0 4px}p.meta{color:#444;font-size:12px;margin:2px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:12.5px}
th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#eee}tr{page-break-inside:avoid}.derived{font-style:italic;background:#f4f4f4;padding:0 2px}
.np{color:#8a1c1c;font-weight:600}.conflict{color:#8a4b00;font-weight:600}sup.fn{font-size:10px}sup.fn a{text-decoration:none}
sup.fn+sup.fn::before{content:","}ol.notes{font-size:11.5px;padding-left:22px}ol.notes li{margin-bottom:5px;word-break:break-word}q{font-style:italic}
.note{font-size:12px;color:#333}table.phases td:nth-child(2){width:26%}table.phases td:nth-child(5){width:20%}table.phases td:nth-child(6){width:18%}
.box{border:1px solid #999;padding:8px 10px;margin:8px 0}
@media print{body{margin:0;max-width:none;font-size:11.5px}h2{page-break-after:avoid}a{color:#000}}
"""


class Footnotes:
    """Numbered citations, one per source, collecting the verbatim quotes used from each."""

    def __init__(self, pr: Presenter):
        self.pr = pr
        self.order: dict[str, int] = {}
        self.quotes: dict[str, list[tuple[str, str]]] = {}

    def ref(self, source_id: str, quote: str | None = None, quote_lang: str | None = None) -> str:
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
                head = (f'{esc(s["publisher"])}, “{esc(self.pr.title(s))}” ({esc(self.pr.published(s["published"]))}).{copy} '
                        f'<a href="{esc(s["url"])}">{esc(s["url"])}</a>')
            else:
                head = esc(sid)
            quotes = "".join(f'<br><q lang="{esc(ql or "")}">{esc(q)}</q>' for q, ql in self.quotes[sid])
            items.append(f'<li id="fn-{n}">{head}{quotes}</li>')
        return '<ol class="notes">' + "".join(items) + "</ol>"


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
        recs = P.latest_records(figures, basis)
        label = esc(t(f"briefing.basis.{basis}", w.lang))
        if recs.empty:
            rows.append(f"<tr><th>{label}</th><td>{w.not_published()}</td></tr>")
            continue
        readings = P.distinct_readings(recs)
        cells = []
        for _, reading in readings.iterrows():
            first = recs[recs["id"] == reading["ids"][0]].iloc[0]
            cells.append(w.fig(first) + " " + esc(t("briefing.as_of", w.lang, date=w.date(first["as_of"], first["as_of_precision"]))))
        rows.append(f"<tr><th>{label}</th><td>{' / '.join(cells)}</td></tr>")
    target = P.target_record(figures, bundle["phases"])
    if target is not None:
        rows.append(f"<tr><th>{esc(t('briefing.target', w.lang))}</th><td>{w.fig(target)} "
                    f"{esc(t('briefing.by', w.lang, date=w.date(target['as_of'], target['as_of_precision'])))}</td></tr>")
    pace = P.recent_pace(figures)
    if pace is not None and pace.per_month is not None:
        arith = t("briefing.pace_arith", w.lang, end=w.n(pace.latest["value"]), start=w.n(pace.earlier["value"]),
                  months=w.n(pace.months, 1))
        per_year = t("briefing.per_year_about", w.lang, n=w.n(round(pace.per_month * 12, -2)))
        rows.append(f"<tr><th>{esc(t('briefing.recent_pace', w.lang))}</th><td>"
                    f"{w.derived(per_year, arith, [pace.earlier, pace.latest])}</td></tr>")
    return f"<h2>{esc(t('briefing.progress', w.lang))}</h2><table>{''.join(rows)}</table>"


def _phases(w: Writer, bundle, views: list[PH.PhaseView]) -> str:
    head = "".join(f"<th>{esc(t(k, w.lang))}</th>" for k in ("briefing.col.phase", "briefing.col.promised", "briefing.col.target",
                                                            "briefing.col.delivered", "briefing.col.gap", "briefing.col.places"))
    rows = []
    for v in views:
        p = v.phase
        name = esc(w.pick(p, "name")) + "<br>" + esc(t("briefing.dates", w.lang, start=w.date(p["start"], "month"),
                                                        end=w.date(p["end"], p["end_precision"])))
        name += "<br>" + esc(phase_status(p, v.status, w.fresh, w.pr))
        promise = esc(w.pick(p, "promise") or "") + "".join(w.src(s) for s in (p.get("sources") or [])[:3])
        if text_or_none(p.get("promised_by")):
            promise += f'<br><span class="note">{esc(t("briefing.promised_by", w.lang, who=p["promised_by"], date=w.date(p.get("promised_on"))))}</span>'
        target = w.fig(v.headline_target) + " " + esc(t("briefing.by", w.lang, date=w.date(v.headline_target["as_of"], v.headline_target["as_of_precision"]))) \
            if v.headline_target else w.not_published()
        if v.camera_target and v.headline_target and v.camera_target["id"] != v.headline_target["id"]:
            target += "<br>" + w.fig(v.camera_target)
        delivered = []
        for basis in PH.DELIVERED_BASES:
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
        rows.append(f"<tr><td>{name}</td><td>{promise}</td><td>{target}</td><td>{'<br>'.join(delivered)}</td>"
                    f"<td>{'<br>'.join(gaps) or w.not_published()}</td><td>{places}</td></tr>")
    scope = f'<p class="note">{esc(t("briefing.scope_note", w.lang))}</p>'
    return f"<h2>{esc(t('briefing.phases', w.lang))}</h2><table class='phases'><tr>{head}</tr>{''.join(rows)}</table>{scope}"


def _money(w: Writer, bundle) -> str:
    figures = bundle["figures"]
    b = B.budget(figures)
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
        rows.append(f"<tr><td>{label}</td><td>{amount}</td><td>{esc(share)}</td><td>{kind}</td></tr>")
    head = "".join(f"<th>{esc(t(k, w.lang))}</th>" for k in ("phases.money.col.line", "phases.money.col.amount",
                                                            "phases.money.col.share", "phases.money.col.kind"))
    out = [f"<h2>{esc(t('briefing.money', w.lang))}</h2>",
           f"<p>{esc(t('briefing.total', w.lang))}{w.colon}{w.fig(b.total, w.money(total, b.total['qualifier']))}</p>",
           f"<table><tr>{head}</tr>{''.join(rows)}</table>"]
    for chk in b.cross_checks:
        line = t("phases.budget.line." + chk["claim"].removesuffix(B.SHARE_SUFFIX), w.lang)
        out.append(f'<p class="note">{esc(t("briefing.cross_check", w.lang, line=line))} {w.fig(chk)}</p>')
    per = B.cost_per_camera(figures, b)
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
    recurrent, conflict = B.recurrent_costs(figures)
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
    timeline = SG.capability_events(bundle["capabilities"], bundle["capability_events"], w.lang)
    if timeline.empty:
        return ""
    rows = []
    for cid, g in timeline.groupby("capability", sort=False):
        events = []
        for e in g.to_dict("records"):
            status = esc(t("safeguards.cap_status." + e["status"], w.lang))
            when = w.date(e["date"], e["date_precision"]) if pd.notna(e["date"]) else t("briefing.undated", w.lang)
            events.append(f"{esc(when)}{w.colon}<b>{status}</b> — "
                          f"{esc(e['summary'] or '')}{w.src(e['source'], e['quote'], e['quote_lang'])}")
        rows.append(f"<tr><th>{esc(g.iloc[0]['name'])}</th><td>{'<br>'.join(events)}</td></tr>")
    return f"<h2>{esc(t('briefing.capabilities', w.lang))}</h2><table>{''.join(rows)}</table>"


def _safeguards(w: Writer, bundle) -> str:
    rows = []
    for row in SG.matrix(bundle["safeguards"], bundle["safeguard_entries"], w.lang):
        cells = []
        for col in SG.MATRIX_COLUMNS:
            parts = [f"{esc(w.date(e['date'], e['date_precision']))}{w.colon}{esc(e['summary'] or '')}{w.src(e['source'], e['quote'], e['quote_lang'])}"
                     for e in row.cells[col]]
            if col == "not_published" and SG.not_published_marker(row):
                parts.insert(0, w.not_published())
            cells.append("<br>".join(parts) or "—")
        status = esc(t(f"safeguards.status.{row.status}", w.lang))
        cls = ' class="conflict"' if row.conflicting else ""
        expectation = esc(row.expectation or "") + "".join(w.src(s) for s in row.guidance_sources)
        rows.append(f"<tr><th>{esc(row.name)}<br><span{cls}>{status}</span></th><td>{expectation}</td>"
                    + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{esc(t(k, w.lang))}</th>" for k in ("safeguards.matrix.col.name", "safeguards.matrix.col.expectation",
                                                            "safeguards.matrix.col.documented", "safeguards.matrix.col.promised",
                                                            "safeguards.matrix.col.not_published"))
    return f"<h2>{esc(t('briefing.safeguards', w.lang))}</h2><table><tr>{head}</tr>{''.join(rows)}</table>"


def _questions(w: Writer, bundle, generated: pd.Timestamp) -> str:
    q = SG.open_questions(bundle["open_questions"], w.lang)
    if q.empty:
        return ""
    rows = []
    for r in q.to_dict("records"):
        srcs = "".join(w.src(s) for s in r["sources"])
        status = esc(t("safeguards.q_status." + r["status"], w.lang))
        rows.append(f"<tr><td>{esc(r['question'])}{srcs}</td><td>{esc(w.date(r['first_asked'], r['first_asked_precision']))}</td>"
                    f"<td>{esc(r['asked_by'] or '')}</td><td>{status}</td></tr>")
    head = "".join(f"<th>{esc(t(k, w.lang))}</th>" for k in ("safeguards.questions.col.question", "safeguards.questions.col.first_asked",
                                                            "safeguards.questions.col.asked_by", "safeguards.questions.col.status"))
    return f"<h2>{esc(t('briefing.questions', w.lang))}</h2><table><tr>{head}</tr>{''.join(rows)}</table>"


def build_briefing(bundle, lang: str, generated) -> str:
    """The briefing as one HTML document (str) in lang; `generated` is the date printed on it."""
    generated = pd.Timestamp(generated)
    w = Writer(bundle, lang)
    ref = PH.reference_date(bundle["sources"])
    views = PH.phase_views(bundle["phases"], bundle["figures"], bundle["safeguards"], bundle["safeguard_entries"], ref, lang)
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
