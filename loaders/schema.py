"""Schemas as code, and the one data dictionary: every field's kind, unit and description.

A schema lists its fields with kind, whether required, allowed values and ranges, a unit and a
description. The loaders, `python -m loaders check`, the exports, the data catalogue,
datapackage.json, docs/data-model.md and the JSON Schemas of the YAML files all read them from
here (`python -m loaders docs` regenerates the last two; a test fails when they are stale).
KINDS says how each kind is stored in the YAML, the loaded DataFrame, the exported CSV and the
tools that read it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from loaders.district_names import CODES
from loaders.quotes import approximation_before, values_in

LANGS = ("en", "zh-Hant", "zh-Hans", "id", "ms")
PRECISIONS = ("day", "month", "year")
# Hong Kong's envelope; anything outside is a typo or a swapped lat/lon.
LON_RANGE = (113.8, 114.5)
LAT_RANGE = (22.1, 22.6)


@dataclass(frozen=True)
class KindType:
    """One schema kind in each place it is stored."""

    yaml: str  # what a data file holds, in words (docs/data-model.md)
    package: str  # Frictionless Table Schema type of the exported CSV column
    frame: str  # pandas dtype of the loaded DataFrame column ("object" holds tuples of ids)


KINDS: dict[str, KindType] = {
    "slug": KindType("lowercase id: letters, digits and '-'", "string", "str"),
    "str": KindType("text on one line", "string", "str"),
    "text": KindType("text", "string", "str"),
    "url": KindType("http(s) address", "string", "str"),
    "enum": KindType("one of the allowed values", "string", "str"),
    "lang": KindType("language code", "string", "str"),
    "ref": KindType("id of a record in another file", "string", "str"),
    "refs": KindType("list of ids (';'-separated in CSV)", "string", "object"),
    "int": KindType("whole number", "integer", "Int64"),
    "number": KindType("number", "number", "float64"),
    "bool": KindType("true or false", "boolean", "bool"),
    "date": KindType("date YYYY-MM-DD", "date", "datetime64[ns]"),
    # Kept as published (YYYY, YYYY-MM, YYYY-MM-DD or 'undated'); exports split it into a date
    # (first day of the period) and a <name>_precision column, so a column never mixes types.
    "partial_date": KindType("YYYY, YYYY-MM, YYYY-MM-DD or 'undated'", "date", "str"),
}
# Frictionless type of an exported CSV column -> (pandas dtype reading it back, DuckDB type).
PACKAGE_TYPES: dict[str, tuple[str, str]] = {
    "string": ("str", "VARCHAR"),
    "integer": ("Int64", "BIGINT"),  # nullable: an empty cell stays missing, 15 stays 15
    "number": ("float64", "DOUBLE"),
    "boolean": ("boolean", "BOOLEAN"),
    "date": ("datetime64[us]", "DATE"),  # pandas 3 parses ISO dates in a CSV at microsecond resolution
}
PRECISION_SUFFIX = "_precision"  # the column an export adds after a partial date


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # a key of KINDS
    required: bool = True
    choices: tuple = ()
    lo: float | None = None
    hi: float | None = None
    ref: str | None = None  # dataset whose ids a ref/refs field must resolve to
    unit: str = ""
    description: str = ""

    @property
    def package_type(self) -> str:
        return KINDS[self.kind].package


@dataclass(frozen=True)
class Schema:
    name: str  # dataset name, also the catalogue id
    file: str  # path relative to the data directory
    fields: tuple[Field, ...]
    description: str
    id_field: str | None = "id"
    children: dict[str, Schema] = field(default_factory=dict)  # nested list field -> child schema
    rules: tuple = ()  # cross-field checks: row -> (field, message) or None


    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


# Fields that mean the same in every dataset; a field's own description wins.
COMMON_DESCRIPTIONS = {
    "id": "Identifier, unique in this dataset",
    "name_en": "Name in English", "name_zh": "Name in Chinese",
    "source": "Source id (see sources)", "sources": "Source ids (see sources)",
    "quote": "Verbatim quote, original language", "quote_lang": "Language of the quote",
    "note": "Caveats", "date": "Date of the statement or event",
    "date_precision": "How much of the date the source gives: day, month or year",
    "summary_en": "Summary in English", "summary_zh": "Summary in Chinese",
    "claim": "What exactly is claimed; records sharing a claim describe the same quantity",
    "district_code": "Home Affairs Department district code A-T",
    "code": "Home Affairs Department district code A-T",
    "first_seen": "Earliest date a source shows this camera or site",
    "first_seen_precision": "How much of first_seen the source gives: day, month or year",
}


def _f(*args, **kw) -> Field:
    f = Field(*args, **kw)
    return replace(f, description=COMMON_DESCRIPTIONS.get(f.name, "")) if not f.description else f


SOURCE_KINDS = ("legco_paper", "government_press", "news", "news_copy", "pcpd_guidance", "open_data", "research", "commentary")
QUALIFIERS = ("exact", "about", "more_than", "almost", "at_least", "up_to", "range")
UNITS = ("camera", "set", "case", "arrest", "hkd", "hkd_per_year", "day", "lamppost", "vehicle", "location", "enquiry",
         "camera_per_1000", "camera_per_km2", "person_per_camera", "percent")
BASES = ("installed_by_police", "connected_third_party", "in_system_total", "projection_total", "target_total", "target_installed_by_police",
         "target_additional", "annual_target", "cases_assisted", "arrests", "cost_hkd", "recurrent_cost_hkd",
         "retention_days", "equipped_vehicles", "equipped_lampposts", "planned_locations", "enquiries", "density")
TOPICS = ("rollout", "target", "outcome", "budget", "safeguard", "capability", "comparison", "context")
PROGRAMMES = ("smartview", "smartview-phase-1", "smartview-phase-2", "smartview-phase-3", "other")
CAPABILITY_STATUSES = ("not_in_use", "ruled_out", "not_ruled_out", "planned", "pilot", "in_use", "capable_not_used", "claimed", "not_found")
SAFEGUARD_STATUSES = ("documented", "promised", "not_published", "conflicting")
CAMERA_PRECISIONS = ("exact", "street", "district")
OPERATORS = ("transport_department", "police", "other")
CAMERA_PROGRAMMES = ("td_traffic_snapshot", "smartview", "osm", "user", "other")
CAMERA_KINDS = ("traffic_snapshot", "smartview_site", "surveillance")

def _copy_names_original(row: dict):
    """A copy on another host is weaker evidence; the reader must see whose article it copies."""
    if row.get("original") is False and not row.get("original_publisher"):
        return "original_publisher", "required when original is false (name the original publisher)"
    return None


def _title_or_unknown(row: dict):
    """A title is the real headline; when it is not known the record says so instead of inventing one."""
    if row.get("headline_known") is False:
        if row.get("title"):
            return "title", "must be empty when headline_known is false"
        return None
    if not row.get("title"):
        return "title", "required field is missing (or set headline_known: false when the headline is not known)"
    # A title given is a headline known: filled in so the column never reads False by default.
    row["headline_known"] = True
    return None


SOURCES = Schema("sources", "sources.yaml", (
    _f("id", "slug", description="Source identifier, cited by every other dataset"),
    _f("title", "str", required=False, description="Headline as published, original language; empty when the headline is not known"),
    _f("headline_known", "bool", required=False, description="False when the page's headline is not known (the title is then empty, never a made-up one)"),
    _f("publisher", "str", description="Who published this page"),
    _f("publisher_zh", "str", required=False, description="The publisher's name in Chinese, where it has one"),
    _f("url", "url", description="Address of the page as found"),
    _f("published", "partial_date", description="Publication date, as precise as the page gives it"),
    _f("language", "lang", description="Language of the page"),
    _f("kind", "enum", choices=SOURCE_KINDS, description="Kind of source"),
    _f("original", "bool", description="False when the page republishes another publisher's article"),
    _f("original_publisher", "str", required=False, description="The original publisher, for copies"),
    _f("accessed", "date", description="When the page was read"),
    _f("licence", "str", required=False, description="Licence or terms of use, for open data"),
    _f("note", "text", required=False, description="Caveats about this source"),
), "Every published source cited by the dashboard, with whether it is an original or a copy.",
    rules=(_copy_names_original, _title_or_unknown))

def _undated(date_field: str, precision_field: str):
    """A record whose date is not published has no date at all, never a stand-in date."""

    def rule(row: dict):
        undated = row.get(precision_field) == "undated"
        if undated and row.get(date_field) is not None:
            return date_field, f"must be empty when {precision_field} is 'undated'"
        if not undated and row.get(date_field) is None and row.get(precision_field) is not None:
            return date_field, f"required field is missing (or set {precision_field}: undated when no date is published)"
        return None

    return rule


VALUE_PLACES = ("quote", "headline", "table", "url")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _value_as_published(row: dict):
    """The number must be findable as published: in the quote, or in the headline/table/address quoted
    in value_text (value_in says which), or the record names the figures it is derived from."""
    if row.get("derived_from"):
        return None
    place = row.get("value_in") or "quote"
    value, high = row.get("value"), row.get("value_high")
    if value is None:
        return None
    wanted = _number(value) + (f" to {_number(high)}" if high is not None else "")
    if place == "quote":
        if row.get("value_text"):
            return "value_in", "value_text is given, so say where it comes from: value_in: headline, table or url"
        found = values_in(row.get("quote"))
        if _missing(found, value, high):
            return "quote", (f"does not contain the value {wanted} as published; quote the sentence that contains it, "
                             "or say where it appears (value_in + value_text), or name the figures it is derived from (derived_from)")
        return None
    if not row.get("value_text"):
        return "value_text", f"required when value_in is {place}: quote the {place} text that contains the number"
    if _missing(values_in(row["value_text"]), value, high):
        return "value_text", f"does not contain the value {wanted} as published"
    return None


def _missing(found: set, value: float, high: float | None) -> bool:
    def has(v):
        return any(math.isclose(f, float(v), rel_tol=1e-9, abs_tol=1e-9) for f in found)

    return not has(value) or (high is not None and not has(high))


def _qualifier_as_published(row: dict):
    """約 stays "about": an exact record whose quote writes an approximating word before every
    occurrence of its number (約6萬, about 7,000, 逾480) misstates the source."""
    if row.get("qualifier") != "exact" or row.get("derived_from") or row.get("value") is None:
        return None
    text = row.get("quote") if (row.get("value_in") or "quote") == "quote" else row.get("value_text")
    marker = approximation_before(text, row["value"])
    if marker:
        return "qualifier", (f"is exact, but the source writes {marker!r} before {_number(row['value'])}; "
                             "use the qualifier it gives (about, more_than, almost, at_least, up_to)")
    return None


FIGURES = Schema("figures", "figures.yaml", (
    _f("id", "slug", description="Figure identifier"),
    _f("as_of", "date", required=False, description="Date the number refers to (count date or target deadline); empty when not published"),
    _f("as_of_precision", "enum", choices=PRECISIONS + ("undated",), description="How much of as_of the source gives; 'undated' when no date is published"),
    _f("stated", "date", required=False, description="When the number was said or published; empty when not published"),
    _f("value", "number", lo=0, unit="given per row in the unit column", description="The number as published (never converted between units)"),
    _f("value_high", "number", required=False, lo=0, unit="given per row in the unit column", description="Upper end of a published range"),
    _f("qualifier", "enum", choices=QUALIFIERS, description="exact / about / more than / almost / at least / up to / range"),
    _f("unit", "enum", choices=UNITS, description="Unit of value; sets are groups of 2-3 cameras"),
    _f("basis", "enum", choices=BASES, description="What is counted (target_total: a total whose scope the source leaves open; "
                                                 "target_installed_by_police: a target the source calls police cameras)"),
    _f("topic", "enum", choices=TOPICS, description="Subject area"),
    _f("claim", "slug", description="What exactly is claimed; differing values within one claim are a conflict"),
    _f("programme", "enum", choices=PROGRAMMES, description="Programme or phase the figure belongs to"),
    _f("phase", "int", required=False, lo=1, hi=3, description="SmartView phase, where the source ties it to one"),
    _f("source", "ref", ref="sources", description="Source id"),
    _f("quote", "text", description="Verbatim quote, original language: the sentence that contains the number"),
    _f("quote_lang", "lang", description="Language of the quote"),
    _f("value_in", "enum", required=False, choices=VALUE_PLACES,
       description="Where the number appears when not in the quoted sentence: headline, table or url (the page address)"),
    _f("value_text", "text", required=False, description="The headline, table cell or address text that contains the number, verbatim"),
    _f("derived_from", "refs", required=False, ref="figures", description="Figure ids this number is derived from (a derived number is not published as such)"),
    _f("stated_precision", "enum", required=False, choices=PRECISIONS + ("not_before",),
       description="How much of stated is known: day (default), month, year, or not_before (published on or after that date)"),
    _f("conflicts_with", "refs", required=False, ref="figures",
       description="Figure ids that give the same number under a different description (e.g. robberies in one source, burglaries in another)"),
    _f("note", "text", required=False, description="Caveats"),
    _f("note_zh", "text", required=False, description="The note in Traditional Chinese (a translation; quotes inside stay as published)"),
), "Every published number about the SmartView programme, one record each, with its source and verbatim quote.",
    rules=(_undated("as_of", "as_of_precision"), _value_as_published, _qualifier_as_published))

START_STATUSES = ("confirmed", "planned")


def _start_confirmed(row: dict):
    """A phase is shown as started only on a source's word: confirmed needs that source and its words."""
    if row.get("start_status") == "confirmed":
        if not row.get("start_confirmed_by"):
            return "start_confirmed_by", "required when start_status is confirmed (the source that says the phase started)"
        if not row.get("start_quote"):
            return "start_quote", "required when start_status is confirmed (the source's words on the start)"
    elif row.get("start_confirmed_by"):
        return "start_status", "must be confirmed when start_confirmed_by is given"
    return None


