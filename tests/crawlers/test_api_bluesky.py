"""Bluesky: the extractor on saved XRPC payloads, then real crawls."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from vigie.crawlers.extract import bluesky
from vigie.crawlers.extract._api import BadItem, Origin, error_reason
from vigie.schema import Kind, make_doc_id

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api" / "bluesky"
ORIGIN = Origin("bluesky-lambersart", "bluesky", ("lambersart",), datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
ROOT = "at://did:plc:v7lambersart2xq4k6m3fz5a/app.bsky.feed.post/3lbq7wz2kxs2c"


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_author_feed_post_and_reply():
    page = load("author_feed.json")
    out = bluesky.author_feed(page, ORIGIN)
    assert bluesky.cursor(page) == "2026-11-19T07:45:12.331Z"
    assert [d.item_id for d in out.documents] == [
        ROOT, "at://did:plc:k2habitante4n3x7q9c1vb6/app.bsky.feed.post/3lbq8ab3cd22x"]
    assert [r for r, _ in out.skipped] == ["bad_item"]  # no createdAt, no indexedAt
    post, reply = out.documents
    assert post.platform == "bluesky" and post.kind == Kind.post
    assert post.doc_id == make_doc_id("bluesky", ROOT) == post.thread_id and post.parent_id is None
    assert post.url == "https://bsky.app/profile/lambersart.fr/post/3lbq7wz2kxs2c"
    assert post.text.startswith("⚠️ Alerte météo : vigilance orange vents violents cette nuit.")
    assert post.language == "fr"
    assert post.author.id == "did:plc:v7lambersart2xq4k6m3fz5a"
    assert post.author.handle == "lambersart.fr" and post.author.name == "Ville de Lambersart"
    assert post.author.url == "https://bsky.app/profile/lambersart.fr"
    assert (post.engagement.likes, post.engagement.shares, post.engagement.replies) == (25, 20, 3)
    assert post.published_at == datetime(2026, 11, 19, 7, 45, 12, 331000, tzinfo=UTC)
    assert reply.kind == Kind.comment
    assert reply.thread_id == post.doc_id and reply.parent_id == post.doc_id
    assert reply.url == "https://bsky.app/profile/sophie-dlm.bsky.social/post/3lbq8ab3cd22x"


def test_search_posts():
    out = bluesky.search_posts(load("search_posts.json"), ORIGIN)
    assert len(out.documents) == 1 and [r for r, _ in out.skipped] == ["bad_item"]  # a like record
    doc = out.documents[0]
    assert doc.author.handle is None and doc.author.name is None
    assert doc.url == "https://bsky.app/profile/did:plc:r9cycliste5m2p0z8x4ab3c/post/3lbq6yy1ab11z"
    assert doc.published_at == datetime(2026, 11, 18, 21, 14, 5, tzinfo=timezone(timedelta(hours=1)))
    assert doc.language == "fr"
    assert bluesky.cursor(load("author_feed_page2.json")) is None


def test_session_errors_and_broken():
    assert bluesky.session_token(load("session.json")).startswith("fixture-access-jwt")
    assert bluesky.session_token(load("error_auth.json")) is None
    assert error_reason(load("error_profile.json")) == ("api_error:InvalidRequest", "Profile not found")
    assert bluesky.author_feed(load("error_profile.json"), ORIGIN).skipped[0][0] == "unexpected_payload"
    with pytest.raises(BadItem):
        bluesky.web_url("at://did:plc:x/app.bsky.feed.like/3k", "x")
    with pytest.raises(json.JSONDecodeError):
        load("invalid.json")


# ------------------------------------------------------------------ real crawls
def _xrpc(server):
    import json as _json

    from tests.crawlers.api_support import json_answer

    def feed(hit):
        if hit.query.get("actor") != ["lambersart.fr"]:
            return json_answer("bluesky", "error_profile.json", 400)
        if hit.query.get("cursor") == ["2026-11-19T07:45:12.331Z"]:
            return json_answer("bluesky", "author_feed_page2.json")
        return json_answer("bluesky", "author_feed.json")

    def session(hit):
        body = _json.loads(hit.body or b"{}")
        if body == {"identifier": "lambersart.fr", "password": "abcd-efgh-ijkl-mnop"}:
            return json_answer("bluesky", "session.json")
        return json_answer("bluesky", "error_auth.json", 401)

    def search(hit):
        if not (hit.headers.get("Authorization") or "").startswith("Bearer fixture-access-jwt"):
            return json_answer("bluesky", "error_auth.json", 401)
        if hit.query.get("cursor"):
            return 200, {"Content-Type": "application/json"}, b'{"posts": [], "hitsTotal": 2}'
        return json_answer("bluesky", "search_posts.json")

    def thread(hit):
        if hit.query.get("uri") == [ROOT]:
            return json_answer("bluesky", "post_thread.json")
        return json_answer("bluesky", "error_profile.json", 400)

    server.route("/xrpc/app.bsky.feed.getPostThread", handler=thread)
    server.route("/xrpc/app.bsky.feed.getAuthorFeed", handler=feed)
    server.route("/xrpc/com.atproto.server.createSession", handler=session)
    server.route("/xrpc/app.bsky.feed.searchPosts", handler=search)


def test_crawl_feeds_and_search_incremental(tmp_path):
    from tests.crawlers.api_support import RUN2, crawl, crawl_together, write_config
    from tests.crawlers.server import FixtureServer

    env = {"VIGIE_TEST_SECRET_BSKY_ID": "lambersart.fr", "VIGIE_TEST_SECRET_BSKY_PASSWORD": "abcd-efgh-ijkl-mnop"}
    with FixtureServer() as server:
        _xrpc(server)
        config = write_config(tmp_path, [{
            "id": "bluesky-lambersart", "kind": "bluesky",
            "credentials": {"identifier": "VIGIE_TEST_SECRET_BSKY_ID",
                            "app_password": "VIGIE_TEST_SECRET_BSKY_PASSWORD"},
            "options": {"actors": ["lambersart.fr", "inconnu.bsky.social"], "search": ["Lambersart"],
                        "api_url": server.base_url, "pds_url": server.base_url},
        }, {
            "id": "bluesky-mauvais-mot-de-passe", "kind": "bluesky",
            "credentials": {"identifier": "VIGIE_TEST_SECRET_BSKY_ID", "app_password": "VIGIE_TEST_SECRET_BSKY_BAD"},
            "options": {"search": ["Lambersart"], "pds_url": server.base_url},
        }])
        runs = crawl_together(config, ["bluesky-lambersart", "bluesky-mauvais-mot-de-passe"], tmp_path,
                              env={**env, "VIGIE_TEST_SECRET_BSKY_BAD": "mauvais"})
        summary, docs, log = runs["bluesky-lambersart"]
        refused, none, refused_log = runs["bluesky-mauvais-mot-de-passe"]
        assert refused["errors_by_reason"] == {"api_error:AuthenticationRequired": 1} and none == []
        assert "mauvais" not in refused_log
        assert summary["status"] == "ok", summary
        assert sorted(d.url for d in docs) == [
            "https://bsky.app/profile/did:plc:r9cycliste5m2p0z8x4ab3c/post/3lbq6yy1ab11z",
            "https://bsky.app/profile/jean-voisin.bsky.social/post/3lbq8bb2arbre",  # from the thread
            "https://bsky.app/profile/lambersart.fr/post/3lbnx2aa7kd2q",
            "https://bsky.app/profile/lambersart.fr/post/3lbq7wz2kxs2c",
            "https://bsky.app/profile/lambersart.fr/post/3lbq8zz9mairie",  # from the thread
            "https://bsky.app/profile/sophie-dlm.bsky.social/post/3lbq8ab3cd22x",
            "https://bsky.app/profile/sophie-dlm.bsky.social/post/3lbq9aa1merci",  # from the thread, 3 levels down
        ]
        reply = next(d for d in docs if d.url.endswith("3lbq8ab3cd22x"))
        assert reply.parent_id == make_doc_id("bluesky", ROOT) and reply.kind == Kind.comment
        answer = next(d for d in docs if d.url.endswith("3lbq8zz9mairie"))
        thanks = next(d for d in docs if d.url.endswith("3lbq9aa1merci"))
        assert answer.parent_id == reply.doc_id and thanks.parent_id == answer.doc_id
        assert thanks.thread_id == make_doc_id("bluesky", ROOT)
        assert [h.query["uri"] for h in server.hits_for("/xrpc/app.bsky.feed.getPostThread")] == [[ROOT]]
        errors = summary["errors_by_reason"]
        assert errors["api_error:InvalidRequest"] == 1 and errors["bad_item"] == 2
        assert errors["blocked"] == 1 and errors["not_found"] == 1  # in the thread
        assert "abcd-efgh-ijkl-mnop" not in log and "fixture-access-jwt" not in log

        server.reset_hits()
        summary2, docs2, _ = crawl(config, "bluesky-lambersart", tmp_path, interval=RUN2, env=env)
        assert summary2["status"] == "ok" and summary2["new"] == 0 and docs2 == []
        feed_hits = [h for h in server.hits_for("/xrpc/app.bsky.feed.getAuthorFeed")
                     if h.query.get("actor") == ["lambersart.fr"]]
        assert len(feed_hits) == 1  # nothing newer than the cursor: the older page is not fetched again
        assert server.hits_for("/xrpc/app.bsky.feed.getPostThread") == []  # its reply count did not change
        assert server.hits_for("/xrpc/app.bsky.feed.searchPosts")[0].query["since"] == ["2026-11-18T20:14:05.000Z"]
