"""Money converted once, here, in the adapter, into the currency of the plan that pays it (DESIGN.md)."""

from datetime import date
from decimal import Decimal

from engine import get_plan
from mutua.core.money import Converted, converted_at, exchange_rate


def in_plan_currency(*, amount: Decimal, currency: str, plan_code: str, on: date) -> Converted:
    """``amount`` of ``currency`` spent on ``on``, in the currency of the plan that pays it, half-up to the cent."""
    into = get_plan(plan_code).currency
    return converted_at(
        amount=amount, currency=currency, rate=exchange_rate(currency=currency, into=into, on=on), into=into
    )
