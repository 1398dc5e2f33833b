"""URLs in messages and logs, without the secrets people write in them."""

from __future__ import annotations

import re


def redact_url(url: str | None) -> str:
    """``url`` as scheme, host, port and path: never a user name or password, nor a query string or fragment
    (``?api_key=…``).

    The host is what follows the *last* ``@``: a password written with an unencoded ``@``, ``/``, ``?`` or
    ``#`` (``http://elastic:p@ss/w#rd@host:9200``) shows none of its parts.  A path holding an ``@`` is cut
    too: over-redaction is the safe side.
    """
    scheme, sep, rest = (url or "").partition("://")
    if not sep:
        scheme, rest = "", scheme
    rest = rest.rpartition("@")[2]
    rest = re.split(r"[?#]", rest, maxsplit=1)[0]
    return f"{scheme}{sep}{rest}"
