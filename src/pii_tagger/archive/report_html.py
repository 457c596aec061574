"""The HTML report of ``pii-tagger stats --html``: events by category over
time, for all sources and per source, as stacked bars.

One self-contained page: inline SVG and CSS, no script, nothing fetched, so it
opens offline. It is built from counts: it holds no value from the logs, and
every text that comes from them (source names, time buckets) is escaped.
Charts take the width of the window (their text keeps its size), and time
runs on without gaps: a bucket without events is an empty slot.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Mapping
from html import escape

from ..rules import Category
from .stats import NO_TAGS, Stats

# One colour per category number (0: no personal data, grey), fixed whatever a
# report shows. Chosen by tests/colours.py: any two stay apart by CIEDE2000
# 18 or more in normal vision and 9 or more with a kind of cone missing
# (protanopia, deuteranopia, tritanopia); tests/test_report_html.py checks it.
PALETTE = (
    "#bbbbbb", "#0000ff", "#744600", "#2e5d46", "#e82eb9", "#d1d100", "#8b8b74", "#5d4674", "#ff0046", "#5da2ff",
    "#2ed1ff", "#178ba2", "#b98ba2", "#e8b974", "#005db9", "#8bd1a2", "#a20046", "#747400", "#8b5dff",
)
MAX_SOURCES = 8  # charts per source; the rest are named in one line
MAX_SLOTS = 2000  # a longer time axis draws only the buckets that have events
X_LABELS = 6  # time labels on a wide window (every other one on a narrow one, every fourth on a phone)
NO_SOURCE = "(no service or logger)"
NO_TIME = "-"  # the bucket of events without a usable time (logstats)

_STEP = {"minute": dt.timedelta(minutes=1), "hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1)}
_NAME = {"minute": "%Y-%m-%dT%H:%M", "hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d"}  # logstats' bucket names
_SHOWN = {"minute": "%Y-%m-%d %H:%M", "hour": "%Y-%m-%d %H:00", "day": "%Y-%m-%d"}
_HIDDEN_WHEN_NARROW = ("", " class=alt", " class=alt2", " class=alt")  # by the label's place, modulo 4
_STYLE = (
    "body{font:14px system-ui,sans-serif;margin:2em;color:#222;max-width:90em}h2{font-size:16px;margin:1.6em 0 .4em}"
    "h2 small{font-weight:normal;color:#555}"
    ".legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;margin:.8em 0}.legend i{display:inline-block;width:.9em;height:.9em;"
    "margin-right:.35em;vertical-align:-1px;border-radius:2px}"
    ".chart{display:grid;grid-template-columns:4em 1fr;grid-template-rows:200px 1.8em;margin:0}"
    ".chart svg{grid-column:2;grid-row:1;width:100%;height:100%;display:block;background:#fafafa;border:1px solid #ddd;"
    "box-sizing:border-box}"
    ".y,.x{position:relative;font-size:12px;color:#444}.y{grid-column:1;grid-row:1}.x{grid-column:2;grid-row:2}"
    ".y span{position:absolute;right:.5em;transform:translateY(50%);white-space:nowrap}"
    ".x span{position:absolute;top:.3em;transform:translateX(-50%);white-space:nowrap}"
    "@media (max-width:60em){.x .alt{display:none}}@media (max-width:36em){.x .alt2{display:none}}"
    ".note{color:#555}.table{overflow-x:auto}table{border-collapse:collapse;margin-top:.5em}td,th{padding:2px 10px;text-align:right}"
    "td:nth-child(2),th:nth-child(2){text-align:left}tr:nth-child(even) td{background:#f4f4f4}"
)


def render_html(stats: Stats, catalogue: Mapping[int, Category], bucket: str) -> str:
    """The page for ``stats``, bucketed by ``bucket`` (``minute``, ``hour`` or ``day``)."""
    per_source: dict[str, Counter[tuple[str, int]]] = {}
    for (time, source, category), n in stats.cube.items():
        if category != NO_TAGS:
            per_source.setdefault(source, Counter())[time, category] += n
    used = sorted({c for (_, _, c) in stats.cube if c != NO_TAGS})
    slots, gapless = _timeline(sorted({t for (t, _, c) in stats.cube if c != NO_TAGS and t != NO_TIME}), bucket)
    shown = [s for s, _ in stats.sources.most_common() if s in per_source][:MAX_SOURCES]
    parts = [
        ("<!doctype html><html lang=en><meta charset=utf-8>"
         "<meta name=viewport content='width=device-width,initial-scale=1'>"
         f"<title>pii_tagger: personal-data categories over time</title><style>{_STYLE}</style>"),
        "<h1>Personal-data categories over time</h1>",
        f"<p>{_intro(stats, bucket)}</p>",
        "" if gapless else (f"<p class=note>Time would need more than {MAX_SLOTS:,} bars: only the "
                            f"{_count(len(slots), escape(bucket))} with events are drawn, side by side "
                            "(a coarser <code>--bucket</code> draws time without gaps).</p>"),
        _legend(used, catalogue),
        "<h2>All sources</h2>",
        _chart(stats.by_time(), slots, used, catalogue, bucket),
    ]
    for source in shown:
        parts += [f"<h2>{escape(_source(source))} <small>({_count(stats.sources[source], 'event')})</small></h2>",
                  _chart(per_source[source], slots, used, catalogue, bucket)]
    if len(per_source) > MAX_SOURCES:
        parts.append(f"<p class=note>{_count(len(per_source) - MAX_SOURCES, 'more source')} not drawn; "
                     "<code>pii-tagger stats</code> lists them.</p>")
    parts.append(_category_table(stats, catalogue))
    return "\n".join(parts) + "\n</html>\n"


def _count(n: int, noun: str) -> str:
    """``1 event``, ``2 events``, ``1,234 events``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _source(source: str) -> str:
    return NO_SOURCE if source == "-" else source


