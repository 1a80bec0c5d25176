from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.tests.helpers import link_in_last_email, member_login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Orange-kettle-harbour-31"


def ask_reset(client, captured, member_number):
    with captured(execute=True):
        return client.post("/password-reset/", {"member_number": member_number})


def choose_password(client, link, password):
    page = client.get(link, follow=True)
    assert page.context["validlink"]
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_reset_link_sets_a_new_password_and_ends_every_session(client, django_capture_on_commit_callbacks):
    from django.test import Client

    user = MemberUserFactory()
    other_device = Client()
    member_login(other_device, user.username, PASSWORD)
    assert other_device.get("/portal/").status_code == 200

    ask_reset(client, django_capture_on_commit_callbacks, user.username)
    assert mail.outbox[-1].to == [user.member.email]
    link = link_in_last_email()
    assert choose_password(client, link, NEW_PASSWORD).status_code == 302

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The other device was signed out by the reset.
    assert other_device.get("/portal/").status_code == 302
    # And the link is single use.
    assert not client.get(link, follow=True).context["validlink"]


def test_unknown_member_number_gets_the_same_answer_and_no_email(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    known = ask_reset(client, django_capture_on_commit_callbacks, user.username)
    mail.outbox.clear()
    unknown = ask_reset(client, django_capture_on_commit_callbacks, "MU7777777")
    assert unknown.status_code == known.status_code == 200
    assert unknown.templates[0].name == known.templates[0].name == "accounts/link_sent.html"
    assert mail.outbox == []


def test_reset_link_expires(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    ask_reset(client, django_capture_on_commit_callbacks, user.username)
    link = link_in_last_email()
    later = PasswordResetTokenGenerator()._now() + timedelta(days=1, seconds=1)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        assert not client.get(link, follow=True).context["validlink"]


def test_activation_link_cannot_be_used_as_a_reset_link(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    ask_reset(client, django_capture_on_commit_callbacks, user.username)
    reset_link = link_in_last_email()
    as_activation = reset_link.replace("/password-reset/", "/first-login/")
    assert not client.get(as_activation, follow=True).context["validlink"]


def test_a_member_mailbox_cannot_be_flooded(client, django_capture_on_commit_callbacks, settings):
    user = MemberUserFactory()
    for _ in range(settings.ACCOUNT_EMAILS_PER_HOUR + 2):
        response = ask_reset(client, django_capture_on_commit_callbacks, user.username)
        assert response.templates[0].name == "accounts/link_sent.html"
    assert len(mail.outbox) == settings.ACCOUNT_EMAILS_PER_HOUR
