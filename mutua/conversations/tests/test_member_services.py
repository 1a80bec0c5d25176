"""What the member writes to the management unit: checked first, written whole or not at all, in the household."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.claims.services import claim_create
from mutua.claims.tests.helpers import receipt
from mutua.conversations import services
from mutua.conversations.models import Conversation, Message
from mutua.core.models import StatusChange
from mutua.documents.models import Document
from mutua.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are read in English, whichever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def user():
    return MemberUserFactory()


def start(user, **changes):
    arguments = {
        "member": user.member,
        "by": user,
        "kind": "message",
        "topic": "contract",
        "subject": "Nouvelle adresse",
        "text": "J'ai déménagé au 3 rue des Lilas.",
        "language": "fr",
    } | changes
    return services.conversation_start(**arguments)


def refusal(call, **arguments):
    with pytest.raises(ValidationError) as caught:
        call(**arguments)
    return caught.value.messages


def nothing_written():
    return not Conversation.objects.exists() and not Message.objects.exists() and not Document.objects.exists()


def test_a_message_is_written_with_its_files_and_the_unit_is_told_only_the_reference(user):
    conversation = start(user, uploads=[receipt("bail.pdf")], medical=True)
    message = conversation.messages.get()
    assert (message.from_member, message.internal, message.author) == (True, False, user)
    assert [d.original_name for d in message.attachments.all()] == ["bail.pdf"]
    assert message.attachments.get().kind == Document.Kind.MEDICAL  # a medical conversation's files are medical
    assert conversation.last_message_at == message.created_at
    notification = Notification.objects.get()
    assert notification.to == user.member.management_unit.email and notification.member is None
    assert conversation.reference in notification.subject
    assert "Nouvelle adresse" not in notification.subject + notification.body  # no content in the e-mail
    assert "Lilas" not in notification.subject + notification.body


def test_bad_input_is_refused_with_every_problem_and_writes_nothing(user, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    problems = refusal(
        start,
        user=user,
        subject="",
        topic="weather",
        text="  ",
        uploads=[receipt(f"f{n}.pdf", salt=str(n)) for n in range(6)],
    )
    assert "Give your message a subject." in problems
    assert "Choose what your message is about." in problems
    assert "Write your message." in problems
    assert any("at most 5 files" in problem for problem in problems)
    assert any(problem.startswith("f0.pdf: ") for problem in problems)  # too large, named
    assert nothing_written() and not Notification.objects.exists()


def test_a_subject_of_151_characters_is_refused(user):
    assert refusal(start, user=user, subject="x" * 151) == ["The subject is 151 characters long: the limit is 150."]
    assert nothing_written()


def test_another_households_claim_is_refused_exactly_like_an_unknown_one(user):
    own = claim_create(member=user.member, beneficiary=None, name="Lunettes")
    other = claim_create(member=MemberUserFactory().member, beneficiary=None, name="Dentiste")
    foreign = refusal(start, user=user, claim_id=other.pk)
    unknown = refusal(start, user=user, claim_id=other.pk + 1000)
    assert foreign == unknown == ["We cannot find this claim among yours."]
    assert refusal(start, user=user, quote_id=1) == ["We cannot find this quote among yours."]
    assert refusal(start, user=user, guarantee_id=2**70) == ["We cannot find this hospital guarantee among yours."]
    assert nothing_written()
    assert start(user, claim_id=own.pk, topic="claim").claim == own


@time_machine.travel(datetime(2026, 4, 30, 9, tzinfo=UTC), tick=False)
def test_a_complaint_gets_its_deadlines_from_the_day_it_is_received(user):
    complaint = start(user, kind="complaint")
    # 10 days but Sundays after Thursday 30 April 2026 (1 May, 8 May and Ascension on 14 May are holidays,
    # Saturdays count); 2 months.
    assert (complaint.acknowledge_by, complaint.answer_by) == (date(2026, 5, 15), date(2026, 6, 30))
    assert (
        Notification.objects.get().subject == f"Une réclamation {complaint.reference} attend"
    )  # the unit reads French
    assert start(user).acknowledge_by is None  # a plain message has no deadlines


def test_only_a_message_or_a_complaint_can_be_started(user):
    assert refusal(start, user=user, kind="review") == ["Say whether this is a message or a complaint."]


def test_new_conversations_and_messages_are_limited_per_member(user):
    for n in range(services.CONVERSATIONS_PER_HOUR):
        start(user, subject=f"Question {n}")
    assert refusal(start, user=user)[0].startswith("You have sent many messages in the last hour.")
    assert Conversation.objects.count() == services.CONVERSATIONS_PER_HOUR
    other = MemberUserFactory()
    assert start(other).member == other.member  # the allowance is each member's

    conversation = Conversation.objects.filter(member=user.member).first()
    for _n in range(services.MESSAGES_PER_HOUR):
        services.member_reply(conversation=conversation, by=user, text="Encore moi")
    with pytest.raises(ValidationError, match="many messages"):
        services.member_reply(conversation=conversation, by=user, text="Encore moi")
    assert conversation.messages.count() == 1 + services.MESSAGES_PER_HOUR


def test_a_refused_input_does_not_use_the_allowance(user):
    for _n in range(services.CONVERSATIONS_PER_HOUR + 2):
        with pytest.raises(ValidationError):
            start(user, text="")
    assert start(user).pk


def answered(conversation, when=None):
    """The unit answers (as the back office does), a complaint's answer dated."""
    Message.objects.create(conversation=conversation, from_member=False, text="Voici notre réponse.")
    fields = {"status": Conversation.Status.ANSWERED}
    if conversation.kind == Conversation.Kind.COMPLAINT:
        fields["answered_at"] = when or timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(**fields)
    conversation.refresh_from_db()
    return conversation


