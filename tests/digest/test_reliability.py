"""The sending log never lies: a run that fails after claiming the day records ``failed``; a fresh claim of
another run is ``in_progress``; a sent digest whose record cannot be written is not sent again; the
archive of what was sent is not rewritten; old archives are pruned."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support import names, run_settings

from .test_send import run, settings

DAY = date(2026, 11, 17)


def record(client):
    from vigie.digest.store import DigestStore

    return DigestStore(client, names).get("testville", DAY)


def test_build_failure_after_the_claim_is_recorded_failed_then_sent(constructed, watch, tmp_path, state,
                                                                    smtp_factory, unused_port, monkeypatch):
    import vigie.digest.runner

    server = smtp_factory(unused_port)

    def broken(*args, **kwargs):
        raise RuntimeError("template exploded")

    with monkeypatch.context() as patch:
        patch.setattr(vigie.digest.runner, "build_message", broken)
        with pytest.raises(RuntimeError, match="template exploded"):
            run(constructed, watch, tmp_path, unused_port)
    failed = record(constructed)
    assert failed["status"] == "failed" and "RuntimeError: template exploded" in failed["error"]
    retried = run(constructed, watch, tmp_path, unused_port)               # an Airflow retry, or --date D --send
    assert retried.status == "sent" and len(server.messages) == 1
    assert record(constructed)["status"] == "sent"


def test_interrupted_while_sending_is_recorded_failed(constructed, watch, tmp_path, state, smtp_factory,
                                                     unused_port, monkeypatch):
    import vigie.mail

    server = smtp_factory(unused_port)

    def killed(message, settings):
        raise KeyboardInterrupt      # a BaseException, as the task's timeout or the worker stopping

    with monkeypatch.context() as patch:
        patch.setattr(vigie.mail, "send", killed)
        with pytest.raises(KeyboardInterrupt):
            run(constructed, watch, tmp_path, unused_port)
    assert record(constructed)["status"] == "failed" and "KeyboardInterrupt" in record(constructed)["error"]
    assert run(constructed, watch, tmp_path, unused_port).status == "sent" and len(server.messages) == 1


def test_message_id_is_in_the_claim_before_sending(constructed, watch, tmp_path, state, smtp_factory, unused_port):
    server = smtp_factory(unused_port)
    seen = []
    server.on_message = lambda msg: seen.append((msg["Message-ID"], record(constructed)))
    outcome = run(constructed, watch, tmp_path, unused_port)
    assert outcome.status == "sent"
    message_id, during = seen[0]
    assert during["status"] == "sending" and during["message_id"] == message_id
    assert during["subject"] == outcome.subject
    assert record(constructed)["message_id"] == message_id


def test_finish_is_checked_against_the_claim(constructed):
    from elasticsearch import ConflictError

    from vigie.digest.store import STALE, DigestStore

    store = DigestStore(constructed, names)
    first = store.claim("testville", DAY)
    taker = store.claim("testville", DAY, now=datetime.now(UTC) + STALE + timedelta(minutes=1))
    assert first.granted and taker.granted
    with pytest.raises(ConflictError):                                     # the first run lost its claim
        store.finish(first, "testville", DAY, status="failed", error="late")
    store.finish(taker, "testville", DAY, status="sent")
    assert store.get("testville", DAY)["status"] == "sent"


def test_sent_but_the_log_refuses_it_is_never_sent_again(constructed, watch, tmp_path, state, smtp_factory,
                                                         unused_port):
    from vigie.digest.store import STALE, DigestStore, fallback_path

    index = DigestStore(constructed, names).index
    server = smtp_factory(unused_port)

    def block(_msg):    # Elasticsearch refuses writes once the server accepted the message
        constructed.indices.put_settings(index=index, settings={"index.blocks.write": True})

    server.on_message = block
    waits = []
    try:
        outcome = run(constructed, watch, tmp_path, unused_port, sleep=waits.append)
        assert (outcome.status, outcome.sent) == ("sent", True) and len(server.messages) == 1
        assert waits == [0.01, 0.02]          # recording sent: three attempts (the SMTP send needed one)
        assert record(constructed)["status"] == "sent"                     # from the fallback file
        kept = json.loads(fallback_path("testville", DAY).read_text(encoding="utf-8"))
        assert kept["status"] == "sent" and kept["message_id"] == server.messages[0][1]["Message-ID"]
        # while Elasticsearch still refuses writes, later runs (after the stale window too) send nothing
        later = datetime.now(UTC) + STALE + timedelta(minutes=5)
        assert run(constructed, watch, tmp_path, unused_port, now=later).status == "already_sent"
    finally:
        server.on_message = None
        constructed.indices.put_settings(index=index, settings={"index.blocks.write": None})
    again = run(constructed, watch, tmp_path, unused_port, now=datetime.now(UTC) + STALE + timedelta(minutes=5))
    assert again.status == "already_sent" and len(server.messages) == 1
    stored = constructed.get(index=index, id="testville:2026-11-17")["_source"]
    assert stored["status"] == "sent" and not fallback_path("testville", DAY).exists()   # written back


def test_the_archive_of_a_sent_day_is_not_rewritten(constructed, watch, tmp_path, state, smtp_factory,
                                                    unused_port):
    from vigie.digest.runner import run_digest

    from .conftest import at, index_docs, make, write_jsonl

    smtp_factory(unused_port)
    sent = run_digest(run_settings(), watch, DAY, client=constructed, send=True, smtp=settings(unused_port))
    assert sent.status == "sent" and sent.html_path == state / "digests" / "testville" / "2026-11-17.html"
    files = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sent.html_path.parent.glob("2026-11-17.*")}
    assert {p.suffix for p in files} == {".html", ".txt", ".json", ".png"}
    index_docs(constructed, "testville", write_jsonl(tmp_path / "late.jsonl", [make("late-1", at(17, 20))]))
    for send in (True, False):                                   # a re-run, with or without --send
        again = run_digest(run_settings(), watch, DAY, client=constructed, send=send,
                           smtp=settings(unused_port))
        assert again.status == "already_sent" and again.html_path == sent.html_path
        assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == files
    assert json.loads(sent.html_path.with_suffix(".json").read_text(encoding="utf-8"))["total"] == 16
    copy = run_digest(run_settings(), watch, DAY, client=constructed, out=tmp_path / "copy.html")  # --out elsewhere
    assert copy.status == "written" and copy.figures["total"] == 17 and copy.html_path.exists()
    assert not [p for p in sent.html_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_two_runs_writing_the_same_files_at_once(constructed, watch, tmp_path):
    from vigie.digest.figures import collect
    from vigie.digest.runner import write_files

    figures = collect(constructed, names, watch, DAY)
    out = tmp_path / "same" / "digest.html"
    errors = []
    barrier = threading.Barrier(4)

    def writer():
        barrier.wait()
        try:
            for _ in range(15):
                write_files(figures, b"\x89PNG fake", out, "Veille")
        except Exception as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["digest.html", "digest.json", "digest.png", "digest.txt"]


def test_prune_deletes_archives_older_than_the_retention(state):
    from vigie.digest.archive import DEFAULT_RETENTION_DAYS, prune

    folder = state / "digests" / "testville"
    folder.mkdir(parents=True)
    now = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
    names = []
    for age in (0, 30, 31, 89, 90, 91, 400):
        day = (now.date() - timedelta(days=age)).isoformat()
        for suffix in (".html", ".txt", ".json", ".png"):
            (folder / f"{day}{suffix}").write_text("x")
        names.append(day)
    (folder / f"{names[-1]}.sent.json").write_text("{}")
    (folder / "notes.md").write_text("not a digest")
    deleted = prune("testville", 30, now)
    assert {p.name[:10] for p in deleted} == set(names[2:])             # 31 days and older
    assert len(deleted) == 5 * 4 + 1
    assert sorted({p.name[:10] for p in folder.glob("2*")}) == sorted(names[:2])
    assert (folder / "notes.md").exists()
    for day in names[:2]:
        (folder / f"{day}.html").unlink()
    assert DEFAULT_RETENTION_DAYS == 90
    (folder / f"{(now.date() - timedelta(days=91)).isoformat()}.html").write_text("x")
    (folder / f"{(now.date() - timedelta(days=90)).isoformat()}.html").write_text("x")
    assert [p.name for p in prune("testville", None, now)] == [f"{(now.date() - timedelta(days=91)).isoformat()}.html"]
    assert prune("nowhere", 30, now) == []
