"""Rule files: the data in ``patterns/`` and the user's own files.

Every file is TOML with up to seven arrays of tables: ``category``, ``field``,
``context``, ``neutral``, ``value``, ``safe`` and ``names`` (see the comments at
the top of the shipped files). A user file adds rules, changes any default rule by giving its
``id`` and only the keys to change, removes one with ``enabled = false``, and
sets a category's ``default_action``. Anything malformed raises
:class:`RuleFileError` naming the file, the rule and the problem, at start-up.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, cast

from . import _native

Action = Literal["mask", "hash", "drop", "keep", "audit"]
ACTIONS: tuple[Action, ...] = ("mask", "hash", "drop", "keep", "audit")
REDACTING_ACTIONS: frozenset[Action] = frozenset({"mask", "hash", "drop"})  # the others leave the value: not redactions
MASKS = ("full", "last2", "last4", "ip")
NORMALIZERS = ("text", "compact", "digits", "phone", "email")
KINDS = ("identity", "contact", "bank", "credential", "business", "network")
MATCHES = ("suffix", "any", "path", "record")
HANDLERS = ("value", "skip", "url", "key_value")
VALIDATORS = (
    "lv_personal_code", "lv_personal_code_format", "iban", "payment_card", "lv_phone",
    "e164_length", "public_ipv4", "public_ipv6", "host_ipv4", "internal_ip", "basic_auth", "email_domain",
    "first_word",
)
CATEGORY_NUMBERS = range(1, 19)
SECTIONS = ("category", "field", "context", "neutral", "value", "safe", "names")


class RuleFileError(ValueError):
    """A rule file cannot be used; the message names the file, rule and problem."""


@dataclass(frozen=True, slots=True)
class Category:
    number: int
    name_lv: str
    name_en: str
    examples_lv: str
    examples_en: str
    default_action: Action


@dataclass(frozen=True, slots=True)
class FieldRule:
    id: str
    category: int
    kind: str
    terms: tuple[tuple[str, ...], ...]
    match: str = "suffix"
    action: Action | None = None
    mask: str = "full"
    normalize: str = "text"
    label: str = ""
    format: str | None = None
    parents: tuple[str, ...] = ()  # for match = "record": parent words that make the record a person's
    events: tuple[str, ...] = ()  # words in an event's own name that tag the event with this category
    in_text: bool = False  # for match = "record": key=value pairs in text are read too
    counts: bool = False  # a whole number under the rule's keys is a count of such values, kept


@dataclass(frozen=True, slots=True)
class ContextRule:
    id: str
    category: int
    applies_to: frozenset[str]
    terms: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class NeutralRule:
    id: str
    terms: tuple[tuple[str, ...], ...]
    match: str = "suffix"


@dataclass(frozen=True, slots=True)
class ValueRule:
    """A value rule as its file says (see the comments at the top of
    ``patterns/values.toml``); the native scanner compiles it."""

    id: str
    pattern: str
    needs: tuple[str, ...]
    needs_all: tuple[str, ...] = ()
    handler: str = "value"
    before: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    not_start: str | None = None
    shorter: str | None = None
    category: int | None = None
    label: str = ""
    validator: str | None = None
    validator_in_context: str | None = None
    context: tuple[str, ...] = ()
    context_required: bool = True
    deny_context: tuple[str, ...] = ()
    context_window: int = 40
    context_fields: tuple[str, ...] = ()
    deny_fields: tuple[str, ...] = ()
    min_digits: int = 0
    action: Action | None = None
    mask: str = "full"
    normalize: str = "text"
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    shipped: bool = False  # from patterns/, untouched by a user's file

    def as_json(self) -> str:
        """The table the native scanner reads."""
        return json.dumps(asdict(self))


@dataclass(frozen=True, slots=True)
class SafeShape:
    """A whole value that is never personal data (a timestamp, a UUID, ...)."""

    id: str
    pattern: str
    unless: str | None = None
    min_len: int | None = None
    max_len: int | None = None
    examples: tuple[str, ...] = ()

    def as_json(self) -> str:
        return json.dumps(asdict(self))


@dataclass(frozen=True, slots=True)
class NamesRule:
    """A lexicon of person names for free text (see ``patterns/names.toml``)."""

    id: str
    category: int
    label: str
    action: Action | None = None
    mask: str = "full"
    normalize: str = "text"
    source: str = ""
    given: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    surname_endings: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    after_titles: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    not_names: tuple[str, ...] = ()
    company_markers: tuple[str, ...] = ()
    place_words: tuple[str, ...] = ()
    context_fields: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Everything the engine compiles: the catalogue and the four rule kinds."""

    categories: Mapping[int, Category]
    fields: tuple[FieldRule, ...]
    contexts: tuple[ContextRule, ...]
    neutrals: tuple[NeutralRule, ...]
    values: tuple[ValueRule, ...]
    safe: tuple[SafeShape, ...] = ()
    names: tuple[NamesRule, ...] = ()

    def as_json(self) -> str:
        """The rule set as the native engine reads it (one array per section)."""

        def terms(words: tuple[tuple[str, ...], ...]) -> list[str]:
            return [" ".join(w) for w in words]

        fields = [{**asdict(f), "terms": terms(f.terms)} for f in self.fields]
        contexts = [{**asdict(c), "terms": terms(c.terms), "applies_to": sorted(c.applies_to)} for c in self.contexts]
        neutrals = [{**asdict(n), "terms": terms(n.terms)} for n in self.neutrals]
        return json.dumps({
            "category": [asdict(c) for c in self.categories.values()],
            "field": fields,
            "context": contexts,
            "neutral": neutrals,
            "value": [asdict(v) for v in self.values],
            "safe": [asdict(s) for s in self.safe],
            "names": [asdict(n) for n in self.names],
        })


