"""One spider per source kind: ``crawlers/spiders/<kind>.py`` (``import_.py`` for
``import``, a Python keyword) holds a ``VigieSpider`` subclass.

``spider_for(kind)`` imports that module and returns the subclass whose ``kind`` matches, so a
new kind needs no registration (see ``base.py`` for how a spider plugs in).  The subclass declares
the kind: ``Options`` (its typed options), ``needs_url`` and ``label_fr``, which
``vigie.crawlers.kinds`` reads for ``vigie config check`` and the digest.
"""

from __future__ import annotations

import importlib
import inspect
import keyword


def spider_for(kind: str) -> type:
    from vigie.crawlers.spiders.base import VigieSpider

    name = f"{kind}_" if keyword.iskeyword(kind) else kind  # import -> import_.py
    try:
        module = importlib.import_module(f"vigie.crawlers.spiders.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"vigie.crawlers.spiders.{name}":
            raise LookupError(f"no spider for source kind {kind!r} yet (crawlers/spiders/{kind}.py)") from None
        raise
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if issubclass(obj, VigieSpider) and obj is not VigieSpider and obj.kind == kind:
            return obj
    raise LookupError(f"crawlers/spiders/{kind}.py defines no VigieSpider subclass with kind = {kind!r}")
