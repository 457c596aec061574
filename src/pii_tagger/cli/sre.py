"""The SRE commands: ``query``, ``stats``, ``token`` and ``categories``.

Exit status: ``query`` 0 when something was selected, 1 when nothing was
(like grep), 2 for a usage error, 3 when some input could not be read (the
search is incomplete) or when ``--since``/``--until`` was given and no event
had a usable timestamp (the range could not be tested); ``stats`` 0, or 3 when some input could not be read;
``token`` and ``categories`` 0, or 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import orjson

from ..actions import HASH_KEY_ENV, Hasher, HashKeyError
from ..archive.eventtime import TIME_KEYS, event_time
from ..archive.files import ReadCounts, input_size, workers
from ..archive.query import Selection, SelectionError, parse_time, run
from ..archive.report_html import render_html
from ..archive.stats import BUCKETS, Stats, collect
from ..archive.tokens import TokenError, tokens_for
from ..engine import Redactor
from ..policy import Policy, PolicyError
from ..rules import Category, RuleFileError, load_rules, shipped_categories
from ..sources import source_of

EXIT_OK, EXIT_NONE, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
_PARALLEL_FROM = 64 << 20  # below this, worker processes cost more than they save


def add_parsers(commands: Any, action_help: str) -> None:
    query = commands.add_parser(
        "query", help="select tagged events by category, field, time or source",
        description="Select events from JSON-lines logs (files, directories, .gz, stdin) and write them unchanged. "
        "Exit status 0 when something was selected, 1 when nothing was.",
    )
    query.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-' or none for stdin")
    query.add_argument("--category", "-c", action="append", default=[], metavar="N",
                       help="events that carried category N (repeatable, or 1,2; any of them; 0: events with none)")
    query.add_argument("--all", action="store_true", help="events that carried every category given")
    query.add_argument("--field", action="append", default=[], metavar="PATH",
                       help="events with this field path (glob: customer.*), or where pii_redactions names it")
    query.add_argument("--since", metavar="TIME", help="from this time: 2026-11-25T10:00, or a time ago: 15m, 2h, 7d "
                       "(an event's time: timestamp, @timestamp, time or asctime; ISO 8601 or epoch seconds/ms; UTC)")
    query.add_argument("--until", metavar="TIME", help="before this time (same forms)")
    query.add_argument("--source", "--service", "--logger", action="append", default=[], metavar="NAME",
                       help="events whose service or logger matches (glob: billing.*)")
    query.add_argument("--contains", action="append", default=[], metavar="TEXT",
                       help="lines holding this text, e.g. a token from 'pii-tagger token' (repeatable: any of them)")
    query.add_argument("--contains-from", metavar="FILE", help="texts to look for, one per line ('-': stdin)")
    query.add_argument("--format", choices=("json", "table"), default="json", help="the lines as they are (json) or a table")
    query.add_argument("--limit", type=int, metavar="N", help="stop after N events (N >= 1; leave it out for every event)")
    query.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: every core on large inputs)")

    stats = commands.add_parser(
        "stats", help="count events and redactions by category, source, field and time",
        description="Summarise tagged JSON-lines logs: events and redactions by category, by service or logger, "
        "by field path and over time.",
    )
    stats.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-' or none for stdin")
    stats.add_argument("--bucket", choices=tuple(BUCKETS), default="hour", help="time bucket (default hour)")
    stats.add_argument("--format", choices=("table", "json"), default="table", help="for people (table) or machines (json)")
    stats.add_argument("--html", metavar="FILE", help="also write an HTML report with charts of categories over time per source")
    stats.add_argument("--top", type=int, default=15, metavar="N", help="rows per table (default 15)")
    stats.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: every core on large inputs)")

    token = commands.add_parser(
        "token", help="the hash tokens a known value has in the logs (for one person's events)",
        description=f"Print the hash tokens VALUE is written as, under every key in {HASH_KEY_ENV}, newest first. "
        "Use the same key configuration as the services. Find the events with: pii-tagger query --contains TOKEN.",
    )
    token.add_argument("value", metavar="VALUE", help="the value; '-' reads it from stdin (keeps it out of shell history)")
    token.add_argument("--category", type=int, metavar="N", help="only the rules that write category N (default: every hashing rule)")
    token.add_argument("--rule", metavar="ID", help="only this rule (see patterns/*.toml)")
    token.add_argument("--rules", action="append", default=[], metavar="FILE", help="the services' own rule files")
    token.add_argument("--action", action="append", default=[], metavar="CATEGORY=ACTION", help=action_help)
    token.add_argument("--verbose", "-v", action="store_true", help="also say which key, normalisation and rules made each token")

    categories = commands.add_parser("categories", help="the personal-data categories, their examples and actions")
    categories.add_argument("--lang", choices=("en", "lv"), default="en", help="language of names and examples")
    categories.add_argument("--format", choices=("table", "json"), default="table")
    categories.add_argument("--rules", action="append", default=[], metavar="FILE", help="rule files that change defaults")
    categories.add_argument("--action", action="append", default=[], metavar="CATEGORY=ACTION", help=action_help)


def _jobs(requested: int, paths: list[str]) -> int:
    """``--jobs``; 0 means every core on inputs large enough to pay for the workers."""
    if requested < 0:
        raise SelectionError("--jobs takes a number >= 0")
    return workers(requested, input_size(paths), _PARALLEL_FROM)


def _category_numbers(items: list[str], catalogue: Mapping[int, Category]) -> frozenset[int]:
    numbers: set[int] = set()
    for item in items:
        for part in item.split(","):
            part = part.strip()
            if not part.isdigit() or (int(part) not in catalogue and int(part) != 0):
                valid = "; ".join(f"{n} {c.name_en}" for n, c in sorted(catalogue.items()))
                raise SelectionError(f"--category {part!r} is not a category. Valid: 0 (none); {valid}")
            numbers.add(int(part))
    return frozenset(numbers)


# ---- query ----------------------------------------------------------------------------


def query_command(args: argparse.Namespace) -> int:
    paths = args.paths or ["-"]
    try:
        catalogue = shipped_categories()
        contains = [t.encode() for t in args.contains]
        if args.contains_from:
            contains += _texts_from(args.contains_from, paths)
        selection = Selection(
            categories=_category_numbers(args.category, catalogue),
            match_all=args.all,
            fields=tuple(args.field),
            since=parse_time(args.since) if args.since else None,
            until=parse_time(args.until) if args.until else None,
            sources=tuple(args.source),
            contains=tuple(contains),
        )
        if args.limit is not None and args.limit < 1:  # 0 would read as "no limit" to some, "nothing" to others
            raise SelectionError("--limit takes a number >= 1; leave it out to get every event")
        jobs = _jobs(args.jobs, paths)
    except (SelectionError, OSError) as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    except UnicodeDecodeError:
        print(f"pii-tagger: --contains-from {args.contains_from}: not UTF-8 text", file=sys.stderr)
        return EXIT_USAGE
    read = ReadCounts()
    out = sys.stdout.buffer
    table = args.format == "table"
    if table:
        out.write(f"{'time':<27} {'source':<24} {'categories':<12} event\n".encode())
    total = selected = not_json = untagged = no_time = timed = 0
    for result in run(paths, selection, jobs=jobs, read=read):
        total += result.lines
        not_json += result.not_json
        untagged += result.untagged
        no_time += result.no_time
        timed += result.timed
        matches, count = result.matches, result.selected
        if args.limit is not None and selected + count > args.limit:
            count = args.limit - selected
            matches = matches[:_end_of_lines(matches, count)]
        selected += count
        if table:
            for raw in matches.split(b"\n")[:-1]:
                out.write(_table_row(raw))
        else:
            out.write(matches)
        if args.limit is not None and selected >= args.limit:
            break
    out.flush()
    notes = [f"{n} {what}" for n, what in ((not_json, "not JSON"), (untagged, "without pii_categories"),
                                            (no_time, "without a usable timestamp"))
             if n]
    if notes or read.problems or read.long_lines:
        notes += [f"{read.long_lines} line(s) over 1 MiB read only up to 1 MiB"] if read.long_lines else []
        print(f"pii-tagger: {selected} of {total} line(s) selected; " + ", ".join(notes), file=sys.stderr)
        for problem in read.problems:
            print(f"pii-tagger: {problem}", file=sys.stderr)
    if read.problems:  # an incomplete search must not look like "nothing there"
        print("pii-tagger: some input could not be read; the result is incomplete", file=sys.stderr)
        return EXIT_INPUT
    if no_time and not timed:  # the time range could not be tested at all: not "no match"
        print(f"pii-tagger: no event had a usable timestamp ({NO_TIME_HELP}), so --since/--until could not be "
              "applied; this is not 'no match'", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK if selected else EXIT_NONE


NO_TIME_HELP = f"looked for {', '.join(TIME_KEYS)}: ISO 8601 or epoch seconds/milliseconds"


def _texts_from(name: str, paths: list[str]) -> list[bytes]:
    if name == "-":
        if "-" in paths:
            raise SelectionError("--contains-from - and the logs cannot both come from stdin")
        texts = [line.strip() for line in sys.stdin if line.strip()]
    else:
        with open(name, encoding="utf-8") as stream:
            texts = [line.strip() for line in stream if line.strip()]
    if not texts:  # an empty filter would select everything
        raise SelectionError(f"--contains-from {name}: no texts to look for (did 'pii-tagger token' fail?)")
    return [t.encode() for t in texts]


def _end_of_lines(lines: bytes, n: int) -> int:
    """Where the first ``n`` lines of ``lines`` (each ending in a newline) end."""
    end = 0
    for _ in range(n):
        end = lines.index(b"\n", end) + 1
    return end


def _table_row(raw: bytes) -> bytes:
    event = orjson.loads(raw.decode("utf-8", "replace"))
    tags = event.get("pii_categories")
    cats = ",".join(map(str, tags)) if isinstance(tags, list) else "-"
    text = event.get("event", event.get("message", ""))
    text = text if isinstance(text, str) else orjson.dumps(text).decode()
    text = " ".join(text.split())
    moment = event_time(event)
    when = moment.isoformat() if moment else "-"
    return f"{when:<27} {_cell(source_of(event))[:24]:<24} {cats:<12} {_cell(text)[:80]}\n".encode()


_CONTROL = dict.fromkeys([*range(32), 127], "?")


def _cell(text: str) -> str:
    """Text for a terminal table: control characters (escape sequences) shown as ?."""
    return text.translate(_CONTROL)


# ---- stats ----------------------------------------------------------------------------


def stats_command(args: argparse.Namespace) -> int:
    paths = args.paths or ["-"]
    try:
        jobs = _jobs(args.jobs, paths)
        if args.top < 1:
            raise SelectionError("--top takes a number >= 1")
    except SelectionError as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    try:
        html = open(args.html, "w", encoding="utf-8") if args.html else None  # noqa: SIM115 - fail before the scan
    except OSError as e:
        print(f"pii-tagger: --html {args.html}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    stats = collect(paths, bucket=args.bucket, jobs=jobs)
    catalogue = shipped_categories()
    if args.format == "json":
        sys.stdout.buffer.write(orjson.dumps(stats.as_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    else:
        _print_stats(stats, catalogue, args.top, sys.stdout)
    if html is not None:
        with html:
            html.write(render_html(stats, catalogue, args.bucket))
        print(f"pii-tagger: wrote {args.html}", file=sys.stderr)
    for problem in stats.problems:
        print(f"pii-tagger: {problem}", file=sys.stderr)
    if stats.long_lines:
        print(f"pii-tagger: {stats.long_lines} line(s) over 1 MiB were not read whole (counted as not JSON)", file=sys.stderr)
    return EXIT_INPUT if stats.problems or stats.long_lines else EXIT_OK


def _print_stats(stats: Stats, catalogue: Mapping[int, Category], top: int, out: TextIO) -> None:
    w = out.write
    w(f"{stats.lines} lines in {stats.files} file(s): {stats.events} events ({stats.tagged} tagged, "
      f"{stats.untagged} without pii_categories), {stats.not_json} lines not JSON"
      + (f" ({stats.long_lines} over 1 MiB, not read whole)" if stats.long_lines else "") + ".\n")
    by_category = stats.by_category()
    redactions = stats.redactions_by_category()
    w(f"\n{'category':>8}  {'name':<44} {'events':>9} {'share':>7} {'redactions':>11}\n")
    for number, n in sorted(by_category.items()):
        name = catalogue[number].name_en if number in catalogue else "no personal data"
        share = f"{100 * n / stats.tagged:.1f}%" if stats.tagged else "-"
        w(f"{number:>8}  {name[:44]:<44} {n:>9} {share:>7} {redactions.get(number, 0):>11}\n")
    if not stats.redactions and stats.tagged:
        w("(redaction counts need pii_redactions: Redactor(summary=True))\n")
    w(f"\n{'source':<32} {'category':>8} {'events':>9}\n")
    for (source, number), n in _top(stats.by_source(), top):
        w(f"{_cell(source)[:32]:<32} {number:>8} {n:>9}\n")
    if stats.redactions:
        w(f"\n{'field path':<40} {'category':>8} {'action':<7} {'values':>9}\n")
        for (path, number, action), n in _top(stats.redactions, top):
            w(f"{_cell(path)[:40]:<40} {number:>8} {_cell(action):<7} {n:>9}\n")
    if stats.events and stats.no_time == stats.events:
        w(f"\nNo event had a usable timestamp ({NO_TIME_HELP}): no counts over time.\n")
        return
    if stats.no_time:
        w(f"\n{stats.no_time} event(s) without a usable timestamp are counted under '-'.\n")
    by_time = stats.by_time()
    if by_time:
        buckets = sorted({b for b, _ in by_time})
        numbers = sorted({c for _, c in by_time})
        w(f"\n{'time':<16}" + "".join(f"{c:>8}" for c in numbers) + "\n")
        for bucket in buckets[-top * 4:]:
            w(f"{_cell(bucket):<16}" + "".join(f"{by_time.get((bucket, c), 0):>8}" for c in numbers) + "\n")


def _top(counter: Mapping[Any, int], n: int) -> list[tuple[Any, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n]


# ---- token and categories -----------------------------------------------------------------


def token_command(args: argparse.Namespace, policy: Policy) -> int:
    if not os.environ.get(HASH_KEY_ENV, "").strip():
        print(f"pii-tagger: {HASH_KEY_ENV} is not set. Tokens depend on the key: set it to the key(s) the services use "
              "(id:secret[,id:secret...], newest first).", file=sys.stderr)
        return EXIT_USAGE
    value = sys.stdin.readline() if args.value == "-" else args.value
    try:
        redactor = Redactor(policy, rule_files=args.rules, hasher=Hasher.from_env())
        tokens = tokens_for(redactor, value, category=args.category, rule=args.rule)
    except (TokenError, RuleFileError, PolicyError, HashKeyError) as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    for token in tokens:
        line = f"{token.token}\tkey {token.key_id}\t{token.normalize}\t{','.join(token.rules)}" if args.verbose else token.token
        print(line)
    return EXIT_OK


def categories_command(args: argparse.Namespace, policy: Policy) -> int:
    try:
        rules = load_rules(args.rules)
    except (RuleFileError, PolicyError) as e:
        print(f"pii-tagger: {e}", file=sys.stderr)
        return EXIT_USAGE
    rows: list[dict[str, Any]] = []
    for number, category in sorted(rules.categories.items()):
        action = policy.category_action(category)
        name = category.name_lv if args.lang == "lv" else category.name_en
        examples = category.examples_lv if args.lang == "lv" else category.examples_en
        rows.append({"number": number, "name": name, "examples": examples, "action": action})
    if args.format == "json":
        sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
        return EXIT_OK
    width = max(len(str(r["name"])) for r in rows)
    heading = ("Nr.", "Kategorija", "Darbība", "Piemēri") if args.lang == "lv" else ("No.", "Category", "Action", "Examples")
    print(f"{heading[0]:>3}  {heading[1]:<{width}}  {heading[2]:<6}  {heading[3]}")
    for r in rows:
        print(f"{r['number']:>3}  {r['name']:<{width}}  {r['action']:<6}  {r['examples']}")
    return EXIT_OK
