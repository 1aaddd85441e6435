"""Atom feeds of changes to the published figures, in English and Traditional Chinese.

One entry per figure added or changed in a data version (the first recorded version is the
starting point, not news). Everything comes from the changelog (loaders.changes), so a feed
cannot say anything the data does not. Byte-reproducible: entry ids are UUIDs derived from
(version, change, figure, language), times are the versions' recorded times, and the data
directory's not-yet-recorded changes take the export's `generated` time.
"""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from feedgen.feed import FeedGenerator

from loaders import changes
from loaders.citation import AUTHOR

LANGS = ("en", "zh-Hant")
FILE_NAMES = {lang: f"changes.{lang}.atom" for lang in LANGS}
_NS = uuid.UUID("5d0f5f0e-6c1b-4d8e-9a55-3c1f1c6b7a10")  # fixed namespace: the same change keeps its id
TEXT = {
    "title": {"en": "Hong Kong CCTV Watch: changes to published figures",
              "zh-Hant": "香港閉路電視監察：公開數字的更改"},
    "subtitle": {"en": "Each figure added or changed in a new data version, with its source and verbatim quote.",
                 "zh-Hant": "每個數據版本新增或更改的數字，附出處及引文原文。"},
    "as_of": {"en": "As of", "zh-Hant": "截至"},
    "stated": {"en": "Stated", "zh-Hant": "公布日期"},
    "source": {"en": "Source", "zh-Hant": "出處"},
    "quote": {"en": "Quote (verbatim, {lang})", "zh-Hant": "引文原文（{lang}）"},
    "changed": {"en": "Changed fields", "zh-Hant": "更改的欄位"},
    "version": {"en": "Data version", "zh-Hant": "數據版本"},
    "not_published": {"en": "not published", "zh-Hant": "未有公布"},
}


def _when(text: str | None, fallback: str) -> dt.datetime:
    value = text or fallback
    if len(value) == 10:
        value += "T00:00:00Z"
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def _entry_text(ch: changes.Change, version: changes.Version, sources: dict, lang: str) -> str:
    rec, t = ch.record, {k: v[lang] for k, v in TEXT.items()}
    colon = ": " if lang == "en" else "："
    lines = [changes.summary(ch, lang), ""]
    lines.append(f"{t['as_of']}{colon}{rec.get('as_of') or t['not_published']}")
    lines.append(f"{t['stated']}{colon}{rec.get('stated') or t['not_published']}")
    src = sources.get(rec.get("source"), {})
    label = " — ".join(x for x in (src.get("publisher"), src.get("title")) if x)
    lines.append(f"{t['source']}{colon}{rec.get('source')}" + (f" ({label})" if label else "") + (f" {src['url']}" if src.get("url") else ""))
    if rec.get("quote"):
        lines.append(t["quote"].format(lang=rec.get("quote_lang", "?")) + f"{colon}{rec['quote']}")
    if ch.op == "changed":
        lines.append(f"{t['changed']}{colon}")
        lines += ["  {}: {} → {}".format(f, *changes.excerpt_pair(old, new)) for f, old, new in ch.fields]
    lines.append(f"{t['version']}{colon}{version.label}")
    return "\n".join(lines)


def build_feed(tl: changes.Timeline, lang: str, generated: str, site_url: str | None = None) -> bytes:
    """One language's Atom feed as bytes, newest change first."""
    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(_NS, 'feed:' + lang)}")
    fg.title(TEXT["title"][lang])
    fg.subtitle(TEXT["subtitle"][lang])
    fg.author({"name": AUTHOR})
    fg.language(lang)
    fg.generator("Hong Kong CCTV Watch (python -m loaders export)")
    if site_url:
        fg.link(href=site_url, rel="alternate")
    entries = []
    for i in range(len(tl.versions) - 1, 0, -1):
        version = tl.versions[i]
        when = _when(version.recorded, generated)
        sources = tl.snapshots[i].get("sources", {})
        for ch in tl.changes[i]:
            if ch.dataset != "figures" or ch.op not in ("added", "changed"):
                continue
            fe = fg.add_entry(order="append")
            fe.id(f"urn:uuid:{uuid.uuid5(_NS, f'{version.label}:{ch.op}:figures:{ch.key}:{lang}')}")
            fe.title(changes.summary(ch, lang))
            fe.updated(when)
            fe.content(_entry_text(ch, version, sources, lang), type="text")
            src_url = sources.get(ch.record.get("source"), {}).get("url")
            if src_url:  # the entry's link opens the published source the figure cites
                fe.link(href=src_url)
            entries.append(when)
    fg.updated(max(entries) if entries else _when(None, generated))
    return fg.atom_str(pretty=True, encoding="UTF-8")


def write_change_feeds(out_dir: str | Path, root=None, hdir=None, generated: str | None = None,
                       site_url: str | None = None) -> list[Path]:
    """Write changes.en.atom and changes.zh-Hant.atom into out_dir; return their paths."""
    from loaders.export import generated_timestamp

    tl = changes.timeline(root, hdir)
    stamp = generated_timestamp(generated)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang in LANGS:
        path = out / FILE_NAMES[lang]
        path.write_bytes(build_feed(tl, lang, stamp, site_url))
        paths.append(path)
    return paths


def write_feeds_for_export(out_dir, root, generated: str) -> list[Path]:
    """`python -m loaders export` calls this: a broken history is a warning there, not a failed export."""
    import sys

    try:
        return write_change_feeds(out_dir, root, generated=generated)
    except changes.HistoryError as exc:
        print(f"warning: change feeds not written: {exc}", file=sys.stderr)
        return []
