"""The command line on the shipped sample log and on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "app.log"
PLANTED = [
    "janis.berzins@example.lv", "Jānis Bērziņš", "93.177.12.4", "LV80BANK0000435195001", "+371 29 123 456",
    "liga.kalnina@kokmaina.lv", "Kalniņa", "anna.ozola@inbox.lv", "26 123 456", "161175-19997", "328673-00679",
    "Brīvības iela 39-5", "1975-11-16", "anna.ozola%40inbox.lv", "S3cr3t-Passw0rd", "LV97HABA0012345678910",
    "eyJhbGciOiJIUzI1NiJ9", "290212-29381", "0037167123456", "Ziema2026!", "4111 1111 1111 1111", "+37121234567",
    "hunter2", "peteris.liepa@gmail.com",
]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PII_TAGGER_HASH_KEY": "cli:a-test-key-that-is-long-enough"}
    return subprocess.run([sys.executable, "-m", "pii_tagger.cli.main", *args], input=stdin, capture_output=True, env=env, timeout=60, check=False)


def test_sample_log_is_redacted_and_tagged() -> None:
    result = run("redact", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    output = result.stdout.decode()
    for value in PLANTED:
        assert value in SAMPLE.read_text(encoding="utf-8"), value  # the plant is really in the input
        assert value not in output, value
    events = [orjson.loads(line) for line in output.splitlines()]
    assert len(events) == 12
    assert events[-1]["pii_categories"] == [] and events[-1]["version"] == "2.4.1"
    assert events[1]["invoice"]["number"] == "INV-2026-00871" and events[1]["pii_categories"] == [11]
    assert all(isinstance(e["pii_categories"], list) for e in events)


def test_stdin_and_bad_lines_lose_nothing() -> None:
    data = b'{"event": "truncated", "email": "anna@ex' + b"\n" + b"\xff\xfe binary 161175-19997\n" + b'["not", "an object"]\n'
    result = run("redact", stdin=data)
    assert result.returncode == 0
    events = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == 3
    assert "161175-19997" not in result.stdout.decode() and "\\xff\\xfe binary" in events[1]["message"]
    assert events[2]["message"] == '["not", "an object"]'
    assert b"3 plain text, 1 not UTF-8" in result.stderr


def test_unreadable_file_is_reported_and_others_still_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.log"
    good.write_text('{"event": "x", "phone": "+37121234567"}\n', encoding="utf-8")
    result = run("redact", str(tmp_path / "missing.log"), str(good))
    assert result.returncode == 3
    assert b"missing.log: cannot read" in result.stderr
    assert orjson.loads(result.stdout)["phone"] == "[REDACTED:phone:..67]"


def test_bad_options_name_the_problem(tmp_path: Path) -> None:
    result = run("redact", "--action", "22=mask", str(SAMPLE))
    assert result.returncode == 2 and b"category 22 does not exist" in result.stderr
    rules = tmp_path / "r.toml"
    rules.write_text("[[field]]\nid = 'x'\n", encoding="utf-8")
    result = run("redact", "--rules", str(rules), str(SAMPLE))
    assert result.returncode == 2 and str(rules).encode() in result.stderr and b"missing required key" in result.stderr


def test_action_override_and_summary() -> None:
    result = run("redact", "--action", "1=mask", "--summary", stdin=b"personas kods 161175-19997\n")
    event = orjson.loads(result.stdout)
    assert event["message"] == "personas kods [REDACTED:personal_code]"
    assert event["pii_redactions"] == [{"path": "message", "rule": "personal_code_lv", "category": 1, "action": "mask", "count": 1}]


def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path) -> None:
    big = tmp_path / "big.log"
    big.write_bytes(SAMPLE.read_bytes() * 300)  # more than a pipe holds
    env = {**os.environ, "PII_TAGGER_HASH_KEY": "cli:a-test-key-that-is-long-enough"}
    command = f"{sys.executable} -m pii_tagger.cli.main redact {big} | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", command], capture_output=True, env=env, timeout=120, check=False)
    assert result.returncode == 0 and b"cannot read" not in result.stderr


def test_redact_reads_gz_and_directories_like_the_other_commands(tmp_path: Path) -> None:
    import gzip

    logs = tmp_path / "logs"
    (logs / "old").mkdir(parents=True)
    (logs / "a.log").write_text('{"event": "a", "email": "anna.ozola@inbox.lv"}\n', encoding="utf-8")
    with gzip.open(logs / "old" / "b.log.gz", "wb") as f:
        f.write(b'{"event": "b", "phone": "+37121234567"}\npersonas kods 161175-19997\n')
    result = run("redact", str(logs))
    assert result.returncode == 0, result.stderr
    events = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [e.get("event") for e in events] == ["a", "b", None]
    assert events[0]["email"] == "[REDACTED:email]" and events[1]["phone"] == "[REDACTED:phone:..67]"
    assert "[HASH:cli:" in events[2]["message"]
    for value in ("anna.ozola@inbox.lv", "+37121234567", "161175-19997"):
        assert value.encode() not in result.stdout + result.stderr


def test_redact_reports_a_truncated_gz_and_keeps_what_it_read(tmp_path: Path) -> None:
    import gzip

    whole = gzip.compress(b"".join(b'{"event": "e%d", "email": "anna.ozola@inbox.lv"}\n' % i for i in range(2000)))
    (tmp_path / "cut.log.gz").write_bytes(whole[: len(whole) // 2])
    result = run("redact", str(tmp_path / "cut.log.gz"))
    assert result.returncode == 3
    assert b"cut.log.gz: unreadable after line" in result.stderr and b"truncated" in result.stderr
    assert result.stdout and b"\x1f\x8b" not in result.stdout and b"anna.ozola@inbox.lv" not in result.stdout + result.stderr
    *whole, last = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert whole and all(e["email"] == "[REDACTED:email]" for e in whole)
    assert last.get("email", "[REDACTED:email]") == "[REDACTED:email]"  # the line the break cut is kept, as text


def test_query_limit_zero_is_an_error_not_everything() -> None:
    redacted = run("redact", str(SAMPLE)).stdout
    zero = run("query", "--limit", "0", stdin=redacted)
    assert zero.returncode == 2 and zero.stdout == b"" and b"--limit takes a number >= 1" in zero.stderr
    one = run("query", "--limit", "1", stdin=redacted)
    assert one.returncode == 0 and len(one.stdout.splitlines()) == 1


def test_every_command_counts_a_binary_file_the_same(tmp_path: Path) -> None:
    """One definition of a line: redact, scan, query and stats read the same lines, NUL bytes,
    blank lines, bytes that are not UTF-8 and a line over 1 MiB included."""
    import re

    log = tmp_path / "odd.log"
    log.write_bytes(
        b'{"event": "ok", "pii_categories": []}\n'
        b"binary\x00\x01\x02 payload\r\n"
        b"\n   \n"
        b"\xff\xfe not utf-8\n"
        b'{"event": "nul \\u0000 escaped", "pii_categories": [12]}\n'
        + b"z" * (1 << 20) + b"zz\n"
        b"last line without an ending"
    )
    scan = orjson.loads(run("scan", "--format", "json", str(log)).stdout)
    stats = orjson.loads(run("stats", "--format", "json", str(log)).stdout)
    query = run("query", "-c", "12", str(log))
    redact = run("redact", str(log))
    selected = re.search(rb"(\d+) of (\d+) line\(s\) selected", query.stderr)
    counted = re.search(rb"pii-tagger: (\d+) lines: ", redact.stderr)
    assert selected is not None and counted is not None, (query.stderr, redact.stderr)
    assert scan["lines"] == stats["lines"] == int(selected.group(2)) == int(counted.group(1)) == 8
    assert stats["events"] == 2 and int(selected.group(1)) == 1 and scan["binary_lines"] == 1
    assert scan["not_read"]["long_lines"] == 1 and b"over 1 MiB" in query.stderr + redact.stderr
