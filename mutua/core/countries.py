"""Countries by their ISO 3166-1 alpha-2 code, named in the reader's language.

pycountry ships the ISO 3166 names with a gettext catalogue per language; Django's own catalogue
has none of them. Every page, e-mail and message names a country through ``country_name``.
"""

import gettext
import unicodedata
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _


@cache
def _names(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language(language: str | None) -> str:
    return (language or get_language() or "en").split("-")[0].lower()


def _english(country: object) -> str:
    return getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]


# Languages not written in Latin letters: an English short name ("Iran") read among their names is worse
# than the translated ISO name ("Iran, Islamic Republic of"); in French or Spanish "Iran" reads fine.
OTHER_SCRIPTS = frozenset({"ar"})


def _translated(names: gettext.NullTranslations, country: object, language: str) -> str:
    """The short name in the catalogue's language; in a language of another script, the ISO name's
    translation when the catalogue has none for the short one (the Arabic catalogue translates "Iran,
    Islamic Republic of", not "Iran"); English otherwise."""
    short = _english(country)
    found = names.gettext(short)
    if found == short and language in OTHER_SCRIPTS:
        return names.gettext(country.name)  # type: ignore[attr-defined]
    return found


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active one by default); the code itself when unknown."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code
    code = _language(language)
    return _translated(_names(code), country, code)


def _sort_key(name: str) -> str:
    # Accents ignored, so that "Émirats" sorts with the E's.
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    choices = [(country.alpha_2, _translated(names, country, language)) for country in pycountry.countries]
    return tuple(sorted(choices, key=lambda choice: _sort_key(choice[1])))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country by its code, named and sorted in ``language`` (the active one by default)."""
    return list(_choices(_language(language)))


def country_code_clean(raw: str) -> str:
    """An ISO 3166-1 alpha-2 code in capitals, or ``ValidationError``."""
    code = (raw or "").strip().upper()
    if pycountry.countries.get(alpha_2=code) is None or len(code) != 2:
        raise ValidationError(_("Choose the country in the list."), code="country")
    return code


def country_code_validator(value: str) -> None:
    """For model fields: the stored code must be an ISO 3166-1 alpha-2 code."""
    if value:
        country_code_clean(value)
