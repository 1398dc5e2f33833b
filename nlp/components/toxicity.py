"""``vigie_toxicity``: moderation labels of a text, why it is flagged, and an overall toxicity score.

Labels (``vigie.schema.TOXICITY_LABELS``):
- ``insult``, ``hate``, ``threat``: the moderation rules (``vigie.nlp.components.moderation``: slurs,
  including obfuscated spellings, hostile predicates and dehumanising comparisons about protected
  groups, threats, insults aimed at persons and officials; counter-speech, quotes and negations
  void them), plus a sparse linear model per label trained on MLMA French (``insult`` ← offensive,
  abusive, disrespectful; ``hate`` ← hostile towards a protected trait) for what the rules miss; since
  v4 a third head, ``hostility`` (v3's insult head), decides whether the model's hate counts and caps the
  model's insult on swearing about things;
- ``harassment``, ``obscenity``: our own patterns and lexicons (no training data); obscenity (swearing
  about things) is labelled, not flagged by default;
- ``personal_data``: a phone number, an e-mail address or a postal address of a person exposed in
  the text (regular expressions; contact details of a mairie or a public service are not flagged).

Reads only ``doc.text`` (works on ``spacy.blank("fr")``).  Writes ``doc._.toxicity = {"score": 0..1,
"labels": [...], "flagged": bool, "category", "target", "cue"}``: when flagged, the main category
(threat, dehumanisation, hate, slur, insult, harassment, personal_data), its target (a protected
trait, ``official`` or ``person``) and the words that triggered it (``modèle`` for the model alone).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from vigie.nlp import extensions
from vigie.nlp.components._patterns import PatternList
from vigie.nlp.components._savedmodel import ModelSource, SavedModel
from vigie.nlp.components._textmodel import LEXICONS, MODELS, LinearTextModel, normalise, text_features
from vigie.nlp.components._util import batches, sigmoid
from vigie.nlp.components.moderation import (
    ADDRESSED,
    PRIORITY,
    Verdict,
    analysis,
    group_targets,
    moderator,
    reviews_a_work,
    speaks_of_harm,
    standing,
)
from vigie.nlp.errors import PipelineLoadError
from vigie.textfold import fold

extensions.register()

LABELS = ("insult", "hate", "threat", "harassment", "obscenity", "personal_data")
# swearing about things ("putain de bus") is labelled obscenity but not flagged for moderation by default
FLAG_LABELS = ("insult", "hate", "threat", "harassment", "personal_data")
# the model's hate counts from this calibrated score when the text is hostile too (the model's insult score
# from MODEL_HATE_HOSTILITY, or a rule), unless a negation bears on the group or the insult, or the only
# hostility is swearing.  MIN and HOSTILITY were chosen on out-of-fold predictions of MLMA's training part
# (recall 0.79 at precision 0.57 for MLMA's hostility towards a protected trait) and on our dev functional
# suite.  When no protected group is named and no rule fired, the model's hate counts only from its calibrated
# 0.5 and a probability of at least MODEL_HATE_NO_GROUP_PROBA (0.50): MLMA's annotators tie hostile tweets to a
# trait with no group word in them, and the model gives "Le bus 12 est encore en retard, c'est pénible" a hate
# probability of 0.44.  Out-of-fold on MLMA's training part, this floor costs hate recall 0.800 → 0.780 (0.54
# would cost 0.767).  The thresholds of toxicity_v3 were chosen with these constants, on the component's
# decisions (nlp/train/toxicity.py).
MODEL_HATE_MIN = 0.4
MODEL_HATE_NO_GROUP = 0.5
MODEL_HATE_NO_GROUP_PROBA = 0.50
# when the rules found only an insult or a threat aimed at a person and no group is named ("t'es un bouffon
# Jérémy"), the model's hate counts from this probability (chosen on MLMA's training part: 0.6 costs its hate recall
# 0.838 → 0.831 in-sample, 0.7 would cost 0.024; on the first development set of stop 31 it removes 5 of 21 false
# hate labels, 0.7 would remove 10); an insult in an ableist slur word is hate by the rules already
MODEL_HATE_PERSON_PROBA = 0.6
# the linear model learnt hate from tweets; on a longer text (a review, a long comment) its hate score alone is no
# evidence (a rule must fire too): it flagged 370 of 3,366 real Allociné film reviews that way
LONG_TEXT_CHARS = 300
MODEL_HATE_HOSTILITY = 0.3
# a moderation category (vigie.nlp.components.moderation) → the labels it gives
CATEGORY_LABELS = {"threat": ("threat",), "dehumanisation": ("hate",), "hate": ("hate",), "slur": ("hate", "insult"),
                   "insult": ("insult",)}
HATE_CATEGORIES = ("hate", "dehumanisation", "slur")
PROTECTED_TRAITS = ("origin", "religion", "gender", "sexual_orientation", "disability")
DEFAULT_MODEL = MODELS / "toxicity_v6.json.gz"
DEFAULT_HEAD = MODELS / "moderation_e5_head_v2.npz"
# the words head (both profiles; after the e5 head in ``accurate``): a functional head over the linear model's own
# features (words, characters, rule markers), trained on the functional suites (vigie.nlp.train.moderation_words);
# its thresholds are in the file
DEFAULT_WORDS_HEAD = MODELS / "moderation_words_head_v2.json.gz"
WORDS_CUE = "modèle (mots)"
MODEL_CUE = "modèle"  # a flag of the linear model alone
DEFAULT_THREAT_HEAD = MODELS / "moderation_threat_head_v2.json.gz"
THREAT_CUE = "modèle (menaces)"
PROFILES = ("accurate", "fast")
HEAD_THRESHOLD = 0.7  # leave-one-suite-out choice, see vigie.nlp.train.moderation_encoder
HEAD_MIN_WORDS = 5  # shorter texts ("👀 à suivre") carry too little for the head
HEAD_GATE = 0.2  # the head reads a text that names a group or whose model hostility / insult reaches this


class ModerationHead:
    """The functional head of profile ``accurate`` (numpy ``.npz``, no pickle): ``coef`` (384,) and
    ``intercept`` of p(hateful | e5 embedding), ``threat_coef`` and ``threat_intercept`` of p(threat |
    hateful), ``threshold`` and ``meta``."""

    def __init__(self, coef, intercept: float, threat_coef, threat_intercept: float, threshold: float,
                 meta: dict | None = None):
        self.coef = np.asarray(coef, dtype=np.float64).reshape(-1)
        self.intercept = float(intercept)
        self.threat_coef = np.asarray(threat_coef, dtype=np.float64).reshape(-1)
        self.threat_intercept = float(threat_intercept)
        self.threshold = float(threshold)
        self.meta = meta or {}
        if self.coef.shape != self.threat_coef.shape or not 0.0 < self.threshold < 1.0:
            raise ValueError(f"unexpected moderation head: coef {self.coef.shape}, threat_coef "
                             f"{self.threat_coef.shape}, threshold {self.threshold}")

    @classmethod
    def load(cls, path: str | Path) -> ModerationHead:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["coef"], float(data["intercept"]), data["threat_coef"], float(data["threat_intercept"]),
                       float(data["threshold"]), json.loads(str(data["meta"])))

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as handle:
            np.savez_compressed(handle, coef=self.coef, intercept=np.float64(self.intercept),
                                threat_coef=self.threat_coef, threat_intercept=np.float64(self.threat_intercept),
                                threshold=np.float64(self.threshold), meta=np.array(json.dumps(self.meta)))

    def proba(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(np.asarray(x, dtype=np.float64) @ self.coef + self.intercept)

    def threat_proba(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(np.asarray(x, dtype=np.float64) @ self.threat_coef + self.threat_intercept)
RULE_SCORES = {"threat": 0.9, "hate": 0.85, "harassment": 0.8, "personal_data": 0.8, "insult": 0.75,
               "obscenity": 0.6}

_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)*\.[a-z]{2,})\b", re.IGNORECASE)
_STREET = re.compile(
    r"\b\d{1,4}\s?(?:bis|ter)?\s*,?\s+(?:rue|avenue|av\.?|bd|boulevard|place|impasse|allee|chemin|route|quai|cours"
    r"|square|residence|lotissement|chaussee|faubourg|passage|sentier|voie|cite|hameau|lieu-dit)\s+[\w' -]{2,40}")
_POSTCODE = re.compile(r"\b(?:0[1-9]|[1-8]\d|9[0-8]|2[ab])\d{3}\s+[a-z]")
_PERSON_CUE = re.compile(
    r"\b(?:habite|habites|habitent|vit|vivent|domicile|domicilie|adresse|chez (?:lui|elle|eux)|portable"
    r"|(?:son|sa|leur) (?:numero|tel|telephone|mail|email|maison|appart))\b")
_INSTITUTION = re.compile(
    r"\b(?:mairie|hotel de ville|accueil|standard|services?|ccas|police|office|mediatheque|bibliotheque"
    r"|dechetterie|ecole|college|lycee|secretariat|permanence|guichet|pharmacie|association|joignable"
    r"|renseignements?|inscriptions?|reservations?|candidatures?|cv|urgences?|samu|pompiers|gendarmerie)\b")
_INSTITUTION_MAIL = re.compile(r"(?:^|[.-])(?:contact|accueil|mairie|info|infos|communication|rh|secretariat"
                               r"|service|services|courrier|webmaster|presse|noreply|no-reply)(?:$|[.-])")
_INSTITUTION_DOMAIN = re.compile(r"(?:mairie|ville|agglo|gouv|commune|metropole|departement|region|interieur"
                                 r"|cc-|ccas|education|sante)")
_SECOND_PERSON = re.compile(r"\b(?:tu|t'|toi|ton|ta|tes|te|espece de|vous etes|user)\b")
_WORD = re.compile(r"\w+(?:-\w+)*")
# someone a threat could be aimed at, besides the addressee (_SECOND_PERSON) and the officials of the moderation
# lexicon: a pronoun or a named role ("le prof", "l'agent", "le journaliste")
_THIRD_PERSON = re.compile(r"\b(?:vous|votre|vos|il|elle|ils|elles|lui|leur|eux|celui|celle|ceux|agents?|secretaire"
                           r"|prof\w*|policiers?|gendarmes?|voisine?s?|journalistes?|moderateur)\b")
_ELONGATED = re.compile(r"(\w)\1{2,}")


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (LEXICONS / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("# ")]


class WordList:
    """Exact words, prefix words (``word*``) and multi-word phrases, matched on folded text."""

    def __init__(self, name: str):
        self.exact, self.prefixes, phrases = set(), [], []
        for entry in _lines(name):
            entry = fold(entry)
            if " " in entry:
                phrases.append(re.escape(entry.rstrip("*")) + (r"\w*" if entry.endswith("*") else r"\b"))
            elif entry.endswith("*"):
                self.prefixes.append(entry[:-1])
            else:
                self.exact.add(entry)
        self.prefixes = tuple(self.prefixes)
        self.phrases = re.compile(r"\b(?:" + "|".join(phrases) + ")") if phrases else None

    def hits(self, words: list[str], folded: str) -> int:
        count = sum(1 for w in words if w in self.exact or w.startswith(self.prefixes))
        if self.phrases is not None:
            count += len(self.phrases.findall(folded))
        return count


class Rules:
    """Our lexicons and patterns (``nlp/lexicons/toxicity_*``)."""

    def __init__(self):
        self.insults = WordList("toxicity_insults.txt")
        self.obscenity = WordList("toxicity_obscenity.txt")
        self.groups = WordList("toxicity_groups.txt")
        self.patterns = {label: PatternList(_lines(f"toxicity_{label}.txt"))
                         for label in ("threat", "harassment", "hate")}

    @staticmethod
    def prepare(text: str) -> tuple[str, list[str]]:
        raw, _ = normalise(text)
        folded = _ELONGATED.sub(r"\1\1", fold(raw))
        return folded, _WORD.findall(folded)

    def detect(self, text: str) -> tuple[dict[str, float], list[str]]:
        """Rule scores per label, and marker features for the model."""
        folded, words = self.prepare(text)
        scores: dict[str, float] = {}
        markers: list[str] = []
        if "a la con" in folded:  # "à la con" qualifies a thing (vulgar), it does not insult a person
            insults = self.insults.hits([w for w in _WORD.findall(folded.replace("a la con", "")) if w],
                                        folded.replace("a la con", ""))
        else:
            insults = self.insults.hits(words, folded)
        addressed = bool(_SECOND_PERSON.search(folded))
        if insults:
            scores["insult"] = RULE_SCORES["insult"]
            markers += ["__insult_lex"] * insults + (["__insult_addressed"] if addressed else [])
        if self.groups.hits(words, folded):
            markers.append("__group")
        if self.obscenity.hits(words, folded):
            scores["obscenity"] = RULE_SCORES["obscenity"]
            markers.append("__obscene_lex")
        for label, pattern in self.patterns.items():
            if pattern.search(folded):
                scores[label] = RULE_SCORES[label]
                markers.append(f"__{label}_rule")
        if personal_data(text):
            scores["personal_data"] = RULE_SCORES["personal_data"]
        return scores, markers


def _institutional(folded: str, start: int) -> bool:
    return bool(_INSTITUTION.search(folded[max(0, start - 60): start + 20]))


def personal_data(text: str) -> list[str]:
    """Kinds of personal contact data exposed in the text: ``phone``, ``email``, ``address``."""
    folded = fold(text[:20000])  # folding keeps the length for these scripts
    found = []
    for match in _PHONE.finditer(folded):
        if not _institutional(folded, match.start()):
            found.append("phone")
            break
    for match in _EMAIL.finditer(folded):
        local, domain = match.group(1), match.group(2)
        if not (_INSTITUTION_MAIL.search(local) or _INSTITUTION_DOMAIN.search(domain)
                or _institutional(folded, match.start())):
            found.append("email")
            break
    for match in _STREET.finditer(folded):
        after = folded[match.start(): match.end() + 40]
        if (_POSTCODE.search(after) or _PERSON_CUE.search(folded)) and not _institutional(folded, match.start()):
            found.append("address")
            break
    return found


@lru_cache(maxsize=1)
def rules() -> Rules:
    return Rules()


def toxicity_features(text: str) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Model features (sentiment features + rule markers) and rule scores of one text."""
    base = text_features(text)
    scores, markers = rules().detect(text)
    canon, found, countered = analysis(text)
    markers += [f"__mod_{v.category}" for v in found] + [f"__group_{t}" for t in group_targets(canon)]
    if countered:
        markers.append("__countered")
    return {"word": base["word"] + markers, "char": base["char"]}, scores


