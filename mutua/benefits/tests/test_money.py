"""Money is converted once, into the currency of the plan that pays it, half-up to the cent."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mutua.benefits.money import exchange_rate, in_plan_currency


def test_an_amount_in_the_plans_currency_is_not_converted():
    converted = in_plan_currency(
        amount=Decimal("30.00"), currency="EUR", plan_code="fr-base-surco", on=date(2026, 3, 2)
    )
    assert (converted.amount, converted.currency, converted.rate) == (Decimal("30.00"), "EUR", Decimal(1))


def test_another_currency_is_converted_at_the_rate_of_the_care_date_half_up():
    on = date(2024, 3, 12)
    rate = exchange_rate(currency="USD", into="EUR", on=on)
    converted = in_plan_currency(amount=Decimal("600.00"), currency="USD", plan_code="fr-base-surco", on=on)
    assert converted.currency == "EUR" and converted.rate == rate
    assert converted.amount == (Decimal("600.00") * rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert Decimal("540") < converted.amount < Decimal("560")  # about 1.09 dollars to the euro then
    # The other way round is the inverse, within the precision kept.
    assert abs(exchange_rate(currency="EUR", into="USD", on=on) * rate - 1) < Decimal("1E-9")


def test_a_currency_without_a_rate_is_refused_with_a_message():
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="No exchange rate is known for XTS") as refused,
    ):
        exchange_rate(currency="XTS", into="EUR", on=date(2024, 3, 12))
    assert refused.value.code == "no_rate"
