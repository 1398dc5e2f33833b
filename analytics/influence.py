"""Influence score 0–100 of the accounts of a territory.

    score = 100 × (0.5 × P + 0.2 × E + 0.3 × L)

- P, **PageRank** on the territory's interaction graph (``graph.py``: replies, mentions; quotes are
  not in the schema yet).  An edge A → B carries the number of A's interactions with B, each weighted
  ``1 + locality(A)``: a reply from a local voice counts up to twice as much as one from elsewhere.
  Damping 0.85, uniform teleport, dangling authors spread uniformly.  Normalised min–max over the
  accounts that are not the collectivité's own (0 = nobody answers them, 1 = the most central),
  then shrunk by ``s / (s + 2)`` where s is the weighted interactions received: in a sparse graph
  one reply is enough to reach the top PageRank, and one reply does not make an influencer.
- E, **engagement received** (likes + shares + replies on their documents), on a log scale:
  ``log(1 + e) / log(1 + e_max)``.  The log keeps a viral national post from crushing everyone else.
- L, **locality**: the share of their documents about the territory (one of the watch's communes
  in ``territory.communes``), smoothed toward 0 by two pseudo-documents: ``local / (documents + 2)``.
  An account seen once, even about the town, is not yet a local actor (1/3); a local page with
  seven local articles is (7/9).

PageRank weighs most because it measures what the issue asks: who the territory answers and
cites.  Locality comes next so that a national account mentioning the town once cannot outrank a
local page or association; engagement comes last because it is often generated outside the
territory.  Followers are shown as a reason, not scored (national accounts would always win).

A document is about the territory when it names one of the watch's communes, or when the root of
its thread does (a short comment under a post about the town is local too).

The collectivité's own accounts (``own_accounts`` of the watch, recognised by ``vigie.accounts`` on
handle, id or name) are flagged ``own_account`` and listed apart.  Citizens' replies to them count;
their own replies do not pass PageRank on (the town answering a request is a service, not an
endorsement).  Normalisation uses the other accounts only, so the own accounts' components are
capped at 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from vigie.accounts import OwnAccounts
from vigie.analytics import graph

W_PAGERANK, W_ENGAGEMENT, W_LOCALITY = 0.5, 0.2, 0.3
DAMPING = 0.85
LOCALITY_PRIOR = 2
STRENGTH_PRIOR = 2
COLUMNS = [
    "platform", "handle", "name", "url", "followers", "documents", "engagement_received", "local_documents",
    "first_seen", "last_seen", "main_topics", "local_share", "own_account", "replies_received", "mentions_received",
    "quotes_received", "local_replies", "pagerank", "points_pagerank", "points_engagement", "points_locality",
    "influence_score", "reasons",
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


def _minmax(values: pd.Series, reference: pd.Series) -> pd.Series:
    low, high = reference.min(), reference.max()
    if not len(reference) or high <= low:
        return pd.Series(0.0, index=values.index)
    return ((values - low) / (high - low)).clip(0, 1)


def _log_scale(values: pd.Series, reference: pd.Series) -> pd.Series:
    high = np.log1p(reference.max()) if len(reference) else 0
    if not high:
        return pd.Series(0.0, index=values.index)
    return (np.log1p(values) / high).clip(0, 1)


def _top_topics(lists: pd.Series, k: int = 3) -> list[str]:
    counts = pd.Series([t for items in lists for t in items], dtype=object).value_counts()
    return list(counts.index[:k])


def local_documents(docs: pd.DataFrame, communes: list[str]) -> pd.Series:
    """A document is about the territory when it names one of the communes, or its thread root does."""
    communes = set(communes)
    names_one = pd.Series([bool(communes & set(c)) for c in docs["communes"]], index=docs.index)
    local_roots = set(docs.loc[names_one, "doc_id"])
    return names_one | docs["thread_id"].isin(local_roots) | docs["parent_id"].isin(local_roots)


def author_table(docs: pd.DataFrame, communes: list[str]) -> pd.DataFrame:
    """Per author: identity, documents, engagement received, local documents, topics, first/last seen."""
    docs = docs.assign(local=local_documents(docs, communes))
    docs = docs.sort_values("published_at")
    grouped = docs.groupby("author_key", sort=False)
    table = grouped.agg(
        platform=("platform", "first"), handle=("handle", "last"), name=("name", "last"), url=("author_url", "last"),
        followers=("followers", "max"), documents=("doc_id", "count"), engagement_received=("engagement", "sum"),
        local_documents=("local", "sum"), first_seen=("published_at", "min"), last_seen=("published_at", "max"),
    )
    table["main_topics"] = grouped["topics"].apply(_top_topics)
    return table


def score(docs: pd.DataFrame, communes: list[str], own_accounts: list[str] = ()) -> pd.DataFrame:
    """The ranking: one row per account (index ``author_key``), best first, own accounts flagged."""
    docs = graph.with_keys(docs[docs["handle"].notna() | docs["author_id"].notna() | docs["name"].notna()])
    if docs.empty:
        return pd.DataFrame(columns=COLUMNS, index=pd.Index([], name="author_key"))
    table = author_table(docs, communes)
    links = graph.edges(docs)
    for key in sorted(set(links["target"]) - set(table.index)):  # mentioned, never seen as author
        platform, handle = key.split(":", 1)
        table.loc[key, ["platform", "handle", "documents", "engagement_received", "local_documents"]] = \
            [platform, handle, 0, 0, 0]
        table.at[key, "main_topics"] = []
    table[["documents", "engagement_received", "local_documents"]] = \
        table[["documents", "engagement_received", "local_documents"]].astype(int)
    table["local_share"] = (table["local_documents"] / table["documents"].where(table["documents"] > 0)).fillna(0.0)
    locality = table["local_documents"] / (table["documents"] + LOCALITY_PRIOR)

    own = OwnAccounts(own_accounts)
    own_keys = {key for key, h, i, n in zip(docs["author_key"], docs["handle"], docs["author_id"], docs["name"],
                                            strict=True) if own.match(h, i, n)}
    table["own_account"] = [key in own_keys or own.match(key.split(":", 1)[1]) for key in table.index]  # or mentioned
    links = links.assign(weight=1 + links["source"].map(locality).fillna(0))
    received = links.groupby(["target", "kind"]).size().unstack(fill_value=0)
    for kind, column in (("reply", "replies_received"), ("mention", "mentions_received")):
        table[column] = received[kind].reindex(table.index, fill_value=0).astype(int) if kind in received else 0
    table["quotes_received"] = 0
    local_sources = set(table.index[table["local_documents"] > 0])
    local_replies = links[(links["kind"] == "reply") & links["source"].isin(local_sources)].groupby("target").size()
    table["local_replies"] = local_replies.reindex(table.index, fill_value=0).astype(int)

    voices = links[~links["source"].isin(table.index[table["own_account"]])]  # the town's answers endorse no one
    weighted = voices.groupby(["source", "target"], as_index=False)["weight"].sum()
    table["pagerank"] = pagerank(list(table.index), weighted)
    others = table[~table["own_account"]]
    strength = weighted.groupby("target")["weight"].sum().reindex(table.index, fill_value=0.0)
    p = _minmax(table["pagerank"], others["pagerank"]) * strength / (strength + STRENGTH_PRIOR)
    e = _log_scale(table["engagement_received"], others["engagement_received"])
    table["points_pagerank"] = 100 * W_PAGERANK * p
    table["points_engagement"] = 100 * W_ENGAGEMENT * e
    table["points_locality"] = 100 * W_LOCALITY * locality
    table["influence_score"] = (table["points_pagerank"] + table["points_engagement"]
                                + table["points_locality"]).round(1)
    table["reasons"] = [reasons(row) for row in table.itertuples()]
    table.index.name = "author_key"
    return table.sort_values(["influence_score", "pagerank"], ascending=False)


def reasons(row) -> str:
    followers = "followers unknown" if pd.isna(row.followers) else f"{int(row.followers):,} followers"
    parts = [followers, f"{row.local_replies} local replies", f"{row.replies_received} replies",
             f"{row.mentions_received} mentions", f"{row.local_documents}/{row.documents} documents local"]
    if row.main_topics:
        parts.append("topics: " + ", ".join(row.main_topics))
    return "; ".join(parts)


def restrict_to_topic(docs: pd.DataFrame, topic: str) -> pd.DataFrame:
    """Documents about ``topic``, and the replies in threads whose root is about it."""
    about = docs["topics"].map(lambda topics: topic in topics)
    roots = set(docs.loc[about, "doc_id"])
    return docs[about | docs["thread_id"].isin(roots) | docs["parent_id"].isin(roots)]
