from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.capital import services
from mutua.capital.models import CapitalClaim, ClaimDocument
from mutua.capital.tests.helpers import OTHER_IBAN, death_claim, intl_member_user, pdf, staff
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db


def _member_client(client, user):
    member_login(client, user.member.member_number, PASSWORD)
    return client


def _staff_client(client, user):
    staff_login(client, user, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the staff read these pages in English
    return client


def test_an_intl_member_finds_the_declaration_from_home_and_a_french_plan_member_does_not(client):
    user = intl_member_user()
    home = _member_client(client, user).get("/portal/").content.decode()
    assert "/portal/capital/" in home
    client.logout()
    other = MemberUserFactory()
    assert "/portal/capital/" not in _member_client(client, other).get("/portal/").content.decode()
    assert client.get("/portal/capital/").status_code == 404


def test_designation_page_records_shares_that_add_up_to_100(client):
    user = intl_member_user()
    _member_client(client, user)
    page = client.get("/portal/capital/beneficiaries/").content.decode()
    assert "spouse or partner" in page  # the legal order is stated
    row = {"relationship": "child", "birth_date": "2000-01-01", "contact": "x@example.org", "iban": ""}
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    for index, (name, share) in enumerate((("Ana", "60"), ("Ben", "30"))):
        data |= {f"form-{index}-{key}": value for key, value in row.items()}
        data |= {f"form-{index}-full_name": name, f"form-{index}-share": share}
    response = client.post("/portal/capital/beneficiaries/", data)
    assert response.status_code == 200 and "they must add up to 100" in response.content.decode()
    # The sum in plain digits (Decimal("90").normalize() would show "9E+1").
    assert "The shares add up to 90 %" in response.content.decode()
    data["form-1-share"] = "40"
    # A third row left blank, as the page offers it, is skipped.
    data |= {"form-TOTAL_FORMS": "3"} | {f"form-2-{key}": "" for key in (*row, "full_name", "share")}
    assert client.post("/portal/capital/beneficiaries/", data).status_code == 302
    assert [d.full_name for d in user.member.capital_designations.get().designees.all()] == ["Ana", "Ben"]
    # A share and its % stay on one line (at 375 px in Arabic "60" ended a line and "%" began the next).
    assert "— 60&nbsp;%" in client.get("/portal/capital/").content.decode()


def test_a_member_declares_a_disability_and_follows_it(client):
    user = intl_member_user()
    _member_client(client, user)
    response = client.post(
        "/portal/capital/declare/",
        {
            "kind": "disability",
            "event_date": "2025-03-01",
            "declarant_name": user.member.full_name,
            "declarant_contact": user.member.email,
            "medical_report": pdf("report"),
        },
    )
    claim = CapitalClaim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/capital/claims/{claim.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Received" in page and "Medical report on the disability" in page


def test_another_households_claim_is_not_found(client):
    user, other = intl_member_user(), intl_member_user()
    claim = death_claim(other.member, staff())
    _member_client(client, user)
    assert client.get(f"/portal/capital/claims/{claim.pk}/").status_code == 404


def test_the_handler_page_hides_medical_documents_and_the_decision_form(client):
    user = intl_member_user()
    handler = staff()
    claim = services.capital_claim_documents_complete(claim=death_claim(user.member, handler), by=handler)
    _staff_client(client, handler)
    page = client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    cause = claim.documents.get(role=ClaimDocument.Role.CAUSE_CERTIFICATE).document
    assert "Death certificate" in page and str(cause.pk) not in page
    assert "Record the medical decision" not in page
    assert client.get(f"/documents/{cause.pk}/").status_code == 404
    response = client.post(f"/backoffice/capital/{claim.pk}/medical/", {"cause": "natural", "death_date": "2025-05-09"})
    assert response.status_code == 403


def test_advisor_decides_handler_computes_and_sees_the_engine_amounts(client):
    user = intl_member_user()
    BeneficiaryFactory(member=user.member, relationship="spouse", first_name="Paul")
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=death_claim(user.member, handler), by=handler)
    _staff_client(client, advisor)
    page = client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    cause = claim.documents.get(role=ClaimDocument.Role.CAUSE_CERTIFICATE).document
    assert str(cause.pk) in page and "Record the medical decision" in page
    client.post(f"/backoffice/capital/{claim.pk}/medical/", {"cause": "accidental", "death_date": "2025-05-09"})
    client.logout()
    _staff_client(client, handler)
    # Only the repatriation costs incurred are given: an amount slipped into the form is ignored.
    client.post(f"/backoffice/capital/{claim.pk}/compute/", {"repatriation_cost": "8000", "total": "99999"})
    claim.refresh_from_db()
    assert claim.status == CapitalClaim.Status.COMPUTED and claim.total == Decimal("32500.00")
    page = client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    assert money_format(Decimal("32500.00"), "USD") in page
    assert "Preparation and repatriation of the body covered up to" in page


def test_finance_cannot_key_in_a_claim_and_a_member_cannot_open_the_back_office(client):
    _staff_client(client, staff(Role.FINANCE))
    assert client.get("/backoffice/capital/new/").status_code == 403
    assert client.get("/backoffice/capital/").status_code == 200
    client.logout()
    _member_client(client, intl_member_user())
    assert client.get("/backoffice/capital/").status_code in {302, 403}


def test_a_handler_keys_in_a_death_from_a_letter(client):
    user = intl_member_user()
    _staff_client(client, staff())
    response = client.post(
        "/backoffice/capital/new/",
        {
            "member_number": user.member.member_number,
            "kind": "death",
            "event_date": date(2025, 5, 9).isoformat(),
            "declarant_name": "Paul Martin",
            "declarant_relationship": "spouse",
            "declarant_contact": "12 rue des Lilas, Paris",
            "death_certificate": pdf("death"),
            "cause_certificate": pdf("cause"),
        },
    )
    claim = CapitalClaim.objects.get()
    assert response.status_code == 302 and claim.documents.count() == 2 and claim.filed_by.role == Role.CLAIMS_HANDLER


def test_finance_sees_the_amounts_and_payments_but_no_document_nor_medical_fact(client):
    user = intl_member_user()
    BeneficiaryFactory(member=user.member, relationship="spouse", first_name="Paul")
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=death_claim(user.member, handler), by=handler)
    claim = services.capital_claim_medical_decide(
        claim=claim, by=advisor, cause=CapitalClaim.Cause.ACCIDENTAL, death_date=date(2025, 5, 9)
    )
    services.capital_claim_compute(claim=claim, by=handler)
    _staff_client(client, staff(Role.FINANCE))
    page = client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    assert money_format(Decimal("25000.00"), "USD") in page
    assert "Cause of death" not in page and "/documents/" not in page