@registry.misc("vigie.toxicity_model.v1")
def toxicity_model(path: str | None = None) -> ModelSource:
    """The toxicity model at ``path`` (default: the packaged ``nlp/data/models/toxicity_v6.json.gz``)."""
    return ModelSource(path, DEFAULT_MODEL)


@dataclass
class Context:
    """What the decision reads from a text, computed once (``ToxicityComponent.context``)."""

    features: dict[str, list[str]]
    rule_scores: dict[str, float]
    found: list[Verdict]
    countered: str | None  # the cue of counter-speech, if any
    targets: list[str]
    reports_quote: bool
    canon: str
    long_text: bool = False  # over LONG_TEXT_CHARS: the model's hate counts only beside a rule

    @cached_property
    def negated_group(self) -> bool:  # computed only when the decision needs it
        return moderator().negated_group(self.canon)

    @cached_property
    def negated_insult(self) -> bool:
        return moderator().negated_insult(self.canon)

    @cached_property
    def negated_hostility(self) -> bool:
        return moderator().negated_hostility(self.canon)

    @cached_property
    def insults_of_things(self) -> bool:
        return moderator().insults_of_things(self.canon)

    @cached_property
    def negated_harm(self) -> bool:
        return moderator().negated_harm(self.canon)

    @cached_property
    def reviews_work(self) -> bool:
        return reviews_a_work(self.canon)

    @cached_property
    def identity(self) -> bool:
        return moderator().identity_statement(self.canon)

    @cached_property
    def positive(self) -> bool:
        return moderator().positive_stance(self.canon)

    @cached_property
    def informative(self) -> bool:
        return moderator().informative(self.canon)

    @cached_property
    def plain(self) -> bool:
        return moderator().plain_mention(self.canon)

    @cached_property
    def names_people(self) -> bool:
        return moderator().names_people(self.canon)

    @cached_property
    def homonym(self) -> bool:
        return moderator().has_homonym(self.canon)

    @cached_property
    def thing_aimed(self) -> bool:
        return moderator().aimed_at_thing(self.canon)

    @cached_property
    def figurative(self) -> bool:
        return moderator().figurative(self.canon) or moderator().quotes_a_title(self.canon)


