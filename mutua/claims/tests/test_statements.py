"""Statements ("décomptes"): the PDF shows every amount, to its own household only, for 2 years."""

import io
import re
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, ClaimItem, RejectionReason, Statement
from mutua.claims.review import claim_item_decide
from mutua.claims.statements import PAYMENT_WORKING_DAYS, statement_document
from mutua.claims.tests.helpers import GLASSES, GP_VISIT, submitted_claim
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
ABROAD = {
    "benefit_code": "care.specialist",
    "care_date": date(2026, 3, 9),
    "provider": "Dr John Miller, Boston",
    "amount": Decimal("80.00"),
    "currency": "USD",
    "mr": Decimal("0.00"),  # care outside Europe: the AM paid nothing
    "doctor_fees": "free",
}


@pytest.fixture
def user():
    return MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=IBAN, member__first_name="Claire")


@pytest.fixture
def handler():
    return StaffUserFactory(role=Role.CLAIMS_HANDLER)


@pytest.fixture
def statement(user, handler, django_capture_on_commit_callbacks):
    """A decided claim: a visit decided at once, glasses accepted by a handler, a bill abroad refused."""
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [GP_VISIT, GLASSES, ABROAD])
    with django_capture_on_commit_callbacks(execute=True):
        for item in claim.items.filter(status=ClaimItem.Status.IN_REVIEW).order_by("care_date"):
            if item.currency == "USD":
                claim_item_decide(item=item, by=handler, accept=False, reason=RejectionReason.DUPLICATE)
            else:
                claim_item_decide(item=item, by=handler, accept=True)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VALIDATED
    return claim.statement


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def fr(amount, currency: str = "EUR") -> str:
    """As the PDF's text reads once its spaces are flattened (see ``pdf_text``)."""
    return re.sub(r"[ \u00a0\u202f]+", " ", money_format(amount, currency, language="fr"))


def en(amount) -> str:
    return money_format(amount, language="en")


def test_urls():
    assert reverse("claims:statement_pdf", kwargs={"statement_id": 7}) == "/portal/claims/statements/7.pdf"
    assert reverse("backoffice:statement_pdf", kwargs={"statement_id": 7}) == "/backoffice/claims/statements/7.pdf"


def test_the_statement_shows_every_line_and_amount(client, user, statement):
    member_login(client, user.username, PASSWORD)
    response = client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk}))
    assert f'filename="statement-{statement.number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    gp, glasses, abroad = (
        statement.claim.items.get(benefit_code=code) for code in ("care.gp", "optical.equipment", "care.specialist")
    )
    assert user.member.member_number in text and user.member.full_name in text and statement.number in text
    assert "Soins" in text  # the claim's name
    assert "Médecin généraliste" in text and "Équipement optique" in text  # care labels from the plan
    for item in (gp, glasses):
        # Each row: charged, AM, each tier, what remains.
        assert item.status == ClaimItem.Status.ACCEPTED
        tiers = (item.tiers_paid.get("base", "0"), item.tiers_paid.get("surco", "0"))
        row = " ".join(fr(amount) for amount in (item.plan_amount, item.am_paid, *tiers, item.out_of_pocket))
        assert row in text
        assert item.am_paid + item.paid_total + item.out_of_pocket == item.plan_amount
    # The bill abroad: the original currency, refused with the reason in plain words, all of it remains.
    assert abroad.status == ClaimItem.Status.REJECTED
    assert fr(80, "USD") in text and fr(abroad.plan_amount) in text
    with translation.override("fr"):
        assert str(RejectionReason.DUPLICATE.label) in text

    document = statement_document(statement=statement, language="fr")
    items = (gp, glasses, abroad)
    total_charged = sum(item.plan_amount for item in items)
    total_am = gp.am_paid + glasses.am_paid
    total_left = sum(item.out_of_pocket for item in items)
    assert document.total_charged == total_charged
    assert document.total_am == total_am
    assert document.total_paid == statement.total_paid == gp.paid_total + glasses.paid_total
    assert document.total_out_of_pocket == total_left
    assert total_charged == total_am + statement.total_paid + total_left
    tiers = {code: sum(Decimal(item.tiers_paid.get(code, "0")) for item in items) for code in ("base", "surco")}
    assert document.total_tiers == (tiers["base"], tiers["surco"])
    totals_row = " ".join(fr(amount) for amount in (total_charged, total_am, tiers["base"], tiers["surco"], total_left))
    assert totals_row in text
    assert fr(statement.total_paid) in text

    # Paid to the masked account, never the full IBAN.
    assert "••••0189" in text
    assert IBAN not in text and IBAN[-8:] not in text and "FR76" not in text
    assert f"{PAYMENT_WORKING_DAYS} " in text


