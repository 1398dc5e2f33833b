"""Imported once by the crawl worker (``tests/crawlers/worker.py``) before it forks the crawls:
Scrapy's default components, Vigie's spiders, extractors, pipelines and middlewares.  Nothing
here may install Twisted's reactor (each crawl installs its own)."""

from __future__ import annotations

import importlib
import pkgutil
import sys


def _preload() -> None:
    from scrapy.settings import default_settings
    from scrapy.utils.misc import load_object

    import vigie.crawlers.extract
    import vigie.crawlers.middlewares
    import vigie.crawlers.pipelines
    import vigie.crawlers.spiders
    from vigie.crawlers import run, settings, state, summary  # noqa: F401

    for package in (vigie.crawlers.spiders, vigie.crawlers.extract, vigie.crawlers.pipelines,
                    vigie.crawlers.middlewares):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    paths: list[str] = []
    for name in dir(default_settings):
        value = getattr(default_settings, name)
        values = list(value) + list(value.values()) if isinstance(value, dict) else [value]
        paths += [v for v in values if isinstance(v, str) and v.startswith("scrapy.") and "." in v[7:]]
    for path in paths:
        try:
            load_object(path)
        except Exception:  # an optional component (e.g. no boto): the crawl loads it if it is used
            continue
    importlib.import_module("scrapy.crawler")
    importlib.import_module("scrapy.core.engine")
    assert "twisted.internet.reactor" not in sys.modules, "the crawl worker must not install a reactor"


_preload()