@Language.factory(
    "vigie_toxicity",
    default_config={
        "model": {"@misc": "vigie.toxicity_model.v1", "path": None},
        "max_chars": 5000,
        "flag_labels": list(FLAG_LABELS),
        "profile": "fast",
    },
)
def make_toxicity(nlp: Language, name: str, model: ModelSource, max_chars: int, flag_labels: list[str],
                  profile: str):
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
    return ToxicityComponent(name, model, max_chars=max_chars, flag_labels=flag_labels, profile=profile)


class ToxicityComponent(SavedModel):
    """Writes ``doc._.toxicity``: labels over their thresholds, the highest label score, and
    ``flagged`` when one of ``flag_labels`` is present."""

    def __init__(self, name: str, model: ModelSource, *, max_chars: int = 5000, flag_labels=FLAG_LABELS,
                 profile: str = "fast", head_path: str | Path | None = None):
        unknown = set(flag_labels) - set(LABELS)
        if unknown:
            raise ValueError(f"unknown toxicity labels in flag_labels: {sorted(unknown)}; expected among {LABELS}")
        self.name = name
        self.source = model
        self.max_chars = max_chars
        self.flag_labels = set(flag_labels)
        self.profile = profile
        self.head_path = Path(head_path) if head_path else DEFAULT_HEAD
        self._head: ModerationHead | None = None
        self.words_head_path = DEFAULT_WORDS_HEAD
        self._words_head: LinearTextModel | None = None
        self.threat_head_path: Path | None = DEFAULT_THREAT_HEAD
        self._threat_head: LinearTextModel | None = None

    @property
    def head(self) -> ModerationHead:
        if self._head is None:
            self._head = ModerationHead.load(self.head_path)
        return self._head

    @property
    def words_head(self) -> LinearTextModel:
        if self._words_head is None:
            self._words_head = LinearTextModel.load(self.words_head_path)
        return self._words_head

    @property
    def threat_head(self) -> LinearTextModel:
        if self._threat_head is None:
            self._threat_head = LinearTextModel.load(self.threat_head_path)
        return self._threat_head

    @property
    def model(self) -> LinearTextModel:
        return self.source.get()

    def load(self) -> None:
        super().load()
        try:
            rules()
            moderator()
        except Exception as exc:
            raise PipelineLoadError(self.name, f"the toxicity lexicons: {type(exc).__name__}: {exc}") from exc
        if self.profile == "accurate":
            try:
                self._head = ModerationHead.load(self.head_path)
            except Exception as exc:
                raise PipelineLoadError(self.name, f"{self.head_path}: {type(exc).__name__}: {exc}") from exc
        for attr, path in (("_words_head", self.words_head_path), ("_threat_head", self.threat_head_path)):
            if path is None:
                continue
            try:
                setattr(self, attr, LinearTextModel.load(path))
            except Exception as exc:
                raise PipelineLoadError(self.name, f"{path}: {type(exc).__name__}: {exc}") from exc

    def calibrated(self, proba: dict[str, float], thresholds: dict[str, float] | None = None) -> dict[str, float]:
        """Label probabilities rescaled so that each label's threshold maps to 0.5 (default thresholds:
        the linear model's)."""
        thresholds = self.model.thresholds if thresholds is None else thresholds
        return calibrate(proba, thresholds)

    def context(self, text: str) -> Context:
        """What the decision needs from the text itself: features, rule verdicts, groups, negations."""
        text = text[: self.max_chars]
        features, rule_scores = toxicity_features(text)
        mod = moderator()
        canon, found, countered = analysis(text)
        return Context(features, rule_scores, list(found), countered, list(group_targets(canon)),
                       mod.reports_quote(canon), canon, len(text) > LONG_TEXT_CHARS)

    def model_scores(self, contexts: list[Context]) -> list[tuple[dict[str, float], float]]:
        """The linear model's calibrated scores (insult, hate and, since v4, hostility) of each text, and its hate
        probability."""
        out = []
        for ctx in contexts:
            proba = self.model.proba(ctx.features)
            out.append((self.calibrated(proba), float(proba.get("hate", 0.0))))
        return out

    def analyse(self, text: str, model: tuple[dict[str, float], float] | None = None,
                ctx: Context | None = None) -> tuple[dict[str, float], Verdict | None]:
        """Label scores and the moderation verdict (category, target, score, cue) of one text; ``model``:
        its calibrated model scores and hate probability when already computed (``model_scores``)."""
        if not any(ch.isalnum() for ch in text):
            return {}, None
        ctx = ctx or self.context(text)
        calibrated, hate_proba = model if model is not None else self.model_scores([ctx])[0]
        return decide(ctx, calibrated, hate_proba)

    def label_scores(self, text: str) -> dict[str, float]:
        return self.analyse(text)[0]

    def predict(self, text: str) -> dict:
        return self.predict_many([text])[0]

    def predict_many(self, texts: list[str]) -> list[dict]:
        """``doc._.toxicity`` of each text.  The functional heads then read the texts left unflagged that name a
        group or show some hostility and that no veto holds (``head_reads``): the words head, over the features
        already computed, in both profiles; in profile ``accurate`` the e5 head first, in one encoder call.  Last,
        the threat head reads the short texts still unflagged that no veto holds (``threat_reads``)."""
        out, pending, unflagged = [], [], []
        for text in texts:
            if not any(ch.isalnum() for ch in text):
                out.append(result({}, None, self.flag_labels))
                continue
            ctx = self.context(text)
            model = self.model_scores([ctx])[0]
            scores, verdict = self.analyse(text, model, ctx)
            out.append(result(scores, verdict, self.flag_labels))
            if not out[-1]["flagged"]:
                unflagged.append((len(out) - 1, ctx, scores))
                if head_reads(text, ctx, model[0]):
                    pending.append((len(out) - 1, ctx, scores))
        tentative = self._read_heads(texts, out, pending) if pending else {}
        if self.threat_head_path is not None:  # None: switched off (the head's own training reads the component
            self._read_threat_head(out, unflagged)  # without it)
        for i, flagged in tentative.items():  # the e5 head's threats with no word of harm, if nothing else flagged
            if not out[i]["flagged"]:
                out[i] = flagged
        return out

    def _read_threat_head(self, out: list[dict], unflagged: list[tuple[int, Context, dict]]) -> None:
        """The threat head over the texts still unflagged that ``threat_reads`` lets through."""
        threats = self.threat_head
        threshold = float(threats.thresholds["threat"])
        for i, ctx, scores in unflagged:
            if out[i]["flagged"] or not threat_reads(ctx):
                continue
            proba = threats.proba(ctx.features)["threat"]
            if proba >= threshold:
                score = above_threshold(proba, threshold)
                verdict = Verdict("threat", ctx.targets[0] if ctx.targets else "person", score, THREAT_CUE)
                out[i] = result({**scores, "threat": max(scores.get("threat", 0.0), score)}, verdict, self.flag_labels)

    def _read_heads(self, texts: list[str], out: list[dict],
                    pending: list[tuple[int, Context, dict]]) -> dict[int, dict]:
        """The e5 head (profile ``accurate``) and the words head over the texts ``head_reads`` let through, when they
        are no longer than LONG_TEXT_CHARS.  Returns the e5 head's tentative flags (``head_verdict``), by text,
        that stand only if the words head and the threat head leave the text unflagged."""
        readings: list[list[tuple[float, float, float, str]]] = [[] for _ in pending]
        # both heads were trained on comments: a review or an article is left to the rules and the linear model (the
        # e5 head flagged 7 real film reviews that tell a plot, nlp/eval/README.md "Fourteenth round")
        short = [row for row, (_, ctx, _) in enumerate(pending) if not ctx.long_text]
        # nor a plain mention of a group, which the e5 head read as hate ("beaucoup de personnes handicapées travaillent
        # à la mairie"; 5 flags of the tuning data's neutral mentions, none of its hate, stop 36)
        e5rows = [row for row in short if not pending[row][1].plain] if self.profile == "accurate" else []
        if e5rows:
            from vigie.nlp.components.request_model import embeddings

            x = embeddings([texts[pending[row][0]][: self.max_chars] for row in e5rows])
            head = self.head
            for row, proba, threat in zip(e5rows, head.proba(x), head.threat_proba(x), strict=True):
                readings[row].append((float(proba), float(threat), head.threshold, "modèle (e5)"))
        words = self.words_head
        for row in short:
            # with no group named its words cannot tell a threat from an idiom ("mettre le feu aux poudres")
            ctx = pending[row][1]
            if ctx.targets:
                read = words.proba(ctx.features)
                readings[row].append((read["hateful"], read["threat"], float(words.thresholds["hateful"]), WORDS_CUE))
        tentative = {}
        for row, (i, ctx, scores) in enumerate(pending):
            for proba, threat, threshold, cue in readings[row]:
                verdict, sure = head_verdict(proba, threat, threshold, ctx, cue)
                if verdict is None:
                    continue
                flagged = result({**scores, verdict.category: max(scores.get(verdict.category, 0.0), verdict.score)},
                                 verdict, self.flag_labels)
                if not sure:
                    tentative.setdefault(i, flagged)
                    continue
                out[i] = flagged
                tentative.pop(i, None)
                break
        return tentative

    def __call__(self, doc: Doc) -> Doc:
        doc._.toxicity = self.predict(doc.text)
        return doc

    def pipe(self, docs, batch_size: int = 256):
        for batch in batches(docs, batch_size):
            yield from self._label(batch)

    def _label(self, docs: list[Doc]) -> list[Doc]:
        for doc, tox in zip(docs, self.predict_many([d.text for d in docs]), strict=True):
            doc._.toxicity = tox
        return docs


