"""Map of known cameras and districts: filters and view in the URL, a district panel, uploads.

Layout only: what is drawn and how is decided in metrics/map_layers.py, uploads are read by
metrics/map_upload.py. The deck JSON is built once per (data, filters, view) and cached.
"""
import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from loaders import export
from loaders import schema as S
from loaders.geo import DistrictIndex
from metrics import map_layers as ML
from metrics import map_upload as MU
from ui import data_io, escape, fmt, layout, state
from ui.i18n import t

FILES = ("cameras_td.csv", "smartview_sites.yaml", "districts.csv", "district_census_2021.yaml",
         "geo/districts.geojson", "sources.yaml")
TABLE_COLUMNS = ["id", "description_en", "description_zh", "operator", "programme", "kind", "precision",
                 "district_code", "latitude", "longitude", "first_seen", "source"]
ALL = ML.ALL_DISTRICTS
CHART_HEIGHT = 600


def data_stamp(root) -> str:
    """Cache key for everything derived below: names, sizes and modification times of the data
    files. data_io.bundle() already hashed their bytes this run; a second hash would double
    the cost of every rerun at 60,000 cameras, and an edit always changes size or mtime_ns."""
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    return "|".join(f"{p.relative_to(root)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


lang = state.lang()
bundle = data_io.bundle()
sig = data_stamp(bundle.root)


@st.cache_data(show_spinner=False, max_entries=4)
def prepared_cameras(_bundle, signature: str) -> pd.DataFrame:
    return ML.prepare_cameras(_bundle["cameras"], _bundle["smartview_sites"], _bundle["sources"])


@st.cache_data(show_spinner=False, max_entries=32)
def map_json(_bundle, signature: str, flt: ML.CameraFilter, req: ML.MapRequest, _upload, upload_key: str | None):
    """(deck JSON, what was drawn): the expensive part, cached per data + filters + view."""
    cams = prepared_cameras(_bundle, signature)
    result = ML.build_map(ML.filter_cameras(cams, flt), ML.filter_cameras(cams, flt.without_district()),
                          _bundle["districts"], _bundle.geo, req,
                          upload=_upload.frame if _upload else None, upload_name=_upload.name if _upload else None)
    meta = {"drawn": result.drawn, "notices": result.notices, "shading": result.shading_breaks,
            "density": result.density_breaks, "located": result.located}
    return ML.to_json(result.spec), meta


@st.cache_data(show_spinner=False, max_entries=16)
def district_downloads(_frame: pd.DataFrame, signature: str, flt: ML.CameraFilter) -> tuple[bytes, bytes]:
    return export.to_csv_bytes(_frame, bom=True), export.to_geojson_bytes(_frame)


@st.cache_resource(show_spinner=False, max_entries=2)
def district_index(signature: str, _geo) -> DistrictIndex | None:  # read-only after construction
    return DistrictIndex(_geo) if _geo else None


def on_map_select(chart_key: str) -> None:
    """A click on the map becomes the district filter (runs before the script, so it may set it)."""
    event = st.session_state.get(chart_key)
    selection = event.get("selection") if event else None
    current = st.session_state.get("m_dist", ALL)
    code = ML.next_district(selection, None if current == ALL else current)
    st.session_state["m_dist"] = code or ALL


def on_district_pick() -> None:
    # A new chart key drops a stale click selection, which would otherwise dim other districts.
    st.session_state["m_deck_n"] = st.session_state.get("m_deck_n", 0) + 1


def chosen(values, options) -> tuple | None:
    """Pills -> filter: everything selected means no restriction (None)."""
    values = tuple(values or ())
    return None if set(values) >= set(options) else values


# ---------------------------------------------------------------- page frame

st.title(t("map.title", lang))
st.caption(t("map.intro", lang))
layout.problems_warning(bundle, lang, files=FILES)
cams_all = prepared_cameras(bundle, sig)
districts = bundle["districts"]

filters_box = st.container()
map_col, side_col = st.columns([3, 1], gap="medium")
panel_box = st.container()
upload_box = st.container()

# ---------------------------------------------------------------- filters (kept in the URL)
# Not bind="query-params": that writes each option's display label into the URL ("Yuen Long",
# "元朗區"), so a link would only work in the language it was made in and ?m_dist=E would be
# rejected. We keep codes in the URL instead: read it when a widget has no state yet (a shared
# link, or coming back to the page), write it after the widgets (see ML.url_from_state).

from_url = ML.state_from_url({k: st.query_params.get_all(k) for k in ML.URL_FIELDS})
for key, value in from_url.items():
    if key not in st.session_state:
        st.session_state[key] = value

with filters_box:
    c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
    names = ML.district_names(lang, districts) | {ALL: t("map.f_all_districts", lang)}
    code = c1.selectbox(t("map.f_district", lang), [ALL, *S.CODES], key="m_dist", format_func=names.get,
                        on_change=on_district_pick)
    active = ML.active_filters({k: st.session_state.get(k) for k in ML.URL_FIELDS})
    field_label = {"m_ops": "map.f_operator", "m_prog": "map.f_programme", "m_prec": "map.f_precision",
                   "m_from": "map.f_from", "m_to": "map.f_to", "m_undated": "map.f_undated"}
    c2.caption(t("map.filters_active", lang, fields="; ".join(t(field_label[k], lang) for k in active)) if active
               else t("map.filters_none", lang))
    with st.expander(t("map.filters", lang), expanded=bool(active)):
        ops = st.pills(t("map.f_operator", lang), S.OPERATORS, selection_mode="multi", wrap=True,
                       format_func=lambda o: t(f"map.operator.{o}", lang), key="m_ops")
        progs = st.pills(t("map.f_programme", lang), S.CAMERA_PROGRAMMES, selection_mode="multi", wrap=True,
                         format_func=lambda p: t(f"map.programme.{p}", lang), key="m_prog")
        precs = st.pills(t("map.f_precision", lang), S.CAMERA_PRECISIONS, selection_mode="multi", wrap=True,
                         format_func=lambda p: t(f"map.precision.{p}", lang), key="m_prec")
        c5, c6, c7 = st.columns([1, 1, 2], vertical_alignment="bottom")
        seen_from = c5.date_input(t("map.f_from", lang), min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31),
                                  format="YYYY-MM-DD", key="m_from")
        seen_to = c6.date_input(t("map.f_to", lang), min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31),
                                format="YYYY-MM-DD", key="m_to")
        undated = c7.checkbox(t("map.f_undated", lang), key="m_undated", help=t("map.f_undated_help", lang))

