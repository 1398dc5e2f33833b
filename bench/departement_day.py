"""Département day: about 600 sources and 100,000 French documents of one day through the main job.

Usage: .venv/bin/python bench/departement_day.py [--scale 1.0] [--profile fast|accurate]
                                                 [--elasticsearch-url URL] [--hosts 64] [--parallel 2]
                                                 [--batch-size 150] [--keep] [--json PATH]

The territory (``bench/territory_day.py``): the Nord's 647 communes; municipal and press RSS feeds,
Mastodon hashtags, Discourse forums and Reddit-like subreddits, about ``600 * scale`` sources
serving about ``100,000 * scale`` documents published on one day (threads with replies and
mentions, two bursts), served by the demo sites' platform modules on ``--hosts`` loopback hosts
(127.0.1.1…, from a separate process).  The watch file is generated: one watch over the
département's communes, every source with ``download_delay: 0`` (loopback) and its page limits
raised to read the whole day, NLP profile ``fast`` (the département profile; ``--profile accurate``
for the other), no recipients (the digest is written, not sent).

The main job then runs for that day stage by stage, through the same stage functions as
``vigie run`` (``vigie.stages``): collect → enrich → index → influence → alerts → digest.  For each
stage: wall time, documents per second (the day's documents the stage handled), peak memory (summed
RSS of this process and its children, the crawl and enrichment workers; the sites' process and
Elasticsearch are left out); then the Elasticsearch store size of the run's indices and the whole.

Elasticsearch: ``--elasticsearch-url`` (else ``$ELASTICSEARCH_URL``), else the project's local node
(started if needed, as ``vigie run`` does).  The run uses its own index prefix (``bench-dept-<random>``)
and deletes its indices at the end unless ``--keep``; its files live in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawl_sources import child_env, tree_rss  # noqa: E402

STAGES = ("collect", "enrich", "index", "influence", "alerts", "digest")


class PeakMemory:
    """Samples the summed RSS of this process tree (minus ``exclude``'s tree) every ``period`` seconds."""

    def __init__(self, exclude: int | None = None, period: float = 0.25):
        self.exclude, self.period, self.peak = exclude, period, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def sample(self) -> int:
        value = tree_rss(os.getpid()) - (tree_rss(self.exclude) if self.exclude else 0)
        self.peak = max(self.peak, value)
        return value

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self.sample()

    def reset(self) -> None:
        self.peak = 0
        self.sample()

    def start(self) -> PeakMemory:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def write_watch(path: Path, territory, bases: dict[str, str], profile: str, batch_size: int) -> None:
    from territory_day import DEPARTEMENT, source_entry

    codes = ", ".join(f"'{insee}'" for insee, _, _ in territory.communes)
    lines = ["settings:", f"  nlp_profile: {profile}", f"  crawl_batch_size: {batch_size}", "watches:",
             "  - id: nord", "    name: Département du Nord", "    timezone: Europe/Paris", "    territory:",
             f"      communes: [{codes}]", f"      departements: ['{DEPARTEMENT}']",
             "    own_accounts: " + json.dumps([f"Ville de {name}" for _, name, _ in territory.communes[:260]],
                                          ensure_ascii=False),
             "    sources:"]
    for source in territory.sources:
        lines += source_entry(source, bases[source.id])
    lines += ["    digest: {top_n: 5}", "    alerts: {crisis_packs: [all], slice_minutes: 15}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def store_size(client, prefix: str) -> dict[str, int]:
    stats = client.indices.stats(index=f"{prefix}-*", metric="store,docs")["_all"]
    return {"primaries_bytes": stats["primaries"]["store"]["size_in_bytes"],
            "total_bytes": stats["total"]["store"]["size_in_bytes"],
            "documents": stats["primaries"]["docs"]["count"]}


def delete_prefix(client, prefix: str) -> None:
    found = list(client.indices.get(index=f"{prefix}-*", expand_wildcards="all"))
    for start in range(0, len(found), 50):
        client.indices.delete(index=",".join(found[start:start + 50]))
    if client.indices.exists_index_template(name=f"{prefix}-*"):
        for template in client.indices.get_index_template(name=f"{prefix}-*").get("index_templates", []):
            client.indices.delete_index_template(name=template["name"])


def run_day(work: Path, scale: float, profile: str, es_url: str | None, hosts: int, parallel: int,
            batch_size: int, keep: bool, say=print, seed: int = 18, cprofile: Path | None = None) -> dict:
    """Build and serve the territory, run the six stages, measure; returns the report."""
    from territory_day import DAY, PARIS, build

    say(f"Building the territory (scale {scale})…")
    territory = build(scale, seed)
    groups = dict.fromkeys(s.group for s in territory.sources)
    counts = ", ".join(f"{g}: {sum(1 for s in territory.sources if s.group == g)}" for g in groups)
    say(f"{len(territory.sources)} sources, {territory.documents} documents published on {DAY} ({counts})")
    pycache = work / "pycache"
    env = child_env(pycache)
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("territory_day.py")), str(scale),
                               str(seed), str(hosts)], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    try:
        bases = json.loads(server.stdout.readline())
        return _measure(work, territory, bases, scale, profile, es_url, parallel, batch_size, keep, say,
                        server.pid, env, DAY, PARIS, cprofile)
    finally:
        server.terminate()
        server.wait()


