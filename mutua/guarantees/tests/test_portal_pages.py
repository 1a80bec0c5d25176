"""The member's hospital pages: ask for a guarantee, notify an emergency, follow it, download it;
nobody reaches another household's guarantee."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.tests.helpers import member_login
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.stays import Cost
from mutua.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def member(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    return user


@pytest.fixture
def clinic():
    return ProviderFactory(in_network=True, name="Clinique du Parc")


def _costs(rows=6, **values):
    data = {
        "costs-TOTAL_FORMS": str(rows),
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "20",
    }
    return data | values


def planned_form(clinic, today, **changes):
    data = {
        "person": "",
        "provider": str(clinic.pk) if clinic else "",
        "hospital_name": "",
        "hospital_phone": "",
        "stay_kind": "surgical",
        "admission_date": (today + timedelta(days=5)).isoformat(),
        "expected_discharge": (today + timedelta(days=8)).isoformat(),
        "planned_acts": "Knee replacement",
        **_costs(
            **{
                "costs-0-cost": "stay",
                "costs-0-amount": "3000.00",
                "costs-0-br": "2500.00",
                "costs-1-cost": "private_room",
                "costs-1-amount": "360.00",
                "costs-1-quantity": "3",
            }
        ),
    }
    return data | changes


def test_a_member_asks_for_a_planned_guarantee_and_sees_it_issued_with_its_lines(client, member, clinic, today):
    page = client.get("/portal/hospital/", **EN).content.decode()
    assert "Ask for a guarantee" in page and "Notify an emergency admission" in page
    form_page = client.get("/portal/hospital/request/", **EN).content.decode()
    assert "Clinique du Parc" in form_page and "Private room" in form_page

    response = client.post("/portal/hospital/request/", planned_form(clinic, today))
    guarantee = Guarantee.objects.get(member=member.member)
    assert response.status_code == 302 and response["Location"] == f"/portal/hospital/{guarantee.pk}/"
    assert guarantee.status == Guarantee.Status.ISSUED
    assert guarantee.channel == Guarantee.Channel.PORTAL and guarantee.requested_by == member
    assert guarantee.provider == clinic and guarantee.planned_acts == "Knee replacement"
    lines = {line.benefit_code: line for line in guarantee.lines.all()}
    assert set(lines) == {"hosp.stay", "hosp.private_room"}
    assert lines["hosp.private_room"].quantity == 3 and lines["hosp.stay"].br == Decimal("2500.00")
    assert guarantee.total_plan > 0

    detail = client.get(response["Location"], **EN).content.decode()
    assert guarantee.reference in detail and "Issued" in detail
    assert "Stay costs" in detail and "Private room" in detail
    assert f"€{guarantee.total_plan:,}" in detail and f"€{guarantee.total_out_of_pocket:,}" in detail
    assert "Most the plan pays per day" in detail
    assert f"/portal/hospital/{guarantee.pk}/pdf/" in detail
    listing = client.get("/portal/hospital/", **EN).content.decode()
    assert guarantee.reference in listing and "Clinique du Parc" in listing

    pdf = client.get(f"/portal/hospital/{guarantee.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf).startswith(b"%PDF")


def test_a_beneficiary_at_a_hospital_not_on_file_waits_for_the_management_unit(client, member, today):
    from mutua.contracts.tests.factories import BeneficiaryFactory

    child = BeneficiaryFactory(member=member.member)
    response = client.post(
        "/portal/hospital/request/",
        planned_form(
            None,
            today,
            person=str(child.pk),
            hospital_name="Hôpital de Brive",
            hospital_phone="05 55 00 00 00",
            **_costs(),
        ),
    )
    guarantee = Guarantee.objects.get(member=member.member)
    assert response.status_code == 302
    assert guarantee.beneficiary == child and guarantee.provider is None
    assert guarantee.status == Guarantee.Status.REQUESTED and guarantee.hospital_name == "Hôpital de Brive"
    detail = client.get(response["Location"], **EN).content.decode()
    assert "The management unit answers by" in detail and child.full_name in detail
    assert f"/portal/hospital/{guarantee.pk}/pdf/" not in detail  # no guarantee to download yet
    assert client.get(f"/portal/hospital/{guarantee.pk}/pdf/").status_code == 404


def test_an_emergency_with_the_card_is_covered_for_the_first_two_days(client, member, clinic, today):
    form_page = client.get("/portal/hospital/emergency/", **EN).content.decode()
    assert "Was the member card shown at admission?" in form_page
    response = client.post(
        "/portal/hospital/emergency/",
        {
            "person": "",
            "provider": str(clinic.pk),
            "stay_kind": "medical",
            "admission_date": today.isoformat(),
            "expected_discharge": (today + timedelta(days=1)).isoformat(),
            "card_shown": "yes",
            "notifier_name": "Paul Martin",
            "notifier_phone": "06 11 22 33 44",
        },
    )
    guarantee = Guarantee.objects.get(member=member.member)
    assert response.status_code == 302
    assert guarantee.kind == Guarantee.Kind.EMERGENCY and guarantee.card_shown
    assert guarantee.form == Guarantee.Form.CARD and guarantee.status == Guarantee.Status.ISSUED
    assert guarantee.card_cover_until == today + timedelta(days=1)
    assert guarantee.notifier_name == "Paul Martin"
    detail = client.get(response["Location"], **EN).content.decode()
    assert "Member card: the first 2 days" in detail and "Covered by the card until" in detail
    assert "Paul Martin" in detail
    # The kind of guarantee, not "Guarantee given" beside a status that may still read "Requested".
    assert "Kind of guarantee" in detail and "Guarantee given" not in detail


def test_an_emergency_without_the_card_at_a_network_hospital_gets_a_guarantee_of_payment(client, member, clinic, today):
    client.post(
        "/portal/hospital/emergency/",
        {
            "provider": str(clinic.pk),
            "stay_kind": "medical",
            "admission_date": (today - timedelta(days=1)).isoformat(),
            "card_shown": "no",
        },
    )
    guarantee = Guarantee.objects.get(member=member.member)
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT and not guarantee.card_shown
    assert guarantee.valid_until == today + timedelta(days=2)  # the first 4 days


def test_bad_input_is_explained_and_nothing_is_written(client, member, clinic, today):
    past = client.post(
        "/portal/hospital/request/",
        planned_form(clinic, today, admission_date=(today - timedelta(days=1)).isoformat()),
        **EN,
    )
    assert past.status_code == 200
    assert "The admission date of a planned stay cannot be in the past." in past.content.decode()

    no_discharge = client.post("/portal/hospital/request/", planned_form(clinic, today, expected_discharge=""), **EN)
    assert "Give the expected discharge date." in no_discharge.content.decode()

    no_hospital = client.post("/portal/hospital/request/", planned_form(None, today), **EN)
    page = no_hospital.content.decode()
    assert "Choose the hospital in the list, or give its name." in page
    assert "Give the hospital&#x27;s telephone number." in page

    wrong_cost = client.post(
        "/portal/hospital/request/",
        planned_form(
            clinic, today, stay_kind="maternity", **{"costs-2-cost": "heavy_act_forfait"}, **{"costs-2-amount": "50"}
        ),
        **EN,
    )
    assert "This cost is not part of a stay of this kind (Maternity)" in wrong_cost.content.decode()

    no_card_answer = client.post(
        "/portal/hospital/emergency/",
        {"provider": str(clinic.pk), "stay_kind": "medical", "admission_date": today.isoformat()},
        **EN,
    )
    assert "Say whether the member card was shown." in no_card_answer.content.decode()
    assert not Guarantee.objects.exists()


def test_another_households_guarantee_is_not_found(client, member, clinic, today):
    other = MemberUserFactory()
    theirs = guarantee_request(
        member=other.member,
        beneficiary=None,
        by=other,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.SURGICAL,
        admission_date=today + timedelta(days=3),
        expected_discharge=today + timedelta(days=5),
        provider=clinic,
        costs=[Cost("hosp.stay", Decimal("1000.00"), Decimal("900.00"))],
    )
    assert theirs.status == Guarantee.Status.ISSUED
    assert client.get(f"/portal/hospital/{theirs.pk}/").status_code == 404
    assert client.get(f"/portal/hospital/{theirs.pk}/pdf/").status_code == 404
    assert theirs.reference not in client.get("/portal/hospital/").content.decode()


def test_the_pages_are_for_signed_in_members(client, clinic):
    response = client.get("/portal/hospital/request/")
    assert response.status_code == 302 and "next=" in response["Location"]
