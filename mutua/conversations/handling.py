"""What the management unit's staff do with a conversation: reply (in the member's language), write an internal
note, extend a complaint's answer deadline, assign, close. Each checks the role first (a medical conversation is for
the medical advisor alone) and leaves a trace in the conversation's history.

The member is told by a notification that says only that a message is waiting: the text stays in their space.
Someone who cannot sign in (a sign-in help request) has no space: their reply is e-mailed as written."""

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.conversations.inbox import staff_may_handle
from mutua.conversations.messages import message_checked, message_write
from mutua.conversations.models import Conversation, Message
from mutua.conversations.rounds import active_round
from mutua.core.models import SecurityEvent
from mutua.core.workflow import status_change, status_note
from mutua.notifications.services import notification_send

MAX_REASON = 2000


def staff_reply(
    *,
    conversation: Conversation,
    by: User,
    text: str,
    uploads: Sequence[UploadedFile] = (),
    acknowledges: bool = False,
    answers: bool = False,
) -> Message:
    """The unit's reply: the conversation is then "answered"; a complaint's first acknowledging reply sets when it
    was acknowledged, its first answering one when it was answered (an answer acknowledges it as well), in the
    complaint's active round (the unit's, or the quality cell's: ``conversations.rounds``)."""
    _handler_require(conversation, by)
    text, files = message_checked(text=text, uploads=uploads)
    if files and conversation.member_id is None:
        raise ValidationError(
            _("This person has no member space: the reply is e-mailed as text, without attachments."),
            code="no_space",
        )
    if (acknowledges or answers) and conversation.kind != Conversation.Kind.COMPLAINT:
        raise ValidationError(_("Only a complaint is acknowledged or answered."), code="not_complaint")
    with transaction.atomic():
        conversation = _locked(conversation)
        if conversation.status == Conversation.Status.CLOSED:
            raise ValidationError(_("This conversation is closed: nobody can reply to it."), code="closed")
        message = message_write(conversation=conversation, by=by, text=text, files=files, from_member=False)
        steps = _complaint_steps_met(conversation, acknowledges=acknowledges or answers, answers=answers)
        if conversation.status == Conversation.Status.OPEN:
            conversation = status_change(
                instance=conversation,
                workflow=Conversation.WORKFLOW,
                to_status=Conversation.Status.ANSWERED,
                by=by,
                reason=", ".join(steps),
            )
        elif steps:
            conversation_trace(conversation=conversation, by=by, reason=", ".join(steps))
        _correspondent_tell(conversation=conversation, text=text)
    return message


def _complaint_steps_met(conversation: Conversation, *, acknowledges: bool, answers: bool) -> list[str]:
    """Set when the active round was acknowledged and answered, the first time; the steps met, for the history."""
    current = active_round(conversation)
    if current is None:
        return []
    now, met, steps = timezone.now(), {}, []
    if acknowledges and current.acknowledged_at is None:
        met[current.fields.acknowledged_at] = now
        steps.append(_("complaint acknowledged"))
    if answers and current.answered_at is None:
        met[current.fields.answered_at] = now
        steps.append(_("complaint answered"))
    for field, value in met.items():
        setattr(conversation, field, value)
    conversation.save(update_fields=list(met))
    return steps


def note_add(*, conversation: Conversation, by: User, text: str) -> Message:
    """A note between staff: never shown to the member, it changes nothing else. The note (its author and time)
    is its own trace."""
    _handler_require(conversation, by)
    text, _files = message_checked(text=text, uploads=())
    with transaction.atomic():
        return message_write(
            conversation=_locked(conversation), by=by, text=text, files=(), from_member=False, internal=True
        )


def complaint_answer_extend(*, conversation: Conversation, by: User, new_date: date, reason: str) -> Conversation:
    """Seed 001: the answer comes within 2 months "unless complexity requires more", which the member is told: the
    new date and why are written to them in the conversation, in their language.

    Our reading: the member must be told before the deadline passes, so a deadline that has passed is not moved
    (the answer is late, and counted so). Each date in force was thus told to the member before the one it
    replaced, the first before the legal date: the weekly report judges an answer against the date in force, and
    keeps the legal date (``answer_legal_by``, never moved) to say how many answers were extended."""
    _handler_require(conversation, by)
    reason = (reason or "").strip()
    with transaction.atomic():  # checked on the locked row: what another handler did meanwhile counts
        conversation = _locked(conversation)
        problems = _extension_problems(conversation, new_date=new_date, today=timezone.localdate())
        if not reason:
            problems.append(ValidationError(_("Say why the answer takes longer: the member is told."), code="reason"))
        elif len(reason) > MAX_REASON:
            problems.append(
                ValidationError(_("Keep the reason under %(limit)s characters."), params={"limit": MAX_REASON})
            )
        if problems:
            raise ValidationError(problems)
        fields = active_round(conversation).fields
        previous = getattr(conversation, fields.answer_by)
        setattr(conversation, fields.answer_by, new_date)
        setattr(conversation, fields.answer_extended_because, reason)
        conversation.save(update_fields=[fields.answer_by, fields.answer_extended_because])
        with translation.override(conversation.language):
            text = _(
                "Your complaint needs more time than usual: you will have our answer by %(date)s at the latest. "
                "Why: %(reason)s"
            ) % {"date": formats.date_format(new_date, "DATE_FORMAT"), "reason": reason}
        message_write(conversation=conversation, by=by, text=text, files=(), from_member=False)
        conversation_trace(
            conversation=conversation,
            by=by,
            reason=_("answer deadline moved from %(before)s to %(after)s: %(reason)s")
            % {"before": previous.isoformat(), "after": new_date.isoformat(), "reason": reason},
        )
        _correspondent_tell(conversation=conversation, text=text)
    return conversation


