"""Crawled text as inert text in each webhook's markup: no mention, link, image or formatting survives.

The text reaching these functions has already lost its control and bidirectional characters
(``vigie.textsafe.one_line``); links come from ``vigie.textsafe.safe_url`` (http(s), percent-encoded).

- every format: an ``@`` before a name gets a zero-width joiner (``@\u200dchannel``), so ``@channel``,
  ``@here``, ``@all`` or ``@someone`` pages nobody (Mattermost splits mentions at it; Slack and Teams show
  the text unchanged);
- Slack mrkdwn: ``&``, ``<`` and ``>`` as entities (Slack's own rule): no ``<!channel>``, ``<@U…>`` or
  ``<url|text>`` can be written; Slack has no other escape;
- Markdown (Mattermost, Teams MessageCard): a backslash before the characters that open links, images,
  emphasis, code, headings, tables, strike-through and ``~channel`` links (``\\`*_{}[]()#+!|~``), and
  ``&``, ``<``, ``>`` as entities (no HTML, no ``<url>`` autolink);
- Adaptive Cards: crawled text goes into ``TextRun``s, which never interpret Markdown (see webhook.py).
"""

from __future__ import annotations

import re

ZWJ = "\u200d"
_MENTION = re.compile(r"@(?=\w)")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def no_mentions(text: str) -> str:
    return _MENTION.sub("@" + ZWJ, text)


def slack(text: str) -> str:
    """Plain text for Slack mrkdwn."""
    return no_mentions(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def slack_link(url: str, label: str) -> str:
    """A Slack link; ``url`` comes from ``safe_url`` (no ``|``, ``>`` nor space in it)."""
    return f"<{url}|{slack(label)}>"


def markdown(text: str) -> str:
    """Plain text for Markdown (CommonMark and the Mattermost/Teams extensions)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return no_mentions(_MARKDOWN.sub(r"\\\1", text))


def markdown_link(url: str, label: str) -> str:
    """A Markdown link; ``url`` comes from ``safe_url`` (no parenthesis nor space in it)."""
    return f"[{markdown(label)}]({url})"
