"""Build data/districts.csv from published district tables.

Load inputs: the hkdatasets district summary (codes, names, regions), the C&SD 2019 population
table, and the hand-transcribed 2021 census supplement in data/district_census_2021.yaml.
Process: join on district code (every spelling resolved by district_names).
Save: districts.csv, one row per district, deterministic.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from loaders import schema
from loaders.district_names import CODES, district_code
from loaders.problems import DataError, Problem
from loaders.validate import check_records, parse_yaml_list, read_text

SUMMARY_SOURCE = "hkdatasets-district-summary"
POPULATION_SOURCE = "csd-district-population-2019"


def _csv_rows(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def build_districts(summary_csv: Path, population_csv: Path, census_yaml: Path) -> str:
    summary = {r["Code"].strip(): r for r in _csv_rows(summary_csv)}
    population = {}
    for r in _csv_rows(population_csv):
        if r.get("row_type") == "district":
            population[district_code(r["district_en"])] = int(r["both_sexes"])
    text, problems = read_text(census_yaml, census_yaml.name)
    records, more = parse_yaml_list(text or "[]", census_yaml.name)
    census, more2 = check_records(records, schema.DISTRICT_CENSUS_2021, census_yaml.name)
    problems += more + more2
    missing = [c for c in CODES if c not in summary or c not in population]
    problems += [Problem(str(summary_csv), None, "Code", f"district {c} missing from the inputs") for c in missing]
    if problems:
        raise DataError(problems)
    census_by = {r["code"]: r for r in census}
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow([f.name for f in schema.DISTRICTS.fields])
    for code in CODES:
        s, c = summary[code], census_by.get(code, {})
        sources = [SUMMARY_SOURCE, POPULATION_SOURCE, *c.get("sources", ())]
        area = c.get("area_km2")
        w.writerow([code, s["District_EN"], s["District_ZH"], s["Region_EN"], s["Region_ZH"], s["Abbrev"],
                    population[code], c.get("population_2021") or "", f"{area:g}" if area is not None else "",
                    ";".join(dict.fromkeys(sources))])
    return out.getvalue()


def main_import_districts(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m loaders import-districts", description=__doc__.splitlines()[0])
    p.add_argument("--summary", required=True, type=Path, help="hkdistrict_summary.csv")
    p.add_argument("--population", required=True, type=Path, help="district_population_2019_csd.csv")
    p.add_argument("--census", required=True, type=Path, help="district_census_2021.yaml")
    p.add_argument("--out", required=True, type=Path)
    a = p.parse_args(argv)
    try:
        text = build_districts(a.summary, a.population, a.census)
    except DataError as exc:
        for prob in exc.problems:
            print(prob, file=__import__("sys").stderr)
        return 1
    a.out.write_text(text, encoding="utf-8")
    return 0
