"""Data & exports: the full package, an explorer with URL-bound filters, the catalogue, how to cite."""
import datetime as dt

import pandas as pd
import streamlit as st

from loaders import catalogue, citation, datapackage
from loaders.export import (generated_timestamp, to_csv_bytes, to_district_geojson_bytes, to_geojson_bytes, to_json_bytes,
                            to_xlsx_bytes)
from metrics import explorer
from ui import data_io, escape, fmt, state, url_state, versions
from ui.layout import problems_warning
from ui.i18n import t

DATE_MIN, DATE_MAX = dt.date(1980, 1, 1), dt.date(2100, 12, 31)  # wide enough for every date and target
# Widget keys (also the URL parameters) of the explorer's filters; "Clear filters" resets them.
FILTER_KEYS = ("d_q", "d_cols", "d_from", "d_to", "d_sort", "d_desc")
PER_COLUMN_PREFIXES = ("d_v_", "d_lo_", "d_hi_", "d_c_")

lang = state.lang()
bundle = data_io.bundle()
pr = data_io.presenter(bundle.signature, lang, bundle)
view = data_io.view("data", bundle, lang)
signature = bundle.signature
# Link values go through the one codec (ui/url_state), as on every page: each is used, corrected
# or named in a notice. The explorer's parameters depend on the table and the columns picked, so
# they are read in three steps, each just before the widgets it feeds.
link_spec = url_state.data_params(catalogue.DATASETS)
link_notices = state.seed_widgets(link_spec)


@st.cache_data(show_spinner=False, max_entries=2)
def _package_zip(sig: str, code_commit: str | None, _bundle) -> bytes:
    """Built on the first click (deferred download), then reused until the data or code changes."""
    pkg = datapackage.build(_bundle, generated_at=generated_timestamp(), commit=code_commit)
    return datapackage.to_zip(pkg)


@st.cache_data(show_spinner=False, max_entries=64)
def _export(sig: str, name: str, filters_key: str, kind: str, _rows: pd.DataFrame, _geo) -> bytes:
    dataset = name.split(":")[-1]  # "figures", or "sources" for the sources cited by the figures shown
    if kind == "csv":
        return to_csv_bytes(_rows, dataset=dataset)
    if kind == "csv_bom":
        return to_csv_bytes(_rows, bom=True, dataset=dataset)
    if kind == "xlsx":
        return to_xlsx_bytes(_rows, dataset=dataset)
    if kind == "json":
        return to_json_bytes(_rows)
    if kind == "points":
        return to_geojson_bytes(_rows)
    return to_district_geojson_bytes(_rows, _geo)


def _reset_filters() -> None:
    """Back to the unfiltered table (also when the dataset changes: columns differ between datasets)."""
    for key in list(st.session_state):
        if key.startswith(PER_COLUMN_PREFIXES) or key in FILTER_KEYS:
            default = {"d_q": "", "d_cols": [], "d_desc": False}.get(key)
            if key.startswith("d_v_"):
                default = []
            elif key.startswith("d_c_"):
                default = ""
            st.session_state[key] = default


version, infos = view.version, view.infos
commit = citation.git_commit()

# --- header: version and the one-click package ---------------------------------------------------
st.title(t("nav.data", lang))
st.caption(t("data.intro", lang))
problems_warning(bundle, pr)
st.markdown(t("data.version", lang, version=version.label, date=fmt.date(version.newest_as_of, "day", lang),
              hash=version.data_hash, commit=commit[:12] if commit else t("data.commit_unknown", lang)))
st.download_button(t("data.package_button", lang), data=lambda: _package_zip(signature, commit, bundle),
                   file_name=f"hk-cctv-watch-data_{version.label}.zip", mime="application/zip",
                   type="primary", icon=":material/download:", key="d_dl_zip", on_click="ignore")
st.caption(t("data.package_help", lang))

tab_explore, tab_catalogue, tab_cite, tab_versions = st.tabs([t("data.tab_explore", lang), t("data.tab_catalogue", lang),
                                                               t("data.tab_cite", lang), t("changes.tab", lang)])
