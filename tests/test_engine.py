"""Embedded formats, odd types, tags, summaries, and bad input."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import pytest

from pii_tagger import Hasher, Policy, Redactor
from planted import CODE



class TestEmbedded:
    def test_json_inside_a_string(self, redactor: Redactor) -> None:
        payload = orjson.dumps({"personal_code": CODE, "items": [{"note": "call +371 21 234 567"}], "ok": True}).decode()
        out = redactor.redact({"body": payload})
        inner = orjson.loads(out["body"])
        assert CODE not in out["body"] and "21 234 567" not in out["body"]
        assert inner["ok"] is True and inner["items"][0]["note"] == "call [REDACTED:phone:..67]"

    def test_clean_json_string_is_left_byte_for_byte(self, redactor: Redactor) -> None:
        payload = '{ "status": "ok",  "count": 3 }'
        assert redactor.redact({"body": payload})["body"] == payload

    def test_url_query_percent_encoded(self, redactor: Redactor) -> None:
        out = redactor.redact({"url.full": "https://portal.example.lv/find?q=anna%40example.lv&code=161175%2D19997&page=2"})
        assert out["url.full"].startswith("https://portal.example.lv/find?q=")
        assert "anna" not in out["url.full"] and "19997" not in out["url.full"] and out["url.full"].endswith("&page=2")
        assert out["pii_categories"] == [1, 2, 12]

    def test_plain_text_under_a_url_field_is_not_percent_encoded(self, redactor: Redactor) -> None:
        out = redactor.redact({"location": "near Brīvības iela 39-5 today", "referer": "/p?name=J%C4%81nis&q=anna%40x.lv"})
        assert out["location"] == "near [REDACTED:address] today"
        assert out["referer"] == "/p?name=J%C4%81nis&q=[REDACTED:email]"

    def test_url_credentials_and_secret_params(self, redactor: Redactor) -> None:
        text, categories = redactor.redact_text("GET https://bob:pa55word@db.example/x?token=abc123&lang=lv done")
        assert re.fullmatch(
            r"GET https://\[HASH:t1:[0-9a-f]{20}\]:\[REDACTED:secret\]@db\.example/x\?token=\[REDACTED:token\]&lang=lv done", text
        ), text
        assert categories == [12, 16]

    def test_otel_header_lists(self, redactor: Redactor) -> None:
        out = redactor.redact({"http.request.header.authorization": ["Bearer abcdefghijklmnop"], "http.request.header.accept": ["*/*"]})
        assert "http.request.header.authorization" not in out
        assert out["http.request.header.accept"] == ["*/*"]

    def test_traceback_text(self, redactor: Redactor) -> None:
        try:
            raise ValueError(f"invalid personal code {CODE} for anna@example.lv")
        except ValueError:
            out = redactor.redact({"event": "failed", "exc_info": sys.exc_info()})
        assert "exc_info" not in out
        assert "ValueError: invalid personal code [HASH:t1:" in out["exception"]
        assert CODE not in out["exception"] and "anna@" not in out["exception"]

    def test_exc_info_true_and_exception_instances(self, redactor: Redactor) -> None:
        try:
            raise KeyError(CODE)
        except KeyError as e:
            a = redactor.redact({"event": "x", "exc_info": True})
            b = redactor.redact({"event": "x", "exc_info": e})
        assert CODE not in str(a) and CODE not in str(b) and "KeyError" in b["exception"]

    def test_dict_tracebacks_locals(self, redactor: Redactor) -> None:
        exc = [{"exc_type": "ValueError", "exc_value": f"bad {CODE}", "frames": [
            {"filename": "/app/x.py", "lineno": 3, "name": "f", "locals": {"password": "'hunter2'", "email": "'anna@example.lv'"}}]}]
        out = redactor.redact({"event": "x", "exception": exc})
        frame = out["exception"][0]["frames"][0]
        assert CODE not in str(out) and "hunter2" not in str(out) and frame["locals"] == {"email": "[REDACTED:email]"}

    def test_bytes_objects_and_ints(self, redactor: Redactor) -> None:
        @dataclass
        class Customer:
            name: str
            code: str

        out = redactor.redact({
            "raw": f"code={CODE}".encode(), "clean_raw": b"ok", "obj": Customer("Jānis", CODE),
            "n": 16117519997, "small": 42, "when": dt.date(2026, 11, 25), "id": uuid.UUID(int=1),
        })
        assert CODE not in orjson.dumps(out, default=str).decode()
        assert out["clean_raw"] == b"ok" and out["small"] == 42 and out["when"] == dt.date(2026, 11, 25)
        assert isinstance(out["obj"], str) and out["n"].startswith("[HASH:")
        # bytes with tags only (a URL) stay bytes, first time and again
        for _ in range(2):
            assert redactor.redact({"raw": b"see https://example.com/docs"})["raw"] == b"see https://example.com/docs"

    def test_keys_holding_personal_data(self, redactor: Redactor) -> None:
        out = redactor.redact({"verified": {"anna@example.lv": True}})
        assert out["verified"] == {"[REDACTED:email]": True}
        assert out["pii_categories"] == [2]


class TestTags:
    def test_categories_sorted_unique_and_always_present(self, redactor: Redactor) -> None:
        assert redactor.redact({"event": "hello"})["pii_categories"] == []
        out = redactor.redact({"a": "x@example.lv y@example.lv", "phone": "+37121234567", "personal_code": CODE})
        assert out["pii_categories"] == [1, 2]

    def test_summary_holds_paths_rules_and_counts_never_values(self, summary_redactor: Redactor) -> None:
        out = summary_redactor.redact({"event": f"a@example.lv b@example.lv {CODE}", "customer": {"phone": "+37121234567"}})
        assert {"path": "event", "rule": "email", "category": 2, "action": "mask", "count": 2} in out["pii_redactions"]
        assert {"path": "customer.phone", "rule": "phone", "category": 2, "action": "mask", "count": 1} in out["pii_redactions"]
        rendered = orjson.dumps(out["pii_redactions"]).decode()
        assert "example.lv" not in rendered and "19997" not in rendered and "21234567" not in rendered

    def test_own_tag_fields_are_not_scanned_and_redacting_twice_equals_once(self, summary_redactor: Redactor) -> None:
        once = summary_redactor.redact({"event": f"klients {CODE}", "email": "anna@example.lv"})
        twice = summary_redactor.redact(once)
        assert twice["pii_categories"] == once["pii_categories"] == [1, 2]
        assert {k: v for k, v in twice.items() if k != "pii_redactions"} == {k: v for k, v in once.items() if k != "pii_redactions"}

    def test_forged_tag_fields_are_replaced(self, redactor: Redactor) -> None:
        out = redactor.redact({"event": "x", "pii_categories": [f"{CODE}", 99, 3], "pii_error": CODE})
        assert out == {"event": "x", "pii_categories": [3]}


class TestBadInput:
    def test_fail_closed_and_reported_once(self, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
        from pii_tagger import failsafe

        # Reports are once per process and place: another test's failure at the same place must not hide this one.
        monkeypatch.setattr(failsafe, "_reported", set())  # module state; nothing public resets it
        r = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))

        class BrokenMapping(Mapping[str, Any]):
            """Its items() raise (a key whose __str__ raises is written as a marker, see test_boundary.py)."""

            def __getitem__(self, key: str) -> Any:
                return {"a": CODE}[key]

            def __iter__(self) -> Iterator[str]:
                return iter(["a"])

            def __len__(self) -> int:
                return 1

            def items(self) -> Any:
                raise RuntimeError(f"boom while reading {CODE}")

        with caplog.at_level(logging.ERROR, "pii_tagger"):
            outs = [r.redact({"event": f"klients {CODE}", "n": 5, "nested": {"a": [CODE]}, "ok": True, CODE: 1, "broken": BrokenMapping()})
                    for _ in range(3)]
        assert outs[0] == {
            "[REDACTED:key:1]": "[REDACTED:error]", "[REDACTED:key:2]": "[REDACTED:error]",
            "[REDACTED:key:3]": {"[REDACTED:key:1]": ["[REDACTED:error]"]}, "[REDACTED:key:4]": True,
            "[REDACTED:key:5]": "[REDACTED:error]", "[REDACTED:key:6]": {"[REDACTED:key:1]": "[REDACTED:error]"}, "event": "[REDACTED:error]",
            "pii_categories": [], "pii_error": "pii_tagger could not process this event (RuntimeError); every value was replaced",
        }
        errors = [rec for rec in caplog.records if rec.name == "pii_tagger"]
        assert len(errors) == 1 and "RuntimeError" in errors[0].getMessage()
        assert CODE not in caplog.text

    def test_processor_never_raises_on_non_mapping(self, redactor: Redactor) -> None:
        r = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))
        out = r(None, "info", "not a dict")
        assert out["pii_error"].startswith("pii_tagger could not process")

    def test_deep_nesting_and_cycles(self, redactor: Redactor) -> None:
        deep: Any = CODE
        for _ in range(5000):
            deep = {"a": deep}
        out = redactor.redact({"deep": deep})
        assert CODE not in str(out) and "[REDACTED:too_deep]" in str(out)
        cyclic: dict[str, Any] = {"code": CODE}
        cyclic["self"] = cyclic
        listy: list[Any] = [CODE]
        listy.append(listy)
        out = redactor.redact({"c": cyclic, "l": listy})
        assert out["c"]["self"] == "[REDACTED:cycle]" and out["l"][1] == "[REDACTED:cycle]"
        assert CODE not in str(out)

    def test_megabyte_values(self, redactor: Redactor) -> None:
        big = ("lorem ipsum dolor sit amet 2026 " * 40_000) + f" {CODE} " + "x" * 100_000
        out = redactor.redact({"event": big, "blob": "A" * 2_000_000})
        assert CODE not in out["event"] and len(out["blob"]) == 2_000_000

    @pytest.mark.parametrize("piece", ["1", "a", "a.", "a@", "@a.", "1 ", "1-", "+1", "a=", "/a", "A ", "ab:", "LV80", "eyJ", "-" * 5, "%", "\"'"])
    def test_adversarial_strings_are_redacted_whole(self, redactor: Redactor, piece: str) -> None:
        """Every search takes linear time: no text needs a time limit (the speed
        of such texts is measured in benchmarks/)."""
        text = piece * 50_000 + f" {CODE}"
        out = redactor.redact({"event": text})
        assert CODE not in out["event"] and out["event"].startswith(piece * 10)

    def test_key_decisions_are_bounded_by_count_and_bytes(self) -> None:
        r = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), raise_errors=True)
        for i in range(60_000):
            r.redact({f"user_{i}": "x"})
        assert r.table_size()[0] <= 50_001
        for i in range(5_000):  # keys that change with every event, 1 KB each
            r.redact({f"{i:04d}" + "k" * 1000: "x"})
        assert r.table_size()[1] <= (16 << 20) + 10_000

    def test_a_key_holding_personal_data_is_decided_but_not_kept(self, redactor: Redactor) -> None:
        before = redactor.table_size()
        for n in range(100):
            out = redactor.redact({f"anna{n}@example.lv": "x"})
            assert list(out) == ["[REDACTED:email]", "pii_categories"] and out["pii_categories"] == [2]
        assert redactor.table_size() == before

    def test_keys_remembered_by_object_are_bounded_and_never_personal(self) -> None:
        redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), raise_errors=True)
        engine = redactor._engine  # the memo is the engine's own; no public method names it
        key = "anna.ozola@example.lv"
        for _ in range(3):  # the same key object each time
            out = redactor.redact({key: "x", "note": "ok"})
            assert list(out) == ["[REDACTED:email]", "note", "pii_categories"] and out["pii_categories"] == [2]
        assert engine.remembered_keys() <= 1
        for i in range(5_000):
            redactor.redact({f"field_{i}": "x", "k" * 200 + str(i): "y"})
        assert engine.remembered_keys() <= 512

    def test_a_remembered_key_is_decided_as_its_text_is_when_the_table_starts_again(self) -> None:
        r = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), raise_errors=True)
        password, nested = "password", {"password": "Slepens123", "note": "ok"}
        for _ in range(3):
            out = r.redact({password: "Slepens123", "user": dict(nested)})
            assert password not in out and "Slepens123" not in str(out)
        # 51,000 new keys, each too long to be remembered (so nothing else
        # takes the password's slot): the kept table starts again, and its ids
        # name other keys.
        for i in range(51_000):
            r.redact({f"f{i:06d}" + "k" * 130: "x"})
        out = r.redact({password: "Slepens123", "user": dict(nested)})
        assert password not in out and "Slepens123" not in str(out) and out["user"] == {"note": "ok"}


def test_our_own_tokens_after_key_equals_are_left_whole(redactor: Redactor) -> None:
    once = redactor.redact({"message": "login for anna@example.lv password=Ziema2026!, phone=+37121234567"})
    assert once["message"] == "login for [REDACTED:email] password=[REDACTED:secret], phone=[REDACTED:phone:..67]"
    assert redactor.redact(once) == once


def test_integer_keys_that_are_personal_codes_are_redacted(summary_redactor: Redactor) -> None:
    out = summary_redactor.redact({"by_code": {16117519997: {"visits": 2}, 12345: 1}})
    assert "16117519997" not in str(out) and out["by_code"][12345] == 1
    assert out["pii_categories"] == [1] and out["pii_redactions"][0]["path"].startswith("by_code.[HASH:")


def test_url_query_names_and_bare_query_values_are_scanned(redactor: Redactor) -> None:
    out = redactor.redact({"url": "https://example.lv/unsubscribe?anna.ozola%40inbox.lv",
                           "callback": "https://example.lv/cb?anna.ozola@inbox.lv=1&page=2"})
    assert "anna" not in str(out)
    assert out["callback"] == "https://example.lv/cb?[REDACTED:email]=1&page=2"
    assert redactor.redact({"url": "https://example.lv/a?flag&page=2"})["url"] == "https://example.lv/a?flag&page=2"


def test_a_text_redacted_again_gives_what_it_gave_first_and_no_text_is_kept(summary_redactor: Redactor) -> None:
    first = summary_redactor.redact({"span": "GET /api/v2/invoices?page=2"})
    again = summary_redactor.redact({"span": "GET /api/v2/invoices?page=2"})
    assert first == again and first["pii_categories"] == [12]
    event = {"span": "GET /api/v2/customers/161175-19997", "email": "anna@example.lv", "n": "zvaniet 29123456"}
    first, again = summary_redactor.redact(event), summary_redactor.redact(event)
    assert first == again and "161175" not in str(again) and first["pii_categories"] == [1, 2]
    kept = summary_redactor.table_size()
    for n in range(200):  # new values under known keys: nothing more is kept
        summary_redactor.redact({"span": f"GET /api/v2/customers/{n}", "email": f"anna{n}@example.lv", "n": f"zvaniet 29{n:06d}"})
    assert summary_redactor.table_size() == kept


def test_a_remembered_text_is_found_again_for_alerts_and_audits() -> None:
    redactor = Redactor(Policy(mode="audit"))
    event = {"note": "zvaniet 29123456", "email": "anna@example.lv"}
    for _ in range(2):
        out, found = redactor.inspect(event)
        assert out == {**event, "pii_categories": [2]} and sorted((f.target.rule, f.value) for f in found) == [
            ("email", "anna@example.lv"), ("phone_lv_national", "29123456")]


@pytest.mark.parametrize("value", ["\t{}\n", '["a", "b"]', '{"phone": "29123456"}', "zvaniet 29123456", "ORD-2026-000871"])
def test_a_fields_history_does_not_change_what_a_value_gives(value: str) -> None:
    """A field that has seen many values (and stopped learning their shape)
    gives a value the same result, tag counts included, as a new redactor."""
    hasher = Hasher({"t1": "a-test-key-that-is-long-enough"})
    fresh, used = Redactor(hasher=hasher, summary=True), Redactor(hasher=hasher, summary=True)
    for n in range(8):
        used.redact({"contract": "contract note " + "abcdefgh"[n], "note": "note " + "abcdefgh"[n]})
    event = {"contract": value, "note": value}
    assert used.redact(event) == fresh.redact(event) == used.redact(event)
    assert used.inspect(event)[1] == fresh.inspect(event)[1]


def test_an_empty_value_in_a_tagged_field_is_never_tagged() -> None:
    redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}), summary=True)
    for n in range(6):  # the field stops learning its shape
        assert redactor.redact({"contract": "contract note " + "abcdef"[n]})["pii_categories"] == [8]
    assert redactor.redact({"contract": ""}) == {"contract": "", "pii_categories": [], "pii_redactions": []}


def test_parts_of_one_item_in_one_walk() -> None:
    """What OpenTelemetry needs of a span's parts: copies, categories, the
    count of values changed (audits are none), counts by target, and audit
    findings by part (the caller alerts them with its own places)."""
    from pii_tagger.alerts import Alerter

    hasher = Hasher({"t1": "a-test-key-that-is-long-enough"})
    redactor = Redactor(Policy(actions={2: "audit"}), hasher=hasher, alerts=Alerter([], hasher=hasher))
    parts = redactor.redact_parts([{"email": "anna@example.lv", "n": 1}, {"note": "zvaniet 29123456", "code": "161175-19997"}])
    assert parts.outs == [{"email": "anna@example.lv", "n": 1}, {"note": "zvaniet 29123456", "code": "[HASH:t1:" + parts.outs[1]["code"][9:]}]
    assert parts.categories == [1, 2] and parts.changes == 1
    assert sorted((redactor.targets[i].rule, redactor.targets[i].action, n) for i, n in parts.counts) == [
        ("email", "audit", 1), ("personal_code_lv", "hash", 1), ("phone_lv_national", "audit", 1),
    ]
    assert [(part, found.target.rule, found.path) for part, found in parts.audits] == [(0, "email", "email"), (1, "phone_lv_national", "note")]
