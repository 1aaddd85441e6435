"""`python -m loaders watch`: read official news feeds and queue statements that mention cameras.

Load inputs: data/watch.yaml (keywords and feeds). Process: each feed is fetched and parsed on
its own (RSS/Atom through feedparser, or the links of an HTML page); an item whose title or
summary contains a keyword and that has not been seen before is queued. Save: new items are
appended to review/queue.yaml for a curator and "feed<TAB>link" to review/seen.txt, so an item
is queued once even after the curator removes it from the queue.

It never adds a figure: figures need a person to read the statement and copy a verbatim quote.
The review folder is outside data/, so watching never changes the data version. A feed that
fails (HTTP error, malformed XML) is reported and the others are still read.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import os
import re
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from loaders import yaml_text
from loaders.fetch import TIMEOUT, FetchError, fetch_bytes

CONFIG = "watch.yaml"
DEFAULT_REVIEW = Path(__file__).resolve().parent.parent / "review"
QUEUE, SEEN = "queue.yaml", "seen.txt"
KINDS = ("rss", "html")
QUEUE_ORDER = ("id", "title", "url", "date", "matched", "feed", "found", "status")
QUEUE_HEADER = ("# Statements found by `python -m loaders watch` for a curator to read (newest at the end).\n"
                "# status: new -> read / figure-added / not-relevant. Entries may be deleted once handled:\n"
                "# review/seen.txt remembers them, so they are not queued again.\n")


class WatchError(Exception):
    """data/watch.yaml cannot be used; FILE:LINE: field: message."""


@dataclass(frozen=True)
class Feed:
    id: str
    url: str
    kind: str = "rss"
    title: str = ""
    language: str = ""
    enabled: bool = True
    note: str = ""


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    date: str  # ISO time (UTC) the feed gives, or ""
    text: str  # title and summary as plain text, for matching
    key: str  # what identifies the item across runs: its link, else its guid, else its title


@dataclass
class FeedResult:
    feed: Feed
    read: int = 0
    queued: list[dict] = field(default_factory=list)
    error: str | None = None


# ---------------------------------------------------------------- configuration

def load_config(root: Path) -> tuple[list[str], list[Feed]]:
    from loaders.validate import _LineLoader, read_text

    text, problems = read_text(root / CONFIG, CONFIG)
    if text is None:
        raise WatchError("\n".join(map(str, problems)))
    try:
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise WatchError(f"{CONFIG}:{mark.line + 1 if mark else '?'}: yaml: malformed YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict):
        raise WatchError(f"{CONFIG}:1: file: expected a mapping with keywords and feeds")
    errors = []
    def line(rec, f):
        return rec.lines.get(f, rec.line) if hasattr(rec, "lines") else "?"
    keywords = doc.get("keywords")
    if not isinstance(keywords, list) or not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
        errors.append(f"{CONFIG}:{line(doc, 'keywords')}: keywords: expected a list of words")
        keywords = []
    feeds, ids = [], set()
    for rec in doc.get("feeds") or []:
        if not isinstance(rec, dict):
            errors.append(f"{CONFIG}:{line(doc, 'feeds')}: feeds: expected a list of field: value mappings")
            continue
        bad = False
        for f in rec:
            if f not in Feed.__dataclass_fields__:
                errors.append(f"{CONFIG}:{line(rec, f)}: {f}: unknown field (expected one of: {', '.join(Feed.__dataclass_fields__)})")
                bad = True
        for f in ("id", "url"):
            if not isinstance(rec.get(f), str) or not rec[f].strip():
                errors.append(f"{CONFIG}:{line(rec, f)}: {f}: required field is missing")
                bad = True
        if isinstance(rec.get("url"), str) and not re.match(r"^https?://\S+$", rec["url"]):
            errors.append(f"{CONFIG}:{line(rec, 'url')}: url: expected an http(s) URL, got {rec['url']!r}")
            bad = True
        if rec.get("kind", "rss") not in KINDS:
            errors.append(f"{CONFIG}:{line(rec, 'kind')}: kind: expected one of {', '.join(KINDS)}; got {rec.get('kind')!r}")
            bad = True
        if not isinstance(rec.get("enabled", True), bool):
            errors.append(f"{CONFIG}:{line(rec, 'enabled')}: enabled: expected true or false, got {rec.get('enabled')!r}")
            bad = True
        if rec.get("id") in ids:
            errors.append(f"{CONFIG}:{line(rec, 'id')}: id: duplicate id {rec['id']!r}")
            bad = True
        if not bad:
            ids.add(rec["id"])
            feeds.append(Feed(**{k: v for k, v in rec.items()}))
    if errors:
        raise WatchError("\n".join(errors))
    return [k.strip() for k in keywords], feeds


# ---------------------------------------------------------------- reading feeds

def _plain(text: str | None) -> str:
    """HTML to one line of text (tags dropped, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text or "")).split())


def parse_rss(data: bytes) -> list[Item]:
    """Items of an RSS or Atom feed; ValueError when it is not a well-formed feed."""
    import feedparser

    parsed = feedparser.parse(data)  # bytes, never a URL: feedparser must not fetch anything itself
    exc = parsed.get("bozo_exception")
    if parsed.bozo and not isinstance(exc, feedparser.CharacterEncodingOverride):
        raise ValueError(f"malformed feed: {exc}")
    if not parsed.version:
        raise ValueError("not an RSS or Atom feed")
    items = []
    for e in parsed.entries:
        title = _plain(e.get("title"))
        link = (e.get("link") or "").strip()
        when = e.get("published_parsed") or e.get("updated_parsed")
        date = time.strftime("%Y-%m-%dT%H:%M:%SZ", when) if when else ""
        key = link or (e.get("id") or "").strip() or title
        items.append(Item(title, link, date, f"{title} {_plain(e.get('summary'))}", key))
    return items


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = [dict(attrs).get("title") or ""]

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(" ".join(self._text).split())))
            self._href = None


