"""Helpers for tests that sign people in and read the e-mails they get."""

import re
import time

from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import User
from mutua.core.tests.totp import PINNED_STEP, next_code, pinned_state

LINK_RE = re.compile(r"https?://\S+/(?:first-login|password-reset)/\S+/\S+/")


def totp_now(user: User) -> str:
    """A code the user's device accepts when the test submits it, however slow the run (see totp.py)."""
    device = TOTPDevice.objects.get(user=user)
    if device.step != PINNED_STEP:
        TOTPDevice.objects.filter(pk=device.pk).update(**pinned_state(now=time.time()))
        device.refresh_from_db()
    return next_code(key=device.key, digits=device.digits, drift=device.drift, last_t=device.last_t)


def staff_login(client: Client, user: User, password: str) -> None:
    response = client.post(
        "/backoffice/login/", {"username": user.username, "password": password, "otp_token": totp_now(user)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def link_in_last_email() -> str:
    match = LINK_RE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def member_login(client: Client, member_number: str, password: str) -> None:
    response = client.post("/", {"username": member_number, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
