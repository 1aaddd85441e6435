"""Builders for test inputs in the real published formats (made by code, from cameras in data/).

- Traffic_Camera_Locations_En.csv: UTF-16LE with a byte-order mark, tab-separated, CRLF, the
  columns key/region/district/description/easting/northing/latitude/longitude/url, and the key
  in brackets at the end of the description (as the Transport Department publishes it).
- Traffic_Camera_Locations_Tc.xml: UTF-8 with a BOM, <image-list><image> with tab indents.
- hksar_18_district_boundary.json: HAD's FeatureCollection with 地區號碼 / District / 地區.
- An Overpass API JSON answer (version, generator, osm3s, elements of type node).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from loaders.district_names import DISTRICTS

ROOT = Path(__file__).resolve().parent.parent
TD_HEADER = ["key", "region", "district", "description", "easting", "northing", "latitude", "longitude", "url"]
# The Transport Department's own spelling of district names differs from HAD's ("Central & Western").
TD_DISTRICT = {code: names[0].replace(" and ", " & ") for code, names in DISTRICTS.items()}


def shipped_cameras(n: int) -> list[dict]:
    """The first n cameras of data/cameras_td.csv as TD records (key, district, description, lat, lon)."""
    text = (ROOT / "data" / "cameras_td.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))[:n]
    return [{"key": r["id"].removeprefix("td-"), "district": TD_DISTRICT.get(r["district_code"], ""),
             "region": DISTRICTS.get(r["district_code"], ("", "", "", ""))[2], "description": r["description_en"],
             "description_zh": r["description_zh"] or f"{r['description_en']}（中文）",
             "latitude": r["latitude"], "longitude": r["longitude"]} for r in rows]


def td_csv(cams: list[dict], header: list[str] = TD_HEADER) -> bytes:
    lines = ["\t".join(header)]
    for c in cams:
        values = {"key": c["key"], "region": c["region"], "district": c["district"],
                  "description": f"{c['description']} [{c['key']}]", "easting": "836000", "northing": "815000",
                  "latitude": c["latitude"], "longitude": c["longitude"],
                  "url": f"https://tdcctv.data.one.gov.hk/{c['key']}.JPG"}
        lines.append("\t".join(str(values.get(h, values.get(TD_HEADER[header.index(h)], ""))) for h in header))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-16-le")


def td_tc_xml(cams: list[dict], english: bool = False) -> bytes:
    """Traffic_Camera_Locations_Tc.xml (or, with english=True, the _En.xml laid out the same way)."""
    parts = ['\ufeff<?xml version="1.0" encoding="UTF-8"?>', "<image-list>"]
    for c in cams:
        region = c["region"] if english else "香港島"
        desc = f"{c['description']} [{c['key']}]" if english else c["description_zh"]
        parts += ["\t<image>", f"\t\t<key>{c['key']}</key>", f"\t\t<region>{region}</region>",
                  f"\t\t<description>{desc}</description>", "\t\t<easting>836000</easting>",
                  "\t\t<northing>815000</northing>", f"\t\t<latitude>{c['latitude']}</latitude>",
                  f"\t\t<longitude>{c['longitude']}</longitude>",
                  f"\t\t<url>http://tdcctv.data.one.gov.hk/{c['key']}.JPG</url>", "\t</image>"]
    parts.append("</image-list>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def had_geojson() -> bytes:
    """The shipped (simplified) boundaries with HAD's property names, as HAD lays the file out."""
    fc = json.loads((ROOT / "data" / "geo" / "districts.geojson").read_text(encoding="utf-8"))
    feats = [{"type": "Feature", "geometry": f["geometry"],
              "properties": {"地區號碼": f["properties"]["code"], "District": f["properties"]["name_en"].replace(" and ", " And "),
                             "地區": f["properties"]["name_zh"],
                             "Administrative District Boundary of Hong Kong": "Administrative District Boundary of Hong Kong"}}
             for f in fc["features"]]
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def overpass(nodes: list[dict]) -> bytes:
    answer = {
        "version": 0.6, "generator": "Overpass API 0.7.62.1 084b4234",
        "osm3s": {"timestamp_osm_base": "2026-12-01T00:00:00Z", "timestamp_areas_base": "2026-11-30T23:00:00Z",
                  "copyright": "The data included in this document is from www.openstreetmap.org. "
                               "The data is made available under ODbL."},
        "elements": [{"type": "node", "id": n["id"], "lat": n["lat"], "lon": n["lon"],
                      "tags": {"man_made": "surveillance", "surveillance:type": "camera", **n.get("tags", {})}} for n in nodes],
    }
    return json.dumps(answer, indent=2).encode("utf-8")


def recipe(base: str, *, td_csv_path="/td/Traffic_Camera_Locations_En.csv", tc_path="/td/Traffic_Camera_Locations_Tc.xml",
           had_path="/had/hksar_18_district_boundary.json", osm_path="/api/interpreter") -> str:
    """data/refresh.yaml with the shipped inputs' ids and formats, pointing at the local server."""
    return f"""# test inputs on a local server
- id: had-district-boundaries
  url: {base}{had_path}
  format: had_geojson
  output: geo/districts.geojson
  source: had-district-boundaries-live
  title: hksar_18_district_boundary.json
  producer: Home Affairs Department, HKSAR Government (via DATA.GOV.HK)
  url_main: https://data.gov.hk/en-data/dataset/hk-had-json1-hong-kong-administrative-boundaries
  licence: DATA.GOV.HK terms of use (attribution)
  language: en

- id: td-camera-locations-en
  url: {base}{td_csv_path}
  format: td_csv
  columns: [key, district, description, latitude, longitude]
  output: cameras_td.csv
  zh: td-camera-locations-tc
  source: td-camera-locations-en-live
  title: Traffic_Camera_Locations_En.csv
  producer: Transport Department, HKSAR Government (via DATA.GOV.HK)
  url_main: https://data.gov.hk/en-data/dataset/hk-td-tis_2-traffic-snapshot-images
  licence: DATA.GOV.HK terms of use (attribution)
  language: en

- id: td-camera-locations-tc
  url: {base}{tc_path}
  format: td_xml
  columns: [key, description, latitude, longitude]
  source: td-camera-locations-tc-live
  title: Traffic_Camera_Locations_Tc.xml
  producer: Transport Department, HKSAR Government (via DATA.GOV.HK)
  url_main: https://data.gov.hk/en-data/dataset/hk-td-tis_2-traffic-snapshot-images
  licence: DATA.GOV.HK terms of use (attribution)
  language: zh-Hant

- id: osm-surveillance-nodes
  url: {base}{osm_path}
  format: overpass_json
  query: '[out:json]; node["man_made"="surveillance"](22.1,113.8,22.6,114.5); out body;'
  output: cameras_osm.csv
  source: osm-surveillance-hk-live
  title: OpenStreetMap nodes tagged man_made=surveillance in Hong Kong (Overpass API)
  producer: OpenStreetMap contributors
  url_main: https://www.openstreetmap.org/
  licence: Open Database License (ODbL) 1.0
  language: en
"""
