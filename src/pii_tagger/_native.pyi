# Types of the native engine (rust/python), for type checkers: `Redactor`
# subclasses `Processor`, so without these its base, and with it structlog's
# call of a redactor, would be `Any` to a user's mypy.

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any, Literal, overload

__version__: str
SHIPPED_RULE_FILES: list[tuple[str, str]]
OWN_TEXT_KEY: str  # the key a span's name is walked under

_Found = tuple[int, str, str | None]  # target index, path, value
_Note = tuple[str, int, str, int]  # path, target index, action done, count
_PartFound = tuple[int, int, str, str | None]  # part index, target index, path, value

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
    def walk_span(
        self,
        name: str,
        attributes: dict[str, Any],
        events: Sequence[Any],
        links: Sequence[Any],
        description: str | None,
        scope: Mapping[str, Any] | None,
        resource: Mapping[str, Any] | None,
        copy_event: Callable[[Any, str, Any], Any],
        copy_link: Callable[[Any, Any], Any],
        *,
        collect: bool = False,
    ) -> tuple[
        str, dict[str, Any], Sequence[Any], Sequence[Any], str | None, dict[str, Any] | None, dict[str, Any] | None,
        list[int], int, list[tuple[int, int]], list[_PartFound] | None,
    ]: ...
    def acts_on(self, text: str) -> bool: ...
    def is_clean(self, text: str) -> bool: ...
    def is_own_token(self, text: str) -> bool: ...
    def scan_text(self, text: str) -> list[tuple[int, int, int | None, bool]]: ...
    def shape_of(self, text: str) -> int | None: ...
    def table_size(self) -> tuple[int, int]: ...

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
def target_needs(rules: str) -> list[tuple[str, int, str, str | None, str, str]]: ...
def name_tokens(name: str) -> list[str]: ...
def validate(name: str, text: str) -> int: ...
def check_value_rule(table: str) -> None: ...
def check_safe_shape(table: str) -> None: ...
