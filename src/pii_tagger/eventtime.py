"""When an event happened, as ``query --since`` and ``stats`` read it (one parser for both).

The time is the first of ``timestamp``, ``@timestamp``, ``time`` and
``asctime`` that holds a usable value:

* an ISO 8601 string, with or without a zone (``2026-11-25T10:00:00Z``,
  ``2026-11-25 10:00:00,123`` as python-json-logger's ``asctime`` writes it);
  without a zone it is UTC;
* an epoch number, or a string of one (structlog's ``TimeStamper()`` writes
  float seconds): seconds, or milliseconds, microseconds or nanoseconds when
  the number is too large to be seconds. Numbers before 1973-03-03 (under
  1e8 seconds) are not read as times: they are durations or counters.

Times are compared and bucketed in UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from typing import Any

TIME_KEYS = ("timestamp", "@timestamp", "time", "asctime")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECONDS_FROM = 1e8  # 1973-03-03: below this a number is not taken for a time
# an epoch number is seconds below 1e11 (year 5138), else ms, µs or ns by magnitude
_SCALES = ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9))


def event_time(event: Mapping[str, Any]) -> dt.datetime | None:
    """The event's time in UTC, or None when none of ``TIME_KEYS`` holds a usable one."""
    for key in TIME_KEYS:
        value = event.get(key)
        if value is not None:
            moment = parse_moment(value)
            if moment is not None:
                return moment
    return None


def parse_moment(value: Any) -> dt.datetime | None:
    """An ISO 8601 string or an epoch number (or a string of one) as a UTC time; else None."""
    if isinstance(value, str):
        text = value.strip()
        if text[4:5] == "-":  # 2026-…: ISO 8601 (tried first: the common case, and no exception)
            return _iso(text)
        try:
            number = float(text)
        except ValueError:
            return _iso(text)
        return _epoch(number)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(float(value))
    return None


def minute_name(event: Mapping[str, Any]) -> str | None:
    """``2026-11-25T10:05``: the UTC minute of :func:`event_time` (cut it for hours and
    days), or None. Same result, but an ISO string already in UTC is not reformatted."""
    value = event.get("timestamp")
    if type(value) is str and len(value) >= 16 and value[4:5] == "-" and value[10:11] in "T " and value[13:14] == ":":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and (moment.tzinfo is None or not moment.utcoffset()):
            return value[:10] + "T" + value[11:16]
    moment = event_time(event)
    return None if moment is None else _minute_name(int(moment.timestamp()) // 60)


@functools.lru_cache(maxsize=4096)
def _minute_name(minute: int) -> str:
    return (_EPOCH + dt.timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M")


def _iso(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _epoch(number: float) -> dt.datetime | None:
    if not math.isfinite(number) or number < _SECONDS_FROM:
        return None
    for below, per_second in _SCALES:
        if number < below:
            try:
                return _EPOCH + dt.timedelta(seconds=number / per_second)
            except OverflowError:
                return None
    return None
