"""Hostile crawled text delivered for real (local HTTP receiver, aiosmtpd) stays inert in every channel.

Each format's payload is parsed the way its client reads it: Markdown (Mattermost, Teams MessageCard)
through a CommonMark parser (markdown-it-py), Slack mrkdwn by its ``<…>`` control sequences, Adaptive
Cards by element type, emails by their MIME parts.  No mention, link, image, markup, bidirectional or C1
control character from the crawled text may survive.
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from tests.support import json_strings
from vigie.alerts.deliver.log import Dispatcher, channels_for
from vigie.alerts.deliver.webhook import WebhookChannel
from vigie.alerts.engine import Engine
from vigie.config import WEBHOOK_FORMATS

from .conftest import T0, background, load_watch, make_doc

PHISH = "[Valider votre compte](https://evil.example/login)"
IMAGE = "![pixel](https://evil.example/p.png)"
MENTIONS = "@channel @all @here <!channel> <!here> <@U024BE7LH>"
BIDI = "\u202egpj.exe\u202c \u2066isolé\u2069 \u200f\u200e\u061c\u202a\u202b\u202d"
C1 = "\x9b31m\x1b[2J\x85\x90\x07"
HOSTILE = f"Rue inondée, évacuation ! {MENTIONS} {PHISH} {IMAGE} **gras** <b>html</b> {BIDI} {C1}"
# a ")" ends a Markdown link, a "|" ends a Slack link's URL
BAD_URLS = ["https://ville.example/a)![img](https://evil.example/x.png)",
            "https://ville.example/b|<!channel>",
            "https://ville.example/c) [Valider](https://evil.example/login"]
FORBIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")
# a sample's link: its own host, nothing that can end a link in Markdown, Slack or HTML
SAFE_LINK = re.compile(r"https://(ville|social)\.example/[A-Za-z0-9/%!*:._~@-]*")
LIVE_MENTION = re.compile(r"(?<![\w\u200d])@(channel|all|here)\b")


def hostile_events(watch):
    start = T0 + timedelta(days=1, hours=19)
    flood = [make_doc(f"h{i}", f"{HOSTILE} {i}", start + timedelta(minutes=4 * i),
                      url=BAD_URLS[i % len(BAD_URLS)], title=f"{PHISH} @channel {BIDI}",
                      entities={"locations": [f"Lille {IMAGE} @here {BIDI}{C1}"]})
             for i in range(12)]
    events = Engine(watch).run(sorted(background() + flood, key=lambda d: (d.published_at, d.doc_id)))
    assert events and any("evil.example" in e["title"] for e in events)   # the place reached the title
    return events





class _Html(HTMLParser):
    """Tags and link targets of rendered HTML, and its text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    return parser


def assert_inert_markdown(text: str, allowed_links: int = 0, allowed_bold: int = 0):
    """CommonMark reading of ``text``: no image, no HTML, no emphasis but ours; links only the sample
    links we add, to a percent-encoded URL on ville.example."""
    html = MarkdownIt("commonmark").render(text)
    parsed = parse_html(html)
    tags = [t for t, _ in parsed.tags]
    assert "img" not in tags, html
    assert not {"em", "code", "b", "h1", "h2", "del", "s"} & set(tags), html
    assert tags.count("strong") <= allowed_bold, html
    links = [a for t, a in parsed.tags if t == "a"]
    assert len(links) <= allowed_links, html
    for link in links:
        assert SAFE_LINK.fullmatch(link["href"]), link
    visible = "".join(parsed.text)
    assert "<b>" in visible or "html" not in visible                  # HTML shows as text
    return visible


@pytest.fixture
def delivered(tmp_path, hooks, smtp_env):
    """Deliver the hostile alerts to a real local HTTP receiver in one format; the bodies it received."""
    def deliver(fmt: str) -> list[dict]:
        watch = load_watch(tmp_path)
        events = hostile_events(watch)
        smtp_env.setenv("HOOK_URL", f"{hooks.url}/{fmt}")
        channel = WebhookChannel(fmt.replace("_", "-"), "HOOK_URL", fmt, watch.name, watch.timezone)
        report = Dispatcher([channel], backoff=0.01).deliver(events)
        assert report["failed"] == 0 and report["sent"] == len(events)
        assert {path for path, _ in hooks.received} == {f"/{fmt}"}
        bodies = [body for _, body in hooks.received]
        for body in bodies:
            for s in json_strings(body):                                    # every string of every format
                assert not FORBIDDEN.search(s), s
                assert fmt == "json" or not LIVE_MENTION.search(s), s
        return bodies

    return deliver


