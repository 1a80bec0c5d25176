"""Claims in any currency: the ECB rate of the care date when there is one, said on the page; a handler's
rate (and its source) for a currency the ECB does not quote, the claim never refused for it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.conversion import conversion_sentence
from mutua.claims.item_form import ClaimItemForm
from mutua.claims.review import claim_item_decide
from mutua.claims.services import claim_create, claim_item_add
from mutua.claims.tests.helpers import GP_VISIT, receipt, submitted_claim
from mutua.contracts.models import ContractPlan
from mutua.core.currencies import currency_choices
from mutua.core.money import exchange_rate
from mutua.core.tests.helpers import staff_login

pytestmark = pytest.mark.django_db

NAIROBI_VISIT = {
    "benefit_code": "intl.consultation",
    "care_date": date(2026, 3, 12),
    "amount": Decimal("6500.00"),
    "currency": "KES",
    "provider": "Nairobi Hospital",
    "care_country": "KE",
}

LONDON_VISIT = NAIROBI_VISIT | {"amount": Decimal("80.00"), "currency": "GBP", "care_country": "GB"}


def intl_member_user():
    """A member of the international staff plan (USD), at a duty station in Nairobi."""
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__duty_station="KE")
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    return user


def test_a_bill_in_kenyan_shillings_waits_for_a_handlers_rate_and_is_then_paid_in_dollars(run_tasks):
    user = intl_member_user()
    claim = run_tasks(submitted_claim, user, [NAIROBI_VISIT])
    item = ClaimItem.objects.get(claim=claim)
    # Not refused: the ECB does not quote the shilling, a handler converts it.
    assert item.status == ClaimItem.Status.IN_REVIEW and item.review_reasons == ["no_exchange_rate"]
    assert item.awaiting_rate and item.plan_amount is None
    handler = StaffUserFactory()
    with pytest.raises(ValidationError) as missing:
        claim_item_decide(item=item, by=handler, accept=True)
    assert missing.value.error_list[0].code == "rate_required"
    with pytest.raises(ValidationError) as unsourced:
        claim_item_decide(item=item, by=handler, accept=True, adjust={"rate": Decimal("0.0077419"), "rate_source": ""})
    assert unsourced.value.error_list[0].code == "rate_source"
    claim_item_decide(
        item=item,
        by=handler,
        accept=True,
        adjust={"rate": Decimal("0.0077419"), "rate_source": "Central Bank of Kenya"},
    )
    item.refresh_from_db()
    assert item.status == ClaimItem.Status.ACCEPTED
    assert item.plan_amount == Decimal("50.32")  # 6,500 × 0.0077419 = 50.32235, half-up to the cent
    assert (item.rate_on, item.rate_source) == (date(2026, 3, 12), "Central Bank of Kenya")
    # 25 USD deductible, then 80 %: (50.32 − 25) × 80 % = 20.26 (half-up).
    assert item.paid_total == Decimal("20.26")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.VALIDATED
    words = conversion_sentence(item, plan_currency="USD", language="en")
    assert words.startswith("Paid KES6,500.00 = US$50.32 at 1 KES = 0.007742 USD on 12 March 2026")
    assert "Central Bank of Kenya" in words
    french = conversion_sentence(item, plan_currency="USD", language="fr")
    assert "6\u202f500,00\u00a0KES = 50,32\u00a0$US" in french and "0,007742" in french and "12 mars 2026" in french


def test_a_bill_in_euros_is_converted_at_the_ecb_rate_of_the_care_date_and_paid_at_once(run_tasks):
    user = intl_member_user()
    visit = NAIROBI_VISIT | {"currency": "EUR", "amount": Decimal("60.00"), "care_date": date(2026, 3, 12)}
    claim = run_tasks(submitted_claim, user, [visit])
    item = ClaimItem.objects.get(claim=claim)
    rate = exchange_rate(currency="EUR", into="USD", on=date(2026, 3, 12))
    # A plan without a national scheme pays care anywhere: no handler for the currency alone.
    assert item.status == ClaimItem.Status.ACCEPTED, item.review_reasons
    assert (item.plan_rate, item.rate_on, item.rate_source) == (rate.value, date(2026, 3, 12), "ECB")
    assert item.plan_amount == (Decimal("60.00") * rate.value).quantize(Decimal("0.01"))
    assert "European Central Bank reference rate)." in conversion_sentence(item, plan_currency="USD", language="en")


def test_a_sunday_bill_says_the_rate_is_the_last_one_published_before_it(run_tasks):
    user = intl_member_user()
    sunday = date(2026, 3, 15)
    claim = run_tasks(
        submitted_claim, user, [NAIROBI_VISIT | {"currency": "EUR", "amount": Decimal("40"), "care_date": sunday}]
    )
    item = ClaimItem.objects.get(claim=claim)
    assert item.rate_on == date(2026, 3, 13)  # Friday's ECB rate
    words = conversion_sentence(item, plan_currency="USD", language="en")
    assert "on 13 March 2026" in words and "the last one published before the care" in words


def test_the_french_plan_still_has_a_handler_check_care_paid_abroad(run_tasks):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    claim = run_tasks(submitted_claim, user, [GP_VISIT | {"currency": "USD", "amount": Decimal("40.00")}])
    item = ClaimItem.objects.get(claim=claim)
    assert item.review_reasons == ["foreign_currency"] and item.rate_source == "ECB"


def test_any_iso_currency_is_offered_the_plans_and_the_duty_stations_first_named_in_the_readers_language():
    choices = currency_choices(first=("USD", "KES"), language="fr")
    assert [code for code, _name in choices[:2]] == ["USD", "KES"]
    assert dict(choices)["KES"] == "KES — Shilling kényan"
    codes = [code for code, _name in choices]
    assert len(codes) > 150 and len(codes) == len(set(codes)) and "XTS" not in codes


def test_one_claim_in_three_currencies_each_converted_once_at_its_care_dates_rate(run_tasks):
    """A mission's bills: a pharmacy in Nairobi (shillings, a handler's rate), a consultation in Paris (euros)
    and one in London (pounds), on three dates — each line in dollars at the rate of its own care date."""
    user = intl_member_user()
    bills = [
        NAIROBI_VISIT | {"benefit_code": "intl.pharmacy", "amount": Decimal("3100.00"), "care_date": date(2026, 3, 2)},
        NAIROBI_VISIT | {"currency": "EUR", "amount": Decimal("80.00"), "care_date": date(2026, 4, 8)},
        NAIROBI_VISIT | {"currency": "GBP", "amount": Decimal("120.00"), "care_date": date(2026, 5, 6)},
    ]
    claim = run_tasks(submitted_claim, user, bills)
    shillings, euros, pounds = ClaimItem.objects.filter(claim=claim).order_by("care_date")
    for item, currency, day in ((euros, "EUR", date(2026, 4, 8)), (pounds, "GBP", date(2026, 5, 6))):
        rate = exchange_rate(currency=currency, into="USD", on=day)
        assert (item.currency, item.plan_rate, item.rate_on) == (currency, rate.value, day)
        assert item.plan_amount == (item.amount * rate.value).quantize(Decimal("0.01"))
        # 25 USD deductible, then 80 % of the rest, half-up.
        assert item.paid_total == ((item.plan_amount - 25) * Decimal("0.8")).quantize(Decimal("0.01"))
    assert euros.plan_rate != pounds.plan_rate
    claim_item_decide(
        item=shillings,
        by=StaffUserFactory(),
        accept=True,
        adjust={"rate": Decimal("0.0077419"), "rate_source": "Central Bank of Kenya"},
    )
    shillings.refresh_from_db()
    assert shillings.plan_amount == Decimal("24.00")  # 3,100 × 0.0077419 = 23.99989
    assert shillings.paid_total == Decimal("19.20")  # medicines: no deductible, 80 %
    # Never more than the dollars the member paid.
    for item in (shillings, euros, pounds):
        assert item.paid_total <= item.plan_amount


def test_what_another_insurer_paid_is_asked_and_refused_in_the_plans_currency():
    """The engine takes it in the plan's currency: a bill in euros under the dollar plan must not read as
    'the amount on its statement' in euros, and a refusal names dollars, never euros."""
    with translation.override("en"):
        form = ClaimItemForm(plan_code="intl-staff", group=None, language="en", duty_station="KE")
        assert "in USD" in str(form.fields["other_paid"].label)
        user = intl_member_user()
        claim = claim_create(member=user.member, beneficiary=None, name="Nairobi")
        visit = NAIROBI_VISIT | {"currency": "USD", "amount": Decimal("60.00")}
        with pytest.raises(ValidationError) as refused:
            claim_item_add(claim=claim, by=user, uploads=[receipt(salt="o")], other_paid=Decimal("61.00"), **visit)
    [problem] = refused.value.error_list
    assert problem.code == "other_paid_too_high"
    assert "US$60.00" in problem.message % problem.params and "€" not in problem.message % problem.params


def test_the_handler_is_not_asked_for_national_scheme_figures_on_a_plan_without_one(client, run_tasks):
    claim = run_tasks(submitted_claim, intl_member_user(), [NAIROBI_VISIT])
    french = run_tasks(
        submitted_claim,
        MemberUserFactory(member__cover_start=date(2020, 1, 1)),
        [GP_VISIT | {"amount": Decimal("250")}],
    )
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    page = client.get(f"/backoffice/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "Exchange rate: 1 KES in USD" in page
    assert "Reimbursement base (BR)" not in page and "Paid by the Assurance Maladie" not in page
    assert " · AM " not in page
    page = client.get(f"/backoffice/claims/{french.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "Reimbursement base (BR)" in page and "Paid by the Assurance Maladie" in page


def test_a_handlers_rate_typed_wrong_is_refused_before_it_pays_a_hundred_times_the_bill(run_tasks):
    """1 for 0.0077: 6,500 shillings would become 6,500 dollars. No bill claimed online reaches the online
    limit, so a rate that makes it do is a mistake to check, not money to pay."""
    user = intl_member_user()
    item = ClaimItem.objects.get(claim=run_tasks(submitted_claim, user, [NAIROBI_VISIT]))
    handler = StaffUserFactory()
    with pytest.raises(ValidationError) as wrong:
        claim_item_decide(item=item, by=handler, accept=True, adjust={"rate": Decimal("1"), "rate_source": "CBK"})
    assert wrong.value.error_list[0].code == "rate"
    assert "6,500.00" in str(wrong.value.error_list[0].message % wrong.value.error_list[0].params)
    item.refresh_from_db()
    assert item.status == ClaimItem.Status.IN_REVIEW and item.paid_total is None
    claim_item_decide(item=item, by=handler, accept=True, adjust={"rate": Decimal("0.0077"), "rate_source": "CBK"})
    item.refresh_from_db()
    assert item.status == ClaimItem.Status.ACCEPTED and item.plan_amount == Decimal("50.05")


def test_a_member_paid_in_euros_reads_what_reaches_the_account_beside_the_dollars(client, run_tasks):
    """Pounds → dollars (the plan's) → euros (the account's): the claim page and the statement say what the
    account receives and the rate of the care date it was converted at, not only the dollars."""
    from mutua.claims.statements import statement_document
    from mutua.core.money import latest_rate
    from mutua.core.tests.helpers import member_login

    user = intl_member_user()
    user.member.account_currency = "EUR"
    user.member.iban = "FR1420041010050500013M02606"
    user.member.save(update_fields=["account_currency", "iban"])
    claim = run_tasks(submitted_claim, user, [LONDON_VISIT])
    claim.refresh_from_db()
    item = claim.items.get()
    rate = latest_rate(currency="USD", into="EUR", on=LONDON_VISIT["care_date"])
    euros = (item.paid_total * rate.value).quantize(Decimal("0.01"))
    assert item.paid_total > 0 and rate.on == LONDON_VISIT["care_date"]

    member_login(client, user.member.member_number, PASSWORD)
    page = client.get(f"/portal/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert f"In your account&#x27;s currency: €{euros:,} for US${item.paid_total:,}" in page
    assert "(European Central Bank reference rate of 12 March 2026)." in page
    assert "at 1 USD = " in page

    document = statement_document(statement=claim.statement, language="fr")
    amount = f"{euros:,}".replace(",", "\u202f").replace(".", ",")
    assert document.sent.startswith(f"Dans la devise de votre compte\u00a0: {amount}\u00a0€ pour")
    assert "12 mars 2026" in document.sent


def test_a_member_paid_in_the_plans_currency_reads_no_second_amount(run_tasks):
    from mutua.claims.statements import statement_document

    claim = run_tasks(submitted_claim, intl_member_user(), [LONDON_VISIT])
    claim.refresh_from_db()
    assert claim.items.get().paid_total > 0
    assert statement_document(statement=claim.statement, language="en").sent == ""
