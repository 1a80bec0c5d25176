from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory
from mutua.capital import services
from mutua.capital.designations import DesigneeInput, capital_designation_record
from mutua.capital.models import CapitalClaim, CapitalDesignation, ClaimDocument, Relationship
from mutua.capital.selectors import claim_documents_for, claim_history
from mutua.capital.tests.helpers import IBAN, OTHER_IBAN, death_claim, intl_member_user, pdf, staff
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.documents.selectors import document_for_user
from mutua.payments import services as payments
from mutua.payments.models import Payable, Payee, PaymentTransfer

pytestmark = pytest.mark.django_db
Status = CapitalClaim.Status


def _designee(name: str, share: str, iban: str = "") -> DesigneeInput:
    return DesigneeInput(name, Relationship.CHILD, date(1990, 1, 1), f"{name}@example.org", Decimal(share), iban)


def _designated(member, designees):
    """Designated on 1 January 2024, before the deaths of these tests."""
    designation = capital_designation_record(member=member, designees=designees, by=member.account)
    CapitalDesignation.objects.filter(pk=designation.pk).update(created_at=datetime(2024, 1, 1, tzinfo=UTC))
    return designation


def _decided(claim, *, cause=CapitalClaim.Cause.NATURAL, death_date=date(2025, 5, 9)):
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=claim, by=handler)
    return services.capital_claim_medical_decide(claim=claim, by=advisor, cause=cause, death_date=death_date)


def test_a_death_claim_walks_every_step_with_its_history_and_pays_each_beneficiary_in_usd():
    user = intl_member_user()
    _designated(
        user.member,
        [_designee("Ana", "33.33", IBAN), _designee("Ben", "33.33", OTHER_IBAN), _designee("Cy", "33.34")],
    )
    handler = staff()
    claim = _decided(death_claim(user.member, handler))
    claim = services.capital_claim_compute(claim=claim, by=handler, repatriation_cost=Decimal("9000"))
    # Natural death at 63 (the day before the 64th birthday): the full capital, repatriation limited.
    assert (claim.capital, claim.repatriation, claim.total, claim.currency) == (
        Decimal("25000.00"),
        Decimal("7500.00"),
        Decimal("32500.00"),
        "USD",
    )
    amounts = [share.amount for share in claim.shares.all()]
    assert amounts == [Decimal("10832.25"), Decimal("10832.25"), Decimal("10835.50")]
    assert sum(amounts) == claim.total
    with pytest.raises(ValidationError, match="IBAN"):
        services.capital_claim_approve(claim=claim, by=handler)
    services.claim_share_bank_details(share=claim.shares.last(), iban=IBAN, bic="", by=handler)
    claim = services.capital_claim_approve(claim=claim, by=handler)
    payables = Payable.objects.filter(capital_share__claim=claim).select_related("payee")
    assert [(p.amount, p.currency, p.payee.kind) for p in payables] == [
        (amount, "USD", Payee.Kind.BENEFICIARY) for amount in amounts
    ]
    assert payables[0].payee.iban == IBAN and payables[0].payee.account_name == "Ana"
    assert [(c.from_status, c.to_status) for c in claim_history(claim=claim)] == [
        (Status.RECEIVED, Status.DOCUMENTS_COMPLETE),
        (Status.DOCUMENTS_COMPLETE, Status.MEDICAL_DECIDED),
        (Status.MEDICAL_DECIDED, Status.COMPUTED),
        (Status.COMPUTED, Status.APPROVED),
    ]


def test_natural_death_after_63_pays_half_and_the_explanation_says_why():
    user = intl_member_user()
    BeneficiaryFactory(member=user.member, relationship="spouse", first_name="Paul")
    handler = staff()
    claim = _decided(death_claim(user.member, handler, event_date=date(2025, 5, 10)), death_date=date(2025, 5, 10))
    claim = services.capital_claim_compute(claim=claim, by=handler)
    assert claim.total == Decimal("12500.00")
    assert claim.explanation[0]["key"] == "capital.death_reduced"
    # Nobody designated: the legal order gives it all to the spouse.
    assert [(s.full_name.split()[0], s.share, s.amount) for s in claim.shares.all()] == [
        ("Paul", Decimal("100.00"), Decimal("12500.00"))
    ]


