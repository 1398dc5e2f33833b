"""The demo territory's websites and platform APIs, served on 127.0.0.1 from the demo documents.

    from vigie.demo.sites import DEMO_ENV, DemoSites, write_demo_config

    with DemoSites(port=0) as sites:               # port=0: a free port; default VIGIE_DEMO_PORT or 8740
        config = write_demo_config(tmp, sites.base_url)   # config/demo.yaml pointed at sites.base_url
        crawl_source(config, "lambersart", "mastodon-59", out, env={**os.environ, **DEMO_ENV})

One module per platform format, each generated from ``vigie/demo/lambersart.jsonl``: ``rss``
(the local press), ``facebook`` (the town's page, Graph API), ``mastodon``, ``discourse``,
``reddit`` and ``decidim`` (GraphQL).  ``python -m vigie.demo.sites [--port N]`` serves them until
killed.  ``DEMO_ENV`` holds the fake credentials the demo sources name; put it in the crawl's
environment.
"""

from __future__ import annotations

from vigie.demo.sites.config import DEMO_CONFIG, write_demo_config
from vigie.demo.sites.facebook import DEMO_TOKEN as _FB_TOKEN
from vigie.demo.sites.server import CONFIG_PORT, DemoPortBusy, DemoSites, default_port

DEFAULT_PORT = CONFIG_PORT
# Fake credentials for the demo sources; the demo sites accept these and nothing else.
DEMO_ENV: dict[str, str] = {"VIGIE_DEMO_FB_TOKEN": _FB_TOKEN}

__all__ = ["DEFAULT_PORT", "DEMO_CONFIG", "DEMO_ENV", "DemoPortBusy", "DemoSites", "default_port",
           "write_demo_config"]
