"""Extraction as pure code: one module per source kind, functions of bytes/text/JSON.

Each ``extract/<kind>.py`` turns a saved payload or page into plain dicts of Document
fields (``item_id``, ``text``, ``published_at``, ``author``…) or into the next URLs to
fetch.  No Scrapy, no I/O: they are unit-tested on files under
``tests/fixtures/sites/<kind>/``.  Spiders call them and add the source fields
(``VigieSpider.document``).  Helpers shared by several kinds live in ``_html.py``,
``_dates.py`` and ``_encoding.py``.
"""
