"""What kind of camera list a file is, judged by its content (not its name), and its text.

A zip is opened only to look for a KML inside (a KMZ); anything else in a zip is named and
refused. Text is UTF-8 (BOM optional) or UTF-16 (the Transport Department's live CSV).
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

from loaders.importers.cameras.fetch import MAX_BYTES
from loaders.importers.cameras.notices import DataError, Problem
from loaders.importers.cameras.values import FIELD_FOR, fold_key

FORMATS = ("td_xml", "td_json", "td_csv", "overpass_json", "geojson", "kml", "kmz", "plain_csv")
ACCEPTED = ("Transport Department camera lists (Traffic_Camera_Locations_En/Tc .xml, .json or the UTF-16 .csv), "
            "OpenStreetMap (Overpass JSON, or GeoJSON from overpass-turbo, osmtogeojson or QuickOSM), GeoJSON points, "
            "KML or KMZ (Google My Maps), or CSV with latitude/longitude or HK1980 Grid easting/northing columns")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (BOM optional) or UTF-16 with a BOM / NUL pattern; else DataError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        enc = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
        try:
            return data.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise DataError([Problem(name, None, "file", f"not valid UTF-16 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("big5hkscs")
            hint = " It reads as Big5-HKSCS;"
        except UnicodeDecodeError:
            pass
        msg = (f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}).{hint}"
               " save the file as UTF-8 (or UTF-16 with a byte-order mark) and try again")
        raise DataError([Problem(name, line, "encoding", msg)]) from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: ASCII-heavy text has a zero in every other byte."""
    head = data[:200]
    if len(head) < 8:
        return False
    half = len(head) // 2
    return head[1::2].count(0) > 0.8 * half or head[0::2].count(0) > 0.8 * half


def is_zip(data: bytes) -> bool:
    return data.startswith(_ZIP_MAGIC)


def kml_in_zip(data: bytes, name: str, max_bytes: int) -> tuple[bytes, str]:
    """The KML inside a KMZ (doc.kml, else the first .kml), read with a size cap; DataError
    naming what the zip is when it holds no KML (a KMZ is a zip, but not every zip is a KMZ)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DataError([Problem(name, None, "file", f"a damaged zip file ({exc}); accepted: {ACCEPTED}")]) from None
    names = [i.filename for i in infos]
    kmls = [i for i in infos if i.filename.lower().endswith(".kml") and not i.is_dir()]
    if not kmls:
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            what = "an Excel workbook (.xlsx), not a camera list; save the sheet as CSV UTF-8 and upload that"
        elif "[Content_Types].xml" in names or "mimetype" in names:
            what = "an office document, not a camera list"
        else:
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "") or "nothing"
            what = f"a zip file with no .kml inside (it holds {shown}), so not a KMZ"
        raise DataError([Problem(name, None, "file", f"{what}; accepted: {ACCEPTED}")])
    info = next((i for i in kmls if i.filename.lower() == "doc.kml"), kmls[0])
    if info.flag_bits & 0x1:
        raise DataError([Problem(name, None, "file", f"{info.filename} in the KMZ is encrypted")])
    if info.file_size > max_bytes:
        raise DataError([Problem(name, None, "file", f"{info.filename} in the KMZ is {info.file_size:,} bytes unpacked; "
                                                     f"the limit is {max_bytes:,}")])
    try:
        with zf.open(info) as fh:
            inner = fh.read(max_bytes + 1)  # the declared size may lie: cap what is actually read
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise DataError([Problem(name, None, "file", f"cannot unpack {info.filename} from the KMZ: {exc}")]) from None
    if len(inner) > max_bytes:
        raise DataError([Problem(name, None, "file", f"{info.filename} in the KMZ is more than {max_bytes:,} bytes unpacked")])
    return inner, info.filename


def first_tag(text: str) -> str | None:
    """Name of the XML root element (after declaration, comments and DOCTYPE)."""
    m = re.search(r"<([^?!][^\s/>]*)", text[:5000])
    return m.group(1) if m else None


def split_header(text: str) -> tuple[str, list[str]]:
    """(delimiter, folded header names) from the first non-empty line."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delim = max(("\t", ",", ";"), key=lambda d: (first.count(d), d == ","))
    names = next(csv.reader([first], delimiter=delim), [])
    return delim, [fold_key(n) for n in names]


def _is_td_header(names: list[str]) -> bool:
    have = set(names)
    return {"key", "description", "latitude", "longitude"} <= have and bool(have & {"region", "district", "url", "easting"})


def sniff(text: str, name: str) -> tuple[str, Any]:
    """(format, parsed JSON or None) from decoded text; DataError when unknown."""
    stripped = text.lstrip()
    if not stripped:
        raise DataError([Problem(name, None, "file", f"the file is empty; accepted: {ACCEPTED}")])
    head = stripped[0]
    if head == "<":
        root = (first_tag(stripped) or "").lower()
        if root == "image-list":
            return "td_xml", None
        if root.rsplit(":", 1)[-1] == "kml":
            return "kml", None
        what = "an HTML page" if root == "html" else f"XML with root <{root}>"
        raise DataError([Problem(name, None, "file", f"{what} is not a camera list; accepted: {ACCEPTED}")])
    if head in "[{":
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise DataError([Problem(name, exc.lineno, "file", f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None
        except RecursionError:
            raise DataError([Problem(name, None, "file", "JSON nested too deeply")]) from None
        if isinstance(obj, list):
            first = next((o for o in obj if isinstance(o, dict)), None)
            if first is not None and {"key", "latitude", "longitude"} <= {fold_key(k) for k in first}:
                return "td_json", obj
        if isinstance(obj, dict):
            if isinstance(obj.get("elements"), list):
                return "overpass_json", obj
            if obj.get("type") in ("FeatureCollection", "Feature"):
                return "geojson", obj
        raise DataError([Problem(name, None, "file", f"JSON, but not a known camera list; accepted: {ACCEPTED}")])
    _, names = split_header(stripped)
    if _is_td_header(names):
        return "td_csv", None
    if len(names) >= 2 or any(n in FIELD_FOR for n in names):
        return "plain_csv", None
    raise DataError([Problem(name, None, "file", f"cannot tell what kind of camera list this is; accepted: {ACCEPTED}")])


def detect_format(data: bytes, name: str) -> str:
    """One of FORMATS, judged by content (zip, BOM, first character, XML root, keys), not extension.

    Raises DataError with one Problem naming the file and the accepted formats when unknown.
    """
    if is_zip(data):
        kml_in_zip(data, name, MAX_BYTES)  # raises when the zip holds no KML
        return "kmz"
    try:
        text = decode(data, name)
    except DataError:
        text = data.decode("utf-8", errors="replace")  # still sniff; the importer reports encoding
    return sniff(text, name)[0]
