"""The suite-wide rule: in CI, a test skipped because something is missing fails."""

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

SAMPLE = """
import pytest

def test_needs_a_tool():
    pytest.skip("MISSING: /usr/bin/sometool")

def test_not_for_this_database():
    pytest.skip("runs on PostgreSQL only")
"""


@pytest.mark.parametrize(("ci", "expected"), [("true", {"failed": 1, "skipped": 1}), ("", {"skipped": 2})])
def test_missing_tool_skips_locally_and_fails_in_ci(pytester, monkeypatch, ci, expected):
    monkeypatch.setenv("CI", ci)
    pytester.makeconftest(ROOT_CONFTEST.read_text())
    pytester.makepyfile(SAMPLE)
    result = pytester.runpytest_inprocess("-p", "no:django", "-p", "no:cacheprovider")
    result.assert_outcomes(**expected)
