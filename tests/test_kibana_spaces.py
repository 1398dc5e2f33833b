"""Import into several Kibana spaces: each space's re-import overwrites its own objects, never copies.

The local server below answers ``POST [/s/<space>]/api/saved_objects/_import`` the way Kibana's
import API documents it for the saved-object types of the export (data views, searches, Lens,
visualisations and dashboards are "multiple-isolated" since 8.0: one object lives in one space,
and its id is unique across all spaces):

- ``overwrite=true``: an object whose id already exists in the target space is overwritten
  (``"overwrite": true`` in ``successResults``);
- an id that already exists in *another* space cannot be overwritten from here: Kibana creates the
  object under a new random id, reported as ``destinationId`` (with ``overwrite`` the copy keeps no
  ``originId``, so the next import cannot find it and copies again);
- ``createNewCopies=true`` gives every object a new id (and cannot be combined with ``overwrite``).
"""

from __future__ import annotations

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
from vigie.indexes.kibana.context import watch_view
from vigie.indexes.kibana.export import build_objects

from .conftest import ROOT, VIGIE

WATCH = load_config(ROOT / "config" / "demo.yaml").watch("lambersart")


class KibanaSpaces(JsonHandler):
    """Saved objects of several spaces behind the import API; ``objects`` maps id -> (space, type, object)."""

    objects: ClassVar[dict] = {}
    requests: ClassVar[list] = []

    def _ndjson(self) -> list[dict]:
        content_type = self.headers.get("Content-Type", "")
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        (part,) = list(message.iter_parts())
        lines = part.get_payload(decode=True).decode().splitlines()
        return [obj for obj in map(json.loads, lines) if "exportedCount" not in obj]

    def do_POST(self):
        url = urlsplit(self.path)
        match = re.fullmatch(r"(?:/s/([a-z0-9_-]+))?/api/saved_objects/_import", url.path)
        if not match or not self.headers.get("kbn-xsrf"):
            return self._answer(400, {"statusCode": 400, "error": "Bad Request", "message": url.path})
        space = match.group(1) or "default"
        query = parse_qs(url.query)
        overwrite = query.get("overwrite") == ["true"]
        new_copies = query.get("createNewCopies") == ["true"]
        if overwrite and new_copies:
            return self._answer(400, {"statusCode": 400, "error": "Bad Request",
                                      "message": "cannot use [overwrite] with [createNewCopies]"})
        self.requests.append((space, url.query))
        objs = self._ndjson()
        # Where each imported id lands, decided for the whole file first (references follow).
        destination, results, errors = {}, [], []
        for obj in objs:
            existing = self.objects.get(obj["id"])
            meta = {"title": obj["attributes"].get("title"), "icon": "document"}
            if new_copies or (existing and existing[0] != space):
                destination[obj["id"]] = str(uuid.uuid4())
                results.append({"type": obj["type"], "id": obj["id"], "meta": meta,
                                "destinationId": destination[obj["id"]]})
            elif existing and not overwrite:
                errors.append({"type": obj["type"], "id": obj["id"], "meta": meta, "error": {"type": "conflict"}})
            else:
                destination[obj["id"]] = obj["id"]
                results.append({"type": obj["type"], "id": obj["id"], "meta": meta,
                                **({"overwrite": True} if existing else {})})
        for obj in objs:
            if obj["id"] not in destination:
                continue
            stored = json.loads(json.dumps(obj))
            stored["id"] = destination[obj["id"]]
            for ref in stored["references"]:
                ref["id"] = destination.get(ref["id"], ref["id"])
            self.objects[stored["id"]] = (space, stored["type"], stored)
        self._answer(200, {"success": not errors, "successCount": len(results), "successResults": results,
                           **({"errors": errors} if errors else {})})

    @classmethod
    def in_space(cls, space: str) -> list[dict]:
        return [obj for where, _type, obj in cls.objects.values() if where == space]


@pytest.fixture
def kibana():
    KibanaSpaces.objects, KibanaSpaces.requests = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), KibanaSpaces)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", KibanaSpaces
    server.shutdown()
    server.server_close()


def _import(url, env, *args):
    done = subprocess.run([VIGIE, "kibana", "import", "--url", url, "--watch", "lambersart", *args],
                          env={**env, "KIBANA_API_KEY": "test-key"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def _complete(objects: list[dict]) -> bool:
    """Every reference points to an object of the same space."""
    ids = {o["id"] for o in objects}
    return all(ref["id"] in ids for o in objects for ref in o["references"])


def test_reimport_overwrites_in_every_space(kibana, cli_env):
    url, server = kibana
    count = len(build_objects(watch_view(WATCH, names)))
    for _round in range(2):
        for space in ([], ["--space", "mairie"], ["--space", "quartier-nord"]):
            done = _import(url, cli_env, *space)
            assert "copies" not in done.stderr
    assert {space for space, _query in server.requests} == {"default", "mairie", "quartier-nord"}
    assert all(query == "overwrite=true" for _space, query in server.requests)
    for space in ("default", "mairie", "quartier-nord"):
        objects = server.in_space(space)
        assert len(objects) == count, space            # no copies
        assert _complete(objects), space
    # The second round overwrote everything, in every space.
    last = _import(url, cli_env, "--space", "mairie")
    assert f"{count} overwritten" in last.stdout and "0 created" in last.stdout


def test_ids_differ_per_space_and_stay_put_in_the_default_space():
    default = build_objects(watch_view(WATCH, names))
    assert [o["id"] for o in build_objects(watch_view(WATCH, names, space="default"))] == [o["id"] for o in default]
    mairie = build_objects(watch_view(WATCH, names, space="mairie"))
    assert not {o["id"] for o in default} & {o["id"] for o in mairie}
    assert [o["id"] for o in build_objects(watch_view(WATCH, names, space="mairie"))] == [o["id"] for o in mairie]
    assert _complete(mairie)


def test_an_export_made_for_a_space_reimports_through_the_file(kibana, cli_env, tmp_path):
    url, server = kibana
    out = tmp_path / "mairie.ndjson"
    done = subprocess.run([VIGIE, "kibana", "export", "--watch", "lambersart", "--space", "mairie", "--out", str(out)],
                          env=cli_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _import(url, cli_env)                                  # the default space first
    for _ in range(2):
        _import(url, cli_env, "--space", "mairie", "--file", str(out))
    assert len(server.in_space("mairie")) == len(server.in_space("default"))


def test_the_same_ids_in_a_second_space_are_copied_every_time(kibana, cli_env, tmp_path):
    """What the import API does with one set of ids for all spaces (the export before per-space ids)."""
    url, server = kibana
    out = tmp_path / "default.ndjson"
    subprocess.run([VIGIE, "kibana", "export", "--watch", "lambersart", "--out", str(out)],
                   env=cli_env, capture_output=True, text=True, check=True)
    _import(url, cli_env, "--file", str(out))
    first = _import(url, cli_env, "--space", "mairie", "--file", str(out))
    _import(url, cli_env, "--space", "mairie", "--file", str(out))
    count = len(server.in_space("default"))
    assert len(server.in_space("mairie")) == 2 * count      # copies on every import
    assert f"{count} created as copies" in first.stderr     # and the command says so
