"""No path pays more than the member paid after the Assurance Maladie, whatever the AM turns out to
have paid: online claims need the AM's figure, and the AM's own statement corrects what was paid on
the member's figure, through the payments ledger."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import translation

from engine import Counters
from mutua.benefits.adapter import care_line_of, engine_for
from mutua.benefits.adapter import household as household_of
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.claims.review import claim_item_decide
from mutua.claims.services import claim_create, claim_item_add
from mutua.claims.tests.helpers import receipt, submitted_claim
from mutua.core.formatting import money_format
from mutua.payments.models import Payable
from mutua.teletransmission.fakes import act_line
from mutua.teletransmission.tests.helpers import SUBSCRIBER_NIR, import_and_pay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


GP = {"benefit_code": "care.gp", "care_date": date(2026, 11, 2), "amount": Decimal("30.00")}


def owed(item: ClaimItem) -> Decimal:
    return item.payables.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def test_an_online_claim_without_the_am_figure_is_refused(household):
    """The defect: 30 € at a sector-1 GP, AM amount left empty, box unticked: 13.90 € paid on a 14.10 €
    estimate while the AM paid 19 € (32.90 € for 30 € spent)."""
    user, _spouse, _child = household
    claim = claim_create(member=user.member, beneficiary=None, name="GP")
    with pytest.raises(ValidationError) as refused:
        claim_item_add(claim=claim, by=user, provider="Dr", uploads=[receipt(salt="a")], **GP)
    # Both are asked at once, each with its own code (the form shows each beside its field).
    assert [problem.code for problem in refused.value.error_list] == ["doctor_fees", "am_paid_required"]
    assert "Say how the doctor charges" in refused.value.messages[0]
    assert "Enter what the Assurance Maladie paid" in refused.value.messages[1]
    with pytest.raises(ValidationError, match="cannot have paid more than the care cost") as refused:
        claim_item_add(
            claim=claim,
            by=user,
            provider="Dr",
            uploads=[receipt(salt="c")],
            doctor_fees="sector_1",
            **(GP | {"mr": Decimal("30.01")}),
        )
    assert [problem.code for problem in refused.value.error_list] == ["am_paid_too_high"]
    assert not claim.items.exists()


def test_care_the_am_does_not_cover_needs_no_am_figure(household, run_tasks):
    user, _spouse, _child = household
    osteopath = {"benefit_code": "prevention.osteopath", "care_date": date(2026, 11, 2), "amount": Decimal("60.00")}
    claim = run_tasks(submitted_claim, user, [osteopath])
    assert claim.items.get().status == ClaimItem.Status.ACCEPTED


def test_the_am_paid_nothing_goes_to_a_handler(household, run_tasks):
    user, _spouse, _child = household
    claim = run_tasks(submitted_claim, user, [GP | {"mr": Decimal("0.00"), "doctor_fees": "sector_1"}])
    item = claim.items.get()
    assert item.status == ClaimItem.Status.IN_REVIEW and "am_paid_nothing" in item.review_reasons


def test_the_doctors_sector_in_plain_words_sets_the_base(household, run_tasks):
    """Secteur 1 and OPTAM are paid on the 30 € base; free fees on the 23 € base of the others."""
    user, _spouse, _child = household
    sector_1, free = (
        run_tasks(
            submitted_claim, user, [GP | {"mr": Decimal("19.00"), "doctor_fees": fees, "care_date": day}]
        ).items.get()
        for fees, day in (("sector_1", date(2026, 11, 2)), ("free", date(2026, 11, 3)))
    )
    assert (
        sector_1.flags == ["dptm"] and sector_1.am_paid == Decimal("19.00") and sector_1.paid_total == Decimal("9.00")
    )
    assert free.flags == [] and "23.00" in " ".join(free.explanation["en"])


@pytest.mark.parametrize(
    ("typed", "real"),
    [
        ("14.10", "19.00"),  # the member's figure was low: the plan had paid too much
        ("19.00", "14.10"),  # the member's figure was high: the plan owes more
        ("19.00", "19.00"),  # the same: nothing changes
        ("25.00", "0.00"),  # the AM finally paid nothing
    ],
)
def test_the_am_statement_corrects_what_was_paid_on_the_members_figure(
    tmp_path, household, run_tasks, handler, mailoutbox, django_capture_on_commit_callbacks, typed, real
):
    user, _spouse, _child = household
    online = run_tasks(submitted_claim, user, [GP | {"mr": Decimal(typed), "doctor_fees": "sector_1"}]).items.get()
    if online.status == ClaimItem.Status.IN_REVIEW:
        online = claim_item_decide(item=online, by=handler, accept=True)
    paid_before = owed(online)
    with django_capture_on_commit_callbacks(execute=True):
        import_and_pay(tmp_path, [act_line(1, SUBSCRIBER_NIR, mr=real)])
    online.refresh_from_db()
    am_line = ClaimItem.objects.get(claim__channel=Claim.Channel.TELETRANSMISSION)
    assert am_line.status == ClaimItem.Status.REJECTED and am_line.rejection_reason == RejectionReason.DUPLICATE
    assert not am_line.payables.exists()
    # What the plan owes for the care is what the AM file alone would pay: computed on the AM's figures.
    as_the_am_says = care_line_of(
        line_id="check",
        person=f"m{user.member.pk}",
        on=GP["care_date"],
        benefit_code="care.gp",
        amount=GP["amount"],
        br=Decimal("30.00"),
        mr=Decimal(real),
        flags=["dptm"],
    )
    expected = engine_for("fr-base-surco", ("base", "surco")).adjudicate(
        household_of(user.member), [as_the_am_says], Counters(())
    )
    plan_part = sum((tier.paid for tier in expected.lines[0].tiers), Decimal("0.00"))
    assert owed(online) == online.paid_total == plan_part
    assert owed(online) + Decimal(real) <= GP["amount"]  # never more than what the member paid after the AM
    corrections = online.payables.exclude(kind=Payable.Kind.DECISION)

    def euros(amount):  # as the member's e-mail writes it ("14,10 €" in French)
        return money_format(amount, language=user.member.preferred_language)

    if typed == real:
        assert not corrections.exists() and owed(online) == paid_before
        assert not [m for m in mailoutbox if euros(typed) in m.body]
    else:
        assert corrections.get().amount == plan_part - paid_before
        assert f"it paid {money_format(Decimal(real), language='en')}" in corrections.get().reason
        # The member is told, in their language, what the AM paid and what the claim said.
        [told] = [m for m in mailoutbox if m.to == [user.member.email] and euros(typed) in m.body]
        assert euros(real) in told.body and euros(plan_part) in told.body


@time_machine.travel(date(2026, 12, 7), tick=False)
def test_care_more_than_two_years_old_is_refused_online_and_reviewed_from_the_am_file(tmp_path, household, handler):
    user, _spouse, _child = household
    claim = claim_create(member=user.member, beneficiary=None, name="Old")
    old = GP | {"care_date": date(2024, 12, 6), "mr": Decimal("19.00"), "doctor_fees": "sector_1"}
    with pytest.raises(ValidationError, match="time-barred") as refused:
        claim_item_add(claim=claim, by=user, provider="Dr", uploads=[receipt(salt="old")], **old)
    assert refused.value.code == "time_barred"
    # The last day still claimable: two years to the day.
    claim_item_add(
        claim=claim, by=user, provider="Dr", uploads=[receipt(salt="ok")], **(old | {"care_date": date(2024, 12, 7)})
    )

    import_and_pay(tmp_path, [act_line(1, SUBSCRIBER_NIR, care_date=date(2024, 12, 6))])
    item = ClaimItem.objects.get(claim__channel=Claim.Channel.TELETRANSMISSION)
    assert item.status == ClaimItem.Status.IN_REVIEW and item.review_reasons == ["time_barred"]
    assert not item.payables.exists()
    with pytest.raises(ValidationError, match="name the exception") as refused:
        claim_item_decide(item=item, by=handler, accept=True)
    assert refused.value.code == "justification"
    accepted = claim_item_decide(
        item=item, by=handler, accept=True, text="Registered letter of 01/11/2026 interrupted the limitation period"
    )
    assert accepted.status == ClaimItem.Status.ACCEPTED
    from mutua.core.selectors import status_history

    assert status_history(instance=accepted).last().reason.startswith("Registered letter")


@time_machine.travel(date(2026, 12, 7), tick=False)
def test_a_handler_refuses_a_time_barred_line_with_that_reason(tmp_path, household, handler):
    import_and_pay(tmp_path, [act_line(1, SUBSCRIBER_NIR, care_date=date(2023, 5, 2))])
    item = ClaimItem.objects.get()
    refused = claim_item_decide(item=item, by=handler, accept=False, reason=RejectionReason.TIME_BARRED)
    assert refused.status == ClaimItem.Status.REJECTED and not refused.payables.exists()


def _crown(seq: int, day: date):
    return act_line(
        seq,
        SUBSCRIBER_NIR,
        care_date=day,
        system="CCAM",
        code="HBLD040",
        charged="5000.00",
        br="1000.00",
        rate=60,
        mr="600.00",
        qualifiers=(),
        provider="20001234567",
    )


@pytest.mark.parametrize("online_first", [False, True])
def test_a_correction_in_the_middle_of_a_file_keeps_the_caps_of_the_lines_before_it(
    tmp_path, household, run_tasks, online_first
):
    """Two crowns around a visit already claimed online: the dental cap holds for the file whether or
    not the visit is corrected on the AM's figures between them."""
    user, _spouse, _child = household
    if online_first:
        online = run_tasks(submitted_claim, user, [GP | {"mr": Decimal("14.10"), "doctor_fees": "sector_1"}])
        assert online.items.get().status == ClaimItem.Status.ACCEPTED
    run_tasks(
        import_and_pay,
        tmp_path,
        [_crown(1, date(2026, 10, 1)), act_line(2, SUBSCRIBER_NIR, mr="19.00"), _crown(3, date(2026, 10, 5))],
    )
    crowns = ClaimItem.objects.filter(benefit_code__startswith="dental")
    assert crowns.count() == 2
    # 160 % of the 2026 PMSS (4,005 €) a year: 6,408 €, whatever happened to the visit in between.
    assert crowns.aggregate(total=Sum("paid_total"))["total"] == Decimal("6408.00")