def head_reads(text: str, ctx: Context, calibrated: dict[str, float]) -> bool:
    """Whether a functional head reads a text the rules and the linear model left unflagged: five words or more, no
    veto (counter-speech, a reported quote, a negated hostile word or harm, violence aimed at a thing, an identity
    statement, praise or plain information about a group, a review of a film or a book, a violent idiom with no group
    named, "battre la droite aux municipales": the heads were
    trained on comments about local life, and read "ces femmes si fragiles" in a film review as hate), and a
    protected group named or some hostility (the linear model's hostility or insult at HEAD_GATE)."""
    return len(text.split()) >= HEAD_MIN_WORDS and not (
        ctx.countered or ctx.reports_quote or ctx.negated_hostility or ctx.negated_harm or ctx.thing_aimed
        or ctx.identity or ctx.positive or ctx.informative or ctx.reviews_work or (ctx.figurative and not ctx.targets)
    ) and (
        bool(ctx.targets) or max(calibrated.get("hostility", 0.0), calibrated.get("insult", 0.0)) >= HEAD_GATE)


def above_threshold(proba: float, threshold: float) -> float:
    """A head's probability at or above its threshold, rescaled to a score from 0.5 (the threshold) to 1."""
    return round(0.5 + 0.5 * (proba - threshold) / (1.0 - threshold), 4)


