"""Money as (amount, currency), converted once, here, into the currency of the plan that pays it."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from currency_converter import CurrencyConverter, RateNotFoundError
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engine import get_plan

CENT = Decimal("0.01")
# Rates of weak currencies (0.000058 € for one rupiah) need many decimals to convert large sums exactly.
RATE_PRECISION = Decimal("1E-12")


@dataclass(frozen=True)
class Converted:
    """An amount in the plan's currency, and the rate it was converted at (1 when no conversion)."""

    amount: Decimal
    currency: str
    rate: Decimal


@lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    # The ECB reference rates shipped with the package: no network at run time.
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def exchange_rate(*, currency: str, into: str, on: date) -> Decimal:
    """What one unit of ``currency`` was worth in ``into`` on ``on`` (ECB reference rates)."""
    if currency == into:
        return Decimal(1)
    try:
        rate = _converter().convert(1, currency, into, date=on)
    except (ValueError, RateNotFoundError) as error:
        raise ValidationError(
            _("No exchange rate is known for %(currency)s: send this claim by post."),
            params={"currency": currency},
            code="no_rate",
        ) from error
    return Decimal(repr(rate)).quantize(RATE_PRECISION, ROUND_HALF_UP)


def in_plan_currency(*, amount: Decimal, currency: str, plan_code: str, on: date) -> Converted:
    """``amount`` of ``currency`` spent on ``on``, in the currency of the plan that pays it, half-up to the cent."""
    into = get_plan(plan_code).currency
    rate = exchange_rate(currency=currency, into=into, on=on)
    return Converted(amount=(amount * rate).quantize(CENT, ROUND_HALF_UP), currency=into, rate=rate)
