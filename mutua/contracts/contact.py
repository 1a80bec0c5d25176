"""Contact details checked the way a call or a letter would test them.

Phone numbers go through ``phonenumbers`` (Google's libphonenumber data): one typed without a
country code is read as French, since the management unit is in France; abroad, "+44 …" or
"0044 …". Kept in the international form, so that anyone can dial it from anywhere.

A postal address follows La Poste's rule for an envelope (AFNOR NF Z10-011): at most six
lines of 38 characters, seven with the country line of an address abroad, and at least the
street and the town.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ADDRESS_MIN_LINES = 2
ADDRESS_MAX_LINES = 7
ADDRESS_LINE_MAX_CHARS = 38
ADDRESS_MAX_CHARS = ADDRESS_MAX_LINES * (ADDRESS_LINE_MAX_CHARS + 1)
# As a form receives it: browsers send each line break as two characters (CR LF).
ADDRESS_MAX_CHARS_SENT = ADDRESS_MAX_LINES * (ADDRESS_LINE_MAX_CHARS + 2)


def phone_clean(raw: str) -> str:
    """The number in international form ("+33 6 12 34 56 78"), or "" when none is given."""
    if not raw.strip():
        return ""
    message = _(
        "This is not a phone number we can call. Type a French number (06 12 34 56 78) "
        "or, abroad, the country code after a + (+44 20 7946 0958)."
    )
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code="phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def postal_address_clean(raw: str) -> str:
    """The address as lines, blank lines and stray spaces removed; refused if a letter could not carry it."""
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < ADDRESS_MIN_LINES:
        raise ValidationError(
            _("Write the address on at least two lines: the number and street, then the postcode and town."),
            code="address_lines",
        )
    if len(lines) > ADDRESS_MAX_LINES:
        raise ValidationError(
            _("An address has at most %(count)s lines, the country included.") % {"count": ADDRESS_MAX_LINES},
            code="address_lines",
        )
    for number, line in enumerate(lines, start=1):
        if len(line) > ADDRESS_LINE_MAX_CHARS:
            raise ValidationError(
                _("Line %(number)s has more than %(count)s characters: split it as on an envelope.")
                % {"number": number, "count": ADDRESS_LINE_MAX_CHARS},
                code="address_line_length",
            )
        if not any(character.isalnum() for character in line):
            raise ValidationError(
                _("Line %(number)s has no letter or digit.") % {"number": number}, code="address_line"
            )
    return "\n".join(lines)
