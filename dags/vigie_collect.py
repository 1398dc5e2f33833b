"""
### Vigie: collect

Every hour (``VIGIE_COLLECT_SCHEDULE``), for every enabled source of every watch in the watch file
(``VIGIE_CONFIG``): **crawl** (one mapped task per source, each crawl in its own process, bounded by
the ``VIGIE_CRAWL_POOL`` pool), then per watch **enrich** (spaCy, French) and **index**
(Elasticsearch). Adding a source to the watch file adds its crawl task at the next run, without code.

A source that fails (after its retries) does not block the others: enrichment and indexing run on
what was collected, then ``check_sources`` fails the run, naming the sources that failed. Every
task is idempotent for its data interval; data moves as files under
``$VIGIE_DATA_DIR`` and only paths and counts go through XCom.
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

        return collect.plan(common.settings())

    @task(pool=common.crawl_pool(), map_index_template="{{ job.watch }}/{{ job.source }}")
    def crawl(job: dict) -> dict:
        from vigie.stages import collect

        start, end = common.run_interval(get_current_context(), PERIOD)
        return collect.crawl(common.settings(), job["watch"], job["source"], start, end)

    @task(trigger_rule="all_done")
    def watch_ids(jobs: list[dict]) -> list[str]:
        """The watches to enrich, once every crawl has finished, failed or not."""
        return list(dict.fromkeys(job["watch"] for job in jobs))

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
    def check_sources(jobs: list[dict]) -> int:
        """Last: the run is marked failed when a source failed, after the others were indexed."""
        from vigie.stages import collect

        failed = collect.failures(common.settings(), jobs, *common.run_interval(get_current_context(), PERIOD))
        if failed:
            raise RuntimeError(f"{len(failed)} source(s) failed: " + "; ".join(failed))
        return len(jobs)

    @task
    def indexed_all() -> None:
        """Succeeds only when every watch was enriched and indexed (a leaf: else the run fails)."""

    jobs = plan()
    crawled = crawl.expand(job=jobs)
    ids = watch_ids(jobs)
    crawled >> ids
    indexed = index.expand(enriched=enrich.expand(watch_id=ids))
    indexed >> check_sources(jobs)
    indexed >> indexed_all()


vigie_collect()