PHASES = Schema("phases", "phases.yaml", (
    _f("id", "slug", description="Phase identifier (phase-1, phase-2, ...)"),
    _f("number", "int", lo=1, hi=3, description="Phase number"),
    _f("name_en", "str"), _f("name_zh", "str"),
    _f("start", "date", description="Start date of the phase"),
    _f("end", "date", description="End date of the phase (or its deadline)"),
    _f("end_precision", "enum", choices=PRECISIONS, description="How much of end the source gives"),
    _f("promise_en", "text", description="What was promised, in English"),
    _f("promise_zh", "text", required=False, description="What was promised, in Chinese"),
    _f("promised_by", "str", required=False, description="Who made the promise"),
    _f("promised_by_zh", "str", required=False, description="Who made the promise, in Chinese"),
    _f("promised_on", "date", required=False, description="When the promise was made"),
    _f("target_value", "number", required=False, lo=0, unit="camera", description="Target number promised for the phase"),
    _f("target_unit", "enum", required=False, choices=UNITS, description="Unit of target_value"),
    _f("target_figure", "ref", required=False, ref="figures", description="Figure id of the target (see figures)"),
    _f("places_en", "text", required=False, description="Places prioritised, in English"),
    _f("places_zh", "text", required=False, description="Places prioritised, in Chinese"),
    _f("start_status", "enum", required=False, choices=START_STATUSES,
       description="confirmed when a source says the phase has started; planned (the default) until then"),
    _f("start_confirmed_by", "ref", required=False, ref="sources", description="The source that confirms the phase started"),
    _f("start_quote", "text", required=False, description="Verbatim words of that source on the start"),
    _f("sources", "refs", ref="sources"),
), "The SmartView phases: dates, what was promised, by whom, and the places prioritised.",
    rules=(_start_confirmed,))