def _measure(work, territory, bases, scale, profile, es_url, parallel, batch_size, keep, say, server_pid, env,
             day, paris, cprofile=None) -> dict:
    from vigie.indexes.client import connect
    from vigie.settings import Settings
    from vigie.stages import alerts, collect, enrich, index, influence
    from vigie.stages import digest as digest_stage

    config = work / "watch.yaml"
    write_watch(config, territory, bases, profile, batch_size)
    prefix = f"bench-dept-{uuid.uuid4().hex[:8]}"
    env = {**env, "VIGIE_STATE_DIR": str(work / "state"), "VIGIE_DATA_DIR": str(work / "data"),
           "VIGIE_INDEX_PREFIX": prefix, "VIGIE_NLP_PROFILE": profile}
    es_url = es_url or os.environ.get("ELASTICSEARCH_URL")
    if es_url:
        env["ELASTICSEARCH_URL"] = es_url
    else:
        from vigie.indexes.local_node import LocalNode

        node = LocalNode()   # the project's local node, as `vigie run` starts it
        say(f"Local Elasticsearch {node.version} at {node.url}…")
        node.start()
        env["ELASTICSEARCH_URL"] = node.url
    os.environ.update({k: env[k] for k in ("VIGIE_STATE_DIR", "VIGIE_DATA_DIR", "VIGIE_INDEX_PREFIX")})
    settings = Settings.resolve(config=config, env=env)
    watch = settings.watches[0]
    client = connect(settings.es, wait=60)
    start = datetime(day.year, day.month, day.day, tzinfo=paris).astimezone(UTC)   # stages name files in UTC
    end = start + timedelta(days=1)
    say(f"Watch file {config}: {len(territory.sources)} sources; Elasticsearch {settings.es.display_url}, "
        f"prefix {prefix}; profile {profile}; interval {start.isoformat()} – {end.isoformat()}")
    memory = PeakMemory(exclude=server_pid).start()
    rows: list[dict] = []
    load_before = os.getloadavg()
    began = time.perf_counter()

    def stage(name, call, docs_of):
        memory.reset()
        t0 = time.perf_counter()
        cpu0 = _cpu()
        if cprofile and name != "enrich":   # enrich forks its workers: they would inherit the profiler
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(call)
            profiler.dump_stats(str(cprofile / f"{name}.prof"))
        else:
            result = call()
        seconds = time.perf_counter() - t0
        docs = docs_of(result)
        row = {"stage": name, "seconds": round(seconds, 2), "documents": docs,
               "docs_per_s": round(docs / seconds, 1) if seconds else None,
               "peak_rss_mib": round(memory.peak / 2**20), "cpu_s": round(_cpu() - cpu0, 1),
               "load": round(os.getloadavg()[0], 1)}
        rows.append(row)
        say(f"  {name:<10} {seconds:8.1f} s  {docs:>8} docs  {row['docs_per_s'] or 0:>9.1f} docs/s  "
            f"peak {row['peak_rss_mib']:>5} MiB  CPU {row['cpu_s']:.0f} s  (load {row['load']})")
        return result

    try:
        jobs = collect.plan(settings)
        crawls = stage("collect", lambda: collect.crawl_all(settings, jobs, start, end, timeout=3000,
                                                             parallel=parallel),
                       lambda r: sum(int(c.get("written") or 0) for c in r))
        failed = [c for c in crawls if c.get("status") == "failed"]
        if failed:
            say(f"  {len(failed)} source(s) failed, e.g. {failed[0]}")
        enriched = stage("enrich", lambda: enrich.enrich(settings, watch.id, start, end), lambda r: r["enriched"])
        indexed = stage("index", lambda: index.index(settings, watch.id, enriched["path"], client=client),
                        lambda r: r["indexed"])
        scores = stage("influence", lambda: influence.influence(settings, watch, days=30, now=end, client=client),
                       lambda r: r["documents"])
        fired = stage("alerts", lambda: alerts.alerts(settings, watch, end, client=client, deliver=False),
                      lambda r: r.get("documents", 0))
        digest_day = day
        sent = stage("digest", lambda: digest_stage.digest(settings, watch, digest_day, send=False, client=client),
                     lambda r: indexed["indexed"])
        whole = time.perf_counter() - began
        client.indices.refresh(index=f"{prefix}-*")
        store = store_size(client, prefix)
        alert_titles = _alert_titles(client, settings.names, watch.id)
        report = {
            "scale": scale, "profile": profile, "sources": len(territory.sources),
            "kinds": sorted({s.kind for s in territory.sources}),
            "generated_documents": territory.documents, "failed_sources": len(failed),
            "stages": rows, "whole_seconds": round(whole, 1),
            "whole_peak_rss_mib": max(r["peak_rss_mib"] for r in rows),
            "store": store, "load_before": [round(x, 1) for x in load_before],
            "load_after": [round(x, 1) for x in os.getloadavg()], "cpus": os.cpu_count(),
            "indexed": indexed, "influence_accounts": scores.get("accounts"), "alerts": fired,
            "alert_titles": alert_titles, "digest": {k: sent.get(k) for k in ("status", "subject", "html")},
            "elasticsearch": settings.es.display_url, "prefix": prefix,
        }
        say(f"  {'whole':<10} {whole:8.1f} s  {indexed['indexed']:>8} docs  {indexed['indexed'] / whole:>9.1f} docs/s"
            f"  peak {report['whole_peak_rss_mib']:>5} MiB")
        say(f"Elasticsearch store of the run's indices: {store['primaries_bytes'] / 2**20:.1f} MiB primaries, "
            f"{store['total_bytes'] / 2**20:.1f} MiB total, {store['documents']} documents (documents, authors, "
            "alerts, digests)")
        say(f"Influence: {scores.get('accounts')} accounts; alerts: {fired.get('events')} event(s), "
            f"{len(alert_titles)} alert(s): {'; '.join(alert_titles[:4])}")
        say(f"Digest: {sent.get('status')}, « {sent.get('subject')} »")
        say(f"Load average before / after: {report['load_before']} / {report['load_after']} on {os.cpu_count()} CPUs")
        return report
    finally:
        memory.stop()
        if not keep:
            delete_prefix(client, prefix)


