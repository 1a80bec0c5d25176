"""The approval pages and the API: a household sees its own requests only; the medical advisor alone works
the queue, reads the report and decides; a hospital asks for a patient it names from the member card."""

from datetime import date

import pytest

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.approvals.models import PriorApproval
from mutua.approvals.services import prior_approval_decide, prior_approval_request
from mutua.approvals.tests.helpers import intl_member_user, report_upload, request_fields
from mutua.benefits.models import Claim
from mutua.core.models import SecurityEvent
from mutua.core.tests.helpers import member_login, staff_login
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory
from mutua.providers.tests.test_space import provider_login

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


@pytest.fixture
def user():
    return intl_member_user(first_name="Amina", last_name="Otieno")


def ask(user, **overrides):
    return prior_approval_request(
        member=user.member, medical_report=report_upload(), by=user, **request_fields(**overrides)
    )


def form_data(**overrides):
    data = {
        "person": "m",
        "section": "inpatient",
        "care_details": "knee surgery",
        "country": "US",
        "facility": "Mayo Clinic",
        "planned_from": "2026-03-01",
        "planned_to": "2026-03-20",
        "reason": "no_treatment_elsewhere",
        "medical_report": report_upload(),
    }
    return data | overrides


def test_the_member_asks_and_follows_the_request(client, user):
    member_login(client, user.member.member_number, PASSWORD)
    page = client.get("/portal/prior-approvals/request/?country=US", headers=EN).content.decode()
    assert '<option value="US" selected>United States</option>' in page
    response = client.post("/portal/prior-approvals/request/", form_data(), headers=EN)
    approval = PriorApproval.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/prior-approvals/{approval.pk}/"
    assert (approval.channel, approval.country, approval.requested_by) == ("portal", "US", user)
    detail = client.get(response["Location"], headers=EN).content.decode()
    assert "Waiting for the medical advisor" in detail and "United States" in detail
    refused = client.post("/portal/prior-approvals/request/", form_data(planned_to="2026-02-01"), headers=EN)
    assert refused.status_code == 422 and "The end cannot be before the start." in refused.content.decode()


def test_another_households_request_does_not_exist(client, user):
    other = ask(intl_member_user())
    member_login(client, user.member.member_number, PASSWORD)
    assert client.get(f"/portal/prior-approvals/{other.pk}/").status_code == 404
    assert "Mayo" not in client.get("/portal/prior-approvals/").content.decode()


def test_a_member_of_a_plan_without_zones_is_not_offered_the_request(client):
    french = MemberUserFactory()
    member_login(client, french.member.member_number, PASSWORD)
    assert client.get("/portal/prior-approvals/request/").status_code == 404


def test_only_the_medical_advisor_works_the_queue_reads_the_report_and_decides(client, user):
    approval = ask(user)
    for role in (Role.CLAIMS_HANDLER, Role.ADMINISTRATOR):
        staff_login(client, StaffUserFactory(role=role), PASSWORD)
        assert client.get("/backoffice/prior-approvals/").status_code == 403
        assert client.get(f"/backoffice/prior-approvals/{approval.pk}/report/").status_code == 403
        assert client.post(f"/backoffice/prior-approvals/{approval.pk}/decide/", {}).status_code == 403
        # Nor through the documents' own download.
        assert client.get(f"/documents/{approval.medical_report_id}/").status_code == 404
        client.logout()
    assert not SecurityEvent.objects.exists()
    advisor = StaffUserFactory(role=Role.MEDICAL_ADVISOR)
    staff_login(client, advisor, PASSWORD)
    queue = client.get("/backoffice/prior-approvals/", headers=EN).content.decode()
    assert "Otieno" in queue
    # On a phone each request is a block of labelled lines, not a table whose last columns scroll out of sight.
    assert '<table class="stack">' in queue and 'data-label="Country"' in queue
    report = client.get(f"/backoffice/prior-approvals/{approval.pk}/report/")
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    assert SecurityEvent.objects.get().by == advisor
    incomplete = client.post(f"/backoffice/prior-approvals/{approval.pk}/decide/", {"decision": "refuse"}, headers=EN)
    assert incomplete.status_code == 422
    decided = client.post(
        f"/backoffice/prior-approvals/{approval.pk}/decide/",
        {
            "decision": "approve",
            "valid_from": "2026-03-01",
            "valid_to": "2026-03-31",
            "section": "inpatient",
            "country": "US",
        },
    )
    assert decided.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.valid_to) == ("approved", date(2026, 3, 31))


