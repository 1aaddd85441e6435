"""Map of known cameras and districts: filters and view in the link, a district panel, uploads.

Layout only: which cameras pass the filters is metrics/map_stats.py, what is drawn and how is
ui/charts/map_deck.py, uploads are read by metrics/map_upload.py. Filters, district and layers live
in the link as codes (ui/url_state.MAP). The deck JSON is built once per (data, filters, view).
"""
from functools import partial

import pandas as pd
import streamlit as st

from loaders import export
from loaders import schema
from metrics import map_stats as stats
from metrics import map_upload as uploads
from metrics.views.map import TABLE_COLUMNS
from ui import basemap, data_io, escape, layout, state, url_state
from ui.charts import map_deck as deck
from ui.content import map as words
from ui.layout import problems_warning

FILES = ("cameras_td.csv", "smartview_sites.yaml", "districts.csv", "district_census_2021.yaml",
         "geo/districts.geojson", "sources.yaml")
ALL = url_state.ALL_DISTRICTS
CHART_HEIGHT = 520  # desktop; phones draw it deck.FIT_HEIGHT tall (PHONE_CSS)
# On a phone a 520-px map fills the screen and a finger on it pans the map instead of the page.
PHONE_CSS = ("<style>@media (max-width: 640px) {"
             f" .st-key-m_map_box [data-testid=stDeckGlJsonChart] {{ height: {deck.FIT_HEIGHT}px !important; }}"
             " .st-key-m_map_box [data-testid=stFullScreenFrame] { height: auto !important; }"
             " .st-key-m_map_box [data-testid=stElementContainer] { height: auto !important; flex: 0 0 auto !important; }"
             " }</style>")
FILTER_LABELS = {"m_ops": "map.f_operator", "m_prog": "map.f_programme", "m_prec": "map.f_precision",
                 "m_from": "map.f_from", "m_to": "map.f_to", "m_undated": "map.f_undated"}

lang = state.lang()
bundle = data_io.bundle()
pr = data_io.presenter(bundle.signature, lang, bundle)
view = data_io.view("map", bundle, lang)
notices = state.seed_widgets(url_state.MAP)


@st.cache_data(show_spinner=False, max_entries=32)
def map_json(signature: str, flt: stats.CameraFilter, req: deck.MapRequest, upload_key: str | None, _view, _upload):
    """(deck JSON, what was drawn): the expensive part, cached per data + filters + view (+ upload)."""
    cams = _view.cameras
    result = deck.build_map(stats.filter_cameras(cams, flt), stats.filter_cameras(cams, flt.without_district()),
                            _view.districts, _view.geo, req,
                            upload=_upload.frame if _upload else None, upload_name=_upload.name if _upload else None)
    meta = {"drawn": result.drawn, "notices": result.notices, "shading": result.shading_breaks,
            "density": result.density_breaks, "located": result.located}
    return deck.to_json(result.spec), meta


@st.cache_data(show_spinner=False, max_entries=16)
def district_downloads(signature: str, flt: stats.CameraFilter, _frame: pd.DataFrame) -> tuple[bytes, bytes]:
    return export.to_csv_bytes(_frame, bom=True), export.to_geojson_bytes(_frame)


def fresh_chart() -> None:
    """Draw the map under a new key, without the click selection.

    While a deck chart holds a selection, Streamlit 1.67 fades every object but the selected one
    (alpha 102 of 255), the chosen district's own cameras included. The selection has done its
    job once it is the district filter, so the map is drawn again without it.
    """
    st.session_state["m_deck_n"] = st.session_state.get("m_deck_n", 0) + 1


def on_map_select(chart_key: str) -> None:
    """A click on the map becomes the district filter (runs before the script, so it may set it)."""
    event = st.session_state.get(chart_key)
    current = st.session_state.get("m_dist", ALL)
    code = stats.next_district(event.get("selection") if event else None, None if current == ALL else current)
    st.session_state["m_dist"] = code or ALL
    fresh_chart()


