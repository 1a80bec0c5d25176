"""The costs of a hospital stay as the patient's plan lists them (its ``hospital:`` section, by kind
of stay, each with the benefit that pays it); the costs a member or a hospital types, checked against
them and turned into lines for the engine.

The plan data is the one place that links a stay to the plan (``engine/data/plans``): the guarantee
lists these costs, the hospital's estimate and invoice are typed against them, and an invoice line for
anything else is outside the guarantee. What is not plan data stays here: the facts a line of a stay
carries for the plan's rules, and how days are counted.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from engine import get_plan
from engine.plan import Plan
from engine.plan_sections import StayCost
from mutua.contracts.models import Beneficiary, Member
from mutua.guarantees.models import Guarantee
from mutua.providers.models import Provider
from mutua.quotes.estimates import LineInput, person_coverage

PSYCHIATRY = "psychiatry"
MAX_STAY_DAYS = 366


def hospital_plan(plan_code: str | None) -> Plan:
    """The plan, if it guarantees hospital stays (it has a ``hospital:`` section); refused otherwise."""
    plan = get_plan(plan_code) if plan_code else None
    if plan is None or plan.hospital is None:
        raise ValidationError(
            _(
                "The patient's plan does not provide hospital guarantees of payment: the hospital bills the "
                "patient, who then claims the costs."
            ),
            code="no_hospital_section",
        )
    return plan


def person_plan(*, member: Member, beneficiary: Beneficiary | None, on: date) -> Plan | None:
    """The plan covering the person on ``on``, if it guarantees hospital stays; None otherwise (not
    covered, or a plan without them: the service gives the reason)."""
    coverage = person_coverage(member=member, beneficiary=beneficiary, on=on)
    if not coverage.covered:
        return None
    try:
        return hospital_plan(coverage.plan_code)
    except ValidationError:
        return None


def guarantee_plan(guarantee: Guarantee) -> Plan:
    """The plan the guarantee was estimated under."""
    return hospital_plan(guarantee.plan_code)


def stay_costs(plan: Plan, stay_kind: str) -> tuple[StayCost, ...]:
    return plan.hospital.stays.get(stay_kind, ())


def stay_cost(plan: Plan, stay_kind: str, benefit_code: str) -> StayCost | None:
    return next((cost for cost in stay_costs(plan, stay_kind) if cost.benefit == benefit_code), None)


def cost_label(cost: StayCost) -> str:
    """The cost's name in the reader's language."""
    return cost.label.get((get_language() or "en")[:2])


def care_country(plan: Plan, provider: Provider | None) -> str:
    """Where the care is given (the hospital's country) for a plan with zone rules; empty for a plan without
    them, as every other channel leaves it, so that the same care reads the same whatever brought it."""
    return provider.country if plan.zones is not None and provider is not None else ""


def stay_flags(*, stay_kind: str, conventionne: bool, dptm: bool = False) -> tuple[str, ...]:
    """The facts the plan's rules test on a line of this stay."""
    flags = []
    if stay_kind == "psychiatric":
        flags.append(PSYCHIATRY)
    if not conventionne:
        flags.append("non_conventionne")
    if dptm:
        flags.append("dptm")
    return tuple(flags)


def days_between(first: date, last: date) -> int:
    """Days of a stay, the first and the last included (the daily charge is due for each)."""
    return (last - first).days + 1


@dataclass(frozen=True)
class Cost:
    """A cost of the stay as typed by the member or the hospital (estimate or invoice), in the plan's currency."""

    benefit_code: str
    amount: Decimal
    br: Decimal | None = None
    quantity: int = 1
    dptm: bool = False
    am_paid: Decimal | None = None  # on an invoice: what the Assurance Maladie paid (MR)


def stay_lines(*, plan: Plan, stay_kind: str, provider: Provider | None, costs: Sequence[Cost]) -> list[LineInput]:
    conventionne = provider.conventionne if provider else True
    lines = []
    for cost in costs:
        known = stay_cost(plan, stay_kind, cost.benefit_code)
        if known is None:
            raise ValidationError(_("Choose the costs among those of the stay."), code="benefit")
        if cost.amount <= 0 or (cost.br is not None and cost.br < 0) or not 1 <= cost.quantity <= MAX_STAY_DAYS:
            raise ValidationError(
                _("%(cost)s: enter a positive amount and a number of days between 1 and 366."),
                params={"cost": cost_label(known)},
                code="amount",
            )
        flags = stay_flags(stay_kind=stay_kind, conventionne=conventionne, dptm=cost.dptm and known.doctor)
        lines.append(
            LineInput(
                benefit_code=cost.benefit_code,
                amount=cost.amount,
                br=cost.br,
                quantity=cost.quantity,
                flags=flags,
                label=cost_label(known),
                country=care_country(plan, provider),
            )
        )
    return lines


def guarantee_costs(guarantee: Guarantee) -> list[Cost]:
    """The costs stated on the guarantee, as typed, to compute its estimate again."""
    return [
        Cost(line.benefit_code, line.amount, line.br, line.quantity, dptm="dptm" in line.flags)
        for line in guarantee.lines.all()
    ]
