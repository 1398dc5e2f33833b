"""Influence score 0–100 of the accounts of a territory, in three groups, each score with its reasons.

What a communication team calls influential is **local reach**, measured by four components
(each 0..1, fixed references so that a score means the same thing from one run to the next):

===================  ======  ==============================================================
component            weight  value
===================  ======  ==============================================================
followers            0.20    ``log(1 + f) / log(1 + 10 000)``, capped at 1 (0 when unknown)
engagement received  0.25    likes + shares + replies on their documents over the window,
                             ``log(1 + e) / log(1 + 1 000)``, capped at 1
local interactions   0.30    replies and mentions received from *local* accounts (not the
                             collectivité's own, not national), ``log(1 + n) / log(1 + 20)``
regular activity     0.25    days with a publication / days of the window
===================  ======  ==============================================================

``reach = Σ weight × component``.  **Confidence** grows with the evidence ``n`` (documents +
replies + mentions received in the window): ``c = n / (n + 3)``.  The score shrinks the reach
towards a prior that depends on what the account is (Bayesian shrinkage, a pseudo-count of 3):

    score = 100 × (c × reach + (1 − c) × prior(kind))

with priors media 0.5, institution 0.5, association 0.4, resident 0.1, national 0.1 (0.1 too for an
account only mentioned, never seen publishing: a name alone is no evidence of its kind): with little
evidence a local association or outlet sits at what such accounts usually weigh, an anonymous
account near zero; with a lot of evidence the measured reach decides.  An account seen twice with
one reply received stays low; an outlet publishing every day rises to its measured reach.  The
points of each part (``points_followers`` … ``points_prior``) sum to the score; the three largest
make the reasons, in French for the users ("publie 14 jours sur 14", "23 réponses de comptes
locaux", "12 400 abonnés", "association locale").

**Groups** (``group``), shown apart by the CLI and the digest:

- ``media_institutions``: local media (articles of a press feed, or a name of outlet: "infos",
  "actu", "journal", "gazette", "radio"…) and institutions (mairie, métropole, pompiers, écoles…);
- ``local``: residents and associations (name with "association", "collectif", "comité",
  "parents d'élèves", "amicale", "club", "en transition"…);
- ``national``: accounts that touched the territory from outside: a name or handle of a known
  national outlet (``NATIONAL_OUTLETS``), or at least ``NATIONAL_FOLLOWERS`` (50,000) followers —
  more than the population of most communes —, or at least 5 documents of which less than 20 %
  are about the territory;
- ``own``: the collectivité's own accounts (``own_accounts`` of the watch), listed apart.  Their
  replies to citizens are a service, not an endorsement: they count neither as local interactions
  nor in PageRank.

The account kind comes from names and handles (folded, whole words): a pseudonymised resident
stays a resident; press articles are recognised by their source kind even without a name.

A document is about the territory when it names one of the watch's communes or one of its places
(quarters, landmarks of ``territory.places``), or when the root of its thread does.  PageRank on
the interaction graph (``graph.py``) is still computed and stored as context; it is not in the
score (in a sparse local graph one reply moves it from nothing to the top).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from scipy import sparse

from vigie.accounts import OwnAccounts
from vigie.analytics import graph
from vigie.textfold import fold

DAMPING = 0.85
WEIGHTS = {"followers": 0.20, "engagement": 0.25, "local_interactions": 0.30, "activity": 0.25}
FOLLOWERS_REF, ENGAGEMENT_REF, LOCAL_REF = 10_000, 1_000, 20
EVIDENCE_PRIOR = 3
PRIORS = {"media": 0.5, "institution": 0.5, "association": 0.4, "resident": 0.1, "national": 0.1}
NATIONAL_FOLLOWERS = 50_000
NATIONAL_MIN_DOCUMENTS, NATIONAL_MAX_LOCAL_SHARE = 5, 0.2
PRIOR_REASONS = ("media", "institution", "association")  # the kinds whose prior is a reason worth showing
GROUP_ORDER = {"media_institutions": 0, "local": 1, "national": 2, "own": 3}
GROUP_LABELS = {"media_institutions": "Médias et institutions locales", "local": "Comptes locaux",
                "national": "Comptes nationaux passés par le territoire", "own": "Comptes de la collectivité"}
KIND_LABELS = {"media": "média local", "institution": "institution locale", "association": "association locale",
               "resident": "compte local", "national": "compte national", "own": "compte de la collectivité"}

# Known national outlets and accounts (folded words or phrases, matched on the handle and the name).
NATIONAL_OUTLETS = (
    "afp", "bfmtv", "bfm tv", "franceinfo", "france info", "france inter", "franceinter", "francetv", "tf1", "lci",
    "cnews", "europe 1", "europe1", "rtl", "rmc", "le monde", "lemonde", "le figaro", "lefigaro", "liberation",
    "le parisien", "leparisien", "20 minutes", "20minutes", "huffpost", "mediapart", "l equipe", "lequipe",
    "ouest france", "brut", "konbini", "meteo france", "meteofrance", "la chaine meteo", "meteo direct",
    "gouvernement", "elysee", "service public",
)
MEDIA_WORDS = ("actu", "actus", "actualites", "info", "infos", "journal", "gazette", "radio", "tv", "tele", "magazine",
               "mag", "hebdo", "quotidien", "presse", "news", "la voix du nord", "nord eclair", "echos")
INSTITUTION_WORDS = ("mairie", "ville de", "commune de", "metropole europeenne", "departement", "conseil departemental",
                     "region", "prefecture", "pompiers", "sdis", "police", "gendarmerie", "ccas", "mediatheque",
                     "office de tourisme", "ecole", "college", "lycee", "hopital", "bibliotheque")
ASSOCIATION_WORDS = ("association", "asso", "collectif", "comite", "amicale", "club", "parents d eleves", "ape",
                     "apel", "fcpe", "en transition", "conseil de quartier", "federation", "les amis", "amis de",
                     "benevoles", "cooperative", "repair cafe", "jardin partage", "jardins partages")

COLUMNS = [
    "platform", "handle", "name", "url", "followers", "documents", "engagement_received", "local_documents",
    "first_seen", "last_seen", "main_topics", "local_share", "own_account", "replies_received", "mentions_received",
    "quotes_received", "local_replies", "local_mentions", "local_interactions", "days_active", "window_days",
    "pagerank", "account_kind", "group", "confidence", "points_followers", "points_engagement",
    "points_local_interactions", "points_activity", "points_prior", "influence_score", "reasons",
]


def pagerank(nodes: list[str], edges: pd.DataFrame, damping: float = DAMPING,
             tol: float = 1e-12, max_iter: int = 500) -> pd.Series:
    """Weighted PageRank by power iteration on a sparse matrix; ``edges`` has source, target, weight."""
    n = len(nodes)
    if n == 0:
        return pd.Series(dtype=float)
    index = {node: i for i, node in enumerate(nodes)}
    rows = edges["source"].map(index).to_numpy(dtype=int)
    cols = edges["target"].map(index).to_numpy(dtype=int)
    weights = edges["weight"].to_numpy(dtype=float)
    matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(n, n))
    out = np.asarray(matrix.sum(axis=1)).ravel()
    dangling = out == 0
    inverse = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    transition = sparse.diags(inverse) @ matrix  # rows sum to 1 (or 0 for dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (transition.T @ rank + rank[dangling].sum() / n) + (1 - damping) / n
        if np.abs(new - rank).sum() < tol:
            rank = new
            break
        rank = new
    return pd.Series(rank / rank.sum(), index=nodes)


def _top_topics(lists: pd.Series, k: int = 3) -> list[str]:
    counts = pd.Series([t for items in lists for t in items], dtype=object).value_counts()
    return list(counts.index[:k])


def local_documents(docs: pd.DataFrame, communes: list[str]) -> pd.Series:
    """A document is about the territory when it names one of the communes or places, or its thread root does."""
    communes = set(communes)
    places = docs["places"] if "places" in docs else pd.Series([[]] * len(docs), index=docs.index)
    names_one = pd.Series([bool(communes & set(c)) or bool(p) for c, p in zip(docs["communes"], places, strict=True)],
                          index=docs.index)
    local_roots = set(docs.loc[names_one, "doc_id"])
    return names_one | docs["thread_id"].isin(local_roots) | docs["parent_id"].isin(local_roots)


def author_table(docs: pd.DataFrame, communes: list[str]) -> pd.DataFrame:
    """Per author: identity, documents, engagement received, local documents, days active, topics."""
    docs = docs.assign(local=local_documents(docs, communes), day=docs["published_at"].dt.strftime("%Y-%m-%d"),
                       article=(docs["source_kind"] == "feed") & (docs["kind"] == "article"))
    docs = docs.sort_values("published_at")
    grouped = docs.groupby("author_key", sort=False)
    table = grouped.agg(
        platform=("platform", "first"), handle=("handle", "last"), name=("name", "last"), url=("author_url", "last"),
        followers=("followers", "max"), documents=("doc_id", "count"), engagement_received=("engagement", "sum"),
        local_documents=("local", "sum"), first_seen=("published_at", "min"), last_seen=("published_at", "max"),
        days_active=("day", "nunique"), articles=("article", "sum"),
    )
    table["main_topics"] = grouped["topics"].apply(_top_topics)
    return table


def _words(*values) -> str:
    """Folded words of handles and names, separated by single spaces and padded (for whole-word search)."""
    text = " ".join(v for v in values if isinstance(v, str))
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)  # camelCase handles: LambersartInfos
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text).replace("_", " "))) + " "


def _has(words: str, phrases) -> bool:
    return any(f" {p} " in words for p in phrases)


def account_kind(handle, name, followers, documents: int, local_share: float, articles: int = 0) -> str:
    """national, media, institution, association or resident (documented in the module's docstring)."""
    words = _words(handle, name, (handle or "").split("@", 1)[0].replace(".", " ") if isinstance(handle, str) else None)
    if _has(words, NATIONAL_OUTLETS) or (followers is not None and not pd.isna(followers)
                                         and followers >= NATIONAL_FOLLOWERS) \
            or (documents >= NATIONAL_MIN_DOCUMENTS and local_share < NATIONAL_MAX_LOCAL_SHARE):
        return "national"
    if articles or _has(words, MEDIA_WORDS):
        return "media"
    if _has(words, ASSOCIATION_WORDS):
        return "association"
    if _has(words, INSTITUTION_WORDS):
        return "institution"
    return "resident"


def group_of(kind: str) -> str:
    return {"media": "media_institutions", "institution": "media_institutions", "national": "national",
            "own": "own"}.get(kind, "local")


def _log_ref(values: pd.Series, reference: float) -> pd.Series:
    return (np.log1p(values.astype(float).fillna(0).clip(lower=0)) / math.log1p(reference)).clip(0, 1)


def window_days(docs: pd.DataFrame, days: int | None) -> int:
    """Days of the window: ``days`` when given, at most the days the documents span (first to last, inclusive)."""
    if docs.empty:
        return max(days or 1, 1)
    span = (docs["published_at"].max().normalize() - docs["published_at"].min().normalize()).days + 1
    return max(1, min(days, span) if days else span)


def score(docs: pd.DataFrame, communes: list[str], own_accounts: list[str] = (),
          days: int | None = None) -> pd.DataFrame:
    """The ranking: one row per account (index ``author_key``), by group then score, own accounts last.

    ``days`` is the window the documents were read for (the activity component counts days active out
    of it, at most the days the documents span).
    """
    docs = graph.with_keys(docs[docs["handle"].notna() | docs["author_id"].notna() | docs["name"].notna()])
    if docs.empty:
        return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name="author_key"))
    table = author_table(docs, communes)
    links = graph.edges(docs)
    for key in sorted(set(links["target"]) - set(table.index)):  # mentioned, never seen as author
        platform, handle = key.split(":", 1)
        table.loc[key, ["platform", "handle", "documents", "engagement_received", "local_documents", "days_active",
                        "articles"]] = [platform, handle, 0, 0, 0, 0, 0]
        table.at[key, "main_topics"] = []
    counts = ["documents", "engagement_received", "local_documents", "days_active", "articles"]
    table[counts] = table[counts].astype(int)
    table["local_share"] = (table["local_documents"] / table["documents"].where(table["documents"] > 0)).fillna(0.0)

    own = OwnAccounts(own_accounts)
    own_keys = {key for key, h, i, n in zip(docs["author_key"], docs["handle"], docs["author_id"], docs["name"],
                                            strict=True) if own.match(h, i, n)}
    table["own_account"] = [key in own_keys or own.match(key.split(":", 1)[1]) for key in table.index]  # or mentioned
    table["account_kind"] = ["own" if row.own_account else
                             account_kind(row.handle, row.name, row.followers, row.documents, row.local_share,
                                          row.articles) for row in table.itertuples()]
    table["group"] = table["account_kind"].map(group_of)

    received = links.groupby(["target", "kind"]).size().unstack(fill_value=0)
    for kind, column in (("reply", "replies_received"), ("mention", "mentions_received")):
        table[column] = received[kind].reindex(table.index, fill_value=0).astype(int) if kind in received else 0
    table["quotes_received"] = 0
    local_sources = set(table.index[(table["local_documents"] > 0) & table["group"].isin(["local",
                                                                                          "media_institutions"])])
    from_locals = links[links["source"].isin(local_sources)]
    for kind, column in (("reply", "local_replies"), ("mention", "local_mentions")):
        got = from_locals[from_locals["kind"] == kind].groupby("target").size()
        table[column] = got.reindex(table.index, fill_value=0).astype(int)
    table["local_interactions"] = table["local_replies"] + table["local_mentions"]

    voices = links[~links["source"].isin(table.index[table["own_account"]])]  # the town's answers endorse no one
    locality = table["local_documents"] / (table["documents"] + 2)
    weighted = voices.assign(weight=1 + voices["source"].map(locality).fillna(0)) \
        .groupby(["source", "target"], as_index=False)["weight"].sum()
    table["pagerank"] = pagerank(list(table.index), weighted)

    window = window_days(docs, days)
    table["window_days"] = window
    parts = pd.DataFrame({
        "followers": _log_ref(table["followers"], FOLLOWERS_REF),
        "engagement": _log_ref(table["engagement_received"], ENGAGEMENT_REF),
        "local_interactions": _log_ref(table["local_interactions"], LOCAL_REF),
        "activity": (table["days_active"] / window).clip(0, 1),
    }, index=table.index)
    evidence = table["documents"] + table["replies_received"] + table["mentions_received"]
    confidence = evidence / (evidence + EVIDENCE_PRIOR)
    table["confidence"] = confidence.round(3)
    for part, weight in WEIGHTS.items():
        table[f"points_{part}"] = 100 * confidence * weight * parts[part]
    prior = table["account_kind"].map(lambda k: PRIORS.get(k, PRIORS["resident"]))
    prior = prior.where(table["documents"] > 0, PRIORS["resident"])  # only mentioned: a name is no evidence
    table["points_prior"] = 100 * (1 - confidence) * prior
    points = [f"points_{p}" for p in WEIGHTS] + ["points_prior"]
    table["influence_score"] = table[points].sum(axis=1).round(1)
    table["reasons"] = [reasons(row) for row in table.itertuples()]
    table.index.name = "author_key"
    table["_order"] = table["group"].map(GROUP_ORDER)
    table = table.sort_values(["_order", "influence_score", "pagerank"], ascending=[True, False, False])
    return table.drop(columns=["_order", "articles"])


