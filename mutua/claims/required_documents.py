"""Which supporting documents each kind of care needs (seed 001, "Les pièces justificatives")."""

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


def required_documents(*, section: str, benefit_code: str, birth_date: date, on: date) -> tuple[Promise, ...]:
    documents = BY_SECTION.get(section, (INVOICE,))
    age = age_on(birth_date, on)
    if benefit_code.startswith("optical.contact_lenses"):
        documents += (lenses_prescription(age),)
    elif benefit_code.startswith("optical.equipment"):
        documents += (glasses_prescription(age),)
    return documents
