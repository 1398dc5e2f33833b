"""The stages of a watch as plain functions, for the Airflow DAGs, `vigie run` and `vigie demo`.

Each stage takes the run's ``Settings``, a watch and a time interval, reads and writes files under
the settings' data folder (see ``layout``) and returns a small JSON-able summary: the DAGs pass those
summaries (paths and counts, never documents) between tasks.  Every stage is idempotent for its
interval: crawls append only new documents, enrichment rewrites its file, indexing writes by ``_id``,
alerts and digests go through their delivery logs.

| module | stage |
|---|---|
| ``layout`` | where each stage's files live |
| ``collect`` | the (watch, source) plan and one crawl, in its own process |
| ``enrich`` | a watch's raw files of one interval -> one enriched file |
| ``index`` | an enriched file -> Elasticsearch |
| ``influence`` | author scores -> the authors index |
| ``alerts`` | detection over the index at the end of a slice, then delivery |
| ``digest`` | the daily digest of one watch |
| ``maintenance`` | retention, queued erasure requests, index housekeeping |
| ``mainjob`` | the whole chain once, without Airflow (``vigie run``, ``vigie demo``) |
"""
