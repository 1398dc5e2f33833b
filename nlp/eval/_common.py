"""What every evaluation shares: reading a split of a test set, the rules pipeline, precision/recall/F1."""

from __future__ import annotations

from pathlib import Path

from vigie.jsonl import read_objects


def load_split(path: Path, split: str) -> list[dict]:
    """The rows of a JSONL test set whose ``split`` is ``split`` (every row for ``all``)."""
    rows = list(read_objects(path))
    return [r for r in rows if split == "all" or r["split"] == split]


def prf(tp: int, fp: int, fn: int, counts: bool = False) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    out = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    return {**out, "tp": tp, "fp": fp, "fn": fn} if counts else out


def text_rules_pipeline():
    """The pipeline without the components these evaluations do not score (territory, trained models)."""
    from vigie.nlp.pipeline import build_pipeline

    return build_pipeline(exclude=["vigie_territory", "vigie_sentiment", "vigie_toxicity"])
