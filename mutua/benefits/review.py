"""A person's second look at a decision the rules made alone (seed 001's data charter: an automated decision
can be contested and a person reviews it). The item is decided again by the engine on the facts the person
corrected (never an amount typed in), or refused, or accepted after a refusal; what the ledger owes follows by a
correction (``payables.payable_correct``), never an edit, and every change of status keeps its history row."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engine import AdjudicationError
from mutua.accounts.models import User
from mutua.benefits.acceptance import acceptance_check, ceiling_check
from mutua.benefits.closing import household_lock, statement_revise
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.benefits.payables import item_owed, payable_correct
from mutua.benefits.selectors import claim_coverage
from mutua.benefits.services import item_accept, item_recompute, item_reject
from mutua.core.workflow import status_change

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The facts a person corrects; the engine computes the amounts from them.
FIGURES = ("amount", "br", "mr", "quantity")


def claim_item_redecide(
    *,
    item: ClaimItem,
    by: User,
    accept: bool,
    reason: str,
    facts: Mapping[str, object] | None = None,
    refusal: RejectionReason | None = None,
) -> ClaimItem:
    """Decide a decided item again. ``accept``: computed by the engine on ``facts`` (the figures of ``FIGURES``
    and ``attributes``; None keeps a figure as it is), whether it was accepted or refused; otherwise refused for
    ``refusal``. ``reason`` is the person's, kept in the history and on the ledger's correction."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the new decision: the member reads it."), code="reason")
    if not accept and refusal is None:
        raise ValidationError(_("Choose the reason for the refusal."), code="refusal")
    with transaction.atomic():
        household_lock(item.claim.member_id)
        item = ClaimItem.objects.select_related("claim__member", "claim__beneficiary").get(pk=item.pk)
        if item.status not in (ClaimItem.Status.ACCEPTED, ClaimItem.Status.REJECTED):
            raise ValidationError(_("This item is not decided yet."), code="not_decided")
        owed = item_owed(item=item)
        if accept:
            item = _accept_again(item, by=by, reason=reason, facts=facts or {})
            if item.paid_total != owed:
                payable_correct(item=item, amount=item.paid_total, reason=reason, by=by)
        else:
            if item.status != ClaimItem.Status.ACCEPTED:
                raise ValidationError(_("This item is already refused: confirm the decision."), code="same")
            if owed:  # what was owed is taken back while the item is still the accepted one it was paid for
                payable_correct(item=item, amount=ZERO, reason=reason, by=by)
            item = item_reject(item=item, by=by, reason=refusal, text=reason)
        _claim_status_follow(item.claim, by=by)
        statement_revise(item.claim)
    return item


def _accept_again(item: ClaimItem, *, by: User, reason: str, facts: Mapping[str, object]) -> ClaimItem:
    before = _facts_of(item)
    for name in FIGURES:
        if facts.get(name) is not None:
            setattr(item, name, facts[name])
    attributes = {name: value for name, value in dict(facts.get("attributes") or {}).items() if value}
    item.attributes = {**item.attributes, **attributes}
    was_refused = item.status == ClaimItem.Status.REJECTED
    if not was_refused and _facts_of(item) == before:
        raise ValidationError(
            _("Correct at least one fact the decision rests on, or confirm the decision."), code="unchanged"
        )
    acceptance_check(item, text=reason)  # the same checks as a handler's decision: never the same care twice
    if item.plan_rate is None:
        raise ValidationError(_("No exchange rate is known for this bill yet."), code="rate_required")
    item.plan_amount = (item.amount * item.plan_rate).quantize(CENT, ROUND_HALF_UP)
    coverage = claim_coverage(claim=item.claim, day=item.care_date)
    if not coverage.covered or not coverage.plan_code:
        raise ValidationError(str(coverage.explanation), code="not_covered")
    try:
        if was_refused:
            item.rejection_reason, item.rejection_text = "", ""
            item = item_accept(item=item, by=by, plan_code=coverage.plan_code, tiers=coverage.tiers, reason=reason)
        else:
            item_recompute(item, by=by, plan_code=coverage.plan_code, tiers=coverage.tiers)
    except AdjudicationError as error:
        raise ValidationError(
            _("The rules cannot compute this item: %(problem)s"), params={"problem": error}, code="engine"
        ) from error
    ceiling_check(item, text="")  # a review never pays beyond what a guarantee of payment covers
    return item


def _facts_of(item: ClaimItem) -> tuple[object, ...]:
    return (*(getattr(item, name) for name in FIGURES), tuple(sorted(item.attributes.items())))


def _claim_status_follow(claim: Claim, *, by: User) -> None:
    """A claim refused whole is validated once a review accepts one of its items, and the reverse."""
    claim = Claim.objects.get(pk=claim.pk)
    accepted = claim.items.filter(status=ClaimItem.Status.ACCEPTED).exists()
    if claim.status == Claim.Status.REJECTED and accepted:
        status_change(instance=claim, workflow=Claim.WORKFLOW, to_status=Claim.Status.VALIDATED, by=by)
    elif claim.status == Claim.Status.VALIDATED and not accepted:
        status_change(instance=claim, workflow=Claim.WORKFLOW, to_status=Claim.Status.REJECTED, by=by)
