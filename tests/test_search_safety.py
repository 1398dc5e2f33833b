"""`vigie search` with hostile input, through the real executable: crawled text or a query that looks
like console markup, sizes out of range, queries too big for the cluster, Elasticsearch's own refusals,
and control characters in the JSON output.  Every failure is one line and an exit status, never a
traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid

import pytest

from tests.support import json_strings

from .conftest import VIGIE, delete_prefixed

BIDI_C1 = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")
DOCS = [
    {"id": "1", "title": "[bold]Titre[/] [/]", "text": "Inondation rue [/] des Saules [link=http://evil]ici[/link]",
     "published_at": "2026-11-10T08:00:00+01:00"},
    {"id": "2", "title": "Facture \u202egpj.exe\u202c",
     "text": "Inondation \x9b31m Jean\u200f \u2066Dupont\u2069 cave \x85 sous l'eau \u061c \x1b[2J fin", "url": "https://ville.example/\u202ex",
     "published_at": "2026-11-11T08:00:00+01:00"},
]


def run(env, *args):
    return subprocess.run([VIGIE, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def indexed(es_url, tmp_path_factory):
    """The documents indexed once for the module, under an index prefix of its own (as cli_env does)."""
    from vigie.indexes.client import connect
    from vigie.settings import ESSettings

    prefix = f"vigie-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELASTICSEARCH_", "VIGIE_"))}
    env.update(ELASTICSEARCH_URL=es_url, VIGIE_INDEX_PREFIX=prefix, COLUMNS="120")
    path = tmp_path_factory.mktemp("search") / "docs.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    done = run(env, "index", str(path))
    assert done.returncode == 0 and "2 indexed" in done.stdout, done.stdout + done.stderr
    yield env
    client = connect(ESSettings.from_env(es_url))
    delete_prefixed(client, prefix)
    client.close()


def one_line_error(done, code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    errors = [line for line in done.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1, done.stderr
    return errors[0]


@pytest.mark.parametrize("fmt", ["list", "table"])
def test_a_query_that_looks_like_console_markup_is_text(indexed, fmt):
    for query in ("[/]", "[bold]", "inondation [/]"):
        done = run(indexed, "search", query, "--format", fmt)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert f"« {query} »" in done.stdout
    done = run(indexed, "search", "inondation", "--format", fmt)
    assert done.returncode == 0 and "[/]" in done.stdout, done.stderr


@pytest.mark.parametrize("size", ["100000", "-1", "0"])
def test_size_out_of_range_is_a_usage_error(indexed, size):
    line = one_line_error(run(indexed, "search", "inondation", "--size", size), 2)
    assert "--size" in line and "10000" in line


@pytest.mark.parametrize(("query", "says"), [
    (" ".join(f"mot{i}*" for i in range(11)), "too many wildcards"),
    (" | ".join(f"mot{i}" for i in range(100)), "too many words"),
    (" | ".join(f"mot{i}*" for i in range(5000)), "too long"),
], ids=["wildcards", "words", "long"])
def test_a_query_too_big_for_the_cluster_is_refused_before_sending(indexed, query, says):
    assert says in one_line_error(run(indexed, "search", query), 2)


def test_an_elasticsearch_refusal_is_one_line(indexed, es_url):
    from vigie.indexes.client import connect
    from vigie.settings import ESSettings

    # the cluster's own limit, lower than ours on this index: Elasticsearch answers 400
    client = connect(ESSettings.from_env(es_url))
    index = f"{indexed['VIGIE_INDEX_PREFIX']}-documents-*"
    client.indices.put_settings(index=index, settings={"max_result_window": 5})
    try:
        line = one_line_error(run(indexed, "search", "inondation", "--size", "20"), 2)
    finally:
        client.indices.put_settings(index=index, settings={"max_result_window": None})
        client.close()
    assert "at most 5 hits" in line and "--size 5" in line


def test_json_output_has_no_control_or_bidi_character(indexed):
    done = run(indexed, "search", "inondation", "--json")
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in done.stdout.splitlines()]      # still one valid JSON object a line
    assert len(hits) == 2
    hostile = next(h for h in hits if h["item_id"] == "2")
    assert hostile["title"] == "Facture gpj.exe"
    assert "cave" in hostile["text"] and "sous l'eau" in hostile["text"]


    for hit in hits:
        for s in json_strings(hit):
            assert not BIDI_C1.search(s), repr(s)


class _SlowSearches:
    """A real proxy in front of the test node that forwards everything but holds every ``_search``
    without answering: a search the cluster takes too long for."""

    def __init__(self, upstream: str):
        import threading
        from http.server import BaseHTTPRequestHandler

        import requests

        from vigie.httpserve import start_server

        self.release = threading.Event()
        self.searches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "/_search" in self.path:
                    outer.searches += 1
                    outer.release.wait(120)               # never answers while the test runs
                    return
                resp = requests.request(self.command, upstream + self.path, data=body, timeout=30,
                                        headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                self.send_response(resp.status_code)
                for key, value in resp.headers.items():
                    if key.lower() not in {"content-length", "transfer-encoding", "connection", "content-encoding"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(resp.content)))
                self.end_headers()
                self.wfile.write(resp.content)

            do_GET = do_POST = do_HEAD = do_PUT = _forward

            def log_message(self, *args):
                pass

        self.server = start_server(Handler, "127.0.0.1", 0, name="slow-searches")
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        from vigie.httpserve import stop_server

        self.release.set()
        stop_server(self.server)


def test_a_search_that_takes_too_long_is_one_line_and_not_retried(indexed, es_url):
    proxy = _SlowSearches(es_url)
    try:
        done = run({**indexed, "ELASTICSEARCH_URL": proxy.url, "VIGIE_SEARCH_TIMEOUT": "3"}, "search", "inondation")
    finally:
        proxy.close()
    assert "took more than 3 s" in one_line_error(done, 2)
    assert proxy.searches == 1                                          # not sent again after the timeout
