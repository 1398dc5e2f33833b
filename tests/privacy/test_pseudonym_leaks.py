"""A pseudonymising watch leaks no handle: not in URLs, mentions, ``u/name``, DIDs or ids, not in the
index, the digest, the alert samples or the webhook payloads; one account gets one token, so the
mention graph still joins; and ``vigie privacy report`` checks it."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from tests.conftest import VIGIE
from tests.support import names
from vigie.privacy.leaks import PublicAccounts, leaks
from vigie.privacy.pseudonym import Pseudonymiser
from vigie.schema import Document, make_doc_id

KEY = "0123456789abcdef-leak-test-key"
PSEUDO = Pseudonymiser(KEY.encode(), ["VilleDeLambersart", "lambersart.fr"])
PUBLIC = PublicAccounts(["VilleDeLambersart", "lambersart.fr"])
PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api"


def doc(**fields) -> Document:
    base = {"item_id": "x1", "platform": "mastodon", "source_id": "s", "published_at": "2026-11-18T10:00:00+01:00",
            "text": "Bonjour"}
    return Document(**{**base, **fields})


# ------------------------------------------------------------------ the pseudonymiser, platform by platform
def test_one_token_per_account_as_author_mention_and_link():
    author = PSEUDO.document(doc(item_id="m.example/55", author={"handle": "velo_deule@m.example"},
                                 url="https://m.example/@velo_deule/55"))
    reply = PSEUDO.document(doc(
        item_id="m.example/56", author={"handle": "camille_l@m.example", "url": "https://m.example/@camille_l"},
        text="@velo_deule Pareil ! Photo https://pixelfed.example/p/camille_l/7781, profil https://m.example/@velo_deule."
             " Merci @VilleDeLambersart et @jeanne@autre.example",
        mentions=["velo_deule", "VilleDeLambersart"], links=["https://m.example/@velo_deule"],
        url="https://m.example/@camille_l/56", canonical_url="https://m.example/@camille_l/56"))
    velo = author.author.handle
    assert velo == PSEUDO.token("mastodon", "velo_deule@m.example")
    assert reply.mentions == [velo, "VilleDeLambersart"]
    assert reply.text.startswith(f"@{velo} Pareil") and f"https://m.example/@{velo}." in reply.text
    assert f"/p/{reply.author.handle}/7781" in reply.text and "@VilleDeLambersart" in reply.text
    assert reply.links == [f"https://m.example/@{velo}"]
    assert reply.url == reply.canonical_url == "https://m.example/statuses/56"   # resolves, no handle
    assert author.url == "https://m.example/statuses/55" and reply.author.url is None
    dumped = reply.model_dump_json() + author.model_dump_json()
    assert not re.search(r"velo_deule|camille_l|jeanne", dumped)
    assert "pseudonymised" in reply.flags and PSEUDO.document(reply) == reply   # applying twice changes nothing


def test_bluesky_ids_and_links_carry_no_did_and_threads_still_join():
    root_uri = "at://did:plc:k2habitante4n3x7q9c1vb6/app.bsky.feed.post/3lbq8ab3cd22x"
    root = doc(platform="bluesky", item_id=root_uri, author={"handle": "sophie-dlm.bsky.social",
                                                              "id": "did:plc:k2habitante4n3x7q9c1vb6"},
               url="https://bsky.app/profile/sophie-dlm.bsky.social/post/3lbq8ab3cd22x")
    reply = doc(platform="bluesky", item_id="at://did:plc:r9cycliste5m2p0z8x4ab3c/app.bsky.feed.post/3lbq9",
                thread_id=make_doc_id("bluesky", root_uri), parent_id=make_doc_id("bluesky", root_uri),
                author={"id": "did:plc:r9cycliste5m2p0z8x4ab3c"},
                text="@sophie-dlm.bsky.social voir https://bsky.app/profile/did:plc:k2habitante4n3x7q9c1vb6",
                url="https://bsky.app/profile/did:plc:r9cycliste5m2p0z8x4ab3c/post/3lbq9")
    town = doc(platform="bluesky", item_id="at://did:plc:v7lambersart2xq4k6m3fz5a/app.bsky.feed.post/3lbq7",
               author={"handle": "lambersart.fr", "id": "did:plc:v7lambersart2xq4k6m3fz5a"},
               url="https://bsky.app/profile/lambersart.fr/post/3lbq7")
    p_root, p_reply, p_town = (PSEUDO.document(d) for d in (root, reply, town))
    assert p_reply.parent_id == p_reply.thread_id == p_root.doc_id != root.doc_id
    assert p_root.url is None and p_reply.url is None and p_reply.canonical_url is None
    assert f"@{p_root.author.handle} voir https://bsky.app/profile/" in p_reply.text
    assert not re.search(r"did:plc|sophie", p_root.model_dump_json() + p_reply.model_dump_json())
    assert p_town.url == town.url and p_town.author == town.author      # a public account stays in clear


@pytest.mark.parametrize("platform, fields, clear", [
    ("reddit", {"item_id": "t1_a", "author": {"handle": "jdupont", "url": "https://www.reddit.com/user/jdupont"},
                "text": "merci u/Paul_L et /u/marie59, voir https://old.reddit.com/u/marie59",
                "url": "https://www.reddit.com/r/lille/comments/abc/titre/a/"}, ["jdupont", "paul_l", "marie59"]),
    ("telegram", {"item_id": "chaine_perso/12", "author": {"handle": "chaine_perso", "url": "https://t.me/chaine_perso"},
                  "text": "voir t.me/chaine_perso/3 et https://t.me/s/autre_chaine",
                  "url": "https://t.me/chaine_perso/12"}, ["chaine_perso", "autre_chaine"]),
    ("youtube", {"item_id": "c1", "author": {"handle": "@JeanD", "id": "UCabcdef", "url": "http://www.youtube.com/@JeanD"},
                 "text": "@JeanD merci, voir https://www.youtube.com/@AutreCompte et https://youtube.com/channel/UCzzzz",
                 "url": "https://www.youtube.com/watch?v=v1&lc=c1"}, ["jeand", "ucabcdef", "autrecompte", "uczzzz"]),
    ("instagram", {"item_id": "178", "author": {"handle": "marie.l", "url": "https://www.instagram.com/marie.l/"},
                   "text": "cc @paul.r https://www.instagram.com/paul.r/", "url": "https://www.instagram.com/p/Cx1/"},
     ["marie.l", "paul.r"]),
    ("discourse", {"item_id": "forum.example/p/9", "author": {"handle": "bernard", "id": "12",
                                                              "url": "https://forum.example/u/bernard"},
                   "text": "@claire62 oui, cf https://forum.example/u/claire62/summary",
                   "url": "https://forum.example/t/piscine/4/2"}, ["bernard", "claire62"]),
])
def test_no_handle_left_on_each_platform(platform, fields, clear):
    before = doc(platform=platform, **fields)
    assert leaks(before.to_json_dict(), PUBLIC)     # the leak check sees the clear document
    after = PSEUDO.document(before)
    dumped = after.model_dump_json().lower()
    assert not [h for h in clear if re.search(rf"(?<![\w.-]){re.escape(h)}(?![\w-])", dumped)], dumped
    assert leaks(after.to_json_dict(), PUBLIC) == []
    if platform in ("reddit", "youtube", "instagram", "discourse"):
        assert after.url == before.url               # their permalinks carry no author handle
    if platform == "telegram":
        assert after.url is None and after.item_id != before.item_id


@pytest.mark.parametrize("text", ["voir http://[::1/@camille_l", "https://h:99999/@camille_l/1",
                                  "@" * 5000 + "camille_l", "https://x.example/" + "@camille_l" * 2000])
def test_hostile_text_and_broken_urls_are_pseudonymised_without_error(text):
    out = PSEUDO.document(doc(item_id="[::1/9", text=text, url=text[:300], links=[text[:300]],
                              author={"handle": "camille_l@[bad"}))
    assert "camille_l" not in out.model_dump_json()


def test_a_document_claiming_to_be_pseudonymised_is_checked_not_trusted():
    spoof = doc(item_id="m.example/58", flags=["pseudonymised"], text="cc @velo_deule",
                author={"handle": "camille_l@m.example", "name": "Camille L", "pseudonymised": True})
    assert leaks(spoof.to_json_dict(), PUBLIC) == ["author", "text"]
    out = PSEUDO.document(spoof)
    assert out.author.handle == PSEUDO.token("mastodon", "camille_l@m.example") and "camille" not in out.text
    assert out.flags == ["pseudonymised"] and leaks(out.to_json_dict(), PUBLIC) == []
    lookalike = doc(author={"handle": "anon-jeanne"}, text="@anon-jeanne")    # not a token's shape
    assert "jeanne" not in PSEUDO.document(lookalike).model_dump_json()


def test_a_display_name_does_not_make_an_account_public():
    impostor = doc(author={"handle": "troll59@m.example", "name": "VilleDeLambersart"})
    assert PSEUDO.document(impostor).author.pseudonymised
    page = doc(platform="facebook", author={"id": "1234567", "name": "VilleDeLambersart"})
    assert not PSEUDO.document(page).author.pseudonymised   # no handle on the platform: the name decides


def test_the_leak_check_names_fields_not_handles():
    clear = doc(item_id="m.example/57", author={"handle": "camille_l@m.example"}, text="cc @velo_deule",
                url="https://m.example/@camille_l/57", mentions=["velo_deule"])
    assert leaks(clear.to_json_dict(), PUBLIC) == ["author", "url", "text", "mentions"]
    assert leaks(PSEUDO.document(clear).to_json_dict(), PUBLIC) == []


# ------------------------------------------------------------------ a pseudonymised watch, end to end
def _clear_handles() -> set[str]:
    """Every account named in the Mastodon and Bluesky fixture payloads (but the public one)."""
    found = set()
    for path in [*(PAYLOADS / "mastodon").glob("*.json"), *(PAYLOADS / "bluesky").glob("*.json")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'"(?:acct|username|handle)":\s*"([^"]+)"', text))
        found |= set(re.findall(r"did:plc:[a-z0-9]+", text))
    return {h.lower() for h in found if len(h) >= 4} - {"lambersart.fr", "did:plc:v7lambersart2xq4k6m3fz5a",
                                                        "handle.invalid"}


def _leaked(text: str, handles: set[str]) -> list[str]:
    return sorted(h for h in handles if re.search(rf"(?<![\w.-]){re.escape(h)}(?![\w-])", text, re.I))


def _config(tmp_path: Path, server) -> Path:
    data = {"watches": [{
        "id": "lambersart", "name": "Ville de Lambersart", "timezone": "Europe/Paris",
        "territory": {"communes": ["59328"]},
        "privacy": {"pseudonymise_authors": True, "public_accounts": ["lambersart.fr"]},
        "alerts": {"saved_queries": [{"name": "lambersart", "query": "lambersart OR Deûle OR marché OR écoles",
                                      "threshold": 1, "window": "1d"}]},
        "sources": [
            {"id": "mastodon-lambersart", "kind": "mastodon", "url": server.base_url, "allow_private_networks": True,
             "credentials": {"access_token": "VIGIE_TEST_SECRET_MASTODON"},
             "options": {"hashtags": ["lambersart"], "accounts": ["ville_lambersart"], "timeline": "local"}},
            {"id": "bluesky-lambersart", "kind": "bluesky", "allow_private_networks": True,
             "credentials": {"identifier": "VIGIE_TEST_SECRET_BSKY_ID",
                             "app_password": "VIGIE_TEST_SECRET_BSKY_PASSWORD"},
             "options": {"actors": ["lambersart.fr"], "search": ["Lambersart"],
                         "api_url": server.base_url, "pds_url": server.base_url}},
        ]}]}
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_pseudonymised_watch_leaks_no_handle_anywhere(es, tmp_path, cli_env):
    from tests.crawlers.api_support import crawl_together
    from tests.crawlers.server import FixtureServer
    from tests.crawlers.test_api_bluesky import _xrpc
    from tests.crawlers.test_api_mastodon import _instance
    from vigie.alerts.deliver.email import build_message
    from vigie.alerts.deliver.webhook import payload
    from vigie.alerts.runner import run_online
    from vigie.analytics import graph, influence
    from vigie.analytics.load import from_elasticsearch
    from vigie.config import WEBHOOK_FORMATS, load_config
    from vigie.digest.figures import collect
    from vigie.digest.render import render
    from vigie.indexes.maintenance import matching
    from vigie.indexes.setup import install
    from vigie.indexes.writer import index_file
    from vigie.nlp.components.terms import surface_terms
    from vigie.privacy.report import privacy_report

    env = {"VIGIE_PSEUDONYM_KEY": KEY, "VIGIE_TEST_SECRET_MASTODON": "jeton-mastodon",
           "VIGIE_TEST_SECRET_BSKY_ID": "lambersart.fr", "VIGIE_TEST_SECRET_BSKY_PASSWORD": "abcd-efgh-ijkl-mnop"}
    with FixtureServer() as server:
        _instance(server)
        _xrpc(server)
        config = _config(tmp_path, server)
        runs = crawl_together(config, ["mastodon-lambersart", "bluesky-lambersart"], tmp_path, env=env)
        host = server.netloc.split(":")[0]
    docs = [d for _summary, crawled, _log in runs.values() for d in crawled]
    assert {d.platform for d in docs} == {"mastodon", "bluesky"} and len(docs) >= 8
    handles = _clear_handles()
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.jsonl"))
    assert _leaked(written, handles) == []

    # Enrichment's surface terms (mentions, links, hashtags), then the index.
    enriched = tmp_path / "enriched.jsonl"
    enriched.write_text("".join(json.dumps({**d.to_json_dict(), **{k: v for k, v in surface_terms(d.text).items()
                                                                     if k != "emojis"}}, ensure_ascii=False) + "\n"
                                for d in docs), encoding="utf-8")
    watch = load_config(config).watches[0]
    install(es, [watch.id], names=names)
    assert not index_file(es, enriched, watch_id=watch.id, names=names).rejects
    stored = [h["_source"] for h in matching(es, names.watch_alias(watch.id), {"match_all": {}}, True)]
    assert len(stored) == len({d.doc_id for d in docs})
    assert _leaked(json.dumps(stored, ensure_ascii=False), handles) == []
    town = [s for s in stored if s["author"].get("handle") == "lambersart.fr"]
    assert town and all(s["url"].startswith("https://bsky.app/profile/lambersart.fr/") for s in town)

    # The digest, through the real figures and rendering.
    for day in (date(2026, 11, 18), date(2026, 11, 19)):
        figures = collect(es, names, watch, day)
        rendered = render(figures)
        assert figures["total"] > 0
        assert _leaked(json.dumps(figures, ensure_ascii=False, default=str) + rendered.html + rendered.text,
                       handles) == []

    # Alerts: their samples, e-mails and every webhook format.
    events = run_online(es, names, watch, now=datetime(2026, 11, 20, tzinfo=UTC)).events
    assert events and any(e["samples"] for e in events)
    out = json.dumps(events, ensure_ascii=False)
    out += "".join(json.dumps(payload(e, fmt, watch.name), ensure_ascii=False) for e in events
                   for fmt in WEBHOOK_FORMATS)
    out += "".join(build_message(e, watch.name, ["com@lambersart.example"]).as_string() for e in events)
    assert _leaked(out, handles) == []

    # The mention graph: the reply's @mention and the post's author are one node.
    camille = f"mastodon:{PSEUDO.token('mastodon', f'camille_l@{host}')}"
    velo = f"mastodon:{PSEUDO.token('mastodon', f'velo_deule@{host}')}"
    frame = graph.with_keys(from_elasticsearch(es, names, watch.id, days=30, now=datetime(2026, 11, 20, tzinfo=UTC)))
    assert {camille, velo} <= set(frame["author_key"])
    edges = graph.edges(frame)
    assert ((edges["source"] == camille) & (edges["target"] == velo) & (edges["kind"] == "mention")).any()
    scores = influence.score(frame, ["59328"])
    assert scores.loc[velo, "mentions_received"] >= 1

    # The privacy report checks its claim: clean now; a clear copy in the index is caught.
    report = privacy_report(es, watch, tmp_path / "out", names=names)
    check = report["pseudonymisation_check"]
    assert check["status"] == "ok" and check["elasticsearch"]["scanned"] == len(stored)
    assert check["files"]["scanned"] >= len(docs)
    clear = doc(item_id=f"{server.netloc}/1", author={"handle": f"camille_l@{host}"}, watch_ids=[watch.id],
                text="Ancienne copie en clair, avant la pseudonymisation.", url="https://mastodon.example/@camille_l/1")
    clear_file = tmp_path / "clear.jsonl"
    clear_file.write_text(clear.model_dump_json() + "\n", encoding="utf-8")
    index_file(es, clear_file, names=names)
    check = privacy_report(es, watch, tmp_path / "out", names=names)["pseudonymisation_check"]
    assert check["status"] == "failed" and check["elasticsearch"]["examples"][0]["doc_id"] == clear.doc_id
    env = {**cli_env, "VIGIE_DATA_DIR": str(tmp_path / "out"), "VIGIE_STATE_DIR": str(tmp_path / "state")}
    result = subprocess.run([VIGIE, "privacy", "report", "--watch", watch.id, "--config", str(config)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Pseudonymisation check: FAILED" in result.stdout and clear.doc_id in result.stdout
    assert "camille" not in result.stdout


def test_the_report_checks_data_files_too(es, tmp_path):
    from vigie.config import load_config
    from vigie.privacy.report import privacy_report

    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump({"watches": [{
        "id": "lambersart", "name": "Ville de Lambersart", "territory": {"communes": ["59328"]},
        "privacy": {"pseudonymise_authors": True}}]}), encoding="utf-8")
    watch = load_config(path).watches[0]
    data = tmp_path / "data" / "raw"
    data.mkdir(parents=True)
    clean = PSEUDO.document(doc(item_id="m.example/1", author={"handle": "camille_l@m.example"},
                                text="cc @velo_deule", watch_ids=["lambersart"]))
    (data / "a.jsonl").write_text(clean.model_dump_json() + "\n", encoding="utf-8")
    assert privacy_report(es, watch, tmp_path / "data", names=names)["pseudonymisation_check"]["status"] == "ok"
    clear = doc(item_id="m.example/2", text="cc @velo_deule", watch_ids=["lambersart"])
    other = doc(item_id="m.example/3", text="cc @velo_deule", watch_ids=["autre"])   # another watch's line
    with open(data / "a.jsonl", "a", encoding="utf-8") as handle:
        handle.write(clear.model_dump_json() + "\n" + other.model_dump_json() + "\n")
    check = privacy_report(es, watch, tmp_path / "data", names=names)["pseudonymisation_check"]
    assert check["status"] == "failed" and check["files"]["scanned"] == 2
    assert check["files"]["examples"] == [{"where": "raw/a.jsonl", "doc_id": clear.doc_id, "fields": ["text"]}]
