"""Time intervals of a run: parsed from ``START/END``, named in file names, always in UTC.

A run's interval names its files (``<start>--<end>`` written ``20261118T090000Z``); it does not
filter items by date. Airflow's data interval, ``--interval`` and the default (the current UTC hour)
all become the same ``(start, end)`` pair.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

INTERVAL_FORMAT = "%Y%m%dT%H%M%SZ"


def utc(value: datetime) -> datetime:
    """An aware datetime in UTC (a naive one is taken as UTC)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def parse_interval(value: str | None, now: datetime | None = None) -> tuple[datetime, datetime]:
    """``START/END`` (ISO 8601, with a timezone or UTC) or None for the current UTC hour."""
    if not value:
        now = (now or datetime.now(UTC)).astimezone(UTC)
        start = now.replace(minute=0, second=0, microsecond=0)
        return start, start + timedelta(hours=1)
    try:
        raw_start, raw_end = value.split("/", 1)
        start, end = (utc(datetime.fromisoformat(v.strip().replace("Z", "+00:00"))) for v in (raw_start, raw_end))
    except ValueError:
        raise ValueError(f"interval {value!r}: expected START/END in ISO 8601, "
                         "e.g. 2026-11-18T09:00:00Z/2026-11-18T10:00:00Z") from None
    if end <= start:
        raise ValueError(f"interval {value!r}: the end must come after the start")
    return start, end


def interval_name(start: datetime, end: datetime) -> str:
    """``<start>--<end>`` as the stages name their files."""
    return f"{start.strftime(INTERVAL_FORMAT)}--{end.strftime(INTERVAL_FORMAT)}"


def interval_text(start: datetime, end: datetime) -> str:
    """``START/END`` as ``vigie crawl --interval`` takes it."""
    return f"{start.isoformat()}/{end.isoformat()}"


def run_interval(start: datetime | None, end: datetime, period: timedelta) -> tuple[datetime, datetime]:
    """The run's interval in UTC.  Manual and cron-triggered runs have an empty data interval (their
    start is their end): the interval is then the ``period`` that ends at ``end``."""
    end = utc(end)
    start = utc(start) if start is not None else end
    return (start, end) if start < end else (end - period, end)
