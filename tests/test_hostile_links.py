"""Hostile links: every link parameter of every page, given values no page offers, never gives a traceback.

Two kinds of test, both through AppTest (app.py's frame + the page, as `make run` serves it):
- the corpus: each page opened with EVERY one of its parameters (and `lang`) set to one kind of
  hostile value at once (wrong type, out of range, huge, negative, script, very long, unicode
  controls, repeated keys, a broken date, empty): no exception element, and a notice naming each
  parameter whose value was refused;
- a property test (hypothesis, derandomized, a bounded number of examples per page): random text,
  numbers, dates and repeated keys in random parameters: no exception element.
The data page's per-column parameters (d_v_/d_lo_/d_hi_/d_c_) are tested with columns picked, so
they are in play rather than left out.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import catalogue
from metrics import explorer
from metrics.views.phases import phases_view
from metrics.views.progress import progress_view
from tests.apptest import run_page
from ui import url_state
LONG = "x" * 10_000
HOSTILE = {
    "wrong_type": ["abc"],
    "out_of_range": ["99999999999"],
    "huge": ["1e308"],
    "negative": ["-5"],
    "script": ["<script>alert(1)</script>"],
    "javascript": ["javascript:alert(document.cookie)"],
    "long": [LONG],
    "unicode": ["\u202e\u0000\u200b😀中文\ufeff"],
    "repeated": ["<img src=x onerror=alert(1)>", "-1", "1e400"],
    "bad_date": ["2099-13-45"],
    "far_date": ["1900-01-01"],
    "empty": [""],
}
# A dataset whose explorer has every kind of column filter: values, a number range and free text.
COLUMNS_DATASET = "figures"


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Overrides conftest's: every test here runs on the shipped data, and the caches are keyed by
    its signature, so they stay warm between these tests (conftest's clears them for the next module)."""
    yield


def _notices(at) -> str:
    return "\n".join(str(e.value) for e in at.info).replace("\\", "")  # notices are escaped Markdown


def _lang_param() -> url_state.PageParams:
    return url_state.PageParams("app", (url_state.LANG,))


def page_specs(bundle) -> dict[str, url_state.PageParams]:
    """Each page's link parameters as the page itself builds them from the shipped data."""
    pv, ph = progress_view(bundle), phases_view(bundle, "en")
    return {
        "progress": url_state.progress_params(pv.editions["per_1000"] + pv.editions["per_km2"], pv.default_editions["per_1000"]),
        "phases": url_state.phases_params(int(ph.preset_rate or 0), ph.preset_start, ph.preset_base, tuple(ph.bases)),
        "map": url_state.MAP,
    }


def data_specs(bundle, dataset: str, picked: list[str]) -> list[url_state.PageParams]:
    """The data page's three steps of parameters for one table and the columns picked."""
    infos = {i.name: i for i in catalogue.describe_all(bundle)}
    frame, info = bundle[dataset], infos[dataset]
    kinds = explorer.filter_kinds(frame, {c.name: c.kind for c in info.columns})
    types = {c.name: c.type for c in info.columns}
    table = url_state.data_table_params([c for c, k in kinds.items() if k == "date"], [c for c, k in kinds.items() if k != "date"],
                                list(frame.columns))
    columns = url_state.data_column_params({c: (kinds[c], explorer.value_options(frame[c]) if kinds[c] == "values"
                                        else types.get(c) == "integer") for c in picked if c in kinds})
    return [url_state.data_params(catalogue.DATASETS), table, columns]


def column_per_kind(bundle) -> dict[str, str]:
    """One column of COLUMNS_DATASET per filter kind (values, range, contains)."""
    info = next(i for i in catalogue.describe_all(bundle) if i.name == COLUMNS_DATASET)
    kinds = explorer.filter_kinds(bundle[COLUMNS_DATASET], {c.name: c.kind for c in info.columns})
    out: dict[str, str] = {}
    for col, kind in kinds.items():
        out.setdefault(kind, col)
    return out


def refused(specs: list[url_state.PageParams], query: dict) -> set[str]:
    """The parameters whose link value the codec cannot use as given (each must be named in a notice)."""
    raw = {k: [v] if isinstance(v, str) else list(v) for k, v in query.items()}
    params = [p for spec in specs for p in spec.params] + [url_state.LANG]
    return {p.key for p in params if p.key in raw and url_state.parse(p, raw[p.key])[1] is not None}


def assert_named(at, keys: set[str]) -> None:
    assert not at.exception, [e.value[:500] for e in at.exception]
    text = _notices(at)
    missing = [k for k in sorted(keys) if f"{k}=" not in text]
    assert not missing, f"no notice names {missing}; notices were:\n{text[:2000]}"


# --- the corpus ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(HOSTILE))
@pytest.mark.parametrize("page", ["progress", "phases", "map"])
def test_every_parameter_of_a_page_refuses_a_hostile_value_by_name(page, kind, shipped):
    spec = page_specs(shipped)[page]
    query = {p.key: HOSTILE[kind] for p in spec.params} | {"lang": HOSTILE[kind]}
    at = run_page(page, None, query)
    assert_named(at, refused([spec], query))


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_data_explorer_parameter_refuses_a_hostile_value_by_name(kind, shipped):
    keys = ("d_ds", "d_q", "d_cols", "d_dcol", "d_from", "d_to", "d_sort", "d_desc", "d_cite")
    query = {k: HOSTILE[kind] for k in keys} | {"lang": HOSTILE[kind]}
    dataset = url_state.parse(url_state.data_params(catalogue.DATASETS).get("d_ds"), query["d_ds"])[0]
    at = run_page("data", None, query)
    assert_named(at, refused(data_specs(shipped, dataset, []), query))


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_data_column_filter_refuses_a_hostile_value_by_name(kind, shipped):
    cols = column_per_kind(shipped)
    picked = [cols["values"], cols["range"], cols["contains"]]
    per_column = {f"d_v_{cols['values']}", f"d_lo_{cols['range']}", f"d_hi_{cols['range']}", f"d_c_{cols['contains']}"}
    query = {"d_ds": COLUMNS_DATASET, "d_cols": picked} | {k: HOSTILE[kind] for k in per_column}
    at = run_page("data", None, query)
    assert_named(at, refused(data_specs(shipped, COLUMNS_DATASET, picked), query))


