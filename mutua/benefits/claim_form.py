"""The plan's reimbursement request form (seed 000, "My plan" › "Reimbursement request form"): a PDF
pre-filled with the member's details, for claims sent by post with the original documents.

A plan offers it when its sections name the documents a claim sends: the form lists them, by section.
"""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from engine import get_plan
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.models import ManagementUnit, Member
from mutua.core.countries import country_name
from mutua.core.crypto import mask_identifier
from mutua.core.pdf import pdf_from_html

BLANK_ROWS = 8  # care lines to fill in by hand


@dataclass(frozen=True)
class Person:
    name: str
    birth_date: date


@dataclass(frozen=True)
class DocumentsFor:
    sections: tuple[str, ...]  # the sections' names, in the reader's language
    documents: tuple[str, ...]


@dataclass(frozen=True)
class ClaimForm:
    member: Member
    plan_label: str
    plan_currency: str
    duty_station: str  # the country's name, "" when none
    account: str  # the IBAN masked as a bank statement shows it, "" when missing
    people: tuple[Person, ...]
    documents: tuple[DocumentsFor, ...]
    management_unit: ManagementUnit
    blank_rows: range
    language: str


def claim_form_plan(*, member: Member, on: date) -> str | None:
    """The code of the member's plan when it offers the form, None otherwise."""
    plan_code = subscriber_coverage_on(member=member, day=on).plan_code
    if not plan_code:
        return None
    plan = get_plan(plan_code)
    return plan_code if any(section.documents for section in plan.sections.values()) else None


def _documents(plan_code: str, language: str) -> tuple[DocumentsFor, ...]:
    """The documents by section, sections asking the same list together ("Out-patient, dental, optical")."""
    grouped: dict[tuple[str, ...], list[str]] = {}
    for section in get_plan(plan_code).sections.values():
        documents = tuple(document.get(language) for document in section.documents)
        if documents:
            grouped.setdefault(documents, []).append(section.label.get(language))
    return tuple(DocumentsFor(sections=tuple(names), documents=docs) for docs, names in grouped.items())


def claim_form_document(*, member: Member, plan_code: str, language: str) -> ClaimForm:
    plan = get_plan(plan_code)
    people = [Person(member.full_name, member.birth_date)]
    people += [
        Person(beneficiary.full_name, beneficiary.birth_date)
        for beneficiary in member.beneficiaries.filter(removed_on__isnull=True).order_by("birth_date")
    ]
    return ClaimForm(
        member=member,
        plan_label=plan.label.get(language),
        plan_currency=plan.currency,
        duty_station=country_name(member.duty_station, language) if member.duty_station else "",
        account=mask_identifier(member.iban)[-8:] if member.iban else "",
        people=tuple(people),
        documents=_documents(plan_code, language),
        management_unit=member.management_unit,
        blank_rows=range(BLANK_ROWS),
        language=language,
    )


def claim_form_pdf_render(*, form: ClaimForm) -> bytes:
    with translation.override(form.language):
        html = render_to_string("benefits/claim_form_pdf.html", {"form": form})
    return pdf_from_html(html)
