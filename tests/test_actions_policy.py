"""Mask, hash, drop, keep; the policy's order of precedence; hash keys."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pii_tagger import Hasher, HashKeyError, Policy, PolicyError, Redactor, actions


class TestMask:
    def test_partial_masks_keep_only_a_short_tail(self, redactor: Redactor) -> None:
        out = redactor.redact({"iban": "LV80BANK0000435195001", "phone": "+371 21 234 567", "card_number": "4111111111111111"})
        assert out["iban"] == "[REDACTED:iban:..5001]"
        assert out["phone"] == "[REDACTED:phone:..67]"
        assert out["card_number"] == "[REDACTED:card:..1111]"

    def test_short_values_are_masked_whole(self, redactor: Redactor) -> None:
        assert redactor.redact({"phone": "12345"})["phone"] == "[REDACTED:phone]"

    def test_ip_mask_keeps_the_network_only(self, redactor: Redactor) -> None:
        out = redactor.redact({"client_ip": "93.177.12.4", "ip": "2001:db8:85a3::8a2e:370:7334"})
        assert out["client_ip"] == "[REDACTED:ip:93.177.x.x]"
        assert out["ip"] == "[REDACTED:ip:2001:0db8::x]"


class TestHash:
    def test_token_carries_the_key_id_and_is_keyed(self) -> None:
        a = Hasher({"k1": "first-key-0123456789"}).token("161175-19997")
        b = Hasher({"k2": "other-key-0123456789"}).token("161175-19997")
        assert a.startswith("[HASH:k1:") and b.startswith("[HASH:k2:")
        assert a.split(":")[2] != b.split(":")[2]

    def test_a_value_with_nothing_to_hash_is_masked_and_noted_as_masked(self, summary_redactor: Redactor) -> None:
        """A portal user's phone (category 5) is hashed; one without digits cannot be, and its note says so."""
        hashed = summary_redactor.redact({"user": {"phone": "+37126123456"}})
        assert hashed["user"]["phone"].startswith("[HASH:t1:")
        assert [(n["path"], n["action"]) for n in hashed["pii_redactions"]] == [("user.phone", "hash")]
        masked = summary_redactor.redact({"user": {"phone": "nav norādīts"}})
        assert masked["user"]["phone"] == "[REDACTED:phone]"
        assert [(n["path"], n["action"]) for n in masked["pii_redactions"]] == [("user.phone", "mask")]
        assert summary_redactor.redact(masked) == masked  # redacting twice equals once: the mask stays a mask

    def test_one_value_written_two_ways_gives_one_token(self, redactor: Redactor) -> None:
        a = redactor.redact({"personal_code": "161175-19997"})["personal_code"]
        b, _ = redactor.redact_text("pk 16117519997")
        assert b == f"pk {a}"
        e1 = redactor.redact({"user_email": "Anna@Example.LV"})["user_email"]
        e2 = redactor.redact({"user_email": "anna@example.lv"})["user_email"]
        assert e1 == e2

    def test_token_is_hmac_sha256_of_the_normalised_value(self) -> None:
        import hashlib
        import hmac

        expected = hmac.new(b"first-key-0123456789", b"pii_tagger/v1\x00" + "jānis".encode(), hashlib.sha256).hexdigest()
        assert Hasher({"k1": "first-key-0123456789"}).token("jānis") == f"[HASH:k1:{expected[:20]}]"

    @pytest.mark.parametrize("size", [16, 63, 64, 65, 200])
    def test_tokens_and_fingerprints_equal_hmac_for_any_key_length(self, size: int) -> None:
        import hashlib
        import hmac

        key = bytes(range(size))
        hasher = Hasher({"k": key})
        for value in ["", "jānis bērziņš", "x" * 500]:
            token = hmac.new(key, b"pii_tagger/v1\x00" + value.encode(), hashlib.sha256).hexdigest()
            assert hasher.token(value) == f"[HASH:k:{token[:20]}]"
            fingerprint = hmac.new(key, b"pii_tagger/fingerprint/v1\x00" + " ".join(value.split()).encode(), hashlib.sha256)
            assert hasher.fingerprint(value) == f"fp:k:{fingerprint.hexdigest()[:16]}"

    def test_rotation_keeps_old_keys_for_lookup(self) -> None:
        hasher = Hasher.from_env({"PII_TAGGER_HASH_KEY": "k2:new-secret-0123456789,k1:old-secret-0123456789"})
        tokens = hasher.tokens("x")
        assert hasher.key_id == "k2" and list(tokens) == ["k2", "k1"]
        assert hasher.token("x") == tokens["k2"]

    def test_no_key_gives_one_random_key_per_process_and_one_warning(
        self, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The per-process key is module state that nothing public resets (a process never needs to): as in a new process.
        monkeypatch.setattr(actions, "_ephemeral", None)
        monkeypatch.delenv("PII_TAGGER_HASH_KEY", raising=False)
        with caplog.at_level(logging.WARNING, "pii_tagger"):
            a, b = Hasher.from_env({}), Hasher.from_env({})
            first, second = Redactor(), Redactor()
        assert a is b is first.hasher is second.hasher and a.key_id.startswith("tmp")
        assert first.redact({"personal_code": "161175-19997"}) == second.redact({"personal_code": "161175-19997"})
        assert len([r for r in caplog.records if "no hash key" in r.getMessage()]) == 1
        monkeypatch.setattr(actions, "_ephemeral", None)  # as above
        assert Hasher.from_env({}).token("x") != a.token("x")  # another process, another key

    @pytest.mark.parametrize(
        ("spec", "problem"),
        [("k1", "entry 1 has no ':' between an id and a secret"), ("k1:short", "at least 16"),
         ("bad id!:0123456789abcdefgh", "hash key 1: its id .* is not 1-16"), (":0123456789abcdefgh", "entry 1 has no key id"),
         ("k1:", "entry 1 has no secret"), ("k1:0123456789abcdefgh,,k2:0123456789abcdefgh", "entry 2 is empty"),
         ("k1:0123456789abcdefgh,k1:zyxwvutsrqponmlk", "entries 1 and 2 have the same key id 'k1'"),
         ("0123456789abcdefghij:klmnopqrstuvwxyz", "its id \\(20 characters, not shown\\)")],
    )
    def test_bad_key_configuration_names_the_problem_not_the_key(self, spec: str, problem: str) -> None:
        with pytest.raises(HashKeyError, match=problem) as info:
            Hasher.from_env({"PII_TAGGER_HASH_KEY": spec})
        for part in spec.split(","):
            key_id, _, secret = part.partition(":")
            assert not secret or secret not in str(info.value)
            if len(key_id) > 16 or "!" in key_id:  # an id that is none may be a secret put first: not shown
                assert key_id not in str(info.value)

    @pytest.mark.parametrize("secret", [16, None, 3.5, ["0123456789abcdef"]])
    def test_a_secret_of_another_type_is_refused(self, secret: Any) -> None:
        """bytes(16) is sixteen zero bytes: an int was taken as a key anyone can guess."""
        with pytest.raises(HashKeyError, match=f"hash key 'k' is a {type(secret).__name__}; give the secret as str or bytes"):
            Hasher({"k": secret})

    def test_keys_of_another_shape_are_refused(self) -> None:
        with pytest.raises(HashKeyError, match="a mapping of key id to secret, not a list"):
            Hasher([("k", "0123456789abcdefgh")])  # type: ignore[arg-type]
        with pytest.raises(HashKeyError, match="hash key 1: its id is a int"):
            Hasher({1: "0123456789abcdefgh"})  # type: ignore[dict-item]


class TestPolicy:
    def test_category_override(self, hasher: Hasher) -> None:
        r = Redactor(Policy(actions={1: "mask"}), hasher=hasher, raise_errors=True)
        assert r.redact({"personal_code": "161175-19997"})["personal_code"] == "[REDACTED:personal_code]"

    def test_rule_override_beats_category(self, hasher: Hasher) -> None:
        r = Redactor(Policy(actions={2: "hash"}, rule_actions={"email": "keep"}), hasher=hasher, raise_errors=True)
        out = r.redact({"email": "anna@example.lv", "phone": "+371 21 234 567"})
        assert out["email"] == "anna@example.lv"
        assert out["phone"].startswith("[HASH:")
        assert out["pii_categories"] == [2]

    def test_secrets_are_never_hashed(self, hasher: Hasher) -> None:
        r = Redactor(Policy(actions={16: "hash"}), hasher=hasher, raise_errors=True)
        out = r.redact({"password": "hunter2", "event": "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"})
        assert "password" not in out
        assert out["event"] == "token [REDACTED:token]"

    def test_keep_tags_without_changing(self, hasher: Hasher) -> None:
        r = Redactor(Policy(actions={2: "keep"}), hasher=hasher, raise_errors=True)
        out = r.redact({"event": "write to anna@example.lv"})
        assert out == {"event": "write to anna@example.lv", "pii_categories": [2]}

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"actions": {19: "mask"}}, "category 19 does not exist"),
            ({"actions": {1: "shred"}}, "unknown action 'shred'"),
            ({"rule_actions": {"email": "burn"}}, "unknown action 'burn'"),
        ],
    )
    def test_bad_policy(self, kwargs: dict[str, object], message: str) -> None:
        with pytest.raises(PolicyError, match=message):
            Policy(**kwargs)  # type: ignore[arg-type]

    def test_policy_naming_an_unknown_rule(self, hasher: Hasher) -> None:
        with pytest.raises(PolicyError, match="unknown rule"):
            Redactor(Policy(rule_actions={"no_such_rule": "mask"}), hasher=hasher)


def test_drop_removes_the_field_and_tags_it(redactor: Redactor) -> None:
    out = redactor.redact({"event": "login", "password": "hunter2", "token": None})
    assert out == {"event": "login", "pii_categories": [14, 16]}  # 14: the event names a login


_ASSIGNED = st.characters(exclude_categories=("Cn", "Cs"))  # assigned in this Python's Unicode, no lone surrogates


@settings(max_examples=500, deadline=None)
@given(st.text(_ASSIGNED) | st.text(st.characters(max_codepoint=127)))
def test_native_normalisers_equal_their_python_definitions(value: str) -> None:
    """The Rust normalisers are what the tokens always hashed: Python's own
    NFKC + casefold, isalnum + upper, strip + lower."""
    assert actions.normalize("text", value) == " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    assert actions.normalize("compact", value) == "".join(ch for ch in value if ch.isalnum() and ch != "_").upper()
    assert actions.normalize("email", value) == value.strip().lower()
