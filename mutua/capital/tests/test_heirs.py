"""Heirs keyed in by a handler when the member designated nobody and the household file names nobody in
the legal order: shares adding up to 100 %, accounts checked and encrypted, one history row, and the
capital then paid to them as to designated beneficiaries."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD
from mutua.capital import services
from mutua.capital.heirs import HeirInput, capital_claim_heirs_record
from mutua.capital.models import CapitalClaim, ClaimHeir, Relationship
from mutua.capital.selectors import claim_history
from mutua.capital.tests.helpers import IBAN, OTHER_IBAN, death_claim, intl_member_user, staff
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.tests.helpers import member_login, staff_login
from mutua.payments.models import Payable, Payee

pytestmark = pytest.mark.django_db
Status = CapitalClaim.Status
BAD_IBAN = "FR1420041010050500013M02607"  # one digit off: the key does not match


def _decided(claim):
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=claim, by=handler)
    return services.capital_claim_medical_decide(
        claim=claim, by=advisor, cause=CapitalClaim.Cause.ACCIDENTAL, death_date=date(2025, 5, 9)
    )


def _nobody_known():
    """A death claim, its medical decision recorded, for a member who designated nobody and whose
    household file names nobody."""
    user = intl_member_user()
    return _decided(death_claim(user.member, staff()))


def _heirs_post(rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"form-{index}-{key}": value for key, value in row.items()}
    return data


def _staff_client(client, user, language="en"):
    staff_login(client, user, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_handler_records_the_heirs_and_the_capital_is_paid_to_them_to_the_cent(client):
    claim = _nobody_known()
    handler = staff()
    _staff_client(client, handler)
    page = client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    assert f"/backoffice/capital/{claim.pk}/heirs/" in page
    form = client.get(f"/backoffice/capital/{claim.pk}/heirs/").content.decode()
    assert "Heir 1" in form and "Heir 3" in form and 'name="form-0-iban"' in form
    rows = [
        {"full_name": "Awa Diallo", "share": "33.33", "iban": IBAN, "bic": ""},
        {"full_name": "Moussa Diallo", "share": "33.33", "iban": OTHER_IBAN, "bic": ""},
        {"full_name": "Fatou Diallo", "share": "33.34", "iban": IBAN.lower(), "bic": ""},
        {"full_name": "", "share": "", "iban": "", "bic": ""},  # a row left blank is skipped
    ]
    response = client.post(f"/backoffice/capital/{claim.pk}/heirs/", _heirs_post(rows))
    assert response.status_code == 302 and response["Location"] == f"/backoffice/capital/{claim.pk}/"
    heirs = list(claim.heirs.all())
    assert [(h.full_name, h.share, h.iban) for h in heirs] == [
        ("Awa Diallo", Decimal("33.33"), IBAN),
        ("Moussa Diallo", Decimal("33.33"), OTHER_IBAN),
        ("Fatou Diallo", Decimal("33.34"), IBAN),  # the IBAN as the validator writes it
    ]
    assert heirs[1].bic  # found from the IBAN, as for a member's account
    # One history row, the status unmoved, who and what (never an account).
    [change] = claim_history(claim=claim).filter(changed_by=handler)
    assert (change.from_status, change.to_status) == (Status.MEDICAL_DECIDED, Status.MEDICAL_DECIDED)
    assert "Awa Diallo (33.33" in change.reason and IBAN not in change.reason

    claim = services.capital_claim_compute(claim=claim, by=handler, repatriation_cost=Decimal("1000"))
    assert [(s.full_name, s.relationship) for s in claim.shares.all()] == [
        (h.full_name, Relationship.OTHER) for h in heirs
    ]
    claim = services.capital_claim_approve(claim=claim, by=handler)
    payables = Payable.objects.filter(capital_share__claim=claim).select_related("payee").order_by("pk")
    assert sum(p.amount for p in payables) == claim.total == Decimal("26000.00")
    assert [(p.payee.kind, p.payee.account_name, p.payee.iban, p.currency) for p in payables] == [
        (Payee.Kind.BENEFICIARY, "Awa Diallo", IBAN, "USD"),
        (Payee.Kind.BENEFICIARY, "Moussa Diallo", OTHER_IBAN, "USD"),
        (Payee.Kind.BENEFICIARY, "Fatou Diallo", IBAN, "USD"),
    ]
    assert [p.amount for p in payables] == [Decimal("8665.80"), Decimal("8665.80"), Decimal("8668.40")]


def test_the_heirs_iban_is_encrypted_at_rest_and_audited_masked():
    from auditlog.models import LogEntry

    claim = _nobody_known()
    capital_claim_heirs_record(claim=claim, heirs=[HeirInput("Awa Diallo", Decimal("100"), IBAN)], by=staff())
    heir = ClaimHeir.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM capital_claimheir WHERE id = %s", [heir.pk])
        stored = cursor.fetchone()[0]
    assert stored and IBAN not in stored
    entry = LogEntry.objects.get_for_object(heir).latest("timestamp")
    assert IBAN not in str(entry.changes) and IBAN[-4:] in str(entry.changes)


def test_shares_that_do_not_add_up_to_100_are_refused_and_nothing_is_written(client):
    claim = _nobody_known()
    with pytest.raises(ValidationError) as refused:
        capital_claim_heirs_record(
            claim=claim,
            heirs=[HeirInput("Awa", Decimal("60"), IBAN), HeirInput("Moussa", Decimal("30"), OTHER_IBAN)],
            by=staff(),
        )
    assert refused.value.code == "shares_total"
    assert "The shares add up to 90 %: they must add up to 100 %." in refused.value.messages
    assert not ClaimHeir.objects.exists() and claim_history(claim=claim).count() == 2  # the two steps before
    # On the page, in the handler's language.
    _staff_client(client, staff(), language="fr")
    rows = [{"full_name": "Awa", "share": "60", "iban": IBAN}, {"full_name": "Moussa", "share": "50", "iban": ""}]
    response = client.post(f"/backoffice/capital/{claim.pk}/heirs/", _heirs_post(rows))
    assert response.status_code == 200
    assert "Les parts font 110\xa0% au total\xa0: elles doivent faire 100\xa0%." in response.content.decode()
    assert not ClaimHeir.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Moussa: This IBAN is not valid: check the country code, the length and the key."),
        ("fr", "Moussa\xa0: Cet IBAN n’est pas valide\xa0: vérifiez le code pays, la longueur et la clé."),
        ("es", "Moussa: Este IBAN no es válido: compruebe el código de país, la longitud y la clave."),
    ],
)
def test_a_wrong_iban_is_refused_with_the_heirs_name_in_the_handlers_language(client, language, words):
    claim = _nobody_known()
    with translation.override(language), pytest.raises(ValidationError) as refused:
        capital_claim_heirs_record(
            claim=claim,
            heirs=[HeirInput("Awa", Decimal("50"), IBAN), HeirInput("Moussa", Decimal("50"), BAD_IBAN)],
            by=staff(),
        )
    assert refused.value.messages == [words]
    _staff_client(client, staff(), language=language)
    rows = [{"full_name": "Awa", "share": "50", "iban": IBAN}, {"full_name": "Moussa", "share": "50", "iban": BAD_IBAN}]
    response = client.post(f"/backoffice/capital/{claim.pk}/heirs/", _heirs_post(rows))
    assert response.status_code == 200 and words in response.content.decode()
    assert not ClaimHeir.objects.exists()


def test_only_the_management_unit_records_heirs(client):
    claim = _nobody_known()
    for role in (Role.FINANCE, Role.MEDICAL_ADVISOR):
        with pytest.raises(PermissionDenied):
            capital_claim_heirs_record(claim=claim, heirs=[HeirInput("Awa", Decimal("100"), IBAN)], by=staff(role))
        _staff_client(client, staff(role))
        rows = [{"full_name": "Awa", "share": "100", "iban": IBAN}]
        assert client.get(f"/backoffice/capital/{claim.pk}/heirs/").status_code == 403
        assert client.post(f"/backoffice/capital/{claim.pk}/heirs/", _heirs_post(rows)).status_code == 403
        client.logout()
    # A member signed in is refused; nobody signed in is sent to the staff's login.
    member_login(client, claim.member.member_number, PASSWORD)
    assert client.post(f"/backoffice/capital/{claim.pk}/heirs/", _heirs_post(rows)).status_code == 403
    client.logout()
    response = client.get(f"/backoffice/capital/{claim.pk}/heirs/")
    assert response.status_code == 302 and "/backoffice/login/" in response["Location"]
    assert not ClaimHeir.objects.exists()


def test_heirs_are_not_recorded_over_a_designation_or_the_households_legal_order(client):
    user = intl_member_user()
    BeneficiaryFactory(member=user.member, relationship="spouse", first_name="Paul")
    handler = staff()
    claim = _decided(death_claim(user.member, handler))
    with pytest.raises(ValidationError) as refused:
        capital_claim_heirs_record(claim=claim, heirs=[HeirInput("Awa", Decimal("100"), IBAN)], by=handler)
    assert refused.value.code == "not_needed"
    _staff_client(client, handler)
    assert (
        f"/backoffice/capital/{claim.pk}/heirs/" not in client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    )
    assert client.get(f"/backoffice/capital/{claim.pk}/heirs/").status_code == 404


def test_heirs_recorded_again_after_the_amounts_replace_the_shares_and_none_after_approval():
    claim = _nobody_known()
    handler = staff()
    capital_claim_heirs_record(claim=claim, heirs=[HeirInput("Awa", Decimal("100"), IBAN)], by=handler)
    claim = services.capital_claim_compute(claim=claim, by=handler)
    assert [(s.full_name, s.amount) for s in claim.shares.all()] == [("Awa", Decimal("25000.00"))]
    # The succession documents corrected: a second heir, the account of whom comes later.
    claim = capital_claim_heirs_record(
        claim=claim, heirs=[HeirInput("Awa", Decimal("75"), IBAN), HeirInput("Moussa", Decimal("25"))], by=handler
    )
    assert claim.status == Status.COMPUTED
    assert [(s.full_name, s.amount, s.iban) for s in claim.shares.all()] == [
        ("Awa", Decimal("18750.00"), IBAN),
        ("Moussa", Decimal("6250.00"), ""),
    ]
    with pytest.raises(ValidationError, match="IBAN"):
        services.capital_claim_approve(claim=claim, by=handler)
    services.claim_share_bank_details(share=claim.shares.get(full_name="Moussa"), iban=OTHER_IBAN, bic="", by=handler)
    claim = services.capital_claim_approve(claim=claim, by=handler)
    assert sum(Payable.objects.values_list("amount", flat=True)) == Decimal("25000.00")
    with pytest.raises(ValidationError) as late:
        capital_claim_heirs_record(claim=claim, heirs=[HeirInput("Awa", Decimal("100"), IBAN)], by=handler)
    assert late.value.code == "approved"
    assert [(c.from_status, c.to_status) for c in claim_history(claim=claim)][-4:] == [
        (Status.MEDICAL_DECIDED, Status.MEDICAL_DECIDED),
        (Status.MEDICAL_DECIDED, Status.COMPUTED),
        (Status.COMPUTED, Status.COMPUTED),
        (Status.COMPUTED, Status.APPROVED),
    ]


def test_compute_without_anybody_points_to_recording_the_heirs():
    claim = _nobody_known()
    with pytest.raises(ValidationError, match="record the heirs on this claim first"):
        services.capital_claim_compute(claim=claim, by=staff())
