"""The Elasticsearch mapping of ``vigie.schema.Document``, field by field.

``tests/test_mapping.py`` walks the model and this mapping together: a field in
one and not the other, or with an incompatible type, fails the suite.
"""

from __future__ import annotations

KW = {"type": "keyword"}
KW_LOWER = {"type": "keyword", "normalizer": "vigie_lowercase"}
URL = {"type": "keyword", "ignore_above": 4096}
DATE = {"type": "date"}
COUNT = {"type": "long"}
FRENCH = {"type": "text", "analyzer": "vigie_french"}
FRENCH_KW = {"type": "text", "analyzer": "vigie_french",
             "fields": {"raw": {"type": "keyword", "ignore_above": 512}}}


def _obj(**properties: dict) -> dict:
    return {"type": "object", "properties": properties}


DOCUMENT_PROPERTIES: dict = {
    # identity and source
    "doc_id": KW,
    "item_id": KW,
    "platform": KW,
    "source_id": KW,
    "source_kind": KW,
    "watch_ids": KW,
    "kind": KW,
    "thread_id": KW,
    "parent_id": KW,
    "url": URL,
    "canonical_url": URL,
    "title": FRENCH_KW,
    "text": FRENCH,
    "language": KW,
    "author": _obj(
        id=KW, handle=KW_LOWER, name=FRENCH_KW, url=URL, followers=COUNT,
        pseudonymised={"type": "boolean"},
    ),
    "engagement": _obj(likes=COUNT, shares=COUNT, replies=COUNT, views=COUNT),
    "published_at": DATE,
    "crawled_at": DATE,
    "schema_version": {"type": "integer"},
    "content_hash": KW,
    "near_duplicate_of": KW,
    "version_of": KW,
    # enrichment
    "enriched_at": DATE,
    "territory": _obj(
        communes=_obj(insee=KW, name=KW, departement=KW),
        places=KW,
        location={"type": "geo_point"},
    ),
    "topics": KW,
    "services": KW,
    "sentiment": _obj(label=KW, score={"type": "float"}),
    "toxicity": _obj(score={"type": "float"}, labels=KW, flagged={"type": "boolean"}, category=KW, target=KW,
                     cue=URL),
    "request": _obj(is_request={"type": "boolean"}, kind=KW, service=KW, cue=KW, answered={"type": "boolean"},
                    answered_at=DATE, answer_hours={"type": "float"}, answered_by=KW),
    "entities": _obj(persons=KW, organisations=KW, locations=KW),
    "hashtags": KW_LOWER,
    "mentions": KW_LOWER,
    "links": URL,
    "keyphrases": KW,
    "emojis": KW,
    "flags": KW,
}

DOCUMENT_MAPPING: dict = {
    "dynamic": "strict",
    "_source": {"enabled": True},
    "properties": DOCUMENT_PROPERTIES,
}


# Alerts (emerging topics, spikes, saved queries) and authors (influence), one index each,
# seen per watch through filtered aliases on ``watch_id``.  The alerts and influence stages
# write them; Kibana's data views read them.
ALERT_MAPPING: dict = {
    "dynamic": "strict",
    "properties": {
        "alert_id": KW,
        "watch_id": KW,
        "kind": KW,            # emerging_topic | negative_spike | crisis_keywords | toxicity_spike | saved_query
        "key": KW,             # crisis pack, saved query name, topic, "own_pages"; "" for emerging topics
        "label": KW,           # crisis packs, query label, topic label
        "title": FRENCH_KW,
        "status": KW,          # open | acknowledged | snoozed | closed
        "level": {"type": "integer"},  # escalation level, 1 when first fired
        "first_seen": DATE,
        "fired_at": DATE,
        "last_seen": DATE,
        "start": DATE,         # start of the burst interval
        "duration_slices": {"type": "integer"},
        "slice_minutes": {"type": "integer"},
        "magnitude": {"type": "float"},
        "growth": {"type": "float"},
        "doc_count": COUNT,
        "base_count": COUNT,   # doc_count at level 1
        "communes": KW,
        "commune_names": KW,
        "topics": KW,
        "terms": KW,
        "entities": KW,
        "sources": KW,
        "sample_doc_ids": KW,
        "samples": _obj(doc_id=KW, url=URL, title={"type": "text", "index": False},
                        excerpt={"type": "text", "index": False}, published_at=DATE, platform=KW, source_id=KW),
        "doc_ids": KW,         # every document of the alert (at most 2000): dedup across runs
        "history": _obj(level={"type": "integer"}, fired_at=DATE, doc_count=COUNT),
        "acked_at": DATE,
        "snoozed_until": DATE,
        "sentiment": _obj(negative=COUNT, neutral=COUNT, positive=COUNT, unknown=COUNT),
        "detectors": KW,       # "kind:key" of every detector merged into the alert (one event, one alert)
        "detector_labels": {"type": "object", "enabled": False},
        "level_name": KW,      # information | vigilance | crise
        "event_label": FRENCH_KW,  # the event and its place in French words
        "places": KW,
        "event_terms": KW,
        "label_stats": {"type": "object", "enabled": False},  # the labeller's counts, kept for the next run
    },
}

AUTHOR_MAPPING: dict = {
    "dynamic": "strict",
    "properties": {
        "author_key": KW,      # platform + author id (or handle), pseudonymised when the watch asks
        "watch_id": KW,
        "platform": KW,
        "handle": KW_LOWER,
        "name": FRENCH_KW,
        "url": URL,
        "followers": COUNT,
        "own_account": {"type": "boolean"},
        "documents": COUNT,
        "engagement_received": COUNT,
        "replies_received": COUNT,
        "mentions_received": COUNT,
        "quotes_received": COUNT,
        "local_share": {"type": "float"},
        "local_documents": COUNT,
        "local_replies": COUNT,    # replies received from local accounts (documents about the territory)
        "local_mentions": COUNT,   # mentions by local accounts
        "local_interactions": COUNT,
        "days_active": COUNT,      # days with a publication in the window
        "window_days": COUNT,
        "pagerank": {"type": "float"},
        "account_kind": KW,        # media, institution, association, resident, national, own
        "group": KW,               # media_institutions, local, national, own
        "confidence": {"type": "float"},
        "reasons": {"type": "text", "index": False},   # the three main reasons, in French
        "main_topics": KW,
        "first_seen": DATE,
        "last_seen": DATE,
        "influence_score": {"type": "float"},
        "computed_at": DATE,
    },
}