def test_changing_one_share_keeps_the_other_designees_and_a_ticked_row_is_removed(client):
    user = intl_member_user()
    _member_client(client, user)
    row = {"relationship": "child", "birth_date": "2000-01-01", "contact": "x@example.org", "iban": ""}
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    for index, (name, share) in enumerate((("Ana", "60"), ("Ben", "40"))):
        data |= {f"form-{index}-{key}": value for key, value in row.items()}
        data |= {f"form-{index}-full_name": name, f"form-{index}-share": share}
    assert client.post("/portal/capital/beneficiaries/", data).status_code == 302
    # Sent again unchanged, as the page now shows them recorded: both are kept.
    data["form-INITIAL_FORMS"] = "2"
    assert client.post("/portal/capital/beneficiaries/", data).status_code == 302
    assert [d.full_name for d in user.member.capital_designations.first().designees.all()] == ["Ana", "Ben"]
    # Ben is removed and Ana takes it all.
    data |= {"form-0-share": "100", "form-1-DELETE": "on"}
    assert client.post("/portal/capital/beneficiaries/", data).status_code == 302
    latest = user.member.capital_designations.first()
    assert [(d.full_name, d.share) for d in latest.designees.all()] == [("Ana", Decimal("100.00"))]
    assert user.member.capital_designations.count() == 3


def test_an_approved_claim_can_no_longer_be_refused(client):
    user = intl_member_user()
    BeneficiaryFactory(member=user.member, relationship="spouse", first_name="Paul")
    handler, advisor = staff(), staff(Role.MEDICAL_ADVISOR)
    claim = services.capital_claim_documents_complete(claim=death_claim(user.member, handler), by=handler)
    claim = services.capital_claim_medical_decide(
        claim=claim, by=advisor, cause=CapitalClaim.Cause.NATURAL, death_date=date(2025, 5, 9)
    )
    claim = services.capital_claim_compute(claim=claim, by=handler)
    _staff_client(client, handler)
    assert f"/backoffice/capital/{claim.pk}/refuse/" in client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    services.claim_share_bank_details(share=claim.shares.get(), iban=OTHER_IBAN, bic="", by=handler)
    services.capital_claim_approve(claim=claim, by=handler)
    page = client.get(f"/backoffice/capital/{claim.pk}/").content.decode()
    assert f"/backoffice/capital/{claim.pk}/refuse/" not in page
