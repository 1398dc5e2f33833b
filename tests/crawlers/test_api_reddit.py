"""Reddit: the extractor on saved listing and comment-tree payloads, then real crawls."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigie.crawlers.extract import reddit
from vigie.crawlers.extract._api import Origin, error_reason
from vigie.schema import Kind, make_doc_id

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api" / "reddit"
ORIGIN = Origin("reddit-lambersart", "reddit", ("lambersart",), datetime(2026, 11, 19, 9, 0, tzinfo=UTC))


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_listing_posts():
    page = load("new_lambersart.json")
    out = reddit.listing(page, ORIGIN)
    assert reddit.after(page) == "t3_1gx7k2b"
    assert [d.item_id for d in out.documents] == ["t3_1gx9p4c", "t3_1gx7k2b"]
    assert out.skipped == [("removed", "t3_1gx6aaa")]
    post = out.documents[0]
    assert post.platform == "reddit" and post.kind == Kind.post
    assert post.doc_id == make_doc_id("reddit", "t3_1gx9p4c") == post.thread_id
    assert post.parent_id is None
    assert post.title == "Réouverture de la piscine municipale ?"
    assert post.text.startswith("Bonjour à tous,\n\nQuelqu'un sait si la piscine municipale rouvre")
    assert post.url == "https://www.reddit.com/r/lambersart/comments/1gx9p4c/réouverture_de_la_piscine_municipale/"
    assert post.author.id == "t2_8kq2m1xz" and post.author.handle == "nordiste_59"
    assert post.author.url == "https://www.reddit.com/user/nordiste_59"
    assert (post.engagement.likes, post.engagement.replies, post.engagement.shares) == (17, 4, 0)
    assert post.published_at == datetime(2026, 11, 18, 9, 2, tzinfo=UTC)
    assert post.language is None
    link = out.documents[1]
    assert link.text == "https://journal-local.example/lambersart/halle-canon-d-or?utm_source=reddit"
    assert reddit.after(load("new_lambersart_page2.json")) is None


def test_comment_tree():
    out = reddit.comments(load("comments_1gx9p4c.json"), ORIGIN)
    assert [d.item_id for d in out.documents] == ["t3_1gx9p4c", "t1_lq3k2a1", "t1_lq3m7b2"]
    first, answer = out.documents[1], out.documents[2]
    thread = make_doc_id("reddit", "t3_1gx9p4c")
    assert first.kind == Kind.comment and first.thread_id == thread and first.parent_id == thread
    assert first.text.startswith("D'après le conseil municipal de novembre, réouverture prévue le 12 janvier")
    assert first.engagement.likes == 9 and first.engagement.replies == 2
    assert first.author.handle == "maitre_nageur_off"
    assert first.url.endswith("/lq3k2a1/")
    assert answer.thread_id == thread and answer.parent_id == first.doc_id
    assert answer.published_at == datetime.fromtimestamp(1794996200, UTC)
    assert sorted(r for r, _ in out.skipped) == ["more_stub", "removed"]


def test_broken_payloads():
    assert error_reason(load("error_forbidden.json")) == ("api_error:403", "Forbidden")
    assert error_reason(load("error_private.json")) == ("api_error:private", "Forbidden")
    assert reddit.listing(load("error_forbidden.json"), ORIGIN).skipped[0][0] == "unexpected_payload"
    assert reddit.comments(load("new_lambersart.json"), ORIGIN).skipped[0][0] == "unexpected_payload"
    assert reddit.listing(load("empty.json"), ORIGIN).documents == []
    assert reddit.access_token(load("token.json")) == "fixture-reddit-bearer-0001"
    with pytest.raises(json.JSONDecodeError):
        load("invalid.json")


# ------------------------------------------------------------------ real crawls
def _reddit(server, secret_id: str, secret_key: str):
    import base64

    from tests.crawlers.api_support import json_answer

    expected = "Basic " + base64.b64encode(f"{secret_id}:{secret_key}".encode()).decode()

    def token(hit):
        ok = hit.method == "POST" and hit.headers.get("Authorization") == expected \
            and hit.body == b"grant_type=client_credentials"
        return json_answer("reddit", "token.json") if ok else (401, {"Content-Type": "application/json"},
                                                               b'{"message": "Unauthorized", "error": 401}')

    def authorised(handler):
        def answer(hit):
            if hit.headers.get("Authorization") != "Bearer fixture-reddit-bearer-0001":
                return 401, {"Content-Type": "application/json"}, b'{"message": "Unauthorized", "error": 401}'
            return handler(hit)
        return answer

    def new(hit):
        return json_answer("reddit", "new_lambersart_page2.json" if hit.query.get("after") == ["t3_1gx7k2b"]
                           else "new_lambersart.json")

    server.route("/api/v1/access_token", handler=token)
    server.route("/r/lambersart/new.json", handler=authorised(new))
    server.route("/r/prive/new.json", handler=authorised(lambda hit: json_answer("reddit", "error_private.json", 403)))
    server.route("/comments/1gx9p4c.json",
                 handler=authorised(lambda hit: json_answer("reddit", "comments_1gx9p4c.json")))
    server.route("/comments/1gx7k2b.json", status=500, body="<html>Internal error</html>")


def test_crawl_with_app_credentials_and_incremental(tmp_path):
    from tests.crawlers.api_support import RUN2, crawl, crawl_together, write_config
    from tests.crawlers.server import FixtureServer

    env = {"VIGIE_TEST_SECRET_REDDIT_ID": "app-id-123", "VIGIE_TEST_SECRET_REDDIT_KEY": "app-secret-456"}
    with FixtureServer() as server:
        _reddit(server, "app-id-123", "app-secret-456")
        config = write_config(tmp_path, [
            {"id": "reddit-lambersart", "kind": "reddit", "url": "https://www.reddit.com/r/lambersart",
             "credentials": {"client_id": "VIGIE_TEST_SECRET_REDDIT_ID",
                             "client_secret": "VIGIE_TEST_SECRET_REDDIT_KEY"},
             "options": {"subreddits": ["prive"], "api_url": server.base_url,
                         "auth_url": server.url("/api/v1/access_token")}},
            {"id": "reddit-sans-cle", "kind": "reddit",
             "credentials": {"client_id": "VIGIE_TEST_SECRET_ABSENT_ID", "client_secret": "VIGIE_TEST_SECRET_ABSENT"},
             "options": {"subreddits": ["lambersart"], "api_url": server.base_url}},
        ])
        runs = crawl_together(config, ["reddit-lambersart", "reddit-sans-cle"], tmp_path, env=env)
        summary, docs, log = runs["reddit-lambersart"]
        assert summary["status"] == "ok", summary
        assert sorted(d.item_id for d in docs) == ["t1_lq3k2a1", "t1_lq3m7b2", "t3_1gx1zzz", "t3_1gx7k2b", "t3_1gx9p4c"]
        post = next(d for d in docs if d.item_id == "t3_1gx9p4c")
        assert post.engagement.likes == 17 and post.title == "Réouverture de la piscine municipale ?"
        assert post.canonical_url.startswith("https://www.reddit.com/r/lambersart/comments/1gx9p4c/")
        link = next(d for d in docs if d.item_id == "t3_1gx7k2b")
        assert "utm_source" not in (link.canonical_url or "")
        errors = summary["errors_by_reason"]
        assert errors["api_error:private"] == 1 and errors["http_500"] == 1
        assert errors["more_stub"] == 1 and errors["removed"] == 2
        assert "app-secret-456" not in log and "fixture-reddit-bearer-0001" not in log

        summary2, docs2, _ = crawl(config, "reddit-lambersart", tmp_path, interval=RUN2, env=env)
        assert summary2["status"] == "ok" and summary2["new"] == 0 and docs2 == []
        assert len(server.hits_for("/comments/1gx9p4c.json")) == 1  # unchanged count: not fetched again

        missing, none, log3 = runs["reddit-sans-cle"]  # app credentials named but not set
        assert missing["status"] == "failed" and none == []
        assert "needs environment variable VIGIE_TEST_SECRET_ABSENT" in missing["error"]
        assert missing["errors_by_reason"] == {"missing_credential": 2}
        assert "VIGIE_TEST_SECRET_ABSENT_ID" in log3 and "ERROR" in log3