def _cpu() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _alert_titles(client, names, watch_id: str) -> list[str]:
    from vigie.alerts.store import AlertStore

    if not client.indices.exists(index=names.alerts_index()):
        return []
    client.indices.refresh(index=names.alerts_index())
    return [f"{a.title} (niveau {a.level}, {a.doc_count} documents)" for a in AlertStore(client, names).search(watch_id,
                                                                                                           size=20)]


def table(report: dict) -> str:
    """The report as a Markdown table."""
    lines = ["| stage | time (s) | documents | docs/s | peak memory (MiB) | CPU s |", "|---|---|---|---|---|---|"]
    for r in report["stages"]:
        lines.append(f"| {r['stage']} | {r['seconds']:.1f} | {r['documents']:,} | {r['docs_per_s'] or 0:,.0f} | "
                     f"{r['peak_rss_mib']:,} | {r['cpu_s']:.0f} |")
    whole, docs = report["whole_seconds"], report["indexed"]["indexed"]
    lines.append(f"| **whole** | **{whole:.1f}** | {docs:,} | {docs / whole:,.0f} | {report['whole_peak_rss_mib']:,} | "
                 f"{sum(r['cpu_s'] for r in report['stages']):.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 600 sources / 100,000 documents")
    parser.add_argument("--profile", choices=["fast", "accurate"], default="fast")
    parser.add_argument("--elasticsearch-url", help="an existing node (default: $ELASTICSEARCH_URL, else the "
                                                    "project's local node)")
    parser.add_argument("--hosts", type=int, default=64, help="loopback hosts the sources are spread over")
    parser.add_argument("--parallel", type=int, default=2, help="crawl processes at a time")
    parser.add_argument("--batch-size", type=int, default=150, help="sources per crawl process")
    parser.add_argument("--keep", action="store_true", help="keep the run's indices")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of each stage but enrich (this process "
                                                      "only) into this folder; enrich's workers are forked and "
                                                      "would inherit the profiler")
    args = parser.parse_args(argv)
    if args.cprofile:
        args.cprofile.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vigie-bench-dept-") as tmp:
        report = run_day(Path(tmp), args.scale, args.profile, args.elasticsearch_url, args.hosts, args.parallel,
                         args.batch_size, args.keep, cprofile=args.cprofile)
    print()
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
