"""A hospital invoice pays care that has happened, within what its guarantee states: the defect was an
invoice for a stay still to come, put in a payment run above the amount guaranteed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.review import claim_item_decide
from mutua.claims.tests.helpers import receipt
from mutua.core.formatting import money_format
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.settlement import guarantee_settle
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.planned import planned_guarantee, stay_over
from mutua.payments.models import Payable
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return ProviderFactory(in_network=True)


@pytest.fixture
def user():
    return MemberUserFactory(member__cover_start=date(2020, 1, 1))


def emergency_letter(user, clinic):
    """An emergency notified without the card: a temporary letter, stating no amount."""
    return guarantee_request(
        member=user.member,
        beneficiary=None,
        by=user,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.EMERGENCY,
        stay_kind=Guarantee.StayKind.MEDICAL,
        admission_date=timezone.localdate(),
        expected_discharge=None,
        provider=clinic,
        planned_acts="",
        costs=(),
    )


def settle(guarantee, costs, number="F-1"):
    return guarantee_settle(
        guarantee=guarantee,
        by=ProviderUserFactory(provider=guarantee.provider),
        invoice_number=number,
        invoice=receipt(salt=number),
        costs=costs,
    )


def test_an_invoice_for_a_stay_still_to_come_is_refused_and_nothing_is_written(user, clinic):
    guarantee = planned_guarantee(user=user, provider=clinic, in_days=10)
    admission = guarantee.valid_from
    assert admission > timezone.localdate()
    with pytest.raises(ValidationError, match="has not happened yet") as refused:
        settle(
            guarantee,
            [(admission, Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00"), am_paid=Decimal("2000.00")))],
        )
    assert refused.value.code == "future"
    # A per-day cost whose last day is tomorrow is refused too, even if it starts today.
    with pytest.raises(ValidationError, match="has not happened yet"):
        settle(
            stay_over(guarantee, days_ago=0),
            [(timezone.localdate(), Cost("hosp.daily_forfait", Decimal("40.00"), quantity=2))],
        )
    assert not Claim.objects.exists() and not Payable.objects.exists()


def test_above_the_amount_guaranteed_the_rest_waits_for_a_handler(user, clinic, django_capture_on_commit_callbacks):
    guarantee = stay_over(planned_guarantee(user=user, provider=clinic))
    assert guarantee.total_plan > 0
    day = guarantee.valid_from
    # The stay's costs as estimated, then a surgeon billing far more than the estimate.
    costs = [
        (day, Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00"), am_paid=Decimal("2000.00"))),
        (
            day + timedelta(days=1),
            Cost("hosp.surgeon_fees", Decimal("4000.00"), br=Decimal("500.00"), am_paid=Decimal("350.00"), dptm=True),
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        claim = settle(guarantee, costs)
    # What the guarantee states is paid now; the rest waits in a claim of its own, paid to the hospital too.
    stay = claim.items.get()
    assert stay.benefit_code == "hosp.stay" and stay.status == ClaimItem.Status.ACCEPTED
    assert claim.status == Claim.Status.VALIDATED
    surgeon = ClaimItem.objects.get(benefit_code="hosp.surgeon_fees")
    assert surgeon.status == ClaimItem.Status.IN_REVIEW and surgeon.review_reasons == ["over_guarantee"]
    waiting = surgeon.claim
    assert waiting != claim and waiting.paid_to == clinic and waiting.status == Claim.Status.IN_PROGRESS
    paid_at_once = Payable.objects.aggregate(total=Sum("amount"))["total"]
    assert paid_at_once == stay.paid_total <= guarantee.total_plan
    assert {payable.payee.provider for payable in Payable.objects.all()} == {clinic}

    handler = StaffUserFactory()
    with pytest.raises(ValidationError, match="beyond what the guarantee of payment covers") as refused:
        claim_item_decide(item=surgeon, by=handler, accept=True)
    assert refused.value.code == "over_guarantee"
    decided = claim_item_decide(item=surgeon, by=handler, accept=True, text="Surgery longer than planned: report")
    left = guarantee.total_plan - stay.paid_total  # what the guarantee had left for the set-aside costs
    assert f"pays {money_format(decided.paid_total - left, language='en')} beyond" in refused.value.messages[0]
    assert decided.status == ClaimItem.Status.ACCEPTED
    waiting.refresh_from_db()
    assert waiting.status == Claim.Status.VALIDATED
    owed = Payable.objects.aggregate(total=Sum("amount"))["total"]
    assert owed == stay.paid_total + decided.paid_total
    assert {payable.payee.provider for payable in Payable.objects.all()} == {clinic}
    for item in ClaimItem.objects.all():  # never more than the hospital charged after the AM
        assert item.paid_total + item.mr <= item.amount


def test_a_stay_cost_without_the_am_part_is_never_paid_on_an_estimate(user, clinic):
    guarantee = stay_over(planned_guarantee(user=user, provider=clinic))
    claim = settle(guarantee, [(guarantee.valid_from, Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00")))])
    item = claim.items.get()
    assert item.status == ClaimItem.Status.IN_REVIEW and item.review_reasons == ["am_part_missing"]
    assert not Payable.objects.exists()


def test_an_invoice_wholly_above_the_guarantee_waits_whole(user, clinic):
    guarantee = stay_over(planned_guarantee(user=user, provider=clinic))
    stay = Cost("hosp.stay", Decimal("9000.00"), br=Decimal("5000.00"), am_paid=Decimal("4000.00"))
    claim = settle(guarantee, [(guarantee.valid_from, stay)])
    assert Claim.objects.count() == 1 and claim.status == Claim.Status.IN_PROGRESS
    assert claim.items.get().review_reasons == ["over_guarantee"] and not Payable.objects.exists()


@pytest.mark.parametrize(("am_paid", "reasons"), [("0.00", ["am_paid_nothing"]), ("20000.00", ["over_guarantee"])])
def test_an_emergency_letter_states_no_amount_so_its_invoice_waits_for_a_handler(user, clinic, am_paid, reasons):
    """A 30,000 € stay against a letter stating no amount: nothing is paid at once, whatever the AM's part."""
    guarantee = stay_over(emergency_letter(user, clinic))
    assert not guarantee.lines.exists()
    stay = Cost("hosp.stay", Decimal("30000.00"), br=Decimal("25000.00"), am_paid=Decimal(am_paid))
    item = settle(guarantee, [(guarantee.valid_from, stay)]).items.get()
    assert item.status == ClaimItem.Status.IN_REVIEW and item.review_reasons == reasons
    assert not Payable.objects.exists()


