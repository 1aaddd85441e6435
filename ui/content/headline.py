"""The home page's headline numbers as words: label, value, captions and the records behind each.

The same metrics pages/progress.py shows with st.metric (labels, values and captions come from the
same catalogue keys and Presenter calls), as plain data, so the static edition prints them and a
test can hold the two side by side. Pure: no Streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from metrics import scenario
from metrics.views.progress import Headline, ProgressView
from ui.present import Presenter


@dataclass
class Metric:
    key: str  # stable name of the metric (police, system, target, percent, needed, recent, reach)
    label: str
    value: str
    captions: list[str] = field(default_factory=list)
    records: list = field(default_factory=list)  # every record the number comes from (the sources list)
    help: str | None = None
    delta: str | None = None


def _published(key: str, label_key: str, headline: Headline, pr: Presenter, extra: str | None = None,
               help_key: str | None = None) -> Metric:
    """A published number with its date, every disagreeing reading, and its sources."""
    help_text = pr.t(help_key) if help_key else None
    if headline.records.empty:
        return Metric(key, pr.t(label_key), pr.t("common.not_published"), help=help_text)
    first = headline.readings.iloc[0]
    m = Metric(key, pr.t(label_key), pr.number(first["value"], first["qualifier"], first["value_high"]), help=help_text,
               records=headline.records.to_dict("records"))
    m.captions.append(pr.t("progress.as_of", date=pr.as_of(first)))
    if len(headline.readings) > 1:
        others = " / ".join(pr.number(r["value"], r["qualifier"], r["value_high"]) for r in headline.readings.iloc[1:].to_dict("records"))
        m.captions.append(pr.t("progress.sources_differ", others=others))
    if extra:
        m.captions.append(extra)
    return m


def headline_metrics(view: ProgressView, pr: Presenter) -> list[Metric]:
    """The seven headline metrics, in the order the home page shows them."""
    not_published = pr.t("common.not_published")
    target, pace = view.target, view.pace
    out = [_published("police", "progress.headline.police", view.police, pr)]
    third = view.third.lead
    third_note = None if third is None else pr.t("progress.headline.third_party", value=pr.number(third["value"], third["qualifier"]),
                                                 date=pr.as_of(third))
    out.append(_published("system", "progress.headline.system", view.system, pr, extra=third_note,
                          help_key="progress.headline.system_help"))
    if target is None:
        out.append(Metric("target", pr.t("progress.headline.target"), not_published))
    else:
        out.append(Metric("target", pr.t("progress.headline.target"), pr.number(target["value"], target["qualifier"]),
                          [pr.t("progress.headline.target_by", date=pr.as_of(target), stated=pr.date(target["stated"]))],
                          view.target_records.to_dict("records")))
    if view.percent_police is None:
        out.append(Metric("percent", pr.t("progress.headline.percent"), not_published))
    else:
        caps = [pr.t("progress.headline.percent_police")]
        if view.percent_system is not None:
            caps.append(pr.t("progress.headline.percent_system", pct=pr.percent(view.percent_system)))
        out.append(Metric("percent", pr.t("progress.headline.percent"), pr.percent(view.percent_police), caps))

    target_n = pr.n(target["value"]) if target is not None else not_published
    needed_label = pr.t("progress.headline.needed", target=target_n)
    if view.need_months is None:
        out.append(Metric("needed", needed_label, not_published))
    else:
        value = pr.t("progress.per_month", n=pr.n(view.need)) if view.need is not None else pr.t("progress.deadline_passed")
        out.append(Metric("needed", needed_label, value,
                          [pr.t("progress.headline.needed_note", months=pr.n(view.need_months, 1), date=pr.as_of(target))]))
    if pace is None or pace.per_month is None:
        out.append(Metric("recent", pr.t("progress.headline.recent"), not_published))
    else:
        delta = pr.t("progress.headline.vs_needed", pct=pr.percent(pace.per_month / view.need * 100, 0)) if view.need else None
        out.append(Metric("recent", pr.t("progress.headline.recent"), pr.t("progress.per_month", n=pr.n(pace.per_month)),
                          [pr.t("progress.headline.recent_note", start=pr.number(pace.earlier["value"], pace.earlier["qualifier"]),
                                start_date=pr.as_of(pace.earlier), end=pr.number(pace.latest["value"], pace.latest["qualifier"]),
                                end_date=pr.as_of(pace.latest), months=pr.n(pace.months, 1))],
                          [pace.earlier.to_dict(), pace.latest.to_dict()], delta=delta))
    reach_label = pr.t("progress.headline.reach", target=target_n)
    if view.reach is None and pace is not None and (pace.per_month or 0) > 0:
        out.append(Metric("reach", reach_label, pr.t("progress.headline.reach_beyond", year=scenario.HORIZON.year)))
    elif view.reach is None:
        out.append(Metric("reach", reach_label, not_published))
    else:
        late = view.reach_years_late
        out.append(Metric("reach", reach_label, pr.date(view.reach, "month"),
                          [pr.t("progress.headline.reach_late" if late > 0 else "progress.headline.reach_early", years=pr.n(abs(late), 1))]))
    return out
