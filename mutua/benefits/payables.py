"""What the ledger owes for the care items of a decided claim: the payables written when a claim is decided,
and the corrections that bring what an item owes to a new amount (a handler's, or the AM's statement's).

The ledger itself (payees, payables, runs) is ``mutua.payments``; what a care item is worth is decided here.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.accounts.models import User
from mutua.benefits.models import Claim, ClaimItem
from mutua.contracts.cover import DEFAULT_PLAN, subscriber_coverage_on
from mutua.payments.conversion import in_minor_units, owed_in
from mutua.payments.models import Payable
from mutua.payments.services import Owed, payables_owed, payee_for_member, payee_for_provider


def payables_for_decided_claim(*, claim: Claim) -> int:
    """One payable per accepted item with something to pay, to the member, linked to the statement."""
    statement = claim.statement
    coverage = subscriber_coverage_on(member=claim.member, day=claim.created_at.date())
    currency = get_plan(coverage.plan_code or DEFAULT_PLAN).currency
    return payables_owed(
        owed=[
            Owed(
                statement_id=statement.pk,
                statement_number=statement.number,
                member_id=claim.member_id,
                hospital_id=claim.paid_to_id,
                item_id=item.pk,
                amount=item.paid_total,
                currency=currency,
                care_date=item.care_date,
            )
            for item in claim.items.filter(status=ClaimItem.Status.ACCEPTED)
        ]
    )


@transaction.atomic
def payable_correct(*, item: ClaimItem, amount: Decimal, reason: str, by: User | None) -> Payable:
    """Bring what is owed for an item to ``amount``: a new entry for the difference, never an edit.

    ``by`` is None when the correction follows a document (the AM's statement), not a person."""
    item = ClaimItem.objects.select_for_update().get(pk=item.pk)  # two corrections never read the same balance
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."), code="reason")
    if item.status != ClaimItem.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted care item can be corrected."), code="not_accepted")
    if amount < 0:
        raise ValidationError(_("The amount owed cannot be negative."), code="negative")
    owed = item_owed(item=item)
    difference = amount - owed
    if difference == 0:
        raise ValidationError(_("The amount owed is already %(amount)s."), params={"amount": owed}, code="same")
    first = item.payables.order_by("pk").first()
    if first is None:  # the item paid nothing so far: its first entry, as ``payables_owed`` would have made it
        return _first_entry(item, difference=difference, reason=reason.strip(), by=by)
    # An account in another currency keeps the first entry's rate, so that the corrections add up, in both
    # currencies, to what the item pays.
    rate = first.rate
    return Payable.objects.create(
        payee=first.payee,
        claim_item=item,
        statement=first.statement,
        kind=Payable.Kind.REVERSAL if amount == 0 else Payable.Kind.ADJUSTMENT,
        amount=difference if rate is None else in_minor_units(difference * rate, first.currency),
        currency=first.currency,
        plan_amount=None if rate is None else difference,
        plan_currency=first.plan_currency,
        rate=rate,
        rate_on=first.rate_on,
        reason=reason.strip(),
        created_by=by,
    )


def item_owed(*, item: ClaimItem) -> Decimal:
    """What the ledger owes for an item, in the plan's currency (the currency the engine pays in), whatever
    the currency of the account its entries are paid to."""
    return sum((p.amount if p.plan_amount is None else p.plan_amount for p in item.payables.all()), Decimal("0.00"))


def _first_entry(item: ClaimItem, *, difference: Decimal, reason: str, by: User | None) -> Payable:
    """The first payable of an item that paid nothing until now: in the plan's currency, converted to the
    account's for a member, to the hospital that settled the claim directly, as ``payables_owed`` does."""
    claim = item.claim
    plan_code = subscriber_coverage_on(member=claim.member, day=item.care_date).plan_code or DEFAULT_PLAN
    plan_currency = get_plan(plan_code).currency
    if claim.paid_to_id:
        payee, paid_in = payee_for_provider(provider_id=claim.paid_to_id), plan_currency
    else:
        payee, paid_in = payee_for_member(claim.member), claim.member.account_currency or plan_currency
    return Payable.objects.create(
        payee=payee,
        claim_item=item,
        statement=getattr(claim, "statement", None),
        kind=Payable.Kind.ADJUSTMENT,
        **owed_in(difference, plan_currency=plan_currency, paid_in=paid_in, on=item.care_date),
        reason=reason,
        created_by=by,
    )
