"""What a handler does on a conversation's page: reply in the member's language (the member told by a notification
with no content), acknowledge and answer a complaint, move its answer date with the reason, assign, close."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.claims.tests.helpers import receipt
from mutua.conversations import handling
from mutua.conversations.models import CannedAnswer, Conversation
from mutua.conversations.services import conversation_start
from mutua.core.selectors import status_history
from mutua.core.tests.helpers import staff_login
from mutua.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


RECEIVED = "2026-03-02 10:00"  # a Monday: acknowledge by 13 March, answer by 2 May


def start(user, **changes):
    arguments = {
        "member": user.member,
        "by": user,
        "kind": "complaint",
        "topic": "claim",
        "subject": "Remboursement refusé",
        "text": "Je conteste le refus.",
        "language": "es",
    } | changes
    with time_machine.travel(RECEIVED, tick=False):
        return conversation_start(**arguments)


@pytest.fixture
def handler():
    return StaffUserFactory(role=Role.CLAIMS_HANDLER)


def test_a_reply_answers_the_member_in_their_language_with_no_content_in_the_email(
    client, handler, django_capture_on_commit_callbacks
):
    user = MemberUserFactory()
    conversation = start(user, kind="message")
    mail.outbox.clear()
    staff_login(client, handler, PASSWORD)
    page = client.get(f"/backoffice/conversations/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Answer in Spanish" in page.content.decode()
    assert conversation.messages.get().read_at is not None  # the member's message is marked read by the unit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/backoffice/conversations/{conversation.pk}/",
            {"text": "Su reembolso sale mañana.", "attachments": [receipt("decompte.pdf")]},
        )
    assert response.status_code == 302
    conversation.refresh_from_db()
    reply = conversation.messages.get(from_member=False)
    assert (reply.author, reply.internal, conversation.status) == (handler, False, "answered")
    assert [d.original_name for d in reply.attachments.all()] == ["decompte.pdf"]
    assert [(h.from_status, h.to_status, h.changed_by) for h in status_history(instance=conversation)] == [
        ("open", "answered", handler)
    ]
    notification = Notification.objects.get(member=user.member)
    assert notification.language == "es" and notification.link == f"/portal/messages/{conversation.pk}/"
    (email,) = mail.outbox
    assert email.to == [user.member.email]
    assert "Su reembolso" not in email.body and "Su reembolso" not in email.alternatives[0][0]
    assert email.subject == notification.subject


def test_a_complaint_is_acknowledged_then_answered_by_the_replies_that_say_so(handler):
    conversation = start(MemberUserFactory())
    with time_machine.travel("2026-03-05 09:00", tick=False):
        handling.staff_reply(conversation=conversation, by=handler, text="Acuse de recibo.", acknowledges=True)
    with time_machine.travel("2026-03-20 09:00", tick=False):
        handling.staff_reply(conversation=conversation, by=handler, text="Una pregunta más.")
        handling.staff_reply(conversation=conversation, by=handler, text="Nuestra respuesta.", answers=True)
        handling.staff_reply(conversation=conversation, by=handler, text="Otra respuesta.", answers=True)
    conversation.refresh_from_db()
    assert conversation.acknowledged_at.date() == date(2026, 3, 5)
    assert conversation.answered_at.date() == date(2026, 3, 20)  # the first answering reply, not the last
    reasons = [h.reason for h in status_history(instance=conversation)]
    assert reasons == ["complaint acknowledged", "complaint answered"]


def test_an_answer_acknowledges_too_and_only_a_complaint_is_acknowledged(handler):
    conversation = start(MemberUserFactory())
    handling.staff_reply(conversation=conversation, by=handler, text="Respuesta.", answers=True)
    conversation.refresh_from_db()
    assert conversation.acknowledged_at == conversation.answered_at is not None
    message = start(MemberUserFactory(), kind="message")
    with pytest.raises(ValidationError, match="Only a complaint"):
        handling.staff_reply(conversation=message, by=handler, text="Hola.", acknowledges=True)
    assert not message.messages.filter(from_member=False).exists()


def test_a_closed_conversation_takes_no_reply_and_an_unanswered_complaint_does_not_close(handler):
    complaint = start(MemberUserFactory())
    with pytest.raises(ValidationError, match="Answer the complaint before closing it"):
        handling.conversation_close(conversation=complaint, by=handler)
    message = start(MemberUserFactory(), kind="message")
    handling.conversation_close(conversation=message, by=handler, reason="Done")
    with pytest.raises(ValidationError, match="closed"):
        handling.staff_reply(conversation=message, by=handler, text="Hola.")
    assert message.messages.count() == 1


@time_machine.travel("2026-04-01 10:00", tick=False)
def test_more_time_to_answer_is_told_to_the_member_with_the_new_date_and_why(client, handler):
    user = MemberUserFactory()
    conversation = start(user, language="fr")
    with pytest.raises(ValidationError) as refused:
        handling.complaint_answer_extend(conversation=conversation, by=handler, new_date=date(2026, 5, 1), reason="")
    assert refused.value.messages == [
        "Choose a date after the current deadline (02/05/2026).",
        "Say why the answer takes longer: the member is told.",
    ]
    staff_login(client, handler, PASSWORD)
    response = client.post(
        f"/backoffice/conversations/{conversation.pk}/extend/",
        {"new_date": "2026-06-15", "reason": "Nous attendons l'avis du médecin-conseil."},
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.answer_by, conversation.answer_legal_by) == (date(2026, 6, 15), date(2026, 5, 2))
    assert conversation.answer_extended_because == "Nous attendons l'avis du médecin-conseil."
    told = conversation.messages.get(from_member=False)
    assert not told.internal and "15 juin 2026" in told.text and "médecin-conseil" in told.text
    assert Notification.objects.filter(member=user.member).count() == 1
    (trace,) = status_history(instance=conversation)
    assert trace.changed_by == handler and "2026-05-02" in trace.reason and "2026-06-15" in trace.reason


def test_a_deadline_that_has_passed_is_not_moved(handler):
    conversation = start(MemberUserFactory(), language="fr")  # to answer by Saturday 2 May 2026
    with time_machine.travel("2026-05-02 18:00", tick=False):  # the day itself: still in time to tell the member
        handling.complaint_answer_extend(conversation=conversation, by=handler, new_date=date(2026, 5, 20), reason="A")
    with time_machine.travel("2026-05-21 09:00", tick=False), pytest.raises(ValidationError) as refused:
        handling.complaint_answer_extend(conversation=conversation, by=handler, new_date=date(2026, 6, 30), reason="B")
    assert refused.value.messages == ["The answer was due on 20/05/2026: a deadline that has passed cannot be moved."]
    conversation.refresh_from_db()
    assert (conversation.answer_by, conversation.answer_legal_by) == (date(2026, 5, 20), date(2026, 5, 2))
    assert conversation.answer_extended_because == "A"


def test_assignment_is_traced_and_only_to_someone_who_may_read_it(client, handler):
    colleague = StaffUserFactory(role=Role.ADMINISTRATOR)
    conversation = start(MemberUserFactory(), kind="message")
    staff_login(client, handler, PASSWORD)
    client.post(f"/backoffice/conversations/{conversation.pk}/assign/", {"to": colleague.pk}, HTTP_ACCEPT_LANGUAGE="en")
    conversation.refresh_from_db()
    assert conversation.assigned_to == colleague
    assert [h.reason for h in status_history(instance=conversation)] == [f"assigned to {colleague.username}"]
    finance = StaffUserFactory(role=Role.FINANCE)
    response = client.post(f"/backoffice/conversations/{conversation.pk}/assign/", {"to": finance.pk})
    assert response.status_code == 422
    medical = start(MemberUserFactory(), kind="message", medical=True)
    with translation.override("en"), pytest.raises(ValidationError, match="may not handle"):
        handling.conversation_assign(conversation=medical, to=handler, by=StaffUserFactory(role=Role.MEDICAL_ADVISOR))


def test_a_canned_answer_in_the_members_language_fills_the_reply_without_script(client, handler):
    conversation = start(MemberUserFactory(), kind="message")
    spanish = CannedAnswer.objects.create(title="Plazo", language="es", text="Le contestamos en 48 horas.")
    CannedAnswer.objects.create(title="Délai", language="fr", text="Nous vous répondons sous 48 heures.")
    staff_login(client, handler, PASSWORD)
    page = client.get(f"/backoffice/conversations/{conversation.pk}/", {"canned": spanish.pk})
    body = page.content.decode()
    assert "Le contestamos en 48 horas.</textarea>" in body
    assert "Délai" not in body  # only the member's language is offered


def test_bad_input_is_refused_whole_on_the_page(client, handler):
    conversation = start(MemberUserFactory(), kind="message")
    staff_login(client, handler, PASSWORD)
    files = [receipt(f"f{n}.pdf", salt=str(n)) for n in range(6)] + [SimpleUploadedFile("x.exe", b"MZ\x90\x00")]
    response = client.post(
        f"/backoffice/conversations/{conversation.pk}/",
        {"text": "Hola", "attachments": files},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "Attach at most 5 files" in response.content.decode()
    assert not conversation.messages.filter(from_member=False).exists()
    assert Conversation.objects.get().status == "open"
