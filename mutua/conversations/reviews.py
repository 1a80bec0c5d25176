"""A member asks a person to review a decision the rules made alone (seed 001's data charter), and the
management unit's answer: the decision confirmed, or changed by ``benefits.review`` (the engine computes the item
again on the facts the handler corrected), with the reason, told to the member in their language.

The request is a conversation of kind "review" linked to the claim and its item; the engine's explanation is the
item's own (``ClaimItem.explanation``), shown beside the request, never copied into a message."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, User
from mutua.benefits.models import ClaimItem, RejectionReason
from mutua.benefits.review import claim_item_redecide
from mutua.benefits.selectors import claim_coverage
from mutua.contracts.cover import DEFAULT_PLAN
from mutua.contracts.models import Member
from mutua.conversations.handling import conversation_trace
from mutua.conversations.messages import message_checked, message_write
from mutua.conversations.models import Conversation
from mutua.conversations.review_selectors import review_item_automatic, review_of_item
from mutua.core.formatting import money_format
from mutua.core.quotas import quota_take
from mutua.core.workflow import status_change
from mutua.notifications.services import notification_send

REQUESTS_PER_DAY = 10  # per household: more is not someone contesting their own decisions


ZERO = Decimal("0.00")


def review_request(
    *, member: Member, item: ClaimItem, text: str, uploads: Sequence[UploadedFile], by: User, language: str
) -> Conversation:
    """Open a review request on one of the household's automatically decided items, with the member's reasons
    and files. Everything is checked first; the request and its message are written together or not at all."""
    if item.claim.member_id != member.pk:
        raise PermissionDenied  # the pages and the API answer 404 before: a household never reaches another's
    if not review_item_automatic(item):
        raise ValidationError(
            _("A person already decided this item: write to your management unit if you disagree."),
            code="decided_by_person",
        )
    text, files = message_checked(text=text, uploads=uploads)
    with transaction.atomic():
        ClaimItem.objects.select_for_update().get(pk=item.pk)  # two requests at once open one review
        earlier = review_of_item(item=item)
        if earlier is not None:
            raise ValidationError(
                _("You already asked for a review of this decision (request %(reference)s)."),
                params={"reference": earlier.reference},
                code="already_asked",
            )
        if not quota_take(key=f"review-requests:{member.pk}", limit=REQUESTS_PER_DAY, seconds=24 * 3600):
            raise ValidationError(
                _("You sent many review requests today: try again tomorrow, or write to your management unit."),
                code="too_many",
            )
        with translation.override(language):
            subject = _("Review of an automatic decision: %(claim)s, care of %(day)s") % {
                "claim": item.claim.name,
                "day": formats.date_format(item.care_date, "DATE_FORMAT"),  # as the member's language writes it
            }
        conversation = Conversation.objects.create(
            kind=Conversation.Kind.REVIEW,
            topic=Conversation.Topic.CLAIM,
            subject=subject[:150],
            language=language,
            member=member,
            claim=item.claim,
            claim_item=item,
        )
        message_write(conversation=conversation, by=by, text=text, files=files, from_member=True)
    return conversation


def review_decide(
    *,
    conversation: Conversation,
    by: User,
    outcome: str,
    reason: str,
    accept: bool = True,
    facts: Mapping[str, object] | None = None,
    refusal: RejectionReason | None = None,
) -> Conversation:
    """A handler's answer: the decision confirmed (nothing moves) or changed (``claim_item_redecide``: the engine
    computes the item again, the ledger follows), the reason written to the member in their language, the member
    told; the request is then answered (it may already be, by a plain reply asking for a document: the outcome
    is its answer all the same). A closed request always has its outcome (``handling.conversation_close``)."""
    if by.role not in MANAGEMENT_UNIT_ROLES:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the decision: the member reads it."), code="reason")
    if outcome not in Conversation.ReviewOutcome.values:
        raise ValidationError(_("Confirm the decision or change it."), code="outcome")
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",)).select_related("member").get(pk=conversation.pk)
        )
        if conversation.kind != Conversation.Kind.REVIEW or conversation.claim_item_id is None:
            raise ValidationError(_("This conversation is not a review request."), code="not_review")
        if conversation.review_outcome:
            raise ValidationError(_("This request is already answered."), code="answered")
        item = conversation.claim_item
        before = _paid(item)
        if outcome == Conversation.ReviewOutcome.CHANGED:
            item = claim_item_redecide(item=item, by=by, accept=accept, reason=reason, facts=facts, refusal=refusal)
        now = timezone.now()
        conversation.review_outcome, conversation.review_reason = outcome, reason
        conversation.reviewed_by, conversation.answered_at = by, now
        conversation.save(update_fields=["review_outcome", "review_reason", "reviewed_by", "answered_at"])
        message_write(
            conversation=conversation,
            by=by,
            text=_answer_text(conversation, item, before=before),
            files=[],
            from_member=False,
        )
        if conversation.status == Conversation.Status.OPEN:
            conversation = status_change(
                instance=conversation,
                workflow=Conversation.WORKFLOW,
                to_status=Conversation.Status.ANSWERED,
                by=by,
                reason=conversation.get_review_outcome_display(),
            )
        else:  # already answered by a plain reply: the outcome is still the review's answer, with its trace
            conversation_trace(conversation=conversation, by=by, reason=conversation.get_review_outcome_display())
        _notify(conversation, item)
    return conversation


def _paid(item: ClaimItem) -> Decimal:
    return (item.paid_total or ZERO) if item.status == ClaimItem.Status.ACCEPTED else ZERO


def _answer_text(conversation: Conversation, item: ClaimItem, *, before: Decimal) -> str:
    """The answer the member reads, in their language: what became of the decision, what it changes to their
    payments (a difference paid, or taken back from the next ones), and why."""
    with translation.override(conversation.language):
        if conversation.review_outcome == Conversation.ReviewOutcome.CONFIRMED:
            head = _("A person reviewed this decision and confirmed it.")
        elif item.status == ClaimItem.Status.REJECTED:
            head = _("A person reviewed this decision and changed it: this care is not reimbursed.")
        else:
            head = _("A person reviewed this decision and changed it: your plan now pays %(amount)s.") % {
                "amount": money_format(item.paid_total, _plan_currency(item))
            }
        difference = _paid(item) - before
        words = {"difference": money_format(abs(difference), _plan_currency(item))}
        if difference > 0:
            head += " " + _("The difference, %(difference)s, is paid to you with your next reimbursements.") % words
        elif difference < 0:
            head += (
                " "
                + _(
                    "The %(difference)s paid too much is deducted from your next reimbursements (or not paid, if the "
                    "payment had not left yet)."
                )
                % words
            )
        return f"{head}\n\n{_('Reason:')} {conversation.review_reason}"


def _plan_currency(item: ClaimItem) -> str:
    coverage = claim_coverage(claim=item.claim, day=item.care_date)
    return get_plan(coverage.plan_code or DEFAULT_PLAN).currency


def _notify(conversation: Conversation, item: ClaimItem) -> None:
    """No health detail in the e-mail: a decision was reviewed, read it on the claim's page."""
    member = conversation.member
    notification_send(
        to=member.email,
        member=member,
        link=reverse("claims:detail", args=[item.claim_id]),
        template="conversations/email/review_answered",
        context={
            "first_name": member.first_name,
            "reference": conversation.reference,
            "changed": conversation.review_outcome == Conversation.ReviewOutcome.CHANGED,
        },
        language=conversation.language,
    )