CAPABILITY_EVENTS = Schema("capability_events", "capabilities.yaml", (
    _f("date", "date", required=False, description="Date of the statement or event; empty when undated"),
    _f("date_precision", "enum", choices=PRECISIONS + ("undated",), description="How much of the date the source gives; 'undated' when none"),
    _f("status", "enum", choices=CAPABILITY_STATUSES, description="Status of the capability from this date"),
    _f("summary_en", "text"), _f("summary_zh", "text", required=False),
    _f("source", "ref", ref="sources"), _f("quote", "text"), _f("quote_lang", "lang"),
    _f("claim", "slug", required=False), _f("note", "text", required=False),
    _f("note_zh", "text", required=False, description="The note in Traditional Chinese (a translation; quotes inside stay as published)"),
), "Dated status changes of each capability.", id_field=None, rules=(_undated("date", "date_precision"),))

CAPABILITIES = Schema("capabilities", "capabilities.yaml", (
    _f("id", "slug"), _f("name_en", "str"), _f("name_zh", "str"), _f("note", "text", required=False),
), "Capabilities of the camera network (ANPR, crowd estimation, facial recognition, ...).",
    children={"events": CAPABILITY_EVENTS})

SAFEGUARD_ENTRIES = Schema("safeguard_entries", "safeguards.yaml", (
    _f("date", "date"), _f("date_precision", "enum", choices=PRECISIONS),
    _f("status", "enum", choices=SAFEGUARD_STATUSES, description="What this statement shows about the safeguard"),
    _f("summary_en", "text"), _f("summary_zh", "text", required=False),
    _f("source", "ref", ref="sources"), _f("quote", "text"), _f("quote_lang", "lang"),
    _f("note", "text", required=False),
), "Dated, cited statements about each safeguard.", id_field=None)