def test_legal_order_without_spouse_splits_between_the_children_exactly():
    user = intl_member_user()
    for name in ("Léa", "Tom", "Zoé"):
        BeneficiaryFactory(member=user.member, first_name=name)
    handler = staff()
    claim = services.capital_claim_compute(claim=_decided(death_claim(user.member, handler)), by=handler)
    assert [s.amount for s in claim.shares.all()] == [Decimal("8332.50"), Decimal("8332.50"), Decimal("8335.00")]


def test_the_designation_in_force_on_the_day_of_death_counts_not_a_later_one():
    user = intl_member_user()
    BeneficiaryFactory(member=user.member, relationship="spouse", first_name="Paul")
    _designated(user.member, [_designee("Ana", "100")])
    capital_designation_record(member=user.member, designees=[_designee("Ben", "100")], by=user)  # today
    handler = staff()
    claim = services.capital_claim_compute(claim=_decided(death_claim(user.member, handler)), by=handler)
    assert [share.full_name for share in claim.shares.all()] == ["Ana"]


def test_shares_must_add_up_to_100():
    user = intl_member_user()
    with pytest.raises(ValidationError, match="100"):
        capital_designation_record(
            member=user.member, designees=[_designee("Ana", "60"), _designee("Ben", "30")], by=user
        )
    designation = capital_designation_record(
        member=user.member, designees=[_designee("Ana", "60"), _designee("Ben", "40")], by=user
    )
    capital_designation_record(member=user.member, designees=[_designee("Ana", "100")], by=user)
    # Each version is kept.
    assert user.member.capital_designations.count() == 2
    assert list(designation.designees.values_list("full_name", flat=True)) == ["Ana", "Ben"]


def test_only_the_medical_advisor_records_the_medical_decision_and_reads_the_medical_documents():
    user = intl_member_user()
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=death_claim(user.member, handler), by=handler)
    with pytest.raises(PermissionDenied):
        services.capital_claim_medical_decide(
            claim=claim, by=handler, cause=CapitalClaim.Cause.ACCIDENTAL, death_date=date(2025, 5, 9)
        )
    cause = claim.documents.get(role=ClaimDocument.Role.CAUSE_CERTIFICATE).document
    assert [d.role for d in claim_documents_for(claim=claim, user=handler)] == [ClaimDocument.Role.DEATH_CERTIFICATE]
    assert len(claim_documents_for(claim=claim, user=advisor)) == 2
    # The download view's check agrees: the handler cannot fetch it by its id either.
    handler.is_verified = advisor.is_verified = lambda: True  # signed in with the second factor
    assert document_for_user(user=handler, document_id=cause.pk) is None
    assert document_for_user(user=advisor, document_id=cause.pk) == cause


def test_documents_complete_needs_both_certificates():
    user = intl_member_user()
    handler = staff()
    claim = services.capital_claim_file(
        member=user.member,
        kind=CapitalClaim.Kind.DEATH,
        event_date=date(2025, 5, 9),
        declarant_name="Paul",
        declarant_relationship="",
        declarant_contact="paul@example.org",
        uploads=[(ClaimDocument.Role.DEATH_CERTIFICATE, pdf("death"))],
        by=handler,
    )
    with pytest.raises(ValidationError, match="cause of death"):
        services.capital_claim_documents_complete(claim=claim, by=handler)
    services.capital_claim_documents_add(
        claim=claim, uploads=[(ClaimDocument.Role.CAUSE_CERTIFICATE, pdf("cause"))], by=handler
    )
    assert services.capital_claim_documents_complete(claim=claim, by=handler).status == Status.DOCUMENTS_COMPLETE


