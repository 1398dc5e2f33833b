"""Dates from feeds, pages and APIs, always with a timezone."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_FR_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12,
    "déc": 12, "dec": 12,
}
_FR_DATE = re.compile(
    r"(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-zéû]+)\.?\s+(?P<year>\d{4})"
    r"(?:\D{1,8}?(?P<hour>\d{1,2})\s*[h:]\s*(?P<minute>\d{2})?)?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<![\w.])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})"
                      r"(?:\D{1,8}?(?P<hour>\d{1,2})\s*[h:]\s*(?P<minute>\d{2})?)?")
# ``26/10/13, 03:48 pm`` (Forumotion and other boards): a two-digit year, only when no four-digit one is there
_NUMERIC_SHORT = re.compile(r"(?<![\w./-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{2})"
                            r"(?![\w./-])(?:\D{1,8}?(?P<hour>\d{1,2})\s*[h:]\s*(?P<minute>\d{2})?)?")
_MERIDIEM = re.compile(r"\s*(?P<m>[ap])\.?m\b\.?", re.IGNORECASE)
# what names a version number rather than a date just before "1.2.33"
_VERSION_WORD = re.compile(r"(?:\b(?:version|vers|ver|release|build|r[ée]vision|update|mise à jour|maj)|\bv)"
                           r"\s*[.:]?\s*$")


def _short_date(low: str) -> re.Match[str] | None:
    """The first ``dd/mm/yy`` of ``low`` that is not a version number: not after "version", "v",
    "release"…, and with dots only as ``dd.mm.yy`` (two digits each: ``1.2.33`` is a version)."""
    for match in _NUMERIC_SHORT.finditer(low):
        if _VERSION_WORD.search(low, 0, match.start()):
            continue
        if match.group("sep") == "." and (len(match.group("day")) < 2 or len(match.group("month")) < 2):
            continue
        return match
    return None


def aware(value: datetime, tz: ZoneInfo = PARIS) -> datetime:
    """A naive datetime is read in ``tz`` (the watch's timezone, Paris by default)."""
    return value if value.tzinfo else value.replace(tzinfo=tz)


def parse_iso(value: str | None, tz: ZoneInfo = PARIS) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        return aware(datetime.fromisoformat(value.replace("Z", "+00:00")), tz)
    except ValueError:
        return None


def parse_rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return aware(parsed, UTC) if parsed else None


def from_struct(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` fields are UTC struct_times."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def from_timestamp(value: float | int | str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC) if value not in (None, "") else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def parse_french(text: str | None, tz: ZoneInfo = PARIS, now: datetime | None = None) -> datetime | None:
    """``12 novembre 2026 à 18h30``, ``12/11/2026 18:30`` (or ``12.11.2026``, ``12-11-2026``),
    ``26/10/13, 03:48 pm`` (day first, two-digit year, 12-hour clock), ``aujourd'hui 09:12``, ``hier 21h05``…"""
    if not text:
        return None
    text = " ".join(text.split())
    iso = parse_iso(text, tz)
    if iso:
        return iso
    low = text.lower()
    for word, days in (("aujourd'hui", 0), ("aujourd’hui", 0), ("hier", 1)):
        if word in low:
            base = (now or datetime.now(tz)).astimezone(tz) - timedelta(days=days)
            clock = re.search(r"(\d{1,2})\s*[h:]\s*(\d{2})", low)
            hour, minute = (int(clock.group(1)), int(clock.group(2))) if clock else (0, 0)
            if hour == 24 and minute == 0:  # "hier à 24h00": the midnight that ends the day
                return base.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
            try:
                return base.replace(hour=hour, minute=minute, second=0, microsecond=0)
            except ValueError:  # "27:70": not a time
                return None
    match = _FR_DATE.search(low)
    month = None
    if match:
        month = _FR_MONTHS.get(match.group("month").rstrip("."))
    year = None
    if match is None or month is None:
        match = _NUMERIC.search(low) or _short_date(low)
        if match is None:
            return parse_rfc822(text)
        month = int(match.group("month"))
        if len(match.group("year")) == 2:
            short = int(match.group("year"))
            year = 2000 + short if short < 70 else 1900 + short
    hour = int(match.group("hour") or 0)
    if match.group("hour"):
        meridiem = _MERIDIEM.match(low, match.end())
        if meridiem and 1 <= hour <= 12:
            hour = hour % 12 + (12 if meridiem.group("m") == "p" else 0)
    try:
        return datetime(year or int(match.group("year")), month, int(match.group("day")),
                        hour, int(match.group("minute") or 0), tzinfo=tz)
    except ValueError:
        return None
