"""The demo sites: every demo source crawled for real (each crawl in its own process) against
``DemoSites`` on a free port, compared with ``vigie/demo/lambersart.jsonl``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.crawlers.worker import crawl as crawl_source
from vigie.config import load_config
from vigie.demo.sites import DEMO_ENV, DemoPortBusy, DemoSites, write_demo_config
from vigie.demo.sites._data import load
from vigie.schema import make_doc_id

ROOT = Path(__file__).resolve().parents[2]
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 1, "LOG_LEVEL": "INFO"}
RUN1 = "2026-11-21T08:00:00Z/2026-11-21T09:00:00Z"
RUN2 = "2026-11-21T09:00:00Z/2026-11-21T10:00:00Z"
PARIS = ZoneInfo("Europe/Paris")
DEMO = load()


def crawl_all(config: Path, source_ids: list[str], tmp: Path, interval: str) -> dict[str, tuple[dict, list[dict]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_TEST_SECRET")}
    env.update(PYTHONPATH=str(ROOT), **DEMO_ENV)

    def one(source_id: str) -> tuple[dict, list[dict]]:
        summary = crawl_source(config, "lambersart", source_id, tmp / "out", FAST, interval=interval,
                               state_dir=tmp / "state", timeout=120, env=env)
        output = Path(summary["output"])
        lines = output.read_text(encoding="utf-8").splitlines() if output.exists() else []
        return summary, [json.loads(line) for line in lines if line.strip()]

    with ThreadPoolExecutor(max_workers=len(source_ids)) as pool:
        return dict(zip(source_ids, pool.map(one, source_ids), strict=True))


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """Two crawls of every demo source (the second one must find nothing new)."""
    tmp = tmp_path_factory.mktemp("demo-sites")
    with DemoSites(port=0) as sites:
        config = write_demo_config(tmp / "config", sites.base_url)
        source_ids = [s.id for s in load_config(config).watch("lambersart").sources]
        first = crawl_all(config, source_ids, tmp, RUN1)
        second = crawl_all(config, source_ids, tmp, RUN2)
        yield {"sites": sites, "config": config, "first": first, "second": second, "hits": sites.paths()}


def demo_key(doc: dict) -> tuple[str, str]:
    """A crawled or demo document's key in the demo data: (demo platform, demo item id).

    Item ids differ where the spider derives them: feed entries are keyed by their canonical link,
    Mastodon statuses by ``<instance host>/<id>``, Discourse posts by ``<forum>/p/<id>``, Decidim
    proposals by ``<host>/proposal/<id>``."""
    if doc["source_kind"] == "feed":
        return "rss", doc["canonical_url"]
    platform, item = doc["platform"], doc["item_id"]
    if doc in DEMO:
        return platform, item
    tail = item.rsplit("/", 1)[-1]
    if platform == "mastodon":
        return platform, tail
    if platform == "discourse":
        return platform, f"post-{tail}"
    if platform == "decidim":
        return platform, (f"proposal-{tail}" if "/proposal/" in item else f"process-{tail}")
    return platform, item


def by_key(docs: list[dict]) -> dict[tuple[str, str], dict]:
    return {demo_key(d): d for d in docs}


def structure(docs: list[dict]) -> dict[tuple[str, str], tuple]:
    """Each document's (thread root, parent) as demo keys."""
    index = {d.get("doc_id") or make_doc_id(d["platform"], d["item_id"]): d for d in docs}

    def key_of(doc_id):
        return demo_key(index[doc_id]) if doc_id in index else None

    return {demo_key(d): (key_of(d["thread_id"]), key_of(d["parent_id"])) for d in docs}


@pytest.fixture(scope="module")
def crawled(crawl) -> list[dict]:
    return [doc for _, docs in crawl["first"].values() for doc in docs]


def test_every_source_crawls_without_errors(crawl):
    for source_id, (summary, _) in crawl["first"].items():
        assert summary["status"] == "ok", (source_id, summary)
        assert not summary.get("errors_by_reason"), (source_id, summary["errors_by_reason"])
    paths = set(crawl["hits"])
    assert {"/presse/journal-metropole/rss.xml", "/facebook/v21.0/100064518273940/posts",
            "/mastodon/api/v1/timelines/tag/lambersart", "/discourse/latest.json", "/reddit/r/lille/new.json",
            "/decidim/api"} <= paths


