"""Each DAG end to end with ``dag.test()``: the demo territory's sites on 127.0.0.1, the real test
Elasticsearch node, a real SMTP server on loopback.  The tests of this module share one pipeline and
run in order: collect, collect again (with a broken source added), alerts, digest, maintenance."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import yaml

from tests.airflow.conftest import run_dag
from tests.conftest import delete_prefixed

WATCH = "lambersart"
FIRST_RUN = "2026-11-19T12:00:00+00:00"     # collect of 11:00-12:00 UTC
SECOND_RUN = "2026-11-19T13:00:00+00:00"


class Pipeline:
    def __init__(self, root: Path, env: dict[str, str], client, config: Path, sink, sites, home: Path):
        self.root, self.env, self.client, self.config, self.home = root, env, client, config, home
        self.sink, self.sites = sink, sites

    def run(self, dag_id: str, when: str, config: Path | None = None, **extra: str) -> dict:
        env = {**self.env, "VIGIE_CONFIG": str(config or self.config), **extra}
        log = self.root / f"{dag_id}-{when[:13]}.log"
        return run_dag(self.home, dag_id, when, env, log)

    def count(self, query: dict | None = None) -> int:
        prefix = self.env["VIGIE_INDEX_PREFIX"]
        self.client.indices.refresh(index=f"{prefix}-*")
        return self.client.count(index=f"{prefix}-watch-{WATCH}", query=query or {"match_all": {}})["count"]

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for _, message, _ in self.sink.messages]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, es_url, airflow_home):
    from elasticsearch import Elasticsearch

    from vigie.demo.sites import DemoSites, write_demo_config
    from vigie.demo.smtp_sink import SmtpSink

    root = tmp_path_factory.mktemp("dags")
    prefix = f"vigie-test-{uuid.uuid4().hex[:8]}"
    client = Elasticsearch(es_url)
    with DemoSites(port=0) as sites, SmtpSink(root / "mail") as sink:
        config = write_demo_config(root / "config", sites.base_url)
        env = {"ELASTICSEARCH_URL": es_url, "VIGIE_INDEX_PREFIX": prefix, "VIGIE_STATE_DIR": str(root / "state"),
               "VIGIE_DATA_DIR": str(root / "data"), **sink.env, **sites.env}
        yield Pipeline(root, env, client, config, sink, sites, airflow_home)
    delete_prefixed(client, prefix)


def demo_counts() -> int:
    from vigie.demo.sites._data import load

    return len(load())


def test_collect_crawls_every_source_then_enriches_and_indexes(pipeline):
    result = pipeline.run("vigie_collect", FIRST_RUN)
    sources = [s["id"] for s in yaml.safe_load(pipeline.config.read_text())["watches"][0]["sources"]]
    crawls = {k: v for k, v in result["tasks"].items() if k.startswith("crawl[")}
    # one task per batch of 50 sources (VIGIE_CRAWL_BATCH_SIZE): the demo's sources are one batch
    assert crawls == {f"crawl[{WATCH}/{sources[0]} … {WATCH}/{sources[-1]} ({len(sources)})]": "success"}, result
    assert result["tasks"]["check_sources"] == "success"
    assert result["state"] == "success", result
    raw = list((pipeline.root / "data" / "raw" / WATCH).glob("*/20261119T110000Z--20261119T120000Z.jsonl"))
    assert len(raw) == len(sources)
    collected = {json.loads(line)["doc_id"] for path in raw for line in path.read_text(encoding="utf-8").splitlines()}
    assert len(collected) >= demo_counts()       # every demo document came through a crawler
    assert pipeline.count() == len(collected)
    enriched = pipeline.root / "data" / "enriched" / WATCH / "20261119T110000Z--20261119T120000Z.jsonl"
    first = json.loads(enriched.read_text(encoding="utf-8").splitlines()[0])
    assert first["enriched_at"] and "topics" in first
    assert pipeline.count({"term": {"territory.communes.insee": "59328"}}) > 10


def test_a_new_source_gets_its_task_and_a_failing_one_blocks_nothing(pipeline, unused_port):
    config = yaml.safe_load(pipeline.config.read_text(encoding="utf-8"))
    config["watches"][0]["sources"].append({"id": "site-en-panne", "kind": "feed", "allow_private_networks": True,
                                            "url": f"http://127.0.0.1:{unused_port}/rss.xml"})
    broken = pipeline.root / "config" / "with-broken-source.yaml"
    broken.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    before = pipeline.count()
    result = pipeline.run("vigie_collect", SECOND_RUN, config=broken, VIGIE_CRAWL_BATCH_SIZE="3")
    tasks = result["tasks"]
    crawls = {k: v for k, v in tasks.items() if k.startswith("crawl[")}
    assert len(crawls) == -(-len(config["watches"][0]["sources"]) // 3), tasks   # one task per batch of 3
    # the batch that holds it fails (after its other sources ran), and only that one
    assert [k for k, v in crawls.items() if v != "success"] == [k for k in crawls if "site-en-panne" in k], tasks
    assert list(crawls.values()).count("failed") == 1, tasks
    assert tasks[f"enrich[{WATCH}]"] == "success" and tasks[f"index[{WATCH}]"] == "success", tasks
    assert tasks["check_sources"] == "failed"   # the run says a source failed, by name…
    log = (pipeline.root / f"vigie_collect-{SECOND_RUN[:13]}.log").read_text(encoding="utf-8", errors="replace")
    assert f"RuntimeError: 1 source(s) failed: {WATCH}/site-en-panne: source unreachable" in log
    raw = pipeline.root / "data" / "raw" / WATCH
    others = [p for p in raw.glob("*/20261119T120000Z--20261119T130000Z.summary.json") if "panne" not in str(p)]
    assert others and all(json.loads(p.read_text())["status"] == "ok" for p in others)
    assert result["state"] == "failed"
    assert pipeline.count() == before            # …and the incremental re-crawl added no duplicate


def test_alerts_fire_once_for_the_flood(pipeline):
    result = pipeline.run("vigie_alerts", "2026-11-17T21:00:00+01:00")
    assert result["state"] == "success", result
    alerts_mail = [s for s in pipeline.subjects() if s.startswith("[Vigie]")]
    assert alerts_mail, pipeline.subjects()
    hooks = len(pipeline.sites.hooks.received)
    assert hooks >= 1                                      # also delivered by webhook (Mattermost)
    assert any("inond" in s.lower() for s in alerts_mail)
    again = pipeline.run("vigie_alerts", "2026-11-17T21:00:00+01:00")
    assert again["state"] == "success"
    assert len([s for s in pipeline.subjects() if s.startswith("[Vigie]")]) == len(alerts_mail)   # nothing sent twice
    assert len(pipeline.sites.hooks.received) == hooks


def test_the_digest_goes_out_once_for_the_day_before(pipeline):
    before = len(pipeline.sink.messages)
    result = pipeline.run(f"vigie_digest_{WATCH}", "2026-11-18T07:00:00+01:00")
    assert result["state"] == "success", result
    new = pipeline.sink.messages[before:]
    assert len(new) == 1
    recipients, message, _ = new[0]
    assert recipients == ["communication@lambersart.example"]
    assert "17" in str(message["Subject"]) and message.get_body(("html",)) is not None
    assert (pipeline.root / "state" / "digests" / WATCH / "2026-11-17.html").exists()
    assert pipeline.run(f"vigie_digest_{WATCH}", "2026-11-18T07:00:00+01:00")["state"] == "success"
    assert len(pipeline.sink.messages) == before + 1


def test_maintenance_scores_enforces_retention_and_erases(pipeline, monkeypatch):
    from vigie.privacy import requests

    config = yaml.safe_load(pipeline.config.read_text(encoding="utf-8"))
    config["watches"][0]["privacy"]["retention_days"] = 10
    short = pipeline.root / "config" / "short-retention.yaml"
    short.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    hits = pipeline.client.search(index=f"{pipeline.env['VIGIE_INDEX_PREFIX']}-watch-{WATCH}", size=1,
                                  query={"bool": {"must": [{"term": {"platform": "mastodon"}},
                                                           {"range": {"published_at": {"gte": "2026-11-15"}}}]}})
    author = hits["hits"]["hits"][0]["_source"]["author"]["handle"]
    monkeypatch.setenv("VIGIE_STATE_DIR", pipeline.env["VIGIE_STATE_DIR"])
    requests.queue("mastodon", author)
    old = {"range": {"published_at": {"lt": "2026-11-09T02:30:00Z"}}}
    assert pipeline.count(old) > 0

    archive = pipeline.root / "state" / "digests" / WATCH
    assert (archive / "2026-11-17.html").exists()
    stale = archive / "2026-11-01.html"        # an archived digest older than the retention
    stale.write_text("<html>ancien</html>", encoding="utf-8")
    result = pipeline.run("vigie_maintenance", "2026-11-19T03:30:00+01:00", config=short)
    assert result["state"] == "success", result
    assert pipeline.count(old) == 0                                   # retention: 10 days before the run
    assert pipeline.count({"term": {"author.handle": author}}) == 0   # the queued erasure was carried out
    assert not requests.pending()
    assert not stale.exists() and (archive / "2026-11-17.html").exists()
    authors = pipeline.client.count(index=f"{pipeline.env['VIGIE_INDEX_PREFIX']}-authors")["count"]
    assert authors > 5
