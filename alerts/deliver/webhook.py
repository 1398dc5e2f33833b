"""Webhooks: JSON payloads that Slack, Mattermost and Microsoft Teams incoming webhooks accept.

``format`` per webhook (watch.yaml):
- ``slack``: ``{"text": …}`` in Slack mrkdwn;
- ``mattermost``: ``{"text": …}`` in Markdown;
- ``teams``: an Office 365 connector MessageCard (Markdown);
- ``teams_adaptive``: a message carrying an Adaptive Card 1.4 (Teams workflows / Power Automate), its
  texts in TextRuns (never Markdown);
- ``json``: the alert event itself, without control or bidirectional characters.
Crawled text is inert in every format: ``markup.py`` says how, per format.
The URL is read from the environment variable the webhook names (webhook URLs are secrets).
"""

from __future__ import annotations

import os

import requests

from vigie.alerts.deliver import markup
from vigie.alerts.deliver.render import context
from vigie.textsafe import inert


def user_agent() -> str:
    from vigie import __version__

    return f"Vigie-alerts/{__version__}"


def _text_run(text: str, **style) -> dict:
    """Adaptive Cards: a TextRun never interprets Markdown, so crawled text stays text."""
    return {"type": "TextRun", "text": markup.no_mentions(text), **style}


def _rich(*runs: dict, **options) -> dict:
    return {"type": "RichTextBlock", "inlines": list(runs), **options}


def payload(event: dict, fmt: str, watch_name: str, tz: str = "Europe/Paris") -> dict:
    """The body posted for ``event`` in webhook format ``fmt``; crawled text is inert in each (markup.py)."""
    ctx = context(event, watch_name, tz)
    if fmt == "json":
        # the event as data: no markup to escape, but no control or bidirectional character either
        return inert({"type": "vigie.alert", "watch_name": watch_name, **event})
    if fmt == "slack":
        lines = [f"*{markup.slack(ctx['kind_label'])} · {markup.slack(ctx['title'])}*", markup.slack(ctx["summary"])]
        lines += [f"• {markup.slack(k)} : {markup.slack(v)}" for k, v in ctx["facts"][3:]]
        for s in ctx["samples"][:3]:
            link = " " + markup.slack_link(s["url"], "lien") if s["url"] else ""
            lines.append(f"> {markup.slack(s['excerpt'][:200])}{link}")
        return {"text": "\n".join(lines)}
    if fmt == "mattermost":
        md = markup.markdown
        lines = [f"**{md(ctx['kind_label'])} · {md(ctx['title'])}**", md(ctx["summary"])]
        lines += [f"- {md(k)} : {md(v)}" for k, v in ctx["facts"][3:]]
        for s in ctx["samples"][:3]:
            link = " " + markup.markdown_link(s["url"], "lien") if s["url"] else ""
            lines.append(f"> {md(s['excerpt'][:200])}{link}")
        return {"text": "\n".join(lines), "username": "Vigie"}
    if fmt == "teams":
        md = markup.markdown
        return {
            "@type": "MessageCard", "@context": "https://schema.org/extensions",
            "summary": markup.no_mentions(ctx["subject"][:150]), "themeColor": ctx["colour"].lstrip("#"),
            "title": md(f"{ctx['kind_label']} · {ctx['title']}"),
            "sections": [{"text": md(ctx["summary"]),
                          "facts": [{"name": md(k), "value": md(v)} for k, v in ctx["facts"]],
                          "markdown": True}]
            + [{"text": md(s["excerpt"][:300]), "activitySubtitle": md(f"{s['when']} · {s['source']}"),
                "markdown": True} for s in ctx["samples"][:3]],
            "potentialAction": [{"@type": "OpenUri", "name": "Voir le message",
                                 "targets": [{"os": "default", "uri": s["url"]}]}
                                for s in ctx["samples"][:1] if s["url"]],
        }
    if fmt == "teams_adaptive":
        # Every text is a TextRun (TextBlock and FactSet values are Markdown): the card shows crawled text
        # as written, with no link or formatting; the only link is the action's, from safe_url.
        body = [_rich(_text_run(ctx["kind_label"], weight="Bolder", color="Attention")),
                _rich(_text_run(ctx["title"], size="Large")),
                _rich(_text_run(ctx["summary"]))]
        body += [_rich(_text_run(f"{k} : ", weight="Bolder"), _text_run(v), spacing="None") for k, v in ctx["facts"]]
        body += [_rich(_text_run(f"{s['when']} · {s['excerpt'][:300]}", isSubtle=True)) for s in ctx["samples"][:3]]
        actions = [{"type": "Action.OpenUrl", "title": "Voir le message", "url": s["url"]}
                   for s in ctx["samples"][:1] if s["url"]]
        return {"type": "message", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
            "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                        "version": "1.4", "body": body, "actions": actions}}]}
    raise ValueError(f"unknown webhook format {fmt!r}")


class WebhookChannel:
    def __init__(self, name: str, url_env: str, fmt: str, watch_name: str, tz: str, kinds=(), timeout: float = 10,
                 env=None):
        self.name = f"webhook:{name}"
        self.url_env = url_env
        self.fmt = fmt
        self.watch_name = watch_name
        self.tz = tz
        self.kinds = set(kinds)
        self.timeout = timeout
        self.env = os.environ if env is None else env  # the run's environment (settings.env)

    def wants(self, event: dict) -> bool:
        kinds = {event["kind"]} | {d.split(":")[0] for d in event.get("detectors") or []}
        return not self.kinds or bool(kinds & self.kinds)

    def send(self, event: dict) -> None:
        url = self.env.get(self.url_env)
        if not url:
            raise RuntimeError(f"environment variable {self.url_env} (URL of {self.name}) is not set")
        try:
            resp = requests.post(url, json=payload(event, self.fmt, self.watch_name, self.tz), timeout=self.timeout,
                                 headers={"User-Agent": user_agent()})
        except requests.RequestException as exc:
            # The URL is a secret (its path is the credential): never put it in a message or a log.
            raise RuntimeError(f"{self.name}: {type(exc).__name__} (webhook unreachable)") from None
        if resp.status_code >= 300:
            raise RuntimeError(f"{self.name} answered HTTP {resp.status_code}: {resp.text[:200]}")
