"""Administrators keep the canned answers the unit's staff start a reply from: a page of the back office to list,
add, change and delete them (the same rules in Django's admin), each change audited; nobody else may."""

import pytest
from auditlog.models import LogEntry
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, StaffUserFactory
from mutua.conversations.inbox import canned_answers_for
from mutua.conversations.models import CannedAnswer
from mutua.core.tests.helpers import staff_login
from mutua.demo.canned import DEMO_CANNED_ANSWERS, demo_canned_answers_load

pytestmark = pytest.mark.django_db
LIST = "/backoffice/conversations/canned/"


@pytest.fixture
def administrator(client):
    user = StaffUserFactory(role=Role.ADMINISTRATOR)
    staff_login(client, user, PASSWORD)
    return user


def test_an_administrator_adds_changes_and_deletes_a_canned_answer(client, administrator):
    assert (
        "Canned answers" in client.get("/backoffice/conversations/", headers={"Accept-Language": "en"}).content.decode()
    )
    response = client.post(
        f"{LIST}new/", {"title": " Accusé de réception ", "language": "fr", "text": "Nous avons bien reçu…"}
    )
    assert response.status_code == 302
    answer = CannedAnswer.objects.get()
    assert (answer.title, answer.language) == ("Accusé de réception", "fr")
    assert "Accusé de réception" in client.get(LIST).content.decode()

    response = client.post(
        f"{LIST}{answer.pk}/", {"title": "Accusé de réception", "language": "fr", "text": "Bien reçu."}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Bien reçu."
    assert LogEntry.objects.get_for_object(answer).count() == 2  # added, changed: audited

    assert client.post(f"{LIST}{answer.pk}/delete/").status_code == 302
    assert not CannedAnswer.objects.exists()
    assert client.post(f"{LIST}{answer.pk}/delete/").status_code == 404


def test_the_problems_are_said_in_the_administrators_language(client, administrator):
    CannedAnswer.objects.create(title="Pièce manquante", language="fr", text="Il nous manque…")
    french = {"Accept-Language": "fr"}
    response = client.post(f"{LIST}new/", {"title": "pièce manquante", "language": "fr", "text": "  "}, headers=french)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page  # the text is blank
    response = client.post(f"{LIST}new/", {"title": "pièce manquante", "language": "fr", "text": "x"}, headers=french)
    assert response.status_code == 422
    assert "Une réponse avec ce titre existe déjà dans cette langue." in response.content.decode()
    assert CannedAnswer.objects.count() == 1


@pytest.mark.parametrize("role", [Role.CLAIMS_HANDLER, Role.MEDICAL_ADVISOR, Role.FINANCE])
def test_only_an_administrator_keeps_them(role):
    answer = CannedAnswer.objects.create(title="Pièce manquante", language="fr", text="Il nous manque…")
    client = Client()
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    assert client.get(LIST).status_code == 403
    assert client.post(f"{LIST}{answer.pk}/", {"title": "x", "language": "fr", "text": "y"}).status_code == 403
    assert client.post(f"{LIST}{answer.pk}/delete/").status_code == 403
    assert CannedAnswer.objects.get().title == "Pièce manquante"


def test_djangos_admin_keeps_them_too_with_the_same_rules(client, administrator):
    CannedAnswer.objects.create(title="Pièce manquante", language="fr", text="Il nous manque…")
    assert client.get("/backoffice/admin/conversations/cannedanswer/").status_code == 200
    response = client.post(
        "/backoffice/admin/conversations/cannedanswer/add/",
        {"title": "Pièce manquante", "language": "fr", "text": "Encore"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200 and "An answer with this title already exists" in response.content.decode()
    response = client.post(
        "/backoffice/admin/conversations/cannedanswer/add/",
        {"title": "Missing document", "language": "en", "text": "We"},
    )
    assert response.status_code == 302
    assert CannedAnswer.objects.count() == 2


def test_the_demo_brings_ready_answers_in_each_language_once():
    demo_canned_answers_load()
    demo_canned_answers_load()
    assert CannedAnswer.objects.count() == len(DEMO_CANNED_ANSWERS)
    english = set(canned_answers_for(language="en").values_list("title", flat=True))
    assert {"Acknowledgement of your complaint", "We need a document"} <= english
    assert canned_answers_for(language="fr").filter(title="Nous avons besoin d’un document").exists()
