"""Which supporting documents each kind of care needs: the plan's sections name them (seed 000's lists,
``documents`` in the plan data); the French contract's, finer than its sections (per care and the
patient's age, seed 001 "Les pièces justificatives"), are below."""

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from mutua.contracts.rules import age_on

INVOICE = _("the detailed, receipted invoice with the patient's name and the date")
AM_STATEMENT = _("the Assurance Maladie statement, if the care is covered by it and not teletransmitted")

BY_SECTION: dict[str, tuple[Promise, ...]] = {
    "soins_courants": (
        INVOICE,
        AM_STATEMENT,
        _("the prescription, for medicines, laboratory tests and series of treatment"),
    ),
    "dentaire": (INVOICE, AM_STATEMENT, _("the dentist's quote, for prostheses, implants and orthodontics")),
    "optique": (INVOICE, AM_STATEMENT),
    "aides_auditives": (INVOICE, AM_STATEMENT, _("the prescription and the audioprosthetist's standard quote")),
    "prevention": (INVOICE,),
    "actes_de_prevention": (INVOICE, AM_STATEMENT),
}


SECTION_LABELS: dict[str, Promise] = {
    "soins_courants": _("current care"),
    "dentaire": _("dental"),
    "optique": _("optical"),
    "aides_auditives": _("hearing aids"),
    "prevention": _("prevention not covered by the AM"),
    "actes_de_prevention": _("prevention acts"),
}


def documents_by_section() -> list[tuple[Promise, tuple[Promise, ...]]]:
    return [(SECTION_LABELS[section], documents) for section, documents in BY_SECTION.items()]


def glasses_prescription(age: int) -> Promise:
    if age < 16:
        return _("a prescription less than 1 year old (patients under 16)")
    if age <= 42:
        return _("a prescription less than 5 years old (patients aged 16 to 42)")
    return _("a prescription less than 3 years old (patients over 42)")


def lenses_prescription(age: int) -> Promise:
    if age < 16:
        return _("a prescription less than 1 year old (patients under 16)")
    return _("a prescription less than 3 years old (patients aged 16 and over)")


# What each care needs beyond the invoice, by the plan's benefit codes (seed 001, "Les pièces justificatives").
ON_PRESCRIPTION = frozenset(
    {
        "care.medicines",
        "care.vaccines",
        "care.medical_equipment",
        "care.laboratory",
        "care.paramedical",
        "prevention.hepatitis_b_screening",
    }
)
DENTIST_QUOTE = frozenset(
    {
        "dental.crown_bridge",
        "dental.removable",
        "dental.temporary_crown",
        "dental.inlay_core",
        "dental.inlay_onlay",
        "dental.prosthesis_npc",
        "dental.implant_crown",
        "dental.implant",
        "dental.orthodontics",
        "dental.orthodontics_npc",
    }
)
GLASSES = frozenset({"optical.equipment", "optical.equipment_100"})
LENSES = frozenset({"optical.contact_lenses", "optical.contact_lenses_npc"})
HEARING_AIDS = frozenset({"hearing.aid", "hearing.aid_100"})

AM_STATEMENT_SHORT = _("the Assurance Maladie statement (unless it sends us your statements directly)")
PRESCRIPTION = _("the prescription")
DENTIST_QUOTE_TEXT = _("the dentist's quote")
HEARING_PRESCRIPTION = _("the prescription and the audioprosthetist's standard quote")


def documents_for_care(
    *, codes: tuple[str, ...], am_covered: frozenset[str], age: int
) -> list[tuple[Promise, tuple[str, ...]]]:
    """The documents for the cares of one group of the form: (document, the cares that need it).

    A document every care of the group needs comes with all of them; the page says "for: …" otherwise.
    """
    wanted: list[tuple[Promise, frozenset[str]]] = [
        (INVOICE, frozenset(codes)),
        (AM_STATEMENT_SHORT, am_covered),
        (PRESCRIPTION, ON_PRESCRIPTION),
        (DENTIST_QUOTE_TEXT, DENTIST_QUOTE),
        (glasses_prescription(age), GLASSES),
        (lenses_prescription(age), LENSES),
        (HEARING_PRESCRIPTION, HEARING_AIDS),
    ]
    return [
        (document, tuple(code for code in codes if code in needed))
        for document, needed in wanted
        if any(code in needed for code in codes)
    ]


def required_documents(*, section: str, benefit_code: str, birth_date: date, on: date) -> tuple[Promise, ...]:
    documents = BY_SECTION.get(section, (INVOICE,))
    age = age_on(birth_date, on)
    if benefit_code.startswith("optical.contact_lenses"):
        documents += (lenses_prescription(age),)
    elif benefit_code.startswith("optical.equipment"):
        documents += (glasses_prescription(age),)
    return documents


def plan_documents(*, plan_code: str, codes: tuple[str, ...], language: str) -> list[tuple[str, tuple[str, ...]]]:
    """The documents the plan's sections ask for these cares, in ``language``: (document, the cares that
    need it), in the plan's order; empty when the plan names none for them."""
    plan = get_plan(plan_code)
    wanted: dict[str, list[str]] = {}
    for code in codes:
        benefit = plan.benefit(code)
        section = plan.sections.get(benefit.section) if benefit else None
        for document in section.documents if section else ():
            wanted.setdefault(document.get(language), []).append(code)
    return [(document, tuple(needing)) for document, needing in wanted.items()]