flt = ML.CameraFilter(operators=chosen(ops, S.OPERATORS), programmes=chosen(progs, S.CAMERA_PROGRAMMES),
                      precisions=chosen(precs, S.CAMERA_PRECISIONS), district=None if code == ALL else code,
                      seen_from=seen_from, seen_to=seen_to, include_undated=undated)

# ---------------------------------------------------------------- settings and upload (read before drawing)

with side_col:
    layers = st.pills(t("map.layers", lang), ML.LAYER_CHOICES, selection_mode="multi", wrap=True,
                      format_func=lambda k: t(f"map.layer.{k}", lang), key="m_layers")
    metric = st.radio(t("map.metric", lang), ML.METRICS, format_func=lambda m: t(f"map.metric.{m}", lang),
                      key="m_metric", disabled="shading" not in (layers or ()))
    tiles = st.toggle(t("map.tiles", lang), key="m_tiles", help=t("map.tiles_help", lang))

# The URL follows the widgets: codes for everything not at its default, nothing else.
to_url = ML.url_from_state({k: st.session_state.get(k) for k in ML.URL_FIELDS})
for key in ML.URL_FIELDS:
    if key in to_url:
        value = to_url[key]
        if st.query_params.get_all(key) != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]

with upload_box:
    st.subheader(t("map.upload", lang))
    st.caption(t("map.upload_help", lang))
    file = st.file_uploader(t("map.upload_label", lang), type=list(MU.ACCEPTED_TYPES), key="m_upload",
                            max_upload_size=20)
    upload = None
    if file is not None:
        held = st.session_state.get("m_upload_result")
        if held is None or held[0] != file.file_id:  # parse once per file, keep for this session only
            held = (file.file_id, MU.read_upload(file.getvalue(), file.name, district_index=district_index(sig, bundle.geo)))
            st.session_state["m_upload_result"] = held
        upload = held[1]
        if upload.ok:
            st.success(t("map.upload_ok", lang, n=fmt.number(len(upload.frame), lang), name=escape.md(upload.name)))
        else:
            st.error(t("map.upload_none", lang, name=escape.md(upload.name)))
        if upload.problems:
            lines = "\n".join(f"- {escape.md(str(p))}" for p in upload.problems[:50])
            more = f"\n- … (+{len(upload.problems) - 50})" if len(upload.problems) > 50 else ""
            st.warning(t("map.upload_problems", lang, n=len(upload.problems), name=escape.md(upload.name)) + "\n\n" + lines + more)
        if upload.ok and "upload" not in (layers or ()):
            st.info(t("map.upload_hidden", lang))
    else:
        st.session_state.pop("m_upload_result", None)

