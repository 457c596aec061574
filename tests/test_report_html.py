"""The HTML report of ``pii-tagger stats --html``: what a person sees, in a real browser.

The log is written by a real Redactor (summary=True) with personal values
planted in it; the page is rendered by headless Chromium, started here over
the DevTools protocol (tests/headless_chromium.py), at a wide and a narrow
window, and what it drew is read back from the live page."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from colours import VISIONS, closest_pair, distance
from headless_chromium import Chromium, find_browser

from pii_tagger import Hasher, Redactor
from pii_tagger.archive.stats import collect
from pii_tagger.archive.report_html import PALETTE, render_html
from pii_tagger.rules import load_rules
from planted import CODE, EMAIL, IBAN, SECRET

PHONE = "+371 26 123 456"
HOSTILE = "<script>alert(1)</script>"  # a service name from the logs: shown as text, never run
START = dt.datetime(2026, 11, 24, 8, tzinfo=dt.UTC)
HOURS = [0, 1, 2, 3, 7, 8, 9]  # 12:00-14:59 has no event: those hours are empty slots, not left out


def _events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for i in range(140):
        kind = i % 5
        event: dict[str, Any] = [
            {"event": "payment", "iban": IBAN, "customer": {"personal_code": CODE}},
            {"event": "contact updated", "email": EMAIL, "phone": PHONE},
            {"event": "login", "password": SECRET},
            {"event": "health ok"},
            {"event": "mail sent", "note": f"to {EMAIL}"},
        ][kind]
        event["timestamp"] = (START + dt.timedelta(hours=HOURS[i % len(HOURS)], minutes=i % 60)).timestamp()
        if kind != 3:
            event["service"] = ["billing", "crm", HOSTILE][i % 3]
        events.append(event)
    events.append({"event": "nightly job", "service": "solo", "timestamp": (START + dt.timedelta(hours=2)).timestamp()})
    events += [{"event": "no time", "service": "billing", "email": EMAIL}, {"event": "no time either", "service": "crm"}]
    return events


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), summary=True)
    path = tmp_path_factory.mktemp("report") / "app.log"
    path.write_bytes(b"".join(orjson.dumps(redactor.redact(e)) + b"\n" for e in _events()) + b"a plain text line\n")
    return path


def _page(log: Path, bucket: str = "hour") -> str:
    return render_html(collect([str(log)], bucket=bucket), load_rules().categories, bucket)


class TestPage:
    def test_counts_in_words_with_plurals_and_undated_events_said_not_drawn(self, log: Path) -> None:
        page = _page(log)
        assert "solo <small>(1 event)</small>" in page and "1 line that is not a JSON object" in page
        assert "2 events without a timestamp</strong>" in page
        assert "Without a timestamp, not drawn: category 2: 1 event." in page  # billing's undated event
        assert not re.search(r"\b1 (events|lines)\b", page) and not re.search(r"(?<![\d,])(?:[02-9]|\d\d+) event\b", page)
        assert ">-<" not in page and "(no service or logger)" in page
        for value in (CODE, EMAIL, IBAN, PHONE, SECRET, HOSTILE):
            assert value not in page

    def test_time_runs_on_without_gaps(self, log: Path) -> None:
        page = _page(log)
        svg = page[page.index("<svg"):page.index("</svg>")]
        assert re.match(r'<svg viewBox="0 0 10 ', svg)  # 08:00 to 17:00: ten hours, three of them empty
        assert "2026-11-24 08:00 UTC" in svg and "2026-11-24 12:00" not in svg
        assert 'left:5.000%">2026-11-24 08:00</span>' in page

    def test_a_time_axis_too_long_for_one_bar_per_bucket_says_so(self, tmp_path: Path) -> None:
        days = tmp_path / "days.log"
        days.write_bytes(b'{"timestamp": 1795602600, "pii_categories": [2]}\n{"timestamp": 1795902600, "pii_categories": [2]}\n')
        page = render_html(collect([str(days)], bucket="minute"), load_rules().categories, "minute")
        assert "only the 2 minutes with events are drawn" in page and '<svg viewBox="0 0 2 ' in page
        assert "are drawn, side by side" not in render_html(collect([str(days)], bucket="hour"), load_rules().categories, "hour")

    def test_each_category_keeps_its_colour_and_all_stay_apart(self, log: Path, tmp_path: Path) -> None:
        few = tmp_path / "few.log"
        few.write_bytes(b'{"timestamp": 1795602600, "pii_categories": [16]}\n')
        assert f'data-category="16"><i style="background:{PALETTE[16]}"' in render_html(
            collect([str(few)]), load_rules().categories, "hour")
        assert f'data-category="16"><i style="background:{PALETTE[16]}"' in _page(log)
        assert len(PALETTE) == 19 and len(set(PALETTE)) == 19
        for vision in VISIONS:
            smallest, a, b = closest_pair(PALETTE, vision)
            assert smallest >= (15 if vision == "normal" else 8), (vision, a, b, smallest)


# ---- in the browser --------------------------------------------------------------------------

_READ_PAGE = """(() => {
  const box = e => e.getBoundingClientRect();
  const shown = e => getComputedStyle(e).display !== 'none' && box(e).width > 0;
  const charts = [...document.querySelectorAll('figure.chart')].map(f => {
    const svg = f.querySelector('svg'), rects = [...svg.querySelectorAll('rect')];
    return {
      figure: [box(f).left, box(f).right], svg: [box(svg).left, box(svg).right, box(svg).height],
      content: [box(document.body).left, box(document.body).right],
      xs: [...f.querySelectorAll('.x span')].filter(shown).map(s => [s.textContent, box(s).left, box(s).right]),
      ys: [...f.querySelectorAll('.y span')].filter(shown).map(s => [s.textContent, box(s).top]),
      bars: rects.length, drawn: rects.filter(r => box(r).width > 0 && box(r).height > 0).length,
    };
  });
  const legend = [...document.querySelectorAll('.legend span')].map(
    s => [+s.dataset.category, getComputedStyle(s.querySelector('i')).backgroundColor]);
  return {width: innerWidth, scrolls: document.documentElement.scrollWidth > innerWidth, scripts: document.scripts.length,
          text: document.body.innerText, html: document.documentElement.outerHTML, charts, legend};
})()"""


def _hex(rgb: str) -> str:
    r, g, b = (int(n) for n in re.findall(r"\d+", rgb)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Any:
    browser = find_browser()
    if browser is None:
        pytest.skip("no Chromium here (Debian: apt-get install chromium; .ci/run installs it when it can)")
    page = Chromium(browser, tmp_path_factory.mktemp("chromium-profile"))
    yield page
    page.close()


def test_the_report_in_a_browser(chromium: Chromium, log: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    env = {**os.environ, "PII_TAGGER_HASH_KEY": "t1:a-test-key-that-is-long-enough"}
    result = subprocess.run([sys.executable, "-m", "pii_tagger.cli.main", "stats", "--html", str(report), str(log)],
                            capture_output=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    url = report.as_uri()
    for width in (1400, 700, 420):
        chromium.load(url, width)
        page = chromium.evaluate(_READ_PAGE)
        assert page["width"] == width and page["scripts"] == 0 and not page["scrolls"], width
        problems = [e for e in chromium.events if e["method"] in ("Runtime.exceptionThrown", "Log.entryAdded", "Runtime.consoleAPICalled")]
        assert problems == []
        fetched = {e["params"]["request"]["url"] for e in chromium.events if e["method"] == "Network.requestWillBeSent"}
        assert fetched == {url}  # nothing else: the page works offline
        assert len(page["charts"]) == 6  # all sources, billing, crm, the hostile name, (no service or logger), solo
        for chart in page["charts"]:
            assert chart["bars"] > 0 and chart["drawn"] == chart["bars"]  # every bar drew
            assert chart["figure"] == chart["content"]  # the chart spans the page's column, whatever its width
            assert abs(chart["svg"][1] - chart["figure"][1]) < 1 and chart["svg"][2] > 150  # and the plot fills the chart
            ticks = [y[0] for y in chart["ys"]]
            assert ticks == ["0", "1"] if chart is page["charts"][-1] else ticks[0] == "0" and len(ticks) >= 3  # solo: 1 event
            assert all(a[1] > b[1] for a, b in itertools.pairwise(chart["ys"]))
            labels = chart["xs"]
            assert len(labels) >= 2 and "-" not in [x[0] for x in labels]
            assert all(a[2] < b[1] for a, b in itertools.pairwise(labels)), labels  # no two labels overlap
            assert labels[0][1] >= 0 and labels[-1][2] <= width
        assert "2 events without a timestamp" in page["text"] and "solo (1 event)" in page["text"]
        assert HOSTILE in page["text"]  # as text
        for value in (CODE, EMAIL, IBAN, PHONE, SECRET):
            assert value not in page["text"] and value not in page["html"]
        colours = {category: _hex(rgb) for category, rgb in page["legend"]}
        assert colours == {c: PALETTE[c] for c in colours} and len(colours) >= 5
        for vision in VISIONS:
            for a, b in itertools.combinations(colours.values(), 2):
                assert distance(a, b, vision) >= (15 if vision == "normal" else 8), (vision, a, b)
    shot = chromium.screenshot()
    (tmp_path / "report.png").write_bytes(shot)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(shot[16:20], "big") == 420
