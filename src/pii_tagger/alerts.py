"""Alerts: personal data left a process unmasked (a leak) or was let through
in audit mode.

An :class:`Alert` says what, where and how often, never the value: category
numbers, rule id, field path, logger or service, count, first and last seen,
and a keyed fingerprint of the value so that repeats can be grouped.

The :class:`Alerter` groups findings by (kind, source, rule, category, path).
The first finding of a new group is alerted at once (up to ``max_alerts``
per interval); repeats are counted and alerted as one alert per group when
the interval ends. A group is forgotten after an interval without findings. A hot path that leaks on every event
therefore yields a handful of alerts per interval, with counts.

Sinks are callables taking an :class:`Alert`: :class:`LoggerSink` (the
``pii_tagger.alerts`` logger, for routing to a SIEM), any callback, and
:class:`CounterSink` (an OpenTelemetry counter by category and rule). A sink
that raises is reported once and never breaks logging. Our own sinks run in
the thread that logged; any other sink runs in the alerter's sender thread,
and the thread that logged waits for it at most ``sink_timeout`` seconds: a
sink that blocks (a SIEM that does not answer) is reported once, alerts wait
for it in a bounded queue, and what does not fit is dropped and counted
(:attr:`Alerter.dropped`), so logging goes on.
"""

from __future__ import annotations

import atexit
import collections
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .actions import Hasher, Target
from .failsafe import report_condition_once, report_once, say_if_unheard

ALERT_LOGGER = "pii_tagger.alerts"

Kind = Literal["leak", "audit"]
Sink = Callable[["Alert"], object]
MAX_FINGERPRINTS = 5  # kept per alert: enough to group repeats, never a list of people


@dataclass(frozen=True, slots=True)
class Alert:
    """One group of findings: never the value, nor any part of it."""

    kind: Kind
    categories: tuple[int, ...]
    rule: str
    where: str  # field path, or "line N" in an archive
    source: str  # logger or service name
    count: int
    first_seen: float  # Unix time
    last_seen: float
    fingerprints: tuple[str, ...] = ()
    action: str = ""  # the policy's action for it (in audit mode what was done); "" in an overflow alert

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "categories": list(self.categories),
            "rule": self.rule,
            "where": self.where,
            "source": self.source,
            "count": self.count,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "fingerprints": list(self.fingerprints),
            "action": self.action,
        }

    def describe(self) -> str:
        """One line for people; holds nothing but the alert's own fields."""
        what = "personal data left unmasked" if self.kind == "leak" else _AUDITED.get(self.action, _AUDITED[""])
        cats = ",".join(map(str, self.categories))
        return (
            f"{what}: category {cats}, rule {self.rule}, at {self.where} in {self.source}, "
            f"{self.count} time(s)" + (f", fingerprint {self.fingerprints[0]}" if self.fingerprints else "")
        )


# What audit mode did, by the target's action: it lets values through, but a
# credential (category 16) is still dropped, and a rule's own action may apply.
_AUDITED = {
    "audit": "personal data let through (audit mode)",
    "drop": "personal data dropped (audit mode still drops credentials)",
    "mask": "personal data masked (audit mode)",
    "hash": "personal data hashed (audit mode)",
    "": "personal data found in audit mode (let through, or dropped if a credential)",
}


class LoggerSink:
    """Logs each alert at WARNING to ``pii_tagger.alerts``; the alert's fields
    are on the record as ``pii_alert`` (a dict) for JSON formatters. When that
    logger writes nowhere (disabled, its level, no handler), this is said once on stderr."""

    def __init__(self, logger: logging.Logger | str = ALERT_LOGGER, level: int = logging.WARNING) -> None:
        self.logger = logging.getLogger(logger) if isinstance(logger, str) else logger
        self.level = level

    def __call__(self, alert: Alert) -> None:
        say_if_unheard(self.logger, self.level, "alerts")
        self.logger.log(self.level, "pii_tagger: %s", alert.describe(), extra={"pii_alert": alert.as_dict()})


class CounterSink:
    """An OpenTelemetry counter ``pii_tagger.alerts`` of findings, by kind,
    category and rule (the alert's count is added, so repeats are counted)."""

    def __init__(self, meter_provider: Any = None) -> None:
        from opentelemetry import metrics

        meter = (meter_provider or metrics.get_meter_provider()).get_meter("pii_tagger")
        self._counter = meter.create_counter(
            "pii_tagger.alerts", unit="{finding}", description="Personal data found unmasked or let through in audit mode"
        )

    def __call__(self, alert: Alert) -> None:
        for category in alert.categories:
            self._counter.add(alert.count, {"pii.kind": alert.kind, "pii.category": category, "pii.rule": alert.rule})


