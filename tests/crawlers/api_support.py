"""The names the API kinds' crawl tests were written with; everything lives in ``harness.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.crawlers.harness import API_SETTINGS as FAST
from tests.crawlers.harness import PAYLOADS, ROOT, RUN1, RUN2, crawl_together, json_answer, payload, write_watch
from tests.crawlers.harness import crawl_documents as crawl

__all__ = ["FAST", "PAYLOADS", "ROOT", "RUN1", "RUN2", "crawl", "crawl_together", "json_answer", "payload",
           "write_config"]


def write_config(tmp: Path, sources: list[dict[str, Any]]) -> Path:
    """``tmp/watch.yaml``: the watch ``lambersart`` with these sources."""
    return write_watch(tmp, sources, watch_id="lambersart", name="Ville de Lambersart", sort_keys=True)