def test_counts_per_platform_and_kind_are_the_demo_data(crawled):
    got = Counter(demo_key(d)[0] + "/" + d["kind"] for d in crawled)
    want = Counter(d["platform"] + "/" + d["kind"] for d in DEMO)
    # The decidim spider also collects the participatory process itself, as a page.
    assert got == want + Counter({"decidim/page": 1})
    assert len(crawled) == len(DEMO) + 1 == len(by_key(crawled))


def test_sources_are_the_demo_sources(crawl):
    want = Counter(d["source_id"] for d in DEMO) + Counter({"decidim-lambersart": 1})
    assert {sid: len(docs) for sid, (_, docs) in crawl["first"].items()} == dict(want)


def test_texts_dates_authors_and_engagement_match(crawled):
    got = by_key(crawled)
    for demo in DEMO:
        doc = got[demo_key(demo)]
        platform = demo["platform"]
        where = (platform, demo["item_id"])
        text = demo["text"]
        if platform in ("rss", "discourse"):  # their HTML extraction keeps paragraphs as single newlines
            text = re.sub(r"\n\s*\n", "\n", text)
        assert doc["text"] == text, where
        assert doc["kind"] == demo["kind"] and doc["title"] == demo["title"], where
        assert datetime.fromisoformat(doc["published_at"]) == datetime.fromisoformat(demo["published_at"]), where
        assert doc["author"]["name"] == demo["author"]["name"], where
        if platform != "rss":  # a feed carries no engagement
            for figure in ("likes", "replies"):
                assert doc["engagement"][figure] == demo["engagement"][figure], (where, figure)
        if platform in ("mastodon", "discourse", "reddit", "decidim"):
            assert doc["author"]["handle"] == demo["author"]["handle"], where
        if platform in ("rss", "facebook", "mastodon", "reddit"):  # the others link to the demo server
            assert doc["url"] == demo["url"], where
        if platform in ("facebook", "mastodon", "reddit"):
            assert doc["engagement"]["shares"] == demo["engagement"]["shares"] or demo["kind"] == "comment", where


def test_thread_structure_matches(crawled):
    want = structure(DEMO)
    got = structure(crawled)
    for key, (thread, parent) in want.items():
        if key[0] == "rss":
            assert got[key] == (None, None)
            continue
        assert got[key] == (thread, parent), key
    replies = [k for k, (_, parent) in want.items() if parent and want[parent][1] is not None]
    assert replies, "the demo has replies to comments (nested threads)"


def test_the_flood_of_17_november_is_there(crawled):
    evening = [d for d in crawled
               if datetime.fromisoformat(d["published_at"]).astimezone(PARIS).strftime("%Y-%m-%d %H") >= "2026-11-17 18"
               and datetime.fromisoformat(d["published_at"]).astimezone(PARIS).date().isoformat() == "2026-11-17"]
    want = [d for d in DEMO if d["published_at"].startswith("2026-11-17T") and d["published_at"][11:13] >= "18"]
    assert len(evening) == len(want) >= 8
    assert {demo_key(d)[0] for d in evening} == {"facebook", "mastodon", "reddit", "rss"}
    assert any("passage souterrain" in d["text"].lower() for d in evening)


def test_a_second_crawl_writes_nothing_new(crawl):
    for source_id, (summary, docs) in crawl["second"].items():
        assert summary["status"] == "ok", (source_id, summary)
        assert docs == [], source_id


def test_the_config_points_at_the_sites(crawl):
    text = crawl["config"].read_text(encoding="utf-8")
    assert "http://127.0.0.1:8740/" not in text and crawl["sites"].base_url + "/" in text
    assert (ROOT / "config" / "demo.yaml").read_text(encoding="utf-8").count("http://127.0.0.1:8740/") >= 7


def test_the_facebook_api_wants_the_demo_token(crawl):
    url = crawl["sites"].base_url + "/facebook/v21.0/100064518273940/posts"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)
    with refused.value as answer:
        assert json.load(answer)["error"]["code"] == 190
    token = DEMO_ENV["VIGIE_DEMO_FB_TOKEN"]
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert len(json.load(answer)["data"]) == 7


def test_a_busy_port_is_named(crawl):
    port = crawl["sites"].port
    with pytest.raises(DemoPortBusy, match=rf"127\.0\.0\.1:{port}.*VIGIE_DEMO_PORT"):
        DemoSites(port=port).start()


def test_the_module_serves_until_killed():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "vigie.demo.sites", "--port", "0"], stdout=subprocess.PIPE,
                              text=True, env=env)
    try:
        base = server.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        with urllib.request.urlopen(base + "/presse/lambersart-infos/rss.xml", timeout=5) as answer:
            assert answer.read().count(b"<item>") == 7
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
