"""TOTP codes for tests, accepted however slow the run: no test depends on the 30-second window.

A device accepts the code of its current 30-second step or of the step either side, and each step
once only. "The code now" therefore fails when a slow run crosses two step boundaries before the
code is checked, or when one person signs in twice within a step (the browser journeys share the
demo's handler).

So a test pins the device before its first code: its step becomes the longest the device can store
(about 9 hours), with now in the middle of step 0, and its count of steps used starts again. The
code of the step after the last one accepted is then always within the device's tolerance (the
device moves its drift onto each code it accepts), whenever the test submits it, and is accepted
once, as any code. The device still checks a real TOTP code: the HMAC of its secret and the step.

``helpers.totp_now`` pins a device of the test database; ``EmbeddedServer.totp_code``
(tests/browser/conftest.py) one of the server that the browser journeys drive.
"""

from django_otp.oath import hotp

PINNED_STEP = 32767  # seconds: the largest value of the device's step field


def pinned_state(*, now: float) -> dict[str, int]:
    """The device's fields once pinned: now in the middle of step 0, no step used yet."""
    return {"step": PINNED_STEP, "t0": int(now) - PINNED_STEP // 2, "drift": 0, "last_t": -1}


def next_code(*, key: str, digits: int, drift: int, last_t: int) -> str:
    """The code of the first step a pinned device has not accepted yet; ``key`` in hex, as django-otp stores it.

    Its clock reads step 0 for hours, so its current step is its drift.
    """
    return f"{hotp(bytes.fromhex(key), max(drift, last_t + 1), digits=digits):0{digits}d}"
