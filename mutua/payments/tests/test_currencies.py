"""Reimbursements in the plan's currency or the account's: converted once when owed, both kept in the ledger;
one run and one pain.001 per currency, the non-euro ones outside SEPA with their currency and the BIC."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from sepaxml import validation as sepa_validation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.payables import payable_correct
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.contracts.models import ContractPlan
from mutua.core.money import latest_rate
from mutua.payments import services
from mutua.payments.models import Payable
from mutua.payments.selectors import due_currencies

pytestmark = pytest.mark.django_db

IBAN_KE = "FR1420041010050500013M02606"  # a euro-zone IBAN format suffices for the file's schema
BIC = "BNPAFRPPXXX"
SCHEMA = f"{sepa_validation.__file__.rsplit('/', 1)[0]}/schemas/pain.001.001.03.xsd"
VISIT = {
    "benefit_code": "intl.consultation",
    "care_date": date(2026, 3, 12),
    "amount": Decimal("120.00"),
    "currency": "EUR",
    "care_country": "KE",
}


def intl_claim(django_capture_on_commit_callbacks, **member):
    user = MemberUserFactory(
        member__cover_start=date(2020, 1, 1), member__duty_station="KE", member__iban=IBAN_KE, member__bic=BIC, **member
    )
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [VISIT])
    claim.refresh_from_db()
    return claim


@pytest.fixture
def finance():
    return StaffUserFactory(role=Role.FINANCE), StaffUserFactory(role=Role.FINANCE)


def test_the_international_plan_owes_dollars_and_its_run_is_a_generic_pain_001_in_usd(
    django_capture_on_commit_callbacks, finance
):
    claim = intl_claim(django_capture_on_commit_callbacks)
    item = claim.items.get()
    payable = Payable.objects.get()
    assert (payable.amount, payable.currency, payable.rate) == (item.paid_total, "USD", None)
    assert due_currencies() == ["EUR", "USD"]
    with pytest.raises(ValidationError):
        services.run_create(by=finance[0], execution_date=date(2026, 12, 10))  # nothing due in euros
    run = services.run_create(by=finance[0], execution_date=date(2026, 12, 10), currency="USD")
    assert run.currency == "USD" and run.total == item.paid_total
    run = services.run_approve(run=run, by=finance[1])
    xml = services.run_file(run=run)
    xmlschema.XMLSchema(SCHEMA).validate(xml)
    assert f'<InstdAmt Ccy="USD">{item.paid_total}</InstdAmt>' in xml
    assert f"<BIC>{BIC}</BIC>" in xml and IBAN_KE in xml
    # Not a SEPA transfer: no SEPA service level, the charges shared.
    assert "<Cd>SEPA</Cd>" not in xml and "<ChrgBr>SHAR</ChrgBr>" in xml and "SLEV" not in xml


def test_a_payee_without_a_bic_waits_outside_a_dollar_run_instead_of_stopping_it(
    django_capture_on_commit_callbacks, finance
):
    """A transfer in dollars needs the bank's BIC: the payee without one waits with their payables (and is paid by
    a later run once it is given), the others' run is prepared, approved and filed."""
    waiting = intl_claim(django_capture_on_commit_callbacks)
    waiting.member.bic = ""
    waiting.member.save(update_fields=["bic"])
    with pytest.raises(ValidationError) as nothing:
        services.run_create(by=finance[0], execution_date=date(2026, 12, 10), currency="USD")
    assert nothing.value.code == "nothing_due"
    paid = intl_claim(django_capture_on_commit_callbacks)
    run = services.run_create(by=finance[0], execution_date=date(2026, 12, 10), currency="USD")
    assert set(run.payables.values_list("payee__member", flat=True)) == {paid.member_id}
    services.run_approve(run=run, by=finance[1])
    assert Payable.objects.get(payee__member=waiting.member).status == Payable.Status.DUE
    waiting.member.bic = BIC
    waiting.member.save(update_fields=["bic"])
    later = services.run_create(by=finance[0], execution_date=date(2026, 12, 11), currency="USD")
    assert set(later.payables.values_list("payee__member", flat=True)) == {waiting.member_id}


