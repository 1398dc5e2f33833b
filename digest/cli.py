"""``vigie digest`` (registered by vigie/cli.py).  Only click at import time."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import click

EXIT_FAILED = 1
EXIT_IN_PROGRESS = 75      # EX_TEMPFAIL: another run is sending this day right now; try again later


def _errors(func):
    from vigie.clikit import handles_errors_and_values

    return handles_errors_and_values(func)


def yesterday(tz: str, now: datetime | None = None) -> date:
    """The day before today in the watch's timezone."""
    from zoneinfo import ZoneInfo

    return (now or datetime.now(ZoneInfo(tz))).astimezone(ZoneInfo(tz)).date() - timedelta(days=1)


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected a date such as 2026-11-17", param_hint="--date") from None


def _html_out(ctx, param, value: Path | None) -> Path | None:
    """``--out`` names the HTML file; the .txt, .png and .json take its name with their own suffix, so any
    other suffix (``X.txt``) would have one file overwrite another."""
    if value is not None and value.suffix.lower() not in {".html", ".htm"}:
        raise click.BadParameter(f"{str(value)!r} must end in .html: the digest writes its HTML there and the "
                                 ".txt, .png and .json beside it, with the same name", param_hint="--out")
    return value


@click.command("digest")
@click.option("--watch", "watch_id", required=True, help="Watch id.")
@click.option("--date", "day", help="Day covered, YYYY-MM-DD in the watch's timezone (default: yesterday).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Watch file (default: $VIGIE_CONFIG, else the demo territory's).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), callback=_html_out,
              help="HTML file to write, ending in .html (the .txt, .png and .json beside it); "
                   "default $VIGIE_STATE_DIR/digests/<watch>/<date>.html.")
@click.option("--send", is_flag=True, help="Email it to the watch's digest recipients (SMTP from the environment).")
@click.option("--force", is_flag=True, help="With --send: send again even if this day's digest was already sent.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome and the figures as JSON.")
@_errors
def digest(watch_id, day, config_path, out, send, force, as_json) -> None:
    """The daily watch digest: write it as HTML and text, and email it with --send.

    One digest per watch and day: a second --send does nothing unless --force, and the archive of a day
    already sent is not rewritten.  Exit status 1 when the email could not be sent (recorded failed: run
    --send again for that --date), 75 when another run is sending it right now.
    """
    from vigie.clikit import settings_for
    from vigie.digest.runner import run_digest

    parsed = _parse_day(day)
    settings = settings_for(config_path)
    watch = settings.watch(watch_id)
    outcome = run_digest(settings, watch, parsed or yesterday(watch.timezone), out=out, send=send, force=force)
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=1))
    click.echo(outcome.summary(), err=as_json)
    if outcome.status == "failed":
        sys.exit(EXIT_FAILED)
    if outcome.status == "in_progress":
        sys.exit(EXIT_IN_PROGRESS)


COMMANDS = [digest]