def _category_name(number: int, catalogue: Mapping[int, Category]) -> str:
    return catalogue[number].name_en if number in catalogue else "no personal data"


def _intro(stats: Stats, bucket: str) -> str:
    text = (f"{_count(stats.lines, 'line')}, {_count(stats.events, 'event')} ({stats.tagged:,} tagged, "
            f"{stats.untagged:,} without <code>pii_categories</code>)")
    if stats.not_json:
        text += f", {_count(stats.not_json, 'line')} that {'is' if stats.not_json == 1 else 'are'} not a JSON object"
    text += (f". One bar per {escape(bucket)} (UTC); each stacks the events of that {escape(bucket)} by the categories "
             "they carried, the lowest category number at the bottom (an event with two categories counts in both).")
    if stats.no_time:
        verb = "has" if stats.no_time == 1 else "have"
        text += (f" <strong>{_count(stats.no_time, 'event')} without a timestamp</strong> {verb} no place in time: "
                 "they are not in the charts, and are counted in the totals below.")
    return text


def _timeline(buckets: list[str], bucket: str) -> tuple[list[str], bool]:
    """Every bucket from the first to the last, and True; or ``buckets`` and False
    when that would be more than ``MAX_SLOTS``."""
    if len(buckets) < 2:
        return buckets, True
    step, name = _STEP[bucket], _NAME[bucket]
    first, last = (dt.datetime.strptime(b, name) for b in (buckets[0], buckets[-1]))
    count = (last - first) // step + 1
    if count > MAX_SLOTS:
        return buckets, False
    return [(first + i * step).strftime(name) for i in range(count)], True


