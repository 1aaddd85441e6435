"""HTML pieces of the static edition: escaping, the project's Markdown, tables, the page frame.

Data text reaches HTML through exactly two doors: `esc` (ui.escape.html) for plain text, and `md`
for the Markdown that ui/content and ui/present build (where data text is already escaped for
Markdown). The Markdown renderer is markdown-it-py in CommonMark mode with raw HTML switched off,
so a `<script>` in a quote renders as the text "<script>", and links with a javascript:/data:
scheme are refused by its link validator.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt

from ui.escape import html as esc

SAFE_SCHEMES = ("http://", "https://")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def md(text: str | None) -> str:
    """Block Markdown (paragraphs, lists, quotes) -> HTML."""
    return _markdown().render(text or "").strip()


def md_inline(text: str | None) -> str:
    """One line of Markdown (emphasis, links) -> HTML without a wrapping paragraph."""
    return _markdown().renderInline(text or "")


def url_ok(url) -> bool:
    return isinstance(url, str) and url.startswith(SAFE_SCHEMES)


def ext_link(url, text: str | None = None) -> str:
    """An outside link (a published source) or, for a URL that is not http(s), the plain escaped text."""
    if not url_ok(url):
        return esc(text if text is not None else url or "")
    return f'<a href="{esc(url)}" rel="noopener">{esc(text if text is not None else url)}</a>'


def link(href: str, text: str, cls: str | None = None, raw: bool = False) -> str:
    """An internal link; `raw` when text is already HTML."""
    c = f' class="{cls}"' if cls else ""
    return f'<a href="{esc(href)}"{c}>{text if raw else esc(text)}</a>'


@dataclass
class Cell:
    """A table cell: escaped text, optionally linked (internal href or an outside http(s) URL)."""

    text: str
    href: str | None = None
    html: str | None = None  # prebuilt HTML (already escaped)
    lang: str | None = None  # the language of data text in another language (quotes)

    def render(self) -> str:
        if self.html is not None:
            return self.html
        if self.href:
            return link(self.href, self.text) if not self.href.startswith(("http:", "https:")) else ext_link(self.href, self.text)
        return esc(self.text)


def cell(value) -> Cell:
    if isinstance(value, Cell):
        return value
    if value is None or (isinstance(value, float) and value != value):
        return Cell("")
    return Cell(str(value))


def table(headers: Sequence[str], rows: Iterable[Sequence], caption: str | None = None, cls: str = "data",
          numeric: Sequence[int] = ()) -> str:
    """A data table with a header row; every cell escaped (or prebuilt Cell HTML)."""
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            c = cell(v)
            attrs = (' class="num"' if i in numeric else "") + (f' lang="{esc(c.lang)}"' if c.lang else "")
            cells.append(f"<td{attrs}>{c.render()}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{esc(caption or headers[0] if headers else "")}">'
            f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def details(summary: str, body: str, cls: str = "", open_: bool = False) -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<details{c}{' open' if open_ else ''}><summary>{esc(summary)}</summary>{body}</details>"


def callout(body_html: str, kind: str = "note") -> str:
    return f'<div class="callout {kind}">{body_html}</div>'


def dl(pairs: Iterable[tuple[str, str]]) -> str:
    """A definition list; values are HTML (escape before)."""
    return '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


# --- the page frame -------------------------------------------------------------------------------

CSS = """
:root{--ink:#111;--muted:#454545;--line:#c8c8c8;--accent:#0b5394;--warn:#7a4100;--bad:#8a1c1c;--bg2:#f4f5f7}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK TC","PingFang TC","Microsoft JhengHei",sans-serif;
color:var(--ink);background:#fff;line-height:1.5;font-size:16px}
a{color:var(--accent);text-decoration:underline;text-underline-offset:2px}
a:focus-visible,button:focus-visible,summary:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header.site{border-bottom:1px solid var(--line);background:var(--bg2)}
header.site .bar{max-width:1100px;margin:0 auto;padding:8px 16px;display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline}
header.site .name{font-weight:700;color:var(--ink);text-decoration:none;margin-right:auto}
nav.main ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 14px}
nav.main a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--ink)}
main{max-width:1100px;margin:0 auto;padding:8px 16px 32px}
h1{font-size:1.6rem;line-height:1.25;margin:18px 0 8px}h2{font-size:1.3rem;margin:30px 0 8px;border-bottom:2px solid #333;padding-bottom:2px}
h3{font-size:1.08rem;margin:18px 0 6px}
.meta,.caption,figcaption,.note{color:var(--muted);font-size:.92rem}
.metrics{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:10px;margin:10px 0}
.metric{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.metric .label{font-size:.95rem;color:var(--muted);margin:0}.metric .value{font-size:1.7rem;font-weight:650;margin:2px 0}
.metric .delta{font-size:.92rem;margin:0}
.callout{border-left:4px solid var(--accent);background:var(--bg2);padding:8px 12px;margin:10px 0}
.callout.warn{border-color:#b86e00;background:#fff7e8}.callout.bad{border-color:var(--bad);background:#fbeeee}
.box{border:1px solid var(--line);border-radius:6px;padding:8px 14px;margin:10px 0}
.np{color:var(--bad);font-weight:600}
details{margin:6px 0}summary{cursor:pointer;color:var(--accent)}
details.sources>div,details.more>div{padding:4px 0 4px 14px;border-left:3px solid var(--line)}
blockquote{margin:6px 0;padding:2px 12px;border-left:3px solid #999;color:#222}
.table-wrap{overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;font-size:.9rem;min-width:50%}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--bg2)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:4px 0}
figure.chart{margin:12px 0}figure.chart img{max-width:100%;height:auto;border:1px solid #eee}
.chart-live{width:100%}.chart-tools{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:6px 0}
button.interact{font:inherit;padding:6px 12px;border:1px solid var(--accent);background:#fff;color:var(--accent);border-radius:4px;cursor:pointer}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
@media(max-width:560px){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:6px}}
.lang-switch{font-size:.95rem}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.86rem}
pre{white-space:pre-wrap;word-break:break-word;background:var(--bg2);padding:8px;border:1px solid var(--line)}
footer.site{border-top:1px solid var(--line);margin-top:32px;background:var(--bg2)}footer.site div{max-width:1100px;margin:0 auto;padding:12px 16px}
footer.site p{color:var(--muted);font-size:.9rem;margin:4px 0}
svg.map{width:100%;height:auto;max-height:80vh;background:#f7fbff}svg.map a:focus path{stroke:#f0b400;stroke-width:3}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;border:1px solid var(--line);font-size:.9rem}
.badge.ok{background:#e7f4ea;border-color:#2e7d32}.badge.warn{background:#fff4e0;border-color:#b86e00}.badge.np{background:#fbeeee;border-color:var(--bad)}
@media print{header.site nav,.chart-tools,button,.skip{display:none}a{color:#000}}
""".strip()


@dataclass
class Frame:
    """What every page shares: its directory, language, titles and the links around it."""

    lang: str
    path: str  # the page's directory inside the edition ('en/map/')
    title: str
    site_name: str
    nav: list[tuple[str, str, bool]] = field(default_factory=list)  # (href, label, current)
    switch: tuple[str, str, str] | None = None  # (href, label, hreflang)
    head_extra: str = ""
    footer_html: str = ""
    description: str = ""
    canonical: str | None = None
    scripts: list[str] = field(default_factory=list)
    skip_label: str = "Skip to content"
    nav_label: str = ""
    home_href: str = "./"
    body_attrs: str = ""


def page(frame: Frame, body: str) -> str:
    """A complete HTML document: one language, inline CSS, no request to another host."""
    nav_items = "".join(f'<li><a href="{esc(h)}"{" aria-current=page" if cur else ""}>{esc(label)}</a></li>'
                        for h, label, cur in frame.nav)
    switch = ""
    if frame.switch:
        href, label, hreflang = frame.switch
        switch = f'<a class="lang-switch" href="{esc(href)}" hreflang="{esc(hreflang)}" lang="{esc(hreflang)}">{esc(label)}</a>'
    canonical = f'<link rel="canonical" href="{esc(frame.canonical)}">' if frame.canonical else ""
    scripts = "".join(f'<script src="{esc(s)}" defer></script>' for s in frame.scripts)
    desc = f'<meta name="description" content="{esc(frame.description)}">' if frame.description else ""
    return (
        f'<!doctype html>\n<html lang="{esc(frame.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{esc(frame.title)}</title>\n{desc}{canonical}{frame.head_extra}\n<style>{CSS}</style>\n{scripts}\n</head>\n"
        f"<body{frame.body_attrs}>\n"
        f'<a class="skip" href="#content">{esc(frame.skip_label)}</a>\n'
        f'<header class="site"><div class="bar"><a class="name" href="{esc(frame.home_href)}">{esc(frame.site_name)}</a>'
        f'<nav class="main" aria-label="{esc(frame.nav_label)}"><ul>{nav_items}</ul></nav>{switch}</div></header>\n'
        f'<main id="content">\n{body}\n</main>\n'
        f'<footer class="site"><div>{frame.footer_html}</div></footer>\n</body>\n</html>\n'
    )
