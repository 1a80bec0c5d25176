"""Every ISO 4217 currency, named in the reader's language (pycountry's ``iso4217`` catalogue)."""

import gettext
from functools import lru_cache

import pycountry
from babel.numbers import get_territory_currencies
from django.utils import translation

# Funds, precious metals and testing codes are not what a bill is paid in.
NOT_PAID_IN = frozenset({"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"})


@lru_cache(maxsize=8)
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def currency_name(code: str, *, language: str | None = None) -> str:
    currency = pycountry.currencies.get(alpha_3=code)
    if currency is None:
        return code
    lang = (language or translation.get_language() or "en").split("-")[0]
    return _catalogue(lang).gettext(currency.name)


def country_currency(country: str) -> str | None:
    """The currency a country pays in today (a duty station's), None when unknown."""
    found = get_territory_currencies(country.upper()) if country else []
    return found[0] if found else None


def currency_choices(*, first: tuple[str, ...] = (), language: str | None = None) -> list[tuple[str, str]]:
    """(code, "KES — Kenyan shilling") for every currency a bill is paid in, ``first`` at the top (the
    plan's, the duty station's), then by code."""
    codes = sorted(c.alpha_3 for c in pycountry.currencies if c.alpha_3 not in NOT_PAID_IN)
    ordered = list(dict.fromkeys([code for code in first if code in codes] + codes))
    return [(code, f"{code} — {currency_name(code, language=language)}") for code in ordered]


def is_currency(code: str) -> bool:
    return bool(code) and code not in NOT_PAID_IN and pycountry.currencies.get(alpha_3=code) is not None
