from django import template

from mutua.core.countries import country_name as named

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """``{{ member.duty_station|country_name }}``: the country in the page's language ("" stays "")."""
    return named(code) if code else ""
