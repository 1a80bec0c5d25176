"""Money helpers: every amount is a ``Decimal`` rounded half-up to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half-up (the rounding the seed's worked examples use)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(raw: object, *, field: str) -> Decimal:
    """Parse a money amount given as a string or an int (never a float)."""
    if isinstance(raw, (bool, float)):
        raise ValueError(f'{field}: give amounts as strings like "12.34", not {raw!r}')
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | str):
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"{field}: {raw!r} is not an amount") from None
    else:
        raise ValueError(f"{field}: {raw!r} is not an amount")
    if not value.is_finite():
        raise ValueError(f"{field}: {raw!r} is not an amount")
    if value < 0:
        raise ValueError(f"{field}: amount must not be negative (got {raw!r})")
    return cents(value)


def fmt(value: Decimal) -> str:
    """Two-decimal string, as used in JSON output."""
    return str(cents(value))
