"""The same stats as ``pii_tagger.archive.stats``, computed by DuckDB, for the
side-by-side benchmark that decided the engine (see test_bench_sre.py). Its
results are checked equal to the Python engine's before it is timed.

Exact counts need three passes: malformed and non-object lines must be told
apart from untagged events, which DuckDB's JSON reader does not do on its own.

An event's time is :mod:`pii_tagger.archive.eventtime`'s, written in SQL: the first
usable one of ``timestamp``, ``@timestamp``, ``time`` and ``asctime``, an ISO
8601 string (UTC without a zone; python-json-logger's comma before the
fraction) or an epoch number or numeric string scaled by its size, bucketed in
UTC. ISO forms that only one of Python and DuckDB reads (week dates, an hour
without minutes) may differ; tests/test_sre.py checks the forms the README names.
"""

from __future__ import annotations

from pii_tagger.archive.stats import BUCKETS, NO_TAGS, Stats

# Pass 1 reads each line whole, as text (read_csv with a separator logs do not
# hold), to count lines, blank lines and JSON objects exactly.
_COUNTS = """
    SELECT count(*),
           count(*) FILTER (WHERE line IS NULL OR trim(line) = ''),
           count(*) FILTER (WHERE CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END)
    FROM read_csv(?, header = false, columns = {'line': 'VARCHAR'}, sep = '\x1f\x1e', quote = '', escape = '',
                  auto_detect = false, strict_mode = false, max_line_size = 1048576, null_padding = true)
"""

# eventtime.parse_moment of one JSON value (NULL: no usable time).
_MACROS = """
    CREATE TEMP MACRO epoch_moment(n) AS CASE
        WHEN n >= 1e8 AND n < 1e11 THEN to_timestamp(n)
        WHEN n >= 1e11 AND n < 1e14 THEN to_timestamp(n / 1e3)
        WHEN n >= 1e14 AND n < 1e17 THEN to_timestamp(n / 1e6)
        WHEN n >= 1e17 AND n < 1e20 THEN to_timestamp(n / 1e9) END;
    CREATE TEMP MACRO iso_moment(s) AS try_cast(replace(s, ',', '.') AS TIMESTAMPTZ);
    CREATE TEMP MACRO text_moment(s) AS CASE
        WHEN substr(s, 5, 1) = '-' THEN iso_moment(s)
        WHEN try_cast(s AS DOUBLE) IS NOT NULL THEN epoch_moment(try_cast(s AS DOUBLE))
        ELSE iso_moment(s) END;
    CREATE TEMP MACRO moment(j) AS CASE
        WHEN json_type(j) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN epoch_moment((j->>'$')::DOUBLE)
        WHEN json_type(j) = 'VARCHAR' THEN text_moment(trim(j->>'$')) END;
"""

# Passes 2 and 3 read only the fields the stats need, with DuckDB's JSON
# reader. A line that is not an object gives a row of NULLs (blank lines
# none): those land in the ('-', '-', untagged) cell and are taken out again.
_EVENTS = r"""
    WITH events AS (
        SELECT CASE WHEN json_type(pii_categories) = 'ARRAY'
                    THEN list_distinct([x::INTEGER
                                        FOR x IN try(from_json(pii_categories, '["JSON"]'))
                                        IF json_type(x) IN ('UBIGINT', 'BIGINT') AND x::BIGINT BETWEEN 1 AND 18])
               END AS cats,
               coalesce(left(strftime(make_timestamp(epoch_us(
                            coalesce(moment("timestamp"), moment("@timestamp"), moment("time"), moment(asctime)))),
                            '%Y-%m-%dT%H:%M'), $width), '-') AS bucket,
               coalesce(CASE WHEN json_type(service) = 'VARCHAR' THEN nullif(service->>'$', '') END,
                        CASE WHEN json_type("service.name") = 'VARCHAR' THEN nullif("service.name"->>'$', '') END,
                        CASE WHEN json_type(logger) = 'VARCHAR' THEN nullif(logger->>'$', '') END,
                        CASE WHEN json_type(logger_name) = 'VARCHAR' THEN nullif(logger_name->>'$', '') END,
                        '-') AS source,
               pii_redactions
        FROM read_json(?, format = 'newline_delimited', ignore_errors = true, maximum_object_size = 1048576,
                       columns = {'timestamp': 'JSON', '@timestamp': 'JSON', 'time': 'JSON', 'asctime': 'JSON',
                                  'service': 'JSON', 'service.name': 'JSON', 'logger': 'JSON', 'logger_name': 'JSON',
                                  'pii_categories': 'JSON', 'pii_redactions': 'JSON'})
    )
"""

_CUBE = _EVENTS + """
    SELECT bucket, source, category, count(*) AS n,
           count(*) FILTER (WHERE category = categories[1]) AS events  -- each event once, by its first category
    FROM (SELECT *, CASE WHEN cats IS NULL THEN [-1] WHEN len(cats) = 0 THEN [0] ELSE cats END AS categories FROM events),
         unnest(categories) AS t(category)
    GROUP BY ALL
"""

_REDACTIONS = _EVENTS + """
    SELECT CASE WHEN json_type(note, '$.path') = 'VARCHAR' THEN note->>'$.path' ELSE '' END AS path,
           (note->>'$.category')::INTEGER AS category,
           CASE WHEN json_type(note, '$.action') = 'VARCHAR' THEN note->>'$.action' ELSE '' END AS action,
           sum((note->>'$.count')::BIGINT) AS n
    FROM (SELECT unnest(from_json(pii_redactions, '["JSON"]')) AS note
          FROM events WHERE cats IS NOT NULL AND json_type(pii_redactions) = 'ARRAY')
    WHERE json_type(note) = 'OBJECT' AND json_type(note, '$.category') IN ('UBIGINT', 'BIGINT')
          AND (note->>'$.category')::BIGINT BETWEEN 1 AND 18
          AND json_type(note, '$.count') = 'UBIGINT'
    GROUP BY ALL
"""


def stats_duckdb(path: str, bucket: str = "hour") -> Stats:
    import duckdb

    stats = Stats(files=1)
    width = str(BUCKETS[bucket])
    with duckdb.connect(config={"memory_limit": "1GB"}) as con:
        try:
            con.execute("SET TimeZone = 'UTC'")  # with the ICU extension; without it, time zones are UTC
        except duckdb.Error:
            pass
        con.execute(_MACROS)
        lines, blank, objects = con.execute(_COUNTS, [path]).fetchone() or (0, 0, 0)
        stats.lines, stats.events, stats.not_json = lines, objects, lines - objects
        not_objects = lines - objects - blank  # their rows are NULLs: in the ('-', '-', untagged) cell
        for bucket_, source, category, n, events in con.execute(_CUBE.replace("$width", width), [path]).fetchall():
            stats.cube[bucket_, source, category] += n
            stats.no_time += events if bucket_ == "-" else 0
        stats.cube["-", "-", NO_TAGS] -= not_objects
        stats.no_time -= not_objects
        stats.cube = +stats.cube  # drop cells at zero
        stats.untagged = sum(n for (_, _, c), n in stats.cube.items() if c == NO_TAGS)
        for path_, category, action, n in con.execute(_REDACTIONS.replace("$width", width), [path]).fetchall():
            stats.redactions[path_, category, action] += n
    return stats
