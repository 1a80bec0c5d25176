"""``{% load money %}{{ amount|money }}`` or ``{{ amount|money:currency }}``: see mutua.core.formatting."""

from decimal import Decimal

from django import template

from mutua.core.formatting import money_format

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None, currency: str = "EUR") -> str:
    return money_format(amount, currency)
