"""Facebook page and Instagram account: the extractor on saved Graph API payloads, then real crawls."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigie.crawlers.extract import facebook_page as fb
from vigie.crawlers.extract._api import Origin, error_reason
from vigie.schema import Kind, make_doc_id

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api" / "facebook_page"
ORIGIN = Origin("page-facebook", "facebook_page", ("lambersart",), datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
POST = "104857600123456_912345678901234"


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_page_posts():
    page = load("posts.json")
    out = fb.posts(page, ORIGIN)
    assert [d.item_id for d in out.documents] == [POST, "104857600123456_912300000000001"]
    assert [r for r, _ in out.skipped] == ["bad_item"]  # a date without timezone
    post = out.documents[0]
    assert post.platform == "facebook" and post.kind == Kind.post
    assert post.doc_id == make_doc_id("facebook", POST) == post.thread_id and post.parent_id is None
    assert post.url == "https://www.facebook.com/104857600123456/posts/912345678901234"
    assert post.text.startswith("🌳 Plantation participative ce samedi 22 novembre au parc de la Mairie")
    assert post.author.id == "104857600123456" and post.author.name == "Ville de Lambersart"
    assert (post.engagement.likes, post.engagement.shares, post.engagement.replies) == (87, 12, 4)
    assert post.published_at == datetime(2026, 11, 18, 8, 15, tzinfo=UTC)
    assert out.documents[1].engagement.shares == 0  # Graph omits `shares` when nobody shared
    assert fb.next_url(page).startswith("https://graph.facebook.com/v21.0/104857600123456/posts?")
    assert fb.next_url(load("posts_page2.json")) is None


def test_comments_and_replies():
    out = fb.comments(load("comments_912345678901234.json"), ORIGIN, POST)
    assert len(out.documents) == 3 and [r for r, _ in out.skipped] == ["bad_item"]  # a sticker
    first, answer, anonymous = out.documents
    thread = make_doc_id("facebook", POST)
    assert first.kind == Kind.comment and first.thread_id == thread and first.parent_id == thread
    assert first.author.name == "Claire Dumont" and first.engagement.likes == 6 and first.engagement.replies == 1
    assert answer.parent_id == first.doc_id and answer.thread_id == thread
    assert answer.text == "Merci Claire, à samedi ! 🌱"
    assert anonymous.author.id is None and anonymous.author.name is None


def test_instagram():
    media = fb.instagram_media(load("instagram_media.json"), ORIGIN)
    post = media.documents[0]
    assert post.platform == "instagram" and post.item_id == "17895695668004550"
    assert post.url == "https://www.instagram.com/p/DBx7kLmNoPq/"
    assert post.author.handle == "villedelambersart"
    assert post.author.url == "https://www.instagram.com/villedelambersart/"
    assert (post.engagement.likes, post.engagement.replies) == (142, 2)
    out = fb.instagram_comments(load("instagram_comments_17895695668004550.json"), ORIGIN, "17895695668004550")
    question, reply = out.documents
    assert question.parent_id == post.doc_id == question.thread_id and question.engagement.replies == 1
    assert reply.parent_id == question.doc_id and reply.thread_id == post.doc_id
    assert reply.author.handle == "villedelambersart"


def test_error_payloads():
    assert error_reason(load("error_token.json"))[0] == "api_error:OAuthException_190"
    assert error_reason(load("error_rate_limit.json"))[0] == "api_error:OAuthException_32"
    assert fb.posts(load("error_token.json"), ORIGIN).skipped[0][0] == "unexpected_payload"
    assert fb.comments(load("comments_empty.json"), ORIGIN, POST).documents == []
    with pytest.raises(json.JSONDecodeError):
        load("invalid.json")


def test_paging_urls_are_rebased_without_token():
    from vigie.crawlers.spiders._api import rebase

    url = "https://graph.facebook.com/v21.0/1/posts?fields=id&access_token=EAAGsecret&limit=25&after=QQ"
    assert rebase(url, "http://127.0.0.1:8080/v21.0") == "http://127.0.0.1:8080/v21.0/1/posts?fields=id&limit=25&after=QQ"


# ------------------------------------------------------------------ real crawls
TOKEN = "EAAG-fixture-page-token-987654321"


def _graph(server):
    from tests.crawlers.api_support import json_answer

    def bearer(handler):
        def answer(hit):
            if hit.headers.get("Authorization") != f"Bearer {TOKEN}" or "access_token" in hit.query:
                return json_answer("facebook_page", "error_token.json", 400)
            return handler(hit)
        return answer

    def posts(hit):
        page2 = hit.query.get("after") == ["QVFIUlNrRVdJX3pQMm1"]
        return json_answer("facebook_page", "posts_page2.json" if page2 else "posts.json")

    comment_calls = []

    def comments(hit):
        comment_calls.append(hit)
        if len(comment_calls) == 1:
            return 500, {"Content-Type": "text/html"}, b"<html><body>Internal Server Error</body></html>"
        return json_answer("facebook_page", "comments_912345678901234.json")

    server.route("/v21.0/104857600123456/posts", handler=bearer(posts))
    server.route(f"/v21.0/{POST}/comments", handler=bearer(comments))
    server.route("/v21.0/17841400000000001/media", handler=bearer(
        lambda hit: json_answer("facebook_page", "instagram_media.json")))
    server.route("/v21.0/17895695668004550/comments", handler=bearer(
        lambda hit: json_answer("facebook_page", "instagram_comments_17895695668004550.json")))


def test_crawl_page_and_instagram_incremental(tmp_path):
    from tests.crawlers.api_support import RUN2, crawl, write_config
    from tests.crawlers.server import FixtureServer

    env = {"VIGIE_TEST_SECRET_FB": TOKEN}
    with FixtureServer() as server:
        _graph(server)
        config = write_config(tmp_path, [{
            "id": "page-facebook", "kind": "facebook_page", "credentials": {"page_token": "VIGIE_TEST_SECRET_FB"},
            "options": {"page_id": "104857600123456", "instagram_account_id": "17841400000000001",
                        "api_url": server.url("/v21.0")},
        }])
        summary, docs, log = crawl(config, "page-facebook", tmp_path, env=env)
        assert summary["status"] == "ok", summary
        by_platform = {}
        for doc in docs:
            by_platform.setdefault(doc.platform, []).append(doc.item_id)
        assert sorted(by_platform["facebook"]) == sorted([
            POST, "104857600123456_912300000000001", "104857600123456_912100000000003",
            "912345678901234_1122334455667788", "912345678901234_1122334455669999",
            "912345678901234_1122334455670000"])
        assert sorted(by_platform["instagram"]) == ["17858893269000001", "17858893269000002", "17895695668004550"]
        assert all(d.source_id == "page-facebook" and d.source_kind == "facebook_page" for d in docs)
        assert summary["errors_by_reason"] == {"bad_item": 2}  # a naive date, a sticker comment
        assert len(server.hits_for(f"/v21.0/{POST}/comments")) == 2  # a 500, then retried
        assert TOKEN not in log

        server.reset_hits()
        summary2, docs2, _ = crawl(config, "page-facebook", tmp_path, interval=RUN2, env=env)
        assert summary2["status"] == "ok" and summary2["new"] == 0 and docs2 == []
        since = int(server.hits_for("/v21.0/104857600123456/posts")[0].query["since"][0])
        assert 13 * 86400 < datetime.now(UTC).timestamp() - since < 15 * 86400
