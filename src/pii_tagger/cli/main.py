"""The command line: ``pii-tagger redact [FILE...]`` and ``pii-tagger scan PATH...``.

``redact`` reads JSON-lines or plain-text logs (files, directories, ``.gz``,
``-`` or stdin) and writes one
redacted, tagged JSON object per line to stdout. A JSON object line is
redacted field by field; any other line (plain text, a truncated or non-object
JSON line) becomes ``{"message": <line>}`` and is scanned as free text, so
nothing is lost. Bytes that are not UTF-8 are kept as ``\\xNN`` escapes.

``scan`` audits logs already written (see :mod:`pii_tagger.archive`): exit
status 1 when personal data is found, 0 when none, 3 when some input could
not be read or there was none (and nothing was found), 2 on a usage error, 4
on an internal error. Every command exits 5 when its output cannot be
written (a full disk, a quota, an I/O error), saying so in one line.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import BinaryIO, TextIO

import orjson

from .. import __version__
from ..actions import HashKeyError
from ..archive.files import Chunk, ReadCounts, expand, input_size, line_event, read_chunks, workers
from ..archive.scan import Report, scan
from ..engine import ERROR_KEY, Redactor
from ..failsafe import where
from ..policy import Policy, PolicyError
from ..rules import ACTIONS, RuleFileError, load_rules
from ..security.guard import ScanOptions
from . import sre

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL, EXIT_OUTPUT = 0, 1, 2, 3, 4, 5
# Errors of writing (a full disk, a quota, a file too large, a failing device):
# the output is incomplete, which is said, not a bug to report.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


class _Counts:
    __slots__ = ("bad_utf8", "blank", "json", "lines", "text")

    def __init__(self) -> None:
        self.lines = self.json = self.text = self.bad_utf8 = self.blank = 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="pii-tagger: %(message)s", stream=sys.stderr)
    try:
        return _run(parser, args)
    except BrokenPipeError:  # `pii-tagger query ... | head`: the reader has what it wanted
        _stdout_to_devnull()
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS:
            return _internal_error(exc)
        _stdout_to_devnull()  # what is still buffered cannot be written either: no second error at exit
        print(f"pii-tagger: cannot write the output ({os.strerror(exc.errno)}); what was written is incomplete",
              file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: say where, never the message (it may quote a value)
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    print(f"pii-tagger: internal error ({type(exc).__name__} at {where(exc)}); nothing after this point was "
          "processed. Please report it.", file=sys.stderr)
    return EXIT_INTERNAL


def _stdout_to_devnull() -> None:
    """Drop what stdout still holds, so that the interpreter's exit does not fail writing it."""
    try:
        sys.stdout.flush()
    except OSError:
        pass
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command == "scan":
        return _scan(args)
    if args.command in ("query", "stats"):
        return sre.query_command(args) if args.command == "query" else sre.stats_command(args)
    if args.command in ("token", "categories"):
        try:
            policy = _policy(args.action)
        except PolicyError as e:
            print(f"pii-tagger: {e}", file=sys.stderr)
            return EXIT_USAGE
        return sre.token_command(args, policy) if args.command == "token" else sre.categories_command(args, policy)
    if args.command != "redact":
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        redactor = Redactor(_policy(args.action), rule_files=args.rules, summary=args.summary)
    except (RuleFileError, PolicyError, HashKeyError) as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    return _redact_files(redactor, args.files or ["-"], sys.stdout.buffer)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pii-tagger", description="Find, redact and tag personal data in logs.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    redact = commands.add_parser(
        "redact",
        help="redact JSON-lines or plain-text logs to tagged JSON lines",
        description="Redact JSON-lines or plain-text logs (files, directories, .gz, stdin) and write tagged JSON lines to stdout.",
    )
    redact.add_argument("files", nargs="*", metavar="PATH", help="files, directories or .gz; '-' or none for stdin")
    redact.add_argument("--rules", action="append", default=[], metavar="FILE", help="a rule file of your own (repeatable)")
    redact.add_argument(
        "--action", action="append", default=[], metavar="CATEGORY=ACTION",
        help=f"override a category's action, e.g. 1=mask; actions: {', '.join(ACTIONS)} (repeatable)",
    )
    redact.add_argument("--summary", action="store_true", help="add pii_redactions: what was acted on, by path")
    scan_ = commands.add_parser(
        "scan",
        help="find personal data left unmasked in log files (exit status 1 when found)",
        description="Scan JSON-lines and plain-text logs (files, directories, .gz, stdin) for personal data left unmasked. "
        "Exit status: 0 nothing found, 1 found, 3 some input unreadable or none given, 2 usage error, 4 internal error, "
        "5 the output could not be written.",
    )
    scan_.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-' or none for stdin")
    scan_.add_argument("--format", choices=("table", "json"), default="table", help="report for people (table) or machines (json)")
    scan_.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: every core on large inputs)")
    scan_.add_argument("--details", type=int, default=50, metavar="N", help="leak locations listed (default 50)")
    scan_.add_argument("--rules", action="append", default=[], metavar="FILE", help="a rule file of your own (repeatable)")
    scan_.add_argument(
        "--action", action="append", default=[], metavar="CATEGORY=ACTION",
        help="e.g. 4=mask to report category 4 too; categories whose action is keep are not leaks (repeatable)",
    )
    scan_.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    scan_.add_argument("--spark", action="store_true",
                       help="run the scan as a Spark application: paths may be any URI Spark reads (s3a://, hdfs://)")
    scan_.add_argument("--master", metavar="URL", help="with --spark: Spark's master (default: spark-submit's, else local[*])")
    scan_.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="with --spark: a Spark setting (repeatable)")
    sre.add_parsers(commands, f"override a category's action, e.g. 1=hash; actions: {', '.join(ACTIONS)} (repeatable)")
    return parser


