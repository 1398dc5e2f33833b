"""``vigie alerts run|replay|list|ack|snooze`` (registered by vigie/cli.py).  Only click at import time."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

EXIT_CONFIG = 2
EXIT_CLUSTER = 3


def _errors(func):
    from vigie.clikit import handles_errors_and_values

    return handles_errors_and_values(func)


def _parse_when(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise click.BadParameter(f"{value!r} needs a timezone (e.g. 2026-11-17T20:00:00+01:00)")
    return when


def _parse_duration(value: str) -> timedelta:
    m = re.fullmatch(r"(\d+)([mhd])", value.strip())
    if not m:
        raise click.BadParameter(f"{value!r}: expected minutes, hours or days such as 30m, 4h, 2d")
    return timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[m.group(2)]: int(m.group(1))})


def _print_events(events, as_json: bool) -> None:
    for e in events:
        if as_json:
            click.echo(json.dumps(e, ensure_ascii=False))
        else:
            tag = "NOUVELLE" if e["event"] == "new" else f"ESCALADE niv. {e['level']}"
            click.echo(f"{e['fired_at']}  {tag:<16} {e['kind']:<16} {e['doc_count']:>4} docs  {e['title']}"
                       f"  [{e['alert_id']}]")


def _deliver(settings, watch, events) -> dict:
    from vigie.alerts.deliver.log import Dispatcher, channels_for

    channels = channels_for(watch, settings.env)
    if not channels:
        return {"sent": 0, "already_sent": 0, "failed": 0, "held": 0, "errors": [], "channels": 0}
    report = Dispatcher(channels).deliver(events)
    report["channels"] = len(channels)
    return report


def _report_delivery(report: dict) -> None:
    if not report.get("channels"):
        click.echo("delivery: no recipient or webhook in the watch's alerts section", err=True)
        return
    click.echo(f"delivery: {report['sent']} sent, {report['already_sent']} already sent, "
               f"{report['failed']} failed (kept for the next run), {report['held']} held (snoozed)", err=True)
    for error in report["errors"][:10]:
        click.echo(f"  {error}", err=True)


_config = click.option("--config", "config_path", type=click.Path(path_type=Path),
                       help="Watch file (default: $VIGIE_CONFIG, else the demo territory's).")
_lemmatizer = click.option("--lemmatizer", type=click.Choice(["light", "spacy"]), default="light",
                           show_default=True, help="Terms: light French stemming (fast) or spaCy lemmas.")


@click.group("alerts")
def alerts() -> None:
    """Alerts on emerging local topics: detect, deduplicate, escalate, deliver."""


@alerts.command("replay")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_config
@click.option("--watch", "watch_id", help="Watch id (default: the file's first watch).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per alert and per escalation.")
@click.option("--deliver", is_flag=True, help="Also send the events (email, webhooks), through the delivery log.")
@_lemmatizer
@_errors
def replay_cmd(path: Path, config_path, watch_id, as_json, deliver, lemmatizer) -> None:
    """Run detection offline over enriched documents (a JSONL file), in published_at order."""
    from vigie.alerts.runner import pick_watch, replay
    from vigie.clikit import settings_for

    settings = settings_for(config_path)
    watch = pick_watch(settings.config_path, watch_id)
    outcome = replay(path, watch, lemmatizer)
    for skipped in outcome.skipped[:10]:
        click.echo(f"skipped {skipped}", err=True)
    _print_events(outcome.events, as_json)
    rate = outcome.docs / outcome.seconds if outcome.seconds else 0
    click.echo(f"{path}: {outcome.docs} documents of watch {watch.id}, {len(outcome.events)} alert event(s), "
               f"{len(outcome.skipped)} line(s) skipped, detection at {rate:,.0f} documents/s (CPU time)", err=True)
    if deliver:
        _report_delivery(_deliver(settings, watch, outcome.events))


@alerts.command("run")
@click.option("--watch", "watch_id", required=True)
@_config
@click.option("--now", "now", help="Pretend it is this time (ISO 8601 with timezone); default: now.")
@click.option("--no-deliver", is_flag=True, help="Detect and store, send nothing.")
@click.option("--json", "as_json", is_flag=True)
@_lemmatizer
@_errors
def run_cmd(watch_id, config_path, now, no_deliver, as_json, lemmatizer) -> None:
    """Detect over the watch's documents in Elasticsearch, store the alerts, deliver new events."""
    from vigie.alerts.runner import pick_watch, run_online
    from vigie.clikit import settings_for
    from vigie.indexes.client import connect

    settings = settings_for(config_path)
    watch = pick_watch(settings.config_path, watch_id)
    if not watch.alerts.enabled:
        click.echo(f"watch {watch.id}: alerts are disabled (alerts.enabled: false)", err=True)
        return
    when = _parse_when(now) if now else datetime.now(UTC)
    outcome = run_online(connect(settings.es), settings.names, watch, when, lemmatizer)
    _print_events(outcome.events, as_json)
    click.echo(f"watch {watch.id}: {outcome.docs} documents over {watch.alerts.thresholds.history_days} days, "
               f"{len(outcome.events)} new alert event(s)", err=True)
    if not no_deliver:
        report = _deliver(settings, watch, outcome.events)
        _report_delivery(report)
        if report["failed"]:
            sys.exit(1)


