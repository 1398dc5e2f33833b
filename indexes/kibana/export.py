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
    "toxicity.category": "Motif principal", "toxicity.target": "Cible", "toxicity.cue": "Indice",
    "request.is_request": "Demande citoyenne", "request.service": "Service concerné",
    "request.answered": "Demande traitée", "territory.communes.name": "Communes citées",
    "territory.places": "Lieux cités", "territory.location": "Localisation",
}
ALERT_LABELS = {"fired_at": "Déclenchée le", "title": "Alerte", "kind": "Type d'alerte", "status": "Statut",
                "level": "Niveau", "doc_count": "Publications", "communes": "Communes", "topics": "Thèmes"}
AUTHOR_LABELS = {"handle": "Compte", "name": "Nom", "platform": "Plateforme", "followers": "Abonnés",
                 "influence_score": "Score d'influence", "documents": "Publications",
                 "engagement_received": "Engagement reçu", "last_seen": "Vu pour la dernière fois",
                 "group": "Groupe", "account_kind": "Type de compte", "reasons": "Raisons",
                 "confidence": "Confiance", "days_active": "Jours actifs"}


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
    places: list[tuple[str, float, float]] = field(default_factory=list)  # communes drawn on the map
    space: str | None = None                       # Kibana space the objects are for (None: default)
    basemap: bool = True                           # False: Vega map without Elastic Maps Service tiles
    extra: dict = field(default_factory=dict)


def mapping_caps(watch_id: str, names: IndexNames) -> dict[str, dict]:
    """Field capabilities per data view title, from the mappings in the code."""
    return {
        names.watch_alias(watch_id): caps_from_mapping(DOCUMENT_MAPPING),
        names.watch_alerts_alias(watch_id): caps_from_mapping(ALERT_MAPPING),
        names.watch_authors_alias(watch_id): caps_from_mapping(AUTHOR_MAPPING),
    }


def space_key(space: str | None) -> tuple[str, ...]:
    """What a space adds to the ids: nothing for the default space (ids of earlier exports kept).

    Kibana keeps one id per object across all spaces: importing an id that already lives in
    another space makes a copy under a random id, and a second import makes another copy. Ids
    derived from the space are free in every space, so each space's import overwrites its own.
    """
    return () if space in (None, "", "default") else (f"space:{space}",)


def build_objects(view: WatchView) -> list[dict]:
    w, names = view.watch_id, view.names
    oid = lambda *parts: ko.object_id(names.prefix, w, *space_key(view.space), *parts)  # noqa: E731
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
               ["text", "source_id", "author.handle", "toxicity.category", "toxicity.target", "toxicity.cue",
                "url"]),
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
    top_accounts = ko.lens_xy(oid("lens", "accounts"), "Comptes les plus suivis",
                              "Les dix comptes aux plus nombreux abonnés parmi ceux qui ont publié sur la période.",
                              docs["id"], x=ko.col_terms("author.handle", "Compte", "y", size=10),
                              y=ko.col_metric("max", "author.followers", "Abonnés"), series="bar_horizontal")
    by_commune = ko.lens_xy(oid("lens", "communes"), "Publications par commune",
                            "Nombre de publications qui citent chaque commune du territoire.", docs["id"],
                            x=ko.col_terms("territory.communes.name", "Commune", "y", size=15),
                            y=count, series="bar_horizontal")
    top_authors = ko.lens_xy(oid("lens", "authors"), "Comptes les plus influents",
                             "Les dix comptes au score d'influence le plus élevé sur le territoire.", authors["id"],
                             x=ko.col_terms("handle", "Compte", "y", size=10),
                             y=ko.col_metric("max", "influence_score", "Score d'influence"),
                             series="bar_horizontal")
    author_platforms = ko.lens_partition(oid("lens", "author-platforms"), "Comptes par plateforme",
                                         "Répartition des comptes suivis par plateforme.", authors["id"],
                                         group=ko.col_terms("platform", "Plateforme", "metric", size=10),
                                         metric=ko.col_count("Comptes"), shape="donut")
    author_list = ko.saved_search(oid("search", "authors"), f"{view.name} · Comptes du territoire",
                                  "Comptes qui publient sur le territoire, du plus influent au moins influent.",
                                  authors["id"], "",
                                  ["handle", "name", "group", "platform", "influence_score", "reasons", "followers"],
                                  sort_field="influence_score")
    alert_line = ko.lens_xy(oid("lens", "alerts"), "Alertes dans le temps",
                            "Alertes déclenchées, par type.", alerts["id"],
                            x=ko.col_date("fired_at", "Date"), y=ko.col_count("Alertes"),
                            split=ko.col_terms("kind", "Type d'alerte", "y"))
    alert_levels = ko.lens_partition(oid("lens", "alert-levels"), "Alertes par niveau",
                                     "Répartition des alertes par niveau.", alerts["id"],
                                     group=ko.col_terms("level", "Niveau", "metric", size=5, data_type="number"),
                                     metric=ko.col_count("Alertes"), shape="donut")
    alert_list = ko.saved_search(oid("search", "alerts"), f"{view.name} · Alertes",
                                 "Alertes déclenchées, de la plus récente à la plus ancienne.", alerts["id"], "",
                                 ["title", "kind", "level", "status", "doc_count", "communes"],
                                 sort_field="fired_at")
    carte = ko.vega_map(oid("visualization", "map"), "Carte des communes citées",
                        "Publications localisées sur la commune principale qu'elles citent.",
                        names.watch_alias(w), "territory.location", "published_at", view.center, view.zoom,
                        places=view.places, basemap=view.basemap)
    # One data view per dashboard: Kibana applies a dashboard's filters to all its panels, so a
    # click on a bar must name a field of every panel's data view, with the same meaning there.
    board = ko.dashboard(oid("dashboard"), f"Vigie · {view.name}",
                         "Veille du territoire : volumes, tonalité, thèmes, carte, communes, comptes suivis "
                         "et demandes citoyennes en attente.",
                         [(volume, (0, 0, 24, 12)), (sentiment, (24, 0, 24, 12)), (topics, (0, 12, 24, 15)),
                          (carte, (24, 12, 24, 15)), (top_accounts, (0, 27, 24, 14)), (by_commune, (24, 27, 24, 14)),
                          (requests, (0, 41, 48, 15))])
    alerts_board = ko.dashboard(oid("dashboard", "alerts"), f"Vigie · {view.name} · alertes",
                                "Alertes déclenchées par la veille : types, niveaux et liste.",
                                [(alert_line, (0, 0, 32, 14)), (alert_levels, (32, 0, 16, 14)),
                                 (alert_list, (0, 14, 48, 15))])
    authors_board = ko.dashboard(oid("dashboard", "authors"), f"Vigie · {view.name} · comptes",
                                 "Comptes qui publient sur le territoire : influence et plateformes.",
                                 [(top_authors, (0, 0, 32, 14)), (author_platforms, (32, 0, 16, 14)),
                                  (author_list, (0, 14, 48, 15))], time_from="now-90d")
    return [docs, alerts, authors, *searches, author_list, alert_list, volume, sentiment, topics, top_accounts,
            by_commune, top_authors, author_platforms, alert_line, alert_levels, carte,
            board, alerts_board, authors_board]


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
