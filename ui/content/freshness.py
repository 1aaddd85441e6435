"""How fresh the record is, in words: the checked date beside the newest figure, and each open matter."""
from __future__ import annotations

from metrics.freshness import Freshness, OpenMatter, PhaseStart, phase_start
from ui import escape
from ui.present import Presenter


def checked_line(fr: Freshness, pr: Presenter) -> str | None:
    """'Sources last checked 30 Nov 2026; newest figure 24 Feb 2026' (None when nothing records a check)."""
    if fr.checked is None:
        return None
    return pr.t("freshness.checked", checked=pr.date(fr.checked), newest=pr.date(fr.newest_figure))


def nothing_later(fr: Freshness, pr: Presenter) -> str | None:
    return pr.t("freshness.nothing_later", date=pr.date(fr.checked)) if fr.nothing_later else None


def matter_md(m: OpenMatter, pr: Presenter) -> str:
    """An open matter: what it is, its last published statement, and the search that found nothing later."""
    parts = [f"**{escape.md(m.title)}**"]
    if m.statement:
        parts.append(escape.md(m.statement))
    if m.last_date is not None:
        parts.append(pr.t("freshness.matter.last", date=pr.date(m.last_date), source=escape.md(pr.source_label(m.last_source))))
    if m.status == "no_later_source" and m.checked is not None:
        parts.append(f"_{pr.t('freshness.nothing_later', date=pr.date(m.checked))}_")
    elif m.status == "answered":
        parts.append(pr.t("freshness.matter.answered", date=pr.date(m.last_date)))
    return "  \n".join(parts)


def matter_citation_md(m: OpenMatter, pr: Presenter) -> str:
    return pr.citation_md(m.last_source, m.quote, m.quote_lang) if m.last_source else ""


def phase_status(phase: dict, status: str, fr: Freshness, pr: Presenter) -> str:
    """A phase's status as sources support it: a planned start that no source confirms is not 'under way'."""
    start: PhaseStart = phase_start(phase, fr.checked)
    if status == "current" and start.state == "not_confirmed":
        return pr.t("freshness.phase.start_not_confirmed", date=pr.date(start.start, "month"))
    if status == "future":
        return pr.t("freshness.phase.planned", date=pr.date(start.start, "month"))
    return pr.t(f"phases.status.{status}")