def show_only_on_first_tap(key: str, options) -> None:
    """Pills start with everything shown; a first tap shows only the tapped choice, not everything
    but it (what readers expect of a filter). Later taps add or remove; emptying shows all again."""
    new, before = list(st.session_state.get(key) or []), st.session_state.get(f"_before_{key}")
    if before is not None and set(before) >= set(options) and len(new) == len(options) - 1:
        st.session_state[key] = [o for o in options if o not in new]
    elif not new:
        st.session_state[key] = list(options)


def chosen(values, options) -> tuple | None:
    """Pills -> filter: everything selected means no restriction (None)."""
    values = tuple(values or ())
    return None if set(values) >= set(options) else values


# ---------------------------------------------------------------- page frame
st.title(pr.t("map.title"))
st.caption(pr.t("map.intro"))
state.show_notices(notices, url_state.MAP, lang)
problems_warning(bundle, pr, files=FILES)
st.html(PHONE_CSS)
filters_box = st.container()
map_col, side_col = st.columns([3, 1], gap="medium")
panel_box, upload_box = st.container(), st.container()

with filters_box:
    c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
    names = deck.district_names(lang, view.districts) | {ALL: pr.t("map.f_all_districts")}
    code = c1.selectbox(pr.t("map.f_district"), [ALL, *schema.CODES], key="m_dist", format_func=names.get, on_change=fresh_chart)
    active = url_state.active_map_filters({p.key: st.session_state.get(p.key) for p in url_state.MAP.params})
    count_box = c2.empty()  # "Showing 576 of 591 known cameras", once the filters are read
    with st.expander(pr.t("map.filters"), expanded=bool(active)):
        st.caption(pr.t("map.pills_hint"))
        pills = {}
        for key, options, label, labels in (("m_ops", schema.OPERATORS, "map.f_operator", "map.operator"),
                                            ("m_prog", schema.CAMERA_PROGRAMMES, "map.f_programme", "map.programme"),
                                            ("m_prec", schema.CAMERA_PRECISIONS, "map.f_precision", "map.precision")):
            pills[key] = st.pills(pr.t(label), options, selection_mode="multi", wrap=True, key=key,
                                  format_func=lambda o, labels=labels: pr.t(f"{labels}.{o}"),
                                  on_change=show_only_on_first_tap, args=(key, options))
            st.session_state[f"_before_{key}"] = list(pills[key] or [])
        ops, progs, precs = pills["m_ops"], pills["m_prog"], pills["m_prec"]
        c5, c6, c7 = st.columns([1, 1, 2], vertical_alignment="bottom")
        lo, hi = url_state.MAP_DATES
        seen_from = c5.date_input(pr.t("map.f_from"), min_value=lo, max_value=hi, format="YYYY-MM-DD", key="m_from")
        seen_to = c6.date_input(pr.t("map.f_to"), min_value=lo, max_value=hi, format="YYYY-MM-DD", key="m_to")
        undated = c7.checkbox(pr.t("map.f_undated"), key="m_undated", help=pr.t("map.f_undated_help"))

flt = stats.CameraFilter(operators=chosen(ops, schema.OPERATORS), programmes=chosen(progs, schema.CAMERA_PROGRAMMES),
                         precisions=chosen(precs, schema.CAMERA_PRECISIONS), district=None if code == ALL else code,
                         seen_from=seen_from, seen_to=seen_to, include_undated=undated)
in_view = stats.filter_cameras(view.cameras, flt)
count_box.caption(words.shown_count(len(in_view), len(view.cameras), [pr.t(FILTER_LABELS[k]) for k in active], pr))

# ---------------------------------------------------------------- settings and upload (read before drawing)
with side_col:
    layers = st.pills(pr.t("map.layers"), url_state.MAP_LAYERS, selection_mode="multi", wrap=True,
                      format_func=lambda k: pr.t(f"map.layer.{k}"), key="m_layers")
    metric = st.radio(pr.t("map.metric"), url_state.MAP_METRICS, format_func=lambda m: pr.t(f"map.metric.{m}"),
                      key="m_metric", disabled="shading" not in (layers or ()))
    reachable = basemap.tiles_reachable()
    if reachable:
        tiles = st.toggle(pr.t("map.tiles"), key="m_tiles", help=pr.t("map.tiles_help"))
    else:  # nothing to switch on: say what is drawn instead (the link keeps the reader's choice)
        tiles = False
        st.caption(pr.t("map.tiles_offline"))