# --- what the notices and the views say, case by case ----------------------------------------------

def test_a_data_date_outside_the_range_is_clamped_and_named():
    at = run_page("data", "en", {"d_ds": "figures", "d_from": "1900-01-01", "d_to": "2999-01-01"})
    assert_named(at, {"d_from", "d_to"})
    assert at.date_input(key="d_from").value == url_state.DATA_DATES[0]
    assert at.date_input(key="d_to").value == url_state.DATA_DATES[1]


def test_a_huge_number_bound_is_clamped_to_what_a_browser_holds(shipped):
    col = column_per_kind(shipped)["range"]
    at = run_page("data", "en", {"d_ds": COLUMNS_DATASET, "d_cols": col, f"d_lo_{col}": "-1e308"})
    assert_named(at, {f"d_lo_{col}"})
    assert at.number_input(key=f"d_lo_{col}").value == -url_state.DATA_NUMBER_LIMIT


def test_a_filter_on_a_column_that_is_not_picked_is_named_and_dropped_from_the_link():
    at = run_page("data", "en", {"d_ds": "figures", "d_v_unit": "set", "d_nonsense": "1"})
    assert_named(at, {"d_v_unit", "d_nonsense"})
    assert "d_v_unit" not in at.query_params and "d_nonsense" not in at.query_params


def test_a_long_search_is_cut_and_named():
    at = run_page("data", "en", {"d_q": LONG})
    assert_named(at, {"d_q"})
    assert at.text_input(key="d_q").value == "x" * url_state.MAX_TEXT_CHARS


def test_an_unknown_language_is_named_and_the_link_says_english():
    at = run_page("map", None, {"lang": "klingon"})
    assert_named(at, {"lang"})
    assert at.query_params["lang"] in ("en", ["en"])


def test_invisible_and_direction_changing_characters_are_spelled_out_in_a_notice():
    at = run_page("map", "en", {"m_dist": "E\u202eevil\u0000"})
    text = _notices(at)
    assert "m_dist=E<U+202E>evil<U+0000>" in text
    assert "\u202e" not in text and "\u0000" not in text


def test_a_data_link_that_the_page_can_use_has_no_notice():
    at = run_page("data", "en", {"d_ds": "figures", "d_cols": "unit", "d_v_unit": "set", "d_from": "2024-01-01",
                                 "d_sort": "value", "d_desc": "true"})
    assert not at.exception
    assert "d_" not in _notices(at)
    assert at.multiselect(key="d_v_unit").value == ["set"]


def test_changing_the_table_drops_the_old_tables_choices_without_a_notice():
    at = run_page("data", "en", {"d_ds": "figures", "d_dcol": "stated", "d_sort": "value"})
    at.selectbox(key="d_ds").set_value("cameras").run()
    assert not at.exception
    assert "d_" not in _notices(at)
    assert at.selectbox(key="d_dcol").value == "first_seen"
    assert at.selectbox(key="d_sort").value is None


# --- the property test -----------------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_ANY = st.one_of(
    _TEXT,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["", "true", "false", "nan", "-0", "1e308", "<script>alert(1)</script>", "x" * 3_000]),
)


def _value_for(p: url_state.Param | None):
    """Random link values for one parameter, leaning on its kind's edges (its choices, dates far out,
    numbers huge or negative) as well as anything at all."""
    if p is None:
        return _ANY
    if p.kind in ("one", "many") and p.choices:
        return st.one_of(st.sampled_from(list(p.choices)), _ANY)
    if p.kind == "date":
        return st.one_of(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat), _ANY)
    if p.kind in ("int", "number"):
        return st.one_of(st.integers(min_value=-(10**400), max_value=10**400).map(str), st.floats().map(repr), _ANY)
    return _ANY


EXAMPLES = 30  # per page: bounded so the suite stays fast; derandomized so CI sees the same cases


def _params(page: str, bundle) -> dict[str, url_state.Param | None]:
    """Every link parameter of a page (None: a kind the codec decides only once the table is known)."""
    if page == "data":
        cols = column_per_kind(bundle)
        specs = data_specs(bundle, COLUMNS_DATASET, [cols["values"], cols["range"], cols["contains"]])
        out = {p.key: p for spec in specs for p in spec.params}
    elif page == "safeguards":
        out = {}
    else:
        out = {p.key: p for p in page_specs(bundle)[page].params}
    return out | {"lang": url_state.LANG}


@pytest.mark.parametrize("page", ["progress", "map", "phases", "safeguards", "data"])
def test_no_random_link_gives_a_traceback(page, shipped):
    params = _params(page, shipped)
    cols = column_per_kind(shipped)
    links = st.fixed_dictionaries({}, optional={k: st.lists(_value_for(p), min_size=1, max_size=3)  # >1: a repeated key
                                                for k, p in params.items()})

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(links, st.booleans())
    def check(query, pick_columns):
        if page == "data" and pick_columns:  # put the per-column filters in play half the time
            query = query | {"d_ds": [COLUMNS_DATASET], "d_cols": [cols["values"], cols["range"], cols["contains"]]}
        at = run_page(page, None, query)
        assert not at.exception, (query, [e.value[:500] for e in at.exception])

    check()