with tab_versions:
    versions.versions_tab(pr, bundle)

# --- explorer -------------------------------------------------------------------------------------
with tab_explore:
    notice_box = st.container()
    c_ds, c_q = st.columns([1, 2])
    name = c_ds.selectbox(t("data.dataset", lang), catalogue.DATASETS, key="d_ds", on_change=_reset_filters)
    query = c_q.text_input(t("data.search", lang), key="d_q", placeholder=t("data.search_placeholder", lang))
    info = infos[name]
    frame = bundle[name]
    st.caption(t(f"data.ds.{name}.desc", lang))

    kinds = explorer.filter_kinds(frame, {c.name: c.kind for c in info.columns})
    date_cols = [c for c, k in kinds.items() if k == "date"]
    table_spec = url_state.data_table_params(date_cols, [c for c, k in kinds.items() if k != "date"], list(frame.columns))
    link_notices += state.seed_widgets(table_spec)
    date_col = date_from = date_to = None
    if date_cols:
        c1, c2, c3 = st.columns(3)
        date_col = c1.selectbox(t("data.date_column", lang), date_cols, key="d_dcol")
        date_from = c2.date_input(t("data.date_from", lang), value=None, min_value=DATE_MIN, max_value=DATE_MAX,
                                  key="d_from", format="YYYY-MM-DD")
        date_to = c3.date_input(t("data.date_to", lang), value=None, min_value=DATE_MIN, max_value=DATE_MAX,
                                key="d_to", format="YYYY-MM-DD")
        if date_from or date_to:
            st.caption(t("data.date_note", lang))

    c_cols, c_sort, c_desc = st.columns([2, 1, 1], vertical_alignment="bottom")
    chosen = c_cols.multiselect(t("data.filter_columns", lang), [c for c, k in kinds.items() if k != "date"],
                                key="d_cols", placeholder=t("data.filter_columns_placeholder", lang))
    sort_by = c_sort.selectbox(t("data.sort_by", lang), list(frame.columns), index=None, key="d_sort",
                               placeholder=t("data.sort_none", lang))
    descending = c_desc.toggle(t("data.descending", lang), key="d_desc")

    col_types = {c.name: c.type for c in info.columns}
    column_spec = url_state.data_column_params({col: (kinds[col], explorer.value_options(frame[col]) if kinds[col] == "values"
                                                      else col_types.get(col) == "integer") for col in chosen})
    link_notices += state.seed_widgets(column_spec)
    values, ranges, contains = [], [], []
    for col in chosen:
        kind = kinds[col]
        if kind == "values":
            picked = st.multiselect(t("data.values_of", lang, column=col), explorer.value_options(frame[col]),
                                    key=f"d_v_{col}", placeholder=t("data.values_placeholder", lang))
            values.append((col, tuple(picked)))
        elif kind == "range":
            lo_col, hi_col = st.columns(2)
            extra = {"step": 1} if col_types.get(col) == "integer" else {}
            low = lo_col.number_input(t("data.min_of", lang, column=col), value=None, key=f"d_lo_{col}", **extra)
            high = hi_col.number_input(t("data.max_of", lang, column=col), value=None, key=f"d_hi_{col}", **extra)
            ranges.append((col, low, high))
        else:
            text = st.text_input(t("data.contains_of", lang, column=col), key=f"d_c_{col}")
            contains.append((col, text))
    link_notices += state.leftover_params(url_state.DATA_PREFIX, (link_spec, table_spec, column_spec))
    for spec in (link_spec, table_spec, column_spec):
        state.write_url(spec)
    with notice_box:
        state.show_notices(link_notices, url_state.merged("data", link_spec, table_spec, column_spec), lang)

    filters = explorer.Filters(query=query or "", values=tuple(values), ranges=tuple(ranges), contains=tuple(contains),
                               date_column=date_col, date_from=date_from, date_to=date_to,
                               sort_by=sort_by, descending=bool(descending))
    shown = explorer.apply(frame, filters)

    c_count, c_reset = st.columns([4, 1], vertical_alignment="center")
    c_count.markdown(t("data.showing", lang, shown=fmt.number(len(shown), lang), total=fmt.number(len(frame), lang)))
    c_reset.button(t("data.reset", lang), on_click=_reset_filters, disabled=not (filters.active or sort_by or descending),
                   key="d_reset", width="stretch")
    if shown.empty:
        st.info(t("data.no_rows", lang))
    config = {c.name: st.column_config.DateColumn(c.name, format="YYYY-MM-DD") for c in info.columns if c.kind == "date"}
    config |= {c.name: st.column_config.LinkColumn(c.name) for c in info.columns if c.kind == "url"}
    st.dataframe(explorer.display_frame(shown), hide_index=True, width="stretch", height=460 if len(shown) > 10 else "auto",
                 column_config=config, key="d_table")
    st.caption(t("data.grid_note", lang))

    st.header(t("data.download_heading", lang))
    stem = f"hk-cctv-watch_{name}_{version.label}" + ("_filtered" if filters.active else "")
    fkey = repr(filters)
    # No help tooltips on these buttons: the caption below explains them (a tooltip adds a second
    # <button> inside stDownloadButton, which the browser suite's download helper clicks).
    buttons = [("csv", "data.dl_csv", ".csv", "text/csv"), ("csv_bom", "data.dl_csv_bom", "_excel.csv", "text/csv"),
               ("xlsx", "data.dl_xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
               ("json", "data.dl_json", ".json", "application/json")]
    if info.geographic:
        buttons.append((info.geographic, "data.dl_geojson", ".geojson", "application/geo+json"))
    for slot, (kind, label, suffix, mime) in zip(st.columns(len(buttons)), buttons):
        # The workbook is built on the click (about 20 s at 60,000 rows); the text formats at once.
        data = ((lambda kind=kind: _export(signature, name, fkey, kind, shown, bundle.geo)) if kind == "xlsx"
                else _export(signature, name, fkey, kind, shown, bundle.geo))
        slot.download_button(t(label, lang), data=data,
                             file_name=stem + suffix, mime=mime, key=f"d_dl_{kind}", on_click="ignore",
                             icon=":material/download:", width="stretch")
    source_cols = [c.name for c in info.columns if c.ref == "sources"]
    if source_cols:
        # Provenance beside the rows: the sources table restricted to what these rows cite.
        cited = explorer.cited_sources(shown, source_cols, bundle["sources"])
        st.download_button(t("data.dl_sources", lang, n=len(cited)),
                           data=_export(signature, f"{name}:sources", fkey, "csv", cited, None),
                           file_name=f"hk-cctv-watch_{name}_sources_{version.label}.csv", mime="text/csv",
                           key="d_dl_sources", on_click="ignore", icon=":material/download:")
        st.caption(t("data.dl_sources_help", lang))
    st.caption(t("data.download_note", lang))

# --- catalogue ------------------------------------------------------------------------------------
with tab_catalogue:
    st.caption(t("data.catalogue_intro", lang))
    geo, summary = view.geo, view.summary
    table = pd.DataFrame({
        t("data.col_dataset", lang): summary["dataset"],
        t("data.col_title", lang): summary["dataset"].map(lambda n: t(f"data.ds.{n}", lang)),
        t("data.col_rows", lang): summary["rows"].map(lambda n: fmt.number(n, lang)),
        t("data.col_dates", lang): [f"{c}: {a} – {b}" if isinstance(c, str) and c else t("data.no_dates", lang)
                                    for c, a, b in zip(summary["date_column"], summary["first"], summary["last"])],
        t("data.col_updated", lang): summary["last_updated"].map(lambda d: fmt.date(d, "day", lang) if pd.notna(d) else "—"),
        t("data.col_sources", lang): summary["sources"].map(lambda n: "—" if pd.isna(n) else fmt.number(n, lang)),
        t("data.col_licences", lang): summary["licences"],
        t("data.col_files", lang): summary["files"],
    })
    st.dataframe(table, hide_index=True, width="stretch", height="content", key="d_catalogue")
    st.caption(t("data.field_descriptions_lang", lang) + " " + t("data.quotes_note", lang))

    col_names = {"column": "data.col_column", "type": "data.col_type", "required": "data.col_required",
                 "unit": "data.col_unit", "description": "data.col_description", "allowed values": "data.col_allowed"}
    sources = bundle["sources"]
    for i in infos.values():
        with st.expander(f"{i.name} · {t(f'data.ds.{i.name}', lang)} ({fmt.number(i.rows, lang)})"):
            st.markdown(t(f"data.ds.{i.name}.desc", lang))
            st.caption(t("data.rows_files", lang, rows=fmt.number(i.rows, lang), files=", ".join(i.files)))
            st.markdown(f"[{t('data.open_in_explorer', lang, name=i.name)}](?d_ds={i.name}&lang={lang})")
            st.markdown(f"**{t('data.columns_heading', lang)}**")
            table = catalogue.columns_table(i).rename(columns={k: t(v, lang) for k, v in col_names.items()})
            st.dataframe(table, hide_index=True, width="stretch", height="content")
            if i.date_ranges:
                st.markdown(f"**{t('data.date_ranges_heading', lang)}**: " +
                            "; ".join(f"`{c}` {a} – {b}" for c, (a, b) in i.date_ranges.items()))
            st.markdown(f"**{t('data.licences_heading', lang)}**")
            st.markdown("\n".join(f"- {escape.md(lic['title'])}" for lic in i.licences))
            if i.derived_from:
                st.markdown(f"**{t('data.derived_heading', lang)}**")
                st.markdown("\n".join(f"- {escape.md(d)}" for d in i.derived_from))
            if i.source_ids:
                st.markdown(f"**{t('data.sources_heading', lang, n=len(i.source_ids))}**")
                cited = sources[sources["id"].isin(i.source_ids)][["id", "publisher", "title", "published", "url"]]
                st.dataframe(cited.rename(columns={"id": t("data.col_id", lang), "publisher": t("data.col_publisher", lang),
                                                   "title": t("data.col_source_title", lang), "published": t("data.col_published", lang),
                                                   "url": t("data.col_url", lang)}),
                             hide_index=True, width="stretch",
                             column_config={t("data.col_url", lang): st.column_config.LinkColumn(t("data.col_url", lang))})
    with st.expander(f"{geo['name']} · {t('data.ds.district_boundaries', lang)}"):
        st.markdown(t("data.ds.district_boundaries.desc", lang))
        st.caption(t("data.features", lang, n=geo["features"]) + f" · {geo['file']}")
        st.markdown("\n".join(f"- {escape.md(lic['title'])}" for lic in geo["licences"]))
        st.markdown("\n".join(f"- {escape.md(d)}" for d in geo["derived_from"]))

# --- how to cite ----------------------------------------------------------------------------------
with tab_cite:
    st.caption(t("data.cite_intro", lang))
    st.header(t("data.cite_dashboard", lang))
    st.caption(t("data.cite_plain", lang))
    st.code(citation.dashboard_citation(version, commit), language=None, wrap_lines=True)
    st.caption(t("data.cite_bibtex", lang))
    st.code(citation.dashboard_bibtex(version, commit), language="bibtex", wrap_lines=True)
    st.header(t("data.cite_dataset", lang))
    cite_name = st.selectbox(t("data.dataset", lang), catalogue.DATASETS, key="d_cite")
    ci = infos[cite_name]
    st.caption(t("data.cite_plain", lang))
    st.code(citation.dataset_citation(ci.name, ci.title, version, ci.derived_from), language=None, wrap_lines=True)
    st.caption(t("data.cite_bibtex", lang))
    st.code(citation.dataset_bibtex(ci.name, ci.title, version, ci.derived_from), language="bibtex", wrap_lines=True)
