"""The ``vigie`` command line.  Heavy imports stay inside commands."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from vigie.clikit import CONFIG_HELP, EXIT_CLUSTER, escape, handles_errors, settings_for
from vigie.clikit import console as _console
from vigie.clikit import fail as _fail


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log progress and details.")
@click.version_option(package_name="vigie")
def main(verbose: bool) -> None:
    """Vigie: social listening and territorial watch for French local authorities."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("elastic_transport").setLevel(logging.INFO if verbose else logging.ERROR)


# --------------------------------------------------------------------------- es
@main.group()
def es() -> None:
    """Manage the local Elasticsearch node (127.0.0.1, data under .vigie/es)."""


def _node(port: int | None = None, heap: str | None = None):
    from vigie.indexes.local_node import LocalNode

    return LocalNode(port=port, heap=heap)


@es.command("start")
@click.option("--port", type=int, help="HTTP port (default: $VIGIE_ES_PORT or 9200).")
@click.option("--heap", help="JVM heap, e.g. 512m (default: $VIGIE_ES_HEAP or 512m).")
@click.option("--timeout", type=float, default=180, show_default=True, help="Seconds to wait for health.")
@handles_errors
def es_start(port, heap, timeout) -> None:
    """Download (once), start and wait until the node is healthy."""
    node = _node(port, heap)
    if node.pid() and node.health():
        click.echo(f"Elasticsearch {node.version} is already running at {node.url}")
        return
    click.echo(f"Starting Elasticsearch {node.version} on {node.url} (first run downloads it)…")
    status = node.start(timeout=timeout)
    click.echo(f"Elasticsearch {status['version']} is up at {status['url']} "
               f"(cluster {status['cluster_status']}, data in {status['data']})")


@es.command("stop")
@click.option("--port", type=int)
@handles_errors
def es_stop(port) -> None:
    """Stop the local node."""
    node = _node(port)
    click.echo("Elasticsearch stopped." if node.stop() else "Elasticsearch was not running.")


@es.command("status")
@click.option("--port", type=int)
@click.option("--json", "as_json", is_flag=True)
@handles_errors
def es_status(port, as_json) -> None:
    """Say whether the local node runs, where, and its health."""
    status = _node(port).status()
    if as_json:
        click.echo(json.dumps(status, indent=2))
    elif status["running"]:
        click.echo(f"running: Elasticsearch {status['version']} at {status['url']}, pid {status['pid']}, "
                   f"cluster {status['cluster_status']}, data in {status['data']}")
    else:
        click.echo(f"not running (would listen on {status['url']}); start it with `vigie es start`")
    sys.exit(0 if status["running"] else 1)


# ----------------------------------------------------------------- config/setup
@main.group()
def config() -> None:
    """Watch configuration files."""


@config.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@handles_errors
def config_check(path: Path) -> None:
    """Validate a watch file and summarise it."""
    from vigie.config import load_config

    watches = load_config(path)
    for watch in watches.watches:
        kinds = ", ".join(sorted({s.kind for s in watch.sources})) or "no source"
        click.echo(f"{watch.id}: {watch.name} — {len(watch.territory.communes)} commune(s), "
                   f"{len(watch.sources)} source(s) ({kinds})")
    click.echo(f"{path}: OK")


def _connect(settings):
    from vigie.indexes.client import connect

    return connect(settings.es)


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP + " Adds its watch aliases.")
@click.option("--shards", metavar="N",
              help="Primary shards of each monthly documents index created from now on, 1 to 64 (default: "
              "$VIGIE_INDEX_SHARDS, else the watch file's settings.index_shards, else the template's, else 1). "
              "Existing indices keep theirs.")
@handles_errors
def setup(config_path: Path | None, shards: str | None) -> None:
    """Install the index template and aliases (idempotent)."""
    from vigie.indexes.setup import install

    settings = settings_for(config_path, index_shards=shards)
    result = install(_connect(settings), [w.id for w in settings.watches], names=settings.names,
                     shards=settings.index_shards)
    click.echo(f"template installed ({result['flavour']} French analysis, {result['shards']} primary shard(s) "
               f"per new monthly index); watch aliases: {', '.join(result['aliases']) or 'none'}")
    if result["warning"]:
        click.echo(f"warning: {result['warning']}", err=True)