def test_a_hospital_asks_for_a_patient_named_as_on_the_card(client, user):
    provider_login(client, ProviderUserFactory(provider=ProviderFactory(country="US")))
    patient = {"member_number": user.member.member_number, "last_name": "OTIENO", "birth_date": "1985-04-01"}
    data = form_data() | patient
    del data["person"]
    response = client.post("/provider/prior-approvals/request/", data, headers=EN)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PriorApproval.objects.get().channel == PriorApproval.Channel.PROVIDER
    wrong = form_data(medical_report=report_upload()) | patient | {"birth_date": "1990-01-01"}
    del wrong["person"]
    refused = client.post("/provider/prior-approvals/request/", wrong, headers=EN)
    assert refused.status_code == 422 and "No patient matches" in refused.content.decode()


def test_the_api_asks_lists_and_reads_within_the_household(user):
    api = ApiClient(api_token_create(user=user, name="phone")[1])
    fields = form_data(person="")
    created = api.post_multipart("/prior-approvals", fields)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["care"], body["country_name"]) == ("requested", "In-patient care", "United States")
    assert PriorApproval.objects.get().channel == PriorApproval.Channel.API
    assert [row["id"] for row in api.get("/prior-approvals").json()] == [body["id"]]
    assert api.get(f"/prior-approvals/{body['id']}").status_code == 200
    other = ask(intl_member_user())
    assert api.get(f"/prior-approvals/{other.pk}").status_code == 404
    wrong = api.post_multipart("/prior-approvals", form_data(person="", country="XX"))
    assert wrong.status_code == 422


def test_a_claims_handler_sees_the_approval_on_the_claim_page_without_the_medical_file(client, user):
    approval = ask(user)
    prior_approval_decide(
        approval=approval,
        by=StaffUserFactory(role=Role.MEDICAL_ADVISOR),
        approve=True,
        valid_from=date(2026, 3, 1),
        valid_to=date(2026, 3, 31),
        section="inpatient",
        country="US",
    )
    claim = Claim.objects.create(member=user.member, name="New York")
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    page = client.get(f"/backoffice/claims/{claim.pk}/", headers=EN).content.decode()
    assert "Amina Otieno: In-patient care in United States, from 01/03/2026 to 31/03/2026" in page
    assert "knee surgery" not in page and "Mayo" not in page and str(approval.medical_report_id) not in page


def test_the_list_names_the_plans_restricted_zones_in_the_readers_language(client, user):
    member_login(client, user.member.member_number, PASSWORD)
    page = client.get("/portal/prior-approvals/", headers={"Accept-Language": "es"}).content.decode()
    assert "América del Norte, Singapur, República de Sudáfrica" in page


def test_the_home_page_offers_prior_approvals_to_a_member_whose_plan_has_restricted_zones(client, user):
    """Amina found the page only through a link on My contract: it is one of her services on the home page."""
    member_login(client, user.member.member_number, PASSWORD)
    assert 'href="/portal/prior-approvals/"' in client.get("/portal/", headers=EN).content.decode()
    client.logout()
    french = MemberUserFactory()
    member_login(client, french.member.member_number, PASSWORD)
    assert "/portal/prior-approvals/" not in client.get("/portal/", headers=EN).content.decode()
