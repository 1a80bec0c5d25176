"""Suite-wide test rules.

A test that cannot run because a service or system tool is missing skips with a reason
starting with ``MISSING:``. On a developer's machine that is a skip; in CI (``CI=true``)
it is a failure, so a green CI run really ran everything.
"""

import os
from datetime import UTC, datetime

import pytest
import time_machine

MISSING_PREFIX = "MISSING:"
# The day the suite's dates were written against: care in 2026, the 2026 legal parameters, the two-year
# limitation period. Every test runs on a clock that starts then and ticks, so that none starts failing
# as the calendar moves on; a test that needs another day travels there itself.
SUITE_TODAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _the_suites_today(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if request.node.get_closest_marker("browser"):
        yield  # the journeys drive a server in its own process, on the real clock, with dates made from it
        return
    with time_machine.travel(SUITE_TODAY, tick=True):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if MISSING_PREFIX in reason:
            report.outcome = "failed"
            report.longrepr = f"In CI nothing may be missing: {reason}"
