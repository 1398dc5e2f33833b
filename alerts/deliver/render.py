"""What every channel shows of an alert event: French labels, local times, safe links."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from vigie.alerts.model import KIND_LABELS, LEVEL_NAMES, MAX_LEVEL, detector_names
from vigie.textsafe import one_line, safe_url

__all__ = ["context", "local", "one_line", "safe_url"]

COLOURS = {"crisis_keywords": "#b91c1c", "toxicity_spike": "#7c2d12", "negative_spike": "#b45309",
           "emerging_topic": "#1d4ed8", "saved_query": "#4b5563"}


def local(ts: str | None, tz: str) -> str:
    if not ts:
        return ""
    when = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(ZoneInfo(tz))
    return when.strftime("%d/%m/%Y %H:%M")


def _number(x: float) -> str:
    return f"{x:.1f}".replace(".", ",") if x < 100 else f"{x:.0f}"


def _joined(values) -> str:
    """A list of names (crawled places, topics, terms, sources) on one line, without control characters."""
    return ", ".join(one_line(str(v)) for v in values or [])


def context(event: dict, watch_name: str, tz: str = "Europe/Paris") -> dict:
    level = event["level"]
    level_text = f"{level} — {LEVEL_NAMES.get(level, '')} (sur {MAX_LEVEL})"
    detectors = detector_names(event.get("detectors") or [f"{event['kind']}:{event.get('key') or ''}"],
                               event.get("detector_labels"))
    sentiment = event.get("sentiment") or {}
    mix = ", ".join(f"{n} {label}" for key, label in (("negative", "négatif(s)"), ("neutral", "neutre(s)"),
                                                    ("positive", "positif(s)"), ("unknown", "non évalué(s)"))
                    if (n := sentiment.get(key)))
    if event["event"] == "escalation":
        summary = (f"L'événement a pris de l'ampleur : {event['doc_count']} messages (niveau {level_text}), "
                   f"contre {event.get('base_count') or '?'} au premier signalement.")
    else:
        summary = f"{event['doc_count']} messages depuis le {local(event.get('first_seen'), tz)}."
    kind_label = one_line(KIND_LABELS.get(event["kind"], event["kind"]))
    facts = [
        ("Type", kind_label),
        ("Premier message", local(event.get("first_seen"), tz)),
        ("Détectée le", local(event.get("fired_at"), tz)),
        ("Messages", str(event["doc_count"])),
        ("Ampleur (anomalie)", _number(event.get("magnitude") or 0)),
        ("Croissance", f"×{_number(event.get('growth') or 0)} par rapport à l'habitude"),
        ("Niveau", level_text),
        ("Détecteurs", _joined(detectors)),
    ]
    if event.get("commune_names") or event.get("communes"):
        facts.append(("Communes", _joined(event.get("commune_names") or event.get("communes"))))
    if event.get("topics"):
        facts.append(("Thèmes", _joined(event["topics"])))
    if event.get("terms"):
        facts.append(("Mots-clés", _joined(event["terms"][:8])))
    if mix:
        facts.append(("Tonalité", mix))
    if event.get("sources"):
        facts.append(("Sources", _joined(event["sources"][:6])))
    samples = [{"when": local(s.get("published_at"), tz),
                "source": one_line(f"{s.get('platform')}/{s.get('source_id')}"), "title": one_line(s.get("title")),
                "excerpt": one_line(s.get("excerpt")),
                "url": safe_url(s.get("url"))} for s in event.get("samples") or []]
    title = one_line(event["title"])
    prefix = "[Vigie] " + ("Escalade — " if event["event"] == "escalation" else "")
    subject = one_line(f"{prefix}{title}")[:200]
    return {"event": event["event"], "level": level, "level_text": level_text, "detectors": detectors,
            "title": title, "summary": summary, "facts": facts,
            "samples": samples, "kind_label": kind_label, "watch_name": one_line(watch_name),
            "alert_id": event["alert_id"], "colour": COLOURS.get(event["kind"], "#1d4ed8"), "subject": subject}
