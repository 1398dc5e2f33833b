"""The ``vigie_french`` analyzer, written with what the cluster offers.

A full Elasticsearch distribution has the built-in filters of the
``analysis-common`` module; the local node has the same Lucene filters from our
``vigie-analysis-fr`` plugin (see ``es_plugin/README.md``).  Both chains are
elision -> lowercase -> French stop words -> light stemming -> ASCII folding.
"""

from __future__ import annotations

from elasticsearch import ApiError, AuthorizationException, Elasticsearch

FRENCH_ARTICLES = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]

BUILTIN = {
    "filter": {
        "vigie_fr_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ARTICLES},
        "vigie_fr_stop": {"type": "stop", "stopwords": "_french_"},
        "vigie_fr_stem": {"type": "stemmer", "language": "light_french"},
    },
    "chain": ["vigie_fr_elision", "lowercase", "vigie_fr_stop", "vigie_fr_stem", "asciifolding"],
}

PLUGIN = {
    "filter": {"vigie_fr_stop": {"type": "stop", "stopwords": "_french_"}},
    "chain": ["vigie_french_elision", "lowercase", "vigie_fr_stop", "vigie_french_light_stem",
              "vigie_asciifolding"],
}


class AnalysisUnavailable(RuntimeError):
    pass


def _probe(client: Elasticsearch, filter_spec) -> bool:
    try:
        client.indices.analyze(tokenizer="standard", filter=[filter_spec], text="l'école")
        return True
    except ApiError:
        return False


def cluster_flavour(client: Elasticsearch) -> str:
    """``builtin`` when every node has analysis-common, ``plugin`` when every node has ours."""
    try:
        nodes = client.nodes.info(metric="plugins")["nodes"]
    except AuthorizationException:
        # A key without the monitor privilege: ask the analysis chain itself.
        if _probe(client, {"type": "elision", "articles": ["l"]}):
            return "builtin"
        if _probe(client, "vigie_french_elision"):
            return "plugin"
        raise AnalysisUnavailable(
            "Cannot tell which French analysis filters the cluster has: give Vigie's credentials the "
            "'monitor' cluster privilege, or check that the analysis-common module is installed.") from None
    kinds = set()
    for node in nodes.values():
        names = {m["name"] for m in node.get("modules", [])} | {p["name"] for p in node.get("plugins", [])}
        if "analysis-common" in names:
            kinds.add("builtin")
        elif "vigie-analysis-fr" in names:
            kinds.add("plugin")
        else:
            kinds.add("none")
    if kinds == {"builtin"}:
        return "builtin"
    if kinds <= {"builtin", "plugin"} and "plugin" in kinds:
        return "plugin"
    raise AnalysisUnavailable(
        "The cluster has neither the analysis-common module nor the vigie-analysis-fr plugin on every "
        "node, so French analysis cannot be set up. Use a full Elasticsearch distribution, or the "
        "local node (`vigie es start`)."
    )


def analysis_settings(flavour: str) -> dict:
    spec = BUILTIN if flavour == "builtin" else PLUGIN
    return {
        "filter": spec["filter"],
        "analyzer": {
            "vigie_french": {"type": "custom", "tokenizer": "standard", "filter": spec["chain"]},
        },
        "normalizer": {
            # Stable-API filters cannot serve in normalizers, so keywords are only lowercased.
            "vigie_lowercase": {"type": "custom", "filter": ["lowercase"]},
        },
    }
