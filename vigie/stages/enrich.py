"""Enrich: the raw files a watch's crawls wrote for one interval, enriched into one file.

Re-running rewrites the same file (atomically), so it is idempotent.  Files of sources that failed
are simply absent: the others are enriched all the same.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from vigie.settings import Settings
from vigie.stages import layout

log = logging.getLogger(__name__)


def raw_files(settings: Settings, watch: str, start: datetime, end: datetime) -> list[Path]:
    name = layout.interval_name(start, end) + ".jsonl"
    return sorted(p for p in (layout.raw_dir(settings) / watch).glob(f"*/{name}") if p.is_file())


def enrich(settings: Settings, watch: str, start: datetime, end: datetime,
           processes: int | None = None, pipeline: str | Path | None = None) -> dict[str, Any]:
    """Enrich the interval's raw documents of ``watch``; returns the enriched path and the counts.

    ``pipeline``: a saved pipeline folder or a spaCy config file (default: nlp/config.cfg).  A component
    that fails to load raises ``vigie.nlp.errors.PipelineLoadError`` (the task fails) and the enriched
    file of the interval is left as it was.
    """
    from vigie.nlp.enrich import enrich_file

    name = layout.interval_name(start, end)
    sources = raw_files(settings, watch, start, end)
    out = layout.enriched_dir(settings) / watch / f"{name}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    combined = out.with_name(f".{name}.raw.jsonl")
    lines = 0
    with open(combined, "wb") as handle:  # bytes: a malformed line goes through unchanged, to be reported
        for path in sources:
            data = path.read_bytes()
            if data and not data.endswith(b"\n"):
                data += b"\n"  # a crawl killed mid-line: the partial line is reported by enrichment
            lines += data.count(b"\n")
            handle.write(data)
    if not lines:  # nothing collected in this interval: an empty file, without loading the pipeline
        combined.replace(out)
        summary = {"watch": watch, "interval": name, "path": str(out), "sources": len(sources), "lines": 0,
                   "enriched": 0, "malformed": 0, "failed": 0}
        log.info("enrich %s %s: %s", watch, name, summary)
        return summary
    processes = processes or int(settings.env.get("VIGIE_ENRICH_PROCESSES") or 0) or None
    try:
        report = enrich_file(combined, out, config=settings.config_path, watch_id=watch, processes=processes,
                             progress=False, pipeline=pipeline, profile=settings.profile_for(watch))
    finally:
        combined.unlink(missing_ok=True)
    summary = {"watch": watch, "interval": name, "path": str(out), "sources": len(sources), "lines": lines,
               **_counts(report)}
    log.info("enrich %s %s: %s", watch, name, summary)
    return summary


def _counts(report: Any) -> dict[str, int]:
    return {"enriched": report.enriched, "malformed": len(report.malformed), "failed": len(report.failed)}
