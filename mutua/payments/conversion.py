"""What a payable owes in the currency it is paid in: the plan's amount converted once, when it is owed, into
the account's currency at the last ECB rate of the day it stands for (a care item's: the care date, as the bill
was converted into the plan's currency), half-up to the smallest unit a bank transfers."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision

from mutua.core.money import Rate, latest_rate


def in_account_currency(
    amount: Decimal, *, plan_currency: str, account_currency: str, on: date
) -> tuple[Decimal, Rate | None]:
    """``amount`` of the plan's currency in the account's, at the last ECB rate published on or before ``on``
    (converted once, when owed: the statement then says what will be paid, and a run paid days later pays
    exactly that); the amount unchanged and no rate when both are the same, or when the ECB quotes no rate
    (the account's bank converts it then)."""
    if account_currency == plan_currency:
        return amount, None
    rate = latest_rate(currency=plan_currency, into=account_currency, on=on)
    if rate is None:
        return amount, None
    return in_minor_units(amount * rate.value, account_currency), rate


def in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """``amount`` half-up to the smallest unit a bank transfers in ``currency`` (the cent; the yen itself,
    ISO 4217 minor unit 0), never finer than the cent the ledger keeps."""
    places = min(get_currency_precision(currency), 2)
    return amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def owed_in(amount: Decimal, *, plan_currency: str, paid_in: str, on: date) -> dict[str, object]:
    """A payable's amount fields: ``amount`` of the plan's currency converted once into ``paid_in`` at the rate
    of ``on``, with the plan's amount, the rate and its day kept; unchanged when the currencies agree or no rate
    is known."""
    paid, rate = in_account_currency(amount, plan_currency=plan_currency, account_currency=paid_in, on=on)
    return {
        "amount": paid,
        "currency": paid_in if rate else plan_currency,
        "plan_amount": amount if rate else None,
        "plan_currency": plan_currency if rate else "",
        "rate": rate.value if rate else None,
        "rate_on": rate.on if rate else None,
    }
