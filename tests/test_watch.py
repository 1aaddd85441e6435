"""`python -m loaders watch` on feeds served from 127.0.0.1: only new matching items are queued."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from loaders.watch import WatchError, load_config, main_watch, matches, watch
from tests.conftest import DATA
from tests.localhttp import local_server  # noqa: F401  (fixture)

KEYWORDS = ["SmartView", "銳眼", "閉路電視", "CCTV", "天眼", "人臉識別", "facial recognition"]


def gia_rss(items: list[tuple[str, str, str]], lang: str = "en-us") -> bytes:
    """An RSS 2.0 feed laid out like the Government's press release feed (CDATA descriptions)."""
    body = "".join(
        f"<item><title>{title}</title><link>https://www.info.gov.hk/gia/general/202602/{n:02d}/P20260224{n:05d}.htm</link>"
        f"<description><![CDATA[<p>{summary}</p>]]></description>"
        f"<pubDate>Tue, 24 Feb 2026 1{n % 10}:30:00 +0800</pubDate>"
        f"<guid isPermaLink=\"true\">https://www.info.gov.hk/gia/general/202602/{n:02d}/P20260224{n:05d}.htm</guid></item>"
        for n, (title, summary, _) in enumerate(items, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Press Releases</title>'
            f"<link>https://www.info.gov.hk/gia/general/today.htm</link><description>Press Releases</description>"
            f"<language>{lang}</language>{body}</channel></rss>\n").encode("utf-8")


EN_ITEMS = [
    ("LCQ5: Police's SmartView scheme", "Following is a question by the Hon ... on closed-circuit cameras.", ""),
    ("Tender for public toilets", "The Food and Environmental Hygiene Department today invited tenders.", ""),
    ("Police to study facial   Recognition for CCTV", "The Security Bureau said ...", ""),
]
ZH_ITEMS = [
    ("立法會五題：「銳眼」計劃", "以下是今日在立法會會議上...閉路電視...", ""),
    ("食環署公布街市招標結果", "食物環境衞生署今日公布...", ""),
]


def config(server, *, extra: str = "") -> str:
    return f"""keywords: [SmartView, 銳眼, 閉路電視, CCTV, 天眼, 人臉識別, facial recognition]
feeds:
  - id: press-en
    url: {server.url('/gia/rss/general_en.xml')}
    kind: rss
  - id: press-zh
    url: {server.url('/gia/rss/general_zh.xml')}
    kind: rss
  - id: broken
    url: {server.url('/broken.xml')}
  - id: panel-page
    url: {server.url('/panel.html')}
    kind: html
{extra}"""


@pytest.fixture
def feeds(local_server, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    data.mkdir()
    (data / "watch.yaml").write_text(config(local_server), encoding="utf-8")
    local_server.serve("/gia/rss/general_en.xml", gia_rss(EN_ITEMS))
    local_server.serve("/gia/rss/general_zh.xml", gia_rss(ZH_ITEMS, "zh-hk"))
    local_server.serve("/broken.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>CCTV &bogus; </title')
    local_server.serve("/panel.html", '<html><body><a href="/papers/se20260303cb2-123-3-e.pdf">Administration\'s paper on the '
                                      'SmartView programme</a> <a href="minutes.htm">Minutes</a></body></html>')
    return data, tmp_path / "review"


def queue(review: Path) -> list[dict]:
    return yaml.safe_load((review / "queue.yaml").read_text(encoding="utf-8")) or []


def test_watch_queues_matching_items_with_title_url_date_words_and_feed(feeds):
    data, review = feeds
    watch(data, review, today="2026-02-25")
    q = queue(review)
    assert [(e["feed"], e["title"], e["matched"]) for e in q] == [
        ("press-en", "LCQ5: Police's SmartView scheme", ["SmartView"]),
        ("press-en", "Police to study facial Recognition for CCTV", ["CCTV", "facial recognition"]),
        ("press-zh", "立法會五題：「銳眼」計劃", ["銳眼", "閉路電視"]),
        ("panel-page", "Administration's paper on the SmartView programme", ["SmartView"]),
    ]
    first = q[0]
    assert first["url"] == "https://www.info.gov.hk/gia/general/202602/01/P2026022400001.htm"
    assert first["date"] == "2026-02-24T03:30:00Z" and first["found"] == "2026-02-25" and first["status"] == "new"
    assert q[3]["url"].endswith("/papers/se20260303cb2-123-3-e.pdf") and "date" not in q[3]


def test_watch_twice_queues_nothing_new(feeds):
    data, review = feeds
    watch(data, review, today="2026-02-25")
    before = (review / "queue.yaml").read_bytes()
    results = watch(data, review, today="2026-02-26")
    assert sum(len(r.queued) for r in results) == 0
    assert (review / "queue.yaml").read_bytes() == before


def test_watch_queues_only_the_new_item(feeds, local_server):  # noqa: F811
    data, review = feeds
    watch(data, review, today="2026-02-25")
    local_server.serve("/gia/rss/general_en.xml", gia_rss(EN_ITEMS + [("Update on CCTV at MTR stations", "...", "")]))
    results = watch(data, review, today="2026-02-26")
    assert [e["title"] for r in results for e in r.queued] == ["Update on CCTV at MTR stations"]
    assert len(queue(review)) == 5


def test_an_item_removed_from_the_queue_is_not_queued_again(feeds):
    data, review = feeds
    watch(data, review, today="2026-02-25")
    (review / "queue.yaml").write_text("[]\n", encoding="utf-8")  # the curator cleared the queue
    watch(data, review, today="2026-02-26")
    assert queue(review) == []


def test_malformed_feed_is_reported_and_the_others_are_read(feeds):
    data, review = feeds
    results = {r.feed.id: r for r in watch(data, review, today="2026-02-25")}
    assert results["broken"].error.startswith("malformed feed: ")
    assert results["broken"].queued == []
    assert len(results["press-zh"].queued) == 1 and len(results["panel-page"].queued) == 1


def test_feed_http_error_is_reported_and_the_others_are_read(feeds, local_server):  # noqa: F811
    data, review = feeds
    local_server.serve("/gia/rss/general_en.xml", b"", status=502)
    results = {r.feed.id: r for r in watch(data, review, today="2026-02-25")}
    assert results["press-en"].error == "HTTP 502 Bad Gateway"
    assert len(results["press-zh"].queued) == 1


def test_disabled_feed_is_not_fetched(feeds, local_server, tmp_path):  # noqa: F811
    data, review = feeds
    (data / "watch.yaml").write_text(config(local_server) + "    enabled: false\n", encoding="utf-8")  # the html feed
    watch(data, review, today="2026-02-25")
    assert local_server.routes["/panel.html"].hits == []


def test_watch_cli_reports_each_feed_and_exits_1_when_one_failed(feeds, capsys, tmp_path):
    data, review = feeds
    rep = tmp_path / "watch.md"
    code = main_watch(["--data-dir", str(data), "--review-dir", str(review), "--today", "2026-02-25", "--report", str(rep)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == f"watch: 4 new items for review in {review / 'queue.yaml'}; 1 feed failed"
    assert "  press-en: 2 new of 3 items read" in out
    assert "  broken: failed: malformed feed: " in out
    assert rep.read_text(encoding="utf-8") == out


def test_watch_never_touches_the_data_directory(feeds):
    data, review = feeds
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    watch(data, review, today="2026-02-25")
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


@pytest.mark.parametrize("text, words", [
    ("Police CCTV network", ["CCTV"]), ("more cctvs", ["CCTV"]), ("警方「天眼」", ["天眼"]),
    ("Facial\nrecognition trial", ["facial recognition"]), ("Smart View", []),
])
def test_keywords_match_any_case_and_spacing(text, words):
    assert matches(text, KEYWORDS) == words


def test_shipped_watch_config_loads():
    keywords, feeds = load_config(DATA)
    assert keywords == KEYWORDS
    ids = {f.id for f in feeds}
    assert {"gov-press-releases-en", "gov-press-releases-zh", "police-press-releases-en", "legco-panel-on-security"} <= ids
    assert next(f for f in feeds if f.id == "gov-press-releases-en").url == "https://www.info.gov.hk/gia/rss/general_en.xml"


def test_watch_config_problems_name_file_line_and_field(tmp_path):
    (tmp_path / "watch.yaml").write_text("keywords: [CCTV]\nfeeds:\n  - id: a\n    url: file:///etc/passwd\n    kind: atom\n",
                                         encoding="utf-8")
    with pytest.raises(WatchError) as err:
        load_config(tmp_path)
    assert "watch.yaml:4: url: expected an http(s) URL, got 'file:///etc/passwd'" in str(err.value)
    assert "watch.yaml:5: kind: expected one of rss, html; got 'atom'" in str(err.value)
