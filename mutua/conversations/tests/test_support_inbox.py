"""The "I still can't log in" requests are in the unit's one inbox: handled there, answered by e-mail (the sender
has no space to read a reply in), and the support inbox's old requests moved into it."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, StaffUserFactory
from mutua.claims.tests.helpers import receipt
from mutua.conversations import handling
from mutua.conversations.models import Conversation
from mutua.core.selectors import status_history
from mutua.core.tests.helpers import staff_login
from mutua.support.services import contact_request_create


def contact() -> Conversation:
    return contact_request_create(
        name="Karim Benali",
        email="karim@example.org",
        message="Je n'ai jamais reçu le lien.",
        language="fr",
        sender_address="192.0.2.1",
        member_number_given="MU1000002",
    )


@pytest.mark.django_db
def test_a_sign_in_help_request_is_handled_in_the_inbox_and_its_reply_is_emailed_as_written(
    client, django_capture_on_commit_callbacks
):
    request = contact()
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, handler, PASSWORD)
    rows = client.get("/backoffice/conversations/").context["page"].object_list
    assert [row.conversation for row in rows] == [request]
    page = client.get(f"/backoffice/conversations/{request.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Karim Benali" in page and "MU1000002" in page and "Je n&#x27;ai jamais reçu le lien." in page
    assert "which nobody has checked" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/backoffice/conversations/{request.pk}/", {"text": "Nous vous avons renvoyé le lien."})
    (email,) = mail.outbox
    assert email.to == ["karim@example.org"] and "Nous vous avons renvoyé le lien." in email.body
    with translation.override("en"), pytest.raises(ValidationError, match="without attachments"):
        handling.staff_reply(conversation=request, by=handler, text="Voici", uploads=[receipt()])
    handling.conversation_close(conversation=request, by=handler)
    request.refresh_from_db()
    assert request.status == "closed"


@pytest.mark.django_db(transaction=True)
def test_the_support_inbox_requests_move_into_the_one_inbox_with_their_history():
    executor = MigrationExecutor(connection)
    old_apps = executor.migrate([("support", "0001_initial")]).apps
    ContactRequest = old_apps.get_model("support", "ContactRequest")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    StatusChange = old_apps.get_model("core", "StatusChange")
    handled = ContactRequest.objects.create(
        name="Ana", email="ana@example.org", message="Bloquée", language="es", status="closed", phone="0102"
    )
    ContactRequest.objects.filter(pk=handled.pk).update(created_at=datetime(2026, 10, 1, 8, tzinfo=UTC))
    ContactRequest.objects.create(name="Bo", email="bo@example.org", message="Aide", language="fr")
    request_type, _ = ContentType.objects.get_or_create(app_label="support", model="contactrequest")
    StatusChange.objects.create(
        content_type=request_type, object_id=str(handled.pk), from_status="new", to_status="closed", reason="Rappelée"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = {c.contact_name: c for c in Conversation.objects.filter(kind="contact")}
    assert set(moved) == {"Ana", "Bo"}
    ana = moved["Ana"]
    assert (ana.status, ana.language, ana.contact_email, ana.contact_phone) == (
        "closed",
        "es",
        "ana@example.org",
        "0102",
    )
    assert ana.created_at == datetime(2026, 10, 1, 8, tzinfo=UTC)
    assert [(m.text, m.from_member, m.author) for m in ana.messages.all()] == [("Bloquée", False, None)]
    assert [(h.from_status, h.to_status, h.reason) for h in status_history(instance=ana)] == [
        ("open", "closed", "Rappelée")
    ]
    assert moved["Bo"].status == "open" and moved["Bo"].messages.get().text == "Aide"
