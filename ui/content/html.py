"""HTML pieces for st.html blocks: our own Markdown turned into HTML, citations as HTML.

Used where a page needs a layout Streamlit's elements cannot give (a comparison that is a grid on
a desktop and stacked cards on a phone). Everything is escaped: data text arrives Markdown-escaped
(ui.escape.md) inside the page's Markdown, and leaves here HTML-escaped with only the markup we
write ourselves (bold, italics, lists, links to source addresses).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

from ui.present import Presenter, missing

_MD_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~$])")
_PRIVATE = 0xE000  # escaped characters travel as private-use code points until the markup is read
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")
_LANG_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,8})?")  # en, id, zh-Hant: a quote's language for screen readers


def inline(md: str) -> str:
    """One line of our Markdown (bold, italics, backslash escapes) as escaped HTML."""
    protected = _MD_ESCAPED.sub(lambda m: chr(_PRIVATE + ord(m.group(1))), md)
    text = html.escape(protected, quote=False)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return "".join(html.escape(chr(ord(c) - _PRIVATE), quote=False) if _PRIVATE <= ord(c) < _PRIVATE + 128 else c
                   for c in text)


def block(md: str, css_class: str | None = None) -> str:
    """Our Markdown (paragraphs and "- " lists) as HTML."""
    out, items = [], []
    attr = f' class="{css_class}"' if css_class else ""

    def flush() -> None:
        if items:
            out.append(f"<ul{attr}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in md.split("\n"):
        if line.startswith("- "):
            items.append(inline(line[2:]))
            continue
        flush()
        if line.strip():
            out.append(f"<p{attr}>{inline(line)}</p>")
    flush()
    return "".join(out)


def _link(url: str, text: str) -> str:
    safe = url if url.startswith(("https://", "http://")) else "#"
    return f'<a href="{html.escape(safe)}" rel="noopener">{html.escape(text)}</a>'


def citation(pr: Presenter, source_id, quote=None, quote_lang=None) -> str:
    """A source as HTML: publisher, linked title, date, copy warning, verbatim quote and its language."""
    s = pr.source(source_id)
    if s is None:
        return f"<p>{html.escape(pr.t('common.source'))}: {html.escape(str(source_id))}</p>"
    text = (f"<p>{html.escape(pr.t('common.source') + pr.t('present.label_sep'))}{html.escape(pr.publisher(s))}, "
            f"{_link(str(s['url']), pr.title(s))} ({html.escape(pr.published(s['published']))})")
    if pr.copy_mark(s):
        text += f" — <em>{html.escape(pr.t('common.copy_of', publisher=s.get('original_publisher') or '?'))}</em>"
    text += "</p>"
    if not missing(quote) and quote:
        lang_attr = f' lang="{quote_lang}"' if isinstance(quote_lang, str) and _LANG_TAG.fullmatch(quote_lang) else ""
        text += (f"<blockquote{lang_attr}>{html.escape(str(quote))}</blockquote>"
                 f"<p><em>{html.escape(pr.t('common.quote_lang', language=pr.quote_language(quote_lang)))}</em></p>")
    return text


def cite(pr: Presenter, r: Mapping, what: str | None = None) -> str:
    """One record as HTML: its value (or `what`) and date, then its source with the verbatim quote."""
    what = what if what is not None else (pr.value(r) if "value" in r else r.get("summary") or "")
    return (f"<p><strong>{html.escape(str(what))}</strong> · {html.escape(pr.as_of(r))}</p>"
            + citation(pr, r["source"], r.get("quote"), r.get("quote_lang")))


TABLE_CSS = """
.hkc-tbl-wrap{container-type:inline-size;margin:.25rem 0 1rem}
.hkc-tbl{border-collapse:collapse;width:100%;font-size:.9rem;line-height:1.45}
.hkc-tbl caption{text-align:left;font-weight:600;padding:0 0 .4rem}
.hkc-tbl th,.hkc-tbl td{border-bottom:1px solid #d6d6d6;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
.hkc-tbl thead th{border-bottom:2px solid #888;background:#f4f4f4}
.hkc-tbl td.num{white-space:nowrap}
.hkc-tbl ul{margin:0;padding-left:1.1rem}.hkc-tbl li{margin:0 0 .3rem}.hkc-tbl p{margin:0 0 .3rem}
.hkc-tbl .cap{color:#333;font-size:.85rem}
.hkc-tbl details summary{cursor:pointer;font-weight:600;margin-top:.3rem}
.hkc-tbl blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #bbb}
.hkc-badge{display:inline-block;border-radius:.3rem;padding:0 .35rem;font-size:.85rem;font-weight:600;border:1px solid}
.hkc-badge.documented{color:#0b5d1e;background:#e6f4ea;border-color:#0b5d1e}
.hkc-badge.promised{color:#7a4100;background:#fff1df;border-color:#7a4100}
.hkc-badge.not_published{color:#8a1c1c;background:#fde8e8;border-color:#8a1c1c}
.hkc-badge.conflicting{color:#5b2a86;background:#f1e8fa;border-color:#5b2a86}
@container (max-width: 560px){
 .hkc-tbl thead{display:none}
 .hkc-tbl,.hkc-tbl tbody,.hkc-tbl tr,.hkc-tbl td,.hkc-tbl th[scope=row]{display:block;width:auto}
 .hkc-tbl tr{border:1px solid #c8c8c8;border-radius:.5rem;padding:.4rem .7rem;margin-bottom:.6rem}
 .hkc-tbl td,.hkc-tbl th[scope=row]{border:none;padding:.15rem 0}
 .hkc-tbl th[scope=row]{font-size:1rem}
 .hkc-tbl caption{display:block}
 .hkc-tbl td:empty{display:none}
 .hkc-tbl td::before{content:attr(data-label);font-weight:600}
 .hkc-tbl td.num{white-space:normal}
}
"""


class Html(str):
    """A table cell that is already HTML (built here from escaped parts), inserted as it is."""


def table(headers: list[str], rows: list[list], caption: str | None = None, numeric: tuple[int, ...] = (),
          label_sep: str = ": ", css_class: str = "") -> str:
    """A table that is a table on a wide screen and one labelled card per row on a phone.

    Cells are plain text (escaped here) or (text, url) for a link. The first column is each row's
    header. On a phone every cell carries its column's name, so nothing reads unlabelled.
    """
    def cell(value) -> str:
        if isinstance(value, Html):
            return str(value)
        if isinstance(value, tuple):
            text, url = value
            return _link(str(url), str(text)) if url else html.escape(str(text))
        return html.escape("" if value is None else str(value))

    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{cell(row[0])}</th>']
        for i, (label, value) in enumerate(zip(headers[1:], row[1:]), start=1):
            cls = ' class="num"' if i in numeric else ""
            cells.append(f'<td data-label="{html.escape(label + label_sep)}"{cls}>{cell(value)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f"<style>{TABLE_CSS}</style><div class='hkc-tbl-wrap'><table class='hkc-tbl {css_class}'>{cap}<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")