def threat_reads(ctx: Context) -> bool:
    """Whether the threat head reads a text left unflagged: a short one (not over LONG_TEXT_CHARS: trained on
    comments, its words are no evidence in a review or an article) that no veto holds (counter-speech, a reported
    quote, a violent idiom or a quoted title, a negated hostile word or harm, an identity statement, praise or plain
    information about a group, violence aimed at a thing or an animal)."""
    return not (ctx.long_text or ctx.countered or ctx.reports_quote or ctx.figurative or ctx.negated_hostility
                or ctx.negated_harm or ctx.identity or ctx.positive or ctx.informative or ctx.thing_aimed)


def head_verdict(proba: float, threat: float, threshold: float, ctx: Context,
                 cue: str) -> tuple[Verdict | None, bool]:
    """What a functional head's probabilities (hateful, threat among hateful) say of a text it read, and whether the
    verdict is sure: a threat when someone is named it could be aimed at, hate when a protected group is named;
    hostility with no group and no threat stays the rules' and the linear model's call.  The e5 head's threat also
    needs a word of harm (``speaks_of_harm``): without one it is tentative, hate of the group named or an insult of
    the person aimed at, and stands only when no other head flags the text (on its tuning data the e5 head called
    threats "Une policière municipale mdrrr elle va faire quoi à part pleurer" and "foutue porte, elle grince à
    réveiller les morts"; veiled threats, "on sait où habite l'adjointe", are the threat head's to name)."""
    if proba < threshold:
        return None, True
    score = above_threshold(proba, threshold)
    if threat >= 0.5 and (ctx.targets or aimed_at_someone(ctx.canon)):
        if cue == WORDS_CUE or speaks_of_harm(ctx.canon):
            return Verdict("threat", ctx.targets[0] if ctx.targets else "person", score, cue), True
        if ctx.targets:
            return Verdict("hate", ctx.targets[0], score, cue), False
        return Verdict("insult", "person", score, cue), False
    if ctx.targets:
        return Verdict("hate", ctx.targets[0], score, cue), True
    return None, True


