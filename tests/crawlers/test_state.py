"""SourceState: snapshots, staged cursors, runs, replay of killed runs, locking."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from vigie.crawlers.state import SourceState, StateLocked, item_fingerprint, state_path
from vigie.schema import Document


def _doc(item_id: str, text: str = "Un texte", likes: int | None = None) -> Document:
    return Document(item_id=item_id, platform="web", source_id="s", text=text, content_hash=None,
                    published_at=datetime(2026, 11, 18, 8, tzinfo=UTC), engagement={"likes": likes})


def test_state_path(monkeypatch, tmp_path):
    monkeypatch.setenv("VIGIE_STATE_DIR", str(tmp_path))
    assert state_path("lambersart", "presse") == tmp_path / "crawl" / "lambersart" / "presse.json"


def test_items_cursors_and_runs(tmp_path):
    path = tmp_path / "s.json"
    state = SourceState.open(path)
    doc = _doc("a")
    state.record(doc)
    assert state.fingerprint(doc.doc_id) == item_fingerprint(doc) != item_fingerprint(_doc("a", likes=3))
    state.set_cursor("topic:1", 5)
    assert state.cursor("topic:1") == 5
    state.begin_run(tmp_path / "out.jsonl")
    state.end_run(tmp_path / "out.jsonl", complete=False)
    state.close()
    reloaded = SourceState.open(path)
    assert reloaded.seen(doc.doc_id) and reloaded.cursor("topic:1") is None  # not committed: run incomplete
    reloaded.set_cursor("topic:1", 5)
    reloaded.set_validators("https://x.example/rss", '"abc"', None)
    reloaded.begin_run(tmp_path / "out2.jsonl")
    reloaded.end_run(tmp_path / "out2.jsonl", complete=True, summary={"new": 1})
    reloaded.close()
    data = json.loads(path.read_text())
    assert data["cursors"] == {"topic:1": 5} and data["validators"] == {"https://x.example/rss": {"etag": '"abc"'}}
    assert data["open_runs"] == [] and data["runs"][-1]["new"] == 1


def test_recover_replays_killed_outputs(tmp_path):
    path = tmp_path / "s.json"
    output = tmp_path / "run.jsonl"
    state = SourceState.open(path)
    state.begin_run(output)
    docs = [_doc("a"), _doc("b")]
    output.write_text("".join(d.model_dump_json() + "\n" for d in docs) + '{"torn', encoding="utf-8")
    state.close()  # killed: nothing recorded, the run is still open
    state = SourceState.open(path)
    assert state.recover() == 2 and all(state.seen(d.doc_id) for d in docs) and state.open_runs == []
    state.close()


def test_one_crawl_per_source_at_a_time(tmp_path):
    first = SourceState.open(tmp_path / "s.json")
    with pytest.raises(StateLocked):
        SourceState.open(tmp_path / "s.json")
    first.close()
    SourceState.open(tmp_path / "s.json").close()


def test_corrupt_state_is_moved_aside(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{not json")
    with pytest.raises(RuntimeError, match="unreadable crawl state"):
        SourceState.open(path)
    assert not path.exists() and list(tmp_path.glob("s.json.corrupt-*"))
