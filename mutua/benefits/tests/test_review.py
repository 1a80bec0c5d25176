"""A person decides again an item the rules decided alone (benefits.review): the engine computes it on the facts
the person corrected, a refused item can be paid and a paid one refused, and what the ledger owes follows by a
correction, never an edit, never above what the member paid after the AM and any other insurer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, ClaimItem, CounterUsage, RejectionReason
from mutua.benefits.payables import item_owed
from mutua.benefits.review import claim_item_redecide
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.core.selectors import status_history
from mutua.payments.models import Payable

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


@pytest.fixture
def handler():
    return StaffUserFactory(role=Role.CLAIMS_HANDLER)


@pytest.fixture
def member():
    return MemberUserFactory(member__cover_start=date(2020, 1, 1))


def decided(user, care, capture) -> ClaimItem:
    with capture(execute=True):
        claim = submitted_claim(user, [care])
    return claim.items.get()


def paid_through_the_am_file(user) -> ClaimItem:
    """The GP visit already reimbursed from the AM's statement: the same visit claimed online is then refused
    by the rules as a duplicate (the member says: two visits that day)."""
    claim = Claim.objects.create(
        member=user.member, channel=Claim.Channel.TELETRANSMISSION, name="AM", status=Claim.Status.VALIDATED
    )
    return ClaimItem.objects.create(
        claim=claim,
        benefit_code=GP_VISIT["benefit_code"],
        care_date=GP_VISIT["care_date"],
        provider="123456789",
        amount=GP_VISIT["amount"],
        plan_amount=GP_VISIT["amount"],
        mr=GP_VISIT["mr"],
        status=ClaimItem.Status.ACCEPTED,
        source_ref="AM file F, line 1",
    )


def assert_never_more_than_the_member_paid(item: ClaimItem) -> None:
    assert item_owed(item=item) == item.paid_total
    assert item.paid_total <= item.plan_amount - (item.mr or ZERO) - item.other_paid


def test_a_corrected_fact_is_computed_again_and_the_ledger_owes_the_new_amount(
    member, handler, django_capture_on_commit_callbacks
):
    item = decided(member, GP_VISIT, django_capture_on_commit_callbacks)
    assert item.status == ClaimItem.Status.ACCEPTED and item.decided_by is None
    assert item_owed(item=item) == item.paid_total == Decimal("9.00")

    # The AM paid 15.00, not 19.00: more is left to the member, and the plan pays it.
    item = claim_item_redecide(
        item=item, by=handler, accept=True, reason="The AM statement shows 15.00", facts={"mr": Decimal("15.00")}
    )

    item.refresh_from_db()
    assert item.mr == Decimal("15.00") and item.paid_total == Decimal("13.00")
    assert item.decided_by == handler and item.status == ClaimItem.Status.ACCEPTED
    assert_never_more_than_the_member_paid(item)
    correction = item.payables.order_by("pk").last()
    assert correction.kind == Payable.Kind.ADJUSTMENT and correction.amount == Decimal("4.00")
    assert correction.reason == "The AM statement shows 15.00" and correction.created_by == handler
    assert "15.00" in " ".join(item.explanation["en"])  # the engine's explanation is the new decision's
    # The statement adds up anew and says it was revised (it replaces the one the member may have downloaded).
    statement = item.claim.statement
    statement.refresh_from_db()
    assert statement.total_paid == Decimal("13.00") and statement.revised_at is not None


@pytest.mark.parametrize(
    "facts",
    [{"mr": ZERO}, {"mr": Decimal("29.00")}, {"amount": Decimal("31.00"), "mr": ZERO}, {"quantity": 2}],
)
def test_no_correction_pays_more_than_the_member_paid_after_the_am(
    member, handler, facts, django_capture_on_commit_callbacks
):
    item = decided(member, GP_VISIT, django_capture_on_commit_callbacks)
    item = claim_item_redecide(item=item, by=handler, accept=True, reason="corrected", facts=facts)
    item.refresh_from_db()
    assert_never_more_than_the_member_paid(item)


def test_a_duplicate_is_not_paid_on_review_while_the_same_care_is_paid(
    member, handler, django_capture_on_commit_callbacks
):
    """The same checks as a handler's own decision: a review never pays the same care twice."""
    paid_through_the_am_file(member)
    item = decided(member, GP_VISIT, django_capture_on_commit_callbacks)
    assert item.status == ClaimItem.Status.REJECTED and item.rejection_reason == RejectionReason.DUPLICATE
    with pytest.raises(ValidationError) as refused:
        claim_item_redecide(item=item, by=handler, accept=True, reason="The member says it was paid once only")
    assert refused.value.code == "paid_elsewhere"
    item.refresh_from_db()
    assert item.status == ClaimItem.Status.REJECTED and not Payable.objects.filter(claim_item=item).exists()


