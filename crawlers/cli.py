"""``vigie crawl`` and ``vigie extract`` (registered by vigie/cli.py through ``COMMANDS``).

Only click is imported here: the ``vigie`` command starts fast, heavy imports stay inside
the commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

EXIT_CONFIG = 2


def _config_error(exc) -> None:
    click.echo(f"error: {exc.path} is not a valid watch file:", err=True)
    for problem in exc.problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(EXIT_CONFIG)


def _by_reason(counts: dict[str, int]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items(), key=lambda kv: -kv[1])) or "-"


def _failure(summary: dict) -> str:
    lines = (summary.get("error") or "").strip().splitlines()
    return lines[-1][:120] if lines else "see the log"


@click.command("crawl")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="The watch file (default: $VIGIE_CONFIG, else the demo territory's).")
@click.option("--watch", "watch_id", help="Only this watch (default: every watch of the file).")
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Output folder: OUT/<watch>/<source>/<interval>.jsonl")
@click.option("--interval", help="Run interval START/END in ISO 8601 (default: the current UTC hour).")
@click.option("--batch-size", type=click.IntRange(1, 1000),
              help="Sources crawled together by one crawl process (default: $VIGIE_CRAWL_BATCH_SIZE, else the "
                   "watch file's settings.crawl_batch_size, else 50).")
@click.option("--parallel", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Crawl processes (batches) running at the same time.")
@click.option("--deadline", type=click.FloatRange(min=0), default=3600, show_default=True,
              help="Seconds for the whole run (0: none): sources still running are stopped, "
                   "sources not started are skipped; both are reported as timed out.")
@click.option("--json", "as_json", is_flag=True, help="Print the summaries as JSON instead of a table.")
def crawl(config_path: Path, watch_id: str | None, source_ids: tuple[str, ...], out_dir: Path,
          interval: str | None, batch_size: int | None, parallel: int, deadline: float, as_json: bool) -> None:
    """Crawl the sources of a watch file, in batches crawled concurrently by one process each, and
    summarise each source.  Stopping the command (Ctrl-C, SIGTERM) stops its crawl processes; the next
    run resumes what they left."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
    from rich.table import Table

    from vigie.config import ConfigError
    from vigie.crawlers.run import crawl_watch, parse_interval, plan
    from vigie.settings import Settings
    from vigie.settings import config_path as resolve_config

    config_path = resolve_config(config_path)

    try:
        parse_interval(interval)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--interval") from None
    try:
        jobs = plan(config_path, watch_id, list(source_ids))
    except ConfigError as exc:
        _config_error(exc)
        return
    if batch_size is None:
        try:
            batch_size = Settings.resolve(config_path).crawl_batch_size
        except ConfigError as exc:
            _config_error(exc)
            return
    console = Console(stderr=as_json, highlight=False, soft_wrap=True)
    if not jobs:
        console.print("No enabled source to crawl.")
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("crawling", total=len(jobs))
        running: set[str] = set()

        def describe() -> str:
            names = sorted(running)
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            return "crawling " + (escape(shown) or "…")

        def started(watch: str, source: str) -> None:
            running.add(f"{watch}/{source}")
            progress.update(task, description=describe())

        def done(summary: dict) -> None:
            running.discard(f"{summary['watch']}/{summary['source']}")
            progress.update(task, advance=1, description=describe())
            mark = "⏱" if summary.get("timed_out") else "✓" if summary.get("status") == "ok" else "✗"
            progress.console.print(f"{mark} "
                                   f"{escape(summary['watch'])}/{escape(summary['source'])}: "
                                   f"{summary.get('new', 0)} new, {summary.get('updated', 0)} updated")

        summaries = crawl_watch(config_path, out_dir, watch_id=watch_id, source_ids=list(source_ids) or None,
                                interval=interval, parallel=parallel, batch_size=batch_size, on_start=started,
                                on_done=done, deadline=deadline or None, jobs=jobs)
    if as_json:
        click.echo(json.dumps(summaries, indent=2, ensure_ascii=False, default=str))
        return
    table = Table(title=f"Crawl summary → {out_dir}", show_lines=False)
    for column in ("source", "status", "fetched", "new", "updated", "duplicates", "near-dup.", "dropped",
                   "errors"):
        table.add_column(column, justify="right" if column in {"fetched", "new", "updated", "duplicates",
                                                                "near-dup."} else "left")
    for s in summaries:
        failed = s.get("status") != "ok"
        errors = s.get("errors_by_reason") or {}
        table.add_row(
            escape(f"{s['watch']}/{s['source']}"),
            "[yellow]timed out[/yellow]" if s.get("timed_out") else "[red]failed[/red]" if failed else "ok",
            str(s.get("fetched", 0)), str(s.get("new", 0)), str(s.get("updated", 0)),
            str(s.get("duplicates", 0)), str(s.get("near_duplicates", 0)),
            escape(_by_reason(s.get("dropped") or {})),
            escape(_failure(s) if failed else _by_reason(errors)),
        )
    console.print(table)
    for s in summaries:
        if s.get("timed_out"):
            console.print(f"[yellow]{escape(s['watch'])}/{escape(s['source'])} timed out[/yellow]: "
                          f"{escape(_failure(s))}")
        elif s.get("status") != "ok":
            console.print(f"[red]{escape(s['watch'])}/{escape(s['source'])} failed[/red]: log in {escape(s['log'])}")


