"""Text fingerprints shared by the pipelines and the state: content hashes and MinHash.

Pure functions, no Scrapy: ``normalise_text`` folds whitespace and case so that a
re-formatted page keeps its hash; ``minhash`` signs word 3-shingles so that two
copies of a syndicated article with a different header or footer are near each other.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
import zlib

import numpy as np

NUM_PERM = 64
SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


# the last (text, normalised form): the pipelines normalise the same string twice (content hash, then
# the MinHash words); one tuple, replaced whole, so that a reader never pairs a text with another's form
_LAST_NORMALISED: list[tuple[object, str]] = [(None, "")]


def normalise_text(text: str) -> str:
    last = _LAST_NORMALISED[0]
    if text is last[0]:  # the very same string object
        return last[1]
    normalised = " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()
    _LAST_NORMALISED[0] = (text, normalised)
    return normalised


def content_hash(text: str, title: str | None = None) -> str:
    """Hash (32 hex) of the normalised main text; the title counts only when there is no text."""
    basis = normalise_text(text) or normalise_text(title or "")
    return hashlib.blake2b(basis.encode(), digest_size=16).hexdigest()


def fingerprint(*parts: object) -> str:
    """Short hash of several values: what makes a re-crawled item "changed"."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.blake2b(joined.encode(), digest_size=12).hexdigest()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise_text(text))


_PERMUTATIONS: list = []
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def _word_crcs(tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))


def _shingles(tokens: list[str]) -> np.ndarray:
    """The 32-bit hashes of the word 3-shingles, in text order, repeats kept (uint64 array)."""
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    words_crc = _word_crcs(tokens)
    if len(words_crc) < 3:
        return np.array([np.bitwise_xor.reduce(words_crc)], dtype=np.uint64)
    mixed = (words_crc[:-2] * np.uint64(0x9E3779B1) + words_crc[1:-1] * np.uint64(0x85EBCA77)
             + words_crc[2:] * np.uint64(0xC2B2AE3D))
    mixed ^= mixed >> np.uint64(29)
    return mixed & np.uint64(0xFFFFFFFF)


def shingle_hashes(tokens: list[str]) -> list[int]:
    """The distinct 32-bit hashes of the word 3-shingles, sorted: CRC-32 of each word, combined three
    by three with numpy (building and hashing the shingle strings one by one cost more than the rest of
    the pipelines together)."""
    return np.unique(_shingles(tokens)).tolist()


def _permutations():
    from datasketch import MinHash

    if not _PERMUTATIONS:
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations)
    return _PERMUTATIONS[0]


def minhash(tokens: list[str]):
    """MinHash (datasketch, 64 permutations drawn once per process with a fixed seed, so that
    signatures compare across runs) of the word 3-shingles of ``tokens``.

    The hash values are computed here with numpy, as datasketch's ``update_batch`` computes them
    for the ``affine32`` scheme (MurmurHash3 finaliser, then ``a * h + b`` wrapping in 32 bits,
    minimum over the shingles), without its per-value Python loop: the same signature, bit for bit
    (``tests/crawlers/test_dedup.py``), in a third of the time."""
    from datasketch import MinHash

    permutations = _permutations()
    hashes = _shingles(tokens)  # repeats left in: a minimum does not change with them
    if not len(hashes):
        return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=int, permutations=permutations)
    s1, m1, s2, m2 = _FMIX32
    hv = hashes.astype(np.uint32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s1)).reshape(-1, 1)
    a, b = permutations
    values = (hv * a + b).min(axis=0)
    return MinHash(scheme=SCHEME, hashfunc=int, hashvalues=values, permutations=permutations)


def encode_signature(m) -> str:
    return base64.b64encode(np.asarray(m.hashvalues, dtype="<u4").tobytes()).decode()


def decode_signature(data: str):
    from datasketch import MinHash

    values = np.frombuffer(base64.b64decode(data), dtype="<u4").astype(np.uint64)
    if len(values) != NUM_PERM:
        raise ValueError("signature of another MinHash size")
    return MinHash(hashvalues=values, scheme=SCHEME)