@dataclass(slots=True)
class _Group:
    category: int
    first_seen: float
    last_seen: float
    pending: int = 0  # findings not yet in an alert
    since: float = 0.0  # first_seen of the pending ones
    fingerprints: list[str] = field(default_factory=list)


_GroupKey = tuple[str, str, str, int, str, str]  # kind, source, rule, category, where, action


class Alerter:
    """Groups, de-duplicates and rate-limits alerts, and hands them to sinks.

    Args:
        sinks: callables taking an :class:`Alert` (default: :class:`LoggerSink`).
        hasher: the key for fingerprints (default: the hash key configuration).
        interval: seconds per interval.
        max_alerts: alerts sent at once per interval; past it, findings wait
            for the interval's end, where each group gets one alert with its count.
        max_groups: groups kept; findings beyond are counted in one overflow alert.
        sink_timeout: seconds the thread that logged waits for a sink other
            than ours (which run in that thread) to take an alert.
        max_queued: alerts that may wait for such a sink; more are dropped and
            counted in :attr:`dropped`.
    """

    def __init__(
        self,
        sinks: Iterable[Sink] | None = None,
        *,
        hasher: Hasher | None = None,
        interval: float = 60.0,
        max_alerts: int = 10,
        max_groups: int = 1000,
        clock: Callable[[], float] = time.time,
        sink_timeout: float = 1.0,
        max_queued: int = 1000,
    ) -> None:
        if interval <= 0 or max_alerts < 1 or max_groups < 1 or sink_timeout <= 0 or max_queued < 1:
            raise ValueError("Alerter: interval and sink_timeout must be > 0, max_alerts, max_groups and max_queued >= 1")
        self.sinks: list[Sink] = list(sinks) if sinks is not None else [LoggerSink()]
        self.sink_timeout = sink_timeout
        self.max_queued = max_queued
        self.dropped = 0  # alerts a blocked sink never got
        self._inline = [s for s in self.sinks if isinstance(s, (LoggerSink, CounterSink))]
        self._queued_sinks = [s for s in self.sinks if not isinstance(s, (LoggerSink, CounterSink))]
        self._queue: collections.deque[tuple[list[Alert], threading.Event]] = collections.deque()
        self._queued = 0
        self._stuck = False  # a queued sink has not returned in time; nobody waits for it until it does
        self._wake = threading.Condition(threading.Lock())
        self._sender: threading.Thread | None = None
        self.hasher = hasher or Hasher.from_env()
        self.interval = interval
        self.max_alerts = max_alerts
        self.max_groups = max_groups
        self._clock = clock
        self._lock = threading.Lock()
        self._groups: dict[_GroupKey, _Group] = {}
        self._window_start = clock()
        self._sent = 0  # alerts sent at once in this window
        self._overflow: dict[Kind, int] = {}
        self._timer: threading.Timer | None = None
        self._sending = threading.local()
        _live.add(self)

    def report(self, kind: Kind, target: Target, where: str, source: str, value: str | None) -> None:
        """One finding. ``value`` is only fingerprinted, never kept."""
        self.report_many(kind, ((target, where, value),), source)

    def report_many(self, kind: Kind, findings: Iterable[tuple[Target, str, str | None]], source: str) -> None:
        """The findings (target, where, value) of one event from ``source``, as
        :meth:`report` of each, at one time and under one lock."""
        fingerprint = self.hasher.fingerprint
        printed = [(target, where, fingerprint(value) if value else "") for target, where, value in findings]
        now = self._clock()
        ready: list[Alert] = []
        with self._lock:
            if now - self._window_start >= self.interval:
                ready = self._close_window(now)
            for target, where, print_ in printed:
                key = (kind, source, target.rule, target.category, where, target.action)
                group = self._groups.get(key)
                if group is None and len(self._groups) >= self.max_groups:
                    self._overflow[kind] = self._overflow.get(kind, 0) + 1
                    self._start_timer()
                else:
                    self._count(key, group, now, print_, ready)
        self._send(ready)

    def _count(self, key: _GroupKey, group: _Group | None, now: float, fingerprint: str, ready: list[Alert]) -> None:
        new = group is None
        if group is None:
            group = self._groups[key] = _Group(key[3], now, now)
        group.last_seen = now
        if fingerprint and fingerprint not in group.fingerprints and len(group.fingerprints) < MAX_FINGERPRINTS:
            group.fingerprints.append(fingerprint)
        if new and self._sent < self.max_alerts:
            self._sent += 1
            ready.append(self._alert(key, group, 1, now, (fingerprint,) if fingerprint else ()))
        else:
            if group.pending == 0:
                group.since = now
            group.pending += 1
            self._start_timer()

    def flush(self) -> None:
        """Send every pending count now (at exit, and when the interval ends)."""
        with self._lock:
            ready = self._close_window(self._clock())
        self._send(ready)

    def _close_window(self, now: float) -> list[Alert]:
        ready = [
            self._alert(key, g, g.pending, g.since, tuple(g.fingerprints))
            for key, g in self._groups.items()
            if g.pending
        ]
        for kind, n in self._overflow.items():
            ready.append(Alert(kind, (), "*", "*", "*", n, self._window_start, now))
        self._groups = {k: g for k, g in self._groups.items() if now - g.last_seen < self.interval}
        for group in self._groups.values():
            group.pending = 0
        self._overflow = {}
        self._window_start = now
        self._sent = 0
        return ready

    @staticmethod
    def _alert(key: _GroupKey, group: _Group, count: int, first: float, fingerprints: tuple[str, ...]) -> Alert:
        kind, source, rule, category, where, action = key
        return Alert(kind, (category,), rule, where, source, count, first, group.last_seen, fingerprints, action)  # type: ignore[arg-type]

    def _start_timer(self) -> None:
        if self._timer is None:
            delay = max(0.0, self._window_start + self.interval - self._clock())
            self._timer = threading.Timer(delay, self._on_timer)
            self._timer.daemon = True
            self._timer.start()

    def _on_timer(self) -> None:
        with self._lock:
            self._timer = None
            if self._clock() - self._window_start < self.interval:
                self._start_timer()  # set for a window a report has closed since: wait for this one's end
                return
        self.flush()

    def _send(self, alerts: list[Alert]) -> None:
        if not alerts or getattr(self._sending, "active", False):
            return  # a sink that logs must not alert about its own alert
        self._sending.active = True
        try:
            _deliver(alerts, self._inline)
        finally:
            self._sending.active = False
        if self._queued_sinks:
            self._enqueue(alerts)

    def _enqueue(self, alerts: list[Alert]) -> None:
        """To the sender thread; waits for it at most ``sink_timeout`` (not at all while a sink is stuck)."""
        done = threading.Event()
        with self._wake:
            if self._queued + len(alerts) > self.max_queued:
                self.dropped += len(alerts)
                full = True
            else:
                full = False
                self._queue.append((alerts, done))
                self._queued += len(alerts)
                if self._sender is None:
                    self._sender = threading.Thread(target=self._send_queued, name="pii_tagger alerts", daemon=True)
                    self._sender.start()
                self._wake.notify()
            stuck = self._stuck
        if full:
            report_condition_once("alert sink", f"more than {self.max_queued} alerts wait for a sink that does not return; "
                                  "later ones are dropped and counted (Alerter.dropped)")
            return
        if stuck or done.wait(self.sink_timeout):
            return
        with self._wake:
            self._stuck = not done.is_set()
        if self._stuck:
            report_condition_once("alert sink", f"a sink has not returned in {self.sink_timeout:g} s; alerts wait for it "
                                  f"(up to {self.max_queued}) and logging goes on")

    def _send_queued(self) -> None:
        self._sending.active = True
        while True:
            with self._wake:
                while not self._queue:
                    self._wake.wait()
                alerts, done = self._queue[0]
            _deliver(alerts, self._queued_sinks)
            with self._wake:
                self._queue.popleft()
                self._queued -= len(alerts)
                done.set()
                if not self._queue:
                    self._stuck = False

    def wait_sent(self, timeout: float | None = None) -> bool:
        """Wait until the sender thread has handed every queued alert to the sinks; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._wake:
                if not self._queue:
                    return True
                done = self._queue[-1][1]
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0 or not done.wait(left):
                return False

    def close(self) -> None:
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        self.flush()
        self.wait_sent(self.sink_timeout)


def _deliver(alerts: list[Alert], sinks: list[Sink]) -> None:
    for alert in alerts:
        for sink in sinks:
            try:
                sink(alert)
            except Exception as exc:  # noqa: BLE001 - a failing sink never breaks logging
                report_once("alert sink", exc, "its alerts were not delivered to it")


_live: weakref.WeakSet[Alerter] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    for alerter in list(_live):
        try:
            alerter.close()
        except Exception:  # noqa: BLE001, S110 - never fail an interpreter's exit
            pass