def _source_of(config_path: Path, source_id: str) -> tuple[object, tuple[str, ...]]:
    """The source ``source_id`` of a watch file and the watches that list it."""
    from vigie.config import ConfigError, load_config

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        _config_error(exc)
    found, watches = None, []
    for watch in config.watches:
        for source in watch.sources:
            if source.id == source_id:
                found = found or source
                watches.append(watch.id)
    if found is None:
        known = sorted({s.id for w in config.watches for s in w.sources})
        click.echo(f"error: no source {source_id!r} in {config_path} (known: {', '.join(known)})", err=True)
        sys.exit(EXIT_CONFIG)
    return found, tuple(watches)


def _page_summary(page: Path, url: str | None, as_json: bool) -> None:
    """The historical ``vigie extract PAGE.html``: title, main text, author and date of one saved page."""
    from vigie.crawlers.extract._encoding import decode_body
    from vigie.crawlers.extract._html import main_content

    html, _ = decode_body(page.read_bytes())
    result = main_content(html, url)
    data = {"title": result["title"], "text": result["text"], "author": result["author"],
            "published_at": result["published_at"].isoformat() if result["published_at"] else None,
            "language": result.get("language")}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"title:        {data['title'] or '-'}")
    click.echo(f"author:       {data['author'] or '-'}")
    click.echo(f"published_at: {data['published_at'] or '-'}")
    click.echo("")
    click.echo(data["text"])


@click.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", help="The source kind of the file (feed, web, phpbb, spip, forum, telegram, mastodon, "
                             "reddit, bluesky, youtube, facebook_page, discourse, decidim): print its Documents "
                             "as JSON Lines. Without it (and without --source): the main text of a saved page.")
@click.option("--url", help="Where the file was fetched from (ids, links and some endpoints depend on it).")
@click.option("--endpoint", help="The API endpoint or page type (default: inferred from the file's shape).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A watch file: with --source, read the file with that source's options (a generic "
                   "forum's selectors…).")
@click.option("--source", "source_id", help="The source of --config whose kind and options apply.")
@click.option("--json", "as_json", is_flag=True,
              help="Without --kind: print the page as JSON. With --kind: the report on stderr is one JSON object.")
def extract(file: Path, kind: str | None, url: str | None, endpoint: str | None, config_path: Path | None,
            source_id: str | None, as_json: bool) -> None:
    """Extract the Documents of one saved page or API payload, as a crawl of that kind would.

    Documents go to stdout as JSON Lines; the endpoint found, the items skipped with their reason and
    the links a crawl would follow go to stderr. Exit 0 when the file was understood, 1 when it is not
    a page or payload of that kind, 2 for a bad option.
    """
    if kind is None and source_id is None:
        _page_summary(file, url, as_json)
        return
    if (config_path is None) != (source_id is None):
        click.echo("error: --config and --source go together", err=True)
        sys.exit(EXIT_CONFIG)
    from vigie.crawlers.extract.saved import ENDPOINTS, NotUnderstood, extract_saved
    from vigie.crawlers.spiders import spider_for

    options, watch_ids, sid = None, (), "file"
    if source_id is not None:
        source, watch_ids = _source_of(config_path, source_id)
        if kind is not None and kind != source.kind:
            click.echo(f"error: source {source_id!r} is of kind {source.kind}, not {kind}", err=True)
            sys.exit(EXIT_CONFIG)
        kind, sid = source.kind, source.id
        options = spider_for(kind).Options.model_validate(source.options)
        url = url or source.url or (source.urls[0] if source.urls else None)
    if kind not in ENDPOINTS:
        click.echo(f"error: vigie extract reads the kinds {', '.join(ENDPOINTS)}; not {kind!r}", err=True)
        sys.exit(EXIT_CONFIG)
    if options is None:
        options = spider_for(kind).Options.model_construct()  # the kind's defaults, no required option checked
    try:
        saved = extract_saved(file.read_bytes(), kind, url=url, endpoint=endpoint, options=options, source_id=sid,
                              watch_ids=watch_ids, platform=getattr(options, "platform", None))
    except NotUnderstood as exc:
        click.echo(f"error: {file} is not understood as {kind}{f' {endpoint}' if endpoint else ''}: {exc}", err=True)
        sys.exit(1)
    for doc in saved.documents:
        click.echo(doc.model_dump_json())
    report = {"kind": saved.kind, "endpoint": saved.endpoint, "documents": len(saved.documents),
              "skipped": [{"reason": r, "detail": d} for r, d in saved.skipped],
              "noted": [{"reason": r, "detail": d} for r, d in saved.noted], "links": saved.links}
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False), err=True)
        return
    click.echo(f"{kind} {saved.endpoint}: {len(saved.documents)} documents, {len(saved.skipped)} skipped, "
               f"{len(saved.noted)} noted, {len(saved.links)} links", err=True)
    for reason, detail in saved.skipped:
        click.echo(f"skipped {reason}: {detail}", err=True)
    for reason, detail in saved.noted:
        click.echo(f"noted {reason}: {detail}", err=True)
    for link in saved.links[:20]:
        click.echo(f"link: {link}", err=True)
    if len(saved.links) > 20:
        click.echo(f"… and {len(saved.links) - 20} more links (all of them with --json)", err=True)


COMMANDS = [crawl, extract]
