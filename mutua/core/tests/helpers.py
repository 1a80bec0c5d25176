"""Helpers for tests that sign people in and read the e-mails they get."""

import re
import time

from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import User

LINK_RE = re.compile(r"https?://\S+/(?:first-login|password-reset)/\S+/\S+/")


def totp_now(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


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
