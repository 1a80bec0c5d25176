"""The international plan's reimbursement request form: downloaded from "My guarantees", pre-filled with
the member's details, in the reader's language; a plan naming no documents offers none."""

import shutil
import subprocess
from datetime import date

import pytest
from django.test import Client

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.contracts.models import ContractPlan
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.tests.helpers import member_login

pytestmark = pytest.mark.django_db

URL = "/portal/my-guarantees/reimbursement-request-form.pdf"
IBAN = "FR1420041010050500013M02606"


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("MISSING: pdftotext (poppler-utils) is needed to read the PDF back")
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


@pytest.fixture
def intl_client(client: Client) -> Client:
    user = MemberUserFactory(
        member__first_name="Amina", member__last_name="Otieno", member__duty_station="KE", member__iban=IBAN
    )
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    BeneficiaryFactory(member=user.member, first_name="Baraka", birth_date=date(2016, 4, 2))
    member_login(client, user.username, PASSWORD)
    client.user = user
    return client


def test_the_form_is_offered_on_my_guarantees_and_prefilled_in_english(intl_client, tmp_path):
    page = intl_client.get("/portal/my-guarantees/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert URL in page and "Reimbursement request form (PDF)" in page
    response = intl_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    member = intl_client.user.member
    for expected in (
        "Reimbursement request form",
        "Amina Otieno",
        member.member_number,
        "International staff plan (SC and SSA)",
        "Kenya",  # the duty station
        "••••2606",  # the account, masked
        "Baraka Otieno",
        "Who received the care? Tick the person.",
        "Date Patient",
        "Currency",
        "the original dated invoice with the patient's name",
        "the discharge medical report",
        "the medical claim form, completed and signed",
        "Out-patient care, Dental care, Optical care",
        "The attending physician",
        "Date and signature",
        member.management_unit.name,
    ):
        assert expected.casefold() in text.casefold(), expected  # the labels are set in capitals
    assert IBAN not in text


def test_the_form_in_french_and_in_spanish(intl_client, tmp_path):
    french = pdf_text(intl_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content, tmp_path)
    assert "Formulaire de demande de remboursement" in french and "le reçu de paiement" in french
    spanish = pdf_text(intl_client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content, tmp_path)
    assert "el informe médico de alta" in spanish


def test_a_plan_without_documents_offers_no_form(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert client.get(URL).status_code == 404
    assert URL not in client.get("/portal/my-guarantees/").content.decode()


def test_only_members_download_it(client):
    response = client.get(URL)
    assert response.status_code in (302, 403)
