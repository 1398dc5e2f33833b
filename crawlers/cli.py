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


@click.command("extract")
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (helps to find dates and resolve links).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def extract(page: Path, url: str | None, as_json: bool) -> None:
    """Title, main text, author and publication date of one saved HTML page."""
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


COMMANDS = [crawl, extract]
