"""Helpers of the alerts tests: documents built by hand, a watch, a real SMTP server and a real HTTP server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.smtp import smtp_servers
from vigie.httpserve import LoopbackServer

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 10, 0, 0, tzinfo=PARIS)


def make_doc(n: int | str, text: str, when: datetime, **fields):
    from vigie.schema import Document

    data = {"item_id": f"t-{n}", "platform": fields.pop("platform", "mastodon"), "source_id": "test",
            "text": text, "published_at": when, "url": f"https://social.example/@a/{n}",
            "watch_ids": ["testville"], **fields}
    return Document.model_validate(data)


def background(days: int = 2, per_hour: int = 4, start: datetime = T0):
    """Ordinary posts: varied topics, none of them bursting."""
    topics = ["Le marché du samedi est bien animé, beaucoup de producteurs locaux.",
              "Travaux rue Foch : la circulation est alternée cette semaine.",
              "La médiathèque propose un atelier lecture pour les enfants mercredi.",
              "Le club de basket a gagné son match dimanche, bravo à l'équipe.",
              "Les horaires de la piscine changent pendant les vacances scolaires.",
              "Nouvelle boulangerie ouverte près de la gare, le pain est excellent.",
              "Collecte des encombrants sur rendez-vous auprès des services techniques.",
              "Réunion publique sur le plan local d'urbanisme jeudi à la mairie."]
    docs = []
    for h in range(days * 24):
        for k in range(per_hour):
            when = start + timedelta(hours=h, minutes=k * (60 // per_hour) + 3)
            docs.append(make_doc(f"bg-{h}-{k}", topics[(h * per_hour + k) % len(topics)], when,
                                 topics=["vie-locale"], sentiment={"label": "neutral", "score": 0.0}))
    return docs


WATCH = {
    "id": "testville", "name": "Ville de Testville",
    "territory": {"communes": ["59328"], "keywords": ["Testville"]},
    "own_accounts": ["VilleDeTestville"],
    "alerts": {"recipients": ["alertes@testville.example", "elus@testville.example"],
               "thresholds": {"warmup_hours": 12}},
}


def watch_file(tmp_path, **alerts) -> str:
    watch = json.loads(json.dumps(WATCH))
    watch["alerts"].update(alerts)
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump({"watches": [watch]}, allow_unicode=True), encoding="utf-8")
    return str(path)


def load_watch(tmp_path, **alerts):
    from vigie.config import load_config

    return load_config(watch_file(tmp_path, **alerts)).watches[0]


@pytest.fixture
def watch(tmp_path):
    return load_watch(tmp_path)


@pytest.fixture
def smtp_factory():
    """Start a real SMTP server (aiosmtpd) on 127.0.0.1 at a given port; stopped after the test."""
    yield from smtp_servers(brief=True)


@pytest.fixture
def smtp_env(monkeypatch, tmp_path):
    """Environment of the alerts stage: its own state folder and SMTP settings pointing at loopback."""
    monkeypatch.setenv("VIGIE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("VIGIE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VIGIE_SMTP_FROM", "vigie@testville.example")
    monkeypatch.setenv("VIGIE_SMTP_TIMEOUT", "5")
    return monkeypatch


class _Hooks(LoopbackServer):
    """Records the JSON posted to it; answers 503 to the next ``fail_next`` posts."""

    name = "hooks"

    def __init__(self):
        super().__init__()
        self.received: list[tuple[str, dict]] = []
        self.fail_next = 0
        self.start()

    def answer(self, hit):
        if hit.method != "POST":
            return 501, {}, b""
        if self.fail_next > 0:
            self.fail_next -= 1
            return 503, {}, b""
        self.received.append((hit.path, json.loads(hit.body)))
        return 200, {"Content-Type": "text/plain"}, b"ok"

    @property
    def url(self) -> str:
        return self.base_url

    def close(self):
        self.stop()


@pytest.fixture
def hooks():
    """A real HTTP server on 127.0.0.1 that records the JSON posted to it (and can answer 503)."""
    server = _Hooks()
    yield server
    server.close()