_PARALLEL_FROM = 32 << 20  # below this, starting workers costs more than it saves


def _scan(args: argparse.Namespace) -> int:
    paths = args.paths or ["-"]
    try:
        policy = _policy(args.action)
        rules = load_rules(args.rules)  # fail now, naming the bad file (each rule is checked as it is read)
    except (RuleFileError, PolicyError) as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs < 0 or args.details < 0:
        print("pii-tagger: --jobs and --details take a number >= 0", file=sys.stderr)
        return EXIT_USAGE
    if args.spark:
        return _spark_scan(args, paths, policy)
    if args.master or args.conf:
        print("pii-tagger: --master and --conf are for --spark", file=sys.stderr)
        return EXIT_USAGE
    total = input_size(paths)
    jobs = workers(args.jobs, total, _PARALLEL_FROM)
    show = not args.no_progress and sys.stderr.isatty()
    progress = _Progress(total, sys.stderr) if show else None
    options = ScanOptions(tuple(str(r) for r in args.rules), tuple(policy.actions.items()))
    report = scan(paths, options, jobs=jobs, max_details=args.details, progress=progress, rules=rules)
    if progress is not None:
        progress.done()
    return _write_report(report, args, paths)


def _write_report(report: Report, args: argparse.Namespace, paths: list[str]) -> int:
    if report.files == 0 and not report.problems:
        report.problems.append(f"no files to scan in {', '.join(paths)}")
    if args.format == "json":
        sys.stdout.buffer.write(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    else:
        _print_table(report, sys.stdout)
    sys.stdout.flush()
    if report.leaks_total:
        return EXIT_FOUND
    return EXIT_INPUT if report.unread else EXIT_OK


def _spark_scan(args: argparse.Namespace, paths: list[str], policy: Policy) -> int:
    """``scan --spark``: the same report, once every task has succeeded; none when the job fails."""
    problem = None
    if "-" in paths:
        problem = "--spark reads files and directories, not stdin"
    elif args.jobs:
        problem = "--jobs is for a local scan; with --spark, Spark's executors and cores set the parallelism"
    elif any("=" not in item for item in args.conf):
        problem = "--conf takes KEY=VALUE, e.g. spark.executor.memory=4g"
    if problem:
        print(f"pii-tagger: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        from ..archive import spark as on_spark
    except ImportError as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    conf = [tuple(item.split("=", 1)) for item in args.conf]
    session, started = on_spark.session(args.master, conf, name="pii-tagger scan")
    try:
        archive = on_spark.scan_files(session, paths, rule_files=args.rules, actions=policy.actions, max_details=args.details)
        report = archive.report()
    except on_spark.SparkJobError as e:
        print(f"pii-tagger: {e}; no report was written", file=sys.stderr)
        return EXIT_INPUT
    finally:
        if started:
            session.stop()
    if archive.retried:
        print(f"pii-tagger: Spark retried the tasks that read {archive.retried} file(s) (an attempt failed; the "
              "driver's log says why); the report is from the attempts that succeeded", file=sys.stderr)
    return _write_report(report, args, paths)


class _Progress:
    """A one-line progress bar on a terminal, redrawn at most 5 times a second."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.read = 0
        self.started = self.shown = time.monotonic()

    def __call__(self, n: int, report: Report) -> None:
        self.read += n
        now = time.monotonic()
        if now - self.shown < 0.2:
            return
        self.shown = now
        mb = self.read / 1e6
        rate = mb / max(now - self.started, 1e-6)
        share = f" {100 * self.read / self.total:5.1f}% of {self.total / 1e6:.1f} MB" if self.total else ""
        self.stream.write(f"\rscanning: {mb:8.1f} MB{share}  {rate:6.1f} MB/s  leaks: {report.leaks_total}   ")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _print_table(report: Report, out: TextIO) -> None:
    w = out.write
    w(f"Scanned {report.files} file(s), {report.lines} lines, {report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s.\n")
    if report.leaks_total:
        w(f"Personal data left unmasked: {report.leaks_total} finding(s) on {report.leaky_lines} line(s).\n\n")
        w(f"{'category':>8}  {'rule':<24} {'findings':>9}\n")
        for (category, rule), n in sorted(report.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            w(f"{category:>8}  {rule:<24} {n:>9}\n")
        w(f"\n{'findings':>9}  file\n")
        for name, n in report.by_file.most_common():
            w(f"{n:>9}  {name}\n")
        if report.leaks:
            shown = f"first {len(report.leaks)}" if len(report.leaks) < report.leaks_total else "all"
            w(f"\nWhere ({shown}; values are never shown):\n")
            for leak in report.leaks:
                w(f"  {leak.file}:{leak.line}  category {leak.category}  {leak.rule}  at {leak.path}\n")
    else:
        w("No personal data found unmasked.\n")
    unread = [f"{report.long_lines} line(s) over 1 MiB, scanned only up to 1 MiB"] if report.long_lines else []
    if unread or report.problems:
        w("\nNot fully read:\n")
        for problem in [*unread, *report.problems]:
            w(f"  {problem}\n")
    read_as_is = []
    if report.binary_lines:
        read_as_is.append(f"{report.binary_lines} binary line(s) (NUL bytes), scanned like any other")
    if report.not_utf8_lines:
        read_as_is.append(f"{report.not_utf8_lines} line(s) not UTF-8, scanned with replacement characters")
    if read_as_is:
        w("\nRead with care:\n")
        for note in read_as_is:
            w(f"  {note}\n")


def _policy(overrides: list[str]) -> Policy:
    actions = {}
    for item in overrides:
        number, sep, action = item.partition("=")
        if not sep or not number.strip().isdigit():
            raise PolicyError(f"--action {item!r}: expected CATEGORY=ACTION, e.g. 1=mask")
        actions[int(number)] = action.strip()
    return Policy(actions=actions)  # type: ignore[arg-type]


def _redact_files(redactor: Redactor, files: list[str], out: BinaryIO) -> int:
    """Redact files, directories (walked in sorted order) and ``.gz`` (by content),
    read line by line as the other commands read them (:mod:`pii_tagger.archive.files`)."""
    counts = _Counts()
    read = ReadCounts()
    reported = 0
    for name in expand(files, read):
        for chunk in read_chunks(name, read, lambda n: None):
            chunk = chunk.load()
            read.long_lines += len(chunk.cut)
            _redact_chunk(redactor, chunk, out, counts)
        for problem in read.problems[reported:]:  # said as soon as it happens, after what was written
            out.flush()
            print(f"pii-tagger: {problem}", file=sys.stderr)
        reported = len(read.problems)
    out.flush()
    if read.long_lines:
        print(f"pii-tagger: {read.long_lines} line(s) over 1 MiB: only their first 1 MiB was read, redacted and "
              f"written (marked {ERROR_KEY})", file=sys.stderr)
    if counts.bad_utf8 or counts.text:
        print(
            f"pii-tagger: {counts.lines} lines: {counts.json} JSON, {counts.text} plain text"
            + (f", {counts.blank} blank" if counts.blank else "")
            + (f", {counts.bad_utf8} not UTF-8 (kept as \\x escapes)" if counts.bad_utf8 else ""),
            file=sys.stderr,
        )
    return EXIT_INPUT if read.problems or read.long_lines else EXIT_OK


def _redact_chunk(redactor: Redactor, chunk: Chunk, out: BinaryIO, counts: _Counts) -> None:
    cut = set(chunk.cut)
    for index, line in enumerate(chunk.lines):
        counts.lines += 1
        event, text, bad_utf8 = line_event(line, "backslashreplace")  # bytes not UTF-8 kept as \xNN: nothing lost
        if event is None:
            counts.blank += 1
            continue
        counts.json += not text
        counts.text += text
        counts.bad_utf8 += bad_utf8
        event = redactor.redact(event)
        if index in cut:
            event[ERROR_KEY] = "line over 1 MiB: only its first 1 MiB was read"
        out.write(orjson.dumps(event, default=str, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE))




if __name__ == "__main__":
    sys.exit(main())