def test_what_another_insurer_paid_is_deducted_before_the_plan_pays(household, run_tasks):
    """A spouse's own complementary claimed first: the plan pays at most what remains after both."""
    user, _spouse, _child = household
    visit = GP | {"mr": Decimal("19.00"), "doctor_fees": "sector_1"}
    claim = claim_create(member=user.member, beneficiary=None, name="GP")
    with pytest.raises(ValidationError) as refused:
        claim_item_add(
            claim=claim,
            by=user,
            provider="Dr",
            uploads=[receipt(salt="other-1")],
            **(visit | {"other_paid": Decimal("11.01")}),
        )
    assert [problem.code for problem in refused.value.error_list] == ["other_paid_too_high"]
    item = run_tasks(submitted_claim, user, [visit | {"other_paid": Decimal("5.00")}]).items.get()
    assert item.status == ClaimItem.Status.ACCEPTED
    # 30.00 charged, 19.00 by the AM, 5.00 by the other insurer, 2.00 participation forfaitaire: 4.00 remain.
    assert (item.am_paid, item.other_paid, item.paid_total, item.out_of_pocket) == (
        Decimal("19.00"),
        Decimal("5.00"),
        Decimal("4.00"),
        Decimal("2.00"),
    )
    assert item.am_paid + item.other_paid + item.paid_total + item.out_of_pocket == item.plan_amount
    assert any("Another complementary insurer already paid" in sentence for sentence in item.explanation["en"])
    assert owed(item) == Decimal("4.00")


def test_the_am_statement_confirming_the_figure_changes_nothing_for_an_account_in_another_currency(
    tmp_path, household, run_tasks, django_capture_on_commit_callbacks
):
    """The ledger owes the euros the plan pays, whatever the account's currency: an account in Swiss francs
    is paid francs, but the AM's statement that confirms the figure typed finds nothing to correct."""
    user, _spouse, _child = household
    user.member.account_currency = "CHF"
    user.member.save(update_fields=["account_currency"])
    online = run_tasks(submitted_claim, user, [GP | {"mr": Decimal("19.00"), "doctor_fees": "sector_1"}])
    online = online.items.get()
    [first] = online.payables.all()
    assert first.currency == "CHF" and first.plan_amount == online.paid_total
    with django_capture_on_commit_callbacks(execute=True):
        import_and_pay(tmp_path, [act_line(1, SUBSCRIBER_NIR, mr="19.00")])
    am_line = ClaimItem.objects.get(claim__channel=Claim.Channel.TELETRANSMISSION)  # the chunk went through
    assert am_line.rejection_reason == RejectionReason.DUPLICATE
    assert list(online.payables.all()) == [first]
