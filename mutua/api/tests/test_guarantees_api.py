"""The hospital guarantees of the member app: ask before a planned stay, follow, download."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.guarantees.models import Guarantee
from mutua.guarantees.tests.planned import planned_guarantee
from mutua.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic():
    return ProviderFactory(name="Clinique des Lilas", city="Paris")


def payload(hospital, **changes):
    admission = timezone.localdate() + timedelta(days=5)
    return {
        "hospital_id": hospital.pk,
        "stay_kind": "surgical",
        "admission_date": admission.isoformat(),
        "expected_discharge": (admission + timedelta(days=3)).isoformat(),
        "planned_acts": "Arthroscopie du genou",
        "costs": [
            {"benefit_code": "hosp.stay", "amount": "3000.00", "br": "2500.00"},
            {"benefit_code": "hosp.surgeon_fees", "amount": "900.00", "br": "500.00", "dptm": True},
            {"benefit_code": "hosp.private_room", "amount": "360.00", "quantity": 3},
            {"benefit_code": "hosp.daily_forfait", "amount": "80.00", "quantity": 4},
        ],
    } | changes


def test_hospitals_to_choose_from_network_first(api, clinic):
    ProviderFactory(name="Hôpital de Bruxelles", city="Bruxelles", country="BE", in_network=False, finess="")
    ProviderFactory(name="Clinique fermée", active=False)
    response = api.get("/hospitals")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(h["name"], h["in_network"]) for h in items] == [
        ("Clinique des Lilas", True),
        ("Hôpital de Bruxelles", False),
    ]
    assert set(items[0]) == {"id", "name", "kind", "city", "country", "in_network"}  # no IBAN, no e-mail
    assert [h["name"] for h in api.get("/hospitals?q=bruxelles").json()["items"]] == ["Hôpital de Bruxelles"]


def test_the_costs_of_a_stay_by_kind(api):
    kinds = {group["stay_kind"]: group for group in api.get("/guarantees/costs").json()}
    assert set(kinds) == {"surgical", "medical", "psychiatric", "maternity"}
    room = next(c for c in kinds["surgical"]["costs"] if c["benefit_code"] == "hosp.private_room")
    assert room == {"benefit_code": "hosp.private_room", "label": "Private room", "per_day": True, "doctor": False}


def test_a_planned_stay_at_a_network_clinic_is_guaranteed_at_once(
    api, user, clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/guarantees", payload(clinic))
    assert response.status_code == 201, response.json()
    body = response.json()
    guarantee = Guarantee.objects.get(pk=body["id"])
    assert guarantee.channel == Guarantee.Channel.API and guarantee.requested_by == user
    assert body["status"] == "issued" and body["form"] == "guarantee_of_payment"
    assert body["reference"] == guarantee.reference and body["pdf_available"] is True
    assert body["valid_until"] == guarantee.valid_until.isoformat()
    assert body["paid_total"] == f"{guarantee.total_plan:.2f}" and body["amount"] == "4340.00"
    assert body["hospital"] == {"id": clinic.pk, "name": "Clinique des Lilas", "city": "Paris", "in_network": True}
    assert [line["benefit_code"] for line in body["lines"]][:2] == ["hosp.stay", "hosp.surgeon_fees"]
    room = body["lines"][2]
    assert room["per_day"] is True and room["quantity"] == 3 and room["explanation"]
    assert {limit["label"] for limit in body["day_limits"]} >= {"Private room", "Daily hospital charge"}
    assert body["answer_due_by"] is None and body["extensions"] == []
    assert {message.to[0] for message in mail.outbox} == {user.member.email, clinic.email}

    listed = api.get("/guarantees").json()
    assert listed["count"] == 1 and listed["items"][0]["reference"] == guarantee.reference
    assert api.get(f"/guarantees/{guarantee.pk}").json() == body


def test_the_explanation_follows_the_language_asked(user, clinic):
    guarantee = planned_guarantee(user=user, provider=clinic)
    key = api_token_create(user=user, name="phone")[1]
    french = ApiClient(key, language="fr").get(f"/guarantees/{guarantee.pk}").json()
    english = ApiClient(key, language="en").get(f"/guarantees/{guarantee.pk}").json()
    assert french["lines"][0]["explanation"] == guarantee.lines.first().explanation["fr"]
    assert english["lines"][0]["explanation"] == guarantee.lines.first().explanation["en"]


def test_for_a_beneficiary_outside_the_network_the_request_waits(api, user):
    child = BeneficiaryFactory(member=user.member)
    hospital = ProviderFactory(in_network=False)
    response = api.post("/guarantees", payload(hospital, person=str(child.pk), costs=[]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "requested" and body["person"]["id"] == str(child.pk)
    assert body["answer_due_by"] is not None and body["pdf_available"] is False
    pdf = api.get(f"/guarantees/{body['id']}/pdf")
    assert pdf.status_code == 409 and "not been issued" in pdf.json()["detail"]


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"person": "999999"}, "beneficiary"),
        ({"hospital_id": 999999}, "hospital"),
        ({"costs": [{"benefit_code": "optical.equipment", "amount": "10.00"}]}, "benefit"),
        # Several problems at once come as a list, under the generic code.
        ({"admission_date": "2001-01-01", "expected_discharge": "2001-01-03"}, "invalid"),
    ],
)
def test_what_cannot_be_asked_is_explained(api, clinic, changes, code):
    response = api.post("/guarantees", payload(clinic, **changes))
    assert response.status_code == 422
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Guarantee.objects.exists()


def test_a_closed_hospital_cannot_be_chosen(api, clinic):
    clinic.active = False
    clinic.save()
    assert api.post("/guarantees", payload(clinic)).json()["code"] == "hospital"


def test_dates_out_of_the_calendar_are_refused_by_the_schema(api, clinic):
    response = api.post("/guarantees", payload(clinic, admission_date="9999-12-31", expected_discharge="9999-12-31"))
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert {tuple(error["loc"])[-1] for error in response.json()["errors"]} == {"admission_date", "expected_discharge"}


def test_the_pdf_of_an_issued_guarantee(api, user, clinic):
    guarantee = planned_guarantee(user=user, provider=clinic)
    response = api.get(f"/guarantees/{guarantee.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and guarantee.reference in response["Content-Disposition"]
    assert "private, no-store" in response["Cache-Control"]


def test_another_households_guarantee_does_not_exist(api, clinic):
    other = planned_guarantee(user=MemberUserFactory(), provider=clinic)
    for path in (f"/guarantees/{other.pk}", f"/guarantees/{other.pk}/pdf", "/guarantees/0", f"/guarantees/{2**63}"):
        assert api.get(path).status_code == 404, path
    assert api.get("/guarantees").json()["count"] == 0


def test_a_token_is_needed(clinic):
    assert ApiClient().get("/guarantees").status_code == 401
    assert ApiClient().get("/hospitals").status_code == 401
