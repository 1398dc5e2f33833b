"""Helpers shared by Vigie's own components."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:  # the enrichment's parent process imports ``batches`` and must not load spaCy
    from spacy.tokens import Doc

T = TypeVar("T")


def add_flag(doc: Doc, flag: str) -> None:
    """Append a processing flag once (``doc._.flags`` starts as None: never a shared default)."""
    flags = list(doc._.flags or [])
    if flag not in flags:
        flags.append(flag)
    doc._.flags = flags


def singular(word: str) -> str:
    """A crude French singular for matching ("poubelles" → "poubelle", "travaux" stays)."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("aux", "ss", "us", "is")):
        return word[:-1]
    return word


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter): a component's ``pipe`` scores a batch at once, and
    the enrichment hands its workers a batch at a time."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))
