"""What the member reads of their conversations: always their household's, never the unit's internal notes."""

from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from mutua.claims.selectors import claims_for_member
from mutua.contracts.models import Member
from mutua.conversations.models import Conversation, Message
from mutua.core.ids import MAX_ID
from mutua.guarantees.selectors import guarantees_for_member
from mutua.quotes.selectors import quotes_for_member

# The unit's messages the member has not opened yet.
UNREAD = Q(messages__from_member=False, messages__internal=False, messages__read_at__isnull=True)


def conversations_of_household(*, member: Member) -> QuerySet[Conversation]:
    """The household's conversations, the latest activity first, each with ``unread``: the unit's messages not
    opened yet."""
    return (
        Conversation.objects.filter(member=member)
        .annotate(unread=Count("messages", filter=UNREAD), activity=Coalesce("last_message_at", "created_at"))
        .order_by(F("activity").desc(), "-pk")
    )


def conversation_of_household(*, member: Member, conversation_id: int) -> Conversation | None:
    """The conversation if it is this household's; None otherwise, exactly as for one that does not exist."""
    if not 0 < conversation_id <= MAX_ID:
        return None
    return (
        Conversation.objects.filter(member=member, pk=conversation_id)
        .select_related("claim", "quote", "guarantee", "member__management_unit")
        .prefetch_related(Prefetch("messages", queryset=messages_for_member(), to_attr="thread"))
        .first()
    )


def messages_for_member() -> QuerySet[Message]:
    """A thread as the member sees it: the internal notes of the unit's staff are never among them."""
    return Message.objects.filter(internal=False).prefetch_related("attachments").order_by("created_at", "pk")


def link_choices(*, member: Member) -> list[tuple[str, list[tuple[str, str]]]]:
    """The household's claims, quotes and hospital guarantees a new message can be about, grouped by kind; each
    value is "claim:12", "quote:3" or "guarantee:5"."""
    groups = [
        (
            _("Claims"),
            # Two claims of one day read alike ("Assurance Maladie 01/12"): whose care it was tells them apart.
            [
                (f"claim:{c.pk}", f"{c.name} · {(c.beneficiary or member).first_name} ({_date(c.created_at)})")
                for c in claims_for_member(member=member)
            ],
        ),
        (
            _("Quotes"),
            [(f"quote:{q.pk}", f"{q.name} ({_date(q.created_at)})") for q in quotes_for_member(member=member)],
        ),
        (
            _("Hospital guarantees"),
            [
                (f"guarantee:{g.pk}", f"{g.reference or g.pk} ({_date(g.requested_at)})")
                for g in guarantees_for_member(member=member)
            ],
        ),
    ]
    return [(label, choices) for label, choices in groups if choices]


def _date(moment: datetime) -> str:
    return date_format(localtime(moment).date(), "SHORT_DATE_FORMAT")


class ComplaintStep:
    """Where a complaint stands for the member (seed 001): with the unit, then the quality cell, then the
    insurer's mediator as a last resort."""

    WITH_THE_UNIT = "unit"
    QUALITY_CELL_OPEN = "quality_cell_open"  # answered: if not satisfied, the member may go to the quality cell
    WITH_THE_QUALITY_CELL = "quality_cell"
    MEDIATOR = "mediator"  # the quality cell answered: the mediator's contact is given


def complaint_step(conversation: Conversation) -> str:
    """The unit's answer opens the quality cell; the quality cell's answer (its own round, ``conversations.rounds``)
    opens the mediator."""
    if conversation.quality_cell_at is None:
        return ComplaintStep.WITH_THE_UNIT if conversation.answered_at is None else ComplaintStep.QUALITY_CELL_OPEN
    return ComplaintStep.WITH_THE_QUALITY_CELL if conversation.qc_answered_at is None else ComplaintStep.MEDIATOR
