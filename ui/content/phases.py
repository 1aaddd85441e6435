"""The phases page's words: each phase as a card of labelled sections, the budget table, the per-camera arithmetic.

Markdown, escaped; pure (no Streamlit), so the static edition and the briefing can read the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field


from metrics import phases
from metrics.views.phases import PhasesView
from ui import escape
from ui.content import html
from ui.present import Presenter, text_or_none


@dataclass
class Section:
    heading: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind: md | caption, Markdown)

    def md(self, text: str) -> None:
        self.lines.append(("md", text))

    def caption(self, text: str) -> None:
        self.lines.append(("caption", text))


@dataclass
class PhaseCard:
    title: str
    dates: str
    sections: list[Section]
    used: list[dict]  # every record a number on the card comes from (the sources popover)
    extra_sources: list[str]


def _gap_label(pr: Presenter, g, number: int) -> str:
    return pr.t(f"phases.gap_basis.{g.basis}", n=number - 1)


def phase_card(v: phases.PhaseView, view: PhasesView, pr: Presenter) -> PhaseCard:
    p, used, md = v.phase, [], escape.md
    dates = pr.t("phases.dates", start=pr.date(p["start"], "month"), end=pr.date(p["end"], p["end_precision"]))
    promised = Section(pr.t("phases.promised"))
    promised.md(md(pr.localised(p, "promise") or pr.t("common.not_published")))
    by_whom = Section(pr.t("phases.by_whom"))
    who = (text_or_none(p.get("promised_by_zh")) if pr.zh else None) or text_or_none(p.get("promised_by"))
    by_whom.md(md(who) if who else pr.t("common.not_published"))
    by_whom.caption(pr.t("phases.first_promised", date=pr.date(p.get("promised_on"))))

    targets = Section(pr.t("phases.targets"))
    lines = []
    for r in phases.visible_targets(v.targets):
        key = "phases.target_line_additional" if r["basis"] == "target_additional" else "phases.target_line"
        times = pr.t("phases.n_records", n=r["n"]) if r["n"] > 1 else ""
        lines.append("- " + pr.t(key, value=md(pr.value(r)), date=pr.as_of(r)) + times)
    used.extend(v.targets)
    targets.md("\n".join(lines) if lines else pr.t("common.not_published"))

    delivered = Section(pr.t("phases.delivered"))
    lines = []
    for basis in phases.ALL_COUNT_BASES:
        recs = v.delivered.get(basis) or []
        if recs:
            lines.append("- " + pr.t("phases.count_line", basis=pr.t(f"phases.basis.{basis}"), value=md(pr.value(recs[0])),
                                     date=pr.as_of(recs[0])))
            used.extend(recs)
        else:
            lines.append("- " + pr.t("phases.count_line_none", basis=pr.t(f"phases.basis.{basis}")))
    delivered.md("\n".join(lines))
    if v.status == "future":
        delivered.caption(pr.t("phases.not_started_counts"))
    elif v.delivered_before_start:
        delivered.caption(pr.t("phases.none_since_start", start=pr.date(p["start"], "month")))

    gap = Section(pr.t("phases.gap"))
    if v.gap_note == "sets":
        gap.caption(pr.t("phases.gap_sets"))
    elif v.gap_note:
        gap.caption(pr.t("common.not_published"))
    for g in v.gaps:
        value = pr.t("phases.gap_met") if g.value <= 0 else pr.t("phases.cameras", n=pr.n(g.value))
        gap.md(f"- {_gap_label(pr, g, int(p['number']))}{pr.t('present.label_sep')}**{value}**")
        gap.caption(pr.t("phases.gap_arith", target=pr.n(g.target["value"]), delivered=pr.n(g.delivered["value"]), gap=pr.n(g.value),
                         date=pr.as_of(g.delivered)))
        used.append(g.delivered)
    if any(g.basis == "in_system_total" for g in v.gaps):
        gap.caption(pr.t("phases.scope_note"))

    pace = Section(pr.t("phases.pace"))
    if v.status == "past":
        pace.caption(pr.t("phases.pace_ended"))
    for g in v.gaps:
        if g.per_year is None:
            continue
        pace.md(f"- {_gap_label(pr, g, int(p['number']))}{pr.t('present.label_sep')}**{pr.t('phases.per_year_about', n=pr.about(g.per_year))}**")
        pace.caption(pr.t("phases.pace_arith", gap=pr.n(g.value), years=pr.n(g.years, 2), start=pr.date(g.pace_from),
                          due=pr.date(g.due), rate=pr.n(g.per_year)))
    for r in v.published_pace[:1]:
        pace.md("- " + pr.t("phases.pace_published", value=md(pr.value(r)), date=pr.date(r["stated"])))
        used.extend(v.published_pace)
    recent = view.pace
    if v.status == "current" and recent is not None and recent.per_month is not None:
        pace.md("- " + pr.t("phases.pace_recent", n=pr.about(recent.per_month * 12)))
        pace.caption(pr.t("phases.pace_recent_arith", start=md(pr.value(recent.earlier)), start_date=pr.as_of(recent.earlier),
                          end=md(pr.value(recent.latest)), end_date=pr.as_of(recent.latest), months=pr.n(recent.months, 1)))
        used.extend([recent.earlier.to_dict(), recent.latest.to_dict()])

    places = Section(pr.t("phases.places"))
    text = pr.localised(p, "places")
    places.md(md(text) if text else pr.t("common.not_published"))

    safeguards = Section(pr.t("phases.safeguards", date=pr.date(view.ref)))
    lines = []
    for sg in v.safeguards:
        n = len(sg["entries"])
        inside = (pr.t("phases.safeguard_entries", n=n) if n > 1 else pr.t("phases.safeguard_entry_one") if n
                  else pr.t("phases.safeguard_none"))
        status_text = pr.t("safeguards.status." + sg["status"])
        lines.append(f"- {md(sg['name'])}{pr.t('present.label_sep')}**{status_text}** · {inside}")
        used.extend({**e, "as_of": e["date"], "as_of_precision": e["date_precision"], "id": f"{sg['id']}-{e['seq']}",
                     "summary": pr.localised(e, "summary")} for e in sg["entries"])
    safeguards.md("\n".join(lines) if lines else pr.t("common.no_data"))

    return PhaseCard(pr.localised(p, "name") or "", dates, [promised, by_whom, targets, delivered, gap, pace, places, safeguards],
                     used, list(p.get("sources") or []))


COMPARISON_CSS = """
.hkc-cmp-wrap{container-type:inline-size}
.hkc-cmp{display:grid;grid-template-columns:minmax(8em,.8fr) repeat(var(--n),minmax(0,1fr));column-gap:1rem;line-height:1.5}
.hkc-phase{display:contents}
.hkc-cell{padding:.6rem 0;border-top:1px solid #d6d6d6;min-width:0;overflow-wrap:anywhere}
.hkc-cell p,.hkc-cell ul{margin:0 0 .4rem}.hkc-cell ul{padding-left:1.1rem}
.hkc-cell .cap{color:#333;font-size:.875rem}
.hkc-head{border-top:none;padding-top:0}
.hkc-head h3{font-size:1.3rem;font-weight:700;margin:0 0 .3rem;padding:0;line-height:1.3}
.hkc-rowlabel{font-weight:700;padding:.6rem 0;border-top:1px solid #d6d6d6}
.hkc-lbl{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:0}
.hkc-cell details summary{cursor:pointer;font-weight:600}
.hkc-cell details[open] summary{margin-bottom:.5rem}
.hkc-cell blockquote{margin:.2rem 0 .2rem .2rem;padding-left:.6rem;border-left:3px solid #bbb;color:#222}
@container (max-width: 700px){
 .hkc-cmp{display:block}.hkc-rowlabel{display:none}
 .hkc-phase{display:block;border:1px solid #c8c8c8;border-radius:.5rem;padding:.8rem 1rem;margin-bottom:1rem}
 .hkc-cell{border-top:none;padding:.3rem 0}
 .hkc-lbl{position:static;width:auto;height:auto;overflow:visible;clip:auto;white-space:normal;font-size:1rem;
  font-weight:700;margin:.5rem 0 .2rem}
}
"""


def comparison_html(view: PhasesView, pr: Presenter, status: dict[str, str]) -> str:
    """The phases as one aligned comparison: a row per question, a column per phase on a desktop,
    one card per phase on a phone (the same HTML; a container query switches the layout).

    The document order is phase by phase, each cell with its own heading, so a screen reader and
    a phone read one phase at a time; on a wide screen the grid puts the same rows side by side
    and the row names in the first column. `status` maps a phase id to its status line.
    Every phase's sources close its card, as a keyboard-reachable disclosure.
    """
    cards = [phase_card(v, view, pr) for v in view.views]
    if not cards:
        return ""
    labels = [s.heading for s in cards[0].sections]
    parts = [f'<div class="hkc-rowlabel" aria-hidden="true" style="grid-column:1;grid-row:{i + 2}">{html.inline(escape_md(label))}</div>'
             for i, label in enumerate(labels)]
    for col, (v, card) in enumerate(zip(view.views, cards), start=2):
        cells = [f'<div class="hkc-cell hkc-head" style="grid-column:{col};grid-row:1"><h3>{html.inline(escape_md(card.title))}</h3>'
                 f'<p class="cap">{html.inline(escape_md(status.get(v.phase["id"], "")))} · {html.inline(escape_md(card.dates))}</p></div>']
        for row, section in enumerate(card.sections, start=2):
            body = "".join(html.block(text, "cap" if kind == "caption" else None) for kind, text in section.lines)
            cells.append(f'<div class="hkc-cell" style="grid-column:{col};grid-row:{row}">'
                         f'<h4 class="hkc-lbl">{html.inline(escape_md(section.heading))}</h4>{body}</div>')
        cells.append(f'<div class="hkc-cell" style="grid-column:{col};grid-row:{len(labels) + 2}">{sources_html(card, pr)}</div>')
        parts.append(f'<div class="hkc-phase">{"".join(cells)}</div>')
    return (f"<style>{COMPARISON_CSS}</style><div class='hkc-cmp-wrap'><div class='hkc-cmp' style='--n:{len(cards)}'>"
            + "".join(parts) + "</div></div>")


def escape_md(text: str) -> str:
    return escape.md(text)


def sources_html(card: PhaseCard, pr: Presenter) -> str:
    """Every record a number on the card comes from, and the phase's own sources, behind one disclosure."""
    seen, items = set(), []
    for r in card.used:
        key = r.get("id")
        if key is not None and key in seen:
            continue
        seen.add(key)
        items.append(html.cite(pr, r))
    items += [html.citation(pr, sid) for sid in card.extra_sources]
    if not items:
        return ""
    label = pr.t("present.sources_button", n=len(items))
    return f"<details><summary>{html.inline(escape_md(label))}</summary>" + "<hr>".join(items) + "</details>"


@dataclass
class PerCameraText:
    label: str
    value: str
    captions: list[str]
    inputs: list[dict]


def per_camera(view: PhasesView, pr: Presenter) -> list[PerCameraText]:
    out = []
    total = view.budget.total
    for pc in view.per_camera:
        value = pr.money(pc.value)
        when = pc.inputs[1] if pc.key == "network" else pc.inputs[2]  # the target's deadline / the base count's date
        if pc.key == "added":
            target, base = pc.inputs[1], pc.inputs[2]
            captions = [pr.t("phases.money.per_camera.added_arith", total=pr.money(total["value"]), target=pr.n(target["value"]),
                             base=pr.n(base["value"]), cameras=pr.n(pc.cameras), amount=value),
                        "⚠️ " + pr.t("phases.money.per_camera.inference", base=escape.md(pr.value(base)), target=pr.n(target["value"]),
                                     date=pr.as_of(base))]
        else:
            captions = [pr.t("phases.money.per_camera.network_arith", total=pr.money(total["value"]), cameras=pr.n(pc.cameras),
                             amount=value)]
        out.append(PerCameraText(pr.t(f"phases.money.per_camera.{pc.key}", date=pr.as_of(when)), value, captions, list(pc.inputs)))
    return out
