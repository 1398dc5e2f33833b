"""One event, one alert, readable: a replayed crisis stream, two simultaneous events, re-runs, the demo."""

from __future__ import annotations

import os
import re
from datetime import timedelta

from tests.support import names
from vigie.alerts.deliver.log import Dispatcher, channels_for
from vigie.alerts.engine import Engine
from vigie.alerts.label import label_junk, label_words
from vigie.alerts.runner import load_documents, replay, run_online
from vigie.alerts.store import AlertStore
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file
from vigie.jsonl import write_jsonl
from vigie.textfold import fold

from .conftest import T0, load_watch
from .crisis_stream import crisis_stream

FIRE_WORDS = {"incendie", "entrepot", "feu", "fumee"}
JUNK = re.compile(r"\brt\b|\bvia\b|@|#|https?://|\b\d+\b", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def test_crisis_stream_is_one_bounded_readable_alert(tmp_path):
    """330 posts over two days on one fire, RTs, numbers, handles, hashtags, links, plus ordinary traffic."""
    docs = crisis_stream()
    assert len(docs) > 600
    assert sum(d.text.startswith("RT @") for d in docs) > 50
    events = Engine(load_watch(tmp_path)).run(docs)
    assert len({e["alert_id"] for e in events}) == 1, [(e["kind"], e["title"]) for e in events]
    assert events[0]["event"] == "new"
    assert max(e["level"] for e in events) <= 3
    assert [e["level"] for e in events] == sorted({e["level"] for e in events})   # each level once, in order
    last = events[-1]
    assert last["level_name"] == {1: "information", 2: "vigilance", 3: "crise"}[last["level"]]
    kinds = {d.split(":")[0] for d in last["detectors"]}
    assert {"crisis_keywords", "emerging_topic"} <= kinds        # the detectors that fired on it, merged
    for e in events:
        label = e["event_label"]
        assert "avenue de l'Hippodrome" in label, label           # the place
        assert _words(label) & FIRE_WORDS, label                  # the event in French words
        assert not label_junk(label) and not JUNK.search(label), label
        assert e["title"].endswith(label)


def test_a_long_quiet_night_does_not_split_the_event(tmp_path):
    """The second wave 16 hours after the first one's last post (more than ``same_event_hours``): new
    posts, new words, same place: the same alert."""
    events = Engine(load_watch(tmp_path)).run(crisis_stream(second_wave_hour=14))
    assert len({e["alert_id"] for e in events}) == 1, [(e["fired_at"], e["title"]) for e in events]


def test_two_simultaneous_events_are_two_alerts(tmp_path):
    events = Engine(load_watch(tmp_path)).run(crisis_stream(with_second=True))
    alerts = {}
    for e in events:
        alerts[e["alert_id"]] = e
    assert len(alerts) == 2, [(e["kind"], e["title"]) for e in events]
    labels = sorted(fold(e["event_label"]) for e in alerts.values())
    assert any("hippodrome" in x and "incendie" in x for x in labels), labels
    assert any("pacot-vandracq" in x and ("eau" in x or "coupure" in x) for x in labels), labels
    assert all(e["level"] <= 3 for e in events)


def test_next_day_run_attaches_to_the_same_alert_and_nothing_is_sent_twice(es, tmp_path, smtp_factory, smtp_env,
                                                                          unused_port):
    server = smtp_factory(unused_port)
    smtp_env.setenv("VIGIE_SMTP_PORT", str(unused_port))
    watch = load_watch(tmp_path)
    path = tmp_path / "stream.jsonl"
    write_jsonl(path, crisis_stream())
    install(es, ["testville"], names=names)
    index_file(es, path, watch_id="testville", names=names)
    es.indices.refresh(index=names.documents_alias())

    def run(now):
        outcome = run_online(es, names, watch, now=now)
        report = Dispatcher(channels_for(watch, os.environ)).deliver(outcome.events)
        return outcome.events, report

    day1_evening = T0 + timedelta(days=1, hours=16)     # the fire started at 14:00
    day2_evening = T0 + timedelta(days=2, hours=20)
    first, report1 = run(day1_evening)
    assert first and report1["sent"] == len(first) and report1["failed"] == 0
    ids = {e["alert_id"] for e in first}
    assert len(ids) == 1
    # the same interval again: the stored alert, the same levels, nothing fires nor is sent twice
    again, report2 = run(day1_evening)
    assert again == [] and report2["sent"] == 0
    # the next day's run: the second wave (new words) joins the same alert; it may only escalate
    second, report3 = run(day2_evening)
    assert report3["failed"] == 0
    assert {e["alert_id"] for e in second} <= ids
    assert all(e["event"] == "escalation" for e in second)
    stored = AlertStore(es, names).search("testville", size=50)
    assert [a.alert_id for a in stored] == sorted(ids) and stored[0].level <= 3
    assert "avenue de l'Hippodrome" in stored[0].event_label and stored[0].label_stats["docs"] >= 1
    subjects = [m["Subject"] for _, m in server.messages]
    assert len(subjects) == len({m["X-Vigie-Alert"] for _, m in server.messages})  # one message per level
    assert len(subjects) == len(first) + len(second) and all("Hippodrome" in s for s in subjects)
    text = server.messages[0][1].get_body(preferencelist=("plain",)).get_content()
    assert "Niveau : 1 — information (sur 3)" in text and "Détecteurs : mots-clés de crise (incendie)" in text
    # and once more for the next day: still nothing twice
    last, report4 = run(day2_evening)
    assert last == [] and report4["sent"] == 0


def test_demo_flood_raises_one_alert(demo_enriched, es, tmp_path):
    """The demo corpus, enriched by the real pipeline: the flood of 17 November is one alert, offline
    (replay) and online (the index, saved queries decided by Elasticsearch, as ``vigie demo`` runs it)."""
    from pathlib import Path

    from vigie.alerts.runner import pick_watch

    config = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"
    watch = pick_watch(config, "lambersart")
    docs, skipped = load_documents(demo_enriched, "lambersart")
    assert docs and not skipped
    outcome = replay(demo_enriched, watch)
    events = outcome.events
    assert len({e["alert_id"] for e in events}) == 1, [(e["kind"], e["title"]) for e in events]
    assert max(e["level"] for e in events) <= 3
    last = events[-1]
    assert {"crisis_keywords", "saved_query"} <= {d.split(":")[0] for d in last["detectors"]}
    label = fold(last["event_label"])
    assert "inondation" in label and ("pacot-vandracq" in label or "rue des saules" in label), label
    assert not label_junk(last["event_label"])
    install(es, ["lambersart"], names=names)
    index_file(es, demo_enriched, watch_id="lambersart", names=names)
    es.indices.refresh(index=names.documents_alias())
    online = run_online(es, names, watch, now=docs[-1].published_at + timedelta(minutes=15))
    assert {e["alert_id"] for e in online.events} == {last["alert_id"]}
    assert [a.alert_id for a in AlertStore(es, names).search("lambersart")] == [last["alert_id"]]


def test_label_junk_and_road_references():
    assert label_junk("Incendie, entrepôt — avenue de l'Hippodrome, Testville") == []
    assert label_junk("Accident, route — D933, Armentières") == []          # a road reference is a place
    assert sorted(label_junk("rt, 10, @prefet59, les — #crue")) == sorted(["rt", "10", "@prefet59", "les", "#"])
    assert label_words("coupure d'électricité") == ["coupure", "électricité"]
