"""The native event-time parser (rust/core/src/eventtime.rs) against Python's own
datetime on every form it documents, and the native source globs against fnmatch."""

from __future__ import annotations

import datetime as dt
import fnmatch

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_tagger import _native
from pii_tagger.archive.eventtime import EPOCH, event_time, micros_of, minute_name, parse_moment

_MOMENTS = st.datetimes(min_value=dt.datetime(1973, 3, 4), max_value=dt.datetime(9998, 12, 30))
_ZONES = st.one_of(st.none(), st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23, minutes=59)))


def _offset(zone: dt.timedelta, style: int) -> str:
    sign = "-" if zone < dt.timedelta(0) else "+"
    minutes = abs(zone) // dt.timedelta(minutes=1)
    hours, minutes = divmod(minutes, 60)
    if style == 0 and not minutes:
        return f"{sign}{hours:02d}"
    return f"{sign}{hours:02d}:{minutes:02d}" if style < 2 else f"{sign}{hours:02d}{minutes:02d}"


@settings(max_examples=400, deadline=None)
@given(_MOMENTS, _ZONES, st.integers(0, 3), st.booleans(), st.sampled_from("T "), st.integers(0, 9), st.sampled_from(".,"),
       st.integers(0, 2), st.booleans())
def test_iso_forms_read_as_datetime_reads_them(moment: dt.datetime, zone: dt.timedelta | None, precision: int, basic: bool,
                                               sep: str, digits: int, point: str, zone_style: int, utc_z: bool) -> None:
    date = moment.strftime("%Y%m%d" if basic else "%Y-%m-%d")
    clock = ["%H", "%H%M" if basic else "%H:%M", "%H%M%S" if basic else "%H:%M:%S", "%H%M%S" if basic else "%H:%M:%S"][precision]
    text = date + sep + moment.strftime(clock)
    if precision == 3 and digits:
        text += point + f"{moment.microsecond:06d}{'123'}"[:digits]
    if zone is not None:
        text += "Z" if utc_z and not zone else _offset(zone, zone_style)
    expected = dt.datetime.fromisoformat(text.replace(",", "."))
    expected = expected.replace(tzinfo=dt.UTC) if expected.tzinfo is None else expected
    assert _native.text_moment(text) == micros_of(expected), text


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(min_value=1e8, max_value=1e20, allow_nan=False), st.integers(10**8, 10**20 - 1)))
def test_epoch_numbers_as_the_python_parser_scaled_them(number: float) -> None:
    """The parser this replaced: scale by size, then datetime + timedelta(seconds=...)."""
    x = float(number)
    expected = None  # 1e20 and more: no time
    for below, per_second in ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9)):
        if x < below:
            expected = EPOCH + dt.timedelta(seconds=x / per_second)
            break
    assert parse_moment(number) == expected
    assert parse_moment(str(number)) == parse_moment(float(str(number)))


def test_what_is_no_time() -> None:
    for value in ("yesterday", "", "2026-02-29", "2026-11-25T24:00", "12.5", 12.5, 1e30, True, None, [1], "2026-W48-3", 10**400):
        assert parse_moment(value) is None, value
    assert event_time({"timestamp": "soon", "time": 1795602600}) == dt.datetime(2026, 11, 25, 10, 30, tzinfo=dt.UTC)
    assert minute_name({"asctime": "2026-11-25 10:30:59,999"}) == "2026-11-25T10:30"


@settings(max_examples=500, deadline=None)
@given(st.text("ab.*?[]!-", max_size=8), st.text("ab.[]!-", min_size=1, max_size=8))
def test_source_globs_match_as_fnmatchcase(pattern: str, source: str) -> None:
    line = orjson.dumps({"service": source, "pii_categories": []}) + b"\n"
    selected = _native.select_chunk(line, [], categories=[], match_all=False, contains=[], sources=[pattern], since=None, until=None)[5]
    assert bool(selected) == fnmatch.fnmatchcase(source, pattern), (pattern, source)
