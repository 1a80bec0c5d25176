"""The framework's own error messages (django-ninja's and pydantic's), in the request's language.

django-ninja and pydantic answer in English only ("Cannot parse request body", "Field required",
"Method not allowed"); the app shows what the API says, so each is said here through translation.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/), by what they mean.
_NUMBER = _("Enter a number.")
_WHOLE = _("Enter a whole number.")
_AMOUNT = _("Enter an amount, such as 30.00.")
_DATE = _("Enter a date as YYYY-MM-DD.")
_DATETIME = _("Enter a date and time as YYYY-MM-DDTHH:MM:SS.")
_OBJECT = _("Send an object with the fields described in the schema.")
_CHOICE = _("Choose one of: %(expected)s.")
VALIDATION_MESSAGES = {
    "missing": _("This field is required."),
    "string_type": _("Enter text."),
    "string_too_short": _("Enter at least %(min_length)s characters."),
    "string_too_long": _("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": _("This value does not have the expected form."),
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _AMOUNT,
    "decimal_parsing": _AMOUNT,
    "decimal_max_digits": _("Enter at most %(max_digits)s digits."),
    "decimal_max_places": _("Enter at most %(decimal_places)s decimal places."),
    "greater_than": _("Enter a value above %(gt)s."),
    "greater_than_equal": _("Enter %(ge)s or more."),
    "less_than": _("Enter a value below %(lt)s."),
    "less_than_equal": _("Enter %(le)s or less."),
    "bool_type": _("Enter true or false."),
    "bool_parsing": _("Enter true or false."),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "uuid_type": _("Enter an identifier in UUID form."),
    "uuid_parsing": _("Enter an identifier in UUID form."),
    "literal_error": _CHOICE,
    "enum": _CHOICE,
    "list_type": _("Send a list."),
    "too_short": _("Send at least %(min_length)s items."),
    "too_long": _("Send at most %(max_length)s items."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "extra_forbidden": _("This field is not expected here."),
    "json_invalid": _("The request body cannot be read: check its format."),
}
INVALID = _("This value is not valid.")

# django-ninja's HttpErrors by status (the 401 of a missing token has its own handler).
HTTP_MESSAGES = {
    400: _("The request body cannot be read: check its format."),
    403: _("You may not do this."),
    429: _("Too many requests: wait a moment and try again."),
}


def validation_message(problem: Mapping[str, Any]) -> str:
    """One of pydantic's problems in the reader's words (its own message is in English)."""
    context = problem.get("ctx") or {}
    if problem.get("type") == "value_error" and "error" in context:
        return str(context["error"])  # a validator's own message, already said through translation
    message = VALIDATION_MESSAGES.get(problem.get("type", ""), INVALID)
    try:
        return str(message) % {key: str(value) for key, value in context.items()}
    except (KeyError, TypeError, ValueError):  # a context unlike the one documented: say it without
        return str(INVALID)


def http_message(status: int) -> str:
    return str(HTTP_MESSAGES.get(status, _("The request cannot be answered.")))


def method_not_allowed(allowed: str) -> str:
    return gettext("This address does not accept this method: use %(methods)s.") % {"methods": allowed}
