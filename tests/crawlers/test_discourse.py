"""discourse: topic lists, topics and posts from the JSON API; incremental by post number."""

from __future__ import annotations

import json

from tests.crawlers.sites import BASE, fixture_bytes
from vigie.crawlers.extract import discourse
from vigie.schema import make_doc_id

RUN2 = "2026-11-19T10:00:00Z/2026-11-19T11:00:00Z"


def _payload(name):
    return json.loads(fixture_bytes("discourse", name))


def test_topic_list_and_posts():
    listing = discourse.topic_list(_payload("latest.json"))
    assert [t["id"] for t in listing["topics"]] == [101, 102]
    assert discourse.json_path(BASE, listing["more"]) == f"{BASE}/latest.json?no_definitions=true&page=1"
    info = discourse.topic(_payload("t/101.json"))
    numbers = {p["post_number"]: p["id"] for p in info["posts"]}
    fields = [discourse.post_fields(p, info, BASE, numbers) for p in info["posts"]]
    first, second, answer, closed = fields
    assert closed is None  # a moderator action, not a message
    assert first["kind"] == "post" and first["title"].startswith("Piste cyclable")
    assert first["item_id"] == "lambersart.example/p/1001"
    assert first["engagement"] == {"likes": 6, "replies": 2, "views": 412}
    assert second["kind"] == "comment" and second["parent_id"] == make_doc_id("discourse", first["item_id"])
    assert second["thread_id"] == second["parent_id"]
    assert answer["author"]["handle"] == "mairie_lambersart"
    assert answer["author"]["url"] == f"{BASE}/u/mairie_lambersart"
    assert "reprennent le 23 novembre" in answer["text"]
    assert answer["url"] == f"{BASE}/t/piste-cyclable-avenue-de-l-hippodrome/101/3"
    assert answer["published_at"].isoformat() == "2026-11-17T08:15:00+00:00"


def test_bad_payloads_raise_value_errors():
    for bad in ({}, [], {"topic_list": None}):
        try:
            discourse.topic_list(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_discourse_crawl_and_incremental(fixture_site, watch_file, run_crawl):
    server = fixture_site("discourse")
    config = watch_file([{"id": "forum-citoyen", "kind": "discourse", "url": server.url("/")}])
    summary, docs = run_crawl(config, "forum-citoyen")
    assert summary["new"] == 3 + 23 + 1 == len(docs)
    assert summary["errors_by_reason"] == {"invalid_json": 1}  # t/103.json is truncated
    late = [d for d in docs if d["url"].endswith("/102/23")]
    assert late and late[0]["thread_id"] == make_doc_id("discourse", f"{server.netloc}/p/2001")
    assert server.hits_for("/t/102/posts.json")[0].query["post_ids[]"] == ["2021", "2022", "2023"]
    assert all(d["platform"] == "discourse" and d["source_kind"] == "discourse" for d in docs)

    # nothing new: the topic lists are read, no topic is fetched again
    server.reset_hits()
    again, docs2 = run_crawl(config, "forum-citoyen", interval=RUN2)
    assert docs2 == [] and again["new"] == 0
    assert not server.hits_for("/t/101.json") and not server.hits_for("/t/102.json")

    # a new reply in topic 101: only that topic is fetched, only the new post written
    topic = _payload("t/101.json")
    reply = dict(topic["post_stream"]["posts"][1], id=1005, post_number=5, reply_to_post_number=3,
                 cooked="<p>Merci pour la réponse rapide, c'est noté pour le 23.</p>",
                 created_at="2026-11-18T07:00:00.000Z")
    topic["post_stream"]["posts"].append(reply)
    topic["post_stream"]["stream"].append(1005)
    listing = _payload("latest.json")
    listing["topic_list"]["topics"][0]["highest_post_number"] = 5
    server.route("/t/101.json", body=json.dumps(topic), content_type="application/json")
    server.route("/latest.json", body=json.dumps(listing), content_type="application/json")
    _, docs3 = run_crawl(config, "forum-citoyen", interval="2026-11-19T11:00:00Z/2026-11-19T12:00:00Z")
    assert [d["text"] for d in docs3] == ["Merci pour la réponse rapide, c'est noté pour le 23."]
    assert docs3[0]["parent_id"] == make_doc_id("discourse", f"{server.netloc}/p/1003")
    assert not server.hits_for("/t/102.json")
