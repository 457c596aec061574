"""The pytest plugin, run on a service's own test suite (pytester)."""

from __future__ import annotations

import pytest

SERVICE_TESTS = '''
import json, logging, sys
import pytest
import structlog

log = logging.getLogger("shop")

def test_logs_an_email():
    log.warning("order confirmed for anna.ozola@inbox.lv")

def test_prints_a_json_line_with_a_code():
    print(json.dumps({"event": "lookup", "customer": {"personal_code": "161175-19997"}}))

def test_structlog_to_stdout():
    structlog.configure(processors=[structlog.processors.JSONRenderer()],
                        logger_factory=structlog.PrintLoggerFactory(sys.stdout))
    structlog.get_logger().info("paid", iban="LV80BANK0000435195001")
    structlog.reset_defaults()

def test_masked_output_is_fine():
    log.warning("order confirmed for [REDACTED:email]")
    print(json.dumps({"event": "paid", "iban": "[REDACTED:iban:..5001]", "trace_id": "2e7abed5658ef30d856980bb0977e471"}))

@pytest.mark.pii_guard(False)
def test_exempted():
    print("call +371 21 234 567")

def test_already_failing():
    print("call +371 21 " + "234 567")  # split: pytest shows this source line in the traceback
    assert False
'''


def test_inactive_unless_asked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SERVICE_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=1)


def test_fails_leaking_tests_and_never_shows_the_value(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SERVICE_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "--pii-guard")
    result.assert_outcomes(passed=2, failed=4)
    out = result.stdout.str()
    assert "Captured log call, line 1: category 2, rule email, at message" in out
    assert "Captured stdout call, line 1: category 1, rule personal_code, at customer.personal_code" in out
    assert "Captured stdout call, line 1: category 11, rule bank_account, at iban" in out
    assert "FAILED test_fails_leaking_tests_and_never_shows_the_value.py::test_already_failing" in out
    # pytest shows the captured output of failing tests: redacted, like our report lines
    for value in ("anna.ozola@inbox.lv", "161175-19997", "LV80BANK0000435195001", "21 234 567"):
        assert value not in out, value


def test_marker_and_ini_and_sections(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SERVICE_TESTS)
    pytester.makeini("[pytest]\npii_guard = true\npii_guard_sections = stdout\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=3)  # the log-only leak passes: "log" is not checked

    pytester.makeini("[pytest]\npii_guard_sections = stdout bogus\n")
    bad = pytester.runpytest("-p", "no:cacheprovider")
    assert "pii_guard_sections: unknown section(s) ['bogus']" in bad.stderr.str()


def test_one_marked_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile('''
import pytest

@pytest.mark.pii_guard
def test_marked():
    print("IBAN LV80BANK0000435195001")

def test_not_marked():
    print("IBAN LV80BANK0000435195001")
''')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)


def test_captured_output_shown_for_failures_is_redacted_and_setup_is_checked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile('''
import pytest

@pytest.fixture
def customer():
    print("fixture loaded customer 161175-19997")
    return 1

def test_uses_fixture(customer):
    print("paid from LV80BANK0000435195001")
''')
    result = pytester.runpytest("-p", "no:cacheprovider", "--pii-guard")
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert "Captured stdout setup, line 1: category 1, rule personal_code_lv" in out
    assert "161175-19997" not in out and "LV80BANK0000435195001" not in out
    assert "fixture loaded customer [HASH:" in out