state.write_url(url_state.MAP)
if not reachable:
    # Not drawn, so not a widget: left in the session it would look like a drawn map page to
    # state.seed_widgets when the reader comes back (the link still carries the choice).
    st.session_state.pop("m_tiles", None)

with upload_box:
    st.subheader(pr.t("map.upload"))
    st.caption(pr.t("map.upload_help"))
    layout.uploader_text(pr, 20, tuple(uploads.ACCEPTED_TYPES))
    file = st.file_uploader(pr.t("map.upload_label"), type=list(uploads.ACCEPTED_TYPES), key="m_upload", max_upload_size=20)
    upload = None
    if file is not None:
        held = st.session_state.get("m_upload_result")
        if held is None or held[0] != file.file_id:  # parse once per file, keep for this session only
            uploads.discard(held[1] if held else None)  # the previous file's rows go before the next is read
            held = (file.file_id, uploads.read_upload(file.getvalue(), file.name, district_index=view.index))
            st.session_state["m_upload_result"] = held
            uploads.release_memory()
        upload = held[1]
        if upload.ok:
            st.success(pr.t("map.upload_ok", n=pr.n(len(upload.frame)), name=escape.md(upload.name)))
        else:
            st.error(pr.t("map.upload_none", name=escape.md(upload.name)))
        if upload.positions_only:
            st.info(pr.t("serve.upload_positions_only", limit=pr.n(uploads.DETAIL_ROWS)))
        for found, count, key, box in ((upload.problems, upload.problem_count, "map.upload_problems", st.warning),
                                       (upload.notes, upload.note_count, "map.upload_notes", st.info)):
            if found:
                lines = "\n".join(f"- {escape.md(str(p))}" for p in found[:50])
                more = f"\n- … (+{pr.n(count - 50)})" if count > 50 else ""
                box(pr.t(key, n=count, name=escape.md(upload.name)) + "\n\n" + lines + more)
        if upload.ok and "upload" not in (layers or ()):
            st.info(pr.t("map.upload_hidden"))
    elif (cleared := st.session_state.pop("m_upload_result", None)) is not None:
        uploads.discard(cleared[1])  # the reader cleared the upload: its rows go, and the memory back to the system
        uploads.release_memory()
    # Streamlit keeps a page's globals from earlier runs reachable for a while (uploads.discard says
    # why): the file's bytes must not be among them.
    del file

# ---------------------------------------------------------------- the map
req = deck.MapRequest(lang=lang, layers=frozenset(layers or ()), metric=metric or "known", tiles=bool(tiles) and reachable,
                     district=flt.district, phone=layout.on_phone())
shown_upload = None
if upload is not None and upload.ok:
    shown_upload = uploads.for_map(upload)
spec_json, meta = map_json(bundle.signature, flt, req, shown_upload.digest if shown_upload else None, view, shown_upload)

with map_col:
    empty = [pr.t(key) for key, picked in (("map.f_operator", flt.operators), ("map.f_programme", flt.programmes),
                                           ("map.f_precision", flt.precisions)) if picked == ()]
    for what in empty:
        st.info(pr.t("map.f_empty_is_none", what=what))
    drawn = meta["drawn"]
    if not empty and meta["located"] + drawn.get("cameras-district", 0) == 0 and "points" in req.layers:
        st.info(pr.t("map.notice_no_cameras"))
    one_by_one = sum(v for k, v in drawn.items() if k in ("cameras-street", "cameras-td", "cameras-smartview", "cameras-other"))
    for key in meta["notices"]:
        st.info(pr.t(key, n=pr.n(meta["located"]), limit=pr.n(stats.POINT_LIMIT)))
    chart_key = f"m_deck_{st.session_state.get('m_deck_n', 0)}"
    with st.container(key="m_map_box"):
        st.pydeck_chart(deck.PrebuiltDeck(spec_json, deck.TOOLTIP), height=CHART_HEIGHT, key=chart_key,
                        on_select=partial(on_map_select, chart_key), selection_mode="single-object", alt=pr.t("map.chart_alt"))
    rings, total = pr.count(drawn.get("cameras-district", 0), "camera"), pr.count(len(view.cameras), "camera")
    if "density" in drawn and not one_by_one:
        st.caption(pr.t("map.caption_drawn_density", points=pr.count(meta["located"], "camera"), rings=rings, total=total))
    else:
        st.caption(pr.t("map.caption_drawn", points=pr.count(one_by_one, "camera"), rings=rings, total=total))
    st.caption(pr.t("map.click_hint") + " " + pr.t("map.caption_view"))