def aimed_at_someone(canon: str) -> bool:
    """The text names someone a threat could be aimed at: the addressee, a third person, an official."""
    return bool(_SECOND_PERSON.search(canon) or _THIRD_PERSON.search(canon)
                or moderator().officials.find(_WORD.findall(canon)))


def result(scores: dict[str, float], verdict: Verdict | None, flag_labels) -> dict:
    """``doc._.toxicity`` from label scores and the verdict.  A threat aimed at a protected group is hate too."""
    if verdict is not None and verdict.category == "threat" and verdict.target in PROTECTED_TRAITS:
        scores = {**scores, "hate": max(scores.get("hate", 0.0), verdict.score)}
    labels = [label for label in LABELS if scores.get(label, 0.0) >= 0.5]
    flagged = any(label in flag_labels for label in labels)
    score = max(scores.values(), default=0.0)
    if not flagged:
        score = min(score, 0.49)  # labels that are not flagged (obscenity) stay below the flagging line
    out = {"score": round(score, 4), "labels": labels, "flagged": flagged,
           "category": None, "target": None, "cue": None}
    if flagged and verdict is not None:
        out.update(category=verdict.category, target=verdict.target, cue=verdict.cue[:120])
    return out


def calibrate(proba: dict[str, float], thresholds: dict[str, float]) -> dict[str, float]:
    """Probabilities rescaled so that each label's threshold maps to 0.5."""
    out = {}
    for label, prob in proba.items():
        threshold = float(thresholds.get(label, 0.5))
        out[label] = 0.5 * prob / threshold if prob < threshold else 0.5 + 0.5 * (prob - threshold) / (1.0 - threshold)
    return out


