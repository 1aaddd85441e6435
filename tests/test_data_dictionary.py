"""One data dictionary: loaders/schema.py feeds the catalogue, datapackage.json, docs/data-model.md
and the JSON Schemas of the YAML files; generated files fail the suite when stale."""
from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft7Validator

from loaders import catalogue, data_docs, datasets
from loaders import schema as data_schema
from loaders.datasets import load_all
from loaders.validate import parse_yaml_list

ROOT = data_docs.REPO_ROOT


def _all_schemas():
    return [s for top in data_schema.ALL for s in (top, *top.children.values())]


def test_committed_generated_files_are_current():
    # If this fails: run `python -m loaders docs` and commit the result.
    assert data_docs.stale() == []


def test_a_hand_edit_of_a_generated_file_is_reported_stale(tmp_path):
    data_docs.write(tmp_path)
    assert data_docs.stale(tmp_path) == []
    doc = tmp_path / data_docs.DATA_MODEL
    doc.write_text(doc.read_text(encoding="utf-8").replace("| value |", "| amount |"), encoding="utf-8")
    (tmp_path / data_docs.schema_path(data_schema.CITIES)).unlink()
    assert data_docs.stale(tmp_path) == [data_docs.DATA_MODEL, data_docs.schema_path(data_schema.CITIES)]


@pytest.mark.parametrize("schema", _all_schemas(), ids=lambda s: s.name)
def test_every_field_has_a_description(schema):
    assert [f.name for f in schema.fields if not f.description] == []


def test_field_text_in_catalogue_and_package_comes_from_the_schema():
    cols = {c.name: c for c in catalogue.columns("phases")}
    f = data_schema.PHASES.field("target_value")
    assert (cols["target_value"].description, cols["target_value"].unit) == (f.description, f.unit)
    assert cols["sources"].description.startswith(data_schema.PHASES.field("sources").description)


def test_column_types_follow_the_one_type_table():
    for name in catalogue.DATASETS:
        own = {f.name: f for f in data_schema.BY_NAME[name].fields}
        for col in catalogue.columns(name):
            if col.name in own:
                assert col.type == data_schema.KINDS[own[col.name].kind].package, (name, col.name)
            assert col.pandas_dtype == data_schema.PACKAGE_TYPES[col.type][0]


def test_loaded_frames_have_the_dtypes_the_type_table_declares():
    bundle = load_all()
    for name in catalogue.DATASETS:
        frame = bundle[name]
        for f in data_schema.BY_NAME[name].fields:
            assert str(frame[f.name].dtype) == data_schema.KINDS[f.kind].frame, (name, f.name)
    assert datasets._DTYPES == {"int": "Int64", "number": "float64", "bool": "bool", "date": "datetime64[ns]"}


def _section(doc: str, heading: str) -> str:
    start = doc.index(heading + "\n")
    nxt = doc.find("\n## ", start + 1)
    return doc[start: nxt if nxt != -1 else len(doc)]


@pytest.mark.parametrize("schema", data_schema.ALL, ids=lambda s: s.name)
def test_data_model_doc_lists_every_field_with_its_kind_and_description(schema):
    section = _section(data_docs.data_model_markdown(), f"## {schema.file}")
    parts = section.split("\n### ")  # the record's own table, then one per nested list
    assert len(parts) == 1 + len(schema.children)
    for s, text in zip((schema, *schema.children.values()), parts):
        for f in s.fields:
            row = re.search(rf"^\| {re.escape(f.name)} \| {re.escape(f.kind)}\b.*$", text, re.MULTILINE)
            assert row and data_docs._cell(f.description) in row.group(0), (s.name, f.name)


def test_data_model_doc_has_the_type_table():
    doc = data_docs.data_model_markdown()
    for kind, t in data_schema.KINDS.items():
        assert re.search(rf"^\| {kind} \| .* \| {re.escape(t.frame)} \|", doc, re.MULTILINE), kind


@pytest.mark.parametrize("schema", data_docs.yaml_schemas(), ids=lambda s: s.file)
def test_every_yaml_data_file_passes_its_json_schema(schema):
    js = json.loads((ROOT / data_docs.schema_path(schema)).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(js)
    records, problems = parse_yaml_list((ROOT / "data" / schema.file).read_text(encoding="utf-8"), schema.file)
    assert problems == [] and records
    assert [e.message for e in Draft7Validator(js).iter_errors(records)] == []


def _errors(schema: data_schema.Schema, records: list) -> dict[str, list[str]]:
    """{path of the bad value: messages} from the generated JSON Schema."""
    out: dict[str, list[str]] = {}
    for e in Draft7Validator(data_docs.json_schema(schema)).iter_errors(records):
        out.setdefault("/".join(map(str, e.absolute_path)), []).append(e.message)
    return out


def test_json_schema_flags_the_mistakes_an_editor_should_underline():
    good = {"id": "x-1", "as_of": "2024-07-01", "as_of_precision": "day", "value": 15, "qualifier": "exact",
            "unit": "camera", "basis": "installed_by_police", "topic": "rollout", "claim": "c", "programme": "smartview",
            "source": "s", "quote": "15 cameras", "quote_lang": "en"}
    assert _errors(data_schema.FIGURES, [good]) == {}
    bad = good | {"unit": "cameras", "value": -1, "as_of": "01/07/2024", "phase": 4}
    bad.pop("quote")
    bad["valu"] = 3
    errors = _errors(data_schema.FIGURES, [bad])
    assert set(errors) == {"0", "0/unit", "0/value", "0/as_of", "0/phase"}
    assert "'quote' is a required property" in errors["0"]
    assert any("'valu' was unexpected" in m for m in errors["0"])
    assert errors["0/unit"][0].startswith("'cameras' is not one of")
    assert errors["0/value"] == ["-1 is less than the minimum of 0"]


def test_json_schema_checks_nested_records():
    event = {"date": "2025-07-01", "date_precision": "month", "status": "in_use", "summary_en": "s",
             "source": "s", "quote": "q", "quote_lang": "en"}
    cap = {"id": "anpr", "name_en": "ANPR", "name_zh": "車牌", "events": [event, event | {"status": "maybe"}]}
    assert set(_errors(data_schema.CAPABILITIES, [cap])) == {"0/events/1/status"}


def test_json_schema_accepts_what_the_loader_accepts_for_optional_and_partial_values():
    src = {"id": "s", "title": "t", "publisher": "p", "url": "https://example.org/a", "published": 2020,
           "language": "en", "kind": "news", "original": True, "original_publisher": None, "accessed": "2026-11-26",
           "licence": "", "note": None}
    assert _errors(data_schema.SOURCES, [src]) == {}
    assert _errors(data_schema.SOURCES, [src | {"published": "2024-07"}, src | {"published": "undated"}]) == {}
    assert set(_errors(data_schema.SOURCES, [src | {"published": "July 2024"}])) == {"0/published"}


def test_editor_settings_map_every_yaml_file_to_its_schema():
    settings = json.loads((ROOT / data_docs.VSCODE_SETTINGS).read_text(encoding="utf-8"))["yaml.schemas"]
    assert settings == {data_docs.schema_path(s): f"data/{s.file}" for s in data_docs.yaml_schemas()}
    assert all((ROOT / path).is_file() for path in settings)


def test_generated_files_stay_out_of_the_data_version():
    assert not any(path.startswith("data/") for path in data_docs.outputs())
