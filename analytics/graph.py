"""The interaction graph of a territory: who replies to, mentions or quotes whom.

Nodes are author keys (``platform:handle``, handle lower-cased without ``@``).  Edges go from the
author of a document to the author it addresses:

- reply: a document with a ``parent_id`` → the author of the parent document (when it is in the
  corpus);
- mention: each ``@handle`` of ``mentions`` → that account on the same platform.  A mention matches
  an author's handle exactly; a bare ``name`` also matches a fediverse handle ``name@instance`` when
  only one author has it.  Mentioned accounts never seen as authors are nodes too;
- quote: the Document schema has no quote field, so quotes are not available yet
  (``quotes_received`` stays 0).

Self-interactions (answering in one's own thread) are dropped.  Edge weights are summed over
documents by ``influence.py``.
"""

from __future__ import annotations

import pandas as pd

EDGE_COLUMNS = ["source", "target", "kind", "doc_id"]


def normalise(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def author_key(platform: str, handle: str | None, author_id: str | None = None, name: str | None = None) -> str | None:
    """``platform:handle``, else the author's id, else their name (pandas' NaN counts as missing)."""
    value = next((v for v in (handle, author_id, name) if isinstance(v, str) and v.strip()), None)
    return f"{platform.lower()}:{normalise(value)}" if value else None


def with_keys(df: pd.DataFrame) -> pd.DataFrame:
    """The documents with an ``author_key`` column."""
    df = df.copy()
    df["author_key"] = [author_key(p, h, i, n) for p, h, i, n in
                        zip(df["platform"], df["handle"], df["author_id"], df["name"], strict=True)]
    return df


def _mention_resolver(df: pd.DataFrame):
    known = set(df["author_key"].dropna())
    by_local: dict[str, set[str]] = {}
    for key in known:
        platform, handle = key.split(":", 1)
        if "@" in handle:
            by_local.setdefault(f"{platform}:{handle.split('@', 1)[0]}", set()).add(key)

    def resolve(platform: str, mention: str) -> str | None:
        key = author_key(platform, mention)
        if key in known or key is None:
            return key
        candidates = by_local.get(key, set())
        return next(iter(candidates)) if len(candidates) == 1 else key

    return resolve


def edges(df: pd.DataFrame) -> pd.DataFrame:
    """One row per interaction: ``source`` author key → ``target`` author key, ``kind`` reply|mention."""
    if "author_key" not in df:
        df = with_keys(df)
    rows = []
    parents = df.set_index("doc_id")["author_key"].to_dict()
    resolve = _mention_resolver(df)
    for doc in df.itertuples(index=False):
        if not doc.author_key:
            continue
        parent_author = parents.get(doc.parent_id) if doc.parent_id else None
        if parent_author:
            rows.append((doc.author_key, parent_author, "reply", doc.doc_id))
        for mention in doc.mentions:
            target = resolve(doc.platform, mention)
            if target:
                rows.append((doc.author_key, target, "mention", doc.doc_id))
    out = pd.DataFrame(rows, columns=EDGE_COLUMNS)
    return out[out["source"] != out["target"]].reset_index(drop=True)