def test_a_reply_reopens_an_answered_conversation_with_its_history(user):
    conversation = answered(start(user))
    with translation.override("fr"):  # the history is written in the writer's language, as every history row
        services.member_reply(conversation=conversation, by=user, text="Merci, mais…", uploads=[receipt()])
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN
    change = StatusChange.objects.get(object_id=str(conversation.pk))
    assert (change.from_status, change.to_status, change.changed_by) == ("answered", "open", user)
    assert change.reason == "l’adhérent a écrit à nouveau"
    assert Notification.objects.count() == 2  # the unit is told again


def test_a_bad_reply_writes_nothing_and_leaves_the_status(user):
    conversation = answered(start(user))
    assert refusal(services.member_reply, conversation=conversation, by=user, text="") == ["Write your message."]
    with pytest.raises(ValidationError):
        services.member_reply(
            conversation=conversation, by=user, text="ok", uploads=[SimpleUploadedFile("x.exe", b"MZ" + b"0" * 200)]
        )
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.ANSWERED and conversation.messages.count() == 2


def test_the_quality_cell_opens_once_a_complaint_is_answered_and_sets_new_deadlines(user, settings):
    settings.COMPLAINTS_QUALITY_EMAIL = "qualite@example.org"
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        complaint = start(user, kind="complaint")
        with pytest.raises(ValidationError, match="once your complaint has been answered"):
            services.complaint_quality_cell(conversation=complaint, by=user, text="Pas satisfait")
        with pytest.raises(ValidationError):  # a plain message has no quality cell
            services.complaint_quality_cell(conversation=answered(start(user)), by=user, text="Pas satisfait")
        answered(complaint)
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=UTC), tick=False):
        assert refusal(services.complaint_quality_cell, conversation=complaint, by=user, text="") == [
            "Write your message."
        ]
        services.complaint_quality_cell(conversation=complaint, by=user, text="La réponse ne répond pas.")
    complaint.refresh_from_db()
    assert complaint.status == Conversation.Status.OPEN
    assert complaint.quality_cell_at == datetime(2026, 4, 1, 9, tzinfo=UTC)
    assert (complaint.qc_acknowledge_by, complaint.qc_answer_by) == (date(2026, 4, 14), date(2026, 6, 1))
    assert complaint.qc_answered_at is None and complaint.qc_acknowledged_at is None
    # The unit's round is kept as it was: the weekly report still counts it.
    assert (complaint.acknowledge_by, complaint.answer_by) == (date(2026, 3, 13), date(2026, 5, 2))
    assert complaint.answered_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    told = Notification.objects.get(to="qualite@example.org")
    assert complaint.reference in told.subject and "répond" not in told.body
    with pytest.raises(ValidationError):  # only once
        services.complaint_quality_cell(conversation=answered(complaint), by=user, text="Encore")


def test_opening_a_conversation_marks_only_the_units_messages_read(user):
    conversation = start(user)
    answer = Message.objects.create(conversation=conversation, from_member=False, text="Réponse")
    note = Message.objects.create(conversation=conversation, from_member=False, internal=True, text="Note")
    assert services.unit_messages_mark_read(conversation=conversation) == 1
    answer.refresh_from_db()
    note.refresh_from_db()
    assert answer.read_at is not None and note.read_at is None
    assert conversation.messages.get(from_member=True).read_at is None  # the member's own: the unit's to read


def test_a_double_submit_to_the_quality_cell_sends_it_once(user, settings):
    settings.COMPLAINTS_QUALITY_EMAIL = "qualite@example.org"
    complaint = answered(start(user, kind="complaint"))
    services.complaint_quality_cell(conversation=complaint, by=user, text="Pas satisfait.")
    with pytest.raises(ValidationError):  # the same page sent twice: the step is read again on the locked row
        services.complaint_quality_cell(conversation=complaint, by=user, text="Pas satisfait.")
    assert complaint.messages.filter(from_member=True, text="Pas satisfait.").count() == 1
    assert Notification.objects.filter(to="qualite@example.org").count() == 1
