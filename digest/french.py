"""French wording of the digest: dates, numbers, labels of topics, services, sources and reasons.

No locale is needed on the machine: month and day names are written here, numbers use the French
decimal comma and a no-break space as thousands separator (and before ``%``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

NBSP = "\u00a0"
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAYS_SHORT = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]

SENTIMENTS = {"negative": "Négatif", "neutral": "Neutre", "positive": "Positif", "unknown": "Non évalué"}
TOXICITY = {"insult": "insulte", "hate": "propos haineux", "threat": "menace", "harassment": "harcèlement",
            "obscenity": "obscénité", "personal_data": "données personnelles exposées"}
MODERATION_CATEGORIES = {"threat": "menace", "dehumanisation": "propos déshumanisants", "hate": "propos haineux",
                         "slur": "injure discriminatoire", "insult": "insulte", "harassment": "harcèlement",
                         "personal_data": "données personnelles exposées"}
MODERATION_TARGETS = {"origin": "origine", "religion": "religion", "gender": "sexe", "sexual_orientation":
                      "orientation sexuelle ou identité de genre", "disability": "handicap", "official": "élu ou agent",
                      "person": "une personne"}
REQUEST_KINDS = {"question": "question", "complaint": "réclamation", "report": "signalement",
                 "service_request": "demande de service", "suggestion": "suggestion"}


def request_detail(kind: str, service: str | None, cue: str | None) -> str:
    """« signalement · service : Voirie et travaux · indice : « en panne » » (what a request line shows)."""
    parts = [kind]
    if service:
        parts.append(f"service : {service}")
    if cue:
        parts.append(f"indice : « {cue} »")
    return " · ".join(parts)
ALERT_STATUS = {"open": "ouverte", "acknowledged": "vue", "snoozed": "en pause", "closed": "close"}
KINDS = {"article": "article", "post": "publication", "comment": "commentaire", "page": "page"}
TAXONOMY = Path(__file__).resolve().parent.parent / "nlp" / "data" / "taxonomy.yaml"


def long_date(day: date) -> str:
    """« mardi 17 novembre 2026 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {first} {MONTHS[day.month - 1]} {day.year}"


def plain_date(day: date) -> str:
    """« 17 novembre 2026 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """« 17 nov. 2026 », « 1er nov. 2026 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS_SHORT[day.month - 1]} {day.year}"


def chart_day(day: date) -> str:
    """« mar. 17 » (chart axis)."""
    return f"{DAYS_SHORT[day.weekday()]} {day.day}"


def time_of(when: datetime) -> str:
    return f"{when.hour:02d}h{when.minute:02d}"


def when_label(when: datetime, day: date) -> str:
    """« 14h05 » on the day covered, else « 15 nov. 14h05 »."""
    if when.date() == day:
        return time_of(when)
    return f"{when.day} {MONTHS_SHORT[when.month - 1]} {time_of(when)}"


def number(value: float | int | None, decimals: int = 0) -> str:
    """1 234 ; 3,5 (no-break spaces)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text


def average(value: float | None) -> str:
    """A 7-day average: one decimal under 10, none above."""
    if value is None:
        return "–"
    return number(value, 1 if value < 10 and value != int(value) else 0)


def percent(change: float | None) -> str:
    """+35 % ; −12 % ; « nouveau » when the reference was zero."""
    if change is None:
        return "nouveau"
    rounded = round(change)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
    return f"{sign}{number(abs(rounded))}{NBSP}%"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{number(count)} {one if count <= 1 else (many or one + 's')}"


@lru_cache(maxsize=4)
def _taxonomy(path: str = str(TAXONOMY)) -> tuple[dict, dict]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    topics = {t["id"]: t["label"] for t in data["topics"]}
    services = {t["service"]["id"]: t["service"]["label"] for t in data["topics"] if t.get("service")}
    default = data.get("default_service") or {}
    if default.get("id"):
        services[default["id"]] = default["label"]
    return topics, services


def topic_labels(watch=None) -> dict[str, str]:
    """Topic id → French label (the taxonomy's, with the watch's own topics added or relabelled)."""
    labels = dict(_taxonomy()[0])
    for rule in getattr(watch, "topics", None) or []:
        labels[rule.id] = rule.label or labels.get(rule.id) or rule.id.replace("-", " ").capitalize()
    return labels


def service_labels(watch=None) -> dict[str, str]:
    labels = dict(_taxonomy()[1])
    for rule in getattr(watch, "topics", None) or []:
        if rule.service and rule.service not in labels:
            labels[rule.service] = rule.service.replace("-", " ").capitalize()
    return labels


def source_kind_label(kind: str | None) -> str:
    """« Presse et fils RSS »: the label each source kind declares with its spider (``crawlers/kinds.py``)."""
    from vigie.crawlers.kinds import label_fr

    return label_fr(kind) or (humanise(kind) if kind else "Autres")


def humanise(slug: str | None) -> str:
    return re.sub(r"[-_]+", " ", slug or "").strip().capitalize() or "Non attribué"
