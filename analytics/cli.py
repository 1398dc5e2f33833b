"""`vigie influencers` and `vigie engagement`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vigie.clikit import CONFIG_HELP, EXIT_CONFIG, fail, handles_errors, settings_for

CONFIG = click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
WATCH = click.option("--watch", "watch_id", required=True, help="Watch id.")
DAYS = click.option("--days", type=click.IntRange(min=1), default=30, show_default=True, help="Window in days.")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _connect(settings):
    from vigie.indexes.client import connect

    return connect(settings.es)


def _documents(settings, watch, days: int):
    from vigie.analytics.load import from_elasticsearch

    return from_elasticsearch(_connect(settings), settings.names, watch.id, days)


def _json_rows(table, columns) -> list[dict]:
    from vigie.analytics.store import _clean

    rows = [{"author_key": key, **{c: _clean(row[c]) for c in columns}} for key, row in table.iterrows()]
    for row in rows:
        row["followers"] = None if row["followers"] is None else int(row["followers"])
    return rows


@click.command()
@WATCH
@DAYS
@click.option("--topic", help="Only documents about this topic (and the replies in their threads).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Accounts to print.")
@click.option("--no-store", is_flag=True, help="Do not write the authors index (always so with --topic).")
@CONFIG
@AS_JSON
@handles_errors
def influencers(watch_id, days, topic, limit, no_store, config_path, as_json) -> None:
    """Accounts that matter on the territory, in three groups (local media and institutions, local accounts,
    national accounts), by influence score with three reasons each; updates the authors index."""
    from vigie.analytics import influence
    from vigie.analytics.store import RECORD_FIELDS, write_authors

    settings = settings_for(config_path)
    watch = settings.watch(watch_id)
    docs = _documents(settings, watch, days)
    if topic:
        docs = influence.restrict_to_topic(docs, topic)
    table = influence.score(docs, list(watch.territory.communes), watch.own_accounts, days=days)
    stored = None
    if not (topic or no_store):
        stored = write_authors(_connect(settings), settings.names, watch.id, table)
    mine = table["own_account"].astype(bool)
    own, others = table[mine], table[~mine]
    groups = [(g, others[others["group"] == g]) for g in ("media_institutions", "local", "national")]
    if as_json:
        click.echo(json.dumps({"watch": watch.id, "days": days, "topic": topic, "documents": len(docs),
                               "accounts": _json_rows(others.head(limit), RECORD_FIELDS),
                               "groups": {g: _json_rows(rows.head(limit), RECORD_FIELDS) for g, rows in groups},
                               "own_accounts": _json_rows(own, RECORD_FIELDS), "stored": stored},
                              indent=2, ensure_ascii=False))
        return
    title = f"Influencers of {watch.name} ({watch.id}), last {days} days" + (f", topic {topic}" if topic else "")
    click.echo(f"{title}: {len(docs)} documents, {len(others)} accounts")
    if others.empty:
        click.echo("  no account in this window")
    for group, rows in groups:
        if rows.empty:
            continue
        click.echo(f"{influence.GROUP_LABELS[group]}:")
        for rank, (key, row) in enumerate(rows.head(limit).iterrows(), start=1):
            _print_account(rank, key, row)
    click.echo("Own accounts (listed apart):")
    for rank, (key, row) in enumerate(own.iterrows(), start=1):
        _print_account(rank, key, row)
    if own.empty:
        click.echo("       none of the watch's own_accounts published in this window")
    if stored:
        click.echo(f"Authors index: {stored['written']} records written, {stored['deleted']} stale deleted")


def _print_account(rank: int, key: str, row) -> None:
    from vigie.analytics.influence import KIND_LABELS, confidence_label

    name = row["name"] if isinstance(row["name"], str) and row["name"] else row["handle"]
    kind = KIND_LABELS.get(row["account_kind"], row["account_kind"])
    kind = "" if kind in row["reasons"] else f"{kind}, "  # the kind shown once, as a reason or here
    click.echo(f"{rank:3d}. {row['influence_score']:5.1f}  {key}  ({name}) "
               f"[{kind}{confidence_label(row['confidence'])} {row['confidence']:.2f}]")
    click.echo(f"       {' ; '.join(row['reasons']) or '-'}")


@click.command()
@WATCH
@DAYS
@CONFIG
@AS_JSON
@handles_errors
def engagement(watch_id, days, config_path, as_json) -> None:
    """Engagement of the collectivité's own accounts and its response time to citizen requests."""
    from vigie.analytics.engagement import report

    settings = settings_for(config_path)
    watch = settings.watch(watch_id)
    if not watch.own_accounts:
        fail(f"watch {watch.id!r} lists no own_accounts: nothing to report", EXIT_CONFIG)
    result = report(_documents(settings, watch, days), watch.own_accounts, watch.timezone)
    summary = result["summary"]
    if as_json:
        tables = {name: json.loads(result[name].reset_index().to_json(orient="records", date_format="iso"))
                  for name in ("by_format", "by_topic", "by_hour", "by_weekday")}
        responses = json.loads(result["responses"].drop(columns=["text"]).to_json(orient="records", date_format="iso"))
        no_reaction = result["publications"].loc[result["publications"]["no_reaction"], ["doc_id", "url"]]
        click.echo(json.dumps({"watch": watch.id, "days": days, "summary": summary, **tables,
                               "responses": responses, "no_reaction": no_reaction.to_dict(orient="records")},
                              indent=2, ensure_ascii=False))
        return
    mean = f"{summary['engagement_mean']:.0f}" if summary["engagement_mean"] is not None else "-"
    rate = f"{100 * summary['rate_mean']:.2f} %" if summary["rate_mean"] is not None else "-"
    delay = f"{summary['median_delay_hours']:.1f} h" if summary["median_delay_hours"] is not None else "-"
    click.echo(f"Own accounts of {watch.name} ({', '.join(watch.own_accounts)}), last {days} days")
    click.echo(f"  Publications: {summary['publications']}; mean engagement {mean}; mean rate {rate}; "
               f"no reaction: {summary['no_reaction']}")
    for name, label in (("by_format", "format"), ("by_topic", "topic"), ("by_weekday", "weekday"),
                        ("by_hour", "hour")):
        table = result[name]
        click.echo(f"  By {label}: " + (", ".join(f"{k} {r.engagement_mean:.0f} ({r.publications})"
                                                  for k, r in table.iterrows()) or "-"))
    click.echo(f"  Citizen requests in its threads: {summary['requests']}; answered {summary['answered']} "
               f"(median delay {delay}); unanswered {summary['unanswered']}")
    for r in result["responses"].itertuples():
        status = f"answered in {r.delay_hours:.1f} h" if r.answered else "UNANSWERED"
        click.echo(f"    {r.published_at:%Y-%m-%d %H:%M} UTC  {r.handle}  {r.request_kind or '-'}  {status}")


COMMANDS = [influencers, engagement]
