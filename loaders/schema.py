"""Schemas as code: one per dataset, used by the loaders, the `check` command, the exports and the tests.

A schema lists its fields with type, whether required, allowed values and ranges, a unit and a
description (the description and unit also feed the data catalogue and datapackage.json).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loaders.district_names import CODES

LANGS = ("en", "zh-Hant", "zh-Hans", "id", "ms")
PRECISIONS = ("day", "month", "year")
# Hong Kong's envelope; anything outside is a typo or a swapped lat/lon.
LON_RANGE = (113.8, 114.5)
LAT_RANGE = (22.1, 22.6)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # slug, str, text, url, int, number, date, bool, enum, ref, refs, lang, partial_date
    required: bool = True
    choices: tuple = ()
    lo: float | None = None
    hi: float | None = None
    ref: str | None = None  # dataset whose ids a ref/refs field must resolve to
    unit: str = ""
    description: str = ""


@dataclass(frozen=True)
class Schema:
    name: str  # dataset name, also the catalogue id
    file: str  # path relative to the data directory
    fields: tuple[Field, ...]
    description: str
    id_field: str | None = "id"
    children: dict[str, "Schema"] = field(default_factory=dict)  # nested list field -> child schema
    rules: tuple = ()  # cross-field checks: row -> (field, message) or None


    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _f(*args, **kw) -> Field:
    return Field(*args, **kw)


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


SOURCES = Schema("sources", "sources.yaml", (
    _f("id", "slug", description="Source identifier, cited by every other dataset"),
    _f("title", "str", description="Title or headline as published, original language"),
    _f("publisher", "str", description="Who published this page"),
    _f("url", "url", description="Address of the page as found"),
    _f("published", "partial_date", description="Publication date: YYYY, YYYY-MM, YYYY-MM-DD or 'undated'"),
    _f("language", "lang", description="Language of the page"),
    _f("kind", "enum", choices=SOURCE_KINDS, description="Kind of source"),
    _f("original", "bool", description="False when the page republishes another publisher's article"),
    _f("original_publisher", "str", required=False, description="The original publisher, for copies"),
    _f("accessed", "date", description="When the page was read"),
    _f("licence", "str", required=False, description="Licence or terms of use, for open data"),
    _f("note", "text", required=False, description="Caveats about this source"),
), "Every published source cited by the dashboard, with whether it is an original or a copy.",
    rules=(_copy_names_original,))

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


FIGURES = Schema("figures", "figures.yaml", (
    _f("id", "slug", description="Figure identifier"),
    _f("as_of", "date", required=False, description="Date the number refers to (count date or target deadline); empty when not published"),
    _f("as_of_precision", "enum", choices=PRECISIONS + ("undated",), description="How much of as_of the source gives; 'undated' when no date is published"),
    _f("stated", "date", required=False, description="When the number was said or published; empty when not published"),
    _f("value", "number", lo=0, description="The number as published (never converted between units)"),
    _f("value_high", "number", required=False, lo=0, description="Upper end of a published range"),
    _f("qualifier", "enum", choices=QUALIFIERS, description="exact / about / more than / almost / at least / up to / range"),
    _f("unit", "enum", choices=UNITS, description="Unit of value; sets are groups of 2-3 cameras"),
    _f("basis", "enum", choices=BASES, description="What is counted"),
    _f("topic", "enum", choices=TOPICS, description="Subject area"),
    _f("claim", "slug", description="What exactly is claimed; differing values within one claim are a conflict"),
    _f("programme", "enum", choices=PROGRAMMES, description="Programme or phase the figure belongs to"),
    _f("phase", "int", required=False, lo=1, hi=3, description="SmartView phase, where the source ties it to one"),
    _f("source", "ref", ref="sources", description="Source id"),
    _f("quote", "text", description="Verbatim quote, original language"),
    _f("quote_lang", "lang", description="Language of the quote"),
    _f("note", "text", required=False, description="Caveats"),
), "Every published number about the SmartView programme, one record each, with its source and verbatim quote.",
    rules=(_undated("as_of", "as_of_precision"),))

PHASES = Schema("phases", "phases.yaml", (
    _f("id", "slug"), _f("number", "int", lo=1, hi=3),
    _f("name_en", "str"), _f("name_zh", "str"),
    _f("start", "date"), _f("end", "date"), _f("end_precision", "enum", choices=PRECISIONS),
    _f("promise_en", "text"), _f("promise_zh", "text", required=False),
    _f("promised_by", "str", required=False), _f("promised_on", "date", required=False),
    _f("target_value", "number", required=False, lo=0, unit="camera"), _f("target_unit", "enum", required=False, choices=UNITS),
    _f("target_figure", "ref", required=False, ref="figures"),
    _f("places_en", "text", required=False), _f("places_zh", "text", required=False),
    _f("sources", "refs", ref="sources"),
), "The SmartView phases: dates, what was promised, by whom, and the places prioritised.")

CAPABILITY_EVENTS = Schema("capability_events", "capabilities.yaml", (
    _f("date", "date", required=False), _f("date_precision", "enum", choices=PRECISIONS + ("undated",)),
    _f("status", "enum", choices=CAPABILITY_STATUSES),
    _f("summary_en", "text"), _f("summary_zh", "text", required=False),
    _f("source", "ref", ref="sources"), _f("quote", "text"), _f("quote_lang", "lang"),
    _f("claim", "slug", required=False), _f("note", "text", required=False),
), "Dated status changes of each capability.", id_field=None, rules=(_undated("date", "date_precision"),))

CAPABILITIES = Schema("capabilities", "capabilities.yaml", (
    _f("id", "slug"), _f("name_en", "str"), _f("name_zh", "str"), _f("note", "text", required=False),
), "Capabilities of the camera network (ANPR, crowd estimation, facial recognition, ...).",
    children={"events": CAPABILITY_EVENTS})

SAFEGUARD_ENTRIES = Schema("safeguard_entries", "safeguards.yaml", (
    _f("date", "date"), _f("date_precision", "enum", choices=PRECISIONS),
    _f("status", "enum", choices=SAFEGUARD_STATUSES),
    _f("summary_en", "text"), _f("summary_zh", "text", required=False),
    _f("source", "ref", ref="sources"), _f("quote", "text"), _f("quote_lang", "lang"),
    _f("note", "text", required=False),
), "Dated, cited statements about each safeguard.", id_field=None)

SAFEGUARDS = Schema("safeguards", "safeguards.yaml", (
    _f("id", "slug"), _f("name_en", "str"), _f("name_zh", "str"),
    _f("expectation_en", "text"), _f("expectation_zh", "text", required=False),
    _f("guidance_sources", "refs", ref="sources", required=False),
    _f("status", "enum", choices=SAFEGUARD_STATUSES), _f("note", "text", required=False),
), "Protections people expect under the PDPO and the Privacy Commissioner's guidance, and what is documented.",
    children={"entries": SAFEGUARD_ENTRIES})

OPEN_QUESTIONS = Schema("open_questions", "open_questions.yaml", (
    _f("id", "slug"), _f("question_en", "text"), _f("question_zh", "text"),
    _f("first_asked", "date"), _f("first_asked_precision", "enum", choices=PRECISIONS),
    _f("asked_by", "str", required=False), _f("status", "enum", choices=("unanswered", "partly_answered")),
    _f("summary_en", "text", required=False), _f("summary_zh", "text", required=False),
    _f("sources", "refs", ref="sources"),
), "Questions asked of the government that have not been answered in anything published.")

CITIES = Schema("cities", "cities.yaml", (
    _f("id", "slug"), _f("city_en", "str"), _f("city_zh", "str", required=False),
    _f("edition", "slug", description="Which ranking/edition; editions are not comparable"),
    _f("year", "int", required=False, lo=2000, hi=2100, description="Year of the figure; empty when not published"),
    _f("cameras", "number", required=False, lo=0, unit="camera"),
    _f("per_1000", "number", required=False, lo=0, unit="camera per 1,000 people"),
    _f("per_km2", "number", required=False, lo=0, unit="camera per km²"),
    _f("per_sq_mi", "number", required=False, lo=0, unit="camera per square mile"),
    _f("qualifier", "enum", choices=QUALIFIERS, required=False),
    _f("source", "ref", ref="sources"), _f("quote", "text", required=False), _f("quote_lang", "lang", required=False),
    _f("note", "text", required=False),
), "Camera counts and densities published for other cities, kept apart by edition.")

DISTRICT_CENSUS_2021 = Schema("district_census_2021", "district_census_2021.yaml", (
    _f("code", "enum", choices=CODES), _f("population_2021", "int", required=False, lo=0, unit="person"),
    _f("area_km2", "number", required=False, lo=0, unit="km²"), _f("area_note", "text", required=False),
    _f("sources", "refs", ref="sources"), _f("note", "text", required=False),
), "2021 census population and land area by district, where published.", id_field="code")

DISTRICTS = Schema("districts", "districts.csv", (
    _f("code", "enum", choices=CODES, description="Home Affairs Department district code A-T"),
    _f("name_en", "str"), _f("name_zh", "str"), _f("region_en", "str"), _f("region_zh", "str"), _f("abbrev", "str"),
    _f("population_2019", "int", lo=0, unit="person", description="2019 land-based non-institutional population (C&SD)"),
    _f("population_2021", "int", required=False, lo=0, unit="person", description="2021 census population; empty = not published in sources found"),
    _f("area_km2", "number", required=False, lo=0, unit="km²", description="Land area; empty = not published in sources found"),
    _f("sources", "refs", ref="sources", description="Source ids, ';'-separated"),
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
    _f("id", "str", description="Camera id (td-KEY for Transport Department cameras)"),
    _f("latitude", "number", required=False, lo=LAT_RANGE[0], hi=LAT_RANGE[1], unit="degree",
       description="WGS84 latitude; empty when a source places the camera only in a district"),
    _f("longitude", "number", required=False, lo=LON_RANGE[0], hi=LON_RANGE[1], unit="degree",
       description="WGS84 longitude; empty when a source places the camera only in a district"),
    _f("district_code", "enum", choices=CODES, required=False,
       description="District (A-T) whose Home Affairs Department boundary contains the point"),
    _f("district_as_published", "str", required=False,
       description="District as the source wrote it; can differ from district_code where the published point lies in another district"),
    _f("operator", "enum", choices=OPERATORS), _f("programme", "enum", choices=CAMERA_PROGRAMMES),
    _f("kind", "enum", choices=CAMERA_KINDS),
    _f("surveillance_type", "str", required=False, description="OpenStreetMap surveillance:type where given (camera, ALPR, guard)"),
    _f("camera_type", "str", required=False, description="OpenStreetMap camera:type where given (fixed, dome, panning)"),
    _f("description_en", "text", required=False), _f("description_zh", "text", required=False),
    _f("precision", "enum", choices=CAMERA_PRECISIONS, description="exact point, street-level or district-level only"),
    _f("first_seen", "date", required=False, description="First day of the period first_seen_precision gives"),
    _f("first_seen_precision", "enum", choices=PRECISIONS, required=False,
       description="How much of first_seen the source gives: day, month or year"),
    _f("source", "ref", ref="sources"),
), "Known camera locations: Transport Department traffic cameras and SmartView sites named in the press.",
    rules=(_placed,))

SMARTVIEW_SITES = Schema("smartview_sites", "smartview_sites.yaml", (
    _f("id", "slug"), _f("name_en", "str"), _f("name_zh", "str", required=False),
    _f("district_code", "enum", choices=CODES), _f("precision", "enum", choices=("street", "district")),
    _f("first_seen", "date"), _f("first_seen_precision", "enum", choices=PRECISIONS),
    _f("source", "ref", ref="sources"), _f("quote", "text"), _f("quote_lang", "lang"),
    _f("td_camera_key", "str", required=False), _f("note", "text", required=False),
), "SmartView camera sites named by officials or the press, at the precision the source supports.")

ORIGINS = Schema("origins", "origins.yaml", (
    _f("id", "slug"), _f("file", "str"), _f("title", "str"), _f("producer", "str"), _f("citation_full", "text"),
    _f("url_main", "url"), _f("url_download", "url", required=False), _f("date_published", "partial_date"),
    _f("date_accessed", "date"), _f("licence", "str"), _f("sha256", "str"), _f("size", "int", lo=0),
    _f("derived_files", "refs", ref=None), _f("source", "ref", ref="sources"),
), "Raw published files imported into data/, with hash and size (Our World in Data-style origins).")

# Order matters: sources first so references can be resolved.
ALL: tuple[Schema, ...] = (SOURCES, FIGURES, PHASES, CAPABILITIES, SAFEGUARDS, OPEN_QUESTIONS, CITIES,
                           DISTRICT_CENSUS_2021, DISTRICTS, CAMERAS, SMARTVIEW_SITES, ORIGINS)
BY_NAME = {s.name: s for s in ALL} | {c.name: c for s in ALL for c in s.children.values()}
