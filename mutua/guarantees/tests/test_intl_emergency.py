"""Seed 000's emergency hospitalisation for a member of the international plan (intl-staff, USD), step by step:
notified from the portal, the API, the hospital's space or by telephone; the card for the first 2 days; a
network hospital's guarantee of payment within 2 hours, valid 4 days; negotiation outside the network; an
extension on a medical report; amounts in US dollars."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from engine import get_plan
from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, StaffUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login, staff_login
from mutua.documents.tests.pdfs import text_pdf
from mutua.guarantees.extensions import extension_decide, extension_request
from mutua.guarantees.forms.hospital import invoice_formset
from mutua.guarantees.models import Extension, Guarantee
from mutua.guarantees.pdf import guarantee_pdf
from mutua.guarantees.requests import guarantee_issue, guarantee_request, negotiation_record
from mutua.guarantees.settlement import guarantee_settle
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.intl import INTL_PLAN, intl_member_user, nairobi_hospital
from mutua.guarantees.tests.planned import stay_over
from mutua.guarantees.tests.test_pdf import pdf_text
from mutua.providers.tests.factories import ProviderUserFactory
from mutua.providers.tests.test_space import provider_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return intl_member_user()


@pytest.fixture
def hospital():
    return nairobi_hospital()


@pytest.fixture
def today():
    return timezone.localdate()


def notify(user, hospital, today, *, card_shown, discharge=None, channel=Guarantee.Channel.PORTAL, **extra):
    return guarantee_request(
        member=user.member,
        beneficiary=None,
        by=user,
        channel=channel,
        kind=Guarantee.Kind.EMERGENCY,
        stay_kind=Guarantee.StayKind.MEDICAL,
        admission_date=today,
        expected_discharge=discharge,
        provider=hospital,
        card_shown=card_shown,
        **extra,
    )


def test_the_card_shown_for_a_stay_of_two_days_at_most_is_the_guarantee(user, hospital, today):
    guarantee = notify(user, hospital, today, card_shown=True, discharge=today + timedelta(days=1))
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.form == Guarantee.Form.CARD
    assert guarantee.valid_until == guarantee.card_cover_until == today + timedelta(days=1)
    assert (guarantee.plan_code, guarantee.currency) == (INTL_PLAN, "USD")


def test_a_network_hospital_gets_a_guarantee_of_payment_valid_four_days_at_once(user, hospital, today):
    guarantee = notify(user, hospital, today, card_shown=True)  # beyond 2 days, the card is not enough
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.issued_by is None
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT
    # Its reference names it as the plan's hospitals know it (GOP: Guarantee of Payment), not the French PEC.
    assert guarantee.reference == f"GOP-{timezone.now():%Y}-{guarantee.pk:06d}"
    assert (guarantee.valid_from, guarantee.valid_until) == (today, today + timedelta(days=3))
    assert guarantee.card_cover_until == today + timedelta(days=1)
    # The 2-hour promise: the answer was due within the plan's network_answer_hours, and came before.
    assert guarantee.deadline - guarantee.requested_at == timedelta(hours=2)
    assert guarantee.issued_at <= guarantee.deadline
    # The international plan pays room and board in full: no daily limit to state.
    assert guarantee.day_limits == []


def test_the_two_hours_are_the_plans_and_a_request_that_waits_keeps_them(user, hospital, today):
    notify(user, hospital, today, card_shown=False)
    second = notify(user, hospital, today, card_shown=False)  # the same days again: a handler checks
    assert second.status == Guarantee.Status.REQUESTED and second.review_reasons == ["overlapping"]
    assert second.deadline - second.requested_at == timedelta(hours=get_plan(INTL_PLAN).hospital.network_answer_hours)


def test_outside_the_network_a_handler_negotiates_then_issues_a_temporary_letter(user, today):
    outside = nairobi_hospital(name="Aga Khan Clinic", in_network=False)
    guarantee = notify(user, outside, today, card_shown=False)
    assert guarantee.status == Guarantee.Status.REQUESTED and guarantee.review_reasons == ["out_of_network"]
    assert guarantee.form == Guarantee.Form.TEMPORARY_LETTER
    assert guarantee.deadline - guarantee.requested_at == timedelta(hours=24)
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    negotiation_record(
        guarantee=guarantee,
        by=handler,
        contact="Ms Wanjiru, admissions, by phone",
        outcome="agreed",
        terms="Tariff 2026",
    )
    issued = guarantee_issue(guarantee=guarantee, by=handler)
    assert issued.status == Guarantee.Status.ISSUED and issued.valid_until == today + timedelta(days=3)


def test_past_the_period_the_medical_advisor_extends_on_the_report(user, hospital, today):
    guarantee = notify(user, hospital, today, card_shown=False)
    staff = ProviderUserFactory(provider=hospital)
    report = SimpleUploadedFile("report.pdf", text_pdf("Medical report"), content_type="application/pdf")
    extension = extension_request(guarantee=guarantee, by=staff, until=today + timedelta(days=9), report=report)
    with pytest.raises(PermissionDenied):
        extension_decide(extension=extension, by=StaffUserFactory(role=Role.CLAIMS_HANDLER), grant=True, answer="ok")
    advisor = StaffUserFactory(role=Role.MEDICAL_ADVISOR)
    extension_decide(extension=extension, by=advisor, grant=True, answer="Extended for the treatment.")
    guarantee.refresh_from_db()
    assert guarantee.valid_until == today + timedelta(days=9)
    assert extension.__class__.objects.get().decision == Extension.Decision.GRANTED


def test_a_planned_stay_is_estimated_in_dollars_and_a_large_one_waits(user, hospital, today):
    admission = today + timedelta(days=3)
    arguments = {
        "member": user.member,
        "beneficiary": None,
        "by": user,
        "channel": Guarantee.Channel.PORTAL,
        "kind": Guarantee.Kind.PLANNED,
        "stay_kind": Guarantee.StayKind.SURGICAL,
        "admission_date": admission,
        "expected_discharge": admission + timedelta(days=3),
        "provider": hospital,
    }
    costs = [
        Cost("intl.inpatient_stay", Decimal("800.00"), quantity=4),
        Cost("intl.inpatient_fees", Decimal("2500.00")),
    ]
    guarantee = guarantee_request(**arguments, costs=costs)
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.currency == "USD"
    assert guarantee.total_plan == Decimal("3300.00")  # 100 % of room and board (4 days) and of the fees
    # Above the plan's automatic limit (20,000 USD): a handler checks it.
    other = intl_member_user()
    large = guarantee_request(
        **(arguments | {"member": other.member, "by": other}),
        costs=[Cost("intl.inpatient_fees", Decimal("25000.00"))],
    )
    assert large.status == Guarantee.Status.REQUESTED and large.review_reasons == ["high_amount"]


def test_the_guarantee_pdf_states_dollars_and_no_national_scheme(user, hospital, today, tmp_path):
    admission = today + timedelta(days=3)
    guarantee = guarantee_request(
        member=user.member,
        beneficiary=None,
        by=user,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.SURGICAL,
        admission_date=admission,
        expected_discharge=admission + timedelta(days=2),
        provider=hospital,
        costs=[Cost("intl.inpatient_stay", Decimal("1234.50"), quantity=3)],
    )
    text = " ".join(pdf_text(guarantee_pdf(guarantee=guarantee, language="en"), tmp_path).split())
    assert " ".join(money_format(Decimal("1234.50"), "USD", language="en").split()) in text
    assert "Room and board" in text
    assert "Assurance Maladie" not in text and "€" not in text


def test_a_plan_without_a_hospital_section_is_refused_with_its_reason(monkeypatch, user, hospital, today):
    plan = get_plan(INTL_PLAN)
    without = plan.model_copy(update={"hospital": None})
    monkeypatch.setattr(
        "mutua.guarantees.stays.get_plan", lambda code: without if code == INTL_PLAN else get_plan(code)
    )
    with pytest.raises(ValidationError, match="does not provide hospital guarantees of payment"):
        notify(user, hospital, today, card_shown=True)
    assert not Guarantee.objects.exists()


def test_the_member_notifies_from_the_portal(user, hospital, today):
    client = Client()
    member_login(client, user.member.member_number, PASSWORD)
    page = client.get("/portal/hospital/emergency/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "guarantees the first 2 days" in page and "valid for the first 4 days within 2 hours" in page
    response = client.post(
        "/portal/hospital/emergency/",
        {
            "hospital_name": "Coast General Hospital",
            "hospital_phone": "+254 41 231 4201",
            "stay_kind": "medical",
            "admission_date": today.isoformat(),
            "card_shown": "no",
            "notifier_name": "Grace Otieno",
            "notifier_phone": "+254 700 000 000",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    guarantee = Guarantee.objects.get()
    assert (guarantee.channel, guarantee.hospital_name, guarantee.notifier_name) == (
        "portal",
        "Coast General Hospital",
        "Grace Otieno",
    )
    assert guarantee.status == Guarantee.Status.REQUESTED and guarantee.review_reasons == ["unknown_hospital"]


def test_the_member_notifies_through_the_api(user, hospital, today):
    api = ApiClient(api_token_create(user=user, name="phone")[1])
    response = api.post(
        "/guarantees/emergency",
        {
            "hospital_id": hospital.pk,
            "stay_kind": "medical",
            "admission_date": today.isoformat(),
            "discharge_date": (today + timedelta(days=6)).isoformat(),
            "card_shown": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["form"], body["currency"]) == (
        "emergency",
        "issued",
        "guarantee_of_payment",
        "USD",
    )
    assert body["valid_until"] == (today + timedelta(days=3)).isoformat()
    assert body["card_cover_until"] == (today + timedelta(days=1)).isoformat()
    costs = api.get("/guarantees/costs").json()
    assert {row["currency"] for row in costs} == {"USD"}
    assert [cost["benefit_code"] for cost in costs[0]["costs"]] == ["intl.inpatient_stay", "intl.inpatient_fees"]


def test_a_handler_keys_in_a_telephone_call(user, hospital, today):
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER, password="x" * 12)
    client = Client()
    staff_login(client, handler, "x" * 12)
    fields = {
        "member_number": user.member.member_number,
        "last_name": user.member.last_name.upper(),
        "birth_date": user.member.birth_date.isoformat(),
        "provider": str(hospital.pk),
        "stay_kind": "surgical",
        "admission_date": today.isoformat(),
        "card_shown": "yes",
        "notifier_name": "Nairobi Hospital admissions",
        "notifier_phone": "+254 20 284 5000",
    }
    response = client.post("/backoffice/guarantees/emergency/", fields, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:3000]
    guarantee = Guarantee.objects.get()
    assert (guarantee.channel, guarantee.requested_by, guarantee.status) == ("backoffice", handler, "issued")
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT
    finance = StaffUserFactory(role=Role.FINANCE, password="x" * 12)
    other = Client()
    staff_login(other, finance, "x" * 12)
    assert other.get("/backoffice/guarantees/emergency/").status_code == 403
    with pytest.raises(PermissionDenied):
        notify(user, hospital, today, card_shown=True, channel=Guarantee.Channel.BACKOFFICE)


def test_the_network_hospital_asks_in_its_space_and_downloads_the_guarantee(user, hospital, today):
    staff = ProviderUserFactory(provider=hospital)
    client = Client()
    provider_login(client, staff)
    page = client.get("/provider/guarantees/emergency/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "guarantee of payment valid for the first 4 days, within 2 hours" in page
    member = user.member
    response = client.post(
        "/provider/guarantees/emergency/",
        {
            "member_number": member.member_number,
            "last_name": member.last_name,
            "birth_date": member.birth_date.isoformat(),
            "stay_kind": "medical",
            "admission_date": today.isoformat(),
            "card_shown": "no",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    guarantee = Guarantee.objects.get()
    assert response.status_code == 302 and guarantee.status == Guarantee.Status.ISSUED
    pdf = client.get(f"/provider/guarantees/{guarantee.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_hospital_invoices_in_dollars_without_the_national_schemes_fields(user, hospital, today):
    guarantee = stay_over(notify(user, hospital, today, card_shown=False))
    first_day = guarantee.valid_from
    form = invoice_formset(plan=get_plan(INTL_PLAN), stay_kind=guarantee.stay_kind).forms[0]
    assert {"br", "am_paid", "dptm"}.isdisjoint(form.fields) and "$" in str(form.fields["amount"].label)
    claim = guarantee_settle(
        guarantee=guarantee,
        by=ProviderUserFactory(provider=hospital),
        invoice_number="NWH-2026-118",
        invoice=SimpleUploadedFile("invoice.pdf", text_pdf("Invoice 2,150.00 USD"), content_type="application/pdf"),
        costs=[
            (first_day, Cost("intl.inpatient_stay", Decimal("1650.00"), quantity=3)),
            (first_day, Cost("intl.inpatient_fees", Decimal("500.00"))),
        ],
    )
    assert claim.paid_to == hospital
    # An emergency guarantee states no amount: a handler checks the invoice; the engine's figures are in USD.
    items = list(claim.items.order_by("pk"))
    assert [(item.amount, item.currency) for item in items] == [(Decimal("1650.00"), "USD"), (Decimal("500.00"), "USD")]
    assert {tuple(item.review_reasons) for item in items} == {("over_guarantee",)}
