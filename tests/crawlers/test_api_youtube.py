"""YouTube: the extractor on saved Data API v3 payloads, then real crawls."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigie.crawlers.extract import youtube
from vigie.crawlers.extract._api import Origin, error_reason
from vigie.schema import Kind, make_doc_id

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api" / "youtube"
ORIGIN = Origin("youtube-ville", "youtube", ("lambersart",), datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
TOP = "UgzQ8pVbLambersart01AaABAg"


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_listing_video_ids():
    assert youtube.uploads_playlist("UC7kq2LambersartVille0xA") == "UU7kq2LambersartVille0xA"
    assert youtube.video_ids(load("playlist_items.json")) == ["dQw4w9WgXcQ"]
    assert youtube.next_page(load("playlist_items.json")) == "EAAaBlBUOkNBVQ"
    assert youtube.next_page(load("playlist_items_page2.json")) is None
    assert youtube.video_ids(load("search.json")) == ["dQw4w9WgXcQ"]  # the playlist result is ignored


def test_videos():
    out = youtube.videos(load("videos.json"), ORIGIN)
    assert not out.skipped
    video, other = out.documents
    assert video.item_id == "video:dQw4w9WgXcQ" and video.platform == "youtube" and video.kind == Kind.post
    assert video.thread_id == video.doc_id and video.parent_id is None
    assert video.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert video.title == "Conseil municipal du 13 novembre 2026"
    assert "58:10 Piscine municipale : calendrier des travaux" in video.text
    assert video.language == "fr"
    assert video.author.id == "UC7kq2LambersartVille0xA" and video.author.name == "Ville de Lambersart"
    assert video.author.url == "https://www.youtube.com/channel/UC7kq2LambersartVille0xA"
    assert (video.engagement.views, video.engagement.likes, video.engagement.replies) == (1342, 38, 3)
    assert video.published_at == datetime(2026, 11, 17, 17, 30, tzinfo=UTC)
    assert other.engagement.likes is None and other.language == "fr-FR"


def test_comment_threads_and_replies():
    payload = load("comment_threads_dQw4w9WgXcQ.json")
    out = youtube.comment_threads(payload, ORIGIN)
    video = make_doc_id("youtube", "video:dQw4w9WgXcQ")
    assert [d.item_id for d in out.documents] == [f"comment:{TOP}", f"comment:{TOP}.9zR1aBcDeFg9zR1aBcDeFh"]
    assert [r for r, _ in out.skipped] == ["bad_item"]  # the unreadable date
    top, reply = out.documents
    assert top.kind == Kind.comment and top.thread_id == video and top.parent_id == video
    assert top.text.endswith("réouverture de la piscine & des vestiaires.")
    assert top.author.handle == "@jeanmarc-lbt" and top.author.name == "jeanmarc-lbt"
    assert top.author.id == "UCjm4rcLbt0000000000000A"
    assert top.author.url == "http://www.youtube.com/@jeanmarc-lbt"
    assert top.engagement.likes == 5 and top.engagement.replies == 2
    assert top.url == f"https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc={TOP}"
    assert reply.thread_id == video and reply.parent_id == top.doc_id
    assert youtube.missing_replies(payload) == [TOP]
    more = youtube.comments(load(f"comments_{TOP}.json"), ORIGIN, "dQw4w9WgXcQ")
    assert len(more.documents) == 2 and all(d.parent_id == top.doc_id for d in more.documents)


def test_error_payloads():
    assert error_reason(load("error_comments_disabled.json"))[0] == "api_error:commentsDisabled"
    assert error_reason(load("error_quota.json"))[0] == "api_error:quotaExceeded"
    assert error_reason(load("error_bad_key.json"))[0] == "api_error:badRequest"
    assert youtube.comment_threads(load("error_quota.json"), ORIGIN).skipped[0][0] == "unexpected_payload"
    assert youtube.comment_threads(load("comment_threads_empty.json"), ORIGIN).documents == []
    with pytest.raises(json.JSONDecodeError):
        load("invalid.json")


# ------------------------------------------------------------------ real crawls
KEY = "AIza-fixture-key-0123456789"


def _data_api(server):
    from tests.crawlers.api_support import json_answer

    def keyed(handler):
        def answer(hit):
            sent = {k.lower(): v for k, v in hit.headers.items()}.get("x-goog-api-key")
            if sent != KEY or "key" in hit.query:
                return json_answer("youtube", "error_bad_key.json", 400)
            return handler(hit)
        return answer

    def playlist(hit):
        page2 = hit.query.get("pageToken") == ["EAAaBlBUOkNBVQ"]
        return json_answer("youtube", "playlist_items_page2.json" if page2 else "playlist_items.json")

    def videos(hit):
        wanted = set(hit.query["id"][0].split(","))
        data = load("videos.json")
        data["items"] = [v for v in data["items"] if v["id"] in wanted]
        return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()

    replies_calls = []

    def replies(hit):
        replies_calls.append(hit)
        if len(replies_calls) == 1:
            return 429, {"Retry-After": "1", "Content-Type": "application/json"}, b"{}"
        return json_answer("youtube", f"comments_{TOP}.json")

    server.route("/youtube/v3/playlistItems", handler=keyed(playlist))
    server.route("/youtube/v3/videos", handler=keyed(videos))
    server.route("/youtube/v3/commentThreads",
                 handler=keyed(lambda hit: json_answer("youtube", "comment_threads_dQw4w9WgXcQ.json")))
    server.route("/youtube/v3/comments", handler=keyed(replies))


def test_crawl_channel_and_missing_key_does_not_stop_other_sources(tmp_path, monkeypatch, crawls_in_worker):
    from tests.crawlers.api_support import FAST, RUN1, RUN2, write_config
    from tests.crawlers.server import FixtureServer
    from vigie.crawlers.run import crawl_watch

    monkeypatch.setenv("VIGIE_TEST_YT_KEY", KEY)
    monkeypatch.delenv("VIGIE_TEST_YT_ABSENT", raising=False)
    with FixtureServer() as server:
        _data_api(server)
        options = {"channel_id": "UC7kq2LambersartVille0xA", "api_url": server.url("/youtube/v3")}
        config = write_config(tmp_path, [
            {"id": "youtube-sans-cle", "kind": "youtube", "credentials": {"api_key": "VIGIE_TEST_YT_ABSENT"},
             "options": options},
            {"id": "youtube-ville", "kind": "youtube", "credentials": {"api_key": "VIGIE_TEST_YT_KEY"},
             "options": options},
        ])
        missing, summary = crawl_watch(config, tmp_path / "out", watch_id="lambersart", settings_overrides=FAST,
                                       interval=RUN1, state_dir=tmp_path / "state", parallel=2)
        assert missing["status"] == "failed" and missing["written"] == 0
        assert missing["error"].startswith("source 'youtube-sans-cle' needs environment variable VIGIE_TEST_YT_ABSENT")
        assert missing["errors_by_reason"] == {"missing_credential": 1}
        missing_log = Path(missing["log"]).read_text(encoding="utf-8")
        assert "ERROR" in missing_log and "VIGIE_TEST_YT_ABSENT" in missing_log

        assert summary["status"] == "ok", summary
        docs = [json.loads(line) for line in Path(summary["output"]).read_text(encoding="utf-8").splitlines()]
        assert sorted(d["item_id"] for d in docs) == sorted([
            "video:dQw4w9WgXcQ", "video:kP5yWdBe3rg", f"comment:{TOP}",
            f"comment:{TOP}.9zR1aBcDeFg9zR1aBcDeFh", f"comment:{TOP}.9zR2xYzAbCd9zR2xYzAbCe"])
        assert summary["errors_by_reason"] == {"bad_item": 1}
        assert summary["retry_after_honoured"] == 1
        assert KEY not in Path(summary["log"]).read_text(encoding="utf-8")
        assert all("key" not in h.query for h in server.hits)

        server.reset_hits()
        [again] = crawl_watch(config, tmp_path / "out", watch_id="lambersart", source_ids=["youtube-ville"],
                              settings_overrides=FAST, interval=RUN2, state_dir=tmp_path / "state")
        assert again["status"] == "ok" and again["new"] == 0 and again["written"] == 0
        assert not server.hits_for("/youtube/v3/commentThreads")  # comment counts unchanged
