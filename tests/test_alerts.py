"""Alerts: grouping, rate limits, sinks that fail, and never a value; audit mode."""

from __future__ import annotations

import io
import json
import logging
import time
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from pii_tagger import Hasher, Policy, PolicyError, Redactor, Target
from pii_tagger.alerts import Alert, Alerter, CounterSink, LoggerSink
from planted import CODE, EMAIL

TARGET = Target("email", 2, "email", "mask")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _alerter(clock: Clock, hasher: Hasher, **options: Any) -> tuple[Alerter, list[Alert]]:
    sent: list[Alert] = []
    return Alerter([sent.append], hasher=hasher, clock=clock, **options), sent


def test_first_finding_alerts_at_once_repeats_are_counted_per_interval(clock: Clock, hasher: Hasher) -> None:
    alerter, sent = _alerter(clock, hasher, interval=60)
    for _ in range(1000):
        alerter.report("leak", TARGET, "user.email", "billing", EMAIL)
    assert len(sent) == 1 and sent[0].count == 1
    clock.now += 30
    alerter.report("leak", TARGET, "user.email", "billing", EMAIL)
    clock.now += 31
    alerter.report("leak", TARGET, "user.email", "billing", EMAIL)  # closes the interval: one alert, counted
    assert [a.count for a in sent] == [1, 1000]
    assert sent[1].last_seen == sent[0].first_seen + 30
    alerter.flush()
    assert [a.count for a in sent] == [1, 1000, 1]
    clock.now += 120  # a quiet interval: the group is forgotten, the next finding alerts at once
    alerter.flush()
    alerter.report("leak", TARGET, "user.email", "billing", EMAIL)
    assert [a.count for a in sent] == [1, 1000, 1, 1]


def test_alert_fields_and_fingerprints_group_repeats(clock: Clock, hasher: Hasher) -> None:
    alerter, sent = _alerter(clock, hasher)
    alerter.report("leak", TARGET, "user.email", "billing", EMAIL)
    alerter.report("leak", TARGET, "user.email", "billing", f"  {EMAIL} ")
    alerter.report("leak", TARGET, "user.email", "billing", "janis@example.lv")
    alerter.flush()
    first, summary = sent
    assert (first.kind, first.categories, first.rule, first.where, first.source) == ("leak", (2,), "email", "user.email", "billing")
    assert summary.count == 2
    assert first.fingerprints[0] == hasher.fingerprint(EMAIL) == hasher.fingerprint(f" {EMAIL}")
    assert len(set(summary.fingerprints)) == 2
    # a fingerprint is not the hash token that a log line carries
    assert first.fingerprints[0] not in hasher.token(EMAIL)
    assert Hasher({"other": "another-key-long-enough"}).fingerprint(EMAIL) != first.fingerprints[0]


def test_at_most_max_alerts_at_once_the_rest_at_the_interval_end(clock: Clock, hasher: Hasher) -> None:
    alerter, sent = _alerter(clock, hasher, max_alerts=3)
    for n in range(50):
        alerter.report("leak", TARGET, f"field{n}", "svc", EMAIL)
    assert len(sent) == 3
    alerter.flush()
    assert len(sent) == 50 and sum(a.count for a in sent) == 50


def test_groups_are_bounded_and_overflow_is_counted(clock: Clock, hasher: Hasher) -> None:
    alerter, sent = _alerter(clock, hasher, max_alerts=1, max_groups=5)
    for n in range(100):
        alerter.report("leak", TARGET, f"field{n}", "svc", EMAIL)
    alerter.flush()
    assert sum(a.count for a in sent) == 100
    overflow = [a for a in sent if a.rule == "*"]
    assert overflow and overflow[0].count == 95


def test_one_events_findings_at_once_count_as_reported_one_by_one(clock: Clock, hasher: Hasher) -> None:
    findings = [(TARGET, f"field{n % 7}", f"user{n}@inbox.lv") for n in range(40)]
    batched, batched_sent = _alerter(clock, hasher, max_alerts=2, max_groups=5)
    single, single_sent = _alerter(clock, hasher, max_alerts=2, max_groups=5)
    batched.report_many("leak", findings, "svc")
    for target, where, value in findings:
        single.report("leak", target, where, "svc", value)
    assert len(batched_sent) == len(single_sent) == 2
    batched.flush()
    single.flush()
    assert [(a.where, a.count, a.fingerprints) for a in batched_sent] == [(a.where, a.count, a.fingerprints) for a in single_sent]
    assert sum(a.count for a in batched_sent) == 40 and [a.count for a in batched_sent if a.rule == "*"] == [sum(1 for n in range(40) if n % 7 >= 5)]