def test_mattermost_markdown_is_inert(delivered):
    for body in delivered("mattermost"):
        text = body["text"]
        visible = assert_inert_markdown(text, allowed_links=3, allowed_bold=1)
        assert "[Valider votre compte](https://evil.example/login)" in visible   # shown as written
        assert "![pixel]" in visible and "**gras**" in visible


def test_slack_mrkdwn_is_inert(delivered):
    for text in [body["text"] for body in delivered("slack")]:
        controls = re.findall(r"<([^>]*)>", text)                      # Slack reads <…> as link/mention
        assert controls, text
        for inner in controls:
            url, _, label = inner.partition("|")
            assert label == "lien" and SAFE_LINK.fullmatch(url), inner
        assert "&lt;!channel&gt;" in text and "&lt;@\u200dU024BE7LH&gt;" in text


def test_teams_message_card_is_inert(delivered):
    for card in delivered("teams"):
        fields = [card["title"]] + [sec.get("text", "") for sec in card["sections"]] + [
            sec.get("activitySubtitle", "") for sec in card["sections"]] + [
            f[k] for sec in card["sections"] for f in sec.get("facts", []) for k in ("name", "value")]
        for field in fields:
            assert_inert_markdown(field)
        for action in card["potentialAction"]:
            assert SAFE_LINK.fullmatch(action["targets"][0]["uri"])


def test_teams_adaptive_card_is_inert(delivered):
    for message in delivered("teams_adaptive"):
        content = message["attachments"][0]["content"]
        runs = []
        for element in content["body"]:
            # TextBlock and FactSet render Markdown: crawled text may only appear in TextRuns
            assert element["type"] == "RichTextBlock", element
            assert all(run["type"] == "TextRun" for run in element["inlines"])
            runs += [run["text"] for run in element["inlines"]]
        assert any(PHISH in r for r in runs) and any("@\u200dchannel" in r for r in runs)
        for action in content["actions"]:
            assert SAFE_LINK.fullmatch(action["url"])


def test_json_payload_has_no_control_character(delivered):
    excerpts = [s["excerpt"] for body in delivered("json") for s in body["samples"]]
    assert any(PHISH in e and "gpj.exe" in e for e in excerpts)       # data: same text, no control character


def test_every_format_is_covered():
    assert set(WEBHOOK_FORMATS) == {"slack", "mattermost", "teams", "teams_adaptive", "json"}


def test_alert_emails_carry_no_bidi_or_c1_control(tmp_path, smtp_factory, smtp_env, unused_port):
    server = smtp_factory(unused_port)
    smtp_env.setenv("VIGIE_SMTP_PORT", str(unused_port))
    watch = load_watch(tmp_path)
    events = hostile_events(watch)
    report = Dispatcher(channels_for(watch, os.environ)).deliver(events)
    assert report["sent"] == len(events) and len(server.messages) == len(events)
    for _, msg in server.messages:
        subject = msg["Subject"]
        assert "evil.example" in subject and not FORBIDDEN.search(subject), subject
        text = msg.get_body(preferencelist=("plain",)).get_content()
        html = msg.get_body(preferencelist=("html",)).get_content()
        for part in (text, html):
            assert not FORBIDDEN.search(part.replace("\r\n", "\n")), repr(FORBIDDEN.search(part))
        parsed = parse_html(html)
        assert "img" not in [t for t, _ in parsed.tags]
        for tag, attrs in parsed.tags:
            if tag == "a":
                assert SAFE_LINK.fullmatch(attrs["href"]), attrs


@pytest.mark.parametrize("url", [*BAD_URLS, "https://ville.example@evil.example/", "https://ville.example/a b",
                                 "https://ville.example/\u202etxt", "javascript:alert(1)"])
def test_links_cannot_break_out_of_markup(url):
    from vigie.alerts.deliver.render import safe_url

    safe = safe_url(url)
    assert safe is None or SAFE_LINK.fullmatch(safe), safe
    if safe:
        assert json.loads(json.dumps(safe)) == safe
