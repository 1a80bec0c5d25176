"""A claim whose items are all decided: its status, its statement, what it pays and who is told."""

from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from mutua.benefits.models import Claim, ClaimItem, Statement
from mutua.benefits.payables import payables_for_decided_claim
from mutua.contracts.models import Member
from mutua.core.workflow import status_change
from mutua.notifications.services import notification_send

ZERO = Decimal("0.00")


def household_lock(member_id: int) -> Member:
    """Everything that reads or writes a household's counters holds this lock first, so two claims
    decided at the same moment never spend the same cap twice."""
    return Member.objects.select_for_update().get(pk=member_id)


def statement_number(claim_id: int, decided_at: datetime) -> str:
    return f"D{decided_at:%Y%m%d}-{claim_id:07d}"


def statement_for(claim: Claim, items: list[ClaimItem]) -> Statement:
    """The statement of a decided claim (unsaved), totalling its accepted items."""
    return Statement(
        claim=claim,
        member_id=claim.member_id,
        number=statement_number(claim.pk, claim.decided_at),
        issued_at=claim.decided_at,
        total_paid=_total_paid(items),
    )


def _total_paid(items: list[ClaimItem]) -> Decimal:
    return sum((item.paid_total or ZERO for item in items if item.status == ClaimItem.Status.ACCEPTED), ZERO)


def statement_revise(claim: Claim) -> None:
    """After an item of a decided claim pays something else (a review, the AM's statement): its statement adds up
    its items anew and says when it was revised; a claim decided without one (none yet) is left as it is."""
    statement = Statement.objects.filter(claim=claim).first()
    if statement is None:
        return
    statement.total_paid = _total_paid(list(claim.items.all()))
    statement.revised_at = timezone.now()
    statement.save(update_fields=["total_paid", "revised_at"])


def claim_complete_if_decided(claim: Claim) -> Claim:
    """Validated (or refused) once no item waits: the statement, the payables and the e-mails."""
    items = list(claim.items.all())
    if any(item.status in {ClaimItem.Status.PENDING, ClaimItem.Status.IN_REVIEW} for item in items):
        return claim
    accepted = [item for item in items if item.status == ClaimItem.Status.ACCEPTED]
    target = Claim.Status.VALIDATED if accepted else Claim.Status.REJECTED
    claim = status_change(instance=claim, workflow=Claim.WORKFLOW, to_status=target, by=None)
    claim.decided_at = timezone.now()
    claim.save(update_fields=["decided_at"])
    statement = statement_for(claim, accepted)
    statement.save()
    payables_for_decided_claim(claim=claim)
    if claim.paid_to_id:
        _notify_direct_settlement(claim, statement)
        return claim
    notification_send(
        to=claim.member.email,
        member=claim.member,
        link=reverse("claims:detail", args=[claim.pk]),
        template="claims/email/decided",
        context={
            "first_name": claim.member.first_name,
            "validated": bool(accepted),
            "total": f"{statement.total_paid:.2f}",
            "statement": statement.number,
        },
        language=claim.member.preferred_language,
    )
    return claim


def _notify_direct_settlement(claim: Claim, statement: Statement) -> None:
    """The member and the hospital learn what the plan pays the hospital and what remains (seed 000). The claim's
    name, which the member may have worded with health detail, is told to the hospital that gave the care only."""
    context = {
        "claim_name": claim.name,
        "hospital": claim.paid_to.name,
        "total": f"{statement.total_paid:.2f}",
        "remaining": f"{sum((item.out_of_pocket or ZERO for item in claim.items.all()), ZERO):.2f}",
        "statement": statement.number,
    }
    notification_send(
        to=claim.member.email,
        member=claim.member,
        link=reverse("claims:detail", args=[claim.pk]),
        template="claims/email/settled_directly",
        context={**context, "first_name": claim.member.first_name, "to_member": True},
        language=claim.member.preferred_language,
    )
    notification_send(
        to=claim.paid_to.email,
        template="claims/email/settled_directly",
        context={**context, "to_member": False},
        language=claim.paid_to.language,
    )
