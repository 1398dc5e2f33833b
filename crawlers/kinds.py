"""The registry of source kinds, read from the spider modules.

A kind is one module ``crawlers/spiders/<kind>.py`` (``import_.py`` for ``import``) whose
``VigieSpider`` subclass declares it::

    class FeedSpider(VigieSpider):
        kind = "feed"                     # its name in watch files
        Options = FeedOptions             # a SourceOptions model: every option it reads, typed, with defaults
        needs_url = True                  # the watch file must give url or urls
        label_fr = "Presse et fils RSS"   # how the digest names it

Nothing else lists kinds: the names come from the module names (no import), and a kind's module is
imported only when its declaration is needed.  Importing ``vigie.crawlers`` installs this registry
in ``vigie.sourcekinds``, where ``vigie.config`` finds it (the core does not import the crawlers).
"""

from __future__ import annotations

import keyword
import pkgutil
from functools import cache
from pathlib import Path

from vigie.sourcekinds import SourceKind, install

SPIDERS = Path(__file__).resolve().parent / "spiders"


@cache
def names() -> tuple[str, ...]:
    """Every kind, in alphabetical order, from the module names of ``crawlers/spiders/``."""
    found = []
    for module in pkgutil.iter_modules([str(SPIDERS)]):
        name = module.name
        if name.startswith("_") or name == "base":
            continue
        if name.endswith("_") and keyword.iskeyword(name[:-1]):
            name = name[:-1]
        found.append(name)
    return tuple(sorted(found))


@cache
def get(name: str) -> SourceKind:
    """The declaration of kind ``name``; ``LookupError`` when there is no such kind."""
    if name not in names():
        raise LookupError(f"no source kind {name!r} (known: {', '.join(names())})")
    from vigie.crawlers.spiders import spider_for

    spider = spider_for(name)
    return SourceKind(name=name, options=spider.Options, needs_url=spider.needs_url, label_fr=spider.label_fr)


def label_fr(name: str | None) -> str | None:
    """The French label of kind ``name`` (None for an unknown kind)."""
    try:
        return get(name).label_fr if name else None
    except LookupError:
        return None


class _Registry:
    names = staticmethod(names)
    get = staticmethod(get)


REGISTRY = _Registry()
install(REGISTRY)