def parse_html(data: bytes, base_url: str) -> list[Item]:
    """The links of a page as items (text and absolute address); pages carry no dates."""
    parser = _Links()
    parser.feed(data.decode("utf-8", errors="replace"))
    items, seen = [], set()
    for href, text in parser.links:
        if not href or not text or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urllib.parse.urljoin(base_url, href)
        if url not in seen:
            seen.add(url)
            items.append(Item(text, url, "", text, url))
    return items


def matches(text: str, keywords: list[str]) -> list[str]:
    """The keywords found in text (any case, any spacing), in the configured order."""
    folded = " ".join(text.casefold().split())
    return [k for k in keywords if " ".join(k.casefold().split()) in folded]


# ---------------------------------------------------------------- the queue

def review_dir(override: str | os.PathLike | None = None) -> Path:
    if override:
        return Path(override)
    env = os.environ.get("HKCCTV_REVIEW_DIR")
    return Path(env) if env else DEFAULT_REVIEW


def read_seen(review: Path) -> set[str]:
    path = review / SEEN
    return {ln for ln in path.read_text(encoding="utf-8").splitlines() if ln} if path.is_file() else set()


def _entry(item: Item, feed: Feed, words: list[str], found: str) -> dict:
    return {"id": "w-" + hashlib.sha256(f"{feed.id}\t{item.key}".encode("utf-8")).hexdigest()[:10], "title": item.title or "(no title)",
            "url": item.url or item.key, "date": item.date, "matched": words, "feed": feed.id, "found": found,
            "status": "new"}


def watch(root=None, review=None, *, today: str | None = None, timeout: float = TIMEOUT) -> list[FeedResult]:
    """Read every enabled feed, queue new matching items; one result per feed, in config order."""
    from loaders.datasets import data_dir

    keywords, feeds = load_config(data_dir(root))
    review = review_dir(review)
    found = today or dt.datetime.now(dt.timezone.utc).date().isoformat()
    seen = read_seen(review)
    results, new_keys, blocks = [], [], []
    for feed in feeds:
        res = FeedResult(feed)
        results.append(res)
        if not feed.enabled:
            continue
        try:
            data = fetch_bytes(feed.url, timeout=timeout)
            items = parse_html(data, feed.url) if feed.kind == "html" else parse_rss(data)
        except FetchError as exc:
            res.error = exc.reason
            continue
        except (ValueError, UnicodeDecodeError) as exc:
            res.error = str(exc)
            continue
        res.read = len(items)
        for item in items:
            words = matches(item.text, keywords)
            key = f"{feed.id}\t{' '.join(item.key.split())}"  # per feed: the English and Chinese releases may share an address
            if not words or key in seen:
                continue
            seen.add(key)
            new_keys.append(key)
            entry = _entry(item, feed, words, found)
            block = yaml_text.record_block(entry, QUEUE_ORDER)
            if yaml_text.read_back(block) != {k: v for k, v in entry.items() if v not in ("", [], None)}:
                res.error = f"item {item.key!r} does not write back unchanged; not queued"
                continue
            res.queued.append(entry)
            blocks.append(block)
    if blocks:
        review.mkdir(parents=True, exist_ok=True)
        queue = review / QUEUE
        text = queue.read_text(encoding="utf-8") if queue.is_file() else QUEUE_HEADER
        for block in blocks:
            text = yaml_text.append(text, block)
        _write(queue, text)
        with open(review / SEEN, "a", encoding="utf-8", newline="\n") as fh:
            fh.writelines(k + "\n" for k in new_keys)
    return results


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def report(results: list[FeedResult], queue: Path) -> str:
    total = sum(len(r.queued) for r in results)
    failed = [r for r in results if r.error]
    lines = [f"watch: {total} new item{'s' if total != 1 else ''} for review in {queue}"
             + (f"; {len(failed)} feed{'s' if len(failed) != 1 else ''} failed" if failed else "")]
    for r in results:
        if not r.feed.enabled:
            lines.append(f"  {r.feed.id}: off ({r.feed.url})")
        elif r.error:
            lines.append(f"  {r.feed.id}: failed: {r.error} ({r.feed.url})")
        else:
            lines.append(f"  {r.feed.id}: {len(r.queued)} new of {r.read} items read")
        for e in r.queued:
            lines.append(f"    - {e['title']} [{', '.join(e['matched'])}] {e['url']}")
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m loaders watch",
                                description="Queue new official statements that mention the camera network for review.")
    p.add_argument("--today", help="date recorded as 'found', YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds to wait for each feed")
    p.add_argument("--report", type=Path, help="also write the report to this file (e.g. a pull request body)")
    p.add_argument("--data-dir", default=None, help="data directory with watch.yaml (default: $HKCCTV_DATA_DIR or data/)")
    p.add_argument("--review-dir", default=None, help="queue folder (default: $HKCCTV_REVIEW_DIR or review/)")
    return p


def main_watch(argv: list[str]) -> int:
    """Exit 0 when every enabled feed was read, 1 when any failed (the others are still queued)."""
    a = build_parser().parse_args(argv)
    try:
        results = watch(a.data_dir, a.review_dir, today=a.today, timeout=a.timeout)
    except WatchError as exc:
        print(f"watch: {exc}", file=sys.stderr)
        return 2
    text = report(results, review_dir(a.review_dir) / QUEUE)
    sys.stdout.write(text)
    if a.report:
        a.report.write_text(text, encoding="utf-8")
    return 1 if any(r.error for r in results) else 0
