"""`pii-tagger scan`: archives of real log files, bad input, exit status, no value in any report."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from pii_tagger.archive import files as logfiles
from pii_tagger.archive.scan import scan
from pii_tagger.security.guard import ScanOptions
from planted import CODE, EMAIL, IBAN, PHONE

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "app.log"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pii_tagger.cli.main", "scan", *args], input=stdin, capture_output=True, timeout=120, check=False)


def _assert_no_value(text: str) -> None:
    for value in (CODE, IBAN, EMAIL, PHONE, "anna.ozola", "19997", "2026!"):
        assert value not in text, value


def test_the_raw_sample_leaks_and_its_redacted_copy_does_not(tmp_path: Path) -> None:
    raw = run("--format", "json", str(SAMPLE))
    assert raw.returncode == 1, raw.stderr
    report = orjson.loads(raw.stdout)
    assert report["lines"] == 12 and report["leaks"] >= 20
    assert {r["category"] for r in report["by_rule"]} >= {1, 2, 6, 11, 16}
    assert all(d["file"] == str(SAMPLE) and d["line"] >= 1 for d in report["details"])
    sample = SAMPLE.read_text(encoding="utf-8")
    for planted in ("161175-19997", "LV80BANK0000435195001", "Ziema2026!", "anna.ozola@inbox.lv"):
        assert planted in sample and planted.encode() not in raw.stdout

    redacted = subprocess.run(
        [sys.executable, "-m", "pii_tagger.cli.main", "redact", str(SAMPLE)], capture_output=True, check=True, timeout=60,
        env={**os.environ, "PII_TAGGER_HASH_KEY": "cli:a-test-key-that-is-long-enough"},
    ).stdout
    (tmp_path / "redacted.log").write_bytes(redacted)
    clean = run(str(tmp_path / "redacted.log"))
    assert clean.returncode == 0, clean.stdout.decode()
    assert b"No personal data found unmasked." in clean.stdout


def test_directories_gzip_stdin_and_bad_input_are_counted_not_fatal(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    (logs / "2026" / "11").mkdir(parents=True)
    (logs / "a.log").write_text(f'{{"event": "ok"}}\n{{"event": "paid", "customer": {{"email": "{EMAIL}"}}}}\n', encoding="utf-8")
    with gzip.open(logs / "2026" / "11" / "b.log.gz", "wb") as f:
        f.write(f"binary\x00line from {EMAIL}\n".encode() + f"payment from {IBAN}\n".encode() + b"x" * (logfiles.MAX_LINE + 10)
                + b"\nlast " + CODE.encode() + b"\n")
    whole = gzip.compress(b"".join(f'{{"n": {i}, "note": "call {PHONE}"}}\n'.encode() for i in range(5000)))
    (logs / "2026" / "11" / "c.log.gz").write_bytes(whole[: len(whole) // 2])  # truncated
    (logs / "d.log").write_bytes(b"\xff\xfe not utf-8, personas kods " + CODE.encode() + b"\n")
    result = run("--format", "json", str(logs), str(tmp_path / "missing.log"))
    assert result.returncode == 1
    report = orjson.loads(result.stdout)
    leaks = {(Path(d["file"]).name, d["line"], d["rule"], d["path"]) for d in report["details"]}
    assert {("a.log", 2, "email", "customer.email"), ("b.log.gz", 1, "email", "message"), ("b.log.gz", 2, "iban", "message"),
            ("b.log.gz", 4, "personal_code_lv", "message"), ("d.log", 1, "personal_code_lv", "message")} <= leaks
    assert report["binary_lines"] == 1 and report["not_read"]["long_lines"] == 1
    assert report["not_utf8_lines_scanned_with_replacement"] == 1
    problems = " ".join(report["not_read"]["problems"])
    assert "c.log.gz: unreadable after line" in problems and "truncated" in problems and "missing.log" in problems
    assert any(Path(d["file"]).name == "c.log.gz" for d in report["details"])  # what could be read was scanned
    _assert_no_value(result.stdout.decode() + result.stderr.decode())

    stdin = run(stdin=gzip.compress(f"call {PHONE}\n".encode()))
    assert stdin.returncode == 1 and b"<stdin>:1  category 2  phone_lv  at message" in stdin.stdout


def test_nul_bytes_duplicated_keys_and_huge_lines_are_scanned(tmp_path: Path) -> None:
    """What was skipped or hidden before: a line with a NUL byte, the first value of a key written
    twice (a dict keeps the last), a line over 1 MiB (now scanned up to the bound)."""
    log = tmp_path / "odd.log"
    log.write_bytes(
        f'{{"event": "paid", "note": "raw \x00 byte", "email": "{EMAIL}"}}\n'  # a raw NUL: not JSON, read as text
        f'{{"event": "paid\\u0000", "email": "{EMAIL}"}}\n'  # an escaped NUL: JSON
        f'{{"event": "paid", "email": "{EMAIL}", "email": "[REDACTED:email]"}}\n'
        f'{{"event": "ok", "email": "[REDACTED:email]", "email": "[REDACTED:email]"}}\n'.encode()
        + f'{{"note": "from {IBAN} '.encode() + b"x" * logfiles.MAX_LINE + f' {CODE}"}}\n'.encode()
    )
    result = run("--format", "json", str(log))
    assert result.returncode == 1, result.stderr
    report = orjson.loads(result.stdout)
    assert [(d["line"], d["rule"], d["path"]) for d in report["details"]] == [
        (1, "email", "message"), (2, "email", "email"), (3, "email", "email"), (5, "iban", "message")]  # the code is past the bound
    assert report["lines"] == 5 and report["binary_lines"] == 1 and report["not_read"]["long_lines"] == 1
    _assert_no_value(result.stdout.decode() + result.stderr.decode())

    clean_but_long = tmp_path / "long.log"
    clean_but_long.write_bytes(b'{"event": "ok"}\n' + b"y" * (logfiles.MAX_LINE + 1) + b"\n")
    table = run(str(clean_but_long))
    assert table.returncode == 3, table.stdout  # nothing found, but not all of it was read
    assert b"1 line(s) over 1 MiB, scanned only up to 1 MiB" in table.stdout


def test_own_masks_and_tokens_are_not_leaks() -> None:
    lines = (
        b'{"event": "paid", "email": "[REDACTED:email]", "iban": "[REDACTED:iban:..5001]", "name": "[HASH:k1:0123456789abcdef0123]"}\n'
        b"login for [REDACTED:email] password=[REDACTED:secret]\n"
        b'{"event": "request finished", "trace_id": "2e7abed5658ef30d856980bb0977e471", "status": 200, "pii_categories": [12]}\n'
    )
    result = run(stdin=lines)
    assert result.returncode == 0, result.stdout.decode()


def test_unreadable_only_gives_exit_3_and_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.log"))
    assert result.returncode == 3 and b"nope.log" in result.stdout
    bad = run("--action", "33=mask", str(SAMPLE))
    assert bad.returncode == 2 and b"category 33 does not exist" in bad.stderr


def test_workers_give_the_same_report_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logfiles, "CHUNK_BYTES", 4096)  # many chunks, so order and merging are exercised
    big = tmp_path / "big.log"
    with big.open("w", encoding="utf-8") as f:
        for i in range(3000):
            f.write(f'{{"n": {i}, "event": "call {PHONE}"}}\n' if i % 7 == 0 else f'{{"n": {i}, "event": "ok"}}\n')
    one = scan([str(big)], ScanOptions(), jobs=1, max_details=10_000)
    two = scan([str(big)], ScanOptions(), jobs=2, max_details=10_000)
    assert one.leaks == two.leaks and one.lines == two.lines == 3000
    assert [leak.line for leak in one.leaks] == list(range(1, 3001, 7))


def test_progress_is_reported_as_bytes_are_read(tmp_path: Path) -> None:
    log = tmp_path / "p.log"
    log.write_text('{"event": "ok"}\n' * 1000, encoding="utf-8")
    seen: list[int] = []
    report = scan([str(log)], progress=lambda n, r: seen.append(n))
    assert sum(seen) == log.stat().st_size == report.bytes


def test_memory_stays_flat_as_the_archive_grows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    monkeypatch.setattr(logfiles, "CHUNK_BYTES", 16_384)  # both archives span many chunks

    line = f'{{"event": "paid", "note": "call {PHONE}", "trace_id": "2e7abed5658ef30d856980bb0977e471"}}\n'.encode()

    def peak(lines: int) -> int:
        log = tmp_path / f"{lines}.log"
        log.write_bytes(line * lines)
        tracemalloc.start()
        try:
            report = scan([str(log)], max_details=100)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert report.leaks_total == lines

    small, large = peak(3_000), peak(24_000)  # 0.3 MB and 2.4 MB of log
    assert large < small * 1.5, (small, large)


def test_progress_bar_draws_on_a_terminal_stream() -> None:
    import io

    from pii_tagger.archive.scan import Report
    from pii_tagger.cli.main import _Progress  # drawn only when stderr is a terminal: no public way to give it a stream

    stream = io.StringIO()
    bar = _Progress(10_000_000, stream)
    bar.shown -= 1  # as if the last redraw was a second ago
    report = Report(leaks_total=3)
    bar(2_500_000, report)
    bar.done()
    assert "2.5 MB  25.0% of 10.0 MB" in stream.getvalue() and "leaks: 3" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_odd_file_names_and_an_empty_directory(tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"log-\xff.log")
    odd.write_text(f"call {PHONE}\n", encoding="utf-8")
    result = run("--format", "json", str(tmp_path))
    assert result.returncode == 1, result.stderr
    assert orjson.loads(result.stdout)["details"][0]["file"].endswith("log-\ufffd.log")
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run(str(empty))
    assert nothing.returncode == 3 and b"no files to scan" in nothing.stdout


def test_slices_of_a_file_and_the_same_lines_streamed_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain file is read in slices by the workers, a .gz as a stream here: the same lines, numbers and cuts,
    a line too long to find the end of (past 2 * MAX_LINE) included."""
    monkeypatch.setattr(logfiles, "CHUNK_BYTES", 2048)
    monkeypatch.setattr(logfiles, "MAX_LINE", 600)
    lines = []
    for i in range(400):
        lines.append(f'{{"n": {i}, "note": "call {PHONE}"}}' if i % 9 == 0 else f'{{"n": {i}, "event": "ok"}}')
        if i in (100, 250):
            lines.append(f"mail {EMAIL} " + "x" * (1300 if i == 100 else 5000) + f" {CODE}")  # 2nd: past 2 * MAX_LINE
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "plain.log").write_bytes(data)
    (tmp_path / "packed.log.gz").write_bytes(gzip.compress(data))
    reports = [scan([str(tmp_path / name)], ScanOptions(), jobs=jobs, max_details=10_000)
               for name in ("plain.log", "packed.log.gz") for jobs in (1, 2)]
    details = [[(leak.line, leak.rule) for leak in r.leaks] for r in reports]
    assert all(d == details[0] for d in details) and all(r.lines == 402 and r.long_lines == 2 for r in reports)
    expected = [(i + 1 + (i > 100) + (i > 250), "phone_lv") for i in range(0, 400, 9)]
    expected += [(102, "email"), (253, "email")]  # the code past each bound is not read
    assert sorted(details[0]) == sorted(expected)
