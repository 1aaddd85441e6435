"""Camera importer: camera lists in the formats people use -> rows of data/cameras_td.csv.

Modules, in the order a file goes through them:
- fetch.py      bytes from a URL or a path, size-capped
- sniff.py      what the file is (by content), its text; the KML inside a KMZ
- td.py, osm.py, geojson.py, kml.py, table.py
                one reader per kind of list -> records of importer fields
- values.py     single values: text, numbers, dates, operators, column names (one alias table)
- grid.py       HK1980 Grid easting/northing -> WGS84 (pyproj)
- normalise.py  records -> checked camera rows (point inside Hong Kong, district from the point)
- importer.py   import_cameras(), the entry point for the CLI and the map's upload
- cli.py        `python -m loaders import-cameras`
"""
from loaders.importers.cameras.cli import main_import_cameras, to_csv_bytes
from loaders.importers.cameras.fetch import MAX_BYTES, USER_AGENT, fetch
from loaders.importers.cameras.importer import DEFAULT_GEOJSON, import_cameras, import_records, iter_positions, read_records, typed_frame
from loaders.importers.cameras.normalise import COLUMNS
from loaders.importers.cameras.notices import DataError, Notice, Problem, errors, notices
from loaders.importers.cameras.sniff import ACCEPTED, FORMATS, detect_format
from loaders.importers.cameras.values import clean_text

__all__ = ["ACCEPTED", "COLUMNS", "DEFAULT_GEOJSON", "FORMATS", "MAX_BYTES", "USER_AGENT", "DataError", "Notice",
           "Problem", "clean_text", "detect_format", "errors", "fetch", "import_cameras", "main_import_cameras",
           "import_records", "notices", "iter_positions", "read_records", "to_csv_bytes", "typed_frame"]