def test_an_account_in_euros_gets_the_dollars_converted_once_and_the_ledger_keeps_both(
    django_capture_on_commit_callbacks,
):
    claim = intl_claim(django_capture_on_commit_callbacks, member__account_currency="EUR")
    item = claim.items.get()
    payable = Payable.objects.get()
    # At the rate of the care date, as the bill was converted into dollars: not of the day it was decided.
    rate = latest_rate(currency="USD", into="EUR", on=VISIT["care_date"])
    assert rate.on == VISIT["care_date"]
    assert (payable.plan_amount, payable.plan_currency, payable.currency) == (item.paid_total, "USD", "EUR")
    assert (payable.rate, payable.rate_on) == (rate.value, rate.on)
    assert payable.amount == (item.paid_total * rate.value).quantize(Decimal("0.01"))
    assert due_currencies() == ["EUR"]  # paid with the euro run, in the SEPA file


def test_an_account_in_a_currency_without_a_rate_is_paid_in_the_plans(django_capture_on_commit_callbacks):
    intl_claim(django_capture_on_commit_callbacks, member__account_currency="KES")
    payable = Payable.objects.get()
    assert (payable.currency, payable.rate, payable.plan_amount) == ("USD", None, None)


def test_a_correction_keeps_the_first_rate_so_both_currencies_add_up(django_capture_on_commit_callbacks):
    claim = intl_claim(django_capture_on_commit_callbacks, member__account_currency="EUR")
    item = claim.items.get()
    first = Payable.objects.get()
    payable_correct(item=item, amount=Decimal("0.00"), reason="paid twice", by=None)
    reversal = Payable.objects.exclude(pk=first.pk).get()
    assert reversal.plan_amount == -first.plan_amount and reversal.rate == first.rate
    assert reversal.amount == -first.amount and reversal.currency == "EUR"


def test_a_french_member_is_still_paid_in_euros(django_capture_on_commit_callbacks):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=IBAN_KE)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_claim(user, [GP_VISIT])
    payable = Payable.objects.get()
    assert (payable.currency, payable.rate, payable.plan_currency) == ("EUR", None, "")


def test_the_nightly_proposal_prepares_one_run_per_currency(django_capture_on_commit_callbacks):
    from mutua.payments.models import PaymentRun
    from mutua.payments.tasks import propose_nightly_run

    intl_claim(django_capture_on_commit_callbacks)
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=IBAN_KE)
    with django_capture_on_commit_callbacks(execute=True):
        submitted_claim(user, [GP_VISIT])
    propose_nightly_run.call_local()
    assert sorted(PaymentRun.objects.values_list("currency", flat=True)) == ["EUR", "USD"]


def test_the_first_entry_of_an_item_that_paid_nothing_is_owed_in_the_plans_currency(
    django_capture_on_commit_callbacks,
):
    """A visit under the deductible pays nothing, so no payable; the handler's correction is the first entry:
    in dollars, the plan's currency, never a euro by default."""
    visit = {**VISIT, "amount": Decimal("20.00")}  # about 21.60 USD, under the 25 USD deductible
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__duty_station="KE", member__iban=IBAN_KE)
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [visit])
    item = claim.items.get()
    assert item.paid_total == 0 and not Payable.objects.exists()
    entry = payable_correct(item=item, amount=Decimal("10.00"), reason="deductible waived", by=None)
    assert (entry.amount, entry.currency) == (Decimal("10.00"), "USD")


def test_the_first_entry_of_an_item_is_converted_to_the_accounts_currency(django_capture_on_commit_callbacks):
    visit = {**VISIT, "amount": Decimal("20.00")}
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=IBAN_KE, member__account_currency="EUR")
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [visit])
    entry = payable_correct(item=claim.items.get(), amount=Decimal("10.00"), reason="waived", by=None)
    assert (entry.plan_amount, entry.plan_currency, entry.currency) == (Decimal("10.00"), "USD", "EUR")
    assert entry.amount == (Decimal("10.00") * entry.rate).quantize(Decimal("0.01"))


def test_an_account_in_yen_is_owed_whole_yen_as_a_bank_can_pay_them(django_capture_on_commit_callbacks):
    """The yen has no cents (ISO 4217 minor unit 0): an amount converted into it is rounded half-up to the
    yen, never left with a fraction no bank can transfer; its corrections too."""
    claim = intl_claim(django_capture_on_commit_callbacks, member__account_currency="JPY")
    item = claim.items.get()
    payable = Payable.objects.get()
    assert payable.currency == "JPY" and payable.amount == payable.amount.to_integral_value()
    assert payable.amount == (item.paid_total * payable.rate).quantize(Decimal("1"), ROUND_HALF_UP)
    correction = payable_correct(item=item, amount=item.paid_total + Decimal("0.33"), reason="receipt re-read", by=None)
    assert correction.amount == correction.amount.to_integral_value()