@alerts.command("list")
@click.option("--watch", "watch_id")
@click.option("--status", type=click.Choice(["open", "acknowledged", "snoozed", "closed"]))
@click.option("--size", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_config
@_errors
def list_cmd(watch_id, status, size, as_json, config_path) -> None:
    """The latest alerts, newest first."""
    from vigie.alerts.store import AlertStore
    from vigie.clikit import settings_for
    from vigie.indexes.client import connect

    settings = settings_for(config_path)
    if watch_id:
        settings.watch(watch_id)  # a watch the watch file does not have is an error (exit 2), not "no alert"
    found = AlertStore(connect(settings.es), settings.names).search(watch_id, status=status, size=size)
    if not found:
        click.echo("Aucune alerte.")
    for a in found:
        if as_json:
            data = a.to_dict()
            data.pop("doc_ids")
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            click.echo(f"{a.alert_id}  {a.status:<12} niv. {a.level}  {a.fired_at}  {a.kind:<16} "
                       f"{a.doc_count:>4} docs  {a.title}")


def _set_status(alert_id: str, watch_id: str | None, change, config_path: Path | None) -> None:
    from vigie.alerts.store import AlertStore
    from vigie.clikit import settings_for
    from vigie.indexes.client import connect

    settings = settings_for(config_path)
    store = AlertStore(connect(settings.es), settings.names)
    alert = store.get(alert_id, watch_id)
    if alert is None:
        click.echo(f"error: no alert {alert_id!r}" + (f" in watch {watch_id!r}" if watch_id else ""), err=True)
        sys.exit(1)
    change(alert)
    store.save([alert])
    click.echo(f"{alert.alert_id}: {alert.status}" + (f" until {alert.snoozed_until}" if alert.status == "snoozed"
                                                      else "") + f" — {alert.title}")


@alerts.command("ack")
@click.argument("alert_id")
@click.option("--watch", "watch_id")
@_config
@_errors
def ack_cmd(alert_id, watch_id, config_path) -> None:
    """Mark an alert as seen (its later escalations are still sent)."""
    from vigie.alerts.lifecycle import Lifecycle

    _set_status(alert_id, watch_id, lambda a: Lifecycle.acknowledge(a, datetime.now(UTC)), config_path)


@alerts.command("snooze")
@click.argument("alert_id")
@click.option("--for", "duration", help="How long: 30m, 4h, 2d.")
@click.option("--until", "until", help="Until this time (ISO 8601 with timezone).")
@click.option("--watch", "watch_id")
@_config
@_errors
def snooze_cmd(alert_id, duration, until, watch_id, config_path) -> None:
    """Send nothing more for this alert until a time."""
    from vigie.alerts.lifecycle import Lifecycle

    if bool(duration) == bool(until):
        raise click.UsageError("give either --for or --until")
    end = _parse_when(until) if until else datetime.now(UTC) + _parse_duration(duration)
    _set_status(alert_id, watch_id, lambda a: Lifecycle.snooze(a, end), config_path)


COMMANDS = [alerts]
