"""Helpers the tests share (not fixtures): the running test's index names and settings.

Each test that touches Elasticsearch gets its own index prefix from the ``es_env`` fixture
(``VIGIE_INDEX_PREFIX``); the tests are the edge, so they build the names and settings from it.
"""

from __future__ import annotations

import json
import os
from http.server import BaseHTTPRequestHandler

from vigie.indexnames import IndexNames
from vigie.settings import Settings


class _CurrentNames:
    """``IndexNames`` of the running test's prefix, looked up when used (the prefix changes per test)."""

    def __getattr__(self, attr: str):
        return getattr(IndexNames(os.environ.get("VIGIE_INDEX_PREFIX", "vigie")), attr)


names = _CurrentNames()


def run_settings(**kwargs) -> Settings:
    """The settings a command would build now (flag-like arguments, then the environment, then the file)."""
    return Settings.resolve(**kwargs)


def json_strings(value):
    """Every string of a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler of the tests' local API servers: quiet, answering JSON."""

    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