SAFEGUARDS = Schema("safeguards", "safeguards.yaml", (
    _f("id", "slug"), _f("name_en", "str"), _f("name_zh", "str"),
    _f("expectation_en", "text", description="What the PDPO / PCPD guidance expects, in English"),
    _f("expectation_zh", "text", required=False, description="What the PDPO / PCPD guidance expects, in Chinese"),
    _f("guidance_sources", "refs", ref="sources", required=False, description="Source ids of the guidance"),
    _f("status", "enum", choices=SAFEGUARD_STATUSES, description="Overall status: documented, promised, not published or conflicting"),
    _f("note", "text", required=False),
    _f("note_zh", "text", required=False, description="The note in Traditional Chinese (a translation; quotes inside stay as published)"),
), "Protections people expect under the PDPO and the Privacy Commissioner's guidance, and what is documented.",
    children={"entries": SAFEGUARD_ENTRIES})

OPEN_QUESTIONS = Schema("open_questions", "open_questions.yaml", (
    _f("id", "slug"), _f("question_en", "text", description="The question, in English"),
    _f("question_zh", "text", description="The question, in Chinese"),
    _f("first_asked", "date", description="When the question was first asked"),
    _f("first_asked_precision", "enum", choices=PRECISIONS, description="How much of first_asked the source gives"),
    _f("asked_by", "str", required=False, description="Who asked"),
    _f("status", "enum", choices=("unanswered", "partly_answered"), description="unanswered or partly answered"),
    _f("summary_en", "text", required=False, description="What has been said so far, in English"),
    _f("summary_zh", "text", required=False, description="What has been said so far, in Chinese"),
    _f("sources", "refs", ref="sources"),
), "Questions asked of the government that have not been answered in anything published.")

