"""Install the index template and aliases, idempotently, on every start."""

from __future__ import annotations

import logging

from elasticsearch import Elasticsearch, NotFoundError

from vigie.indexes.analysis import analysis_settings, cluster_flavour
from vigie.indexes.mapping import ALERT_MAPPING, AUTHOR_MAPPING, DOCUMENT_MAPPING
from vigie.indexnames import IndexNames

log = logging.getLogger(__name__)

TEMPLATE_VERSION = 3  # 2: toxicity.category, toxicity.target, toxicity.cue; 3: replicas auto-expand 0-1
# Replicas: none on a single node (the cluster stays green), one once a second data node is there.
REPLICAS = "0-1"


def watch_filter(watch_id: str) -> dict:
    return {"term": {"watch_ids": watch_id}}


def _known_watch_aliases(client: Elasticsearch, *, names: IndexNames) -> dict[str, dict]:
    """Watch aliases already in the template: a setup for one watch file keeps the others'."""
    try:
        found = client.indices.get_index_template(name=names.documents_template())
    except NotFoundError:
        return {}
    aliases = {}
    for item in found.get("index_templates", []):
        for alias, body in item["index_template"].get("template", {}).get("aliases", {}).items():
            if alias != names.documents_alias():
                aliases[alias] = body
    return aliases


def template_body(flavour: str, aliases: dict[str, dict], *, names: IndexNames) -> dict:
    return {
        "index_patterns": [names.documents_pattern()],
        "priority": 200,
        "version": TEMPLATE_VERSION,
        "_meta": {"managed_by": "vigie", "description": "Vigie documents, one index per month"},
        "template": {
            "settings": {
                "number_of_shards": 1,
                "auto_expand_replicas": REPLICAS,
                "refresh_interval": "1s",
                "analysis": analysis_settings(flavour),
            },
            "mappings": DOCUMENT_MAPPING,
            "aliases": {names.documents_alias(): {}, **aliases},
        },
    }


def install(client: Elasticsearch, watch_ids: list[str] | tuple[str, ...] = (), *, names: IndexNames) -> dict:
    """Put the template and point the aliases; safe to run any number of times."""
    flavour = cluster_flavour(client)
    aliases = _known_watch_aliases(client, names=names)
    for watch_id in watch_ids:
        aliases[names.watch_alias(watch_id)] = {"filter": watch_filter(watch_id)}
    client.indices.put_index_template(name=names.documents_template(),
                                      **template_body(flavour, aliases, names=names))
    existing = list(client.indices.get(index=names.documents_pattern(), expand_wildcards="open"))
    if existing:  # fields added since an index was created (mappings are strict): new fields only, never a change
        client.indices.put_mapping(index=names.documents_pattern(), properties=DOCUMENT_MAPPING["properties"])
    if existing and watch_ids:
        actions = [
            {"add": {"index": index, "alias": names.watch_alias(w), "filter": watch_filter(w)}}
            for index in existing for w in watch_ids
        ]
        client.indices.update_aliases(actions=actions)
    _ensure_single(client, names.alerts_index(), ALERT_MAPPING, flavour, watch_ids, names.watch_alerts_alias)
    _ensure_single(client, names.authors_index(), AUTHOR_MAPPING, flavour, watch_ids, names.watch_authors_alias)
    log.info("index template %s installed (%s analysis, %d watch aliases, %d indices)",
             names.documents_template(), flavour, len(aliases), len(existing))
    return {"flavour": flavour, "aliases": sorted(aliases), "indices": sorted(existing)}


def _ensure_single(client: Elasticsearch, index: str, mapping: dict, flavour: str, watch_ids, alias_of) -> None:
    """A one-index store (alerts, authors) with a filtered alias per watch on ``watch_id``."""
    if not client.indices.exists(index=index):
        try:
            client.indices.create(index=index, mappings=mapping, wait_for_active_shards="all", settings={
                "number_of_shards": 1, "auto_expand_replicas": REPLICAS, "analysis": analysis_settings(flavour)})
        except Exception as exc:  # created meanwhile by another process
            if "resource_already_exists_exception" not in str(exc):
                raise
    else:
        client.indices.put_mapping(index=index, **mapping)
    if watch_ids:
        client.indices.update_aliases(actions=[
            {"add": {"index": index, "alias": alias_of(w), "filter": {"term": {"watch_id": w}}}} for w in watch_ids
        ])


def ensure_index(client: Elasticsearch, index: str) -> None:
    """Create a monthly index ahead of a bulk write (the template applies).

    On a cluster the creation waits (up to 30 s) until every copy of the new index is started: a bulk
    write into an index whose replica is still initializing has one copy only, and losing that copy's
    node then loses the index (red) instead of promoting the replica."""
    if not client.indices.exists(index=index):
        try:
            client.indices.create(index=index, wait_for_active_shards="all")
        except Exception as exc:  # created meanwhile by another writer
            if "resource_already_exists_exception" not in str(exc):
                raise
