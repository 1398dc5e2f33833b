"""Item pipelines of Vigie, one per module, in this order:

1. ``normalize.NormalizePipeline``: dicts and Documents validated into ``vigie.schema.Document``,
   canonical URL, cleaned text, content hash;
2. ``privacy.PrivacyPipeline``: objected authors dropped, authors pseudonymised when the watch asks;
3. ``dedup.ExactDuplicatePipeline``: unchanged items and exact copies dropped, changed pages
   turned into new versions (``version_of``);
4. ``neardup.NearDuplicatePipeline``: near-duplicates linked (``near_duplicate_of``) with MinHash LSH;
5. ``jsonl.JsonLinesWriterPipeline``: appended to the run's JSONL output;
6. ``state.StateUpdatePipeline``: recorded in the source's state once written.

They need a ``VigieSpider`` (its ``state``): with another spider they are not configured.
"""


def vigie_spider(crawler) -> bool:
    from vigie.crawlers.spiders.base import VigieSpider

    return isinstance(crawler.spidercls, type) and issubclass(crawler.spidercls, VigieSpider)