CITIES = Schema("cities", "cities.yaml", (
    _f("id", "slug"), _f("city_en", "str", description="City, in English"),
    _f("city_zh", "str", required=False, description="City, in Chinese"),
    _f("edition", "slug", description="Which ranking/edition; editions are not comparable"),
    _f("year", "int", required=False, lo=2000, hi=2100, description="Year of the figure; empty when not published"),
    _f("cameras", "number", required=False, lo=0, unit="camera", description="Camera count as published"),
    _f("per_1000", "number", required=False, lo=0, unit="camera per 1,000 people", description="Cameras per 1,000 people as published"),
    _f("per_km2", "number", required=False, lo=0, unit="camera per km²", description="Cameras per km² as published"),
    _f("per_sq_mi", "number", required=False, lo=0, unit="camera per square mile", description="Cameras per square mile as published"),
    _f("qualifier", "enum", choices=QUALIFIERS, required=False, description="exact / about / more than / almost / at least / up to / range"),
    _f("source", "ref", ref="sources"), _f("quote", "text", required=False), _f("quote_lang", "lang", required=False),
    _f("note", "text", required=False),
    _f("note_zh", "text", required=False, description="The note in Traditional Chinese (a translation; quotes inside stay as published)"),
), "Camera counts and densities published for other cities, kept apart by edition.")

