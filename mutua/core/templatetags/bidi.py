"""``{% load bidi %}{{ unit.phone|ltr }}``: a phone number, address or code that reads left to right
wherever it stands.

Inside an Arabic sentence the Unicode bidi algorithm lays the digit groups of "+33 1 23 45 67 89" out
right to left ("89 67 45 23 1 33+"); an isolate keeps them in order. ``dir="ltr"`` rather than ``auto``
because WeasyPrint, which draws the PDFs, does not guess the direction of a <bdi>.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def ltr(value: object) -> SafeString:
    return format_html('<bdi dir="ltr">{}</bdi>', value)