def decide(ctx: Context, model: dict[str, float], hate_proba: float | None = None) -> tuple[dict[str, float],
                                                                                        Verdict | None]:
    """Label scores and the verdict from the text's context, its calibrated model scores and the model's hate
    probability (None: the no-group floor MODEL_HATE_NO_GROUP_PROBA is not applied)."""
    found = list(ctx.found)
    # insult, hate and threat come from the moderation rules; the other labels from the older rules
    scores = {k: v for k, v in ctx.rule_scores.items() if k in ("harassment", "obscenity", "personal_data")}
    if ctx.countered:
        scores.pop("harassment", None)
        # what stands: threats at the reader, threats holding the cue, what follows a turn
        found = standing(found, ctx.canon, ctx.countered, moderator().counter_reach(ctx.canon))
    framed = moderator().framed
    for v in found:
        # a threat at a protected group, or an insult in a word that is a slur in that frame ("t'es un attardé",
        # "ok l'attardé": an ableist slur at a person), is hate too
        hate = v.target in PROTECTED_TRAITS or (v.category == "insult" and framed.intersection(v.cue.split()))
        for label in CATEGORY_LABELS[v.category] + (("hate",) if hate else ()):
            scores[label] = max(scores.get(label, 0.0), v.score)
    verdict = min(found, key=lambda v: PRIORITY.index(v.category)) if found else None
    for label in ("harassment", "personal_data"):  # the rules' reasons come before the model's
        if verdict is None and scores.get(label, 0.0) >= 0.5:
            verdict = Verdict(label, "person", scores[label], label)
    targets = ctx.targets
    # the rules found hate of a group; when they found only an insult or a threat aimed at a person or an official
    # and no group is named ("tu es un sale menteur", "je vais buter le maire"), the model's hate counts only as it
    # does with no rule at all (from MODEL_HATE_NO_GROUP and MODEL_HATE_NO_GROUP_PROBA)
    hateful = any(v.category in HATE_CATEGORIES or v.target in PROTECTED_TRAITS for v in found)
    # an insult or a threat found, no protected group, and an official or a person or a set of people who are no
    # protected group named ("Madame la maire, vous êtes une incapable", "les chasseurs sont des abrutis"): the rules
    # say who is aimed at, and it is no hate
    unprotected = bool(found) and not hateful and not targets and (
        any(v.target == "official" for v in found) or bool(moderator().officials.find(_WORD.findall(ctx.canon)))
        or ctx.names_people)
    model = dict(model)
    # since v4 the hostility that lets the model's hate count is the v3 insult head's ("hostility"), not the
    # insult label's: the insult label moved to a model (NB-weighted) whose scores on clean texts sit higher
    hostility = model.pop("hostility", model.get("insult", 0.0))
    swearing = not found and not targets and "obscenity" in ctx.rule_scores and "insult" not in ctx.rule_scores
    if not found and not targets and "obscenity" in ctx.rule_scores:
        # swearing about things ("saloperie de pluie"): the model's insult is at most the hostility head's (v3's
        # insult head), which does not take the swear words for an insult as readily as the NB-weighted one
        model["insult"] = min(model.get("insult", 0.0), hostility)
        if not ctx.names_people and not ADDRESSED & set(_WORD.findall(ctx.canon)) and "@" not in ctx.canon:
            # … and when nobody is addressed or named ("putain l'eau monte, elle est dans le garage"), no insult
            model["insult"] = min(model["insult"], 0.45)
    if not found and ctx.insults_of_things:
        # the rules read every insult word as said of a thing ("cette histoire est débile", "des blagues minables"):
        # the model's insult does not count either
        model["insult"] = min(model.get("insult", 0.0), 0.45)
    if ctx.countered or ctx.reports_quote or (not found and (ctx.identity or ctx.positive or ctx.informative
                                                              or ctx.negated_harm)) or (
            not found and not targets and (ctx.homonym or ctx.figurative or ctx.thing_aimed)):
        # condemning or reporting hate, denying harm ("il ne faut jamais s'en prendre aux X"), saying who one is
        # ("je suis musulman et…"), praising a group or stating a plain fact about it, a slur word in a harmless
        # sense ("raton laveur"), a violent idiom ("mettre le feu aux poudres") or violence aimed at a thing ("je vais
        # défoncer cette imprimante"): no hate
        model = {label: min(value, 0.45) for label, value in model.items()}
    elif not unprotected and model.get("hate", 0.0) >= (MODEL_HATE_MIN if hateful or targets else MODEL_HATE_NO_GROUP) \
            and (hateful or (not ctx.long_text and (targets or hate_proba is None or hate_proba >= (
                MODEL_HATE_PERSON_PROBA if found else MODEL_HATE_NO_GROUP_PROBA)))) \
            and (found or hostility >= MODEL_HATE_HOSTILITY) \
            and (found or not (ctx.negated_group or ctx.negated_insult or ctx.negated_harm or swearing)):
        # hate as MLMA's annotators read it (hostile and about a protected trait) needs some hostility too
        model["hate"] = max(model["hate"], 0.5)
    else:
        model["hate"] = min(model.get("hate", 0.0), 0.45)
    for label, value in model.items():
        if value >= 0.5 and verdict is None:
            verdict = Verdict(label, (targets[0] if targets else None) if label == "hate" else "person",
                              round(value, 4), MODEL_CUE)
        scores[label] = max(scores.get(label, 0.0), value)
    return scores, verdict
