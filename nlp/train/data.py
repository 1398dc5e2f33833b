"""Where the shared (non-redistributable) training data lives, and readers for it.

The data folder is ``VIGIE_SHARED_DATA`` when set, otherwise ``<repo>/../shared/data``.  Its texts are
read at training and evaluation time only; they are never copied into the repository.
"""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
EVAL = REPO / "nlp" / "eval"


def shared_data() -> Path:
    return Path(os.environ.get("VIGIE_SHARED_DATA") or REPO.parent / "shared" / "data")


def deft_path(split: str) -> Path:
    return shared_data() / "sentiment" / f"deft2017_fr_{split}.tsv"


def mlma_path() -> Path:
    return shared_data() / "toxicity" / "mlma_fr.csv"


def read_deft(split: str) -> tuple[list[str], list[str]]:
    """Texts and labels of DEFT 2017 ``train`` or ``val``."""
    texts, labels = [], []
    with deft_path(split).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            texts.append(row["text"])
            labels.append(row["label"])
    return texts, labels


def read_jsonl(path: Path) -> list[dict]:
    from vigie.jsonl import read_objects

    return list(read_objects(path))


def read_municipal() -> list[dict]:
    """The municipal-style sentiment set (our own writing), with its ``split`` field (dev/test)."""
    return read_jsonl(EVAL / "sentiment_municipal.jsonl")


# development cases of moderation (fields as in the suites; READMEs beside them)
NEUTRAL_DEV = Path(__file__).resolve().parent / "data" / "moderation_neutral_dev.jsonl"
THREAT_DEV = Path(__file__).resolve().parent / "data" / "moderation_threat_dev.jsonl"
IMPLICIT_DEV = Path(__file__).resolve().parent / "data" / "moderation_implicit_dev.jsonl"
# targets and forms (stop 31): each case also says whether it is hate towards a protected group (``hate``)
TARGETS_DEV = Path(__file__).resolve().parent / "data" / "moderation_targets_dev.jsonl"
TARGETS_DEV2 = Path(__file__).resolve().parent / "data" / "moderation_targets_dev2.jsonl"
TARGETS_DEV3 = Path(__file__).resolve().parent / "data" / "moderation_targets_dev3.jsonl"
# ordinary words that insult elsewhere, in their plain municipal sense, and aimed at people (stop 34)
FALSEFRIENDS_DEV = Path(__file__).resolve().parent / "data" / "moderation_falsefriends_dev.jsonl"


def moderation_clean_texts() -> list[str]:
    """The clean texts the moderation heads learn from beside the functional suites: the municipal set (ours) and,
    when the shared data is there, DEFT 2017 train."""
    texts = [m["text"] for m in read_municipal()]
    if deft_path("train").exists():
        texts += read_deft("train")[0]
    else:
        print(f"note: {deft_path('train')} not found: DEFT train left out of the clean texts")
    return texts


MLMA_MAP = {"offensive": "insult", "abusive": "insult", "disrespectful": "insult", "hateful": "hate"}
# MLMA's ``target`` column: the trait the hostility is about; these are the traits protected against hate speech
MLMA_PROTECTED = ("origin", "religion", "disability", "gender", "sexual_orientation")


def mlma_protected_hostile(sentiment: str, target: str) -> bool:
    """Hate as a moderator reads MLMA: hostile (offensive, abusive, hateful or disrespectful) and about a
    protected trait (``target`` origin, religion, disability, gender or sexual orientation)."""
    return bool(mlma_labels(sentiment)) and target in MLMA_PROTECTED


def mlma_labels(value: str) -> list[str]:
    """Our labels for an MLMA ``sentiment`` value such as ``abusive_offensive_normal``."""
    return sorted({MLMA_MAP[part] for part in value.split("_") if part in MLMA_MAP})


def read_mlma() -> tuple[list[dict], list[dict]]:
    """(train, held-out) rows {text, labels, mlma, protected_hostile} of MLMA French: duplicates (same folded
    text) removed, a text held out when ``stable_fold(folded text, 5, "mlma") == 0`` (about 20 %)."""
    from vigie.textfold import fold

    seen, train, test = set(), [], []
    with mlma_path().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = " ".join(fold(row["tweet"]).split())
            if key in seen:
                continue
            seen.add(key)
            item = {"text": row["tweet"], "labels": mlma_labels(row["sentiment"]), "mlma": row["sentiment"],
                    "protected_hostile": mlma_protected_hostile(row["sentiment"], row["target"])}
            (test if stable_fold(key, 5, "mlma") == 0 else train).append(item)
    return train, test


def stable_fold(key: str, folds: int, salt: str = "vigie") -> int:
    """A fold number from a hash of the key: the same on every machine and Python version."""
    return int.from_bytes(hashlib.blake2b(f"{salt}:{key}".encode(), digest_size=8).digest(), "big") % folds
