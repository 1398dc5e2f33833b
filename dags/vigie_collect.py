"""
### Vigie: collect

Every hour (``VIGIE_COLLECT_SCHEDULE``), for every enabled source of every watch in the watch file
(``VIGIE_CONFIG``): **crawl** (one mapped task per batch of ``VIGIE_CRAWL_BATCH_SIZE`` sources, 50 by
default, each batch crawled by one process, its sources concurrently; bounded by the
``VIGIE_CRAWL_POOL`` pool), then per watch **enrich** (spaCy, French) and **index** (Elasticsearch).
Adding a source to the watch file adds it to a batch at the next run, without code.

A source that fails fails its batch's task, which names it (a retry crawls again only the sources
of the batch that failed); it does not block the others: enrichment and indexing run on what was
collected, then ``check_sources`` fails the run, naming the sources that failed. Every task is
idempotent for its data interval; data moves as files under ``$VIGIE_DATA_DIR`` and only paths and
counts go through XCom.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, get_current_context, task

from vigie.dags import common

PERIOD = timedelta(hours=1)


@dag(dag_id="vigie_collect", schedule=common.schedule("collect", "@hourly"), start_date=common.START,
     catchup=False, max_active_runs=1, default_args=common.default_args(), tags=[*common.TAGS, "collect"],
     doc_md=__doc__)
def vigie_collect():
    @task
    def plan() -> list[dict]:
        from vigie.stages import collect

        return collect.batches(common.settings())

    @task(pool=common.crawl_pool(), map_index_template="{{ batch.label }}")
    def crawl(batch: dict) -> dict:
        from vigie.stages import collect

        context = get_current_context()
        start, end = common.run_interval(context, PERIOD)
        retry = getattr(context.get("ti"), "try_number", 1) > 1
        return collect.crawl_batch(common.settings(), batch["jobs"], start, end, skip_done=retry)

    @task(trigger_rule="all_done")
    def watch_ids(batches: list[dict]) -> list[str]:
        """The watches to enrich, once every crawl has finished, failed or not."""
        return list(dict.fromkeys(job["watch"] for batch in batches for job in batch["jobs"]))

    @task(map_index_template="{{ watch_id }}")
    def enrich(watch_id: str) -> dict:
        from vigie.stages import enrich as stage

        start, end = common.run_interval(get_current_context(), PERIOD)
        return stage.enrich(common.settings(), watch_id, start, end)

    @task(map_index_template="{{ enriched.watch }}")
    def index(enriched: dict) -> dict:
        from vigie.stages import index as stage

        return stage.index(common.settings(), enriched["watch"], enriched["path"])

    @task(trigger_rule="all_done")
    def check_sources(batches: list[dict]) -> int:
        """Last: the run is marked failed when a source failed, after the others were indexed."""
        from vigie.stages import collect

        jobs = [job for batch in batches for job in batch["jobs"]]
        failed = collect.failures(common.settings(), jobs, *common.run_interval(get_current_context(), PERIOD))
        if failed:
            raise RuntimeError(f"{len(failed)} source(s) failed: " + "; ".join(failed))
        return len(jobs)

    @task
    def indexed_all() -> None:
        """Succeeds only when every watch was enriched and indexed (a leaf: else the run fails)."""

    batches = plan()
    crawled = crawl.expand(batch=batches)
    ids = watch_ids(batches)
    crawled >> ids
    indexed = index.expand(enriched=enrich.expand(watch_id=ids))
    indexed >> check_sources(batches)
    indexed >> indexed_all()


vigie_collect()