with side_col:
    st.html(deck.legend_html(lang, req, meta["shading"], meta["density"], has_upload=shown_upload is not None))

# ---------------------------------------------------------------- district panel
with panel_box:
    st.header(pr.t("map.panel"))
    if flt.district is None:
        st.info(pr.t("map.panel_pick"))
    else:
        in_district = in_view
        row = stats.district_table(in_district, view.districts).loc[flt.district]
        st.markdown(f"### {escape.md(pr.district(flt.district))}")
        np_text = pr.t("common.not_published")
        m = st.columns(3) + st.columns(3)  # six in a row cut their labels short ("Named SmartView…")
        pop21, pop19, area = row["population_2021"], row["population_2019"], row["area_km2"]
        m[0].metric(pr.t("map.panel_population", year=2021), pr.n(pop21))
        if pop19 == pop19:
            m[1].metric(pr.t("map.panel_population", year=2019), pr.n(pop19))
        m[2].metric(pr.t("map.panel_area"), pr.n(area, 1) if area == area else np_text)
        m[3].metric(pr.t("map.panel_td"), pr.n(row["td"]))
        m[4].metric(pr.t("map.panel_smartview"), pr.n(row["smartview"]))
        m[5].metric(pr.t("map.panel_other"), pr.n(row["other"]))
        st.caption(pr.t("map.panel_known", n=pr.n(row["known"])) + " " + pr.t("map.panel_filtered"))
        gaps = [pr.t("map.np_smartview", np=np_text), pr.t("map.np_locations", np=np_text)]
        gaps += [pr.t("map.np_population", np=np_text)] if pop21 != pop21 else []
        gaps += [pr.t("map.np_area", np=np_text)] if area != area else []
        st.markdown(f"**{pr.t('map.panel_not_published')}**\n\n" + "\n".join(f"- {g}" for g in gaps))
        if shown_upload is not None:
            st.caption(pr.t("map.panel_upload", n=pr.n(int(shown_upload.frame["district_code"].eq(flt.district).sum()))))
        sites = view.sites[view.sites["district_code"].eq(flt.district)] if len(view.sites) else view.sites
        if len(sites):
            with st.expander(pr.t("map.panel_sites", n=pr.n(len(sites)))):
                for site in sites.to_dict("records"):
                    precision = pr.t("map.precision." + site["precision"])
                    seen = pr.t("map.tip_first_seen", date=pr.date(site["first_seen"], site["first_seen_precision"]))
                    st.markdown(f"**{escape.md(pr.localised(site, 'name') or '')}** · {precision} · {seen}")
                    st.markdown(pr.citation_md(site["source"], site["quote"], site["quote_lang"]))
        if isinstance(row.get("sources"), (list, tuple)) and row["sources"]:
            with st.expander(pr.t("map.panel_sources")):
                for sid in row["sources"]:
                    st.markdown(pr.citation_md(sid))
        shown = in_district[TABLE_COLUMNS].sort_values("id").reset_index(drop=True)
        st.markdown(f"**{pr.t('map.panel_table', n=pr.n(len(shown)))}**")
        st.dataframe(words.camera_table(in_district.sort_values("id"), pr), hide_index=True, width="stretch", height=min(400, 38 + 35 * len(shown)))
        csv_bytes, geojson_bytes = district_downloads(bundle.signature, flt, shown)
        d1, d2, _ = st.columns([1, 1, 3])
        d1.download_button(pr.t("map.panel_csv"), csv_bytes, file_name=f"cameras-district-{flt.district}.csv",
                           mime="text/csv", key="m_dl_csv", on_click="ignore")
        d2.download_button(pr.t("map.panel_geojson"), geojson_bytes, file_name=f"cameras-district-{flt.district}.geojson",
                           mime="application/geo+json", key="m_dl_geojson", on_click="ignore")
        st.caption(pr.t("map.panel_table_note"))
