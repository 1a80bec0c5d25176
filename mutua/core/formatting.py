"""Amounts as a reader expects them: "1 900,39 €" in French, "€1,900.39" in English.

One function for pages, PDFs, e-mails and messages. Babel knows each locale's separators,
where the symbol goes and its spacing (CLDR), which Django's number_format does not: it
groups digits but leaves the currency to every template, hence the mixed "€" seen before.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, get_currency_precision, get_currency_symbol
from django.utils import translation

# The page languages, read as the countries our members live in (en-GB: no US conventions).
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB", "es": "es_ES", "ar": "ar"}
EMPTY = "—"
RTL_LANGUAGES = frozenset({"ar"})
LRI, PDI = "\u2066", "\u2069"


def money_format(amount: Decimal | int | str | None, currency: str = "EUR", *, language: str | None = None) -> str:
    """``amount`` in ``currency``, rounded half-up to its minor unit, in ``language`` (the active one by default).

    Accepts the strings amounts travel as in JSON (e-mail contexts, task arguments); nothing
    (None, "") reads as a dash, as in the tables.
    """
    if amount is None or amount == "":
        return EMPTY
    try:
        value = Decimal(str(amount))
    except InvalidOperation as error:
        raise ValueError(f"Not an amount: {amount!r}") from error
    currency = currency or "EUR"
    # Half-up like every amount Mutua computes (babel would round half-even): 0.005 shows as 0.01.
    value = value.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), rounding=ROUND_HALF_UP)
    code = (language or translation.get_language() or "fr").split("-")[0].lower()
    locale = BABEL_LOCALES.get(code, translation.to_locale(code))
    text = format_currency(value, currency, locale=locale)
    if code in RTL_LANGUAGES:
        # In a right-to-left line "US$" after the number read "$US": the symbol's "$" took the line's
        # direction. Isolated left to right (LRI…PDI), the symbol keeps its order; the number stays first.
        symbol = get_currency_symbol(currency, locale=locale)
        if any(character.isascii() and character.isalpha() for character in symbol):
            text = text.replace(symbol, f"{LRI}{symbol}{PDI}", 1)
    return text


def rate_format(rate: Decimal, *, language: str | None = None) -> str:
    """An exchange rate in the reader's locale, with four significant digits at least ("0.007742",
    "1.0823"): a weak currency's rate needs more decimals than a cent to say anything."""
    value = Decimal(str(rate))
    decimals = max(4, 3 - value.adjusted()) if value else 4
    code = (language or translation.get_language() or "fr").split("-")[0].lower()
    locale = BABEL_LOCALES.get(code, translation.to_locale(code))
    return format_decimal(
        value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP),
        format="#,##0." + "0" * decimals,
        locale=locale,
    )