def test_a_cost_held_for_its_am_part_needs_the_figure_and_a_reason_above_the_guarantee(user, clinic):
    guarantee = stay_over(planned_guarantee(user=user, provider=clinic))
    day = guarantee.valid_from
    costs = [
        (day, Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00"), am_paid=Decimal("2000.00"))),
        (day, Cost("hosp.stay", Decimal("9000.00"), br=Decimal("5000.00"))),  # the AM's part not given
    ]
    claim = settle(guarantee, costs)
    held = claim.items.get(status=ClaimItem.Status.IN_REVIEW)
    assert held.review_reasons == ["am_part_missing"]
    handler = StaffUserFactory()
    with pytest.raises(ValidationError, match="Enter what the Assurance Maladie paid") as refused:
        claim_item_decide(item=held, by=handler, accept=True)
    assert refused.value.code == "am_paid_required"
    # With the AM's figure it computes, but goes beyond the guarantee: the handler writes why, or it waits.
    with pytest.raises(ValidationError, match="beyond what the guarantee of payment covers"):
        claim_item_decide(item=held, by=handler, accept=True, adjust={"mr": Decimal("4000.00")})
    held.refresh_from_db()
    assert held.status == ClaimItem.Status.IN_REVIEW and not held.payables.exists()
    decided = claim_item_decide(
        item=held, by=handler, accept=True, adjust={"mr": Decimal("4000.00")}, text="Second stay agreed by phone"
    )
    assert decided.status == ClaimItem.Status.ACCEPTED
