"""When an event happened, as ``query --since`` and ``stats`` read it: the
native core's definition (``rust/core/src/eventtime.rs``), one for both.

The time is the first of ``timestamp``, ``@timestamp``, ``time`` and
``asctime`` that holds a usable value:

* an ISO 8601 string: a date ``2026-11-25`` (or ``20261125``), optionally
  ``T`` or a space and a time (``10``, ``10:05``, ``10:05:09``, ``1005``,
  ``100509``; seconds with a fraction after ``.`` or ``,``, as
  python-json-logger's ``asctime`` writes ``2026-11-25 10:00:00,123``), then
  optionally a zone (``Z``, ``+02``, ``+02:00``, ``+0200``); without a zone it
  is UTC. Week and ordinal dates are not read;
* an epoch number, or a string of one (structlog's ``TimeStamper()`` writes
  float seconds): seconds, or milliseconds, microseconds or nanoseconds when
  the number is too large to be seconds. Numbers before 1973-03-03 (under
  1e8 seconds) are not read as times: they are durations or counters.

Times are compared and bucketed in UTC, to the microsecond.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .. import _native

TIME_KEYS: tuple[str, ...] = tuple(_native.TIME_KEYS)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def event_time(event: Mapping[str, Any]) -> dt.datetime | None:
    """The event's time in UTC, or None when none of ``TIME_KEYS`` holds a usable one."""
    micros = event_micros(event)
    return None if micros is None else _datetime(micros)


def parse_moment(value: Any) -> dt.datetime | None:
    """An ISO 8601 string or an epoch number (or a string of one) as a UTC time; else None."""
    micros = moment_micros(value)
    return None if micros is None else _datetime(micros)


def minute_name(event: Mapping[str, Any]) -> str | None:
    """``2026-11-25T10:05``: the UTC minute of :func:`event_time` (cut it for hours and days), or None."""
    micros = event_micros(event)
    return None if micros is None else _native.minute_name(micros)


def event_micros(event: Mapping[str, Any]) -> int | None:
    """The event's time in microseconds since the epoch (UTC), or None."""
    for key in TIME_KEYS:
        value = event.get(key)
        if value is not None:
            micros = moment_micros(value)
            if micros is not None:
                return micros
    return None


def moment_micros(value: Any) -> int | None:
    """:func:`parse_moment` in microseconds since the epoch."""
    if isinstance(value, str):
        return _native.text_moment(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return _native.epoch_moment(float(value))
        except OverflowError:  # an int too large for a float: no time
            return None
    return None


def micros_of(moment: dt.datetime) -> int:
    """A time (naive: UTC) in microseconds since the epoch."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return (aware - EPOCH) // _MICROSECOND


def _datetime(micros: int) -> dt.datetime | None:
    try:
        return EPOCH + dt.timedelta(microseconds=micros)
    except OverflowError:  # past year 9999 once moved to UTC
        return None
