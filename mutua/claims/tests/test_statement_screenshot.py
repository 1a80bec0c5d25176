"""Renders the first page of a statement to docs/screenshots/statement.png (needs Debian's poppler-utils)."""

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone, translation

from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.models import ClaimItem, RejectionReason, Statement
from mutua.claims.review import claim_item_decide
from mutua.claims.statements import statement_document, statement_pdf_render
from mutua.claims.tests.helpers import submitted_claim
from mutua.contracts.models import Insurer
from mutua.contracts.tests.factories import BeneficiaryFactory, ManagementUnitFactory

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = ROOT / "docs" / "screenshots" / "statement.png"
ISSUED = timezone.make_aware(datetime(2026, 11, 4, 9, 30))
SENT = timezone.make_aware(datetime(2026, 11, 2, 18, 12))

ITEMS = [
    {
        "benefit_code": "care.gp",
        "care_date": date(2026, 10, 6),
        "provider": "Dr Sophie Laurent, Paris 15e",
        "amount": Decimal("30.00"),
        "mr": Decimal("19.00"),
        "doctor_fees": "optam",
    },
    {
        "benefit_code": "care.specialist",
        "care_date": date(2026, 10, 13),
        "provider": "Dr Marc Petit, dermatologue",
        "amount": Decimal("70.00"),
        "mr": Decimal("20.05"),
        "doctor_fees": "optam",
    },
    {
        "benefit_code": "optical.equipment",
        "care_date": date(2026, 10, 20),
        "provider": "Optique du Marché",
        "amount": Decimal("420.00"),
        "br": Decimal("0.15"),
        "mr": Decimal("0.09"),
        "attributes": {"lens_class": "simple"},
    },
    {
        "benefit_code": "optical.contact_lenses_npc",
        # Another visit: bought with the glasses, one bill of 516 € would go by post.
        "care_date": date(2026, 10, 27),
        "provider": "Optique du Marché",
        "amount": Decimal("96.00"),
    },
    {
        "benefit_code": "care.specialist",
        "care_date": date(2026, 9, 8),
        "provider": "Dr John Miller, Boston (USA)",
        "amount": Decimal("150.00"),
        "currency": "USD",
        "mr": Decimal("0.00"),
        "doctor_fees": "free",
    },
]


@pytest.mark.django_db
def test_screenshot_of_a_statement(tmp_path, django_capture_on_commit_callbacks):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("MISSING: pdftoppm (apt-get install poppler-utils)")
    unit = ManagementUnitFactory(
        name="Unité de gestion Santé Île-de-France",
        phone="+33 1 84 00 12 34",
        email="sante@gestion.example.org",
        postal_address="TSA 12345\n92099 La Défense Cedex",
        opening_hours="Du lundi au vendredi, de 8 h 30 à 18 h",
    )
    user = MemberUserFactory(
        member__member_number="MU1000001",
        member__first_name="Claire",
        member__last_name="Dubois",
        member__birth_date=date(1984, 5, 12),
        member__postal_address="12 rue des Lilas\n75015 Paris",
        member__iban="FR7630006000011234567890189",
        member__contract__management_unit=unit,
        member__contract__number="GC-2026-0042",
        member__contract__insurer=Insurer.objects.create(name="Mutuelle Assurance Santé"),
    )
    child = BeneficiaryFactory(member=user.member, rank=3, first_name="Emma", birth_date=date(2012, 7, 21))
    handler = StaffUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, ITEMS, beneficiary=child)
    claim.name = "Consultations et lunettes d'Emma"
    claim.save(update_fields=["name"])
    for item in claim.items.filter(status=ClaimItem.Status.IN_REVIEW):
        if item.benefit_code == "optical.contact_lenses_npc":
            claim_item_decide(
                item=item,
                by=handler,
                accept=False,
                reason=RejectionReason.MISSING_DOCUMENT,
                text="la prescription de lentilles n'est pas jointe",
            )
        else:
            claim_item_decide(item=item, by=handler, accept=True)
    # Fixed number and dates: the same picture on every run.
    claim.refresh_from_db()
    claim.__class__.objects.filter(pk=claim.pk).update(submitted_at=SENT, decided_at=ISSUED)
    Statement.objects.filter(claim=claim).update(number="D20261104-0004217", issued_at=ISSUED)
    statement = Statement.objects.get(claim=claim)
    with translation.override("fr"):
        pdf = statement_pdf_render(document=statement_document(statement=statement, language="fr"))
    (tmp_path / "statement.pdf").write_bytes(pdf)
    first_page = ["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([pdftoppm, *first_page, tmp_path / "statement.pdf", tmp_path / "page"], check=True)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / "page.png", SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000