def number_fr(value: float) -> str:
    """12400 → "12 400" (French thousands separator)."""
    return f"{round(float(value)):,}".replace(",", " ")


def _plural(n: int, one: str, many: str) -> str:
    return f"{number_fr(n)} {one if n <= 1 else many}"


def _local_phrase(replies: int, mentions: int) -> str:
    if replies and mentions:
        return f"{_plural(replies, 'réponse', 'réponses')} et {_plural(mentions, 'mention', 'mentions')} " \
               "de comptes locaux"
    if replies:
        return "1 réponse d'un compte local" if replies == 1 else f"{number_fr(replies)} réponses de comptes locaux"
    if mentions == 1:
        return "1 mention par un compte local"
    return f"{number_fr(mentions)} mentions par des comptes locaux"


def reasons(row) -> list[str]:
    """The three parts that weigh most in the score, as French phrases."""
    phrases = {
        "points_followers": f"{number_fr(row.followers)} abonnés" if not pd.isna(row.followers) else "",
        "points_engagement": _plural(row.engagement_received, "réaction reçue", "réactions reçues"),
        "points_local_interactions": _local_phrase(row.local_replies, row.local_mentions),
        "points_activity": f"publie {_plural(row.days_active, 'jour', 'jours')} sur {row.window_days}",
        "points_prior": KIND_LABELS[row.account_kind] if row.account_kind in PRIOR_REASONS and row.documents else "",
    }
    ranked = sorted(phrases, key=lambda p: getattr(row, p), reverse=True)
    return [phrases[p] for p in ranked if getattr(row, p) > 0 and phrases[p]][:3]


def confidence_label(confidence: float) -> str:
    return "confiance faible" if confidence < 0.5 else "confiance moyenne" if confidence < 0.8 else "confiance élevée"


def restrict_to_topic(docs: pd.DataFrame, topic: str) -> pd.DataFrame:
    """Documents about ``topic``, and the replies in threads whose root is about it."""
    about = docs["topics"].map(lambda topics: topic in topics)
    roots = set(docs.loc[about, "doc_id"])
    return docs[about | docs["thread_id"].isin(roots) | docs["parent_id"].isin(roots)]
