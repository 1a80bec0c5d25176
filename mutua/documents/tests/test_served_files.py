"""Each way a document comes in (claim items, quotes, family changes, hospital reports and invoices) serves
back the rewritten PDF, never the bytes sent, and always as a sandboxed download."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient
from mutua.api.tests.test_claims import item_fields
from mutua.contracts.models import ChangeRequest
from mutua.core.tests.helpers import member_login, staff_login
from mutua.documents.tests.pdfs import active_content, hostile_pdf
from mutua.guarantees.models import Guarantee
from mutua.guarantees.tests.planned import stay_over
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory
from mutua.providers.tests.test_space import invoice_data, issued_emergency, provider_login
from mutua.quotes.tests.helpers import make_quote

pytestmark = pytest.mark.django_db

TEXT = "Facture 42,00 EUR"


def hostile(name: str = "facture.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, hostile_pdf(text=TEXT))


def served_clean(response) -> None:
    """A download the browser will not render, holding the page and nothing active."""
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    assert active_content(data) == []
    assert PdfReader(io.BytesIO(data)).pages[0].extract_text() == TEXT


def staff(role: Role) -> Client:
    client = Client()
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    return client


def test_a_claim_item_document_through_the_api_and_the_portal(client):
    user = MemberUserFactory()
    api = ApiClient(api_token_create(user=user, name="phone")[1])
    claim = api.post("/claims", {"name": "Médecin"}).json()
    item = api.post_multipart(f"/claims/{claim['id']}/items", item_fields() | {"documents": [hostile()]}).json()
    document_id = item["documents"][0]["id"]
    served_clean(api.get(f"/documents/{document_id}"))
    member_login(client, user.username, PASSWORD)
    served_clean(client.get(f"/documents/{document_id}/"))
    served_clean(staff(Role.CLAIMS_HANDLER).get(f"/documents/{document_id}/"))


def test_a_quote_document_sent_from_the_app():
    user = MemberUserFactory()
    api = ApiClient(api_token_create(user=user, name="phone")[1])
    quote = make_quote(user, upload=False)
    sent = api.post_multipart(f"/quotes/{quote.pk}/document", {"document": hostile("devis.pdf")})
    assert sent.status_code == 200
    served_clean(staff(Role.CLAIMS_HANDLER).get(f"/documents/{sent.json()['document']['id']}/"))


def test_a_family_change_document_sent_from_the_portal(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    today = timezone.localdate()
    response = client.post(
        "/portal/contract/family-change/",
        {
            "kind": "birth",
            "event_date": today.isoformat(),
            "first_name": "Zoé",
            "birth_date": today.isoformat(),
            "documents": [hostile("acte.pdf")],
        },
    )
    assert response.status_code == 302
    document = ChangeRequest.objects.get(member=user.member).documents.get()
    served_clean(staff(Role.CLAIMS_HANDLER).get(f"/documents/{document.pk}/"))


@pytest.fixture
def hospital(client):
    clinic = ProviderFactory(in_network=True)
    user = ProviderUserFactory(provider=clinic)
    assert provider_login(client, user).status_code == 302
    return issued_emergency(MemberUserFactory().member, clinic, timezone.localdate(), by=user)


def test_a_medical_report_sent_by_the_hospital(client, hospital):
    response = client.post(
        f"/provider/guarantees/{hospital.pk}/extension/",
        {"until": (hospital.valid_until + timedelta(days=5)).isoformat(), "report": hostile("rapport.pdf")},
    )
    assert response.status_code == 302
    report = hospital.medical_reports.get()
    served_clean(staff(Role.MEDICAL_ADVISOR).get(f"/backoffice/guarantees/reports/{report.pk}/"))


def test_a_hospital_invoice_sent_by_the_hospital(client, hospital):
    today = stay_over(hospital).valid_from
    response = client.post(
        f"/provider/guarantees/{hospital.pk}/invoice/", invoice_data(today) | {"invoice": hostile("facture.pdf")}
    )
    assert response.status_code == 302
    invoice = Guarantee.objects.get(pk=hospital.pk).invoice
    served_clean(staff(Role.CLAIMS_HANDLER).get(f"/documents/{invoice.pk}/"))
