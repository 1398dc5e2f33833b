"""Mastodon: the extractor on saved REST v1 payloads, then real crawls against the fixture server."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigie.crawlers.extract import mastodon
from vigie.crawlers.extract._api import Origin, error_reason
from vigie.schema import Kind, make_doc_id

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api" / "mastodon"
ORIGIN = Origin("mastodon-lambersart", "mastodon", ("lambersart",), datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
INSTANCE = "https://mastodon.example"


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_tag_timeline_post_reply_and_boost():
    out = mastodon.statuses(load("tag_lambersart.json"), ORIGIN, INSTANCE)
    by_id = {d.item_id: d for d in out.documents}
    assert set(by_id) == {
        "mastodon.example/113520874561230005",
        "mastodon.example/113520870012340001",
        "mastodon.example/113520850000000009",  # the boosted status, not the boost
    }
    post = by_id["mastodon.example/113520870012340001"]
    assert post.platform == "mastodon" and post.kind == Kind.post
    assert post.doc_id == make_doc_id("mastodon", "mastodon.example/113520870012340001")
    assert post.thread_id == post.doc_id and post.parent_id is None
    assert post.source_id == "mastodon-lambersart" and post.source_kind == "mastodon"
    assert post.watch_ids == ["lambersart"]
    assert post.url == "https://mastodon.example/@velo_deule/113520870012340001"
    assert post.canonical_url == post.url
    assert post.text == (
        "La piste cyclable le long de la Deûle est encore inondée entre le pont du Canon d'Or et l'écluse. "
        "Prudence en rentrant ce soir !\n\nPhoto prise à 17h : https://pixelfed.example/p/velo_deule/7781\n"
        "#Lambersart #vélo"
    )
    assert post.title is None and post.language == "fr"
    assert post.author.id == "mastodon.example/109876543210000002"
    assert post.author.handle == "velo_deule@mastodon.example"
    assert post.author.name == "Vélo Deûle 🚲"
    assert post.author.url == "https://mastodon.example/@velo_deule"
    assert post.author.followers == 1288
    assert (post.engagement.likes, post.engagement.shares, post.engagement.replies) == (15, 7, 4)
    assert post.published_at == datetime(2026, 11, 18, 16, 55, 3, tzinfo=UTC)
    assert post.crawled_at == ORIGIN.crawled_at

    reply = by_id["mastodon.example/113520874561230005"]
    assert reply.kind == Kind.comment
    assert reply.parent_id == post.doc_id and reply.thread_id == post.doc_id
    assert reply.flags == ["thread_root_unknown"]
    assert reply.text.startswith("@velo_deule Pareil ce matin, j'ai dû descendre")

    boosted = by_id["mastodon.example/113520850000000009"]
    assert boosted.title == "Travaux"
    assert boosted.author.handle == "metropole_infos@social.lille.example"
    assert "circulation alternée du 24 au 28 novembre pour la reprise de la chaussée.\nDéviation" in boosted.text
    assert boosted.engagement.shares == 22

    reasons = sorted(r for r, _ in out.skipped)
    assert reasons == ["bad_item", "not_public"]  # the direct message and the unreadable date


def test_context_gives_the_thread_root():
    root = "113520870012340001"
    out = mastodon.context(load(f"context_{root}.json"), ORIGIN, INSTANCE, root_id=root)
    assert [d.item_id for d in out.documents] == [
        "mastodon.example/113520874561230005", "mastodon.example/113520880000000006"]
    answer = out.documents[1]
    assert answer.thread_id == make_doc_id("mastodon", f"mastodon.example/{root}")
    assert answer.parent_id == make_doc_id("mastodon", "mastodon.example/113520874561230005")
    assert answer.flags == []
    assert answer.author.handle == "ville_lambersart@mastodon.example"


def test_account_lookup_and_statuses():
    assert mastodon.account_id(load("account_lookup.json")) == "109876543210000001"
    out = mastodon.statuses(load("account_statuses.json"), ORIGIN, INSTANCE)
    assert len(out.documents) == 2 and not out.skipped  # unlisted statuses are public
    assert out.documents[0].text == (
        "🎄 Le marché de Noël ouvre vendredi 5 décembre sur la place de l'Hôtel de Ville.\n\n"
        "Navettes gratuites depuis le Canon d'Or le samedi.")


def test_error_and_unexpected_payloads():
    assert error_reason(load("error_not_found.json")) == ("api_error:Record not found", "")
    assert mastodon.account_id(load("error_not_found.json")) is None
    out = mastodon.statuses(load("error_unauthorized.json"), ORIGIN, INSTANCE)
    assert out.documents == [] and out.skipped[0][0] == "unexpected_payload"
    with pytest.raises(json.JSONDecodeError):
        load("invalid.json")
    assert mastodon.statuses([], ORIGIN, INSTANCE).documents == []


def test_link_header_and_newest_id():
    from scrapy.http import TextResponse

    from vigie.crawlers.spiders._api import newest
    from vigie.crawlers.spiders.mastodon import link

    header = ('<https://mastodon.example/api/v1/timelines/tag/x?max_id=9>; rel="next", '
              '<https://mastodon.example/api/v1/timelines/tag/x?min_id=12>; rel="prev"')
    response = TextResponse("https://mastodon.example/", headers={"Link": header}, body=b"[]")
    assert link(response, "next").endswith("?max_id=9") and link(response, "prev").endswith("?min_id=12")
    assert link(TextResponse("https://mastodon.example/", body=b"[]"), "next") is None
    assert newest(["99", "113520874561230005", "113520870012340001"], "100") == "113520874561230005"
    assert newest([], None) is None


# ------------------------------------------------------------------ real crawls
def _instance(server):
    """Routes of a Mastodon instance answering from the saved payloads."""
    from tests.crawlers.api_support import json_answer

    def tag(hit):
        if "min_id" in hit.query or "max_id" in hit.query:
            return json_answer("mastodon", "empty.json")
        base = server.url("/api/v1/timelines/tag/lambersart")
        link = f'<{base}?max_id=113520800000000099>; rel="next", <{base}?min_id=113520874561230005>; rel="prev"'
        return json_answer("mastodon", "tag_lambersart.json",  # the window is spent: do not follow "next"
                           headers={"Link": link, "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0"})

    def statuses(hit):
        return json_answer("mastodon", "empty.json" if "min_id" in hit.query else "account_statuses.json")

    server.route("/api/v1/timelines/tag/lambersart", handler=tag)
    server.route("/api/v1/timelines/public", handler=lambda hit: json_answer("mastodon", "invalid.json"))
    server.route("/api/v1/accounts/lookup", handler=lambda hit: json_answer(
        "mastodon", "account_lookup.json" if hit.query.get("acct") == ["ville_lambersart"] else "error_not_found.json",
        status=200 if hit.query.get("acct") == ["ville_lambersart"] else 404))
    server.route("/api/v1/accounts/109876543210000001/statuses", handler=_after_429(statuses))
    server.route("/api/v1/statuses/113520870012340001/context",
                 handler=lambda hit: json_answer("mastodon", "context_113520870012340001.json"))
    server.route("/api/v1/statuses/113520850000000009/context",
                 handler=lambda hit: json_answer("mastodon", "error_not_found.json", status=404))


def _after_429(handler):
    """A handler answering 429 (Retry-After: 1) the first time, then ``handler``."""
    calls = []

    def answer(hit):
        calls.append(hit)
        if len(calls) == 1:
            return 429, {"Retry-After": "1", "Content-Type": "application/json"}, b'{"error": "Too many requests"}'
        return handler(hit)
    return answer


def test_crawl_incremental_with_token(tmp_path):
    from tests.crawlers.api_support import RUN2, crawl, write_config
    from tests.crawlers.server import FixtureServer

    with FixtureServer() as server:
        _instance(server)
        config = write_config(tmp_path, [{
            "id": "mastodon-lambersart", "kind": "mastodon", "url": server.base_url,
            "credentials": {"access_token": "VIGIE_TEST_SECRET_MASTODON"},
            "options": {"hashtags": ["lambersart"], "accounts": ["ville_lambersart", "inconnu"],
                        "timeline": "local"},
        }])
        secret = "s3cr3t-mastodon-token-value"
        summary, docs, log = crawl(config, "mastodon-lambersart", tmp_path,
                                   env={"VIGIE_TEST_SECRET_MASTODON": secret})
        assert summary["status"] == "ok", summary
        ids = {d.item_id.split("/", 1)[1] for d in docs}
        assert {"113520870012340001", "113520874561230005", "113520850000000009", "113520880000000006",
                "113521000000000020", "113520990000000019"} <= ids
        assert "113520855550000004" not in ids  # the direct message
        reply = next(d for d in docs if d.item_id.endswith("/113520880000000006"))
        assert reply.thread_id == make_doc_id("mastodon", f"{server.netloc}/113520870012340001")
        assert all(d.watch_ids == ["lambersart"] and d.source_id == "mastodon-lambersart" for d in docs)
        errors = summary["errors_by_reason"]
        assert errors["invalid_json"] == 1 and errors["not_public"] == 1 and errors["bad_item"] == 1
        assert errors["api_error:Record not found"] == 2  # unknown account, a context gone
        assert summary["retry_after_honoured"] == 1
        assert errors["rate_limit_reached"] == 1
        assert not [h for h in server.hits_for("/api/v1/timelines/tag/lambersart") if "max_id" in h.query]
        assert all(h.headers.get("Authorization") == f"Bearer {secret}" for h in server.hits)
        assert secret not in log and secret not in "".join(d.model_dump_json() for d in docs)
        assert not server.hits_for("/robots.txt")

        server.reset_hits()
        summary2, docs2, _ = crawl(config, "mastodon-lambersart", tmp_path, interval=RUN2,
                                   env={"VIGIE_TEST_SECRET_MASTODON": secret})
        assert summary2["status"] == "ok" and summary2["new"] == 0 and docs2 == []
        tag_hits = server.hits_for("/api/v1/timelines/tag/lambersart")
        assert tag_hits[0].query["min_id"] == ["113520874561230005"]


def test_paging_links_stay_on_the_instance():
    """A Link header naming another host must not receive the token: paging is rebased on the instance."""
    from vigie.crawlers.spiders._api import rebase

    assert rebase("http://evil.example:8080/api/v1/timelines/tag/x?max_id=1&access_token=abc",
                  "https://mastodon.example") == "https://mastodon.example/api/v1/timelines/tag/x?max_id=1"
