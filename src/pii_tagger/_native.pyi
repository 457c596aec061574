# Types of the native engine (rust/python), for type checkers: `Redactor`
# subclasses `Processor`, so without these its base, and with it structlog's
# call of a redactor, would be `Any` to a user's mypy.

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, Literal, overload

__version__: str
SHIPPED_RULE_FILES: list[tuple[str, str]]
OWN_TEXT_KEY: str  # the key a span's name is walked under

_Found = tuple[int, str, str | None]  # target index, path, value
_Note = tuple[str, int, str, int]  # path, target index, action done, count
_PartFound = tuple[int, int, str, str | None]  # part index, target index, path, value
_LineCounts = tuple[int, int, int, int, int, int, int]

class Counts:
    """Counts of findings by target index (rust/python/src/span_end.rs)."""

    def __init__(self, targets: int) -> None: ...
    def add(self, found: list[tuple[int, int]]) -> None: ...
    def values(self) -> list[int]: ...
    def __len__(self) -> int: ...

class SpanEnd:
    """A span processor's on_end in one native call (rust/python/src/span_end.rs)."""

    def __init__(
        self,
        redactor: Any,
        redact_resource: bool,
        kit: SpanKit,
        counts: Counts,
        totals: Any,
        processors: tuple[Any, ...],
        finish: Callable[[Any, SpanRedaction], Any],
        fail: Callable[[Any, BaseException], Any],
        downstream: Callable[[BaseException], None],
    ) -> None: ...
    def __call__(self, span: Any) -> None: ...

class SpanKit:
    """What the copy of a span is made with (see otel_redaction._SPAN_KIT)."""

    def __init__(
        self,
        copy_event: Callable[[Any, str, Any], Any],
        copy_link: Callable[[Any, Any], Any],
        sdk_dropped: tuple[Any, Any, Any],
        bounded_attributes: type,
        bounded_list: type,
        copy_class: type,
        upstream: frozenset[str],
        categories_tag: str,
        count_tag: str,
        sdk_types: tuple[type, type, type],
    ) -> None: ...

class SpanRedaction:
    """What Engine.walk_span made of a span (rust/python/src/span.rs)."""

    copy: Any
    description: str | None
    scope: dict[str, Any] | None
    resource: dict[str, Any] | None
    categories: list[int]
    changes: int
    counts: list[tuple[int, int]]
    found: list[_PartFound] | None
    tagged: bool
    done: bool

class Engine:
    def __init__(
        self,
        rules: str,
        targets: list[tuple[str, int, str, str, str, str]],
        keys: list[tuple[str, bytes]],
        max_depth: int,
        safe_types: tuple[type, ...],
        mapping: type,
        summary: bool,
        raise_errors: bool,
        format_exception: Callable[[Mapping[str, Any]], dict[str, Any]],
        fail_closed: Callable[[Any, BaseException], dict[str, Any]],
    ) -> None: ...
    def targets(self) -> list[tuple[str, int, str, Any, str, str]]: ...  # rule, category, label, action, mask, normalize
    def process(self, event: Mapping[str, Any]) -> dict[str, Any]: ...
    def __call__(self, logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> dict[str, Any]: ...
    @overload
    def walk(
        self, event: Mapping[str, Any], *, summary: bool = False, collect: Literal[True], tags: bool = True
    ) -> tuple[dict[str, Any], list[int], list[_Note], list[_Found], int]: ...
    @overload
    def walk(
        self, event: Mapping[str, Any], *, summary: bool = False, collect: bool = False, tags: bool = True
    ) -> tuple[dict[str, Any], list[int], list[_Note], list[_Found] | None, int]: ...
    def walk_parts(
        self, parts: list[dict[str, Any]], *, collect: bool = False
    ) -> tuple[list[dict[str, Any]], list[int], int, list[tuple[int, int]], list[_PartFound] | None]: ...
    def walk_span(self, span: Any, redact_resource: bool, kit: SpanKit, *, collect: bool = False) -> SpanRedaction: ...
    def redact_record(self, record: Any, not_extra: frozenset[str]) -> bool: ...
    def acts_on(self, text: str) -> bool: ...
    def is_clean(self, text: str) -> bool: ...
    def is_own_token(self, text: str) -> bool: ...
    def scan_text(self, text: str) -> list[tuple[int, int, int | None, bool]]: ...
    def shape_of(self, text: str) -> int | None: ...
    def table_size(self) -> tuple[int, int]: ...
    # lines, blank, JSON, text, not UTF-8, binary (NUL), cut; leaks as (line index, target index, path)
    def check_chunk(self, data: bytes, cut: list[int]) -> tuple[_LineCounts, list[tuple[int, int, str]]]: ...
    @overload
    def check_record(self, record: str, *, redact: bool = True) -> tuple[list[_Found], str | None]: ...
    @overload
    def check_record(self, record: bytes, *, redact: bool = True) -> tuple[list[_Found], bytes | None]: ...

_Chunk = tuple[int, bytes, list[int]]  # first line's number, whole lines, indexes of lines cut at max_line

class Chunker:
    def __init__(self, max_line: int = ..., chunk_bytes: int = ...) -> None: ...
    def push(self, data: bytes) -> list[_Chunk]: ...
    def finish(self) -> _Chunk | None: ...
    def lines_seen(self) -> int: ...

class Processor:
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...
    def _process_with(self, engine: Engine) -> None: ...
    def __call__(self, logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> dict[str, Any]:
        """structlog's processor signature: the redacted, tagged event."""

class Keys:
    def __init__(self, keys: list[tuple[str, bytes]]) -> None: ...
    def token(self, normalized: str) -> str: ...
    def tokens(self, normalized: str) -> list[tuple[str, str]]: ...
    def fingerprint(self, value: str) -> str: ...

def normalize(style: str, value: str) -> str: ...
TIME_KEYS: list[str]
SOURCE_KEYS: list[str]

def line_source(line: str | bytes) -> str | None: ...
def text_moment(text: str) -> int | None: ...
def epoch_moment(number: float) -> int | None: ...
def minute_name(micros: int) -> str: ...
def bound_lines(data: bytes, max_line: int) -> tuple[bytes, list[int]]:
    """``data`` with each line over ``max_line`` bytes cut to it, and the cut lines' indexes."""
# lines, events, not JSON, untagged, without a time; (bucket, source, category, n); (source, n); (path, category, action, n)
def stats_chunk(
    data: bytes, cut: list[int], width: int, max_sources: int, other: str
) -> tuple[int, int, int, int, int, list[tuple[str, str, int, int]], list[tuple[str, int]], list[tuple[str, int, str, int]]]: ...
# lines, not JSON, untagged, without a time, with a time, selected, the selected lines
def select_chunk(
    data: bytes, cut: list[int], *, categories: list[int], match_all: bool, contains: list[bytes], sources: list[str],
    since: int | None, until: int | None,
) -> tuple[int, int, int, int, int, int, bytes]: ...
def target_needs(rules: str) -> list[tuple[str, int, str, str | None, str, str]]: ...
def name_tokens(name: str) -> list[str]: ...
def validate(name: str, text: str) -> int: ...
def check_value_rule(table: str) -> None: ...
def check_safe_shape(table: str) -> None: ...
