"""The HTML report of ``pii-tagger stats --html``: categories over time, per
source, as stacked bars in inline SVG. One self-contained file, no script."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from html import escape

from .logstats import NO_TAGS, Stats
from .rules import Category

# 19 colours that stay apart: category 0 (no personal data) in grey.
PALETTE = [
    "#bbbbbb", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354",
]
MAX_SOURCES = 8
_W, _H, _PAD = 760, 220, 40


def render_html(stats: Stats, catalogue: Mapping[int, Category], bucket: str) -> str:
    sources = stats.sources  # events, each counted once
    per_source: dict[str, Counter[tuple[str, int]]] = {}
    for (time, source, category), n in stats.cube.items():
        if category != NO_TAGS:
            per_source.setdefault(source, Counter())[time, category] += n
    buckets = sorted({t for (t, _, c) in stats.cube if c != NO_TAGS})
    shown = [s for s, _ in sources.most_common() if s in per_source][:MAX_SOURCES]
    used = sorted({c for (_, _, c) in stats.cube if c != NO_TAGS})
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8><title>pii_tagger: categories over time</title>",
        ("<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}h2{font-size:16px;margin:1.5em 0 .3em}"
        "svg{background:#fafafa;border:1px solid #ddd}.legend span{display:inline-block;margin:0 1em .3em 0}"
        ".legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-1px}"
        "table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}td:nth-child(2),th:nth-child(2){text-align:left}</style>"),
        "<h1>Personal-data categories over time</h1>",
        (f"<p>{stats.lines} lines, {stats.events} events ({stats.tagged} tagged); time bucket: {escape(bucket)}. "
        "Each bar stacks the events of one time bucket by the categories they carried "
        "(an event with two categories counts in both).</p>"),
        _legend(used, catalogue),
        "<h2>All sources</h2>",
        _chart(stats.by_time(), buckets, used),
    ]
    for source in shown:
        parts += [f"<h2>{escape(source)} <small>({sources[source]} events)</small></h2>",
                  _chart(per_source.get(source, Counter()), buckets, used)]
    if len(per_source) > MAX_SOURCES:
        parts.append(f"<p>{len(per_source) - MAX_SOURCES} more sources not drawn; see pii-tagger stats.</p>")
    parts.append(_category_table(stats, catalogue))
    return "\n".join(parts) + "\n</html>\n"


def _legend(used: list[int], catalogue: Mapping[int, Category]) -> str:
    items = "".join(
        f'<span><i style="background:{PALETTE[c]}"></i>{c} {escape(catalogue[c].name_en if c in catalogue else "no personal data")}</span>'
        for c in used
    )
    return f'<div class="legend">{items}</div>'


def _chart(counts: Counter[tuple[str, int]], buckets: list[str], used: list[int]) -> str:
    if not buckets:
        return "<p>No events.</p>"
    totals = {b: sum(counts.get((b, c), 0) for c in used) for b in buckets}
    peak = max(totals.values()) or 1
    step = (_W - 2 * _PAD) / len(buckets)
    bar = max(1.0, step * 0.8)
    shapes = []
    for i, b in enumerate(buckets):
        x = _PAD + i * step
        y = float(_H - _PAD)
        for c in used:
            n = counts.get((b, c), 0)
            if not n:
                continue
            h = (_H - 2 * _PAD) * n / peak
            y -= h
            shapes.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{PALETTE[c]}">'
                          f"<title>{escape(b)}: category {c}, {n} events</title></rect>")
    axis = (f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" stroke="#999"/>'
            f'<text x="{_PAD}" y="{_H - _PAD + 16}" font-size="11">{escape(buckets[0])}</text>'
            f'<text x="{_W - _PAD}" y="{_H - _PAD + 16}" font-size="11" text-anchor="end">{escape(buckets[-1])}</text>'
            f'<text x="{_PAD - 4}" y="{_PAD}" font-size="11" text-anchor="end">{peak}</text>')
    return f'<svg width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" role="img">{axis}{"".join(shapes)}</svg>'


def _category_table(stats: Stats, catalogue: Mapping[int, Category]) -> str:
    redactions = stats.redactions_by_category()
    rows = "".join(
        f"<tr><td>{c}</td><td>{escape(catalogue[c].name_en if c in catalogue else 'no personal data')}</td>"
        f"<td>{n}</td><td>{redactions.get(c, 0)}</td></tr>"
        for c, n in sorted(stats.by_category().items())
    )
    return ("<h2>Totals</h2><table><tr><th>category</th><th>name</th><th>events</th><th>redactions</th></tr>"
            f"{rows}</table>")