SHIPPED_DIR = Path("pii_tagger/patterns")  # how errors and notes name the shipped files


def shipped_rule_files() -> list[tuple[Path, str]]:
    """The shipped rule files (``patterns/`` of the source tree, compiled into
    the native module), as (name, text)."""
    return [(SHIPPED_DIR / name, text) for name, text in _native.SHIPPED_RULE_FILES]


@functools.cache
def shipped_categories() -> dict[int, Category]:
    """The shipped catalogue of categories alone, without compiling a rule (for the
    SRE commands, which only name categories); read once."""
    tables: dict[str, list[tuple[Path, dict[str, Any]]]] = {s: [] for s in SECTIONS}
    for shipped_file, text in shipped_rule_files():
        _merge_file(shipped_file, tables, user=False, text=text)
    return _build_categories(tables["category"])


def load_rules(extra_files: Iterable[str | Path] = (), *, defaults: bool = True) -> RuleSet:
    """Read the shipped rules (unless ``defaults=False``), then each extra file."""
    tables: dict[str, list[tuple[Path, dict[str, Any]]]] = {s: [] for s in SECTIONS}
    for shipped_file, text in shipped_rule_files() if defaults else []:
        _merge_file(shipped_file, tables, user=False, text=text)
    # Held, not just their ids: a freed table's id could be reused by a user's.
    shipped_tables = [table for _, table in tables["value"]]
    shipped = {id(table) for table in shipped_tables}
    for user_file in extra_files:
        _merge_file(Path(user_file), tables, user=True)
    categories = _build_categories(tables["category"])
    return RuleSet(
        categories=categories,
        fields=tuple(_field(p, t) for p, t in tables["field"]),
        contexts=tuple(_context(p, t) for p, t in tables["context"]),
        neutrals=tuple(_neutral(p, t) for p, t in tables["neutral"]),
        values=tuple(_value(p, t, id(t) in shipped) for p, t in tables["value"]),
        safe=tuple(_safe(p, t) for p, t in tables["safe"]),
        names=tuple(_names(p, t) for p, t in tables["names"]),
    )


