from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.tests.helpers import member_login

pytestmark = pytest.mark.django_db


def at(delta: timedelta):
    return mock.patch("mutua.core.middleware.timezone.now", return_value=timezone.now() + delta)


def test_session_ends_after_15_minutes_of_inactivity(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert settings.SESSION_IDLE_SECONDS == 15 * 60
    with at(timedelta(minutes=14)):
        assert client.get("/portal/").status_code == 200
    with at(timedelta(minutes=14 + 16)):
        response = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/"
    follow = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Your session has expired" in follow.content.decode()
    assert client.get("/portal/").status_code == 302


def test_session_ends_after_its_absolute_lifetime_even_when_active(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    step = timedelta(minutes=10)
    elapsed = timedelta()
    while elapsed + step < timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS):
        elapsed += step
        with at(elapsed):
            assert client.get("/portal/").status_code == 200
    with at(elapsed + step):
        assert client.get("/portal/").status_code == 302


def test_logout_everywhere_ends_other_sessions(client):
    user = MemberUserFactory()
    phone = Client()
    member_login(phone, user.username, PASSWORD)
    member_login(client, user.username, PASSWORD)
    response = client.post("/portal/logout-everywhere/")
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 302
    assert phone.get("/portal/").status_code == 302
    member_login(client, user.username, PASSWORD)  # the account itself still works


def test_logout_needs_post(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert client.get("/portal/").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(client):
    user = MemberUserFactory()
    laptop = Client()
    member_login(laptop, user.username, PASSWORD)
    member_login(client, user.username, PASSWORD)
    new = "Violet-harbour-engine-58"
    response = client.post(
        "/portal/my-details/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200
    assert laptop.get("/portal/").status_code == 302


def test_wrong_password_rechecks_are_counted_over_the_cool_off_period_only():
    from django.core.exceptions import ValidationError

    from mutua.accounts.services import PASSWORD_RECHECK_LIMIT, password_recheck

    user = MemberUserFactory()
    start = timezone.now()

    def wrong_answers(count: int, *, after: timedelta) -> list[str]:
        codes = []
        with mock.patch("django.utils.timezone.now", return_value=start + after):
            for _ in range(count):
                with pytest.raises(ValidationError) as error:
                    password_recheck(user=user, password="wrong")
                codes.append(error.value.code)
        return codes

    assert wrong_answers(PASSWORD_RECHECK_LIMIT - 1, after=timedelta(0)) == ["password"] * (PASSWORD_RECHECK_LIMIT - 1)
    # Once the cool-off period has passed, the earlier wrong answers no longer count.
    later = settings.AXES_COOLOFF_TIME
    assert wrong_answers(PASSWORD_RECHECK_LIMIT, after=later)[-2:] == ["password", "signed_out"]