def test_a_partial_disability_of_35_percent_pays_14000_to_the_member():
    user = intl_member_user()
    claim = services.capital_claim_file(
        member=user.member,
        kind=CapitalClaim.Kind.DISABILITY,
        event_date=date(2025, 3, 1),
        declarant_name=user.member.full_name,
        declarant_relationship="",
        declarant_contact=user.member.email,
        uploads=[(ClaimDocument.Role.MEDICAL_REPORT, pdf("report"))],
        by=user,
    )
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=claim, by=handler)
    claim = services.capital_claim_medical_decide(claim=claim, by=advisor, degree=Decimal("35"))
    claim = services.capital_claim_compute(claim=claim, by=handler)
    assert claim.total == Decimal("14000.00")
    claim = services.capital_claim_approve(claim=claim, by=handler)
    payable = Payable.objects.get(capital_share__claim=claim)
    assert (payable.amount, payable.currency, payable.payee.member) == (Decimal("14000.00"), "USD", user.member)


def test_a_plan_without_capital_accepts_no_claim():
    user = MemberUserFactory()  # the French plan
    with pytest.raises(ValidationError, match="no death or disability capital"):
        death_claim(user.member, staff())


def test_without_designation_nor_household_the_heirs_must_be_on_the_file_first():
    user = intl_member_user()
    handler = staff()
    with pytest.raises(ValidationError, match="no spouse, child or parent"):
        services.capital_claim_compute(claim=_decided(death_claim(user.member, handler)), by=handler)


def test_a_member_files_only_for_their_own_household():
    user, other = intl_member_user(), intl_member_user()
    with pytest.raises(PermissionDenied):
        death_claim(other.member, user)


def test_finance_records_the_payment_only_once_every_share_is_paid():
    user = intl_member_user()
    _designated(user.member, [_designee("Ana", "100", IBAN)])
    handler, finance = staff(), staff(Role.FINANCE)
    claim = _decided(death_claim(user.member, handler))
    claim = services.capital_claim_approve(claim=services.capital_claim_compute(claim=claim, by=handler), by=handler)
    with pytest.raises(PermissionDenied):
        services.capital_claim_payment_record(claim=claim, by=handler)
    with pytest.raises(ValidationError, match="not paid"):
        services.capital_claim_payment_record(claim=claim, by=finance)
    Payable.objects.filter(capital_share__claim=claim).update(status=Payable.Status.PAID)
    assert services.capital_claim_payment_record(claim=claim, by=finance).status == Status.PAID


def test_refused_with_its_reason():
    user = intl_member_user()
    handler = staff()
    claim = death_claim(user.member, handler)
    with pytest.raises(ValidationError):
        services.capital_claim_refuse(claim=claim, by=handler, reason=" ")
    claim = services.capital_claim_refuse(claim=claim, by=handler, reason="Not a contract holder on that date")
    assert claim.status == Status.REFUSED
    assert claim_history(claim=claim).get().reason == "Not a contract holder on that date"


def test_a_payment_run_in_the_plans_currency_pays_the_beneficiary_to_the_account_given():
    user = intl_member_user()
    _designated(user.member, [_designee("Ana", "100", IBAN)])
    handler = staff()
    claim = _decided(death_claim(user.member, handler))
    claim = services.capital_claim_approve(claim=services.capital_claim_compute(claim=claim, by=handler), by=handler)
    with pytest.raises(ValidationError, match="Nothing is due"):  # a run pays one currency: not in a euro run
        payments.run_create(by=staff(Role.FINANCE), execution_date=date.today(), currency="EUR")
    run = payments.run_create(by=staff(Role.FINANCE), execution_date=date.today(), currency="USD")
    transfer = PaymentTransfer.objects.get(run=run)
    assert (transfer.name, transfer.iban, transfer.amount) == ("Ana", IBAN, Decimal("25000.00"))
    assert transfer.remittance == f"Death capital, claim {claim.pk}"


def test_the_account_a_handler_records_for_a_beneficiary_is_kept_in_the_history_masked():
    """Who paid a death capital to which account: a beneficiary's IBAN typed from a letter is audited as a
    member's is (the last four characters only), so an account changed before approval leaves a trace."""
    from auditlog.models import LogEntry

    user = intl_member_user()
    _designated(user.member, [_designee("Ana", "100")])
    handler = staff()
    claim = services.capital_claim_compute(claim=_decided(death_claim(user.member, handler)), by=handler)
    share = services.claim_share_bank_details(share=claim.shares.get(), iban=OTHER_IBAN, bic="", by=handler)
    entry = LogEntry.objects.get_for_object(share).latest("timestamp")
    assert OTHER_IBAN not in str(entry.changes) and OTHER_IBAN[-4:] in str(entry.changes)


