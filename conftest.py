"""Suite-wide test rules.

A test that cannot run because a service or system tool is missing skips with a reason
starting with ``MISSING:``. On a developer's machine that is a skip; in CI (``CI=true``)
it is a failure, so a green CI run really ran everything.
"""

import os

import pytest

MISSING_PREFIX = "MISSING:"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if MISSING_PREFIX in reason:
            report.outcome = "failed"
            report.longrepr = f"In CI nothing may be missing: {reason}"