def test_english_for_a_member_reading_in_english(client, user, statement):
    member_login(client, user.username, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = pdf_text(client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk})))
    assert "Reimbursement statement" in text and "General practitioner" in text
    assert "this care has already been claimed" in text
    assert f"To be paid within {PAYMENT_WORKING_DAYS} working days." in text
    assert en(statement.total_paid) in text and "••••0189" in text


def test_missing_bank_details_are_said(client, user, statement):
    user.member.iban = ""
    user.member.save(update_fields=["iban"])
    member_login(client, user.username, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = pdf_text(client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk})))
    assert "Bank details missing: update them in My contract." in text
    assert "••••" not in text


def test_the_member_is_told_by_email_and_the_list_links_to_the_pdf(client, user, statement):
    assert any(statement.number in message.body and message.to == [user.member.email] for message in mail.outbox)
    member_login(client, user.username, PASSWORD)
    page = client.get(reverse("claims:statements")).content.decode()
    assert reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk}) in page


# --- who may read it ----------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, statement):
    response = client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_household_gets_404(client, statement):
    other = MemberUserFactory()
    member_login(client, other.username, PASSWORD)
    assert client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk})).status_code == 404
    assert client.get(reverse("claims:statement_pdf", kwargs={"statement_id": 999_999})).status_code == 404


def test_a_member_cannot_use_the_back_office_download(client, user, statement):
    member_login(client, user.username, PASSWORD)
    url = reverse("backoffice:statement_pdf", kwargs={"statement_id": statement.pk})
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.FINANCE, Role.MEDICAL_ADVISOR])
def test_staff_without_the_role_gets_403(client, statement, role):
    staff = StaffUserFactory(role=role)
    staff_login(client, staff, PASSWORD)
    assert client.get(reverse("backoffice:statement_pdf", kwargs={"statement_id": statement.pk})).status_code == 403
    # Staff are not members either.
    assert client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk})).status_code == 403


@pytest.mark.parametrize("role", [Role.CLAIMS_HANDLER, Role.ADMINISTRATOR])
def test_handlers_download_it_in_the_members_language(client, user, statement, role):
    user.member.preferred_language = "en"
    user.member.save(update_fields=["preferred_language"])
    staff = StaffUserFactory(role=role)
    staff_login(client, staff, PASSWORD)
    response = client.get(reverse("backoffice:statement_pdf", kwargs={"statement_id": statement.pk}))
    text = pdf_text(response)
    assert statement.number in text and "Reimbursement statement" in text and "••••0189" in text
    assert IBAN not in text
    assert client.get(reverse("backoffice:statement_pdf", kwargs={"statement_id": 999_999})).status_code == 404


# --- two years ----------------------------------------------------------------------------


def test_statements_older_than_2_years_are_neither_listed_nor_served(client, user, statement):
    recent_pk = statement.pk
    old = Statement.objects.create(
        claim=Claim.objects.create(member=user.member, name="Ancienne demande", status=Claim.Status.VALIDATED),
        member=user.member,
        number="D20231101-0000001",
        issued_at=timezone.now() - timedelta(days=2 * 366),
        total_paid=Decimal("12.00"),
    )
    member_login(client, user.username, PASSWORD)
    page = client.get(reverse("claims:statements")).content.decode()
    assert statement.number in page
    assert old.number not in page
    assert client.get(reverse("claims:statement_pdf", kwargs={"statement_id": old.pk})).status_code == 404
    assert client.get(reverse("claims:statement_pdf", kwargs={"statement_id": recent_pk})).status_code == 200


def test_a_wholly_refused_claim_pays_nothing(client, user, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [ABROAD])
    with django_capture_on_commit_callbacks(execute=True):
        claim_item_decide(
            item=claim.items.get(), by=handler, accept=False, reason=RejectionReason.OTHER, text="facture illisible"
        )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    member_login(client, user.username, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = pdf_text(client.get(reverse("claims:statement_pdf", kwargs={"statement_id": claim.statement.pk})))
    assert "Nothing is paid on this statement." in text and "facture illisible" in text
    assert "••••" not in text


def test_the_statement_list_works_on_29_february(monkeypatch):
    from datetime import datetime

    from mutua.accounts.tests.factories import MemberUserFactory
    from mutua.claims.selectors import statements_for_member

    member = MemberUserFactory().member
    monkeypatch.setattr("mutua.claims.selectors.timezone.now", lambda: datetime(2028, 2, 29, 12, tzinfo=UTC))
    assert list(statements_for_member(member=member)) == []  # no "day is out of range for month"
