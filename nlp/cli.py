"""``vigie analyze`` and ``vigie enrich`` (registered by vigie/cli.py).  Only click at import time."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click


def _default_config() -> Path:
    from vigie.settings import config_path

    return config_path()


def _profile_of(flag: str | None, config: Path | None, watch_id: str | None) -> str:
    """--profile, else $VIGIE_NLP_PROFILE, else the watch's (with --watch), else the watch file's, else accurate."""
    from vigie.settings import Settings

    return Settings.resolve(config=config, nlp_profile=flag).profile_for(watch_id)


def _config_errors(func):
    from vigie.clikit import handles_errors

    return handles_errors(func)


_watch = click.option("--watch", "watch_id", metavar="ID", help="Use this watch's territory, topics and routing.")
_config = click.option("--config", "config", type=click.Path(path_type=Path), default=None,
                       help="Watch file for --watch (default: $VIGIE_CONFIG, else the demo territory's).")
_model = click.option("--model", type=click.Choice(["sm", "md"]), default="sm", show_default=True,
                      help="spaCy French model: fr_core_news_sm or fr_core_news_md.")
_profile = click.option("--profile", type=click.Choice(["accurate", "fast"]), default=None,
                        help="NLP profile: accurate (sentiment with a bundled sentence encoder) or fast (linear "
                             "model only). Default: $VIGIE_NLP_PROFILE, else the watch's, else accurate.")
_pipeline = click.option("--pipeline", "pipeline", type=click.Path(exists=True, path_type=Path), default=None,
                         help="A saved pipeline folder (nlp.to_disk, spacy assemble) or a spaCy config file "
                              "to assemble, instead of nlp/config.cfg.")


@click.command("analyze")
@click.argument("text")
@_watch
@_config
@_model
@_pipeline
@_profile
@click.option("--title", help="A title analysed with the text.")
@click.option("--json", "as_json", is_flag=True, help="Print the enrichment as JSON.")
@_config_errors
def analyze(text: str, watch_id: str | None, config: Path | None, model: str, pipeline: Path | None,
            profile: str | None, title: str | None, as_json: bool) -> None:
    """Print the enrichment of one TEXT ("-" reads it from standard input)."""
    from vigie.nlp.enrich import Analyser, Item, watch_resolver

    if text == "-":
        text = sys.stdin.read()
    watch = watch_resolver(config or _default_config(), watch_id)({}) if watch_id else None
    profile = _profile_of(profile, config, watch_id)
    result = next(Analyser(model, processes=1, pipeline=pipeline, profile=profile).run([Item(text, title, watch)]))
    if result.error:
        click.echo(f"error: the pipeline failed: {result.error}", err=True)
        sys.exit(1)
    fields = dict(result.fields)
    if result.text is not None:
        fields["text"] = result.text
    if as_json:
        click.echo(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    for key, value in fields.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        click.echo(f"{key:>11}: {shown}")


@click.command("enrich")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("dst", type=click.Path(dir_okay=False, path_type=Path))
@_watch
@_config
@_model
@_pipeline
@_profile
@click.option("--processes", type=int, default=None, help="Worker processes (default: 2, or 1 on one core).")
@click.option("--batch-size", type=int, default=128, show_default=True)
@click.option("--enriched-at", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Timestamp written in enriched_at (default: now, UTC); fix it for byte-identical re-runs.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a line is malformed or fails.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@_config_errors
def enrich(src: Path, dst: Path, watch_id: str | None, config: Path | None, model: str, pipeline: Path | None,
           profile: str | None, processes: int | None, batch_size: int, enriched_at: datetime | None, strict: bool,
           no_progress: bool) -> None:
    """Enrich the JSON Lines SRC into DST: one output line per input line, in order.

    Lines may be full Documents or any JSON object with a "text" (user exports: id, title,
    published_at, watch_ids…); every input field is kept.  Malformed lines are written
    unchanged and reported with their line numbers.  Without --watch, a record's watch_ids
    are looked up in the watch file.  A pipeline component that fails to load stops the run
    (exit status 1, DST untouched).
    """
    from datetime import UTC

    from vigie.nlp.enrich import enrich_file

    if enriched_at is not None and enriched_at.tzinfo is None:
        enriched_at = enriched_at.replace(tzinfo=UTC)
    if src.resolve() == dst.resolve():
        click.echo("error: SRC and DST must differ", err=True)
        sys.exit(2)
    report = enrich_file(src, dst, watch_id=watch_id, config=config or _default_config(),
                         model=model, pipeline=pipeline, processes=processes, batch_size=batch_size,
                         profile=_profile_of(profile, config, watch_id),
                         enriched_at=enriched_at,
                         progress=not no_progress and sys.stderr.isatty())
    click.echo(f"{dst}: {report.summary()}", err=True)
    click.echo(f"components: {', '.join(report.components)}", err=True)
    for number, error in report.malformed[:50]:
        click.echo(f"  line {number}: {error}", err=True)
    if strict and (report.malformed or report.failed):
        sys.exit(1)


COMMANDS = [analyze, enrich]
