"""The tests' TOTP codes are accepted however slow the run, and each once only (core/tests/totp.py).

The device is checked with its clock set by the test: a late check stands for a slow machine.
"""

import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django_otp.plugins.otp_totp import models as otp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.tests.factories import PASSWORD, StaffUserFactory
from mutua.core.tests.helpers import totp_now

pytestmark = pytest.mark.django_db


def checked_at(monkeypatch, moment: float) -> None:
    monkeypatch.setattr(otp_models, "time", SimpleNamespace(time=lambda: moment))


def verified(user, code: str) -> bool:
    return TOTPDevice.objects.get(user=user).verify_token(code)


@pytest.mark.parametrize("seconds_later", [0, 61, 600, 4 * 3600])
def test_a_code_is_accepted_however_late_it_is_checked(monkeypatch, seconds_later):
    staff = StaffUserFactory()
    code, asked_at = totp_now(staff), time.time()
    checked_at(monkeypatch, asked_at + seconds_later)
    assert verified(staff, code)


def test_one_person_signs_in_again_at_once_and_each_code_is_accepted_once(monkeypatch):
    staff = StaffUserFactory()
    checked_at(monkeypatch, time.time())
    first = totp_now(staff)
    assert verified(staff, first)
    assert not verified(staff, first)  # a code is never accepted twice
    TOTPDevice.objects.get(user=staff).throttle_reset()  # django-otp makes the next try wait after a refusal
    for _ in range(5):
        assert verified(staff, totp_now(staff))


def test_the_back_office_login_takes_the_code_twice_in_a_row():
    staff = StaffUserFactory()
    for _ in range(2):
        response = Client().post(
            "/backoffice/login/", {"username": staff.username, "password": PASSWORD, "otp_token": totp_now(staff)}
        )
        assert response.status_code == 302
