"""The guarantee of payment as a PDF, for the hospital and the member (seed 000).

Everything on it is read from what was stored when the guarantee was issued (the engine's
estimate, the per-day limits, the validity dates), never computed again: the PDF always says
what was issued. A Django template rendered by WeasyPrint, which fetches nothing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from mutua.contracts.models import ManagementUnit
from mutua.core.pdf import pdf_from_html
from mutua.guarantees.models import Guarantee
from mutua.guarantees.selectors import CostLine, DayLimit, cost_lines, day_limits, national_scheme, patient_name

# The guarantee binds the plan from these statuses on; before (or refused) the PDF says it is not one.
BINDING = frozenset({Guarantee.Status.ISSUED, Guarantee.Status.EXTENSION_REQUESTED, Guarantee.Status.SETTLED})


@dataclass(frozen=True)
class GuaranteeDocument:
    guarantee: Guarantee
    patient: str
    patient_birth_date: date
    member_number: str
    insurer: str
    contract_number: str
    management_unit: ManagementUnit
    rows: tuple[CostLine, ...]
    day_limits: tuple[DayLimit, ...]
    national_scheme: bool  # the Assurance Maladie's part is a column of the costs
    binding: bool
    language: str

    @property
    def has_costs(self) -> bool:
        return bool(self.rows)


def guarantee_document(*, guarantee: Guarantee, language: str) -> GuaranteeDocument:
    """What the guarantee shows, with labels in ``language``."""
    member = guarantee.member
    person = guarantee.beneficiary or member
    contract = member.contract
    with translation.override(language):
        rows = tuple(cost_lines(guarantee))
        limits = tuple(day_limits(guarantee))
    return GuaranteeDocument(
        guarantee=guarantee,
        patient=patient_name(guarantee),
        patient_birth_date=person.birth_date,
        member_number=member.member_number,
        insurer=contract.insurer.name if contract else "",
        contract_number=contract.number if contract else "",
        management_unit=member.management_unit,
        rows=rows,
        day_limits=limits,
        national_scheme=national_scheme(guarantee),
        binding=guarantee.status in BINDING,
        language=language,
    )


def guarantee_html(*, guarantee: Guarantee, language: str) -> str:
    document = guarantee_document(guarantee=guarantee, language=language)
    with translation.override(language):
        return render_to_string(
            "guarantees/pdf.html", {"doc": document, "g": guarantee, "zero": Decimal("0.00"), "Form": Guarantee.Form}
        )


def guarantee_pdf(*, guarantee: Guarantee, language: str) -> bytes:
    """The guarantee as issued, in ``language`` ("fr" or "en")."""
    return pdf_from_html(guarantee_html(guarantee=guarantee, language=language))
