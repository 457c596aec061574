"""The command line: ``pii-tagger redact [FILE...]``.

Reads JSON-lines or plain-text logs (files, ``-`` or stdin) and writes one
redacted, tagged JSON object per line to stdout. A JSON object line is
redacted field by field; any other line (plain text, a truncated or non-object
JSON line) becomes ``{"message": <line>}`` and is scanned as free text, so
nothing is lost. Bytes that are not UTF-8 are kept as ``\\xNN`` escapes.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson

from . import __version__
from .actions import HashKeyError
from .engine import Redactor
from .policy import Policy, PolicyError
from .rules import ACTIONS, RuleFileError

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 3


class _Counts:
    __slots__ = ("bad_utf8", "json", "lines", "text", "with_pii")

    def __init__(self) -> None:
        self.lines = self.json = self.text = self.bad_utf8 = self.with_pii = 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="pii-tagger: %(message)s", stream=sys.stderr)
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
        description="Redact JSON-lines or plain-text logs (files or stdin) and write tagged JSON lines to stdout.",
    )
    redact.add_argument("files", nargs="*", metavar="FILE", help="log files; '-' or none for stdin")
    redact.add_argument("--rules", action="append", default=[], metavar="FILE", help="a rule file of your own (repeatable)")
    redact.add_argument(
        "--action", action="append", default=[], metavar="CATEGORY=ACTION",
        help=f"override a category's action, e.g. 1=mask; actions: {', '.join(ACTIONS)} (repeatable)",
    )
    redact.add_argument("--summary", action="store_true", help="add pii_redactions: what was acted on, by path")
    return parser


def _policy(overrides: list[str]) -> Policy:
    actions = {}
    for item in overrides:
        number, sep, action = item.partition("=")
        if not sep or not number.strip().isdigit():
            raise PolicyError(f"--action {item!r}: expected CATEGORY=ACTION, e.g. 1=mask")
        actions[int(number)] = action.strip()
    return Policy(actions=actions)  # type: ignore[arg-type]


def _redact_files(redactor: Redactor, files: list[str], out: BinaryIO) -> int:
    status = EXIT_OK
    counts = _Counts()
    for name in files:
        try:
            if name == "-":
                _redact_stream(redactor, sys.stdin.buffer, out, counts)
            else:
                with open(Path(name), "rb") as stream:
                    _redact_stream(redactor, stream, out, counts)
        except OSError as e:
            print(f"pii-tagger: {name}: cannot read ({e.strerror or e}); skipped", file=sys.stderr)
            status = EXIT_INPUT
    out.flush()
    if counts.bad_utf8 or counts.text:
        print(
            f"pii-tagger: {counts.lines} lines: {counts.json} JSON, {counts.text} plain text"
            + (f", {counts.bad_utf8} not UTF-8 (kept as \\x escapes)" if counts.bad_utf8 else ""),
            file=sys.stderr,
        )
    return status


def _redact_stream(redactor: Redactor, stream: BinaryIO, out: BinaryIO, counts: _Counts) -> None:
    for line in _lines(stream, counts):
        event = redactor.redact(line)
        out.write(orjson.dumps(event, default=str, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE))


def _lines(stream: BinaryIO, counts: _Counts) -> Iterator[dict[str, object]]:
    for raw in stream:
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        counts.lines += 1
        if raw.lstrip().startswith(b"{"):
            try:
                parsed = orjson.loads(raw)
            except orjson.JSONDecodeError:
                parsed = None
            if isinstance(parsed, dict):
                counts.json += 1
                yield parsed
                continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            counts.bad_utf8 += 1
            text = raw.decode("utf-8", "backslashreplace")
        counts.text += 1
        yield {"message": text}


if __name__ == "__main__":
    sys.exit(main())
