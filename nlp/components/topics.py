"""vigie_topics: multi-label municipal topics, each routed to a municipal service.

The taxonomy (``nlp/data/taxonomy.yaml``, loaded by the registered function
``vigie.taxonomy.v1``) gives every topic strong cues (one is enough) and weak cues (each counts
``weak_weight``).  A topic is assigned when its score reaches ``threshold``.  Cues are matched
on each token's folded form (lowercase, no accents), its folded lemma and a crude singular, so
"Poubelles", "poubelle" and "POUBELLE" all match the cue "poubelle"; a word cue ending in ``*``
matches by prefix.  ``doc._.topics`` lists topic ids by decreasing score, ``doc._.services`` the
services they are routed to, in the same order (the first one routes a citizen request).

Two rules of the taxonomy look beyond single cues: ``pairs`` (a word of ``near`` — or a token
matching one of ``patterns``, e.g. a road number "D933" — and a word of ``with`` at most ``window``
words apart, in the same sentence, make a strong cue: "la route est coupée"), and ``insults``
(an insult word, matched on the exact lowercase form, in a text naming an official: the text is
about local democracy, and the cues of ``replaces`` topics that are insult words — "voleur" — no
longer count: "le maire est un incapable et un voleur" is not public safety).

A watch (``doc._.watch.topics``, from watch.yaml) adds topics, adds keywords to a topic, or
re-routes a topic to another service, for its own documents only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import srsly
import yaml
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from vigie.nlp import extensions
from vigie.nlp.components._util import singular
from vigie.nlp.components.language import is_french
from vigie.nlp.errors import PipelineLoadError
from vigie.textfold import fold

VENUE = -1.0  # weight marking a venue cue
SENTENCE_ENDS = {".", "!", "?", "…", ";", "\n"}
TAXONOMY_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.yaml"


@registry.misc("vigie.taxonomy.v1")
def load_taxonomy(path: str | None = None) -> dict[str, Any]:
    """The taxonomy as a plain dict (from ``path``, default: the bundled taxonomy.yaml)."""
    data = yaml.safe_load(Path(path or TAXONOMY_PATH).read_text(encoding="utf-8"))
    ids = [t["id"] for t in data["topics"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path or TAXONOMY_PATH}: topic ids must be unique")
    data.setdefault("pairs", [])
    data.setdefault("insults", {})
    for topic in data["topics"]:
        topic.setdefault("weak", [])
        topic.setdefault("keywords", [])
        topic.setdefault("venues", [])
    return data


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return fold(text)


def token_keys(doc: Doc) -> list[set[str]]:
    keys = []
    for token in doc:
        low = _fold(token.text)
        lemma = _fold(token.lemma_) if token.lemma_ else low
        keys.append({low, lemma, singular(low), singular(lemma)})
    return keys


class CueMatcher:
    """Finds taxonomy cues in a doc; a cue is a sequence of folded words (or one prefix)."""

    def __init__(self, tokenizer, cues: Iterable[tuple[str, str, float]]):
        self.index: dict[str, list[tuple[tuple[str, ...], str, float, str]]] = {}
        self.prefixes: list[tuple[str, str, float, str]] = []
        for topic, cue, weight in cues:
            cue = cue.strip()
            if not cue:
                continue
            if cue.endswith("*") and " " not in cue:
                self.prefixes.append((_fold(cue[:-1]), topic, weight, cue))
                continue
            words = tuple(_fold(t.text) for t in tokenizer(cue) if not t.is_space)
            if words:
                self.index.setdefault(words[0], []).append((words, topic, weight, cue))

    def scores(self, doc: Doc, keys: list[set[str]] | None = None) -> dict[str, dict[str, float]]:
        """For each topic, the cues found and their weight (each cue counts once).

        Overlapping matches: the longest wins, so "salle des fêtes" does not also count as "fête".
        """
        keys = keys if keys is not None else token_keys(doc)
        matches: list[tuple[int, int, str, float, str]] = []
        n = len(keys)
        for i, here in enumerate(keys):
            for key in here:
                for words, topic, weight, cue in self.index.get(key, ()):
                    end = i + len(words)
                    if end <= n and all(words[j] in keys[i + j] for j in range(1, len(words))):
                        matches.append((i, end, topic, weight, cue))
            if self.prefixes:
                low = _fold(doc[i].text)
                for prefix, topic, weight, cue in self.prefixes:
                    if low.startswith(prefix):
                        matches.append((i, i + 1, topic, weight, cue))
        found: dict[str, dict[str, float]] = {}
        taken: set[int] = set()
        spans: set[tuple[int, int]] = set()
        for start, end, topic, weight, cue in sorted(matches, key=lambda m: (m[0] - m[1], m[0])):
            if (start, end) not in spans and taken.intersection(range(start, end)):
                continue  # inside a longer cue
            taken.update(range(start, end))
            spans.add((start, end))
            found.setdefault(topic, {})[cue] = weight
        return found


@Language.factory(
    "vigie_topics",
    default_config={"taxonomy": {"@misc": "vigie.taxonomy.v1", "path": None},
                    "weak_weight": 0.5, "threshold": 1.0},
)
def make_topics(nlp: Language, name: str, taxonomy: dict, weak_weight: float, threshold: float) -> TopicTagger:
    return TopicTagger(nlp, name, taxonomy, weak_weight, threshold)


class TopicTagger:
    """Sets ``doc._.topics`` and ``doc._.services``."""

    def __init__(self, nlp: Language, name: str, taxonomy: dict, weak_weight: float = 0.5,
                 threshold: float = 1.0):
        extensions.register()
        self.name = name
        self.tokenizer = nlp.tokenizer
        self.weak_weight = weak_weight
        self.threshold = threshold
        self.set_taxonomy(taxonomy)

    def set_taxonomy(self, taxonomy: dict) -> None:
        self.taxonomy = taxonomy
        self.order = [t["id"] for t in taxonomy["topics"]]
        self.service_of = {t["id"]: t["service"]["id"] for t in taxonomy["topics"]}
        self.labels = {t["id"]: t["label"] for t in taxonomy["topics"]}
        cues = []
        for topic in taxonomy["topics"]:
            cues += [(topic["id"], cue, 1.0) for cue in topic["keywords"]]
            cues += [(topic["id"], cue, self.weak_weight) for cue in topic["weak"]]
            cues += [(topic["id"], cue, VENUE) for cue in topic.get("venues", [])]
        self.matcher = CueMatcher(self.tokenizer, cues)
        self.pairs = [{"topic": p["topic"], "cue": p["cue"], "window": int(p.get("window", 6)),
                       "near": frozenset(_fold(w) for w in p["near"]),
                       "patterns": [re.compile(x) for x in p.get("patterns", [])],
                       "with": frozenset(_fold(w) for w in p["with"])} for p in taxonomy.get("pairs", [])]
        rule = taxonomy.get("insults") or {}
        self.insults = {"topic": rule["topic"], "replaces": list(rule.get("replaces", [])),
                        "officials": frozenset(_fold(w) for w in rule["officials"]),
                        "words": frozenset(w.lower() for w in rule["words"]),
                        "cues": frozenset(_fold(w) for w in rule.get("cues", []))} if rule else {}
        self._watch_cache: dict[str, tuple[CueMatcher, dict[str, str | None], list[str]]] = {}

    @property
    def default_service(self) -> dict:
        return self.taxonomy.get("default_service") or {"id": "accueil", "label": "Accueil de la mairie"}

    def _watch_rules(self, watch) -> tuple[CueMatcher, dict[str, str | None], list[str]] | None:
        if watch is None or not watch.topics:
            return None
        key = json.dumps(watch.topics, sort_keys=True, ensure_ascii=False)
        if key not in self._watch_cache:
            services: dict[str, str | None] = {}
            order: list[str] = []
            cues = []
            for rule in watch.topics:
                cues += [(rule["id"], kw, 1.0) for kw in rule.get("keywords") or []]
                if rule.get("service"):
                    services[rule["id"]] = rule["service"]
                elif rule["id"] not in self.service_of:
                    services[rule["id"]] = None
                if rule["id"] not in self.service_of:
                    order.append(rule["id"])
            self._watch_cache[key] = (CueMatcher(self.tokenizer, cues), services, order)
        return self._watch_cache[key]

    def _near(self, doc: Doc, keys: list[set[str]], words: frozenset, patterns: list) -> list[int]:
        return [i for i, here in enumerate(keys) if here & words or any(p.match(_fold(doc[i].text)) for p in patterns)]

    def pair_cues(self, doc: Doc, keys: list[set[str]]) -> dict[str, dict[str, float]]:
        """Co-occurrence cues: a word of ``near`` and a word of ``with`` at most ``window`` words apart,
        no sentence end between ("la route est coupée", "D933 fermée")."""
        found: dict[str, dict[str, float]] = {}
        for pair in self.pairs:
            anchors = self._near(doc, keys, pair["near"], pair["patterns"])
            if not anchors:
                continue
            triggers = self._near(doc, keys, pair["with"], [])
            for a in anchors:
                if any(t != a and abs(t - a) <= pair["window"] and not any(
                        doc[k].text in SENTENCE_ENDS for k in range(min(a, t), max(a, t))) for t in triggers):
                    found.setdefault(pair["topic"], {})[pair["cue"]] = 1.0
                    break
        return found

    def insult_context(self, doc: Doc, keys: list[set[str]]) -> bool:
        """Whether the text insults an official ("le maire est un incapable et un voleur")."""
        rule = self.insults
        if not rule:
            return False
        lowers = {t.lower_ for t in doc}
        return bool(lowers & rule["words"]) and any(here & rule["officials"] for here in keys)

    def analyse(self, doc: Doc) -> dict[str, float]:
        """Score of every topic that reaches the threshold, best first (ties: taxonomy order)."""
        keys = token_keys(doc)
        found = self.matcher.scores(doc, keys)
        for topic, cues in self.pair_cues(doc, keys).items():
            found.setdefault(topic, {}).update(cues)
        if self.insult_context(doc, keys):  # outrage at officials: local democracy, not public safety
            for topic in self.insults["replaces"]:
                kept = {c: w for c, w in found.get(topic, {}).items() if _fold(c) not in self.insults["cues"]}
                if kept:
                    found[topic] = kept
                else:
                    found.pop(topic, None)
            found.setdefault(self.insults["topic"], {})["insulte envers un élu"] = 1.0
        rules = self._watch_rules(doc._.watch)
        order = self.order
        if rules:
            for topic, cues in rules[0].scores(doc, keys).items():
                found.setdefault(topic, {}).update(cues)
            order = self.order + rules[2]
        rank = {t: i for i, t in enumerate(order)}
        scores = {t: sum(w for w in c.values() if w != VENUE) for t, c in found.items()}
        kept = [t for t, s in scores.items() if s >= self.threshold]
        if not kept:  # venues speak only when nothing else did
            scores = {t: s + (1.0 if VENUE in c.values() else 0.0) for (t, c), s in zip(found.items(), scores.values(),
                                                                                          strict=True)}
            kept = [t for t, s in scores.items() if s >= self.threshold]
        kept.sort(key=lambda t: (-scores[t], rank.get(t, len(rank))))
        return {t: scores[t] for t in kept}

    def service(self, topic: str, watch) -> str | None:
        rules = self._watch_rules(watch)
        if rules and topic in rules[1]:
            return rules[1][topic]
        return self.service_of.get(topic)

    def __call__(self, doc: Doc) -> Doc:
        if not is_french(doc) or not len(doc):
            doc._.topics, doc._.services = [], []
            return doc
        topics = list(self.analyse(doc))
        services: list[str] = []
        for topic in topics:
            service = self.service(topic, doc._.watch)
            if service and service not in services:
                services.append(service)
        doc._.topics, doc._.services = topics, services
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "taxonomy.json", self.taxonomy)

    def from_disk(self, path, exclude=()) -> TopicTagger:
        try:
            self.set_taxonomy(srsly.read_json(Path(path) / "taxonomy.json"))
        except Exception as exc:
            raise PipelineLoadError(self.name, f"{Path(path) / 'taxonomy.json'}: {type(exc).__name__}: {exc}") from exc
        return self
