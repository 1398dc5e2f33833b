"""YouTube: a channel's recent videos and their comments (Data API v3, with an API key).

Options: ``channel_id`` (``UC…``; or ``channels``, a list), ``api_url`` (default
``https://www.googleapis.com/youtube/v3``), ``max_videos`` per channel and run (default 10),
``max_comment_pages`` per video (default 3). Credential (required): ``api_key``, sent in the
``X-goog-api-key`` header (never in the URL).

Quota (10,000 units a day by default, every call below costs 1 unit): one ``playlistItems`` call
per 50 videos of the uploads playlist, one ``videos`` call per 50 videos, one ``commentThreads``
call per 100 comment threads, one ``comments`` call per thread with more than five replies.
Incremental: a video's comments are fetched again only when its comment count changed since the
last run (cursor ``comments``); unchanged videos and comments are dropped by the pipelines.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from vigie.crawlers.extract import youtube as extract
from vigie.crawlers.options import HttpUrl, Pages, SourceOptions, StrList, Text
from vigie.crawlers.spiders._api import ApiSpider

KEEP_COUNTS = 500


class YoutubeOptions(SourceOptions):
    channel_id: Text | None = None                   # UC…
    channels: StrList = Field(default_factory=list)  # more channel ids
    api_url: HttpUrl = "https://www.googleapis.com/youtube/v3"
    max_videos: Pages = 10                           # recent uploads per channel and run
    max_comment_pages: Pages = 3                     # pages of 100 comment threads per video

    @model_validator(mode="after")
    def _some_channel(self) -> YoutubeOptions:
        if not (self.channel_id or self.channels):
            raise ValueError("a youtube source needs options.channel_id (or options.channels)")
        return self


class YoutubeSpider(ApiSpider):
    kind = "youtube"
    Options = YoutubeOptions
    label_fr = "YouTube"
    name = "vigie-youtube"
    platform = "youtube"

    async def start(self):
        key = self.secret("api_key")
        if key is None:
            return
        self.key = {"X-goog-api-key": key}
        self.api = self.base_url(self.options.api_url)
        self.counts: dict[str, int] = dict(self.state.cursor("comments", {}) or {})
        channels = list(self.options.channels)
        if self.options.channel_id:
            channels.append(self.options.channel_id)
        for channel in dict.fromkeys(channels):
            try:
                playlist = extract.uploads_playlist(str(channel))
            except ValueError as exc:
                self.skip("bad_option", None, str(exc))
                continue
            yield self.uploads(playlist, None, 0)

    def get(self, endpoint: str, callback: Any, params: dict[str, Any], **cb_kwargs: Any):
        return self.api_request(f"{self.api}/{endpoint}", callback, params=params, headers=self.key,
                                cb_kwargs=cb_kwargs)

    def uploads(self, playlist: str, page_token: str | None, seen: int):
        return self.get("playlistItems", self.parse_uploads,
                        {"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": 50,
                         "pageToken": page_token}, playlist=playlist, seen=seen)

    def parse_uploads(self, response: Any, playlist: str, seen: int):
        payload = self.payload(response)
        if payload is None:
            return
        wanted = self.options.max_videos
        ids = extract.video_ids(payload)[: max(0, wanted - seen)]
        if ids:
            yield self.get("videos", self.parse_videos, {"part": "snippet,statistics", "id": ",".join(ids)})
        token = extract.next_page(payload)
        if token and seen + len(ids) < wanted:
            yield self.uploads(playlist, token, seen + len(ids))

    def parse_videos(self, response: Any):
        payload = self.payload(response)
        if payload is None:
            return
        out = extract.videos(payload, self.origin())
        yield from self.emit(out, response.url)
        for video in out.documents:
            comments = video.engagement.replies
            video_id = video.item_id.removeprefix("video:")
            if comments and self.counts.get(video_id) != comments:
                yield self.threads(video_id, None, 1, comments)

    def threads(self, video_id: str, page_token: str | None, page: int, comments: int):
        return self.get("commentThreads", self.parse_threads,
                        {"part": "snippet,replies", "videoId": video_id, "maxResults": 100, "order": "time",
                         "textFormat": "plainText", "pageToken": page_token},
                        video_id=video_id, page=page, comments=comments)

    def parse_threads(self, response: Any, video_id: str, page: int, comments: int):
        payload = self.payload(response)
        if payload is None:
            return
        yield from self.emit(extract.comment_threads(payload, self.origin()), response.url)
        for parent in extract.missing_replies(payload):
            yield self.get("comments", self.parse_replies,
                           {"part": "snippet", "parentId": parent, "maxResults": 100, "textFormat": "plainText"},
                           video_id=video_id)
        token = extract.next_page(payload)
        if token and page < self.options.max_comment_pages:
            yield self.threads(video_id, token, page + 1, comments)
        else:
            self.counts[video_id] = comments
            self.state.set_cursor("comments", dict(list(self.counts.items())[-KEEP_COUNTS:]))

    def parse_replies(self, response: Any, video_id: str):
        payload = self.payload(response)
        if payload is not None:
            yield from self.emit(extract.comments(payload, self.origin(), video_id), response.url)
