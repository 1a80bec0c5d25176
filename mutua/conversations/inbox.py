"""The management unit's one inbox: messages, complaints, review requests and sign-in help requests together, the
complaint whose legal deadline is nearest (or past) first. A medical conversation is for the medical advisor alone:
for anyone else it does not exist."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, Role, User
from mutua.conversations.deadlines import working_days_left
from mutua.conversations.models import CannedAnswer, Conversation, Message
from mutua.conversations.rounds import next_deadline, next_deadline_expression

# Who opens the inbox: the unit's handlers and administrators, and the medical advisor for medical conversations.
INBOX_ROLES = MANAGEMENT_UNIT_ROLES | {Role.MEDICAL_ADVISOR}
PER_PAGE = 25


def staff_may_handle(*, user: User, conversation: Conversation) -> bool:
    if conversation.medical:
        return user.role == Role.MEDICAL_ADVISOR
    return user.role in MANAGEMENT_UNIT_ROLES


def conversations_for_staff(*, user: User) -> QuerySet[Conversation]:
    """What this person may read: the medical advisor the medical conversations, the unit's staff the others."""
    conversations = Conversation.objects.select_related("member", "assigned_to")
    if user.role == Role.MEDICAL_ADVISOR:
        return conversations.filter(medical=True)
    if user.role in MANAGEMENT_UNIT_ROLES:
        return conversations.filter(medical=False)
    return conversations.none()


def _with_next_deadline(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """A complaint's next legal deadline not met yet (``conversations.rounds``), and how long it waits for whom."""
    return conversations.annotate(
        next_deadline=next_deadline_expression(),
        waiting_rank=Case(
            When(status=Conversation.Status.OPEN, then=Value(0)),
            When(status=Conversation.Status.ANSWERED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class InboxFilters:
    kind: str = ""
    status: str = ""  # "": everything not closed
    topic: str = ""
    assigned: str = ""  # "me", "none" or "": anyone
    overdue: bool = False


@dataclass(frozen=True)
class DeadlineLeft:
    """A complaint's next legal deadline and the working days left before it (negative: past)."""

    deadline: date
    days: int

    @property
    def days_overdue(self) -> int:
        return -self.days


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    deadline: DeadlineLeft | None
    review_link: str


def inbox_page(*, user: User, filters: InboxFilters, page: str | int | None, today: date | None = None) -> Page:
    """One page of the inbox: overdue complaints first, then the nearest deadline, then who waits longest."""
    today = today or timezone.localdate()
    conversations = _with_next_deadline(conversations_for_staff(user=user))
    if filters.status:
        conversations = conversations.filter(status=filters.status)
    else:
        conversations = conversations.exclude(status=Conversation.Status.CLOSED)
    if filters.kind:
        conversations = conversations.filter(kind=filters.kind)
    if filters.topic:
        conversations = conversations.filter(topic=filters.topic)
    if filters.assigned == "me":
        conversations = conversations.filter(assigned_to=user)
    elif filters.assigned == "none":
        conversations = conversations.filter(assigned_to__isnull=True)
    if filters.overdue:
        conversations = conversations.filter(next_deadline__lt=today)
    conversations = conversations.order_by(
        F("next_deadline").asc(nulls_last=True), "waiting_rank", F("last_message_at").asc(nulls_first=True), "pk"
    )
    found = Paginator(conversations, PER_PAGE).get_page(page)
    found.object_list = [
        InboxRow(
            conversation=conversation,
            deadline=None
            if conversation.next_deadline is None
            else DeadlineLeft(conversation.next_deadline, working_days_left(conversation.next_deadline, today=today)),
            review_link=review_link(conversation),
        )
        for conversation in found.object_list
    ]
    return found


def complaint_deadline_left(conversation: Conversation, *, today: date | None = None) -> DeadlineLeft | None:
    """The complaint's next deadline not met yet, as the inbox shows it."""
    deadline = next_deadline(conversation)
    return None if deadline is None else DeadlineLeft(deadline, working_days_left(deadline, today=today))


def review_link(conversation: Conversation) -> str:
    """The page where a person reviews the automatic decision a review request is about, when it exists."""
    if conversation.kind != Conversation.Kind.REVIEW:
        return ""
    return reverse("backoffice:review_decide", args=[conversation.pk])


def thread_for_staff(*, conversation: Conversation) -> QuerySet[Message]:
    """Every message, internal notes included, with their attachments."""
    return conversation.messages.select_related("author").prefetch_related("attachments")


def canned_answers_for(*, language: str) -> QuerySet[CannedAnswer]:
    return CannedAnswer.objects.filter(language=language)


def assignees_for(*, conversation: Conversation) -> QuerySet[User]:
    """Who may be given the conversation: those who may read it."""
    roles = [Role.MEDICAL_ADVISOR] if conversation.medical else list(MANAGEMENT_UNIT_ROLES)
    return User.objects.filter(role__in=roles, is_active=True).order_by("username")
