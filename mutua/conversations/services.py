"""What the member writes to their management unit: a new conversation (a message or a complaint), a reply, the
step to the quality cell after an unsatisfying answer to a complaint, and the read receipts of the unit's messages.

Each checks everything first (the text and every file, the subject, the topic, that a linked claim, quote or
guarantee is the household's own, the member's allowance), then writes in one transaction: a refusal writes
nothing. The unit is told that something waits, never what it says: the e-mail names the reference only."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.benefits.models import Claim
from mutua.contracts.models import Member
from mutua.conversations.deadlines import complaint_deadlines
from mutua.conversations.messages import message_checked, message_write
from mutua.conversations.models import Conversation, Message
from mutua.conversations.selectors import ComplaintStep, complaint_step
from mutua.core.ids import MAX_ID
from mutua.core.quotas import quota_take
from mutua.core.workflow import status_change
from mutua.guarantees.models import Guarantee
from mutua.notifications.services import notification_send
from mutua.quotes.models import Quote

# Enough for any real need, too few to flood the unit's inbox from a stolen session.
CONVERSATIONS_PER_HOUR = 5
MESSAGES_PER_HOUR = 20
SUBJECT_MAX = 150
STARTED_KINDS = frozenset({Conversation.Kind.MESSAGE, Conversation.Kind.COMPLAINT})
UNIT_TEMPLATE = "conversations/email/unit_new_message"
QUALITY_CELL_TEMPLATE = "conversations/email/quality_cell"


def _linked(model: type, *, member: Member, object_id: int | None, refusal: str, code: str) -> Any:
    """The household's own object, or a refusal worded alike whether it does not exist or is another's."""
    if object_id is None:
        return None
    found = model.objects.filter(member=member, pk=object_id).first() if 0 < object_id <= MAX_ID else None
    if found is None:
        raise ValidationError(refusal, code=code)
    return found


def _links(
    *, member: Member, claim_id: int | None, quote_id: int | None, guarantee_id: int | None
) -> tuple[dict[str, Any], list[ValidationError]]:
    links, problems = {}, []
    for name, model, object_id, refusal in (
        ("claim", Claim, claim_id, _("We cannot find this claim among yours.")),
        ("quote", Quote, quote_id, _("We cannot find this quote among yours.")),
        ("guarantee", Guarantee, guarantee_id, _("We cannot find this hospital guarantee among yours.")),
    ):
        try:
            links[name] = _linked(model, member=member, object_id=object_id, refusal=refusal, code=f"unknown_{name}")
        except ValidationError as error:
            problems.append(error)
    return links, problems


def _allowance_take(*, member: Member, what: str, limit: int) -> None:
    if not quota_take(key=f"conversation-{what}:{member.pk}", limit=limit, seconds=3600):
        raise ValidationError(
            _(
                "You have sent many messages in the last hour. Please wait a little before writing again, "
                "or call your management unit if it is urgent."
            ),
            code="quota",
        )


def _unit_told(*, conversation: Conversation) -> None:
    """The management unit's address gets the reference and nothing else (no subject, no health detail)."""
    unit = conversation.member.management_unit
    notification_send(
        to=unit.email,
        template=UNIT_TEMPLATE,
        context={"reference": conversation.reference, "complaint": conversation.kind == Conversation.Kind.COMPLAINT},
        language=settings.LANGUAGE_CODE,
        link=_inbox_link(conversation),
    )


def _inbox_link(conversation: Conversation) -> str:
    return reverse("backoffice:conversation", args=[conversation.pk])


def conversation_start(
    *,
    member: Member,
    by: User,
    kind: str,
    topic: str,
    subject: str,
    text: str,
    uploads: Sequence[UploadedFile] = (),
    claim_id: int | None = None,
    quote_id: int | None = None,
    guarantee_id: int | None = None,
    medical: bool = False,
    language: str,
) -> Conversation:
    """A new message or complaint of the household to its management unit, optionally about one of its claims,
    quotes or hospital guarantees. A complaint is received today: its deadlines run from today."""
    problems = []
    subject = (subject or "").strip()
    if not subject:
        problems.append(ValidationError(_("Give your message a subject."), code="subject"))
    elif len(subject) > SUBJECT_MAX:
        problems.append(
            ValidationError(
                _("The subject is %(length)s characters long: the limit is %(limit)s."),
                params={"length": len(subject), "limit": SUBJECT_MAX},
                code="subject",
            )
        )
    if kind not in STARTED_KINDS:
        problems.append(ValidationError(_("Say whether this is a message or a complaint."), code="kind"))
    if topic not in Conversation.Topic.values:
        problems.append(ValidationError(_("Choose what your message is about."), code="topic"))
    links, refused = _links(member=member, claim_id=claim_id, quote_id=quote_id, guarantee_id=guarantee_id)
    problems += refused
    try:
        text, files = message_checked(text=text, uploads=list(uploads))
    except ValidationError as error:
        problems += error.error_list
    if problems:  # one problem alone keeps its code for the app
        raise problems[0] if len(problems) == 1 else ValidationError(problems)
    _allowance_take(member=member, what="start", limit=CONVERSATIONS_PER_HOUR)

    received = timezone.localdate()
    deadlines = complaint_deadlines(received) if kind == Conversation.Kind.COMPLAINT else None
    with transaction.atomic():
        conversation = Conversation.objects.create(
            member=member,
            kind=kind,
            topic=topic,
            subject=subject,
            medical=medical,
            language=language,
            acknowledge_by=deadlines.acknowledge_by if deadlines else None,
            answer_by=deadlines.answer_by if deadlines else None,
            answer_legal_by=deadlines.answer_by if deadlines else None,
            **links,
        )
        message_write(conversation=conversation, by=by, text=text, files=files, from_member=True)
        _unit_told(conversation=conversation)
    return conversation


