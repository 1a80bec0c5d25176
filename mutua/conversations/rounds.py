"""A complaint's rounds (seed 001): the management unit's, then, if the member is not satisfied with its answer,
the quality cell's. Each round has its own deadlines and the times they were met, kept side by side: the weekly
report counts both, and what is due now is the active round's (the quality cell's once the member went to it).

The one place that says what a complaint's next deadline is: ``unmet_deadlines`` for a conversation in hand,
``next_deadline_expression`` for the inbox's query, both read from the same table of fields."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, DateField, F, Q, When

from mutua.conversations.models import Conversation


@dataclass(frozen=True)
class RoundFields:
    """The names of one round's fields on ``Conversation``."""

    acknowledge_by: str
    acknowledged_at: str
    answer_by: str  # the date in force, moved when the member is told the answer takes longer
    answer_legal_by: str  # the legal date, never moved
    answered_at: str
    answer_extended_because: str


UNIT_ROUND = RoundFields(
    "acknowledge_by", "acknowledged_at", "answer_by", "answer_legal_by", "answered_at", "answer_extended_because"
)
QUALITY_CELL_ROUND = RoundFields(
    "qc_acknowledge_by",
    "qc_acknowledged_at",
    "qc_answer_by",
    "qc_answer_legal_by",
    "qc_answered_at",
    "qc_answer_extended_because",
)
# Each round with what makes it the active one.
ROUNDS = ((UNIT_ROUND, Q(quality_cell_at__isnull=True)), (QUALITY_CELL_ROUND, Q(quality_cell_at__isnull=False)))
# A round's deadlines in the order they fall: (which, the deadline's field, the field set when it is met).
DEADLINES = (("acknowledge", "acknowledge_by", "acknowledged_at"), ("answer", "answer_by", "answered_at"))


@dataclass(frozen=True)
class ComplaintRound:
    fields: RoundFields
    acknowledge_by: date | None
    acknowledged_at: datetime | None
    answer_by: date | None
    answer_legal_by: date | None
    answered_at: datetime | None
    answer_extended_because: str

    @property
    def extended(self) -> bool:
        return self.answer_by is not None and self.answer_legal_by is not None and self.answer_by > self.answer_legal_by

    def unmet(self) -> dict[str, date]:
        """The deadlines not met yet (``acknowledge``, ``answer``), the nearer first."""
        return {
            which: getattr(self, deadline)
            for which, deadline, met in DEADLINES
            if getattr(self, deadline) is not None and getattr(self, met) is None
        }


def _round(conversation: Conversation, fields: RoundFields) -> ComplaintRound:
    return ComplaintRound(fields, **{name: getattr(conversation, column) for name, column in vars(fields).items()})


def complaint_rounds(conversation: Conversation) -> list[ComplaintRound]:
    """The rounds that started: the unit's, and the quality cell's once the member went to it."""
    if conversation.kind != Conversation.Kind.COMPLAINT:
        return []
    started = [UNIT_ROUND] + ([QUALITY_CELL_ROUND] if conversation.quality_cell_at else [])
    return [_round(conversation, fields) for fields in started]


def active_round(conversation: Conversation) -> ComplaintRound | None:
    rounds = complaint_rounds(conversation)
    return rounds[-1] if rounds else None


def unmet_deadlines(conversation: Conversation) -> dict[str, date]:
    """The active round's deadlines not met yet, the nearer first; none once the complaint is closed."""
    current = active_round(conversation)
    if current is None or conversation.status == Conversation.Status.CLOSED:
        return {}
    return current.unmet()


def next_deadline(conversation: Conversation) -> date | None:
    return next(iter(unmet_deadlines(conversation).values()), None)


def next_deadline_expression() -> Case:
    """``next_deadline`` in SQL, for the inbox to sort and filter on."""
    open_complaint = Q(kind=Conversation.Kind.COMPLAINT) & ~Q(status=Conversation.Status.CLOSED)
    return Case(
        *(
            When(
                open_complaint
                & active
                & Q(**{f"{getattr(fields, deadline)}__isnull": False, f"{getattr(fields, met)}__isnull": True}),
                then=F(getattr(fields, deadline)),
            )
            for fields, active in ROUNDS
            for _which, deadline, met in DEADLINES
        ),
        default=None,
        output_field=DateField(),
    )