def test_pending_counts_are_sent_by_the_timer(hasher: Hasher) -> None:
    sent: list[Alert] = []
    alerter = Alerter([sent.append], hasher=hasher, interval=0.05)
    alerter.report("leak", TARGET, "f", "svc", EMAIL)
    alerter.report("leak", TARGET, "f", "svc", EMAIL)
    deadline = time.monotonic() + 2  # the second is pending: nothing but the timer sends it (no flush here)
    while len(sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [a.count for a in sent] == [1, 1]


def test_a_failing_sink_never_breaks_the_others(clock: Clock, hasher: Hasher, caplog: pytest.LogCaptureFixture) -> None:
    sent: list[Alert] = []

    def broken(alert: Alert) -> None:
        raise RuntimeError(f"SIEM down while sending {EMAIL}")

    alerter = Alerter([broken, sent.append], hasher=hasher, clock=clock)
    alerter.report("leak", TARGET, "user.email", "svc", EMAIL)
    alerter.report("leak", TARGET, "other", "svc", EMAIL)
    assert len(sent) == 2
    assert "alert sink failed with RuntimeError" in caplog.text
    assert EMAIL not in caplog.text


def test_logger_and_counter_sinks_hold_no_value(clock: Clock, hasher: Hasher) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(pii_alert)s"))
    alert_logger = logging.getLogger("pii_tagger.alerts")
    alert_logger.addHandler(handler)
    reader = InMemoryMetricReader()
    try:
        alerter = Alerter([LoggerSink(), CounterSink(MeterProvider(metric_readers=[reader]))], hasher=hasher, clock=clock)
        alerter.report("leak", TARGET, "user.email", "billing", EMAIL)
        alerter.report("leak", TARGET, "user.email", "billing", EMAIL)
        alerter.report("audit", Target("personal_code_lv", 1, "personal_code", "audit"), "note", "billing", CODE)
        alerter.flush()
    finally:
        alert_logger.removeHandler(handler)
    text = stream.getvalue()
    assert text.count("pii_tagger.alerts WARNING") == 3
    assert "category 2, rule email, at user.email in billing" in text and "let through (audit mode)" in text
    for value in (EMAIL, CODE, "anna", "19997", "161175"):
        assert value not in text
    points = {
        (p.attributes["pii.kind"], p.attributes["pii.category"], p.attributes["pii.rule"]): p.value
        for m in reader.get_metrics_data().resource_metrics[0].scope_metrics[0].metrics
        if m.name == "pii_tagger.alerts"
        for p in m.data.data_points
    }
    assert points == {("leak", 2, "email"): 2, ("audit", 1, "personal_code_lv"): 1}


class TestAuditMode:
    def test_values_stay_tags_are_set_and_alerts_hold_no_value(self, hasher: Hasher) -> None:
        sent: list[Alert] = []
        redactor = Redactor(Policy(mode="audit"), hasher=hasher, alerts=Alerter([sent.append], hasher=hasher), raise_errors=True)
        event = {
            "event": f"login {EMAIL}",
            "logger": "auth",
            "customer": {"personal_code": CODE, "age": 42},
            "password": "Ziema2026!",
            "callback": "https://bob:hunter2@example.lv/x",
        }
        out = redactor.redact(event)
        # credentials are dropped in audit mode too; everything else stays
        kept = {k: v for k, v in event.items() if k != "password"}
        assert {k: v for k, v in out.items() if k != "pii_categories"} == {**kept, "callback": "https://bob:[REDACTED:secret]@example.lv/x"}
        assert out["pii_categories"] == [1, 2, 12, 14, 16]  # 12: the URL is a request log; 14: the event names a login
        assert {(a.kind, a.rule, a.where, a.source) for a in sent} >= {
            ("audit", "email", "event", "auth"),
            ("audit", "personal_code", "customer.personal_code", "auth"),
            ("audit", "secret", "password", "auth"),
            ("audit", "url_password", "callback", "auth"),
        }
        rendered = json.dumps([a.as_dict() for a in sent])
        for value in (EMAIL, CODE, "Ziema2026!", "hunter2"):
            assert value not in rendered

    @pytest.mark.parametrize("policy", [Policy(mode="audit"), Policy(actions={16: "audit"}), Policy(mode="audit", actions={16: "mask"})],
                             ids=["audit mode", "category 16 audited", "audit mode, category 16 masked"])
    def test_credentials_are_dropped_and_alerted(self, hasher: Hasher, policy: Policy) -> None:
        sent: list[Alert] = []
        redactor = Redactor(policy, hasher=hasher, alerts=Alerter([sent.append], hasher=hasher), summary=True)
        secret, token = "Ziema2026!", "sk_live_51HqLyjWDarjtT1zdp7dc"
        out = redactor.redact({"password": secret, "note": f"api_key={token} pwd={secret}", "username": "janis", "logger": "auth"})
        rendered = json.dumps(out)
        assert secret not in rendered and token not in rendered and "password" not in out
        assert out["username"] == "janis"  # a user name is no credential: audited, left in place
        notes = {(n["rule"], n["action"]) for n in out["pii_redactions"]}
        assert {("secret", "drop"), ("username", "audit")} <= notes
        assert {(a.kind, a.rule, a.where) for a in sent} >= {("audit", "secret", "password"), ("audit", "secret", "note"), ("audit", "username", "username")}
        said = {a.rule: a.describe() for a in sent}
        assert said["secret"].startswith("personal data dropped (audit mode still drops credentials): category 16")
        assert said["username"].startswith("personal data let through (audit mode): category 16")
        shown = json.dumps([a.as_dict() for a in sent])
        assert secret not in shown and token not in shown

    def test_a_rule_action_lets_a_credential_through_in_audit_mode(self, hasher: Hasher) -> None:
        sent: list[Alert] = []
        policy = Policy(mode="audit", rule_actions={"secret": "audit"})
        redactor = Redactor(policy, hasher=hasher, alerts=Alerter([sent.append], hasher=hasher))
        out = redactor.redact({"password": "Ziema2026!", "note": "token=sk_live_51HqLyjWDarjtT1zdp7dc"})
        assert out["password"] == "Ziema2026!" and out["note"] == "token=[REDACTED:token]"
        assert [a.rule for a in sent] == ["secret", "token"]

    def test_per_category_audit_and_enforce_the_rest(self, hasher: Hasher) -> None:
        sent: list[Alert] = []
        redactor = Redactor(Policy(actions={2: "audit"}), hasher=hasher, alerts=Alerter([sent.append], hasher=hasher))
        out = redactor.redact({"email": EMAIL, "personal_code": CODE})
        assert out["email"] == EMAIL and out["personal_code"] != CODE
        assert [a.rule for a in sent] == ["email"]

    def test_a_number_under_a_personal_field_keeps_its_type(self, hasher: Hasher) -> None:
        redactor = Redactor(Policy(mode="audit"), hasher=hasher, alerts=Alerter([], hasher=hasher))
        assert redactor.redact({"phone": 29123456})["phone"] == 29123456

    def test_audit_by_default_alerts_to_the_alert_logger(self, hasher: Hasher, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.WARNING, logger="pii_tagger.alerts"):
            Redactor(Policy(mode="audit"), hasher=hasher).redact({"email": EMAIL})
        assert [r.name for r in caplog.records] == ["pii_tagger.alerts"]
        assert EMAIL not in caplog.text

    def test_enforcing_policy_makes_no_alerter(self, hasher: Hasher) -> None:
        assert Redactor(hasher=hasher).alerts is None

    def test_unknown_mode_is_named(self) -> None:
        with pytest.raises(PolicyError, match="unknown mode 'loud'"):
            Policy(mode="loud")  # type: ignore[arg-type]


def test_summary_paths_never_hold_a_personal_key(summary_redactor: Redactor) -> None:
    out = summary_redactor.redact({"by_customer": {EMAIL: {"visits": 3}}})
    assert EMAIL not in json.dumps(out)
    assert out["pii_redactions"][0]["path"] == "by_customer.[REDACTED:email]"


def test_closing_a_window_at_the_group_cap_loses_no_count(clock: Clock, hasher: Hasher) -> None:
    alerter, sent = _alerter(clock, hasher, max_groups=1, interval=60)
    for n in range(500):
        alerter.report("leak", TARGET, f"f{n % 3}", "svc", EMAIL)
        if n == 250:
            clock.now += 61  # the next report closes the window while the table is full
    alerter.flush()
    assert sum(a.count for a in sent) == 500


def test_audit_mode_never_shows_a_personal_key_in_paths_or_alerts(hasher: Hasher) -> None:
    sent: list[Alert] = []
    redactor = Redactor(Policy(mode="audit"), hasher=hasher, alerts=Alerter([sent.append], hasher=hasher), summary=True)
    out = redactor.redact({"contacts": {EMAIL: {"phone": "+371 21 234 567"}}})
    assert EMAIL in out["contacts"]  # audit leaves the key as it was
    shown = json.dumps([a.as_dict() for a in sent]) + json.dumps(out["pii_redactions"])
    assert EMAIL not in shown and "contacts.[REDACTED:email].phone" in shown


def test_a_timer_from_a_closed_window_waits_for_the_current_one(clock: Clock, hasher: Hasher) -> None:
    alerter, sent = _alerter(clock, hasher, interval=60)
    alerter.report("leak", TARGET, "f", "svc", EMAIL)
    alerter.report("leak", TARGET, "f", "svc", EMAIL)  # pending: a timer is set for this window's end
    # The timer is driven by hand here (cancelled, then fired late): no public API fires a window's timer.
    assert alerter._timer is not None
    alerter._timer.cancel()  # it fires by hand below, late
    clock.now += 30
    alerter.report("leak", TARGET, "f", "svc", EMAIL)
    clock.now += 31
    alerter.report("leak", TARGET, "f", "svc", EMAIL)  # closes the window (2 pending sent), opens one with 1 pending
    assert [a.count for a in sent] == [1, 2]
    alerter._timer = None
    alerter._on_timer()  # the old window's timer, late: it must not close the new window
    assert [a.count for a in sent] == [1, 2]
    assert alerter._timer is not None
    alerter._timer.cancel()
    clock.now += 60
    alerter._on_timer()
    assert [a.count for a in sent] == [1, 2, 1]


@pytest.fixture
def unheard(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Nothing said yet about loggers writing nowhere; pii_tagger's loggers as they were."""
    from pii_tagger import failsafe

    # Once-per-process memory that nothing public resets (a process never needs to): as in a new process.
    monkeypatch.setattr(failsafe, "_unheard", set())
    monkeypatch.setattr(failsafe, "_reported", set())
    loggers = [logging.getLogger(name) for name in ("pii_tagger", "pii_tagger.alerts")]
    saved = [(lg.disabled, lg.propagate, lg.level, list(lg.handlers)) for lg in loggers]
    yield failsafe
    for lg, (disabled, propagate, level, handlers) in zip(loggers, saved):
        lg.disabled, lg.propagate, lg.handlers[:] = disabled, propagate, handlers
        lg.setLevel(level)  # clears the level cache


def _leak(alerter: Alerter) -> None:
    alerter.report("leak", TARGET, "user.email", "billing", EMAIL)


def test_alerts_to_a_disabled_logger_are_said_once_on_stderr(clock: Clock, hasher: Hasher, unheard: Any,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """What a dictConfig without disable_existing_loggers: False does to the alerts' logger."""
    logging.getLogger("pii_tagger.alerts").disabled = True
    alerter = Alerter([LoggerSink()], hasher=hasher, clock=clock)
    _leak(alerter)
    alerter.report("leak", TARGET, "customer.email", "billing", CODE)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and EMAIL not in err and CODE not in err
    assert err.startswith("pii_tagger: alerts go to the logger 'pii_tagger.alerts', which is disabled (dictConfig's "
                          "disable_existing_loggers, true unless set,")


def test_alerts_to_a_logger_without_any_handler_are_said_once(clock: Clock, hasher: Hasher, unheard: Any,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    logging.getLogger("pii_tagger.alerts").propagate = False  # so no handler up the tree, not even pytest's
    alerter = Alerter([LoggerSink()], hasher=hasher, clock=clock)
    _leak(alerter)
    clock.now += 1
    alerter.report("leak", TARGET, "other.email", "billing", EMAIL)
    err = capsys.readouterr().err.splitlines()
    notices = [line for line in err if line.startswith("pii_tagger: alerts go to")]
    assert notices == ["pii_tagger: alerts go to the logger 'pii_tagger.alerts', which has no handler, nor has any logger "
                       "above it (logging's last resort prints them on stderr, unformatted, or nothing); they reach no log "
                       "(said once)"]
    assert len(err) == 3 and all(EMAIL not in line for line in err)  # and the two alerts, by the last resort


def test_alerts_below_the_loggers_level_and_failure_reports_are_said(unheard: Any, capsys: pytest.CaptureFixture[str]) -> None:
    logging.getLogger("pii_tagger.alerts").setLevel(logging.ERROR)
    LoggerSink()(Alert("leak", (2,), "email", "user.email", "billing", 1, 0.0, 0.0))
    logging.getLogger("pii_tagger").disabled = True
    try:
        raise ValueError(f"no {CODE}")
    except ValueError as exc:
        assert unheard.report_once("redact", exc)
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "pii_tagger: alerts go to the logger 'pii_tagger.alerts', which drops WARNING records (its level is ERROR); "
        "they reach no log (said once)",
        "pii_tagger: failure reports go to the logger 'pii_tagger', which is disabled (dictConfig's "
        "disable_existing_loggers, true unless set, turns off every logger that exists: set it to False or list the "
        "logger); they reach no log (said once)",
    ]


def test_alerts_that_reach_a_handler_say_nothing(clock: Clock, hasher: Hasher, unheard: Any,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    alerts_logger = logging.getLogger("pii_tagger.alerts")
    alerts_logger.propagate = False
    alerts_logger.addHandler(logging.StreamHandler(out))
    _leak(Alerter([LoggerSink()], hasher=hasher, clock=clock))
    assert capsys.readouterr().err == "" and out.getvalue().startswith("pii_tagger: personal data left unmasked")
