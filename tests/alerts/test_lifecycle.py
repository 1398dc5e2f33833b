"""Dedup, escalation, ack, snooze and close, on hand-made candidates; stable ids across replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigie.alerts.engine import Engine
from vigie.alerts.lifecycle import Lifecycle
from vigie.alerts.model import Candidate, DocInfo

from .conftest import T0, background, load_watch, make_doc

SLICE = 900


def infos(prefix: str, n: int, start: float, **fields) -> list[DocInfo]:
    return [DocInfo(make_doc(f"{prefix}{i}", f"texte {i}", datetime.fromtimestamp(start + 60 * i, UTC), **fields),
                    ["fuite", "gaz"]) for i in range(n)]


def cand(docs, kind="crisis_keywords", key="pollution", terms=("odeur de gaz",)):
    return Candidate(kind, key, docs, list(terms), magnitude=len(docs), growth=10.0, start=None, label=key)


def test_same_topic_is_one_alert_and_escalates_when_volume_doubles():
    life = Lifecycle("w", escalation_factor=2.0)
    t = 1_800_000_000.0
    docs = infos("a", 16, t)
    e1 = life.apply([cand(docs[:3])], t + SLICE)
    assert [e["event"] for e in e1] == ["new"] and e1[0]["level"] == 1 and e1[0]["doc_count"] == 3
    aid = e1[0]["alert_id"]
    assert life.apply([cand(docs[:5])], t + 2 * SLICE) == []          # 5 < 6: updated, not re-sent
    assert life.alerts[aid].doc_count == 5
    e3 = life.apply([cand(docs[:6])], t + 3 * SLICE)                  # doubled: level 2
    assert [(e["event"], e["level"], e["alert_id"]) for e in e3] == [("escalation", 2, aid)]
    assert life.apply([cand(docs[:11])], t + 4 * SLICE) == []
    e5 = life.apply([cand(docs[:12])], t + 5 * SLICE)                 # ×4: level 3
    assert e5[0]["level"] == 3
    assert [h["level"] for h in e5[0]["history"]] == [1, 2, 3]
    assert len(life.alerts) == 1


def test_emerging_topic_joins_overlapping_crisis_alert_and_new_topic_opens_new_alert():
    life = Lifecycle("w")
    t = 1_800_000_000.0
    docs = infos("a", 6, t)
    life.apply([cand(docs[:4])], t + SLICE)
    events = life.apply([cand(docs[1:6], kind="emerging_topic", key="", terms=("gaz", "fuite"))], t + 2 * SLICE)
    assert events == [] and len(life.alerts) == 1
    other = infos("b", 4, t)
    events = life.apply([cand(other, kind="emerging_topic", key="", terms=("zaz", "concert"))], t + 3 * SLICE)
    assert [e["event"] for e in events] == ["new"] and len(life.alerts) == 2


def test_quiet_alert_closes_and_the_pack_later_opens_a_new_alert():
    life = Lifecycle("w", close_after_hours=24)
    t = 1_800_000_000.0
    first = life.apply([cand(infos("a", 3, t))], t + SLICE)[0]
    later = t + 30 * 3600
    second = life.apply([cand(infos("b", 3, later))], later + SLICE)[0]
    assert second["event"] == "new" and second["alert_id"] != first["alert_id"]
    assert life.alerts[first["alert_id"]].status == "closed"


def test_acknowledged_alert_still_escalates_and_snoozed_alert_is_held():
    life = Lifecycle("w")
    t = 1_800_000_000.0
    docs = infos("a", 12, t)
    aid = life.apply([cand(docs[:3])], t + SLICE)[0]["alert_id"]
    Lifecycle.acknowledge(life.alerts[aid], datetime.fromtimestamp(t + SLICE, UTC))
    esc = life.apply([cand(docs[:6])], t + 2 * SLICE)
    assert esc[0]["event"] == "escalation" and esc[0]["deliver"] and esc[0]["status"] == "acknowledged"
    Lifecycle.snooze(life.alerts[aid], datetime.fromtimestamp(t + 10 * SLICE, UTC))
    held = life.apply([cand(docs[:12])], t + 3 * SLICE)
    assert held[0]["level"] == 3 and held[0]["deliver"] is False
    life.apply([cand(docs[:12])], t + 11 * SLICE)
    assert life.alerts[aid].status == "open"                            # the snooze is over


def test_replay_twice_gives_the_same_alert_ids_and_fired_at(tmp_path):
    watch = load_watch(tmp_path)
    start = T0 + timedelta(days=1, hours=19)
    flood = [make_doc(f"f{i}", "Rue inondée et caves inondées, évacuation en cours", start + timedelta(minutes=4 * i))
             for i in range(12)]
    docs = sorted(background() + flood, key=lambda d: (d.published_at, d.doc_id))
    one = [(e["alert_id"], e["level"], e["fired_at"]) for e in Engine(watch).run(docs)]
    two = [(e["alert_id"], e["level"], e["fired_at"]) for e in Engine(watch).run(docs)]
    assert one == two and len(one) >= 2 and len({a for a, _, _ in one}) == 1
