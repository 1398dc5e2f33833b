"""The saved objects of one watch: data views, saved searches in French, visualisations, a dashboard."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from vigie.indexes.kibana import objects as ko
from vigie.indexes.kibana.check import caps_from_mapping, check_objects
from vigie.indexes.mapping import ALERT_MAPPING, AUTHOR_MAPPING, DOCUMENT_MAPPING
from vigie.indexnames import IndexNames

CRISIS_WORDS = ["inondation", "inondations", "crue", "tempête", "orage", "neige", "verglas",
                '"coupure d\'eau"', '"coupure d\'électricité"', "incendie", "accident", "évacuation",
                "pollution", "effondrement", "alerte"]
DOCUMENT_COLUMNS = ["title", "text", "source_id", "author.handle", "topics", "sentiment.label"]
DOCUMENT_LABELS = {
    "published_at": "Date de publication", "title": "Titre", "text": "Texte", "source_id": "Source",
    "source_kind": "Type de source", "platform": "Plateforme", "kind": "Nature", "url": "Lien",
    "author.handle": "Compte", "author.name": "Auteur", "author.followers": "Abonnés",
    "engagement.likes": "J'aime", "engagement.shares": "Partages", "engagement.replies": "Réponses",
    "topics": "Thèmes", "services": "Services", "sentiment.label": "Tonalité",
    "toxicity.flagged": "À modérer", "toxicity.labels": "Motifs de modération",
    "request.is_request": "Demande citoyenne", "request.service": "Service concerné",
    "request.answered": "Demande traitée", "territory.communes.name": "Communes citées",
    "territory.places": "Lieux cités", "territory.location": "Localisation",
}
ALERT_LABELS = {"fired_at": "Déclenchée le", "title": "Alerte", "kind": "Type d'alerte", "status": "Statut",
                "level": "Niveau", "doc_count": "Publications", "communes": "Communes", "topics": "Thèmes"}
AUTHOR_LABELS = {"handle": "Compte", "name": "Nom", "platform": "Plateforme", "followers": "Abonnés",
                 "influence_score": "Score d'influence", "documents": "Publications",
                 "engagement_received": "Engagement reçu", "last_seen": "Vu pour la dernière fois"}


@dataclass
class WatchView:
    """What the export needs to know of a watch."""

    watch_id: str
    name: str
    communes: dict[str, str]                       # INSEE code -> name
    topics: list[tuple[str, str]]                  # (topic id, French label)
    names: IndexNames                              # the run's index names (settings.names)
    center: tuple[float, float] = (46.6, 2.4)      # map centre (lat, lon)
    zoom: int = 11
    extra: dict = field(default_factory=dict)


def mapping_caps(watch_id: str, names: IndexNames) -> dict[str, dict]:
    """Field capabilities per data view title, from the mappings in the code."""
    return {
        names.watch_alias(watch_id): caps_from_mapping(DOCUMENT_MAPPING),
        names.watch_alerts_alias(watch_id): caps_from_mapping(ALERT_MAPPING),
        names.watch_authors_alias(watch_id): caps_from_mapping(AUTHOR_MAPPING),
    }


def build_objects(view: WatchView) -> list[dict]:
    w, names = view.watch_id, view.names
    oid = lambda *parts: ko.object_id(names.prefix, w, *parts)  # noqa: E731
    docs = ko.data_view(oid("data-view", "documents"), names.watch_alias(w),
                        f"Vigie · {view.name} · publications", "published_at", DOCUMENT_LABELS)
    alerts = ko.data_view(oid("data-view", "alerts"), names.watch_alerts_alias(w),
                          f"Vigie · {view.name} · alertes", "fired_at", ALERT_LABELS)
    authors = ko.data_view(oid("data-view", "authors"), names.watch_authors_alias(w),
                           f"Vigie · {view.name} · comptes", "last_seen", AUTHOR_LABELS)

    def search(key: str, title: str, description: str, query: str, columns=DOCUMENT_COLUMNS) -> dict:
        return ko.saved_search(oid("search", key), f"{view.name} · {title}", description, docs["id"], query,
                               list(columns))

    searches = [
        search(f"topic-{topic}", f"Thème : {label}", f"Publications classées dans le thème « {label} ».",
               f'topics : "{topic}"')
        for topic, label in view.topics
    ]
    requests = search("requests", "Demandes citoyennes en attente",
                      "Questions, réclamations et signalements adressés à la collectivité, sans réponse à ce jour.",
                      "request.is_request : true and not request.answered : true",
                      ["text", "source_id", "author.handle", "request.service", "topics"])
    searches += [
        requests,
        search("negative", "Publications négatives", "Publications et commentaires de tonalité négative.",
               'sentiment.label : "negative"'),
        search("moderation", "Commentaires à modérer",
               "Commentaires signalés par la détection de toxicité (charte de modération).",
               'toxicity.flagged : true and kind : "comment"',
               ["text", "source_id", "author.handle", "toxicity.labels", "url"]),
        search("crisis", "Mots-clés de crise",
               "Inondations, intempéries, coupures, incendies, accidents : à surveiller en cas de crise.",
               f"text : ({' or '.join(CRISIS_WORDS)}) or title : ({' or '.join(CRISIS_WORDS)})"),
    ]
    searches += [
        search(f"commune-{code}", f"Commune : {commune}", f"Publications qui citent {commune} (INSEE {code}).",
               f'territory.communes.insee : "{code}"')
        for code, commune in view.communes.items()
    ]

    count = ko.col_count("Publications")
    volume = ko.lens_xy(oid("lens", "volume"), "Volume de publications par type de source",
                        "Nombre de publications dans le temps, par type de source.", docs["id"],
                        x=ko.col_date("published_at", "Date"), y=count,
                        split=ko.col_terms("source_kind", "Type de source", "y"))
    sentiment = ko.lens_xy(oid("lens", "sentiment"), "Tonalité dans le temps",
                           "Part des publications négatives, neutres et positives.", docs["id"],
                           x=ko.col_date("published_at", "Date"), y=count,
                           split=ko.col_terms("sentiment.label", "Tonalité", "y", size=3),
                           series="bar_percentage_stacked")
    topics = ko.lens_partition(oid("lens", "topics"), "Thèmes les plus abordés",
                               "Répartition des publications par thème.", docs["id"],
                               group=ko.col_terms("topics", "Thème", "metric", size=25), metric=count)
    top_authors = ko.lens_xy(oid("lens", "authors"), "Comptes les plus influents",
                             "Les dix comptes au score d'influence le plus élevé sur le territoire.", authors["id"],
                             x=ko.col_terms("handle", "Compte", "y", size=10),
                             y=ko.col_metric("max", "influence_score", "Score d'influence"),
                             series="bar_horizontal")
    alert_line = ko.lens_xy(oid("lens", "alerts"), "Alertes dans le temps",
                            "Alertes déclenchées, par type.", alerts["id"],
                            x=ko.col_date("fired_at", "Date"), y=ko.col_count("Alertes"),
                            split=ko.col_terms("kind", "Type d'alerte", "y"))
    carte = ko.vega_map(oid("visualization", "map"), "Carte des communes citées",
                        "Publications localisées sur la commune principale qu'elles citent.",
                        names.watch_alias(w), "territory.location", "published_at", view.center, view.zoom)
    board = ko.dashboard(oid("dashboard"), f"Vigie · {view.name}",
                         "Veille du territoire : volumes, tonalité, thèmes, carte, comptes influents, alertes "
                         "et demandes citoyennes en attente.",
                         [(volume, (0, 0, 24, 12)), (sentiment, (24, 0, 24, 12)), (topics, (0, 12, 24, 15)),
                          (carte, (24, 12, 24, 15)), (top_authors, (0, 27, 24, 14)), (alert_line, (24, 27, 24, 14)),
                          (requests, (0, 41, 48, 15))])
    return [docs, alerts, authors, *searches, volume, sentiment, topics, top_authors, alert_line, carte, board]


class ExportError(RuntimeError):
    pass


def export_ndjson(view: WatchView, path: str | Path) -> dict:
    """Check the objects against the mappings and write them as Kibana's export does."""
    objs = build_objects(view)
    problems = check_objects(objs, mapping_caps(view.watch_id, view.names))
    if problems:
        raise ExportError("the saved objects do not fit the mapping:\n" + "\n".join(problems))
    details = {"excludedObjects": [], "excludedObjectsCount": 0, "exportedCount": len(objs),
               "missingRefCount": 0, "missingReferences": []}
    compact = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}
    lines = [json.dumps(o, **compact) for o in objs] + [json.dumps(details, **compact)]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for o in objs:
        counts[o["type"]] = counts.get(o["type"], 0) + 1
    return {"path": str(path), "objects": len(objs), "by_type": counts}
