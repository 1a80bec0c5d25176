from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from mutua.claims.services import claim_create, claim_item_add, claim_submit
from mutua.documents.tests.pdfs import blank_pdf


def receipt(name: str = "facture.pdf", salt: str = "") -> SimpleUploadedFile:
    """A small valid PDF; ``salt`` makes its content (and so its hash) unique."""
    return SimpleUploadedFile(name, blank_pdf(salt))


def submitted_claim(user, items, *, beneficiary=None):
    """A claim with these items (dicts of claim_item_add arguments), validated by the member."""
    claim = claim_create(member=user.member, beneficiary=beneficiary, name="Soins")
    for n, item in enumerate(items):
        arguments = {"provider": "Dr Test", "uploads": [receipt(salt=f"{claim.pk}-{n}-{item}")]} | item
        claim_item_add(claim=claim, by=user, **arguments)
    return claim_submit(claim=claim, by=user, terms_accepted=True)


GP_VISIT = {
    "benefit_code": "care.gp",
    "care_date": date(2026, 3, 2),
    "amount": Decimal("30.00"),
    "mr": Decimal("19.00"),
    "doctor_fees": "sector_1",
}
GLASSES = {
    "benefit_code": "optical.equipment",
    "care_date": date(2026, 3, 5),
    "amount": Decimal("420.00"),
    "br": Decimal("0.15"),
    "mr": Decimal("0.09"),
    "attributes": {"lens_class": "simple"},
}