# ---------------------------------------------------------------- the map

req = ML.MapRequest(lang=lang, layers=frozenset(layers or ()), metric=metric or "known", tiles=bool(tiles), district=flt.district)
shown_upload = None
if upload is not None and upload.ok:
    shown_upload = MU.Upload(upload.name, upload.digest, MU.prepare_upload(upload))
spec_json, meta = map_json(bundle, sig, flt, req, shown_upload, shown_upload.digest if shown_upload else None)

with map_col:
    empty = [what for what, picked in ((t("map.f_operator", lang), flt.operators), (t("map.f_programme", lang), flt.programmes),
                                       (t("map.f_precision", lang), flt.precisions)) if picked == ()]
    for what in empty:
        st.info(t("map.f_empty_is_none", lang, what=what))
    drawn = meta["drawn"]
    if not empty and meta["located"] + drawn.get("cameras-district", 0) == 0 and "points" in req.layers:
        st.info(t("map.notice_no_cameras", lang))
    one_by_one = sum(v for k, v in drawn.items() if k in ("cameras-street", "cameras-td", "cameras-smartview", "cameras-other"))
    for key in meta["notices"]:
        st.info(t(key, lang, n=fmt.number(meta["located"], lang), limit=fmt.number(ML.POINT_LIMIT, lang)))
    chart_key = f"m_deck_{st.session_state.get('m_deck_n', 0)}"
    st.pydeck_chart(ML.PrebuiltDeck(spec_json, ML.TOOLTIP), height=CHART_HEIGHT, key=chart_key,
                    on_select=partial(on_map_select, chart_key), selection_mode="single-object", alt=t("map.chart_alt", lang))
    rings = fmt.number(drawn.get("cameras-district", 0), lang)
    if "density" in drawn and not one_by_one:
        st.caption(t("map.caption_drawn_density", lang, points=fmt.number(meta["located"], lang), rings=rings,
                     total=fmt.number(len(cams_all), lang)))
    else:
        st.caption(t("map.caption_drawn", lang, points=fmt.number(one_by_one, lang), rings=rings, total=fmt.number(len(cams_all), lang)))
    st.caption(t("map.click_hint", lang) + " " + t("map.caption_view", lang))


with side_col:
    st.html(ML.legend_html(lang, req, meta["shading"], meta["density"], has_upload=shown_upload is not None))

# ---------------------------------------------------------------- district panel