def member_reply(*, conversation: Conversation, by: User, text: str, uploads: Sequence[UploadedFile] = ()) -> Message:
    """The member writes again; an answered or closed conversation opens again, waiting for the unit."""
    text, files = message_checked(text=text, uploads=list(uploads))
    _allowance_take(member=conversation.member, what="message", limit=MESSAGES_PER_HOUR)
    with transaction.atomic():
        message = message_write(conversation=conversation, by=by, text=text, files=files, from_member=True)
        _reopen(conversation=conversation, by=by, reason=_("the member wrote again"))
        _unit_told(conversation=conversation)
    return message


def _reopen(*, conversation: Conversation, by: User, reason: str) -> None:
    """``reason`` in the writer's language, as every history row of Mutua (``guarantees``, ``handling``)."""
    if conversation.status != Conversation.Status.OPEN:
        status_change(
            instance=conversation,
            workflow=Conversation.WORKFLOW,
            to_status=Conversation.Status.OPEN,
            by=by,
            reason=reason,
        )
        conversation.status = Conversation.Status.OPEN


def complaint_quality_cell(*, conversation: Conversation, by: User, text: str) -> Message:
    """The member is not satisfied with the answer to their complaint and takes it to the quality cell (seed 001:
    "Si vous n'êtes pas satisfait de la réponse apportée, vous avez la possibilité d'adresser une demande à la
    cellule réclamation").

    Our reading: the request to the quality cell is a complaint received that day, so it gets the same
    deadlines again from that day, in the quality cell's round (``conversations.rounds``): the unit's round keeps
    its own deadlines and times, which the weekly report still counts; the quality cell's answer is what opens the
    last step, the insurer's mediator. Checked again on the locked row: a double submit sends it once."""
    text, files = message_checked(text=text, uploads=[])
    _quality_cell_require(conversation)
    _allowance_take(member=conversation.member, what="message", limit=MESSAGES_PER_HOUR)
    deadlines = complaint_deadlines(timezone.localdate())
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        _quality_cell_require(conversation)
        message = message_write(conversation=conversation, by=by, text=text, files=files, from_member=True)
        conversation.quality_cell_at = timezone.now()
        conversation.qc_acknowledge_by = deadlines.acknowledge_by
        conversation.qc_answer_by = conversation.qc_answer_legal_by = deadlines.answer_by
        conversation.deadline_alerted_at = None
        conversation.save(
            update_fields=[
                "quality_cell_at",
                "qc_acknowledge_by",
                "qc_answer_by",
                "qc_answer_legal_by",
                "deadline_alerted_at",
            ]
        )
        _reopen(conversation=conversation, by=by, reason=_("sent to the quality cell by the member"))
        if settings.COMPLAINTS_QUALITY_EMAIL:
            notification_send(
                to=settings.COMPLAINTS_QUALITY_EMAIL,
                template=QUALITY_CELL_TEMPLATE,
                context={"reference": conversation.reference},
                language=settings.LANGUAGE_CODE,
                link=_inbox_link(conversation),
            )
    return message


def _quality_cell_require(conversation: Conversation) -> None:
    if (
        conversation.kind != Conversation.Kind.COMPLAINT
        or complaint_step(conversation) != ComplaintStep.QUALITY_CELL_OPEN
    ):
        raise ValidationError(
            _("This step opens once your complaint has been answered, and only once."), code="not_available"
        )


def unit_messages_mark_read(*, conversation: Conversation) -> int:
    """The member opened the conversation: the unit's messages are read (their read receipt, for the unit)."""
    return Message.objects.filter(
        conversation=conversation, from_member=False, internal=False, read_at__isnull=True
    ).update(read_at=timezone.now())
