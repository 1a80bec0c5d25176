"""The one writer of decided care lines, whatever channel brought them.

``benefits.pipeline.decide_lines`` decides; ``decisions_write`` writes what it decided: the claim
items (new ones inserted, an online claim's pending ones moved on), the counters they consume and a
history row per status change, each checked against the items' transition table. The bulk path
builds no model instance: rows go as values, by COPY on PostgreSQL.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.accounts.models import User
from mutua.benefits import adapter, pipeline
from mutua.benefits.closing import statement_number
from mutua.benefits.models import Claim, ClaimItem, CounterUsage, Statement
from mutua.benefits.pipeline import Decision
from mutua.core.bulk import insert_rows
from mutua.core.workflow import status_history_record
from mutua.payments.services import Owed, payables_owed

ONE = Decimal(1)
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Received:
    """What a channel received of a new item beyond its care line (always in the plan's currency: an AM
    file's, a hospital invoice's): who gave the care and where the line comes from."""

    provider: str
    source_ref: str = ""


# What the decision sets on an item, new or pending.
DECIDED_FIELDS = (
    "claim_id",
    "status",
    "review_reasons",
    "rejection_reason",
    "rejection_text",
    "duplicate_of_id",
    "am_paid",
    "tiers_paid",
    "paid_total",
    "out_of_pocket",
    "explanation",
    "decided_at",
    "decided_by_id",
)
# What a new item takes from its line and what its channel received.
RECEIVED_FIELDS = (
    "benefit_code",
    "care_date",
    "provider",
    "amount",
    "currency",
    "plan_rate",
    "plan_amount",
    "br",
    "mr",
    "other_paid",
    "am_rate",
    "quantity",
    "flags",
    "attributes",
    "source_ref",
)
USAGE_FIELDS = ("member_id", "counter", "scope", "slot", "on", "amount", "count", "line_id")


def decisions_write(
    *,
    decisions: Sequence[Decision],
    items: Sequence[Received | int],
    claims: Sequence[int],
    by: User | None,
    now: datetime,
    reason: str = "",
) -> list[int]:
    """Write each decision on its item: a new one (``Received``) or a pending one (its primary key),
    in the claim ``claims`` gives at the same position. Returns the items' primary keys, in order.

    To be called in the transaction that holds the households' locks.
    """
    decided = [_decided(decision, claim, by, now) for decision, claim in zip(decisions, claims, strict=True)]
    new = [index for index, item in enumerate(items) if isinstance(item, Received)]
    pks: list[int] = [0 if isinstance(item, Received) else item for item in items]
    rows = [_received(decisions[index].line, items[index]) + decided[index] for index in new]
    for index, pk in zip(new, insert_rows(ClaimItem, RECEIVED_FIELDS + DECIDED_FIELDS, rows), strict=True):
        pks[index] = pk
    pending = [index for index, item in enumerate(items) if not isinstance(item, Received)]
    _move_pending([(pks[index], decided[index]) for index in pending])
    line_ids = [ClaimItem.line_id_of(pk) for pk in pks]
    CounterUsage.objects.filter(line_id__in=[line_ids[index] for index in pending]).delete()
    insert_rows(
        CounterUsage,
        USAGE_FIELDS,
        [
            (
                decision.line.household,
                usage.counter,
                usage.scope,
                usage.slot,
                usage.on,
                usage.amount,
                usage.count,
                line_id,
            )
            for decision, line_id in zip(decisions, line_ids, strict=True)
            if decision.result is not None
            for usage in decision.result.usages
        ],
    )
    status_history_record(
        model=ClaimItem,
        workflow=ClaimItem.WORKFLOW,
        paths=[
            (pk, [ClaimItem.Status.PENDING, decision.status], reason or ", ".join(decision.reasons))
            for pk, decision in zip(pks, decisions, strict=True)
        ],
        by=by,
    )
    return pks


@dataclass(frozen=True, slots=True)
class NewClaim:
    """A claim to open for decided lines (an AM file's, for one person): ``indexes`` are its lines'
    positions in the batch."""

    member_id: int
    beneficiary_id: int | None
    channel: str
    name: str
    source: str
    indexes: tuple[int, ...]


def claims_write(
    *,
    claims: Sequence[NewClaim],
    decisions: Sequence[Decision],
    items: Sequence[Received],
    now: datetime,
    reason: str,
) -> list[int]:
    """New claims for decided lines, written whole: the claims, their items (``decisions_write``), the
    statement of each claim nothing waits in, its payables, and each claim's history from draft to its
    status, checked against the claims' transition table. Returns the items' primary keys, in order."""
    statuses = [_claim_status([decisions[index] for index in claim.indexes]) for claim in claims]
    claim_ids = insert_rows(
        Claim,
        ("member_id", "beneficiary_id", "channel", "name", "source", "status", "submitted_at", "decided_at"),
        [
            (
                claim.member_id,
                claim.beneficiary_id,
                claim.channel,
                claim.name,
                claim.source,
                status,
                now,
                _decided_at(status, now),
            )
            for claim, status in zip(claims, statuses, strict=True)
        ],
    )
    claim_of = [0] * len(decisions)
    for claim_id, claim in zip(claim_ids, claims, strict=True):
        for index in claim.indexes:
            claim_of[index] = claim_id
    item_ids = decisions_write(decisions=decisions, items=items, claims=claim_of, by=None, now=now, reason=reason)
    decided = [
        (claim_id, claim)
        for claim_id, claim, status in zip(claim_ids, claims, statuses, strict=True)
        if status != Claim.Status.IN_PROGRESS
    ]
    _statements_write(decided, decisions, item_ids, now)
    # Decided on the way in: each step from draft still checked against the claims' table, with its row.
    status_history_record(
        model=Claim,
        workflow=Claim.WORKFLOW,
        paths=[(pk, _claim_path(status), reason) for pk, status in zip(claim_ids, statuses, strict=True)],
        by=None,
    )
    return item_ids


def _claim_status(decisions: list[Decision]) -> str:
    if any(decision.status == pipeline.IN_REVIEW for decision in decisions):
        return Claim.Status.IN_PROGRESS
    if any(decision.status == pipeline.ACCEPTED for decision in decisions):
        return Claim.Status.VALIDATED
    return Claim.Status.REJECTED


def _claim_path(status: str) -> list[str]:
    opened = [Claim.Status.DRAFT, Claim.Status.IN_PROGRESS]
    return opened if status == Claim.Status.IN_PROGRESS else [*opened, status]


def _decided_at(status: str, now: datetime) -> datetime | None:
    return None if status == Claim.Status.IN_PROGRESS else now


def _statements_write(
    decided: list[tuple[int, NewClaim]], decisions: Sequence[Decision], item_ids: list[int], now: datetime
) -> None:
    """The statement of each decided claim, and a payable per accepted item with something to pay."""
    accepted = [
        [index for index in claim.indexes if decisions[index].status == pipeline.ACCEPTED] for _pk, claim in decided
    ]
    numbers = [statement_number(claim_id, now) for claim_id, _claim in decided]
    statement_ids = insert_rows(
        Statement,
        ("claim_id", "member_id", "number", "issued_at", "total_paid"),
        [
            (claim_id, claim.member_id, number, now, sum((decisions[index].paid for index in paid), ZERO))
            for (claim_id, claim), number, paid in zip(decided, numbers, accepted, strict=True)
        ],
    )
    payables_owed(
        owed=[
            Owed(
                statement_id=statement_id,
                statement_number=number,
                member_id=claim.member_id,
                hospital_id=None,
                item_id=item_ids[index],
                amount=decisions[index].paid,
                currency=get_plan(decisions[index].line.plan_code).currency,
                care_date=decisions[index].line.care.date,
            )
            for statement_id, number, (_claim_id, claim), paid in zip(
                statement_ids, numbers, decided, accepted, strict=True
            )
            for index in paid
        ]
    )


def _received(line: pipeline.Line, received: Received) -> tuple:
    care = line.care
    return (
        care.benefit,
        care.date,
        received.provider,
        care.charged,
        get_plan(line.plan_code).currency,
        ONE,
        care.charged,
        care.br,
        care.mr,
        care.other_paid,
        care.am_rate,
        care.quantity,
        sorted(care.flags),
        {name: values[0] for name, values in care.attributes.items()},
        received.source_ref,
    )


def _decided(decision: Decision, claim: int, by: User | None, now: datetime) -> tuple:
    line, result = decision.line, decision.result
    rejection_reason, rejection_text = decision.rejection or ("", "")
    fields = adapter.result_fields(result, plan_code=line.plan_code) if result is not None else {}
    out_of_pocket = fields.get("out_of_pocket")
    if decision.status == pipeline.REJECTED:
        out_of_pocket = line.care.charged
    return (
        claim,
        decision.status,
        list(decision.reasons),
        rejection_reason,
        rejection_text,
        line.earlier.item_id if line.earlier else None,
        fields.get("am_paid"),
        fields.get("tiers_paid", {}),
        fields.get("paid_total"),
        out_of_pocket,
        fields.get("explanation", {}),
        None if decision.status == pipeline.IN_REVIEW else now,
        getattr(by, "pk", None) if decision.status != pipeline.IN_REVIEW else None,
    )


def _move_pending(moves: list[tuple[int, tuple]]) -> None:
    """Pending items take their decision under a row lock; one decided meanwhile refuses the batch."""
    if not moves:
        return
    pks = [pk for pk, _values in moves]
    statuses = dict(ClaimItem.objects.select_for_update().filter(pk__in=pks).values_list("pk", "status"))
    if any(statuses.get(pk) != ClaimItem.Status.PENDING for pk in pks):
        raise ValidationError(_("This care item is already decided."), code="decided")
    for pk, values in moves:
        ClaimItem.objects.filter(pk=pk).update(**dict(zip(DECIDED_FIELDS, values, strict=True)))
