"""What the readers of ``vigie extract`` share: the context they get, the error they raise, helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from vigie.crawlers.extract._api import Extracted, Origin
from vigie.crawlers.extract._items import Items


class NotUnderstood(ValueError):
    """The file is not a page or payload of this kind (or of no endpoint this kind reads)."""


@dataclass
class Context:
    """What a kind's reader may need beside the body."""

    kind: str
    url: str | None
    origin: Origin
    options: Any = None  # the kind's Options model (defaults, or the source's from the watch file)
    content_type: str | None = None


Reader = Callable[[Any, Context], "Extracted | Items"]


def html_text(body: bytes) -> str:
    from vigie.crawlers.extract._encoding import decode_body

    text, _ = decode_body(body)
    return text


def need_url(ctx: Context, what: str) -> str:
    if not ctx.url:
        raise NotUnderstood(f"--url is needed: {what}")
    return ctx.url


def base_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
