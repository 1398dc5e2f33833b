"""The whole main job on the embedded default: `vigie demo` (and `make demo`).

Local Elasticsearch node → the demo territory's sites on 127.0.0.1 → collect (one crawl process per
source) → enrich → index → influence → alerts → digest, written to a file and delivered to a local
SMTP sink, then a short summary.  The stages are the ones the Airflow DAGs run (``vigie.stages``).

The demo's documents were published from 2 to 19 November 2026, so the demo runs its time-bound
stages on the *demo clock*: alerts are detected up to the last document, and the digest covers the
last full day before it, as the email sent the next morning at the watch's time would.

Idempotent like the stages: a second run crawls nothing new, indexes nothing twice and sends no
alert or digest again (it says so).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from vigie.settings import Settings
from vigie.stages.mainjob import WatchRun


@dataclass(slots=True)
class DemoResult(WatchRun):
    """The demo watch's run (``WatchRun``: crawls, enriched, indexed, influence, alerts, digest, failures)
    and what the demo adds: the index's counts per source, the alerts stored, the mail and webhooks received."""

    settings: Settings | None = None
    per_source: dict[str, int] = field(default_factory=dict)
    alert_titles: list[str] = field(default_factory=list)
    mail_dir: Path | None = None
    mails: list[str] = field(default_factory=list)
    webhooks: int = 0
    seconds: float = 0.0

    @property
    def failed_sources(self) -> list[str]:
        return [f"{c['source']}: {c['error']}" for c in self.crawls if c["status"] == "failed"]


def demo_clock(client, names, watch) -> tuple[datetime, date]:
    """(end of the alert detection, day of the digest) from the newest document of the watch."""
    found = client.search(index=names.watch_alias(watch.id), size=0,
                          aggs={"newest": {"max": {"field": "published_at"}}})
    newest = found["aggregations"]["newest"]["value"]
    if newest is None:
        now = datetime.now(UTC)
        return now, (now.astimezone(ZoneInfo(watch.timezone)) - timedelta(days=1)).date()
    last = datetime.fromtimestamp(newest / 1000, UTC)
    slice_end = datetime.fromtimestamp((int(last.timestamp()) // 900 + 1) * 900, UTC)
    return slice_end, (last.astimezone(ZoneInfo(watch.timezone)) - timedelta(days=1)).date()


def run_demo(say: Callable[[str], None] = print, port: int | None = None, parallel: int = 3,
             env: Mapping[str, str] | None = None) -> DemoResult:
    """``vigie run`` on the demo territory, served on 127.0.0.1 with a local SMTP sink, on the demo's clock.

    ``env`` is the environment to start from (default: the process's)."""
    import time

    from vigie.demo.sites import DemoSites, write_demo_config
    from vigie.demo.smtp_sink import SmtpSink
    from vigie.indexes.client import connect
    from vigie.indexes.local_node import LocalNode
    from vigie.stages import mainjob
    from vigie.stages.layout import interval

    started = time.monotonic()
    base = Settings.resolve(env=env)  # the edge: the state folder and Elasticsearch of this run
    if not base.es.external:
        node = LocalNode(state=base.state_dir)
        say(f"Local Elasticsearch {node.version} at {node.url} (the first run downloads it)…")
        node.start()
    demo_dir = base.state_dir / "demo"
    with DemoSites(port=port) as sites, SmtpSink(demo_dir / "mail") as sink:
        config = write_demo_config(demo_dir, sites.base_url)
        # The demo's own variables (the sites' fake tokens, webhook URLs, the SMTP sink) go to the stages
        # through the settings, never into os.environ.
        settings = Settings.resolve(config=config, env={**base.env, **sites.env, **sink.env})
        client = connect(settings.es, wait=60)
        watch = settings.watches[0]
        say(f"Demo territory « {watch.name} » served at {sites.base_url}; mail goes to {sink.folder}")
        outcome = mainjob.run(settings, watch_ids=[watch.id], interval=interval(None, datetime.now(UTC),
                                                                                   timedelta(hours=1)),
                              clock=demo_clock, parallel=parallel, client=client, say=say)
        done = outcome.watches[watch.id]
        result = DemoResult(**{name: getattr(done, name) for name in WatchRun.__slots__},
                            settings=settings, mail_dir=sink.folder)
        result.per_source = _per_source(client, settings.names, watch.id)
        result.alert_titles = _alert_titles(client, settings.names, watch.id)
        result.mails = [str(path) for _, _, path in sink.messages]
        result.webhooks = len(sites.hooks.received)
    result.seconds = time.monotonic() - started
    return result


def _per_source(client, names, watch_id: str) -> dict[str, int]:
    found = client.search(index=names.watch_alias(watch_id), size=0,
                          aggs={"s": {"terms": {"field": "source_id", "size": 100}}})
    return {b["key"]: b["doc_count"] for b in found["aggregations"]["s"]["buckets"]}


def _alert_titles(client, names, watch_id: str) -> list[str]:
    from vigie.alerts.store import AlertStore

    if client.indices.exists(index=names.alerts_index()):
        client.indices.refresh(index=names.alerts_index())
    return [f"{a.title} (level {a.level}, {a.doc_count} documents, {a.status})"
            for a in AlertStore(client, names).search(watch_id, size=20)]

