"""The digest as HTML (inline CSS, table layout, 600 px wide at most) and as plain text, in French.

Jinja2 renders both; the HTML environment escapes everything (crawled text is hostile: a ``<script>``
or an HTML link in a post shows as text) and links are only those ``safe_url`` kept (http/https).
The text environment does not escape: a text/plain part is never interpreted as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from vigie.digest import french

TEMPLATES = Path(__file__).resolve().parent / "templates"
_html = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_text = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False,  # noqa: S701 (text/plain part)
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
TRENDS = {"up": ("▲", "en hausse", "#b91c1c"), "down": ("▼", "en baisse", "#15803d"),
          "stable": ("●", "stable", "#6b7280"), "new": ("★", "nouveau", "#1d4ed8")}


@dataclass
class Rendered:
    subject: str
    html: str
    text: str
    empty: bool


def subject(figures: dict, prefix: str = "Veille") -> str:
    """« Veille Ville de Lambersart – 17 nov. 2026 : 42 publications (+35 % vs veille) »."""
    day = date.fromisoformat(figures["date"])
    head = f"{prefix} {figures['watch_name']} – {french.short_date(day)}".strip()
    total = figures["total"]
    if not total:
        return f"{head} : aucune publication collectée"
    change = figures.get("change_previous_pct")
    trend = f" ({french.percent(change)} vs veille)" if change is not None else ""
    line = f"{head} : {french.plural(total, 'publication')}{trend}"
    alerts = open_alerts(figures)
    if alerts:
        line += f", {french.plural(alerts, 'alerte ouverte', 'alertes ouvertes')}"
    return " ".join(line.split())[:200]


def open_alerts(figures: dict) -> int:
    """Every open alert, also those beyond the ones listed."""
    if "alerts_open" in figures:
        return int(figures["alerts_open"])
    return sum(1 for a in figures.get("alerts") or [] if a["status"] == "open")


def _share(part: int, total: int) -> str:
    return f"{round(100 * part / total)}{french.NBSP}%" if total else "–"


def context(figures: dict, chart_src: str | None = None, prefix: str = "Veille") -> dict:
    day = date.fromisoformat(figures["date"])
    start = datetime.fromisoformat(figures["period"]["start"])
    end = datetime.fromisoformat(figures["period"]["end"])
    total = figures["total"]
    sentiment = figures["sentiment"]
    rated = sum(sentiment[k] for k in ("negative", "neutral", "positive"))
    tones = [{"key": k, "label": french.SENTIMENTS[k], "count": sentiment[k],
              "share": _share(sentiment[k], rated if k != "unknown" else total),
              "colour": {"negative": "#dc2626", "neutral": "#6b7280", "positive": "#16a34a",
                         "unknown": "#9ca3af"}[k]}
             for k in ("negative", "neutral", "positive", "unknown") if k != "unknown" or sentiment[k]]
    topics = []
    for t in figures["topics"]:
        symbol, word, colour = TRENDS[t["trend"]]
        topics.append({**t, "symbol": symbol, "trend_label": word, "colour": colour,
                       "avg": french.average(t["avg_7d"])})
    emerging = {t["id"] for t in figures.get("emerging_topics") or []}
    kinds = [{**k, "avg": french.average(k["avg_7d"])} for k in figures["by_source_kind"] if
             k["total"] or k["previous_day"] or k["avg_7d"]]
    requests = figures["requests"]
    opened = open_alerts(figures)
    preheader = f"{french.plural(total, 'publication')}"
    if opened:
        preheader += f", {french.plural(opened, 'alerte ouverte', 'alertes ouvertes')}"
    if requests["total"]:
        preheader += f", {french.plural(requests['total'], 'demande en attente', 'demandes en attente')}"
    if figures.get("moderation"):
        preheader += f", {french.plural(len(figures['moderation']), 'commentaire à modérer', 'commentaires à modérer')}"
    return {
        "subject": subject(figures, prefix),
        "preheader": preheader,
        "watch_name": figures["watch_name"],
        "day_long": french.long_date(day),
        "day_plain": french.plain_date(day),
        "period": f"du {french.long_date(start.date())} {french.time_of(start)} au "
                  f"{french.long_date(end.date())} {french.time_of(end)} ({figures['timezone']})",
        "total": french.number(total),
        "total_raw": total,
        "previous_day": french.number(figures["previous_day"]),
        "avg_7d": french.average(figures["avg_7d"]),
        "change_previous": french.percent(figures["change_previous_pct"]) if figures["previous_day"] else "–",
        "change_avg": french.percent(figures["change_avg_pct"]) if figures["avg_7d"] else "–",
        "change_up": (figures.get("change_avg_pct") or 0) > 0,
        "kinds": kinds,
        "alerts": figures.get("alerts") or [],
        "alerts_more": int(figures.get("alerts_more") or 0),
        "emerging": [t for t in topics if t["id"] in emerging],
        "topics": topics,
        "tones": tones,
        "rated": rated,
        "chart_src": chart_src,
        "top_documents": figures["top_documents"],
        "requests": requests,
        "moderation": figures["moderation"],
        "influencers": figures["influencers"],
        "communes": figures["communes"],
        "places": figures["places"],
        "silent_posts": figures["silent_posts"],
        "number": french.number,
        "plural": french.plural,
    }


def render(figures: dict, chart_src: str | None = None, prefix: str = "Veille") -> Rendered:
    """HTML and text of the digest; a day without any document gives the short notice instead."""
    if not figures["total"]:
        ctx = {"subject": subject(figures, prefix), "watch_name": figures["watch_name"],
               "day_plain": french.plain_date(date.fromisoformat(figures["date"])),
               "day_long": french.long_date(date.fromisoformat(figures["date"])),
               "previous_day": figures["previous_day"], "avg_7d": french.average(figures["avg_7d"]),
               "number": french.number, "plural": french.plural}
        return Rendered(ctx["subject"], _html.get_template("empty.html.j2").render(**ctx),
                        _text.get_template("empty.txt.j2").render(**ctx), True)
    ctx = context(figures, chart_src, prefix)
    return Rendered(ctx["subject"], _html.get_template("digest.html.j2").render(**ctx),
                    _text.get_template("digest.txt.j2").render(**ctx), False)
