"""Rules on a care line that every channel applies the same way (online, AM file, hospital invoice)."""

from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from engine import get_plan, list_plans
from engine.parameters import default_parameters
from engine.plan_sections import Section

# How a doctor charges, asked in plain words; the engine knows it as the "dptm" fact (a doctor whose
# fees are the AM's tariff or controlled by OPTAM/DPTM) and takes the lower base of the others.
DOCTOR_FEES = {
    "sector_1": _("standard rate (secteur 1)"),
    "optam": _("controlled fees (OPTAM)"),
    "free": _("free fees (secteur 2 without OPTAM)"),
}
CONTROLLED_FEES = frozenset({"sector_1", "optam"})


def time_barred_before(*, today: date) -> date:
    """The first care date still claimable: any action under the contract is time-barred after the
    limitation period (two years, a dated legal parameter)."""
    months = int(default_parameters().value("limitation_period.months", today))
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    try:
        return today.replace(year=year, month=month + 1)
    except ValueError:  # 29 February two years after: the limit is the 28th
        return today.replace(year=year, month=month + 1, day=28)


def am_part_required(*, plan_code: str, benefit_code: str) -> bool:
    """Care the Assurance Maladie reimburses: the plan pays on what the AM really paid, never on an estimate."""
    plan = get_plan(plan_code)
    benefit = plan.benefit(benefit_code)
    return plan.has_national_scheme and benefit is not None and benefit.am != "none"


# The doctors' fees and radiology, whose base and plan share depend on how the doctor charges.
DOCTOR_FEES_SCHEMES = frozenset({"doctor", "radiology"})


def asks_doctor_fees(*, plan_code: str, benefit_code: str) -> bool:
    benefit = get_plan(plan_code).benefit(benefit_code)
    return benefit is not None and benefit.am in DOCTOR_FEES_SCHEMES


def flags_with_doctor_fees(flags: list[str] | None, doctor_fees: str | None) -> list[str]:
    """The line's facts: "dptm" comes from the answer about the doctor's fees, never from a box left unticked."""
    facts = set(flags or []) - {"dptm"}
    if doctor_fees in CONTROLLED_FEES:
        facts.add("dptm")
    return sorted(facts)


def plan_section(*, plan_code: str, section: str) -> Section | None:
    """The plan's section (its name, how its claims go, the documents they send), None if undeclared."""
    return get_plan(plan_code).sections.get(section)


def sent_by_post(*, plan_code: str, benefit_code: str) -> bool:
    """Care whose claims the plan takes by post only (hospital stays and thermal cures in France)."""
    benefit = get_plan(plan_code).benefit(benefit_code)
    found = plan_section(plan_code=plan_code, section=benefit.section) if benefit else None
    return found is not None and found.by_post


def reviewed_section(*, plan_code: str, section: str) -> bool:
    """Care every line of which a handler checks (equipment: optical, hearing aids)."""
    found = plan_section(plan_code=plan_code, section=section)
    return found is not None and found.review


def section_label(section: str, *, language: str | None = None, plan_code: str | None = None) -> str:
    """A section's name in the reader's language, from the plan that declares it (any plan when none is
    given: their section codes differ); the code itself for a section no plan names."""
    plans = [get_plan(plan_code)] if plan_code else list_plans()
    lang = (language or get_language() or "en").split("-")[0]
    return next((plan.sections[section].label.get(lang) for plan in plans if section in plan.sections), section)


def with_section_labels(groups: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Care-type choices grouped under their sections' names, for a form's list."""
    return [(section_label(section), choices) for section, choices in groups]