def _merge_file(path: Path, tables: dict[str, list[tuple[Path, dict[str, Any]]]], *, user: bool, text: str | None = None) -> None:
    try:
        if text is not None:
            data = tomllib.loads(text)
        else:
            with open(path, "rb") as f:
                data = tomllib.load(f)
    except OSError as e:
        raise RuleFileError(f"{path}: cannot read the rule file ({e.strerror or e})") from None
    except tomllib.TOMLDecodeError as e:
        raise RuleFileError(f"{path}: not valid TOML: {e}") from None
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise RuleFileError(f"{path}: unknown section(s) {unknown}; expected {list(SECTIONS)}")
    for section in SECTIONS:
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise RuleFileError(f"{path}: [{section}] must be an array of tables: write [[{section}]]")
        seen: set[object] = set()
        for index, entry in enumerate(entries):
            key = "number" if section == "category" else "id"
            where = f"{path}: [[{section}]] #{index + 1}"
            if not isinstance(entry, dict) or key not in entry:
                raise RuleFileError(f"{where}: missing required key {key!r}")
            ident = entry[key]
            if ident in seen:
                raise RuleFileError(f"{where} {key}={ident!r}: defined twice in this file")
            seen.add(ident)
            _merge_entry(tables[section], path, key, entry, user)


def _merge_entry(
    existing: list[tuple[Path, dict[str, Any]]], path: Path, key: str, entry: dict[str, Any], user: bool
) -> None:
    for i, (_, old) in enumerate(existing):
        if old[key] == entry[key]:
            merged = {**old, **entry}
            if merged.pop("enabled", True) is False:
                del existing[i]
            else:
                existing[i] = (path, merged)
            return
    if entry.get("enabled", True) is False:
        raise RuleFileError(f"{path}: {key}={entry[key]!r}: enabled = false names no existing rule")
    entry = {k: v for k, v in entry.items() if k != "enabled"}
    # A user's new value rule goes right after the ones that must come first
    # (our own tokens), so that a specific format of theirs wins over ours.
    at = len(existing)
    if user and "pattern" in entry:
        at = next((i for i, (_, old) in enumerate(existing) if old.get("handler") != "skip"), at)
    existing.insert(at, (path, entry))


_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,47}")


