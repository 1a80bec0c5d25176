"""Money as (amount, currency) and the exchange rates that convert it: of the day of the care, once, into the
plan's currency (``mutua.benefits.money``), and into the currency of the account a member is paid to.

The rates are the ECB's reference rates shipped with ``currency_converter`` (no network at run time).
The ECB publishes no rate on week-ends and TARGET holidays: the rate is then the last one published
before the care, at most ``RATE_LOOKBACK`` days before, and its own date is kept so that the statement
says which day's rate it is. Nothing is interpolated nor extrapolated silently: a currency the ECB
does not quote, or a day too far from its last rate (after the shipped file ends), has no rate here,
and a handler converts the line (``rate_from_handler``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from currency_converter import CurrencyConverter, RateNotFoundError

from mutua.core.rates import rates_converter, rates_file

CENT = Decimal("0.01")
# Rates of weak currencies (0.000058 € for one rupiah) need many decimals to convert large sums exactly.
RATE_PRECISION = Decimal("1E-12")
# The longest run of days without an ECB rate (Easter: Good Friday to Easter Monday, after a week-end
# gap is 4 days); a rate older than this is no longer the rate of the care date.
RATE_LOOKBACK = 5
ECB = "ECB"


@dataclass(frozen=True)
class Rate:
    """What one unit of a currency was worth in another, on ``on``, according to ``source``."""

    value: Decimal
    on: date  # the day of the rate: the care date, or the last day before it the ECB published one
    source: str  # "ECB", or what the handler who entered it named; empty when nothing was converted


@dataclass(frozen=True)
class Converted:
    """An amount in the plan's currency and the rate it was converted at (1 when no conversion).

    ``amount`` and ``rate`` are None when no rate is known: the line waits for a handler to convert it.
    """

    amount: Decimal | None
    currency: str
    rate: Decimal | None
    rate_on: date | None = None
    source: str = ""

    @property
    def known(self) -> bool:
        return self.rate is not None


def _converter() -> CurrencyConverter:
    """The rates in use, read again when a fresher history was fetched (by any process: the file's time says)."""
    path = rates_file()
    return _converter_of(path, path.stat().st_mtime_ns if path else None)


@lru_cache(maxsize=1)
def _converter_of(path: Path | None, _modified: int | None) -> CurrencyConverter:
    return rates_converter(path)


def exchange_rate(*, currency: str, into: str, on: date) -> Rate | None:
    """What one unit of ``currency`` was worth in ``into`` on ``on``: the ECB reference rate of that
    day or of the last day before it with one (at most ``RATE_LOOKBACK`` days); None when unknown."""
    if currency == into:
        return Rate(value=Decimal(1), on=on, source="")
    converter = _converter()
    if currency not in converter.currencies or into not in converter.currencies:
        return None
    for days_before in range(RATE_LOOKBACK + 1):
        day = on - timedelta(days=days_before)
        try:
            value = _per_euro(converter, into, day) / _per_euro(converter, currency, day)
        except RateNotFoundError:
            continue
        return Rate(value=value.quantize(RATE_PRECISION, ROUND_HALF_UP), on=day, source=ECB)
    return None


def _per_euro(converter: CurrencyConverter, currency: str, day: date) -> Decimal:
    """The ECB's figure for ``currency`` on ``day``, as published (units for one euro): the converter reads
    it into a float, whose shortest repr is the figure itself; a cross rate is divided in decimals from it."""
    return Decimal(repr(converter.convert(1, converter.ref_currency, currency, date=day)))


def converted_at(*, amount: Decimal, currency: str, rate: Rate | None, into: str) -> Converted:
    """``amount`` at ``rate``, half-up to the cent (None: not converted yet)."""
    if rate is None:
        return Converted(amount=None, currency=into, rate=None)
    return Converted(
        amount=(amount * rate.value).quantize(CENT, ROUND_HALF_UP),
        currency=into,
        rate=rate.value,
        rate_on=rate.on,
        source=rate.source,
    )


def rate_from_handler(*, value: Decimal, on: date, source: str) -> Rate:
    """A rate a handler found for a currency the ECB does not quote (a central bank's, the bank's)."""
    return Rate(value=value.quantize(RATE_PRECISION, ROUND_HALF_UP), on=on, source=source.strip())


def latest_rate(*, currency: str, into: str, on: date) -> Rate | None:
    """The last ECB reference rate published on or before ``on``, however old (its date says so): what a
    payment converted on ``on`` uses. None for a currency the ECB does not quote."""
    if currency == into:
        return Rate(value=Decimal(1), on=on, source="")
    converter = _converter()
    if currency not in converter.currencies or into not in converter.currencies:
        return None
    last = min([on, *(converter.bounds[code].last_date for code in (currency, into) if code != converter.ref_currency)])
    return exchange_rate(currency=currency, into=into, on=last)
