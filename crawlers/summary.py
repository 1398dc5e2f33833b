"""The summary of one crawl, from Scrapy's stats: what the CLI table and Airflow show."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def _sub(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: int(v) for k, v in sorted(stats.items())
            if k.startswith(prefix) and "/" not in k[len(prefix):]}


def summarise(stats: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
    """fetched, new, updated, duplicates, near-duplicates, dropped and errors by reason."""
    start, end = stats.get("start_time"), stats.get("finish_time")
    elapsed = (end - start).total_seconds() if isinstance(start, datetime) and isinstance(end, datetime) else None
    if elapsed is None and stats.get("elapsed_time_seconds") is not None:
        elapsed = float(stats["elapsed_time_seconds"])
    fetched = int(stats.get("downloader/response_count", 0))
    return {
        "reason": reason or stats.get("finish_reason"),
        "fetched": fetched,
        "answered": sum(int(v) for k, v in stats.items() if k.startswith("downloader/response_status_count/")
                        and (k.rsplit("/", 1)[1].startswith("2") or k.endswith("/304"))),
        "not_modified": int(stats.get("vigie/not_modified", 0)),
        "new": int(stats.get("vigie/items/new", 0)),
        "updated": int(stats.get("vigie/items/updated", 0)),
        "written": int(stats.get("vigie/written", 0)),
        "duplicates": int(stats.get("vigie/duplicates", 0)),
        "duplicates_by_reason": _sub(stats, "vigie/duplicates/"),
        "near_duplicates": int(stats.get("vigie/near_duplicates", 0)),
        "dropped": _sub(stats, "vigie/dropped/"),
        "errors": int(stats.get("vigie/errors", 0)),
        "errors_by_reason": _sub(stats, "vigie/errors/"),
        "failed_attempts": int(stats.get("vigie/failed_attempts", 0)),
        "over_budget": int(stats.get("vigie/over_budget", 0)),
        "cut_at_close": int(stats.get("vigie/cut_at_close", 0)),
        "credentials_withheld": int(stats.get("vigie/credentials_withheld", 0)),
        "retry_after_honoured": int(stats.get("vigie/retry_after/honoured", 0)),
        "elapsed_seconds": round(elapsed, 3) if elapsed is not None else None,
        "pages_per_second": round(fetched / elapsed, 1) if elapsed else None,
    }