# ------------------------------------------------------------------ index/search
@main.command("index")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP + " Adds its watch aliases.")
@click.option("--watch", "watch_id", help="Add this watch id to every document.")
@click.option("--rejects", type=click.Path(path_type=Path), help="Rejects file (default: FILE.rejects.jsonl).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@handles_errors
def index_cmd(path: Path, config_path, watch_id, rejects, as_json) -> None:
    """Index a JSON Lines file of Documents (full or minimal: id, text, published_at)."""
    from vigie.indexes.setup import install
    from vigie.indexes.writer import index_file

    settings = settings_for(config_path)
    client = _connect(settings)
    watch_ids = [w.id for w in settings.watches] + ([watch_id] if watch_id else [])
    install(client, watch_ids, names=settings.names, shards=settings.index_shards)
    report = index_file(client, path, rejects_path=rejects, watch_id=watch_id, names=settings.names)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(f"{path}: {report.read} line(s) read, {report.indexed} indexed "
                   f"({report.created} new, {report.updated} updated), {len(report.rejects)} rejected")
        for reject in report.rejects[:10]:
            click.echo(f"  line {reject.line}: {reject.reason}", err=True)
        if len(report.rejects) > 10:
            click.echo(f"  … and {len(report.rejects) - 10} more", err=True)
        if report.rejects_path:
            click.echo(f"rejected lines and reasons: {report.rejects_path}")


def print_hits(total: int, hits, query: str) -> None:
    """Hits as a numbered list: readable in any terminal width."""
    console = _console()
    if not hits:
        console.print(f"Aucun résultat pour « {escape(query, 200)} ».")
        return
    console.print(f"[bold]{total} résultat(s) pour « {escape(query, 200)} »[/bold]"
                  + (f" (les {len(hits)} premiers)" if total > len(hits) else ""))
    for rank, hit in enumerate(hits, start=1):
        src = hit.source
        when = (src.get("published_at") or "")[:16].replace("T", " ")
        eng = src.get("engagement") or {}
        figures = " ".join(f"{label} {eng[key]}" for key, label in
                           (("likes", "j'aime"), ("shares", "partages"), ("replies", "réponses"))
                           if eng.get(key))
        console.print(f"\n[bold]{rank}.[/bold] {when} · {escape(src.get('platform'))}/{escape(src.get('source_id'))}"
                      + (f" · {figures}" if figures else ""), markup=True)
        if src.get("title"):
            console.print(f"   [bold]{escape(src['title'], 300)}[/bold]")
        console.print(f"   {escape(hit.snippet, 600)}")
        if src.get("url"):
            console.print(f"   {escape(src['url'], 300)}", style="dim")


def print_table(total: int, hits, query: str) -> None:
    from rich.table import Table

    console = _console()
    table = Table(title=f"{total} résultat(s) pour « {escape(query or '*', 200)} »", show_lines=False, expand=True)
    for column in ("Date", "Source", "Thèmes", "Tonalité", "Extrait"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        src = hit.source
        table.add_row(
            (src.get("published_at") or "")[:16].replace("T", " "),
            escape(f"{src.get('platform')}/{src.get('source_id')}"),
            escape(", ".join(src.get("topics") or []), 200),
            escape((src.get("sentiment") or {}).get("label") or "", 20),
            escape((src.get("title") + " — " if src.get("title") else "") + hit.snippet, 600),
        )
    console.print(table)


@main.command()
@click.argument("query", default="")
@click.option("--watch", "watch_id", help="Only this watch's documents.")
@click.option("--topic", "topics", multiple=True, help="Topic id (repeatable), e.g. voirie.")
@click.option("--commune", "communes", multiple=True, help="Commune named in the text: INSEE code or name.")
@click.option("--sentiment", type=click.Choice(["negative", "neutral", "positive"]))
@click.option("--since", help="From this date (2026-11-01) or for the last 24h / 7d / 2w.")
@click.option("--source", "sources", multiple=True, help="Source id, platform or source kind (repeatable).")
@click.option("--request", is_flag=True, help="Only citizen requests not yet answered.")
@click.option("--author", "authors", multiple=True, help="Author handle (repeatable), e.g. for an access request.")
@click.option("--size", type=click.IntRange(1, 10_000), default=10, show_default=True,  # indexes.search.MAX_SIZE
              help="Number of hits, 1 to 10,000.")
@click.option("--format", "fmt", type=click.Choice(["list", "table", "json"]), default="list", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json: one JSON object per hit.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@handles_errors
def search(query: str, watch_id, topics, communes, sentiment, since, sources, request, authors, size, fmt,
           as_json, config_path) -> None:
    """French full-text search: "phrases", -exclusions, a | b; filters narrow it down."""
    from elasticsearch import NotFoundError

    from vigie.indexes.search import Filters, SearchRejected, check_query, parse_since
    from vigie.indexes.search import search as run_search
    from vigie.textsafe import inert, printable

    if since:
        try:
            parse_since(since)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from None
    filters = Filters(topics=list(topics), communes=list(communes), sentiment=sentiment, since=since,
                      sources=list(sources), request=request, authors=list(authors))
    try:
        check_query(query, size)  # before connecting: a query refused anyway is said so, even with no cluster
        settings = settings_for(config_path)
        total, hits = run_search(_connect(settings), query, watch_id=watch_id, size=size, filters=filters,
                                 names=settings.names, timeout=settings.search_timeout)
    except NotFoundError:
        scope = f"watch {watch_id!r}" if watch_id else "Vigie"
        _fail(f"no index for {scope} yet: index documents first (`vigie index FILE`)", 1)
    except SearchRejected as exc:
        _fail(printable(str(exc), 400), 2)
    if as_json or fmt == "json":
        for hit in hits:  # crawled text without control or bidirectional characters
            click.echo(json.dumps(inert({"doc_id": hit.doc_id, "score": hit.score, "snippet": hit.snippet,
                                         **hit.source}), ensure_ascii=False))
    elif fmt == "table" and hits:
        print_table(total, hits, query)
    else:
        print_hits(total, hits, query or "*")


# ---------------------------------------------------------------------- kibana
@main.group()
def kibana() -> None:
    """Kibana saved objects per watch: data views, saved searches, visualisations, dashboard."""


def _watch_view(config_path: Path | None, watch_id: str, space: str | None = None, basemap: bool = True):
    from vigie.indexes.kibana.context import watch_view

    settings = settings_for(config_path)
    return watch_view(settings.watch(watch_id), settings.names, space=space, basemap=basemap)


SPACE_HELP = "Kibana space id (default: the default space); the objects get ids of their own in each space."
BASEMAP_HELP = "Draw the map without Elastic Maps Service tiles (for a Kibana that cannot reach them)."


@kibana.command("export")
@click.option("--watch", "watch_id", required=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="NDJSON file to write.")
@click.option("--space", help=SPACE_HELP)
@click.option("--no-basemap", is_flag=True, help=BASEMAP_HELP)
@handles_errors
def kibana_export(watch_id: str, config_path: Path | None, out: Path, space: str | None, no_basemap: bool) -> None:
    """Write the watch's saved objects as an NDJSON file for Kibana 8.8+ and 9.x."""
    from vigie.indexes.kibana.export import export_ndjson

    result = export_ndjson(_watch_view(config_path, watch_id, space, not no_basemap), out)
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(result["by_type"].items()))
    click.echo(f"{out}: {result['objects']} saved objects ({kinds})")


@kibana.command("import")
@click.option("--url", envvar="KIBANA_URL", required=True, help="Kibana URL (or $KIBANA_URL).")
@click.option("--watch", "watch_id", required=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--space", help=SPACE_HELP)
@click.option("--no-basemap", is_flag=True, help=BASEMAP_HELP)
@click.option("--file", "ndjson", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Import this export (made with the same --space) instead of building it now.")
@handles_errors
def kibana_import(url: str, watch_id: str, config_path: Path | None, space: str | None, no_basemap: bool,
                  ndjson: Path | None) -> None:
    """Create or overwrite the watch's saved objects in Kibana (credentials: KIBANA_API_KEY or user/password)."""
    import tempfile

    from vigie.indexes.kibana.export import export_ndjson
    from vigie.indexes.kibana.importer import KibanaImportError, import_ndjson

    with tempfile.TemporaryDirectory() as tmp:
        if ndjson is None:
            ndjson = Path(tmp) / f"vigie-{watch_id}.ndjson"
            export_ndjson(_watch_view(config_path, watch_id, space, not no_basemap), ndjson)
        try:
            report = import_ndjson(url, ndjson, space=space)
        except KibanaImportError as exc:
            _fail(str(exc), EXIT_CLUSTER)
    for label, items in (("created", report.created), ("overwritten", report.overwritten)):
        click.echo(f"{len(items)} {label}")
        for kind, title in items:
            click.echo(f"  {kind}: {title}")
    if report.copies:
        click.echo(f"{len(report.copies)} created as copies under new ids (their ids are used in another space; "
                   "export with --space to give them ids of their own)", err=True)
    if report.errors:
        click.echo(f"{len(report.errors)} failed", err=True)
        for kind, title, reason in report.errors:
            click.echo(f"  {kind}: {title} — {reason}", err=True)
        sys.exit(1)


# ----------------------------------------------------------------------- run
@main.command("run")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--watch", "watch_ids", multiple=True, help="Only this watch (repeatable; default: every watch).")
@click.option("--interval", help="START/END in ISO 8601 (default: the current UTC hour).")
@click.option("--parallel", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Sources crawled at the same time (one process each).")
@click.option("--no-send", is_flag=True, help="Write the digests without emailing them.")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default=None,
              help="NLP profile of every watch (default: $VIGIE_NLP_PROFILE, else each watch's nlp_profile, "
                   "else the file's settings.nlp_profile, else accurate).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
@handles_errors
def run_cmd(config_path, watch_ids, interval, parallel, no_send, profile, as_json) -> None:
    """The main job on your watch file, without Airflow: collect → enrich → index → influence → alerts →
    digest, through the same stages as the DAGs.  Re-running the same interval adds and sends nothing twice."""
    from dataclasses import asdict

    from vigie.intervals import parse_interval
    from vigie.stages import mainjob

    settings = settings_for(config_path)
    if profile:
        from dataclasses import replace

        settings = replace(settings, nlp_profile=profile)
    try:
        span = parse_interval(interval)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--interval") from None
    for watch_id in watch_ids:
        settings.watch(watch_id)
    if not settings.es.external:
        from vigie.indexes.local_node import LocalNode

        LocalNode(state=settings.state_dir).start()
    def say(text: str) -> None:
        click.echo(text, err=True)

    say(f"Watch file {settings.config_path}; interval {span[0]:%Y-%m-%d %H:%M} – {span[1]:%Y-%m-%d %H:%M} UTC")
    result = mainjob.run(settings, watch_ids=list(watch_ids) or None, interval=span, parallel=parallel,
                         send=not no_send, say=say)
    if as_json:
        click.echo(json.dumps({"interval": [t.isoformat() for t in result.interval], "seconds": result.seconds,
                               "watches": {w: asdict(r) for w, r in result.watches.items()},
                               "failures": result.failures}, ensure_ascii=False, indent=1, default=str))
    else:
        _print_run(result)
    if result.failures:
        sys.exit(1)


def _print_run(result) -> None:
    click.echo(f"Summary ({result.seconds:.0f} s)")
    for watch_id, run in result.watches.items():
        crawled = [c for c in run.crawls if c.get("status") == "ok"]
        click.echo(f"  {watch_id}: {len(crawled)}/{len(run.crawls)} sources crawled, "
                   f"{sum(c.get('written') or 0 for c in crawled)} new documents; "
                   f"{run.indexed.get('indexed', 0)} indexed ({run.indexed.get('created', 0)} new, "
                   f"{run.indexed.get('rejected', 0)} rejected)")
        delivery, digest = run.alerts.get("delivery") or {}, run.digest
        click.echo(f"    influence: {run.influence.get('accounts', 0)} accounts; "
                   f"alerts: {run.alerts.get('events') or 0} new event(s), {delivery.get('sent', 0)} sent; "
                   f"digest of {digest.get('day', '-')}: {digest.get('status', '-')} {digest.get('html', '')}")
        for failure in run.failures:
            click.echo(f"    FAILED {escape(failure, 300)}")


# ---------------------------------------------------------------------- demo
@main.command()
@click.option("--port", type=int, help="Port of the demo sites (default: $VIGIE_DEMO_PORT or 8740).")
@click.option("--query", default="inondation", show_default=True, help="The search printed at the end.")
@click.option("--profile", type=click.Choice(["accurate", "fast"]), default=None,
              help="NLP profile (default: $VIGIE_NLP_PROFILE, else accurate).")
@handles_errors
def demo(port: int | None, query: str, profile: str | None) -> None:
    """The whole main job on the embedded default: local node, demo territory served on 127.0.0.1,
    collect → enrich → index → influence → alerts → digest (to a file and a local SMTP sink)."""
    import os

    from vigie.demo.run import run_demo
    from vigie.indexes.search import search as run_search

    env = {**os.environ, "VIGIE_NLP_PROFILE": profile} if profile else None
    result = run_demo(say=click.echo, port=port, env=env)
    watch = result.watch
    click.echo("")
    click.echo(f"Summary ({result.seconds:.0f} s)")
    click.echo("  Documents per source (in the index):")
    crawled = {c["source"]: c for c in result.crawls}
    for source, count in sorted(result.per_source.items()):
        new = crawled.get(source, {}).get("written")
        click.echo(f"    {source:<22} {count:4d}" + (f"   ({new} new this run)" if new is not None else ""))
    for failure in result.failed_sources:
        click.echo(f"    FAILED {escape(failure, 300)}")
    ix = result.indexed
    click.echo(f"  Indexed this run: {ix.get('indexed', 0)} ({ix.get('created', 0)} new, {ix.get('updated', 0)} "
               f"updated, {ix.get('rejected', 0)} rejected); {result.enriched.get('malformed', 0)} malformed lines")
    top = ", ".join(f"{t['author']} {t['score']}" for t in result.influence.get("top", [])[:3]) or "-"
    click.echo(f"  Influence: {result.influence.get('accounts', 0)} accounts scored; top: {escape(top, 200)}")
    al = result.alerts
    delivery = al.get("delivery") or {}
    if al.get("error"):
        click.echo(f"  Alerts: delivery failed: {escape(al['error'], 300)}")
    click.echo(f"  Alerts: {len(result.alert_titles)} stored, {al.get('events') or 0} new event(s) up to "
               f"{al.get('now', '?')[:16]}; delivery {delivery.get('sent', 0)} sent, "
               f"{delivery.get('already_sent', 0)} already sent earlier")
    for title in result.alert_titles[:5]:
        click.echo(f"    - {escape(title, 160)}")
    dg = result.digest
    click.echo(f"  Digest of {dg.get('day')}: {dg.get('status')}: {dg.get('html', '')}")
    if dg.get("subject"):
        click.echo(f"    subject: {escape(dg['subject'], 200)}")
    if dg.get("status") == "already_sent":
        click.echo(f"    (sent by an earlier run; resend with: .venv/bin/vigie digest --watch {watch} "
                   f"--date {dg.get('day')} --send --force)")
    click.echo(f"  Mail received by the local SMTP sink this run: {len(result.mails)} message(s) in {result.mail_dir}; "
               f"webhooks received: {result.webhooks}")
    total, hits = run_search(_connect(result.settings), query, watch_id=watch, size=3, names=result.settings.names)
    click.echo("")
    print_hits(total, hits, query)
    click.echo(f"\nNext: .venv/bin/vigie search \"école\" --watch {watch}   ·   .venv/bin/vigie alerts list "
               f"--watch {watch}   ·   make airflow")
    for failure in result.failures:
        if not failure.startswith("source "):
            click.echo(f"  FAILED {escape(failure, 300)}")
    if result.failures:
        sys.exit(1)


# Commands of the other packages: each exposes COMMANDS, a list of click commands.
PLUGIN_MODULES = ("vigie.crawlers.cli", "vigie.nlp.cli", "vigie.privacy.cli", "vigie.alerts.cli",
                  "vigie.analytics.cli", "vigie.digest.cli")


def _register_plugin_commands() -> None:
    import importlib

    for name in PLUGIN_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that package has no commands yet
                continue
            raise
        for command in module.COMMANDS:
            main.add_command(command)


_register_plugin_commands()

if __name__ == "__main__":
    main()
