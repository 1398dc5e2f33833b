"""Crawled text is hostile: make it inert before it reaches a terminal or a plain-text report."""

from __future__ import annotations

import re

# C0 and C1 control characters (ANSI escape sequences start with ESC or CSI), except tab and newline,
# plus the Unicode bidirectional overrides that can disguise text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str | None, limit: int | None = None) -> str:
    """The text without control characters, cut to ``limit`` characters with an ellipsis."""
    clean = CONTROL.sub("", text or "")
    if limit is not None and len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean
