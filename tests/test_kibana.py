"""Kibana saved objects: format, fit with the mapping (code and live cluster), import API."""

from __future__ import annotations

import copy
import email.parser
import email.policy
import json
import re
import subprocess
import threading
import uuid
from http.server import ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import JsonHandler, names
from vigie.config import load_config
from vigie.indexes.kibana.check import caps_from_cluster, check_objects
from vigie.indexes.kibana.context import topics_of, watch_view
from vigie.indexes.kibana.export import build_objects, mapping_caps
from vigie.indexes.kibana.objects import TYPE_MIGRATION_VERSIONS
from vigie.indexes.setup import install
from vigie.indexes.writer import index_file

from .conftest import ROOT, VIGIE

WATCH = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")
KEYS = {"attributes", "coreMigrationVersion", "id", "managed", "references", "type", "typeMigrationVersion"}


@pytest.fixture(scope="module")
def objects():
    return build_objects(watch_view(WATCH, names))


def by_title(objs, fragment):
    return next(o for o in objs if fragment in o["attributes"]["title"])


def test_export_through_the_cli(tmp_path, cli_env):
    out = tmp_path / "lambersart.ndjson"
    done = subprocess.run([VIGIE, "kibana", "export", "--watch", "lambersart", "--out", str(out)],
                          env=cli_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    details = lines[-1]
    assert details["exportedCount"] == len(lines) - 1 and details["missingRefCount"] == 0
    assert f"{len(lines) - 1} saved objects" in done.stdout


def test_saved_object_format(objects):
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids))
    for obj in objects:
        assert set(obj) == KEYS, obj["type"]
        assert obj["coreMigrationVersion"] == "8.8.0"
        assert obj["typeMigrationVersion"] == TYPE_MIGRATION_VERSIONS[obj["type"]]
        uuid.UUID(obj["id"])
        for ref in obj["references"]:
            assert set(ref) == {"id", "name", "type"}
    # Attributes that Kibana keeps as JSON strings must be JSON.
    for obj in objects:
        attrs = obj["attributes"]
        for key in ("fieldAttrs", "fieldFormatMap", "runtimeFieldMap", "sourceFilters", "fields", "typeMeta",
                    "panelsJSON", "optionsJSON", "visState", "uiStateJSON"):
            if key in attrs:
                json.loads(attrs[key])
        if "kibanaSavedObjectMeta" in attrs:
            json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])


def test_ids_are_stable_so_a_reimport_overwrites(objects):
    assert [o["id"] for o in build_objects(watch_view(WATCH, names))] == [o["id"] for o in objects]


def test_data_views_sit_on_the_watch_aliases(objects):
    views = {o["attributes"]["title"]: o["attributes"] for o in objects if o["type"] == "index-pattern"}
    assert views[names.watch_alias("lambersart")]["timeFieldName"] == "published_at"
    assert views[names.watch_alerts_alias("lambersart")]["timeFieldName"] == "fired_at"
    assert names.watch_authors_alias("lambersart") in views


def test_french_saved_searches_cover_topics_communes_and_needs(objects):
    searches = [o for o in objects if o["type"] == "search"]
    titles = [o["attributes"]["title"] for o in searches]
    topics = topics_of(WATCH)
    assert len(topics) >= 21
    for _topic, label in topics:
        assert f"Ville de Lambersart · Thème : {label}" in titles
    for expected in ("Demandes citoyennes en attente", "Publications négatives", "Commentaires à modérer",
                     "Mots-clés de crise", "Commune : Lambersart"):
        assert any(expected in t for t in titles), expected
    request = json.loads(by_title(searches, "Demandes citoyennes")["attributes"]["kibanaSavedObjectMeta"]
                         ["searchSourceJSON"])
    assert request["query"] == {"query": "request.is_request : true and not request.answered : true",
                                "language": "kuery"}


def test_dashboard_panels_and_references(objects):
    board = next(o for o in objects if o["type"] == "dashboard")
    panels = json.loads(board["attributes"]["panelsJSON"])
    assert len(panels) == 7
    ids = {(o["type"], o["id"]) for o in objects}
    for panel in panels:
        ref = next(r for r in board["references"] if r["name"] == f"{panel['panelIndex']}:{panel['panelRefName']}")
        assert (ref["type"], ref["id"]) in ids and ref["type"] == panel["type"]
    assert {p["type"] for p in panels} == {"lens", "visualization", "search"}


def test_every_field_fits_the_mapping(objects):
    assert check_objects(objects, mapping_caps("lambersart", names)) == []


