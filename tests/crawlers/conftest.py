"""The crawler tests' fixtures and helpers are the crawl-test harness (``harness.py``), registered
for the whole suite by ``tests/conftest.py``; these names stay importable from here."""

from __future__ import annotations

from tests.crawlers.harness import SITES, TEST_SETTINGS, read_jsonl

__all__ = ["SITES", "TEST_SETTINGS", "read_jsonl"]