DISTRICT_CENSUS_2021 = Schema("district_census_2021", "district_census_2021.yaml", (
    _f("code", "enum", choices=CODES),
    _f("population_2021", "int", required=False, lo=0, unit="person", description="2021 census population; empty = not published in sources found"),
    _f("area_km2", "number", required=False, lo=0, unit="km²", description="Land area; empty = not published in sources found"),
    _f("area_note", "text", required=False, description="Which area figure this is"),
    _f("sources", "refs", ref="sources"), _f("note", "text", required=False),
    _f("note_zh", "text", required=False, description="The note in Traditional Chinese (a translation; quotes inside stay as published)"),
), "2021 census population and land area by district, where published.", id_field="code")

DISTRICTS = Schema("districts", "districts.csv", (
    _f("code", "enum", choices=CODES),
    _f("name_en", "str", description="District name in English"), _f("name_zh", "str", description="District name in Chinese"),
    _f("region_en", "str", description="Region in English"), _f("region_zh", "str", description="Region in Chinese"),
    _f("abbrev", "str", description="Short abbreviation"),
    _f("population_2019", "int", lo=0, unit="person", description="2019 land-based non-institutional population (C&SD)"),
    _f("population_2021", "int", required=False, lo=0, unit="person", description="2021 census population; empty = not published in sources found"),
    _f("area_km2", "number", required=False, lo=0, unit="km²", description="Land area; empty = not published in sources found"),
    _f("sources", "refs", ref="sources"),
), "The 18 districts with names, region, population and area.", id_field="code")

def _placed(row: dict):
    """A camera has a point, unless a source places it only in a district: then it has no
    coordinates at all (never a stand-in point) and must name its district."""
    has_lat, has_lon = row.get("latitude") is not None, row.get("longitude") is not None
    if has_lat != has_lon:
        return ("longitude" if has_lat else "latitude"), "latitude and longitude go together: give both or neither"
    if not has_lat and row.get("precision") != "district":
        return "latitude", "required field is missing (only a camera with precision 'district' has no coordinates)"
    if row.get("precision") == "district" and row.get("district_code") is None:
        return "district_code", "required when precision is 'district'"
    if row.get("first_seen_precision") is not None and row.get("first_seen") is None:
        return "first_seen_precision", "must be empty when first_seen is empty"
    return None


CAMERAS = Schema("cameras", "cameras_td.csv", (
    _f("id", "str", description="Camera id: td-<KEY> keeps the Transport Department key as published (upper case), "
                                "osm-node-<id> for OpenStreetMap, sv-<site id> for SmartView sites, row-<n> for plain CSVs; "
                                "camera ids are the one exception to lowercase ids"),
    _f("latitude", "number", required=False, lo=LAT_RANGE[0], hi=LAT_RANGE[1], unit="degree",
       description="WGS84 latitude; empty when a source places the camera only in a district"),
    _f("longitude", "number", required=False, lo=LON_RANGE[0], hi=LON_RANGE[1], unit="degree",
       description="WGS84 longitude; empty when a source places the camera only in a district"),
    _f("district_code", "enum", choices=CODES, required=False,
       description="District (A-T) whose Home Affairs Department boundary contains the point"),
    _f("district_as_published", "str", required=False,
       description="District as the source wrote it; can differ from district_code where the published point lies in another district"),
    _f("operator", "enum", choices=OPERATORS, description="Who operates the camera"),
    _f("programme", "enum", choices=CAMERA_PROGRAMMES, description="Programme the camera belongs to"),
    _f("kind", "enum", choices=CAMERA_KINDS, description="traffic snapshot camera, SmartView site or other surveillance camera"),
    _f("surveillance_type", "str", required=False, description="OpenStreetMap surveillance:type where given (camera, ALPR, guard)"),
    _f("camera_type", "str", required=False, description="OpenStreetMap camera:type where given (fixed, dome, panning)"),
    _f("description_en", "text", required=False, description="Location description in English"),
    _f("description_zh", "text", required=False, description="Location description in Chinese"),
    _f("precision", "enum", choices=CAMERA_PRECISIONS, description="exact point, street-level or district-level only"),
    _f("first_seen", "date", required=False, description="First day of the period first_seen_precision gives"),
    _f("first_seen_precision", "enum", choices=PRECISIONS, required=False,
       description="How much of first_seen the source gives: day, month or year"),
    _f("source", "ref", ref="sources"),
), "Known camera locations: Transport Department traffic cameras and SmartView sites named in the press.",
    rules=(_placed,))

