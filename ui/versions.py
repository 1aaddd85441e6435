"""What changed, for a returning reader: the home page's "What's new" and the Data page's versions tab."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders import changes
from loaders.datasets import Bundle
from ui import data_io, escape
from ui.present import Presenter

WHATS_NEW_DATASETS = ("figures", "sources", "phases", "capabilities", "capability_events", "safeguards",
                      "safeguard_entries", "open_questions", "freshness")
RECORD_LINK = "?d_ds={dataset}&d_q={id}&lang={lang}"  # the Data page's explorer, filtered to the record


def _version_date(pr: Presenter, v: changes.Version) -> str:
    return pr.date(v.recorded[:10]) if v.recorded else pr.t("changes.not_recorded")


def whats_new(pr: Presenter, loaded: Bundle, n: int = 8) -> None:
    """The newest record changes, newest first, each with its version's date and a link to the record."""
    tl = data_io.timeline(loaded)
    rows = changes.latest_changes(n, datasets=WHATS_NEW_DATASETS, tl=tl)
    st.subheader(pr.t("changes.whats_new"))
    if rows.empty:
        st.caption(pr.t("changes.none"))
        return
    by_label = {v.label: v for v in tl.versions}
    summary = "summary_zh" if pr.zh else "summary_en"
    lines = []
    for r in rows.to_dict("records"):
        link = "data" + RECORD_LINK.format(dataset=r["dataset"], id=r["id"], lang=pr.lang)
        when = _version_date(pr, by_label[r["version"]])
        lines.append(f"- **{escape.md(when)}** · {escape.md(r[summary])} [{pr.t('changes.open_record')}]({link})")
    st.markdown("\n".join(lines))
    st.caption(pr.t("changes.more"))


def versions_tab(pr: Presenter, loaded: Bundle) -> None:
    """Every data version; the records as of any of them; the difference between two as CSV."""
    tl = data_io.timeline(loaded)
    history = changes.history_signature()
    st.caption(pr.t("changes.versions_intro"))
    table = pd.DataFrame({
        pr.t("changes.col.version"): [v.label for v in tl.versions],
        pr.t("changes.col.recorded"): [_version_date(pr, v) for v in tl.versions],
        pr.t("changes.col.added"): [v.added for v in tl.versions],
        pr.t("changes.col.changed"): [v.changed for v in tl.versions],
        pr.t("changes.col.removed"): [v.removed for v in tl.versions],
    }).iloc[::-1]
    st.dataframe(table, hide_index=True, width="stretch", key="d_versions")
    labels = [v.label for v in tl.versions][::-1]
    root = str(loaded.root)
    c1, c2 = st.columns(2)
    one = c1.selectbox(pr.t("changes.records_as_of"), labels, key="d_ver")
    c1.download_button(pr.t("changes.download_records"), data=lambda: data_io.version_zip(loaded.signature, history, one, root),
                       file_name=f"hk-cctv-watch-records_{one}.zip", mime="application/zip", key="d_dl_ver",
                       on_click="ignore", icon=":material/download:")
    if len(labels) > 1:
        old = c2.selectbox(pr.t("changes.diff_from"), labels, index=1, key="d_ver_old")
        new = c2.selectbox(pr.t("changes.diff_to"), labels, index=0, key="d_ver_new")
        c2.download_button(pr.t("changes.download_diff"),
                           data=lambda: data_io.version_diff_csv(loaded.signature, history, old, new, root),
                           file_name=f"hk-cctv-watch-changes_{old}_to_{new}.csv", mime="text/csv", key="d_dl_diff",
                           on_click="ignore", icon=":material/download:")
    st.caption(pr.t("changes.diff_help"))
