"""The home page's words built from its view model: the assumptions, conflicts, table columns (Markdown, escaped).

Pure (no Streamlit), so the static edition reads the same sentences as the app.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import progress
from metrics.views.progress import ProgressView
from ui import escape
from ui.present import Presenter, missing

RULE_TEXT = {"same_claim": "progress.conflicts.rule_claim", "same_period": "progress.conflicts.rule_period",
             "same_deadline": "progress.conflicts.rule_deadline", "capability_status": "progress.conflicts.rule_capability",
             "claimed_vs_denied": "progress.conflicts.rule_claimed", "contested": "progress.conflicts.rule_contested"}


def last_updated(view: ProgressView, pr: Presenter) -> str | None:
    if view.newest is None:
        return None
    lead = view.lead
    return pr.t("progress.last_updated", date=pr.date(view.newest, view.newest_precision),
                count_date=pr.as_of(lead) if lead is not None else pr.t("common.not_published"))


def assumptions(view: ProgressView, pr: Presenter) -> list[str]:
    """The rules behind the headline, with the records and dates they use (Markdown, data escaped)."""
    out = []
    lead, pace, target = view.lead, view.pace, view.target
    md = escape.md
    if lead is not None:
        out.append(pr.t("progress.assume.latest", value=md(pr.value(lead)), date=md(pr.as_of(lead)), n=len(view.police.records)))
    if pace is not None and pace.earlier is not None:
        out.append(pr.t("progress.assume.recent", start=md(pr.value(pace.earlier)), start_date=md(pr.as_of(pace.earlier)),
                        end=md(pr.value(pace.latest)), end_date=md(pr.as_of(pace.latest)), window=progress.PACE_WINDOW_MONTHS))
    if view.need is not None:
        out.append(pr.t("progress.assume.needed", target=pr.n(target["value"]), latest=pr.n(lead["value"]), date=md(pr.as_of(target)),
                        months=pr.n(view.need_months, 1)))
        if view.need_system is not None:
            out.append(pr.t("progress.assume.scope", system=pr.n(view.system.lead["value"]), need=pr.n(view.need_system)))
    out.append(pr.t("progress.assume.qualifiers"))
    if view.per_set:
        out.append(pr.t("progress.assume.sets", low=pr.n(view.per_set[0]), high=pr.n(view.per_set[1]),
                        source=md(pr.source_label(view.per_set_record["source"]))))
    else:
        out.append(pr.t("progress.assume.sets_unknown"))
    pop = view.population
    if pop is not None and pop.column == "population_2021":
        out.append(pr.t("progress.assume.population", total=pr.n(pop.total), year=pop.year))
    elif pop is not None:
        out.append(pr.t("progress.assume.population_fallback", total=pr.n(pop.total), year=pop.year,
                        missing=md(pr.districts(view.population_missing_2021))))
    else:
        out.append(pr.t("progress.assume.no_population"))
    return out


# --- conflicts ----------------------------------------------------------------------------------

@dataclass
class ConflictText:
    summary: str  # the expander label (escaped)
    rule: str  # why these records are a conflict
    headings: list[str]  # one per position ("Version n: …"), Markdown
    sides: list[list[str]]  # per position, one Markdown block per record


def _conflict_title(row, view: ProgressView, pr: Presenter) -> str:
    if row["rule"] == "contested":
        return pr.t("progress.conflicts.contested_title")
    caps = view.capabilities.set_index("id") if len(view.capabilities) else None
    if row["kind"] == "capability" and caps is not None and row["capability"] in caps.index:
        name = pr.localised(caps.loc[row["capability"]], "name") or row["capability"]
        return pr.label(f"progress.claim.{row['claim']}", name if row["rule"] == "claimed_vs_denied" else f"{name}: {row['claim']}")
    return pr.label(f"progress.claim.{row['claim']}", str(row["claim"]).replace("-", " "))


def _side_heading(side: dict, rule: str, pr: Presenter) -> str:
    if rule == "claimed_vs_denied":
        return pr.t("progress.conflicts.claimed" if side["status"] == "claimed" else "progress.conflicts.denied")
    if side.get("status") and "value" not in side:
        return pr.label(f"progress.status.{side['status']}", side["status"])
    if rule == "contested":  # same number, different category: the claim says which
        category = pr.label("progress.claim." + str(side["claim"]), side["claim"])
        return pr.t("progress.conflicts.qualified_side", value=pr.value(side), what=category)
    return pr.value(side)


def _side_markdown(side: dict, pr: Presenter) -> str:
    if "value" not in side:  # a capability event
        summary = pr.localised(side, "summary") or ""
        status = pr.label(f"progress.status.{side['status']}", side["status"])
        head = f"{escape.md(pr.date(side['date'], side['date_precision']))} · _{escape.md(status)}_: {escape.md(summary)}"
    elif missing(side["stated"]) and missing(side["as_of"]):
        head = pr.t("common.undated")
    else:
        head = pr.t("progress.conflicts.stated", date=escape.md(pr.date(side["stated"])), as_of=escape.md(pr.as_of(side)))
    return head + "\n\n" + pr.citation_md(side["source"], side["quote"], side["quote_lang"]) + pr.note_md(side)


def conflict_text(row, view: ProgressView, pr: Presenter) -> ConflictText:
    positions = sorted({s["position"] for s in row["sides"]})
    firsts = [next(s for s in row["sides"] if s["position"] == pos) for pos in positions]
    headings = [_side_heading(s, row["rule"], pr) for s in firsts]
    bases = [s.get("basis") for s in firsts]
    if len(set(bases)) > 1 and row["rule"] != "contested":  # same number, different scope: say which scope each side claims
        headings = [pr.t("progress.conflicts.qualified_side", value=h, what=pr.label(f"progress.scope.{b}", pr.basis(str(b))))
                    for h, b in zip(headings, bases)]
    summary = pr.t("progress.conflicts.summary", title=_conflict_title(row, view, pr), sides=" ≠ ".join(headings), n=len(row["sources"]))
    period = "" if missing(row["period_precision"]) else pr.date(row["period_start"], row["period_precision"])
    return ConflictText(
        summary=escape.md(summary),
        rule=pr.t(RULE_TEXT[row["rule"]], n=row["n_positions"], date=period),
        headings=[f"**{pr.t('progress.conflicts.side', n=pos)}: {escape.md(h)}**" for pos, h in zip(positions, headings)],
        sides=[[_side_markdown(s, pr) for s in row["sides"] if s["position"] == pos] for pos in positions],
    )


# --- tables -------------------------------------------------------------------------------------

def outcome_columns(view: ProgressView, pr: Presenter) -> dict:
    outs = view.outcomes
    notes = {"sets": pr.t("progress.outcomes.note_sets"), "no_count": pr.t("progress.outcomes.note_no_count")}
    return {
        pr.t("progress.col.what"): [pr.basis(b) for b in outs["basis"]],
        pr.t("progress.col.cameras"): [pr.n(c) if not missing(c) else "" for c in outs["cameras"]],
        pr.t("progress.col.per_1000_cameras"): [pr.n(v, 1) if not missing(v) else notes.get(n, "")
                                                for v, n in zip(outs["per_1000_cameras"], outs["rate_note"])],
    }


def cities_table(view: ProgressView, pr: Presenter) -> pd.DataFrame:
    rows = view.cities.sort_values(["year", "edition", "city_en"]).to_dict("records")
    return pd.DataFrame({
        pr.t("progress.col.edition"): [pr.label(f"progress.edition.{r['edition']}", r["edition"]) for r in rows],
        pr.t("progress.col.year"): [r["year"] for r in rows],
        pr.t("progress.col.city"): [(r["city_zh"] if pr.zh else None) or r["city_en"] for r in rows],
        pr.t("progress.col.cameras_city"): [r["cameras"] for r in rows],
        pr.t("progress.cities.per_1000"): [r["per_1000"] for r in rows],
        pr.t("progress.cities.per_km2"): [r["per_km2"] for r in rows],
        pr.t("progress.cities.per_sq_mi"): [r["per_sq_mi"] for r in rows],
        pr.t("progress.col.qualifier"): [pr.label(f"qualifier.{r['qualifier']}", r["qualifier"] or "")
                                         if r["qualifier"] not in (None, "exact") and not missing(r["qualifier"]) else "" for r in rows],
        pr.t("progress.col.source"): [pr.source_label(r["source"]) for r in rows],
        pr.t("progress.col.link"): [pr.source_url(r["source"]) for r in rows],
        pr.t("progress.col.quote"): [r["quote"] for r in rows],
        pr.t("present.note"): [pr.note_of(r) or "" for r in rows],
    })
