"""User rule files: additions and overrides, and errors that say where and what."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_tagger import Hasher, Redactor, RuleFileError, load_rules

HASHER = Hasher({"t1": "a-test-key-that-is-long-enough"})


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_add_override_and_disable(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[category]]
number = 2
name_lv = "Personas kontaktinformācija"
name_en = "Personal contact information"
default_action = "hash"

[[field]]
id = "loyalty_card"
category = 4
kind = "identity"
action = "mask"
terms = ["loyalty card", "lojalitātes karte"]

[[value]]
id = "client_number"
category = 4
action = "mask"
starts = "K"
needs = ["digit"]
pattern = '''\\bKL-\\d{6}\\b'''
examples = ["KL-123456"]

[[value]]
id = "ipv4"
enabled = false
""")
    r = Redactor(rule_files=[path], hasher=HASHER, raise_errors=True)
    out = r.redact({"lojalitātesKarte": "7788", "event": "client KL-123456 from 93.177.12.4 at anna@example.lv"})
    assert out["lojalitātesKarte"] == "[REDACTED:loyalty_card]"
    assert out["event"].startswith("client [REDACTED:client_number] from 93.177.12.4 at [HASH:t1:")
    assert out["pii_categories"] == [2, 4]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[field]]\nid = 'x'\ncategory = 2\nkind = 'contact'\nterms = ['a']\ncolour = 'red'\n", "unknown key(s) ['colour']"),
        ("[[field]]\nid = 'x'\ncategory = 19\nkind = 'contact'\nterms = ['a']\n", "'category' is 19"),
        ("[[field]]\nid = 'x'\ncategory = 2\nkind = 'contact'\nterms = ['a']\naction = 'shred'\n", "'action' is 'shred'"),
        ("[[field]]\nid = 'x'\ncategory = 2\nkind = 'contact'\n", "missing required key 'terms'"),
        ("[[field]]\nid = 'x'\ncategory = '2'\nkind = 'contact'\nterms = ['a']\n", "'category' must be int"),
        ("[[value]]\nid = 'v'\ncategory = 2\nstarts = 'a'\nneeds = ['a']\npattern = 'a(b'\n", "'pattern' does not compile"),
        ("[[value]]\nid = 'v'\ncategory = 2\nstarts = 'a'\nneeds = ['a']\npattern = 'a(b)'\n", "capturing groups"),
        ("[[value]]\nid = 'v'\ncategory = 2\nstarts = 'a'\nneeds = ['a']\npattern = 'ab'\nvalidator = 'nope'\n", "unknown validator 'nope'"),
        ("[[value]]\nid = 'email'\nenabled = false\n[[value]]\nid = 'email'\n", "defined twice"),
        ("[[value]]\nid = 'nothing_here'\nenabled = false\n", "names no existing rule"),
        ("[[rule]]\nid = 'x'\n", "unknown section(s) ['rule']"),
        ("[[field]\nid = 'x'\n", "not valid TOML"),
        ("[[context]]\nid = 'c'\ncategory = 3\napplies_to = ['martians']\nterms = ['a']\n", "unknown kind(s) ['martians']"),
        ("[[field]]\nid = 'x'\ncategory = 2\nkind = 'contact'\nterms = ['a']\nlabel = 'my label'\n", "'label' is 'my label'"),
        ("[[value]]\nid = 'v'\ncategory = 2\nneeds = ['a']\npattern = 'ab'\ncontext_fields = ['to']\n", "'context_fields' needs 'context' words"),
        ("[[value]]\nid = 'v'\ncategory = 2\nneeds = ['a']\npattern = 'ab'\ndeny_fields = ['--']\n", "'deny_fields' holds \"--\""),
        ("[[value]]\nid = 'v'\ncategory = 2\nneeds = ['a']\npattern = 'ab'\ndeny_fields = 'version'\n", "'deny_fields' must be list"),
        ("[[field]]\nid = 'x'\ncategory = 2\nkind = 'contact'\nterms = ['a']\ncounts = 'yes'\n", "'counts' must be bool"),
    ],
)
def test_malformed_file_names_file_rule_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RuleFileError) as info:
        load_rules([path])
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="cannot read the rule file"):
        load_rules([tmp_path / "absent.toml"])


def test_catalogue_must_be_complete(tmp_path: Path) -> None:
    path = _write(tmp_path, "[[category]]\nnumber = 1\nname_lv = 'a'\nname_en = 'b'\ndefault_action = 'mask'\n")
    with pytest.raises(RuleFileError, match="lacks categories"):
        load_rules([path], defaults=False)


def test_only_untouched_shipped_value_rules_count_as_shipped(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[value]]
id = "ipv4"
enabled = false

[[value]]
id = "email"
label = "mail"

[[value]]
id = "mine"
category = 4
starts = "K"
needs = ["K"]
pattern = '''KL-\\\\d{6}'''
""")
    rules = {r.id: r for r in load_rules([path]).values}
    assert "ipv4" not in rules
    assert not rules["mine"].shipped and not rules["email"].shipped
    assert rules["iban"].shipped


def test_a_user_need_with_a_superscript_digit_is_not_taken_for_a_digit(tmp_path: Path) -> None:
    path = _write(tmp_path, """
[[value]]
id = "area_note"
category = 4
label = "area"
starts = 'm'
needs = ["m²"]
pattern = '''m² [a-z]+'''
""")
    redactor = Redactor(rule_files=[path], hasher=HASHER)
    assert redactor.redact_text("platība m² dzīvoklim") == ("platība m² dzīvoklim", [4])  # no digit 0-9 in the text


def test_json_inside_strings_is_parsed_whatever_the_value_rules(tmp_path: Path) -> None:
    """Field names inside JSON in a string are read even when no value rule
    left needs a ':' (so no JSON text counts as unclean any more)."""
    path = _write(tmp_path, "".join(f'[[value]]\nid = "{rule}"\nenabled = false\n\n' for rule in ("key_value", "ipv6", "cookie_header")))
    r = Redactor(rule_files=[path], hasher=HASHER, raise_errors=True)
    for _ in range(6):  # the fields stop learning their shapes
        r.redact({"note": "a note", "url": "/a/path"})
    text = '{"first_name": "Anna"}'
    for event in ({"note": text}, {"note": [text]}, {"url": text}):
        out, found = r.inspect(event)
        assert "Anna" not in str(out) and 1 in out["pii_categories"], event
        assert [f.value for f in found if f.value] == ["Anna"]
        assert r.may_carry(event)