with panel_box:
    st.subheader(t("map.panel", lang))
    if flt.district is None:
        st.info(t("map.panel_pick", lang))
    else:
        in_district = ML.filter_cameras(cams_all, flt)
        table = ML.district_table(in_district, districts)
        row = table.loc[flt.district]
        name = row["name_zh"] if lang == "zh-Hant" else row["name_en"]
        st.markdown(f"### {escape.md(name)}")
        m = st.columns(6)
        pop21, pop19, area = row["population_2021"], row["population_2019"], row["area_km2"]
        np_text = t("common.not_published", lang)
        m[0].metric(t("map.panel_population", lang, year=2021), fmt.number(pop21, lang))
        if pop19 == pop19:
            m[1].metric(t("map.panel_population", lang, year=2019), fmt.number(pop19, lang))
        m[2].metric(t("map.panel_area", lang), fmt.number(area, lang, 1) if area == area else np_text)
        m[3].metric(t("map.panel_td", lang), fmt.number(row["td"], lang))
        m[4].metric(t("map.panel_smartview", lang), fmt.number(row["smartview"], lang))
        m[5].metric(t("map.panel_other", lang), fmt.number(row["other"], lang))
        st.caption(t("map.panel_known", lang) + ": " + fmt.number(row["known"], lang) + ". " + t("map.panel_filtered", lang))
        gaps = [t("map.np_smartview", lang, np=np_text), t("map.np_locations", lang, np=np_text)]
        if pop21 != pop21:
            gaps.append(t("map.np_population", lang, np=np_text))
        if area != area:
            gaps.append(t("map.np_area", lang, np=np_text))
        st.markdown(f"**{t('map.panel_not_published', lang)}**\n\n" + "\n".join(f"- {g}" for g in gaps))
        if shown_upload is not None:
            st.caption(t("map.panel_upload", lang, n=fmt.number(int(shown_upload.frame["district_code"].eq(flt.district).sum()), lang)))
        sites = bundle["smartview_sites"]
        sites = sites[sites["district_code"].eq(flt.district)] if len(sites) else sites
        if len(sites):
            with st.expander(t("map.panel_sites", lang, n=fmt.number(len(sites), lang))):
                for site in sites.itertuples(index=False):
                    site_name = site.name_zh if lang == "zh-Hant" and isinstance(site.name_zh, str) and site.name_zh else site.name_en
                    st.markdown(f"**{escape.md(site_name)}** · {t(f'map.precision.{site.precision}', lang)} · "
                                f"{t('map.tip_first_seen', lang, date=fmt.date(site.first_seen, site.first_seen_precision, lang))}")
                    st.markdown(layout.citation(bundle, site.source, lang, site.quote, site.quote_lang))
        source_ids = row.get("sources")
        if isinstance(source_ids, (list, tuple)) and source_ids:
            with st.expander(t("map.panel_sources", lang)):
                for sid in source_ids:
                    st.markdown(layout.citation(bundle, sid, lang))
        shown = in_district[TABLE_COLUMNS].sort_values("id").reset_index(drop=True)
        st.markdown(f"**{t('map.panel_table', lang, n=fmt.number(len(shown), lang))}**")
        st.dataframe(shown, hide_index=True, width="stretch", height=min(400, 38 + 35 * len(shown)))
        csv_bytes, geojson_bytes = district_downloads(shown, sig, flt)
        d1, d2, _ = st.columns([1, 1, 3])
        d1.download_button(t("map.panel_csv", lang), csv_bytes, file_name=f"cameras-district-{flt.district}.csv",
                           mime="text/csv", key="m_dl_csv", on_click="ignore")
        d2.download_button(t("map.panel_geojson", lang), geojson_bytes, file_name=f"cameras-district-{flt.district}.geojson",
                           mime="application/geo+json", key="m_dl_geojson", on_click="ignore")
        st.caption(t("map.panel_table_note", lang))
