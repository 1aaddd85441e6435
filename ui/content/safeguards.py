"""The safeguards page's words: statement lines, conflict warnings, matrix cells, question meta (Markdown, escaped)."""
from __future__ import annotations

from metrics import safeguards as safeguards_metrics
from metrics.views.safeguards import SafeguardsView
from ui import escape
from ui.content import html
from ui.present import Presenter, missing, text_or_none


def entry_md(pr: Presenter, e: dict) -> str:
    """'**12 Feb 2024** — summary' for a dated statement (undated ones say so)."""
    when = pr.date(e["date"], e["date_precision"]) if not missing(e.get("date")) else pr.t("safeguards.undated")
    return f"**{escape.md(when)}** — {escape.md(e.get('summary') or '')}"


def entry_cite_md(pr: Presenter, e: dict) -> str:
    """A statement with its source and verbatim quote (the sources popovers)."""
    return entry_md(pr, e) + "\n\n" + pr.citation_md(e["source"], e.get("quote"), e.get("quote_lang"))


def conflict_sides(pr: Presenter, row: dict | None) -> str | None:
    """'30 days (3 records) vs 31 days (3 records)' for a figure claim the sources disagree on."""
    if not row:
        return None
    by_position: dict[int, list[dict]] = {}
    for side in row["sides"]:
        by_position.setdefault(side["position"], []).append(side)
    parts = [pr.t("safeguards.side", value=pr.value({**sides[0], "qualifier": "exact"}), n=len(sides)) for sides in by_position.values()]
    return pr.t("safeguards.sides_join").join(parts)


def capability_warnings(view: SafeguardsView, pr: Presenter, cap) -> list[str]:
    out = []
    for c in cap.conflicts:
        if c["kind"] == "figure":
            out.append(pr.t("safeguards.cap.conflict_figure", sides=conflict_sides(pr, view.figure_conflict(c["claim"])) or ""))
        else:
            statuses = " / ".join(dict.fromkeys(pr.t(f"safeguards.cap_status.{s['status']}") for s in c["sides"]))
            out.append(pr.t("safeguards.cap.conflict_status", statuses=statuses))
    return out


def fr_slip_md(view: SafeguardsView, pr: Presenter) -> str:
    return "\n".join(
        f"- **{escape.md(pr.date(e['date'], e['date_precision']))}** ({escape.md(pr.t('safeguards.cap_status.' + e['status']))}): "
        f"“{escape.md(e['quote'])}” — {escape.md(pr.source_label(e['source']))}" for e in view.fr_slip)


def matrix_cell(view: SafeguardsView, pr: Presenter, row: safeguards_metrics.MatrixRow, column: str) -> str:
    lines = [f"- {entry_md(pr, e)}" + (" ⚠️" if e["status"] == "conflicting" else "") for e in row.cells[column]]
    if column == "not_published" and safeguards_metrics.not_published_marker(row):
        lines.insert(0, f"- {pr.t('safeguards.matrix.finding')}")
    if column == "documented" and row.conflicting:
        sides = conflict_sides(pr, view.figure_conflict(safeguards_metrics.SAFEGUARD_FIGURE_CLAIMS.get(row.id)))
        lines.insert(0, "⚠️ " + pr.t("safeguards.matrix.conflict") + (f" {sides}" if sides else ""))
    return "\n".join(lines) if lines else pr.t("safeguards.matrix.none")


def question_meta(view: SafeguardsView, pr: Presenter, q: dict, asked: bool) -> str:
    meta = pr.t("safeguards.questions.meta", date=pr.date(q["first_asked"], q["first_asked_precision"]),
                who=escape.md(q["asked_by"] or pr.t("common.not_published")), status=pr.t(f"safeguards.q_status.{q['status']}"))
    if asked and view.ref is not None:
        n, unit = safeguards_metrics.time_unanswered(q["first_asked"], q["first_asked_precision"], view.ref)
        meta += " · " + pr.t(f"safeguards.questions.since_{q['status']}", span=pr.t(f"safeguards.questions.{unit}", n=pr.n(n)),
                             date=pr.date(view.ref))
    return meta


def localised_notes(safeguards, pr: Presenter) -> dict[str, str]:
    """safeguard id -> the curator's note in the reader's language (English where no translation)."""
    out = {}
    for r in safeguards.to_dict("records"):
        note = (text_or_none(r.get("note_zh")) if pr.zh else None) or text_or_none(r.get("note"))
        if note:
            out[r["id"]] = note
    return out


def matrix_html(view: SafeguardsView, pr: Presenter, notes: dict[str, str]) -> str:
    """The safeguards matrix: a table on a desktop, one card per safeguard on a phone, every cell
    labelled with its column there. Each row's sources close its first cell, as a disclosure that
    the keyboard reaches in reading order (a popover's links come at the end of the tab order)."""
    headers = [pr.t("safeguards.matrix.col.safeguard")] + [pr.t(f"safeguards.matrix.col.{c}") for c in safeguards_metrics.MATRIX_COLUMNS]
    rows = []
    for row in view.matrix:
        first = (f"<p><strong>{html.inline(escape.md(row.name))}</strong> "
                 f"<span class='hkc-badge {row.status}'>{html.inline(escape.md(pr.t(f'safeguards.status.{row.status}')))}</span></p>"
                 f"<p class='cap'>{html.inline(escape.md(pr.t('safeguards.matrix.expected') + ('' if pr.zh else ' ') + (row.expectation or '')))}</p>")
        if row.id in notes:
            first += f"<p class='cap'>{html.inline(escape.md(pr.t('present.note') + pr.t('present.label_sep') + notes[row.id]))}</p>"
        entries = [e for c in safeguards_metrics.MATRIX_COLUMNS for e in row.cells[c]]
        cites = [f"<p>{html.inline(entry_md(pr, e))}</p>" + html.citation(pr, e["source"], e.get("quote"), e.get("quote_lang"))
                 for e in entries] + [html.citation(pr, sid) for sid in row.guidance_sources]
        if cites:
            first += (f"<details><summary>{html.inline(escape.md(pr.t('present.sources_button', n=len(cites))))}</summary>"
                      + "<hr>".join(cites) + "</details>")
        rows.append([html.Html(first)] + [html.Html(html.block(matrix_cell(view, pr, row, c))) for c in safeguards_metrics.MATRIX_COLUMNS])
    return html.table(headers, rows, label_sep=pr.t("present.label_sep"), css_class="hkc-matrix")
