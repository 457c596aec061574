"""The native redaction of a stdlib record (``Redactor.redact_stdlib_record``)
against the Python code it stands for (``pii_tagger.integrations.stdlib._redact_record``):
the same records, the same fields after, in the same order."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from pii_tagger import Hasher, Redactor
# The Python reference and the set of non-extra fields are the module's own (private): what the native call is compared with.
from pii_tagger.integrations import stdlib
from pii_tagger.policy import Policy
from planted import CODE, EMAIL, IBAN, PHONE, SECRET

HASHER = Hasher({"t1": "a-test-key-that-is-long-enough"})
REDACTORS = {"plain": Redactor(hasher=HASHER), "summary": Redactor(hasher=HASHER, summary=True)}


class Obj:
    """An argument that is not plain: rendered by ``str()``."""

    def __str__(self) -> str:
        return f"obj of {EMAIL}"


class Clean:
    def __str__(self) -> str:
        return "a clean object"


def _record(msg: Any, args: Any = (), **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("svc.native", logging.INFO, __file__, 7, msg, args, None)
    record.__dict__.update(extra)
    return record


class Key(str):
    """A key of the record's dict whose equality is its own type's."""


def _with_keys(keys: dict[Any, Any], msg: str = "again %s", args: Any = (EMAIL,)) -> logging.LogRecord:
    """A record whose dict gets ``keys`` as they are (not interned, of other types)."""
    record = _record(msg, args)
    for key, value in keys.items():
        record.__dict__[key] = value
    return record


# (name, builder of the record): each is built twice, once for each path.
CASES: list[tuple[str, Callable[[], logging.LogRecord]]] = [
    ("clean, no args", lambda: _record("request finished")),
    ("clean args", lambda: _record("request finished in %d ms, status %s", (12, "ok"))),
    ("e-mail in a %s", lambda: _record("payment from %s to %s", (EMAIL, IBAN))),
    ("e-mail in the template", lambda: _record(f"payment from {EMAIL}")),
    ("number args kept", lambda: _record("%s - \"%s %s\" %d", ("10.0.0.1:5000", "GET", f"/c/{CODE}?e={EMAIL}", 200))),
    ("found by context, cut", lambda: _record("%s %s tālr. %s %d", ("a", "b", "29123456", 200))),
    ("no certain cut", lambda: _record("%s%s tālr. %d", ("a", "b", 29123456))),
    ("a number arg redacted", lambda: _record("tālr. %d", (29123456,))),
    ("float and flags", lambda: _record("amount %5.2f for %-10s %%done", (3.14159, EMAIL))),
    ("%r conversions", lambda: _record("[parameters: (%r, %r)]", (CODE, EMAIL))),
    ("a template with a *", lambda: _record("%*d %s", (5, 1, EMAIL))),
    ("%.f without digits", lambda: _record("%.f of %s", (2.5, EMAIL))),
    ("a %% beside a width", lambda: _record("%%5d %5d %s", (7, EMAIL))),
    ("adjacent conversions", lambda: _record("%s%s", (EMAIL, "x"))),
    ("a conversion at the end", lambda: _record("to %s", (EMAIL,))),
    ("a conversion at the start", lambda: _record("%s wrote", (EMAIL,))),
    ("the template text redacted", lambda: _record(f"{EMAIL} %s", ("x",))),
    ("bool and None args", lambda: _record("%s %s %s", (True, None, EMAIL))),
    ("an object arg", lambda: _record("value %s", (Obj(),))),
    ("an object arg, clean", lambda: _record("value %s", (Clean(),))),
    ("a str subclass arg", lambda: _record("value %s", (type("S", (str,), {})(EMAIL),))),
    ("extras", lambda: _record("contact", phone=PHONE, customer={"personas_kods": CODE}, password=SECRET, raw=CODE.encode(), n=3)),
    ("an extra named by its key", lambda: _record("x", **{f"email {EMAIL}": "value"})),
    ("exc_text and stack_info", lambda: _record("failed", exc_text=f"ValueError: bad {CODE}", stack_info=f"Stack: {EMAIL}")),
    ("a formatter ran before", lambda: _record("from %s", (EMAIL,), message=f"from {EMAIL}")),
    ("earlier tags", lambda: _record("again %s", (EMAIL,), pii_categories=[2, 14])),
    ("earlier tags and summary", lambda: _record(
        "again", pii_categories=[2], pii_redactions=[{"path": "message", "rule": "email", "category": 2, "action": "mask", "count": 1}])),
    ("forged tags", lambda: _record("x", pii_categories="all", pii_redactions=[{"path": EMAIL}])),
    ("structlog's fields", lambda: _record("x", _logger=None, _name="info", _from_structlog=True, _record=None)),
    ("a lone surrogate", lambda: _record("file %s of %s", ("caf\udce9", EMAIL))),
    ("a long message", lambda: _record("rows: %s", (", ".join(f"{i}:{EMAIL}" for i in range(200)),))),
    # Keys the native call cannot know by address: a tag name built at run
    # time (equal, not the same string), a str subclass, an int key.
    ("earlier tags under a built name", lambda: _with_keys({"".join(["pii_", "categories"]): [2, 14], "".join(["ib", "an"]): IBAN})),
    ("a str subclass key", lambda: _with_keys({Key("note"): f"mail {EMAIL}", Key("pii_categories"): [14]})),
    ("an int key", lambda: _with_keys({7: f"mail {EMAIL}"})),
    ("an object extra", lambda: _record("x", note=Obj(), phone=PHONE)),
    ("only dropped extras", lambda: _record("login", password=SECRET, token=SECRET)),
]
NATIVE = {"clean, no args", "clean args", "e-mail in a %s", "extras", "an object arg", "earlier tags and summary", "a formatter ran before",
          "earlier tags under a built name", "a str subclass key", "an int key", "an object extra", "only dropped extras"}
PYTHON = {"a lone surrogate"}


def _fields(record: logging.LogRecord) -> list[tuple[Any, Any]]:
    fields = vars(record)
    return [(key, fields[key]) for key in fields if key not in ("created", "msecs", "relativeCreated")]


@pytest.mark.parametrize("kind", sorted(REDACTORS))
@pytest.mark.parametrize(("name", "build"), CASES, ids=[name for name, _ in CASES])
def test_native_record_equals_the_python_one(name: str, build: Callable[[], logging.LogRecord], kind: str) -> None:
    redactor = REDACTORS[kind]
    native, python = build(), build()
    done = redactor.redact_stdlib_record(native, stdlib._NOT_EXTRA)
    stdlib._redact_record(python, redactor)
    if name in NATIVE:
        assert done
    if name in PYTHON:
        assert not done
    if not done:
        stdlib._redact_record(native, redactor)
    assert _fields(native) == _fields(python)
    for value in (EMAIL, CODE, SECRET, IBAN):
        assert value not in native.getMessage()


@pytest.mark.parametrize("build", [
    lambda: _record("x %s", ("a", "b")),  # not all arguments converted
    lambda: _record("x %(a)s", ("a",)),  # a mapping key with a tuple
    lambda: _record("x %d", ("a",)),
    lambda: _record("%-% of %s", (EMAIL,)),
    lambda: _record("%٣d %s", (1, EMAIL)),
])
def test_a_message_that_cannot_be_formatted_raises_the_same(build: Callable[[], logging.LogRecord]) -> None:
    """(The filter then fails closed.)"""
    redactor = REDACTORS["plain"]
    with pytest.raises((TypeError, ValueError)) as native:
        redactor.redact_stdlib_record(build(), stdlib._NOT_EXTRA)
    with pytest.raises((TypeError, ValueError)) as python:
        stdlib._redact_record(build(), redactor)
    assert (type(native.value), str(native.value)) == (type(python.value), str(python.value))


def test_records_left_to_python() -> None:
    """Records the native call leaves as they were: a subclass, a message that
    is not a str, arguments that are not a tuple, a pending exception, and
    every record when the policy audits (``redact`` then alerts)."""
    class Sub(logging.LogRecord):
        pass

    try:
        raise ValueError(CODE)
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    left = [
        Sub("a", logging.INFO, __file__, 1, f"x {EMAIL}", (), None),
        _record({"event": EMAIL}),
        _record(Obj()),
        _record("%(e)s", ({"e": EMAIL},)),
        logging.LogRecord("a", logging.ERROR, __file__, 1, f"x {EMAIL}", (), exc_info),
    ]
    redactor = REDACTORS["plain"]
    for record in left:
        before = dict(vars(record))
        assert not redactor.redact_stdlib_record(record, stdlib._NOT_EXTRA)
        assert vars(record) == before
    audited = Redactor(Policy(mode="audit"), hasher=HASHER, alerts=None)
    record = _record("x %s", (EMAIL,))
    assert not audited.redact_stdlib_record(record, stdlib._NOT_EXTRA)
    assert record.getMessage() == f"x {EMAIL}"
