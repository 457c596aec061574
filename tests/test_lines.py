"""Log lines in the native core (rust/core/src/lines.rs, linecheck.rs): one
definition of a line and one decoding, findings per line, never a value."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import orjson
import pytest

from pii_tagger import Hasher, Redactor, _native
from planted import CODE, EMAIL, IBAN

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def engine() -> Redactor:
    return Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))


def _chunks(data: bytes, piece: int = 1 << 16, **bounds: int) -> list[tuple[int, bytes, list[int]]]:
    chunker = _native.Chunker(**bounds)
    chunks = [c for i in range(0, len(data), piece) for c in chunker.push(data[i:i + piece])]
    last = chunker.finish()
    return chunks + ([last] if last else [])


def _leaks(engine: Any, data: bytes, cut: list[int] | None = None) -> list[tuple[int, str, str]]:
    targets = engine.targets
    _, leaks = engine.check_chunk(data, cut)
    return [(line, targets[t].rule, path) for line, t, path in leaks]


def _counts(engine: Any, data: bytes) -> dict[str, int]:
    counts, _ = engine.check_chunk(data, [])
    return dict(zip(("lines", "blank", "json", "text", "not_utf8", "binary", "cut"), counts))


class TestChunker:
    def test_whole_numbered_lines_whatever_the_pieces(self) -> None:
        data = b'{"a": 1}\r\n\nplain\n' * 50 + b"last, no ending"
        for piece in (1, 7, 4096):
            chunks = _chunks(data, piece, chunk_bytes=64)
            assert b"".join(c[1] for c in chunks) == data
            assert [c[0] for c in chunks] == [1 + sum(c[1].count(b"\n") for c in chunks[:i]) for i in range(len(chunks))]
            assert all(c[1].endswith(b"\n") for c in chunks[:-1])

    def test_a_huge_line_is_kept_up_to_the_bound(self) -> None:
        data = b"short\n" + "ā".encode() * 600 + b"\nnext\n"
        (first, chunk, cut), = _chunks(data, 100, max_line=1001)
        assert first == 1 and cut == [1]
        assert chunk.split(b"\n")[1] == "ā".encode() * 500  # cut at a character's start, the rest not read
        assert chunk.endswith(b"\nnext\n")


class TestCheckChunk:
    def test_every_value_of_a_duplicated_key(self, engine: Any) -> None:
        line = f'{{"event": "paid", "email": "{EMAIL}", "email": "[REDACTED:email]"}}\n'.encode()
        assert _leaks(engine, line) == [(0, "email", "email")]
        assert orjson.loads(line)["email"] == "[REDACTED:email]"  # what a dict of the line would have kept
        twice_masked = b'{"event": "paid", "email": "[REDACTED:email]", "email": "[REDACTED:email]"}\n'
        assert _leaks(engine, twice_masked) == []

    def test_nul_and_control_bytes_are_characters(self, engine: Any) -> None:
        data = (f'{{"event": "x\\u0000", "note": "mail {EMAIL}"}}\n'  # an escaped NUL: still JSON
                f"binary\x00line from {EMAIL}\n"  # a raw NUL: text
                f"\x1b[31mred\x1b[0m {CODE}\n"
                "binary\x00line, nothing personal\n").encode()
        assert _leaks(engine, data) == [(0, "email", "note"), (1, "email", "message"), (2, "personal_code_lv", "message")]
        assert _counts(engine, data) == {"lines": 4, "blank": 0, "json": 1, "text": 3, "not_utf8": 0, "binary": 2, "cut": 0}

    def test_bytes_that_are_not_utf8_are_replaced_and_the_line_read(self, engine: Any) -> None:
        data = b"\xff\xfe personas kods " + CODE.encode() + b'\n{"note": "' + IBAN.encode() + b'", "x": "\xe2\x82"}\n'
        assert _leaks(engine, data) == [(0, "personal_code_lv", "message"), (1, "iban", "note")]
        assert _counts(engine, data)["not_utf8"] == 2 and _counts(engine, data)["json"] == 1

    def test_blank_lines_count_and_are_not_checked(self, engine: Any) -> None:
        data = b"\n  \t\n\r\n\x0b\n"
        assert _counts(engine, data) == {"lines": 4, "blank": 4, "json": 0, "text": 0, "not_utf8": 0, "binary": 0, "cut": 0}

    def test_a_cut_line_is_read_up_to_the_bound(self, engine: Any) -> None:
        data = f'{{"note": "{EMAIL} {"x" * 200}", "late": "{CODE}"}}\n'.encode()
        (_, chunk, cut), = _chunks(data, max_line=120)
        assert cut == [0]
        assert _leaks(engine, chunk, cut) == [(0, "email", "message")]  # the code past the bound is not read
        assert engine.check_chunk(chunk, cut)[0][6] == 1

    def test_findings_never_hold_a_value(self, engine: Any) -> None:
        data = (ROOT / "examples" / "app.log").read_bytes()
        counts, leaks = engine.check_chunk(data, [])
        assert counts[0] == 12 and len(leaks) >= 20
        text = repr(leaks)
        for value in (CODE, IBAN, "janis.berzins@example.lv", "Ziema2026!", "Bērziņš"):
            assert value in data.decode() and value not in text


def _events() -> list[dict[str, Any]]:
    sample = [orjson.loads(line)["event"] for line in (ROOT / "tests" / "data" / "eval_sample.jsonl").read_bytes().splitlines()]
    app = [orjson.loads(line) for line in (ROOT / "examples" / "app.log").read_bytes().splitlines() if line.startswith(b"{")]
    return [*sample, *app, {"event": f"login {EMAIL}", "pii_categories": [12], "pii_redactions": [], "note": None, "n": 12345678}]


class TestAsTheDictWalk:
    """A JSON line is checked as Redactor.inspect checks the dict it holds."""

    def test_the_same_leaks(self) -> None:
        redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))
        targets = redactor.targets
        for event in _events():
            _, found = redactor.inspect(event)
            expected = collections.Counter((f.target.rule, f.path) for f in found if f.target.action != "keep")
            line = orjson.dumps(event)
            got = collections.Counter((targets[t].rule, path) for _, t, path in redactor.check_chunk(line + b"\n")[1])
            assert got == expected, event
            leaks, _ = redactor.check_record(line.decode(), redact=False)
            assert collections.Counter((targets[t].rule, p) for t, p, _ in leaks) == expected

    def test_the_same_redaction(self) -> None:
        redactor = Redactor(hasher=Hasher({"t1": "a-test-key-that-is-long-enough"}))
        for event in _events():
            out, found = redactor.inspect(event)
            leaks, written = redactor.check_record(orjson.dumps(event).decode() + "\n")
            assert bool(leaks) == any(f.target.action != "keep" for f in found)
            if not leaks:
                assert written is None
                continue
            assert written.endswith("\n")
            if "pii_categories" not in event:
                out.pop("pii_categories")
            for key in ("pii_redactions", "pii_error"):
                if key in event:
                    out[key] = event[key]
            assert orjson.loads(written) == orjson.loads(orjson.dumps(out)), event

    def test_a_text_line_is_the_message_field(self, engine: Any) -> None:
        leaks, written = engine.check_record(f"login failed for {EMAIL} password=Ziema2026!\r\n".encode())
        assert isinstance(written, bytes) and written.endswith(b"\r\n")
        assert EMAIL.encode() not in written and b"Ziema2026!" not in written
        assert {path for _, path, _ in leaks} == {"message"}
