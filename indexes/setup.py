"""Install the index template and aliases, idempotently, on every start."""

from __future__ import annotations

import logging
import math

from elasticsearch import Elasticsearch, NotFoundError

from vigie.indexes.analysis import analysis_settings, cluster_flavour
from vigie.indexes.mapping import ALERT_MAPPING, AUTHOR_MAPPING, DOCUMENT_MAPPING
from vigie.indexnames import IndexNames

log = logging.getLogger(__name__)

TEMPLATE_VERSION = 4  # 2: toxicity.category, toxicity.target, toxicity.cue; 3: replicas auto-expand 0-1;
# 4: the number of primary shards from the settings (``index_shards``)
# Replicas: none on a single node (the cluster stays green), one once a second data node is there.
REPLICAS = "0-1"
# What a shard should hold at most (Elasticsearch's advice: 10 to 50 GB); above it setup warns.
SHARD_SIZE_LIMIT = 50 * 10**9


def watch_filter(watch_id: str) -> dict:
    return {"term": {"watch_ids": watch_id}}


def _known_template(client: Elasticsearch, *, names: IndexNames) -> tuple[dict[str, dict], int | None]:
    """The watch aliases already in the template (a setup for one watch file keeps the others') and its
    number of primary shards (None without a template)."""
    try:
        found = client.indices.get_index_template(name=names.documents_template())
    except NotFoundError:
        return {}, None
    aliases, shards = {}, None
    for item in found.get("index_templates", []):
        template = item["index_template"].get("template", {})
        shards = template.get("settings", {}).get("index", {}).get("number_of_shards", shards)
        for alias, body in template.get("aliases", {}).items():
            if alias != names.documents_alias():
                aliases[alias] = body
    return aliases, int(shards) if shards else None


def template_body(flavour: str, aliases: dict[str, dict], *, names: IndexNames, shards: int = 1) -> dict:
    return {
        "index_patterns": [names.documents_pattern()],
        "priority": 200,
        "version": TEMPLATE_VERSION,
        "_meta": {"managed_by": "vigie", "description": "Vigie documents, one index per month"},
        "template": {
            "settings": {
                "number_of_shards": shards,
                "auto_expand_replicas": REPLICAS,
                "refresh_interval": "1s",
                "analysis": analysis_settings(flavour),
            },
            "mappings": DOCUMENT_MAPPING,
            "aliases": {names.documents_alias(): {}, **aliases},
        },
    }


def install(client: Elasticsearch, watch_ids: list[str] | tuple[str, ...] = (), *, names: IndexNames,
            shards: int | None = None) -> dict:
    """Put the template and point the aliases; safe to run any number of times.

    ``shards`` (``settings.index_shards``) is the number of primary shards of the monthly documents
    indices created from now on; None keeps the template's (1 for a new template). An index that exists
    keeps its own: Elasticsearch changes it only by ``_split`` (docs/DEPLOY.md)."""
    flavour = cluster_flavour(client)
    aliases, current = _known_template(client, names=names)
    shards = shards or current or 1
    for watch_id in watch_ids:
        aliases[names.watch_alias(watch_id)] = {"filter": watch_filter(watch_id)}
    client.indices.put_index_template(name=names.documents_template(),
                                      **template_body(flavour, aliases, names=names, shards=shards))
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
    if current and current != shards:
        log.info("index template %s: %d primary shard(s) per new monthly index, %d before; the indices that "
                 "exist keep theirs", names.documents_template(), shards, current)
    warning = _shard_size_warning(client, shards, names=names) if existing else None
    if warning:
        log.warning("%s", warning)
    log.info("index template %s installed (%s analysis, %d primary shard(s), %d watch aliases, %d indices)",
             names.documents_template(), flavour, shards, len(aliases), len(existing))
    return {"flavour": flavour, "aliases": sorted(aliases), "indices": sorted(existing), "shards": shards,
            "warning": warning}


def _shard_size_warning(client: Elasticsearch, shards: int, *, names: IndexNames) -> str | None:
    """A warning when the largest monthly index (a month's volume, measured) split into ``shards``
    primaries would put more than SHARD_SIZE_LIMIT in each; None otherwise."""
    stats = client.indices.stats(index=names.documents_pattern(), metric="store").get("indices", {})
    sizes = {index: data["primaries"]["store"]["size_in_bytes"] for index, data in stats.items()}
    largest = max(sizes, key=sizes.get, default=None)
    if largest is None or sizes[largest] / shards <= SHARD_SIZE_LIMIT:
        return None
    return (f"{largest} holds {sizes[largest] / 1e9:.0f} GB on its primaries: a month like it in {shards} "
            f"primary shard(s) is {sizes[largest] / shards / 1e9:.0f} GB a shard, over the "
            f"{SHARD_SIZE_LIMIT / 1e9:.0f} GB a shard should hold; raise index_shards (VIGIE_INDEX_SHARDS) "
            f"to at least {math.ceil(sizes[largest] / SHARD_SIZE_LIMIT)} for the months to come (docs/DEPLOY.md)")


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