class _Entry:
    """Typed access to one rule table, with errors that say where."""

    def __init__(self, path: Path, table: dict[str, Any], section: str, allowed: set[str]) -> None:
        self.table = table
        self.where = f"{path}: [[{section}]] id={table.get('id', table.get('number'))!r}"
        unknown = sorted(set(table) - allowed)
        if unknown:
            self.fail(f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")

    def fail(self, problem: str) -> None:
        raise RuleFileError(f"{self.where}: {problem}")

    def get(self, key: str, kind: type, default: Any = ..., choices: Iterable[Any] | None = None) -> Any:
        if key not in self.table:
            if default is ...:
                self.fail(f"missing required key {key!r}")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(f"{key!r} must be {kind.__name__}, not {type(value).__name__}")
        if choices is not None and value not in choices:
            self.fail(f"{key!r} is {value!r}; expected one of {list(choices)}")
        return value

    def label(self, ident: str) -> str:
        """The label written in masks (``[REDACTED:<label>]``): a plain word, so
        that our own masks are told apart from text shaped like them."""
        label = self.get("label", str, ident)
        if not _LABEL.fullmatch(label):
            self.fail(f"'label' is {label!r}: use a letter, then letters, digits or '_' (at most 48)")
        return str(label)

    def strings(self, key: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(key, list, default)
        if values is None:
            return ()
        if not all(isinstance(v, str) and v for v in values):
            self.fail(f"{key!r} must be a list of non-empty strings")
        return tuple(values)

    def terms(self) -> tuple[tuple[str, ...], ...]:
        terms = tuple(tuple(_native.name_tokens(t)) for t in self.strings("terms"))
        if not terms or not all(terms):
            self.fail("'terms' must list at least one name with letters or digits")
        return terms

    def category(self, default: Any = ...) -> Any:
        return self.get("category", int, default, CATEGORY_NUMBERS if default is ... else None)

    def validator(self, key: str) -> str | None:
        name = self.get(key, str, None)
        if name is not None and name not in VALIDATORS:
            self.fail(f"{key!r} names unknown validator {name!r}; known: {sorted(VALIDATORS)}")
        return cast(str | None, name)


def _build_categories(entries: list[tuple[Path, dict[str, Any]]]) -> dict[int, Category]:
    allowed = {"number", "name_lv", "name_en", "examples_lv", "examples_en", "default_action"}
    categories: dict[int, Category] = {}
    for path, table in entries:
        e = _Entry(path, table, "category", allowed)
        number = e.get("number", int, choices=CATEGORY_NUMBERS)
        categories[number] = Category(
            number=number,
            name_lv=e.get("name_lv", str),
            name_en=e.get("name_en", str),
            examples_lv=e.get("examples_lv", str, ""),
            examples_en=e.get("examples_en", str, ""),
            default_action=e.get("default_action", str, choices=ACTIONS),
        )
    missing = [n for n in CATEGORY_NUMBERS if n not in categories]
    if missing:
        raise RuleFileError(f"the catalogue lacks categories {missing}: all 18 must be defined")
    return dict(sorted(categories.items()))


def _field(path: Path, table: dict[str, Any]) -> FieldRule:
    allowed = {"id", "category", "kind", "terms", "match", "action", "mask", "normalize", "label", "format", "parents", "events", "in_text", "counts"}
    e = _Entry(path, table, "field", allowed)
    ident = e.get("id", str)
    match = e.get("match", str, "suffix", MATCHES)
    parents = e.strings("parents", None)
    if parents and match != "record":
        e.fail("'parents' is only for match = \"record\"")
    return FieldRule(
        id=ident,
        category=e.category(),
        kind=e.get("kind", str, choices=KINDS),
        terms=e.terms(),
        match=match,
        action=cast(Action | None, e.get("action", str, None, ACTIONS)),
        mask=e.get("mask", str, "full", MASKS),
        normalize=e.get("normalize", str, "text", NORMALIZERS),
        label=e.label(ident),
        format=e.get("format", str, None, ("url",)),
        parents=parents,
        events=e.strings("events", None),
        in_text=e.get("in_text", bool, False),
        counts=e.get("counts", bool, False),
    )


def _context(path: Path, table: dict[str, Any]) -> ContextRule:
    e = _Entry(path, table, "context", {"id", "category", "applies_to", "terms"})
    e.get("id", str)
    kinds = e.strings("applies_to")
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        e.fail(f"'applies_to' has unknown kind(s) {bad}; expected some of {list(KINDS)}")
    return ContextRule(id=table["id"], category=e.category(), applies_to=frozenset(kinds), terms=e.terms())


def _neutral(path: Path, table: dict[str, Any]) -> NeutralRule:
    e = _Entry(path, table, "neutral", {"id", "terms", "match"})
    return NeutralRule(id=e.get("id", str), terms=e.terms(), match=e.get("match", str, "suffix", MATCHES))


_VALUE_KEYS = {
    "id", "pattern", "starts", "needs", "needs_all", "handler", "before", "not_before", "not_after", "not_start", "shorter",
    "category", "label", "validator", "validator_in_context", "context", "context_required", "deny_context",
    "context_window", "context_fields", "deny_fields", "min_digits", "action", "mask", "normalize", "examples", "counterexamples",
}


def _native_check(e: _Entry, check: Any, rule: ValueRule | SafeShape) -> None:
    """What the native scanner compiles (patterns, classes, validators) is checked by it."""
    try:
        check(rule.as_json())
    except ValueError as err:
        e.fail(str(err))


def _safe(path: Path, table: dict[str, Any]) -> SafeShape:
    e = _Entry(path, table, "safe", {"id", "pattern", "unless", "min_len", "max_len", "examples"})
    shape = SafeShape(
        id=e.get("id", str),
        pattern=e.get("pattern", str),
        unless=e.get("unless", str, None),
        min_len=e.get("min_len", int, None),
        max_len=e.get("max_len", int, None),
        examples=e.strings("examples", None),
    )
    _native_check(e, _native.check_safe_shape, shape)
    return shape


_NAMES_LISTS = (
    "given", "surnames", "surname_endings", "titles", "after_titles", "context", "not_names", "company_markers", "place_words",
    "context_fields",
    "examples", "counterexamples",
)


def _names(path: Path, table: dict[str, Any]) -> NamesRule:
    allowed = {"id", "category", "label", "action", "mask", "normalize", "source", *_NAMES_LISTS}
    e = _Entry(path, table, "names", allowed)
    ident = e.get("id", str)
    lists = {key: e.strings(key, None) for key in _NAMES_LISTS}
    if not lists["given"] and not lists["surnames"] and not lists["context"]:
        e.fail("a lexicon needs 'given', 'surnames' or 'context' names")
    for key in ("given", "surnames", "titles", "after_titles", "not_names", "company_markers", "place_words"):
        spaced = [w for w in lists[key] if len(w.split()) != 1]
        if spaced:
            e.fail(f"{key!r} holds {len(spaced)} entries that are not one word (the first: entry {lists[key].index(spaced[0]) + 1})")
    rule = NamesRule(
        id=ident,
        category=e.category(),
        label=e.label(ident),
        action=cast(Action | None, e.get("action", str, None, ACTIONS)),
        mask=e.get("mask", str, "full", MASKS),
        normalize=e.get("normalize", str, "text", NORMALIZERS),
        source=e.get("source", str, ""),
        **lists,
    )
    return rule


def _value(path: Path, table: dict[str, Any], shipped: bool = False) -> ValueRule:
    e = _Entry(path, table, "value", _VALUE_KEYS)
    ident = e.get("id", str)
    pattern = e.get("pattern", str)
    handler = e.get("handler", str, "value", HANDLERS)
    category = e.category(None)
    if category is not None and category not in CATEGORY_NUMBERS:
        e.fail(f"'category' is {category}; expected a number from 1 to 18")
    if handler in ("value",) and category is None:
        e.fail("missing required key 'category'")
    validator_in_context = e.validator("validator_in_context")
    context = e.strings("context", None)
    if validator_in_context and not context:
        e.fail("'validator_in_context' needs 'context' words")
    window = e.get("context_window", int, 40)
    if not 1 <= window <= 200:
        e.fail(f"'context_window' is {window}; expected 1 to 200 characters")
    e.get("starts", str, None)  # written for the earlier engine; not needed
    before = e.get("before", str, None)
    shorter = e.get("shorter", str, None, ("groups",))
    rule = ValueRule(
        id=ident,
        pattern=pattern,
        needs_all=e.strings("needs_all", None),
        before=before,
        not_before=e.get("not_before", str, None),
        not_after=e.get("not_after", str, None),
        not_start=e.get("not_start", str, None),
        shorter=shorter,
        needs=e.strings("needs"),
        handler=handler,
        category=category,
        label=e.label(ident),
        validator=e.validator("validator"),
        validator_in_context=validator_in_context,
        context=context,
        context_required=e.get("context_required", bool, True),
        deny_context=e.strings("deny_context", None),
        context_window=window,
        context_fields=e.strings("context_fields", None),
        deny_fields=e.strings("deny_fields", None),
        min_digits=e.get("min_digits", int, 0),
        action=cast(Action | None, e.get("action", str, None, ACTIONS)),
        mask=e.get("mask", str, "full", MASKS),
        normalize=e.get("normalize", str, "text", NORMALIZERS),
        examples=e.strings("examples", None),
        counterexamples=e.strings("counterexamples", None),
        shipped=shipped,
    )
    if not shipped:  # the shipped rules are compiled with the engine, and tested
        _native_check(e, _native.check_value_rule, rule)
    return rule
