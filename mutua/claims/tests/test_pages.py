"""Member and back-office claim pages, and that nobody reaches another household's claims."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.tests.helpers import GLASSES, GP_VISIT, receipt, submitted_claim
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    member_login(client, user.username, PASSWORD)
    return user


def item_form(**changes):
    data = {
        "benefit_code": "care.gp",
        "care_date": "2026-03-02",
        "provider": "Dr Martin",
        "amount": "30.00",
        "currency": "EUR",
        "quantity": "1",
        "mr": "19.00",
        "doctor_fees": "sector_1",
        "documents": [receipt(salt="page")],
    }
    return data | changes


def test_a_member_makes_a_claim_through_the_pages(client, member, django_capture_on_commit_callbacks):
    response = client.post("/portal/claims/new/", {"name": "Généraliste", "person": ""})
    claim = Claim.objects.get(member=member.member)
    assert response["Location"] == f"/portal/claims/{claim.pk}/"
    page = unescape(client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "What kind of care?" in page and "A doctor's visit" in page  # step 1: the kind of care first
    glasses = client.get(f"/portal/claims/{claim.pk}/?care=glasses", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a prescription less than 5 years old (patients aged 16 to 42)" in glasses  # that care's documents
    assert client.post(f"/portal/claims/{claim.pk}/items/", item_form()).status_code == 302
    summary = client.get(f"/portal/claims/{claim.pk}/summary/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Dr Martin" in summary.content.decode() and "Keep the original documents for 2 years" in (
        summary.content.decode()
    )
    refused = client.post(f"/portal/claims/{claim.pk}/summary/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Accept the terms" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/claims/{claim.pk}/summary/", {"terms": "on"})
    tracking = client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Validated" in tracking and "Assurance Maladie" in tracking and "Remains for you" in tracking
    assert "How was it computed?" in tracking or "The exact calculation" in tracking  # the tracking page words it
    statements = client.get("/portal/claims/statements/").content.decode()
    assert Claim.objects.get(pk=claim.pk).statement.number in statements


def test_rule_errors_are_shown_on_the_form(client, member):
    client.post("/portal/claims/new/", {"name": "Hôpital", "person": ""})
    claim = Claim.objects.get(member=member.member)
    response = client.post(
        f"/portal/claims/{claim.pk}/items/", item_form(benefit_code="hosp.stay"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "Hospital is not claimed online" in response.content.decode()
    response = client.post(f"/portal/claims/{claim.pk}/items/", item_form(documents=[]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Attach the supporting documents" in response.content.decode()
    assert not ClaimItem.objects.exists()


def test_nobody_reaches_another_households_claims(client, member):
    other = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    theirs = submitted_claim(other, [GP_VISIT])
    item = theirs.items.get()
    document = item.documents.get()
    for url in (
        f"/portal/claims/{theirs.pk}/",
        f"/portal/claims/{theirs.pk}/summary/",
        f"/documents/{document.pk}/",
    ):
        assert client.get(url).status_code == 404
    for url in (f"/portal/claims/{theirs.pk}/items/", f"/portal/claims/{theirs.pk}/items/{item.pk}/remove/"):
        assert client.post(url, item_form()).status_code == 404
    assert theirs.items.count() == 1
    assert "Soins" not in client.get("/portal/claims/").content.decode()
    for url in (f"/backoffice/claims/{theirs.pk}/", "/backoffice/claims/review/"):
        assert client.get(url).status_code == 403


def test_a_handler_reviews_and_decides_an_item(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [GLASSES])
    item = claim.items.get()
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    staff_login(client, handler, PASSWORD)
    queue = client.get("/backoffice/claims/review/")
    assert [row.item for group in queue.context["page"] for row in group.items] == [item]
    page = client.get(f"/backoffice/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "equipment checked by a handler" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/backoffice/claims/items/{item.pk}/decide/",
            {
                f"item{item.pk}-decision": "correct",
                f"item{item.pk}-amount": "400.00",
                f"item{item.pk}-br": "0.15",
                f"item{item.pk}-quantity": "1",
            },
        )
    item.refresh_from_db()
    assert item.status == "accepted" and item.amount == 400 and item.decided_by == handler


def test_finance_and_medical_advisor_roles(client):
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    claim = submitted_claim(user, [GLASSES])
    item = claim.items.get()
    staff_login(client, StaffUserFactory(role=Role.FINANCE), PASSWORD)
    assert client.get(f"/backoffice/claims/{claim.pk}/").status_code == 403
    advisor = Client()
    staff_login(advisor, StaffUserFactory(role=Role.MEDICAL_ADVISOR), PASSWORD)
    assert advisor.get(f"/backoffice/claims/{claim.pk}/").status_code == 200
    response = advisor.post(f"/backoffice/claims/items/{item.pk}/decide/", {f"item{item.pk}-decision": "accept"})
    assert response.status_code == 403


def test_amounts_read_on_the_receipt_are_proposed_and_a_mismatch_goes_to_review(
    client, member, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mutua.documents.ocr import ocr_available
    from mutua.documents.tests.receipts import encoded, receipt_image

    missing = ocr_available()
    if missing:
        pytest.skip(f"MISSING: {missing}")
    client.post("/portal/claims/new/", {"name": "Pharmacie", "person": ""})
    claim = Claim.objects.get(member=member.member)
    photo = SimpleUploadedFile("ticket.jpg", encoded(receipt_image(when="02/03/2026  10:42")), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/portal/claims/{claim.pk}/items/",
            item_form(benefit_code="care.medicines", amount="40.00", documents=[photo]),
        )
    draft = client.get(f"/portal/claims/{claim.pk}/").content.decode()
    assert money_format(Decimal("45"), language="fr") in draft and "02/03/2026" in draft  # proposed from the receipt
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/claims/{claim.pk}/summary/", {"terms": "on"})
    item = claim.items.get()
    assert item.status == ClaimItem.Status.IN_REVIEW and "receipt_amount_mismatch" in item.review_reasons


def test_the_page_asks_for_the_am_figure_and_the_doctors_fees_beside_their_fields(client, member):
    client.post("/portal/claims/new/", {"name": "Généraliste", "person": ""})
    claim = Claim.objects.get(member=member.member)
    response = client.post(
        f"/portal/claims/{claim.pk}/items/",
        item_form(mr="", doctor_fees=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and not claim.items.exists()
    errors = response.context["form"].errors
    assert "Say how the doctor charges" in errors["doctor_fees"][0]
    assert "Enter what the Assurance Maladie paid" in errors["mr"][0]
    assert "standard rate (secteur 1)" in response.content.decode()  # the choices in plain words


def test_what_another_insurer_paid_is_taken_from_the_form_and_shown(client, member, django_capture_on_commit_callbacks):
    client.post("/portal/claims/new/", {"name": "Généraliste", "person": ""})
    claim = Claim.objects.get(member=member.member)
    too_much = client.post(
        f"/portal/claims/{claim.pk}/items/", item_form(other_paid="11.01"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "cannot have paid more than what remained" in too_much.context["form"].errors["other_paid"][0]
    assert client.post(f"/portal/claims/{claim.pk}/items/", item_form(other_paid="5.00")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/claims/{claim.pk}/summary/", {"terms": "on"})
    tracking = client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Another complementary insurer" in tracking and money_format(Decimal("5"), language="en") in tracking
    assert "the plan pays at most what remains" in tracking


def test_a_refused_item_asks_for_its_documents_again_in_plain_words(client, member):
    client.post("/portal/claims/new/", {"name": "Généraliste", "person": ""})
    claim = Claim.objects.get(member=member.member)
    page = unescape(client.get(f"/portal/claims/{claim.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "A doctor's visit" in page and "soins_courants" not in page  # kinds of care named, never coded
    refused = client.post(f"/portal/claims/{claim.pk}/items/", item_form(mr=""), HTTP_ACCEPT_LANGUAGE="en")
    assert "Attach your documents again" in refused.context["form"].errors["documents"][0]


def test_the_claims_list_reads_as_labelled_blocks_on_a_phone(client, member):
    """At 375 px the status column ran off the screen: the list stacks, each value with its label."""
    submitted_claim(member, [GP_VISIT])
    page = client.get("/portal/claims/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<table class="stack">' in page and 'data-label="Status"' in page and 'data-label="Sent on"' in page


def test_the_queues_care_filter_names_each_plans_sections_under_the_plan(client):
    """ "Hospitalisation", "Dentaire" and "Optique" were each offered twice (the French plan's and the
    international plan's) with nothing to tell them apart: each plan's sections under its name."""
    staff_login(client, StaffUserFactory(role=Role.CLAIMS_HANDLER), PASSWORD)
    page = unescape(client.get("/backoffice/claims/review/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert '<optgroup label="Régime international du personnel (SC et SSA)">' in page
    international = page.split('<optgroup label="Régime international du personnel (SC et SSA)">')[1].split(
        "</optgroup>"
    )[0]
    assert 'value="inpatient"' in international and ">Hospitalisation<" in international
    assert page.count(">Hospitalisation<") == 2 and page.count("<optgroup") == 2
