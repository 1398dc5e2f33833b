"""Webhooks: JSON payloads that Slack, Mattermost and Microsoft Teams incoming webhooks accept.

``format`` per webhook (watch.yaml):
- ``slack``: ``{"text": …}`` in Slack mrkdwn, with ``&``, ``<`` and ``>`` escaped as Slack asks, so
  crawled text cannot forge links or mentions;
- ``mattermost``: ``{"text": …}`` in Markdown, with Markdown and HTML characters escaped;
- ``teams``: an Office 365 connector MessageCard;
- ``teams_adaptive``: a message carrying an Adaptive Card 1.4 (Teams workflows / Power Automate);
- ``json``: the alert event itself.
The URL is read from the environment variable the webhook names (webhook URLs are secrets).
"""

from __future__ import annotations

import os
import re

import requests

from vigie.alerts.deliver.render import context


def user_agent() -> str:
    from vigie import __version__

    return f"Vigie-alerts/{__version__}"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MD = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def _md_escape(text: str) -> str:
    return _MD.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def payload(event: dict, fmt: str, watch_name: str, tz: str = "Europe/Paris") -> dict:
    ctx = context(event, watch_name, tz)
    if fmt == "json":
        return {"type": "vigie.alert", "watch_name": watch_name, **event}
    if fmt == "slack":
        lines = [f"*{_slack_escape(ctx['kind_label'])} · {_slack_escape(ctx['title'])}*", _slack_escape(ctx["summary"])]
        lines += [f"• {_slack_escape(k)} : {_slack_escape(v)}" for k, v in ctx["facts"][3:]]
        for s in ctx["samples"][:3]:
            link = f" <{s['url']}|lien>" if s["url"] else ""
            lines.append(f"> {_slack_escape(s['excerpt'][:200])}{link}")
        return {"text": "\n".join(lines)}
    if fmt == "mattermost":
        lines = [f"**{_md_escape(ctx['kind_label'])} · {_md_escape(ctx['title'])}**", _md_escape(ctx["summary"])]
        lines += [f"- {_md_escape(k)} : {_md_escape(v)}" for k, v in ctx["facts"][3:]]
        for s in ctx["samples"][:3]:
            link = f" [lien]({s['url']})" if s["url"] else ""
            lines.append(f"> {_md_escape(s['excerpt'][:200])}{link}")
        return {"text": "\n".join(lines), "username": "Vigie"}
    if fmt == "teams":
        return {
            "@type": "MessageCard", "@context": "https://schema.org/extensions",
            "summary": ctx["subject"][:150], "themeColor": ctx["colour"].lstrip("#"),
            "title": f"{ctx['kind_label']} · {ctx['title']}",
            "sections": [{"text": _md_escape(ctx["summary"]),
                          "facts": [{"name": k, "value": _md_escape(v)} for k, v in ctx["facts"]],
                          "markdown": True}]
            + [{"text": _md_escape(s["excerpt"][:300]), "activitySubtitle": f"{s['when']} · {s['source']}",
                "markdown": True} for s in ctx["samples"][:3]],
            "potentialAction": [{"@type": "OpenUri", "name": "Voir le message",
                                 "targets": [{"os": "default", "uri": s["url"]}]}
                                for s in ctx["samples"][:1] if s["url"]],
        }
    if fmt == "teams_adaptive":
        body = [{"type": "TextBlock", "text": ctx["kind_label"], "weight": "Bolder", "color": "Attention"},
                {"type": "TextBlock", "text": ctx["title"], "size": "Large", "wrap": True},
                {"type": "TextBlock", "text": ctx["summary"], "wrap": True},
                {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in ctx["facts"]]}]
        body += [{"type": "TextBlock", "text": f"{s['when']} · {s['excerpt'][:300]}", "wrap": True, "isSubtle": True}
                 for s in ctx["samples"][:3]]
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
        return not self.kinds or event["kind"] in self.kinds

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
