"""The same stats as ``pii_tagger.logstats``, computed by DuckDB, for the
side-by-side benchmark that decided the engine (see test_bench_sre.py). Its
results are checked equal to the Python engine's before it is timed.

Exact counts need three passes: malformed and non-object lines must be told
apart from untagged events, which DuckDB's JSON reader does not do on its own.
"""

from __future__ import annotations

from pii_tagger.logstats import BUCKETS, NO_TAGS, Stats

# Pass 1 reads each line whole, as text (read_csv with a separator logs do not
# hold), to count lines, blank lines and JSON objects exactly.
_COUNTS = """
    SELECT count(*),
           count(*) FILTER (WHERE line IS NULL OR trim(line) = ''),
           count(*) FILTER (WHERE CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END)
    FROM read_csv(?, header = false, columns = {'line': 'VARCHAR'}, sep = '\x1f\x1e', quote = '', escape = '',
                  auto_detect = false, strict_mode = false, max_line_size = 1048576, null_padding = true)
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
               CASE WHEN json_type("timestamp") = 'VARCHAR'
                         AND regexp_full_match(left("timestamp"->>'$', $width), '\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2})?)?')
                         AND length("timestamp"->>'$') >= $width
                    THEN replace(left("timestamp"->>'$', $width), ' ', 'T') ELSE '-' END AS bucket,
               coalesce(CASE WHEN json_type(service) = 'VARCHAR' THEN nullif(service->>'$', '') END,
                        CASE WHEN json_type("service.name") = 'VARCHAR' THEN nullif("service.name"->>'$', '') END,
                        CASE WHEN json_type(logger) = 'VARCHAR' THEN nullif(logger->>'$', '') END,
                        CASE WHEN json_type(logger_name) = 'VARCHAR' THEN nullif(logger_name->>'$', '') END,
                        '-') AS source,
               pii_redactions
        FROM read_json(?, format = 'newline_delimited', ignore_errors = true, maximum_object_size = 1048576,
                       columns = {'timestamp': 'JSON', 'service': 'JSON', 'service.name': 'JSON', 'logger': 'JSON',
                                  'logger_name': 'JSON', 'pii_categories': 'JSON', 'pii_redactions': 'JSON'})
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
        lines, blank, objects = con.execute(_COUNTS, [path]).fetchone() or (0, 0, 0)
        stats.lines, stats.events, stats.not_json = lines, objects, lines - objects
        for bucket_, source, category, n, _ in con.execute(_CUBE.replace("$width", width), [path]).fetchall():
            stats.cube[bucket_, source, category] += n
        stats.cube["-", "-", NO_TAGS] -= lines - objects - blank  # the NULL rows of lines that are not objects
        stats.cube = +stats.cube  # drop cells at zero
        stats.untagged = sum(n for (_, _, c), n in stats.cube.items() if c == NO_TAGS)
        for path_, category, action, n in con.execute(_REDACTIONS.replace("$width", width), [path]).fetchall():
            stats.redactions[path_, category, action] += n
    return stats
