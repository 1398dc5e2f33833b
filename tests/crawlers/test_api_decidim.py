"""Decidim: the extractor on saved GraphQL answers, then real crawls."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from vigie.crawlers.extract import decidim
from vigie.crawlers.extract._api import Origin, error_reason
from vigie.schema import Kind, make_doc_id

PAYLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "api" / "decidim"
ORIGIN = Origin("decidim-lambersart", "decidim", ("lambersart",), datetime(2026, 11, 19, 9, 0, tzinfo=UTC))
BASE = "https://participer.lambersart.example"
CET = timezone(timedelta(hours=1))


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_translated_fields_pick_french():
    assert decidim.translated({"translation": "x", "translations": [{"locale": "nl", "text": "y"},
                                                                    {"locale": "fr", "text": "z"}]}) == ("z", "fr")
    assert decidim.translated({"translations": [{"locale": "en", "text": "a"}, {"locale": "fr-BE", "text": "b"}]}) \
        == ("b", "fr-BE")
    assert decidim.translated({"translations": [{"locale": "en", "text": "a"}]}) == ("a", "en")
    assert decidim.translated(None) == ("", None)


def test_processes_and_components():
    out, found = decidim.processes(load("processes.json"), ORIGIN, BASE)
    assert found == [{"id": "7", "slug": "budget-participatif-2027"}, {"id": "8", "slug": "plan-velo"}]
    page = out.documents[0]
    assert page.kind == Kind.page and page.item_id == "participer.lambersart.example/process/budget-participatif-2027"
    assert page.title == "Budget participatif 2027" and page.language == "fr"
    assert page.text == "50 000 € pour vos projets de quartier : proposez, débattez, votez."
    assert page.url == f"{BASE}/processes/budget-participatif-2027"
    assert out.documents[1].title == "Plan vélo"
    assert decidim.components(load("components_7.json")) == [("32", "Proposals"), ("33", "Debates")]
    assert decidim.components(load("error_graphql.json")) == []


def test_proposals_and_comment_tree():
    out, cursor = decidim.page(load("proposals_32.json"), ORIGIN, BASE, "budget-participatif-2027")
    assert cursor == "MQ"
    proposal, comment, answer = out.documents
    assert out.skipped == [("removed", "participer.lambersart.example/comment/9002")]
    assert proposal.item_id == "participer.lambersart.example/proposal/412" and proposal.kind == Kind.post
    assert proposal.platform == "decidim" and proposal.thread_id == proposal.doc_id and proposal.parent_id is None
    assert proposal.url == f"{BASE}/processes/budget-participatif-2027/f/32/proposals/412"
    assert proposal.title == "Des bancs le long de la Deûle"
    assert proposal.text == ("Entre l'écluse et le pont du Canon d'Or, il n'y a aucun banc sur 1,2 km.\n\n"
                             "Les personnes âgées du quartier ne peuvent pas faire la promenade d'une traite.")
    assert proposal.language == "fr"
    assert proposal.author.id == "1203" and proposal.author.handle == "josiane_m"
    assert proposal.author.name == "Josiane Martel" and proposal.author.url == f"{BASE}/profiles/josiane_m"
    assert (proposal.engagement.likes, proposal.engagement.replies) == (69, 3)
    assert proposal.published_at == datetime(2026, 11, 3, 18, 22, 5, tzinfo=CET)
    assert comment.kind == Kind.comment and comment.thread_id == proposal.doc_id
    assert comment.parent_id == proposal.doc_id and comment.engagement.likes == 12
    assert comment.url == f"{BASE}/processes/budget-participatif-2027/f/32/proposals/412?commentId=9001#comment_9001"
    assert answer.parent_id == comment.doc_id and answer.thread_id == proposal.doc_id
    assert answer.text == "La fontaine relève du budget de la MEL, pas du budget participatif."

    last, cursor = decidim.page(load("proposals_32_page2.json"), ORIGIN, BASE, "budget-participatif-2027")
    assert cursor is None and len(last.documents) == 1 and last.documents[0].engagement.likes == 2
    assert [r for r, _ in last.skipped] == ["bad_item"]


def test_debates():
    out, cursor = decidim.page(load("debates_33.json"), ORIGIN, BASE, "budget-participatif-2027")
    debate, comment = out.documents
    assert cursor is None
    assert debate.item_id == "participer.lambersart.example/debate/55"
    assert debate.url == f"{BASE}/processes/budget-participatif-2027/f/33/debates/55"
    assert debate.title == "Faut-il réserver une part du budget aux écoles ?"
    assert debate.published_at == datetime(2026, 11, 6, 8, 30, tzinfo=CET)
    assert comment.parent_id == make_doc_id("decidim", "participer.lambersart.example/debate/55")


def test_queries_and_errors():
    assert "proposals(first: 50, after: $after" in decidim.PROPOSALS_QUERY
    assert decidim.PROPOSALS_QUERY.count("comments {") == 4
    assert error_reason(load("error_graphql.json")) == (
        "api_error:graphql", "Field 'proposals' doesn't exist on type 'Debates'")
    out, cursor = decidim.page(load("error_not_found.json"), ORIGIN, BASE, "x")
    assert cursor is None and out.skipped[0][0] == "unexpected_payload"
    with pytest.raises(json.JSONDecodeError):
        load("invalid.json")


# ------------------------------------------------------------------ real crawls
def _graphql(server):
    from tests.crawlers.api_support import json_answer

    def api(hit):
        if hit.method != "POST":
            return 405, {"Content-Type": "application/json"}, b'{"errors": [{"message": "POST only"}]}'
        request = json.loads(hit.body)
        name, variables = request["operationName"], request["variables"]
        assert request["query"].startswith(f"query {name}")
        if name == "Processes":
            return json_answer("decidim", "processes.json")
        if name == "Components":
            return json_answer("decidim", "components_7.json" if variables["id"] == "7" else "error_graphql.json")
        if name == "Proposals":
            return json_answer("decidim", "proposals_32_page2.json" if variables["after"] == "MQ"
                               else "proposals_32.json")
        if name == "Debates":
            return json_answer("decidim", "invalid.json" if variables["after"] else "debates_33.json")
        return 400, {"Content-Type": "application/json"}, b'{"errors": [{"message": "unknown operation"}]}'

    server.route("/api", handler=api)


def test_crawl_processes_proposals_debates_incremental(tmp_path):
    from tests.crawlers.api_support import RUN2, crawl, write_config
    from tests.crawlers.server import FixtureServer

    with FixtureServer() as server:
        _graphql(server)
        config = write_config(tmp_path, [{"id": "decidim-lambersart", "kind": "decidim", "url": server.base_url}])
        summary, docs, _ = crawl(config, "decidim-lambersart", tmp_path)
        assert summary["status"] == "ok", summary
        host = server.netloc
        assert sorted(d.item_id.removeprefix(host + "/") for d in docs) == sorted([
            "process/budget-participatif-2027", "process/plan-velo", "proposal/412", "comment/9001",
            "comment/9004", "proposal/398", "debate/55", "comment/9100"])
        answer = next(d for d in docs if d.item_id.endswith("comment/9004"))
        assert answer.parent_id == make_doc_id("decidim", f"{host}/comment/9001")
        assert answer.thread_id == make_doc_id("decidim", f"{host}/proposal/412")
        assert answer.canonical_url == \
            f"{server.base_url}/processes/budget-participatif-2027/f/32/proposals/412?commentId=9004"
        assert summary["errors_by_reason"] == {"api_error:graphql": 1, "bad_item": 1, "removed": 1}

        server.reset_hits()
        summary2, docs2, _ = crawl(config, "decidim-lambersart", tmp_path, interval=RUN2)
        assert summary2["status"] == "ok" and summary2["new"] == 0 and docs2 == []
        pages = [json.loads(h.body)["variables"].get("after") for h in server.hits_for("/api")
                 if json.loads(h.body)["operationName"] == "Proposals"]
        assert pages == [None]  # no proposal newer than the last run: the second page is not asked for