def test_a_refused_item_accepted_on_review_creates_its_payable(member, handler, django_capture_on_commit_callbacks):
    earlier = paid_through_the_am_file(member)
    item = decided(member, GP_VISIT, django_capture_on_commit_callbacks)
    assert item.status == ClaimItem.Status.REJECTED and item.rejection_reason == RejectionReason.DUPLICATE
    assert Claim.objects.get(pk=item.claim_id).status == Claim.Status.REJECTED and not item.payables.exists()
    # The AM's line turns out to be another visit, refused since: the member's own claim is then the one to pay.
    ClaimItem.objects.filter(pk=earlier.pk).update(status=ClaimItem.Status.REJECTED)

    item = claim_item_redecide(item=item, by=handler, accept=True, reason="Two visits that day: the bills differ")

    item.refresh_from_db()
    assert item.status == ClaimItem.Status.ACCEPTED and item.paid_total == Decimal("9.00")
    assert item.rejection_reason == "" and item.rejection_text == ""
    (payable,) = item.payables.all()
    assert payable.amount == Decimal("9.00") and payable.payee.member == member.member
    assert_never_more_than_the_member_paid(item)
    assert CounterUsage.objects.filter(line_id=item.line_id).exists()
    change = status_history(instance=item).order_by("pk").last()
    assert (change.from_status, change.to_status) == (ClaimItem.Status.REJECTED, ClaimItem.Status.ACCEPTED)
    assert change.reason == "Two visits that day: the bills differ" and change.changed_by == handler
    assert Claim.objects.get(pk=item.claim_id).status == Claim.Status.VALIDATED


def test_an_accepted_item_refused_on_review_takes_back_what_it_owed(
    member, handler, django_capture_on_commit_callbacks
):
    item = decided(member, GP_VISIT, django_capture_on_commit_callbacks)

    item = claim_item_redecide(
        item=item, by=handler, accept=False, reason="Claimed twice", refusal=RejectionReason.DUPLICATE
    )

    item.refresh_from_db()
    assert item.status == ClaimItem.Status.REJECTED and item.rejection_text == "Claimed twice"
    assert item_owed(item=item) == ZERO
    assert item.payables.order_by("pk").last().kind == Payable.Kind.REVERSAL
    assert not CounterUsage.objects.filter(line_id=item.line_id).exists()
    assert status_history(instance=item).order_by("pk").last().to_status == ClaimItem.Status.REJECTED
    assert Claim.objects.get(pk=item.claim_id).status == Claim.Status.REJECTED


def test_a_change_that_changes_nothing_or_has_no_reason_is_refused_and_nothing_is_written(
    member, handler, django_capture_on_commit_callbacks
):
    item = decided(member, GP_VISIT, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as unchanged:
        claim_item_redecide(item=item, by=handler, accept=True, reason="nothing", facts={"mr": GP_VISIT["mr"]})
    assert unchanged.value.error_list[0].code == "unchanged"
    with pytest.raises(ValidationError) as no_reason:
        claim_item_redecide(item=item, by=handler, accept=True, reason="  ", facts={"mr": Decimal("15.00")})
    assert no_reason.value.error_list[0].code == "reason"
    with pytest.raises(ValidationError) as amounts:
        claim_item_redecide(item=item, by=handler, accept=True, reason="x", facts={"mr": Decimal("31.00")})
    assert amounts.value.error_list[0].code == "amounts"
    item.refresh_from_db()
    assert item.mr == GP_VISIT["mr"] and item.paid_total == Decimal("9.00") and item.decided_by is None
    assert item.payables.count() == 1
