"""An international staff member, the staff who work a capital claim, and a death claim keyed in."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.capital.models import CapitalClaim, ClaimDocument
from mutua.capital.services import capital_claim_file
from mutua.contracts.models import ContractPlan
from mutua.documents.tests.pdfs import blank_pdf

IBAN = "FR1420041010050500013M02606"
OTHER_IBAN = "DE89370400440532013000"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", blank_pdf(name))


def intl_member_user(**member_fields):
    """A member of the international staff plan (intl-staff), born on 10 May 1961 unless told otherwise,
    who reads the pages in English."""
    fields = {"member__birth_date": date(1961, 5, 10), "member__iban": IBAN, "language": "en", **member_fields}
    user = MemberUserFactory(**fields)
    ContractPlan.objects.filter(contract=user.member.contract).update(plan_code="intl-staff", tiers=["main"])
    return user


def staff(role: Role = Role.CLAIMS_HANDLER):
    return StaffUserFactory(role=role, language="en")


def death_claim(member, handler, *, event_date: date = date(2025, 5, 9)) -> CapitalClaim:
    """A death declared by the spouse's letter, keyed in by a handler with both certificates."""
    return capital_claim_file(
        member=member,
        kind=CapitalClaim.Kind.DEATH,
        event_date=event_date,
        declarant_name="Paul Martin",
        declarant_relationship="spouse",
        declarant_contact="paul.martin@example.org",
        uploads=[
            (ClaimDocument.Role.DEATH_CERTIFICATE, pdf("death")),
            (ClaimDocument.Role.CAUSE_CERTIFICATE, pdf("cause")),
        ],
        by=handler,
    )