def _extension_problems(conversation: Conversation, *, new_date: date, today: date) -> list[ValidationError]:
    current = active_round(conversation)
    if current is None:
        return [ValidationError(_("Only a complaint's answer has a deadline."), code="not_complaint")]
    if current.answered_at is not None or conversation.status == Conversation.Status.CLOSED:
        return [ValidationError(_("This complaint is already answered."), code="answered")]
    when = formats.date_format(current.answer_by, "SHORT_DATE_FORMAT")
    if current.answer_by < today:
        return [
            ValidationError(
                _("The answer was due on %(date)s: a deadline that has passed cannot be moved."),
                params={"date": when},
                code="passed",
            )
        ]
    if new_date <= current.answer_by:
        return [
            ValidationError(
                _("Choose a date after the current deadline (%(date)s)."), params={"date": when}, code="date"
            )
        ]
    return []


def conversation_assign(*, conversation: Conversation, to: User | None, by: User) -> Conversation:
    """Give the conversation to a handler who may read it (None: back to everyone)."""
    _handler_require(conversation, by)
    if to is not None and not (to.is_active and staff_may_handle(user=to, conversation=conversation)):
        raise ValidationError(_("This person may not handle this conversation."), code="assignee")
    with transaction.atomic():
        conversation = _locked(conversation)
        conversation.assigned_to = to
        conversation.save(update_fields=["assigned_to"])
        reason = _("assigned to %(name)s") % {"name": to.username} if to else _("no longer assigned")
        conversation_trace(conversation=conversation, by=by, reason=reason)
    return conversation


def conversation_close(*, conversation: Conversation, by: User, reason: str = "") -> Conversation:
    """Close it; the member may write again, which opens it again. A complaint is answered before it is closed:
    the weekly report counts its answer; a review request is decided before it is closed: the claim's page says
    "being looked at" until it is, and the member cannot ask again."""
    _handler_require(conversation, by)
    with transaction.atomic():  # checked on the locked row: a decision or an answer given meanwhile counts
        conversation = _locked(conversation)
        current = active_round(conversation)
        if current is not None and current.answered_at is None:
            raise ValidationError(_("Answer the complaint before closing it."), code="unanswered")
        if conversation.kind == Conversation.Kind.REVIEW and not conversation.review_outcome:
            raise ValidationError(
                _("Confirm or change the decision before closing this review request: the member waits for it."),
                code="undecided",
            )
        return status_change(
            instance=conversation,
            workflow=Conversation.WORKFLOW,
            to_status=Conversation.Status.CLOSED,
            by=by,
            reason=(reason or "").strip()[:MAX_REASON],
        )


def conversation_read(*, conversation: Conversation, by: User) -> int:
    """The unit opens a conversation: the member's messages are read (their read receipt), and reading a medical
    one is recorded, as reading a medical document is. Returns how many messages were new."""
    _handler_require(conversation, by)
    if conversation.medical:
        SecurityEvent.objects.create(
            action=SecurityEvent.Action.MEDICAL_CONVERSATION_READ, target=f"conversation={conversation.pk}", by=by
        )
    return conversation.messages.filter(from_member=True, read_at__isnull=True).update(read_at=timezone.now())


def member_page(conversation: Conversation) -> str:
    """The conversation's page in the member's space."""
    return reverse("conversations:detail", args=[conversation.pk])


def _handler_require(conversation: Conversation, by: User) -> None:
    if not staff_may_handle(user=by, conversation=conversation):
        raise PermissionDenied


def _locked(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def conversation_trace(*, conversation: Conversation, by: User, reason: str) -> None:
    """A history row for an action that keeps the status (assignment, a deadline moved): the same row as a status
    change's, so the conversation has one history."""
    status_note(instance=conversation, workflow=Conversation.WORKFLOW, by=by, reason=reason)


def _correspondent_tell(*, conversation: Conversation, text: str) -> None:
    member = conversation.member
    if member is not None:
        page = member_page(conversation)
        notification_send(
            to=member.email,
            member=member,
            link=page,
            template="conversations/email/unit_reply",
            context={"reference": conversation.reference, "link": settings.SITE_URL.rstrip("/") + page},
            language=conversation.language or member.preferred_language,
        )
    elif conversation.contact_email:
        notification_send(
            to=conversation.contact_email,
            template="conversations/email/unit_contact_reply",
            context={"reference": conversation.reference, "name": conversation.contact_name, "text": text},
            language=conversation.language,
        )
