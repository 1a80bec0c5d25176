"""The language someone picks is the one they keep: across login, and in the e-mails they get."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from mutua.accounts.models import User
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory

pytestmark = pytest.mark.django_db


def _pick_language(client: Client, language: str) -> None:
    client.post("/language/", {"language": language, "next": "/"})


def test_the_language_chosen_before_login_survives_login_and_becomes_the_members():
    user = MemberUserFactory(language="fr", member__preferred_language="fr")
    client = Client()
    _pick_language(client, "en")
    response = client.post("/", {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/portal/"
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert '<html lang="en"' in response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en" and user.member.preferred_language == "en"


def test_without_a_choice_the_accounts_language_is_used():
    user = MemberUserFactory(language="en", member__preferred_language="en")
    client = Client()
    response = client.post("/", {"username": user.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/portal/").wsgi_request.LANGUAGE_CODE == "en"


def test_an_english_speaking_member_is_written_to_in_english_whatever_the_page(django_capture_on_commit_callbacks):
    user = MemberUserFactory(language="fr", member__preferred_language="fr")
    chooser = Client()
    _pick_language(chooser, "en")
    chooser.post("/", {"username": user.username, "password": PASSWORD})
    # Later, from another browser showing French pages.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/password-reset/", {"member_number": user.username}, HTTP_ACCEPT_LANGUAGE="fr")
    assert User.objects.get(pk=user.pk).language == "en"
    assert mail.outbox[-1].subject == "Choose a new Mutua password"
    assert '<html lang="en"' in mail.outbox[-1].alternatives[0][0]