def _mutate(objects, title, path, value):
    objs = copy.deepcopy(objects)
    obj = by_title(objs, title)
    target = obj["attributes"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value(target[path[-1]]) if callable(value) else value
    return objs


@pytest.mark.parametrize(
    ("title", "path", "value", "problem"),
    [
        ("Publications négatives", ("kibanaSavedObjectMeta", "searchSourceJSON"),
         lambda s: s.replace("sentiment.label", "sentiment.mood"), "'sentiment.mood' is not in the mapping"),
        ("Publications négatives", ("columns",), ["text", "humeur"], "'humeur' is not in the mapping"),
        ("Thèmes les plus abordés", ("state",),
         lambda st: json.loads(json.dumps(st).replace('"sourceField": "topics"', '"sourceField": "text"')),
         "'text' (text) cannot be aggregated"),
        ("Tonalité dans le temps", ("state",),
         lambda st: json.loads(json.dumps(st).replace('"sourceField": "published_at"', '"sourceField": "kind"')),
         "'kind' is keyword, expected date"),
        ("Carte des communes", ("visState",), lambda v: v.replace("territory.location", "territory.places"),
         "'territory.places' is keyword, expected geo_point"),
    ],
)
def test_the_check_catches_fields_that_do_not_fit(objects, title, path, value, problem):
    problems = check_objects(_mutate(objects, title, path, value), mapping_caps("lambersart", names))
    assert any(problem in p for p in problems), problems


def test_the_check_catches_broken_references(objects):
    objs = [o for o in copy.deepcopy(objects)
            if not (o["type"] == "index-pattern" and o["attributes"]["title"] == names.watch_alias("lambersart"))]
    assert any("points to a missing index-pattern" in p for p in check_objects(objs, mapping_caps("lambersart", names)))


def test_every_field_fits_the_live_cluster(es, objects, tmp_path):
    """The same check against the field capabilities of the real indices behind the aliases."""
    install(es, ["lambersart"], names=names)
    assert index_file(es, ROOT / "vigie" / "demo" / "lambersart.jsonl", watch_id="lambersart", names=names).indexed > 0
    caps = {alias: caps_from_cluster(es, alias) for alias in
            (names.watch_alias("lambersart"), names.watch_alerts_alias("lambersart"),
             names.watch_authors_alias("lambersart"))}
    # Objects built under the test prefix name the test aliases.
    assert check_objects(build_objects(watch_view(WATCH, names)), caps) == []


# ------------------------------------------------------------------- import API
class ImportApiChecker(JsonHandler):
    """A local HTTP server that checks the request as Kibana's import API documents it."""

    store: ClassVar[dict] = {}
    problems: ClassVar[list] = []
    fail_types: ClassVar[set] = set()

    def do_POST(self):
        url = urlsplit(self.path)
        problems = self.problems
        if not re.fullmatch(r"(/s/[a-z0-9_-]+)?/api/saved_objects/_import", url.path):
            problems.append(f"path {url.path}")
        if parse_qs(url.query).get("overwrite") != ["true"]:
            problems.append(f"query {url.query}")
        if not self.headers.get("kbn-xsrf"):
            problems.append("no kbn-xsrf header")
        if self.headers.get("Authorization") != "ApiKey test-key":
            return self._answer(401, {"statusCode": 401, "error": "Unauthorized", "message": "missing credentials"})
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data; boundary="):
            problems.append(f"content type {content_type}")
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        parts = list(message.iter_parts())
        if len(parts) != 1 or parts[0].get_param("name", header="content-disposition") != "file":
            problems.append("expected one form field named file")
        filename = parts[0].get_filename() or ""
        if not filename.endswith(".ndjson"):
            problems.append(f"file name {filename}")
        results, errors = [], []
        for line in parts[0].get_payload(decode=True).decode().splitlines():
            obj = json.loads(line)
            if "exportedCount" in obj:
                continue
            meta = {"title": obj["attributes"].get("title"), "icon": "document"}
            if obj["type"] in self.fail_types:
                errors.append({"id": obj["id"], "type": obj["type"], "meta": meta,
                               "error": {"type": "missing_references",
                                         "references": [{"type": "index-pattern", "id": "nope"}]}})
                continue
            result = {"type": obj["type"], "id": obj["id"], "meta": meta}
            if (obj["type"], obj["id"]) in self.store:
                result["overwrite"] = True
            self.store[(obj["type"], obj["id"])] = obj
            results.append(result)
        self._answer(200, {"success": not errors, "successCount": len(results), "successResults": results,
                           **({"errors": errors} if errors else {})})


@pytest.fixture
def kibana():
    ImportApiChecker.store, ImportApiChecker.problems, ImportApiChecker.fail_types = {}, [], set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), ImportApiChecker)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", ImportApiChecker
    server.shutdown()
    server.server_close()


def test_import_creates_then_overwrites(kibana, cli_env, objects):
    url, handler = kibana
    env = {**cli_env, "KIBANA_API_KEY": "test-key"}
    first = subprocess.run([VIGIE, "kibana", "import", "--url", url, "--watch", "lambersart", "--space", "mairie"],
                           env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert handler.problems == []
    assert f"{len(objects)} created" in first.stdout and "0 overwritten" in first.stdout
    assert "dashboard: Vigie · Ville de Lambersart" in first.stdout
    # Into the same space: its objects are overwritten (other spaces: tests/test_kibana_spaces.py).
    again = subprocess.run([VIGIE, "kibana", "import", "--url", url, "--watch", "lambersart", "--space", "mairie"],
                           env=env, capture_output=True, text=True)
    assert again.returncode == 0 and f"{len(objects)} overwritten" in again.stdout
    assert handler.problems == []


def test_import_reports_failures_and_refused_credentials(kibana, cli_env):
    url, handler = kibana
    handler.fail_types = {"visualization"}  # one object of that type (the map)
    env = {**cli_env, "KIBANA_API_KEY": "test-key"}
    done = subprocess.run([VIGIE, "kibana", "import", "--url", url, "--watch", "lambersart"],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "1 failed" in done.stderr and "missing_references: index-pattern nope" in done.stderr
    refused = subprocess.run([VIGIE, "kibana", "import", "--url", url, "--watch", "lambersart"],
                             env={**cli_env, "KIBANA_API_KEY": "wrong"}, capture_output=True, text=True)
    assert refused.returncode == 3 and "refused the credentials (401)" in refused.stderr
