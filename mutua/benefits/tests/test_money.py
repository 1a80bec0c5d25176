"""Money is converted once, into the currency of the plan that pays it, half-up to the cent, at the ECB
rate of the care date; a rate from another day is said, a missing one left to a handler."""

from datetime import date
from decimal import Decimal

from mutua.benefits.money import in_plan_currency
from mutua.core.money import ECB, exchange_rate, rate_from_handler


def test_an_amount_in_the_plans_currency_is_not_converted():
    converted = in_plan_currency(
        amount=Decimal("30.00"), currency="EUR", plan_code="fr-base-surco", on=date(2026, 3, 2)
    )
    assert (converted.amount, converted.currency, converted.rate, converted.source) == (
        Decimal("30.00"),
        "EUR",
        Decimal(1),
        "",
    )


def test_another_currency_is_converted_at_the_rate_of_the_care_date_half_up():
    on = date(2024, 3, 12)
    rate = exchange_rate(currency="USD", into="EUR", on=on)
    converted = in_plan_currency(amount=Decimal("600.00"), currency="USD", plan_code="fr-base-surco", on=on)
    assert (converted.currency, converted.rate, converted.rate_on, converted.source) == ("EUR", rate.value, on, ECB)
    assert converted.amount == (Decimal("600.00") * rate.value).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert Decimal("540") < converted.amount < Decimal("560")  # about 1.09 dollars to the euro then
    # The other way round is the inverse, within the precision kept.
    assert abs(exchange_rate(currency="EUR", into="USD", on=on).value * rate.value - 1) < Decimal("1E-9")


def test_the_international_plan_converts_into_dollars():
    converted = in_plan_currency(amount=Decimal("100.00"), currency="EUR", plan_code="intl-staff", on=date(2024, 3, 12))
    assert converted.currency == "USD" and Decimal("105") < converted.amount < Decimal("112")


def test_a_week_end_takes_the_last_rate_published_before_it_and_says_which_day():
    saturday = date(2024, 3, 16)
    rate = exchange_rate(currency="USD", into="EUR", on=saturday)
    assert rate.on == date(2024, 3, 15) and rate.source == ECB
    assert rate.value == exchange_rate(currency="USD", into="EUR", on=date(2024, 3, 15)).value


def test_no_rate_for_a_currency_the_ecb_does_not_quote_nor_after_its_last_rate():
    assert exchange_rate(currency="KES", into="USD", on=date(2024, 3, 12)) is None
    assert exchange_rate(currency="XTS", into="EUR", on=date(2024, 3, 12)) is None
    # Never extrapolated: months after the shipped rates end, no rate (a handler converts).
    assert exchange_rate(currency="USD", into="EUR", on=date(2030, 1, 15)) is None
    converted = in_plan_currency(amount=Decimal("6500"), currency="KES", plan_code="intl-staff", on=date(2026, 3, 12))
    assert not converted.known and converted.amount is None and converted.currency == "USD"


def test_a_handlers_rate_keeps_its_source():
    rate = rate_from_handler(value=Decimal("0.0077419"), on=date(2026, 3, 12), source=" Central Bank of Kenya ")
    assert (rate.value, rate.source) == (Decimal("0.007741900000"), "Central Bank of Kenya")


def test_a_cross_rate_is_divided_in_decimals_from_the_ecb_figures_never_through_a_float():
    """The ECB publishes each currency against the euro; a rate between two others is their quotient,
    computed exactly and rounded half-up once. Through the converter's float the 12th decimal came out
    one higher for the Bulgarian lev in Swiss francs on 20 October 2025."""
    rate = exchange_rate(currency="BGN", into="CHF", on=date(2025, 10, 20))
    assert rate.value == Decimal("0.472389814909")  # 0.9239… CHF / 1.9558 BGN for a euro
    assert rate.on == date(2025, 10, 20) and rate.source == ECB