SMARTVIEW_SITES = Schema("smartview_sites", "smartview_sites.yaml", (
    _f("id", "slug"), _f("name_en", "str"), _f("name_zh", "str", required=False),
    _f("district_code", "enum", choices=CODES),
    _f("precision", "enum", choices=("street", "district"), description="street-level or district-level only"),
    _f("first_seen", "date"), _f("first_seen_precision", "enum", choices=PRECISIONS),
    _f("source", "ref", ref="sources"), _f("quote", "text"), _f("quote_lang", "lang"),
    _f("td_camera_key", "str", required=False, description="Key of the Transport Department camera at the same junction, if any"),
    _f("note", "text", required=False),
), "SmartView camera sites named by officials or the press, at the precision the source supports.")

ORIGINS = Schema("origins", "origins.yaml", (
    _f("id", "slug"), _f("file", "str", description="Raw file name as imported"),
    _f("title", "str", description="Title of the published dataset"), _f("producer", "str", description="Who produced the data"),
    _f("citation_full", "text", description="Full citation of the raw file"),
    _f("url_main", "url", description="Landing page"), _f("url_download", "url", required=False, description="Download address"),
    _f("date_published", "partial_date", description="When it was published, as precise as the producer gives it"),
    _f("date_accessed", "date", description="When it was downloaded"),
    _f("licence", "str", description="Licence or terms of use"), _f("sha256", "str", description="sha256 of the raw file"),
    _f("size", "int", lo=0, unit="byte", description="Size of the raw file"),
    _f("derived_files", "refs", ref=None, description="Files in data/ built from it"),
    _f("source", "ref", ref="sources"),
), "Raw published files imported into data/, with hash and size (Our World in Data-style origins).")

FRESHNESS_KINDS = ("sources", "open_matter")
FRESHNESS_STATUSES = ("no_later_source", "answered")

FRESHNESS = Schema("freshness", "freshness.yaml", (
    _f("id", "slug", description="Identifier of the check or the open matter"),
    _f("kind", "enum", choices=FRESHNESS_KINDS, description="sources: when the sources as a whole were last searched; open_matter: one unanswered matter"),
    _f("title_en", "str", description="What was checked, in English"),
    _f("title_zh", "str", description="What was checked, in Traditional Chinese"),
    _f("checked", "date", description="When the sources were last searched for this"),
    _f("checked_by", "str", description="Who searched, and how"),
    _f("searched_en", "text", required=False, description="What the search covered"),
    _f("status", "enum", choices=FRESHNESS_STATUSES, description="no_later_source: nothing newer than the last statement was found"),
    _f("last_date", "date", description="Date of the newest published statement found"),
    _f("last_source", "ref", ref="sources", description="The source of that statement"),
    _f("last_figure", "ref", required=False, ref="figures", description="The figure record of that statement, where it gives a number"),
    _f("last_statement_en", "text", description="What the newest statement said, in English"),
    _f("last_statement_zh", "text", required=False, description="The same in Traditional Chinese"),
    _f("quote", "text", required=False, description="Verbatim words of the newest statement"),
    _f("quote_lang", "lang", required=False, description="Language of the quote"),
    _f("note", "text", required=False),
), "When the sources were last searched, and for each open matter the newest published statement found.",
    rules=(lambda r: ("last_date", "must not be after checked") if r.get("last_date") and r.get("checked") and r["last_date"] > r["checked"] else None,))

# Order matters: sources first so references can be resolved.
ALL: tuple[Schema, ...] = (SOURCES, FIGURES, PHASES, CAPABILITIES, SAFEGUARDS, OPEN_QUESTIONS, CITIES,
                           DISTRICT_CENSUS_2021, DISTRICTS, CAMERAS, SMARTVIEW_SITES, ORIGINS, FRESHNESS)
BY_NAME = {s.name: s for s in ALL} | {c.name: c for s in ALL for c in s.children.values()}
