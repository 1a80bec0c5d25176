import re
from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail

from mutua.accounts.models import Role, User
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.contracts.tests.factories import MemberFactory
from mutua.core.tests.helpers import link_in_last_email, member_login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Blue-lantern-river-77"


def request_activation(client, captured, **overrides):
    member = overrides.pop("member")
    data = {
        "member_number": member.member_number,
        "birth_date": member.birth_date.isoformat(),
        "email": member.email,
    } | overrides
    with captured(execute=True):
        return client.post("/first-login/", data)


def test_matching_details_send_a_link_that_sets_the_password_once(client, django_capture_on_commit_callbacks):
    member = MemberFactory(member_number="MU0000042")
    response = request_activation(
        client,
        django_capture_on_commit_callbacks,
        member=member,
        member_number="mu 000-0042",
        email=member.email.upper(),
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = link_in_last_email()

    user = User.objects.get(member=member)
    assert user.role == Role.MEMBER and not user.has_usable_password()

    page = client.get(link, follow=True)
    assert page.context["validlink"]
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2$")

    # Single use: the same link no longer opens the form.
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    member_login(client, member.member_number, NEW_PASSWORD)


@pytest.mark.parametrize(
    "change",
    [
        {"member_number": "MU9999999"},  # no such member
        {"birth_date": "1970-01-01"},  # wrong birth date
        {"email": "someone.else@example.org"},  # not the address on file
    ],
)
def test_wrong_details_get_the_same_answer_and_nothing_is_sent(client, django_capture_on_commit_callbacks, change):
    member = MemberFactory()
    genuine = request_activation(client, django_capture_on_commit_callbacks, member=MemberFactory())
    mail.outbox.clear()
    response = request_activation(client, django_capture_on_commit_callbacks, member=member, **change)
    assert response.status_code == genuine.status_code == 200
    assert _without_csrf(response.content) == _without_csrf(genuine.content)
    assert mail.outbox == []
    assert not User.objects.filter(member=member).exists()


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_existing_account_gets_a_reset_link_instead_of_a_second_account(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    request_activation(client, django_capture_on_commit_callbacks, member=user.member)
    assert len(mail.outbox) == 1
    assert "password-reset" in link_in_last_email()
    assert User.objects.filter(member=user.member).count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_activation_link_expires_after_24_hours(client, django_capture_on_commit_callbacks):
    member = MemberFactory()
    request_activation(client, django_capture_on_commit_callbacks, member=member)
    link = link_in_last_email()
    later = PasswordResetTokenGenerator()._now() + timedelta(hours=24, minutes=1)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        page = client.get(link, follow=True)
    assert not page.context["validlink"]
    assert "no longer works" in page.content.decode() or "ne fonctionne plus" in page.content.decode()


def test_weak_password_is_refused_with_a_message(client, django_capture_on_commit_callbacks):
    member = MemberFactory()
    request_activation(client, django_capture_on_commit_callbacks, member=member)
    page = client.get(link_in_last_email(), follow=True)
    set_url = page.redirect_chain[-1][0]
    for weak in ("short-1A", "password1234"):
        response = client.post(set_url, {"new_password1": weak, "new_password2": weak}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not User.objects.get(member=member).has_usable_password()


def test_birth_date_in_bad_format_gets_a_field_error(client):
    member = MemberFactory(birth_date=date(1990, 1, 1))
    response = client.post(
        "/first-login/", {"member_number": member.member_number, "birth_date": "31/02/1990", "email": member.email}
    )
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors


def test_links_use_the_configured_site_address_not_the_host_header(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mutua.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/first-login/",
            {"member_number": member.member_number, "birth_date": member.birth_date.isoformat(), "email": member.email},
            HTTP_HOST="evil.example",
        )
    assert link_in_last_email().startswith("https://mutua.example.org/first-login/")
