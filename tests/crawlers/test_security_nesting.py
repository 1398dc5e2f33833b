"""Deeply nested JSON is counted as an error (``too_deeply_nested``), never a silent ``ok``."""

from __future__ import annotations

import json

DEEP = b"[" * 100_000 + b"]" * 100_000
TOPIC = {"id": 7, "title": "Piste cyclable", "slug": "piste", "posts_count": 1, "highest_post_number": 1}


def _json(body: bytes, status: int = 200):
    return lambda hit: (status, {"Content-Type": "application/json"}, body)


def test_deeply_nested_discourse_payload_is_counted_and_the_crawl_goes_on(fixture_site, watch_file, run_crawl):
    forum = fixture_site(None)
    forum.route("/latest.json", handler=_json(json.dumps({"topic_list": {"topics": [TOPIC]}}).encode()))
    forum.route("/t/7.json", handler=_json(DEEP))
    config = watch_file([{"id": "forum", "kind": "discourse", "url": forum.url("/")}])
    summary, docs = run_crawl(config, "forum")
    assert forum.hits_for("/t/7.json")
    assert summary["status"] == "ok" and docs == []
    assert summary["errors_by_reason"] == {"too_deeply_nested": 1}, summary


def test_deeply_nested_api_error_body_is_counted(fixture_site, watch_file, run_crawl, monkeypatch):
    """An API error answer (4xx) is parsed by the API spiders' own code: the spider middleware counts it."""
    monkeypatch.setenv("VIGIE_TEST_YT_KEY", "AIza-nesting-key")
    api = fixture_site(None)
    api.route("/youtube/v3/playlistItems", handler=_json(DEEP, status=400))
    config = watch_file([{"id": "yt", "kind": "youtube", "credentials": {"api_key": "VIGIE_TEST_YT_KEY"},
                          "options": {"channel_id": "UC7kq2LambersartVille0xA",
                                      "api_url": api.url("/youtube/v3")}}])
    summary, docs = run_crawl(config, "yt")
    assert api.hits_for("/youtube/v3/playlistItems")
    assert summary["status"] == "ok" and docs == []
    assert summary["errors_by_reason"] == {"too_deeply_nested": 1}, summary
