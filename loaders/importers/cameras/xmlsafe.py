"""XML parsing for untrusted files: no DTDs, so no entity expansion and no external fetches.

Both the Transport Department's XML and KML go through `parse`; the caller gets element
start/end events with local names (namespaces dropped) and the line each element starts on.
"""
from __future__ import annotations

from collections.abc import Callable
from xml.parsers import expat

from loaders.importers.cameras.notices import DataError, Problem


class _Refused(Exception):
    pass


def local(tag: str) -> str:
    """'http://www.opengis.net/kml/2.2 Placemark' or 'kml:Placemark' -> 'placemark'."""
    return tag.rsplit(" ", 1)[-1].rsplit(":", 1)[-1].lower()


def parse(text: str, name: str, start: Callable[[str, dict, int], None], end: Callable[[str, str], None]) -> None:
    """Run expat over decoded text. start(tag, attrs, line) and end(tag, text) get local names;
    `text` is the element's own character data. Raises DataError on a DOCTYPE or bad XML."""
    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")  # text is decoded: ignore the declared encoding
    stack: list[list[str]] = []

    def on_start(tag, attrs):
        stack.append([])
        start(local(tag), attrs, parser.CurrentLineNumber)

    def on_end(tag):
        end(local(tag), "".join(stack.pop()))

    def on_text(data):
        if stack:
            stack[-1].append(data)

    def refuse(*_args):
        raise _Refused()

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    parser.StartDoctypeDeclHandler = refuse  # no DTDs: no entity expansion, no external fetches
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(text.encode("utf-8"), True)
    except _Refused:
        raise DataError([Problem(name, parser.CurrentLineNumber, "file", "XML with a DOCTYPE is not accepted")]) from None
    except expat.ExpatError as exc:
        raise DataError([Problem(name, exc.lineno, "file",
                                 f"not well-formed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})")]) from None
