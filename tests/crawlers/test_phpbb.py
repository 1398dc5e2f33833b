"""phpbb: board index, forum pages, topic pages (3.3 and 3.0 markup, Latin-1, broken HTML)."""

from __future__ import annotations

from tests.crawlers.sites import BASE, fixture_bytes
from vigie.crawlers.extract import phpbb
from vigie.crawlers.extract._encoding import decode_body
from vigie.schema import make_doc_id

FORUM = f"{BASE}/forum/"


def _html(name, charset="utf-8"):
    return decode_body(fixture_bytes("phpbb", f"forum/{name}"), charset)[0]


def test_forum_pages():
    index = phpbb.forum_page(_html("index.php"), FORUM + "index.php")
    assert index["forums"] == [FORUM + "viewforum.php?f=2", FORUM + "viewforum.php?f=3"]  # session ids removed
    forum = phpbb.forum_page(_html("viewforum.php@f=2"), FORUM + "viewforum.php?f=2")
    assert [(t["id"], t["last_post_id"]) for t in forum["topics"]] == [("12", 125), ("15", 131)]
    assert forum["next"] == FORUM + "viewforum.php?f=2&start=25"


def test_topic_pages():
    topic = phpbb.topic_page(_html("viewtopic.php@t=12"), FORUM + "viewtopic.php?t=12")
    assert topic["title"] == "Stationnement impossible rue de Lille depuis les travaux"
    first, reply = topic["posts"]
    assert (first["post_id"], first["author"], first["author_id"]) == (120, "jeanne59", "54")
    assert "jeanne59 a écrit" not in reply["text"] and "vive la Deûle" not in reply["text"]  # quote, signature
    assert reply["published_at"].isoformat() == "2026-11-10T09:40:00+00:00"
    fields = phpbb.post_fields(reply, {"title": topic["title"], "url": FORUM + "viewtopic.php?t=12"},
                               FORUM + "viewtopic.php?t=12", 120)
    assert fields["kind"] == "comment" and fields["item_id"] == "lambersart.example/forum/p121"
    assert fields["thread_id"] == make_doc_id("phpbb", "lambersart.example/forum/p120")
    assert fields["url"] == FORUM + "viewtopic.php?t=12#p121"
    old = phpbb.topic_page(_html("viewtopic.php@t=15", "iso-8859-1"), FORUM + "viewtopic.php?t=15")
    assert old["posts"][0]["text"].startswith("Trois lampadaires éteints")
    assert old["posts"][1]["published_at"].isoformat() == "2026-11-09T08:15:00+01:00"  # "9 nov. 2026, 08:15"
    broken = phpbb.topic_page(_html("viewtopic.php@t=20"), FORUM + "viewtopic.php?t=20")
    assert broken["posts"][0]["text"].startswith("Trouvé ce matin un trousseau")
    assert broken["posts"][1]["published_at"] is None  # cut in the middle: skipped by the spider


def test_phpbb_crawl_and_incremental(fixture_site, watch_file, run_crawl):
    server = fixture_site("phpbb")
    config = watch_file([{"id": "forum-lambersartois", "kind": "phpbb", "url": server.url("/forum/index.php")}])
    summary, docs = run_crawl(config, "forum-lambersartois")
    ids = sorted(int(d["item_id"].rsplit("/p", 1)[1]) for d in docs)
    assert ids == [90, 120, 121, 125, 130, 131, 140]
    assert summary["errors_by_reason"] == {"no_date": 1}
    by_id = {int(d["item_id"].rsplit("/p", 1)[1]): d for d in docs}
    assert by_id[125]["thread_id"] == by_id[120]["doc_id"] and by_id[120]["kind"] == "post"
    assert by_id[130]["title"] == "Éclairage public en panne allée des Peupliers"

    server.reset_hits()
    again, docs2 = run_crawl(config, "forum-lambersartois", interval="2026-11-19T10:00:00Z/2026-11-19T11:00:00Z")
    assert docs2 == [] and again["new"] == 0
    assert not [h for h in server.hits if h.path.endswith("viewtopic.php")]  # no topic fetched again