def _disability(user, degree: str, handler, advisor) -> CapitalClaim:
    claim = services.capital_claim_file(
        member=user.member,
        kind=CapitalClaim.Kind.DISABILITY,
        event_date=date(2025, 3, 1),
        declarant_name=user.member.full_name,
        declarant_relationship="",
        declarant_contact=user.member.email,
        uploads=[(ClaimDocument.Role.MEDICAL_REPORT, pdf("report"))],
        by=user,
    )
    claim = services.capital_claim_documents_complete(claim=claim, by=handler)
    return services.capital_claim_medical_decide(claim=claim, by=advisor, degree=Decimal(degree))


def test_a_disability_that_worsens_pays_the_difference_never_the_capital_twice():
    """35 % paid 14,000; the disability found total later is owed 40,000 in all, so 26,000 more; a third
    claim for the same total disability owes nothing more. Claimed twice, it was paid twice."""
    user = intl_member_user()
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    first = services.capital_claim_compute(claim=_disability(user, "35", handler, advisor), by=handler)
    services.capital_claim_approve(claim=first, by=handler)
    worse = services.capital_claim_compute(claim=_disability(user, "100", handler, advisor), by=handler)
    assert worse.total == Decimal("26000.00")
    services.capital_claim_approve(claim=worse, by=handler)
    assert sum(Payable.objects.values_list("amount", flat=True)) == Decimal("40000.00")
    again = _disability(user, "100", handler, advisor)
    with pytest.raises(ValidationError) as nothing:
        services.capital_claim_compute(claim=again, by=handler)
    assert nothing.value.code == "nothing_due"


def test_two_disability_claims_computed_side_by_side_cannot_both_be_approved_whole():
    user = intl_member_user()
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    one = services.capital_claim_compute(claim=_disability(user, "100", handler, advisor), by=handler)
    two = services.capital_claim_compute(claim=_disability(user, "100", handler, advisor), by=handler)
    services.capital_claim_approve(claim=one, by=handler)
    with pytest.raises(ValidationError) as stale:
        services.capital_claim_approve(claim=two, by=handler)
    assert stale.value.code == "recompute"
    assert sum(Payable.objects.values_list("amount", flat=True)) == Decimal("40000.00")


def test_a_death_capital_is_approved_once_whatever_created_a_second_claim():
    """Two declarations of the same death filed at the same moment (the spouse online, a handler from the
    letter) both pass the check for an open claim; approval, under the member's lock, pays one only."""
    user = intl_member_user()
    _designated(user.member, [_designee("Ana", "100", IBAN)])
    handler = staff()
    twin = death_claim(user.member, handler)
    CapitalClaim.objects.filter(pk=twin.pk).update(status=Status.REFUSED)  # out of the way of the check…
    first = death_claim(user.member, handler)
    CapitalClaim.objects.filter(pk=twin.pk).update(status=Status.RECEIVED)  # …as a concurrent filing would be
    twin.refresh_from_db()
    first, twin = (services.capital_claim_compute(claim=_decided(claim), by=handler) for claim in (first, twin))
    services.capital_claim_approve(claim=first, by=handler)
    with pytest.raises(ValidationError) as twice:
        services.capital_claim_approve(claim=twin, by=handler)
    assert twice.value.code == "already_approved"
    assert Payable.objects.count() == 1


def test_a_disability_capital_is_paid_in_the_currency_of_the_members_account():
    """As a reimbursement is: the member chose an account in euros, the dollars are converted once, when owed,
    at the last ECB rate, and the ledger keeps both amounts and the rate."""
    user = intl_member_user(member__account_currency="EUR")
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_compute(claim=_disability(user, "35", handler, advisor), by=handler)
    services.capital_claim_approve(claim=claim, by=handler)
    payable = Payable.objects.get()
    assert (payable.plan_amount, payable.plan_currency, payable.currency) == (Decimal("14000.00"), "USD", "EUR")
    assert payable.amount == (Decimal("14000.00") * payable.rate).quantize(Decimal("0.01"))
