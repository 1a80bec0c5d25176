"""The hospitals' space: two-factor login for hospital staff only, guarantees scoped to the hospital,
patient found from the card without revealing who is a member, extension and invoice paid once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim
from mutua.claims.tests.helpers import receipt
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.tests.helpers import member_login, staff_login, totp_now
from mutua.guarantees.forms.hospital import PATIENT_NOT_FOUND
from mutua.guarantees.models import Extension, Guarantee, MedicalReport
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.tests.planned import planned_guarantee, stay_over
from mutua.payments.models import Payable
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def provider_login(client: Client, user, *, code: str | None = None):
    return client.post(
        "/provider/login/",
        {"username": user.username, "password": PASSWORD, "otp_token": totp_now(user) if code is None else code},
        **EN,
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def clinic():
    return ProviderFactory(in_network=True, name="Clinique du Parc")


@pytest.fixture
def hospital(client, clinic):
    user = ProviderUserFactory(provider=clinic)
    response = provider_login(client, user)
    assert response.status_code == 302 and response["Location"] == "/provider/"
    return user


@pytest.fixture
def patient():
    return MemberUserFactory().member  # signs in with the member number


def patient_fields(member, **changes):
    data = {
        "member_number": member.member_number,
        "last_name": member.last_name.upper(),
        "birth_date": member.birth_date.isoformat(),
    }
    return data | changes


def planned_data(member, today, **changes):
    data = {
        **patient_fields(member),
        "stay_kind": "surgical",
        "admission_date": (today + timedelta(days=4)).isoformat(),
        "expected_discharge": (today + timedelta(days=7)).isoformat(),
        "planned_acts": "Hip replacement",
        "costs-TOTAL_FORMS": "6",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "20",
        "costs-0-cost": "stay",
        "costs-0-amount": "4000.00",
        "costs-0-br": "3500.00",
        "costs-1-cost": "fees",
        "costs-1-amount": "900.00",
        "costs-1-br": "500.00",
        "costs-1-dptm": "on",
    }
    return data | changes


def issued_emergency(member, provider, today, *, by):
    return guarantee_request(
        member=member,
        beneficiary=None,
        by=by,
        channel=Guarantee.Channel.PROVIDER,
        kind=Guarantee.Kind.EMERGENCY,
        stay_kind=Guarantee.StayKind.MEDICAL,
        admission_date=today,
        provider=provider,
        card_shown=False,
    )


def invoice_data(today, number="F-2026-001", **changes):
    data = {
        "invoice_number": number,
        "invoice": receipt("facture.pdf", salt=number),
        "costs-TOTAL_FORMS": "8",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "1",
        "costs-MAX_NUM_FORMS": "20",
        "costs-0-day": today.isoformat(),
        "costs-0-cost": "stay",
        "costs-0-amount": "3000.00",
        "costs-0-br": "2500.00",
        "costs-0-am_paid": "2000.00",
        "costs-1-day": today.isoformat(),
        "costs-1-cost": "daily_forfait",
        "costs-1-amount": "80.00",
        "costs-1-quantity": "4",
    }
    return data | changes


# --- who gets in ------------------------------------------------------------------------------


def test_the_login_asks_for_the_authenticator_code(client, clinic):
    user = ProviderUserFactory(provider=clinic)
    page = client.get("/provider/login/", **EN).content.decode()
    assert "Authenticator code" in page
    wrong = provider_login(client, user, code="000000")
    assert wrong.status_code == 200
    assert "Invalid username, password or authenticator code." in wrong.content.decode()
    assert client.get("/provider/").status_code == 302  # still signed out
    TOTPDevice.objects.get(user=user).throttle_reset()  # django-otp slows down the next try after a wrong code
    assert provider_login(client, user).status_code == 302
    home = client.get("/provider/", **EN)
    assert home.status_code == 200 and "Clinique du Parc" in home.content.decode()
    client.post("/provider/logout/")
    assert client.get("/provider/")["Location"].startswith("/provider/login/")


def test_members_and_claims_handlers_cannot_sign_in_to_the_hospitals_space(client):
    member = MemberUserFactory()
    refused = client.post("/provider/login/", {"username": member.username, "password": PASSWORD, "otp_token": "1"})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    handler = StaffUserFactory()
    refused = client.post(
        "/provider/login/", {"username": handler.username, "password": PASSWORD, "otp_token": totp_now(handler)}
    )
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    # Signed in elsewhere, they still do not reach the hospitals' pages.
    staff_login(client, handler, PASSWORD)
    assert client.get("/provider/").status_code == 403
    other = Client()
    member_login(other, member.username, PASSWORD)
    assert other.get("/provider/").status_code == 403


def test_hospital_staff_do_not_reach_the_back_office_or_the_member_portal(client, hospital):
    backoffice = client.get("/backoffice/")
    assert backoffice.status_code in (302, 403)
    if backoffice.status_code == 302:
        assert backoffice["Location"].startswith("/backoffice/login/")
    assert client.get("/backoffice/guarantees/").status_code in (302, 403)
    assert client.get("/portal/").status_code == 403
    assert client.get("/portal/hospital/").status_code == 403


def test_an_inactive_hospital_is_shut_out(client, hospital, clinic):
    clinic.active = False
    clinic.save()
    assert client.get("/provider/").status_code == 403


# --- requests ---------------------------------------------------------------------------------


def test_the_hospital_requests_a_planned_guarantee_and_gets_it_at_once(client, hospital, clinic, patient, today):
    form = client.get("/provider/guarantees/request/", **EN).content.decode()
    assert "Member number" in form and "Patient&#x27;s date of birth" in form and "Private room" in form
    assert "Was the member card shown" in client.get("/provider/guarantees/emergency/", **EN).content.decode()
    response = client.post("/provider/guarantees/request/", planned_data(patient, today))
    guarantee = Guarantee.objects.get(member=patient)
    assert response.status_code == 302 and response["Location"] == f"/provider/guarantees/{guarantee.pk}/"
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT
    assert guarantee.channel == Guarantee.Channel.PROVIDER and guarantee.requested_by == hospital
    assert guarantee.provider == clinic and guarantee.beneficiary is None
    fees = guarantee.lines.get(benefit_code="hosp.surgeon_fees")
    assert "dptm" in fees.flags
    detail = client.get(response["Location"], **EN).content.decode()
    assert guarantee.reference in detail and "Hip replacement" in detail
    assert f"€{guarantee.total_plan:,}" in detail
    assert f"/provider/guarantees/{guarantee.pk}/pdf/" in detail
    assert f"/provider/guarantees/{guarantee.pk}/invoice/" in detail
    pdf = client.get(f"/provider/guarantees/{guarantee.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf).startswith(b"%PDF")
    home = client.get("/provider/", **EN).content.decode()
    assert guarantee.reference in home and patient.full_name in home


def test_a_beneficiary_is_found_from_the_card(client, hospital, patient, today):
    child = BeneficiaryFactory(member=patient)
    client.post(
        "/provider/guarantees/request/",
        planned_data(patient, today, last_name=child.last_name, birth_date=child.birth_date.isoformat()),
    )
    assert Guarantee.objects.get(member=patient).beneficiary == child


def test_an_unknown_member_number_and_a_wrong_birth_date_get_the_same_answer(client, hospital, patient, today):
    unknown = client.post(
        "/provider/guarantees/request/", planned_data(patient, today, member_number="ZZ99999999"), **EN
    )
    wrong_birth = client.post(
        "/provider/guarantees/request/",
        planned_data(patient, today, birth_date=(patient.birth_date - timedelta(days=1)).isoformat()),
        **EN,
    )
    wrong_name = client.post("/provider/guarantees/request/", planned_data(patient, today, last_name="Dupont"), **EN)
    expected = str(PATIENT_NOT_FOUND)
    errors = [response.context["form"].non_field_errors() for response in (unknown, wrong_birth, wrong_name)]
    assert errors[0] == errors[1] == errors[2] == [expected]
    assert all(not response.context["form"].errors.keys() - {"__all__"} for response in (unknown, wrong_birth))
    assert expected.replace("'", "&#x27;") in unknown.content.decode()
    assert not Guarantee.objects.exists()


def test_the_hospital_notifies_an_emergency_with_the_card(client, hospital, patient, today):
    response = client.post(
        "/provider/guarantees/emergency/",
        {
            **patient_fields(patient),
            "stay_kind": "medical",
            "admission_date": today.isoformat(),
            "expected_discharge": (today + timedelta(days=1)).isoformat(),
            "card_shown": "yes",
        },
    )
    guarantee = Guarantee.objects.get(member=patient)
    assert response.status_code == 302
    assert guarantee.form == Guarantee.Form.CARD and guarantee.status == Guarantee.Status.ISSUED
    assert guarantee.card_cover_until == today + timedelta(days=1)


def test_a_hospital_never_sees_another_hospitals_guarantee(client, hospital, patient, today):
    elsewhere = ProviderFactory()
    theirs = issued_emergency(patient, elsewhere, today, by=ProviderUserFactory(provider=elsewhere))
    for page in ("", "pdf/", "extension/", "invoice/"):
        assert client.get(f"/provider/guarantees/{theirs.pk}/{page}").status_code == 404
    assert client.post(f"/provider/guarantees/{theirs.pk}/invoice/", invoice_data(today)).status_code == 404
    assert theirs.reference not in client.get("/provider/").content.decode()
    assert not Claim.objects.exists()


# --- after the guarantee ----------------------------------------------------------------------


def test_the_hospital_asks_for_an_extension_with_the_medical_report(client, hospital, clinic, patient, today):
    guarantee = issued_emergency(patient, clinic, today, by=hospital)
    too_early = client.post(
        f"/provider/guarantees/{guarantee.pk}/extension/",
        {"until": guarantee.valid_until.isoformat(), "report": receipt("rapport.pdf", salt="early")},
        **EN,
    )
    assert too_early.status_code == 200 and "Ask for days after" in too_early.content.decode()
    no_report = client.post(
        f"/provider/guarantees/{guarantee.pk}/extension/",
        {"until": (guarantee.valid_until + timedelta(days=3)).isoformat()},
        **EN,
    )
    assert no_report.status_code == 200 and no_report.context["form"].errors["report"]
    assert not Extension.objects.exists()

    until = guarantee.valid_until + timedelta(days=5)
    response = client.post(
        f"/provider/guarantees/{guarantee.pk}/extension/",
        {"until": until.isoformat(), "report": receipt("rapport.pdf", salt="report")},
    )
    assert response.status_code == 302
    extension = Extension.objects.get(guarantee=guarantee)
    assert extension.requested_until == until and extension.requested_by == hospital
    assert MedicalReport.objects.filter(guarantee=guarantee).count() == 1
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.EXTENSION_REQUESTED
    detail = client.get(response["Location"], **EN).content.decode()
    assert "Waiting for the medical advisor" in detail
    assert "rapport.pdf" not in detail and "/backoffice/guarantees/reports/" not in detail


def test_the_invoice_is_paid_to_the_hospital_once(client, hospital, clinic, patient, today):
    # A planned stay: its guarantee states an amount, within which the invoice is paid at once.
    guarantee = stay_over(planned_guarantee(user=patient.account, provider=clinic, in_days=0))
    today = guarantee.valid_from
    form = client.get(f"/provider/guarantees/{guarantee.pk}/invoice/", **EN).content.decode()
    assert "Paid by the Assurance Maladie (MR)" in form and "Invoice number" in form

    empty = client.post(f"/provider/guarantees/{guarantee.pk}/invoice/", invoice_data(today, number=""), **EN)
    assert empty.status_code == 200 and empty.context["form"].errors["invoice_number"]
    assert not Claim.objects.exists()

    response = client.post(f"/provider/guarantees/{guarantee.pk}/invoice/", invoice_data(today))
    assert response.status_code == 302 and response["Location"].endswith("#settlement")
    guarantee.refresh_from_db()
    claim = guarantee.claim
    assert guarantee.status == Guarantee.Status.SETTLED and guarantee.invoice_number == "F-2026-001"
    assert claim.paid_to == clinic and claim.status == Claim.Status.VALIDATED
    payables = Payable.objects.filter(statement=claim.statement)
    assert payables.exists()
    assert {payable.payee.provider for payable in payables} == {clinic}
    paid = sum(payable.amount for payable in payables)
    assert paid == claim.statement.total_paid > 0
    assert not Payable.objects.filter(payee__member=patient).exists()

    detail = client.get(response["Location"].split("#")[0], **EN).content.decode()
    remaining = sum(item.out_of_pocket or Decimal("0.00") for item in claim.items.all())
    assert "Paid by the plan to the hospital" in detail and f"€{claim.statement.total_paid:,}" in detail
    assert "Remains for the patient" in detail and f"€{remaining:,.2f}" in detail
    assert f"/provider/guarantees/{guarantee.pk}/invoice/" not in detail

    again = client.post(f"/provider/guarantees/{guarantee.pk}/invoice/", invoice_data(today, number="F-2026-002"), **EN)
    assert again.status_code == 200 and "cannot take an invoice now" in again.content.decode()
    assert Claim.objects.filter(channel=Claim.Channel.HOSPITAL).count() == 1
    assert Payable.objects.filter(payee__provider=clinic).count() == payables.count()

    # The member sees the same settlement in the portal.
    member_client = Client()
    member_login(member_client, patient.member_number, PASSWORD)
    page = member_client.get(f"/portal/hospital/{guarantee.pk}/", **EN).content.decode()
    assert "Paid by the plan to the hospital" in page and f"€{claim.statement.total_paid:,}" in page


def test_outside_the_network_the_home_page_shows_the_deadline_and_time_left(client, patient, today):
    outside = ProviderFactory(in_network=False)
    user = ProviderUserFactory(provider=outside)
    assert provider_login(client, user).status_code == 302
    client.post("/provider/guarantees/request/", planned_data(patient, today))
    guarantee = Guarantee.objects.get(member=patient)
    assert guarantee.status == Guarantee.Status.REQUESTED and "out_of_network" in guarantee.review_reasons
    home = client.get("/provider/", **EN).content.decode()
    assert guarantee.reference in home and " left" in home and "overdue" not in home
    Guarantee.objects.filter(pk=guarantee.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    assert "overdue" in client.get("/provider/", **EN).content.decode()
    detail = client.get(f"/provider/guarantees/{guarantee.pk}/", **EN).content.decode()
    assert "The management unit answers by" in detail and "/pdf/" not in detail
