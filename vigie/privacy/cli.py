"""`vigie privacy enforce|report` and `vigie forget`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vigie.clikit import CONFIG_HELP, EXIT_CONFIG, handles_errors, settings_for
from vigie.clikit import fail as _fail


def _connect(settings):
    from vigie.indexes.client import connect

    return connect(settings.es)


def _watches(settings, watch_id: str | None):
    watches = settings.watches
    if watch_id:
        watches = [w for w in watches if w.id == watch_id]
        if not watches:
            _fail(f"no watch {watch_id!r} in the watch file", EXIT_CONFIG)
    return watches


@click.group()
def privacy() -> None:
    """Personal data: retention and the report of what is kept."""


@privacy.command("enforce")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--watch", "watch_id", help="Only this watch.")
@click.option("--json", "as_json", is_flag=True)
@handles_errors
def enforce_cmd(config_path, watch_id, as_json) -> None:
    """Delete what is older than each watch's privacy.retention_days (Elasticsearch and files)."""
    from vigie.privacy.retention import enforce

    settings = settings_for(config_path)
    watches = _watches(settings, watch_id)
    results = enforce(_connect(settings), watches, settings.data_dir, names=settings.names)
    if as_json:
        click.echo(json.dumps(results, indent=2))
        return
    for w in watches:
        if not w.privacy.retention_days:
            click.echo(f"{w.id}: no retention set, nothing deleted")
    for r in results:
        click.echo(f"{r['watch']}: retention {r['retention_days']} days (before {r['cutoff'][:10]}): "
                   f"{r['documents_deleted']} documents deleted, {r['documents_unlinked']} kept for other watches, "
                   f"{r['authors_deleted']} author records and {r['alerts_deleted']} alerts deleted, "
                   f"{r['file_lines_removed']} file lines removed")


@privacy.command("report")
@click.option("--watch", "watch_id", required=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--json", "as_json", is_flag=True)
@handles_errors
def report_cmd(watch_id, config_path, as_json) -> None:
    """What is stored for a watch, where, how much, since when, retention and pseudonymisation.

    For a pseudonymising watch, its indexed documents and data files are scanned for handles left in
    clear; the command exits with status 1 when one is found."""
    from vigie.privacy.report import privacy_report

    settings = settings_for(config_path)
    watch = _watches(settings, watch_id)[0]
    report = privacy_report(_connect(settings), watch, settings.data_dir, names=settings.names)
    check = report["pseudonymisation_check"]
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        if check["status"] == "failed":
            raise SystemExit(1)
        return
    es, files = report["elasticsearch"], report["files"]
    retention = f"{report['retention_days']} days" if report["retention_days"] else "not set (kept until erased)"
    lines = [
        f"Privacy report for {report['name']} ({report['watch']})",
        f"  Elasticsearch: {es['documents']} documents by {es['authors']} authors in {', '.join(es['indices']) or '-'}"
        f" (alias {es['alias']})",
        f"  Published from {es['oldest'] or '-'} to {es['newest'] or '-'}",
        "  By platform: " + (", ".join(f"{k} {v}" for k, v in es["by_platform"].items()) or "-"),
        f"  Author records: {es['author_records']}; alerts: {es['alerts']}",
        f"  Files: {files['lines']} lines in {files['files']} files ({files['bytes']} bytes) under {files['folder']}",
        f"  Retention: {retention}",
        f"  Pseudonymised authors: {'yes' if report['pseudonymise_authors'] else 'no'}"
        f" ({es['pseudonymised_documents']} documents with a pseudonymised author)",
        f"  Public accounts kept in clear: {', '.join(report['public_accounts']) or '-'}",
        f"  Erasure requests recorded: {report['erasure_requests']}; objections: {report['objections']}",
        f"  Political opinions: {report['political_opinions']}",
    ]
    if check["status"] != "not applicable":
        index_check, files_check = check["elasticsearch"], check["files"]
        failing = index_check["documents_with_clear_handles"] + files_check["documents_with_clear_handles"]
        scanned = f"{index_check['scanned']} indexed documents and {files_check['scanned']} file lines scanned"
        if failing:
            fields = {**files_check["fields"]}
            for field, n in index_check["fields"].items():
                fields[field] = fields.get(field, 0) + n
            examples = [f"{e['doc_id']} ({', '.join(e['fields'])})"
                        for e in index_check["examples"] + files_check["examples"]][:5]
            lines.append(f"  Pseudonymisation check: FAILED, {failing} documents still name an account in clear "
                         f"({scanned}); fields: " + ", ".join(f"{k} {v}" for k, v in fields.items()))
            lines.append("    e.g. " + "; ".join(examples))
        else:
            lines.append(f"  Pseudonymisation check: OK, no handle in clear ({scanned})")
    click.echo("\n".join(lines))
    if check["status"] == "failed":
        raise SystemExit(1)


@click.command()
@click.option("--platform", required=True, help="e.g. facebook, mastodon, reddit.")
@click.option("--author", "handle", required=True, help="The author's handle on that platform.")
@click.option("--watch", "watch_id", help="Only in this watch (default: everywhere).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help=CONFIG_HELP)
@click.option("--later", is_flag=True, help="Queue the request for the nightly maintenance (Airflow) instead.")
@click.option("--json", "as_json", is_flag=True)
@handles_errors
def forget(platform, handle, watch_id, config_path, later, as_json) -> None:
    """Erase an author's documents and records everywhere, log the request, stop collecting them."""
    from vigie.privacy.erasure import forget as run_forget
    from vigie.privacy.pseudonym import for_watch

    settings = settings_for(config_path)
    watches = _watches(settings, None)
    if watch_id and watch_id not in {w.id for w in watches}:
        _fail(f"no watch {watch_id!r} in the watch file", EXIT_CONFIG)
    if later:
        from vigie.privacy.requests import queue

        path = queue(platform, handle, watch_id)
        click.echo(json.dumps({"queued": str(path)}) if as_json else
                   f"Erasure request queued ({path.name}); the vigie_maintenance DAG carries it out tonight.")
        return
    pseudonymisers = {w.id: for_watch(w) for w in watches}
    entry = run_forget(_connect(settings), platform, handle, watches, settings.data_dir, pseudonymisers,
                       scope=watch_id, names=settings.names)
    if as_json:
        click.echo(json.dumps(entry, indent=2))
        return
    c = entry["counts"]
    click.echo(f"Erased ({entry['scope']}): {c['documents_deleted']} documents deleted, "
               f"{c['documents_unlinked']} unlinked from this watch, {c['author_records_deleted']} author records, "
               f"{c['alert_samples_updated']} alerts cleaned, {c['file_lines_removed']} file lines removed. "
               f"Request logged; the author will not be collected again.")


COMMANDS = [privacy, forget]
