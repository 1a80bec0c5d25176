"""Death and disability capital sums (seed 000), from the plan's ``capital`` section.

Pure functions: the facts a medical advisor established in, the amounts and their explanation out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from engine.model import Message
from engine.money import HUNDRED, ZERO, cents
from engine.plan import Plan, age_on
from engine.plan_sections import Capital


class CapitalError(ValueError):
    """The facts given cannot be computed (the plan has no capital, a degree outside 0–100…)."""


@dataclass(frozen=True, slots=True)
class CapitalResult:
    capital: Decimal  # the death or disability capital
    repatriation: Decimal  # preparation and repatriation of the body (death only)
    total: Decimal
    currency: str
    explanation: tuple[Message, ...]


def _capital_of(plan: Plan) -> Capital:
    if plan.capital is None:
        raise CapitalError(f"plan '{plan.code}' pays no death or disability capital")
    return plan.capital


def death_capital(
    plan: Plan,
    *,
    birth_date: dt.date,
    death_date: dt.date,
    natural_causes: bool,
    repatriation_cost: Decimal = ZERO,
) -> CapitalResult:
    """The capital due on the death of a contract holder, with the repatriation costs inside the ceiling."""
    capital = _capital_of(plan)
    if death_date < birth_date:
        raise CapitalError("the date of death comes before the date of birth")
    if repatriation_cost < 0:
        raise CapitalError("the repatriation costs cannot be negative")
    rule = capital.death
    age = age_on(birth_date, death_date)
    messages: list[Message] = []
    amount = rule.amount
    if natural_causes and age > rule.reduced_when_natural_over_age:
        amount = cents(rule.amount * rule.reduced_share / HUNDRED)
        messages.append(
            Message(
                "capital.death_reduced",
                (("age", age), ("over", rule.reduced_when_natural_over_age), ("share", rule.reduced_share)),
            )
        )
    else:
        messages.append(Message("capital.death", (("amount", amount),)))
    repatriation = min(repatriation_cost, capital.repatriation_limit)
    if repatriation_cost > capital.repatriation_limit:
        messages.append(Message("capital.repatriation_limit", (("limit", capital.repatriation_limit),)))
    if amount + repatriation > capital.death_overall_ceiling:
        repatriation = max(ZERO, capital.death_overall_ceiling - amount)
        amount = min(amount, capital.death_overall_ceiling)
        messages.append(Message("capital.ceiling", (("ceiling", capital.death_overall_ceiling),)))
    return CapitalResult(amount, repatriation, amount + repatriation, plan.currency, tuple(messages))


def disability_capital(plan: Plan, *, degree: Decimal, already_paid: Decimal = ZERO) -> CapitalResult:
    """The capital due for a disability of ``degree`` % (100: total and permanent), less ``already_paid`` for
    the same person's disability before (a disability that worsens is owed the difference, never twice)."""
    capital = _capital_of(plan)
    if not ZERO < degree <= HUNDRED:
        raise CapitalError("the degree of disability is a percentage above 0 and at most 100")
    if already_paid < 0:
        raise CapitalError("what was already paid cannot be negative")
    amount = cents(capital.disability_total * degree / HUNDRED)
    key = "capital.disability_total" if degree == HUNDRED else "capital.disability_partial"
    messages = [Message(key, (("degree", degree), ("total", capital.disability_total), ("amount", amount)))]
    if already_paid:
        amount = max(ZERO, amount - already_paid)
        messages.append(Message("capital.disability_already_paid", (("paid", already_paid), ("amount", amount))))
    return CapitalResult(amount, ZERO, amount, plan.currency, tuple(messages))


__all__ = ["CapitalError", "CapitalResult", "death_capital", "disability_capital"]