def _ticks(peak: int) -> list[int]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least ``peak``: at most 6 ticks."""
    step, factors = 1, itertools.cycle((2, 2.5, 2))  # 1, 2, 5, 10, 20, 50, ...
    while peak > 5 * step:
        step = round(step * next(factors))
    top = max(1, math.ceil(peak / step)) * step
    return list(range(0, top + 1, step))


def _tick_text(value: int) -> str:
    if value >= 1_000_000 and value % 100_000 == 0:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000 and value % 100 == 0:
        return f"{value / 1000:g}k"
    return f"{value:,}"


def _label(name: str, bucket: str) -> str:
    """A bucket's name as people read it: ``2026-11-25 10:00`` for ``2026-11-25T10``."""
    return dt.datetime.strptime(name, _NAME[bucket]).strftime(_SHOWN[bucket])


def _legend(used: list[int], catalogue: Mapping[int, Category]) -> str:
    items = "".join(
        f'<span data-category="{c}"><i style="background:{PALETTE[c]}"></i>{c} {escape(_category_name(c, catalogue))}</span>'
        for c in used
    )
    return f'<div class="legend">{items}</div>'


def _chart(counts: Counter[tuple[str, int]], slots: list[str], used: list[int], catalogue: Mapping[int, Category],
           bucket: str) -> str:
    undated = [(c, counts[NO_TIME, c]) for c in used if counts.get((NO_TIME, c))]
    note = ""
    if undated:
        listed = ", ".join(f"category {c}: {_count(n, 'event')}" for c, n in undated)
        note = f"<p class=note>Without a timestamp, not drawn: {listed}.</p>"
    totals = [sum(counts.get((b, c), 0) for c in used) for b in slots]
    if not any(totals):
        return "<p class=note>No event with a timestamp: nothing to draw over time.</p>" + note
    ticks = _ticks(max(totals))
    top, n = ticks[-1], len(slots)
    grid = "".join(f'<line x1="0" x2="{n}" y1="{top - v}" y2="{top - v}" stroke="{"#999" if v == 0 else "#e2e2e2"}" '
                   'vector-effect="non-scaling-stroke"/>' for v in ticks)
    bars = []
    for i, b in enumerate(slots):
        y = float(top)
        for c in used:
            count = counts.get((b, c), 0)
            if count:
                y -= count
                bars.append(f'<rect x="{i + 0.1:g}" y="{y:g}" width="0.8" height="{count}" fill="{PALETTE[c]}">'
                            f"<title>{escape(_label(b, bucket))} UTC: category {c} ({escape(_category_name(c, catalogue))}), "
                            f"{_count(count, 'event')}</title></rect>")
    y_axis = "".join(f'<span style="bottom:{100 * v / top:g}%">{_tick_text(v)}</span>' for v in ticks)
    every = max(1, math.ceil(n / X_LABELS))
    x_axis = "".join(
        f'<span{_HIDDEN_WHEN_NARROW[k % 4]} style="left:{100 * (i + 0.5) / n:.3f}%">{escape(_label(slots[i], bucket))}</span>'
        for k, i in enumerate(range(0, n, every))
    )
    return (f'<figure class="chart"><div class="y" aria-hidden="true">{y_axis}</div>'
            f'<svg viewBox="0 0 {n} {top}" preserveAspectRatio="none" role="img" '
            f'aria-label="events by category per {escape(bucket)}">{grid}{"".join(bars)}</svg>'
            f'<div class="x" aria-hidden="true">{x_axis}</div></figure>{note}')


def _category_table(stats: Stats, catalogue: Mapping[int, Category]) -> str:
    redactions = stats.redactions_by_category()
    by_time = stats.by_time()
    rows = "".join(
        f"<tr><td>{c}</td><td>{escape(_category_name(c, catalogue))}</td><td>{n:,}</td>"
        f"<td>{by_time.get((NO_TIME, c), 0):,}</td><td>{redactions.get(c, 0):,}</td></tr>"
        for c, n in sorted(stats.by_category().items())
    )
    return ("<h2>Totals</h2><div class=table><table><tr><th>category</th><th>name</th><th>events</th>"
            f"<th>without a timestamp</th><th>redactions</th></tr>{rows}</table></div>")
