"""Decoding bodies that lie about their charset."""

from __future__ import annotations

import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def decode_body(body: bytes, declared: str | None = None) -> tuple[str, bool]:
    """Text of ``body`` and whether it needed repairing.

    The declared charset (HTTP header, then ``<meta charset>``) is tried first; when it
    does not decode cleanly (a Latin-1 page served as UTF-8, or the reverse), the charset
    is guessed (UTF-8, then Windows-1252, then detection), and remaining mojibake (``Ã©`` for ``é``) is fixed with ftfy.
    """
    candidates = []
    if declared:
        candidates.append(declared)
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "cp1252"]  # French sites that are not UTF-8 are almost always Windows-1252
    for index, charset in enumerate(candidates):
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
        fixed = fix_mojibake(text)
        return fixed, index > 0 or fixed != text
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    text = str(best) if best is not None else body.decode("cp1252", errors="replace")
    return fix_mojibake(text), True


def fix_mojibake(text: str) -> str:
    if "Ã" not in text and "â€" not in text:
        return text
    import ftfy

    return ftfy.fix_text(text, normalization="NFC")
