"""Escaping for data-derived text: Markdown (st.markdown) and HTML (pydeck tooltips, briefing)."""
from __future__ import annotations

import html as _html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text) -> str:
    """Text safe to drop into st.markdown: no links, images, HTML or emphasis from data."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def html(text) -> str:
    """Text safe inside HTML (quotes escaped too, for attributes)."""
    return "" if text is None else _html.escape(str(text), quote=True)
