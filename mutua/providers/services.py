"""Writes of the hospitals on file.

Whether a hospital is in the network is the network team's decision, taken in the administration once a
contract is signed: nothing here ever sets it.
"""

import re

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from stdnum import luhn

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, User
from mutua.contracts.services import bic_clean, iban_clean
from mutua.providers.models import Provider
from mutua.providers.selectors import provider_namesake, provider_with_finess

# Two digits of the département (2A, 2B in Corsica), six of the establishment, one key.
FINESS = re.compile(r"(?:[0-9]{2}|2[AB])[0-9]{7}")


def finess_clean(raw: str) -> str:
    """The FINESS number, spaces removed; its last digit is a Luhn key, as in every number the register issues.

    Corsica's numbers begin with 2A or 2B: we know of no published rule for the key over letters, so only
    their form is checked.
    """
    finess = re.sub(r"\s", "", raw).upper()
    if not FINESS.fullmatch(finess) or (finess.isdigit() and not luhn.is_valid(finess)):
        raise ValidationError(
            _("This FINESS number is not valid: check its 9 digits (the last one is a check key)."),
            code="finess",
        )
    return finess


def _problems(provider: Provider, *, finess: str, iban: str, bic: str) -> dict[str, list[ValidationError]]:
    """Everything wrong with what was typed, by field, so that each field shows its own message."""
    problems: dict[str, list[ValidationError]] = {}
    try:
        # The model's own rules (required fields, lengths, choices, e-mail); uniqueness is checked after.
        provider.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = dict(error.error_dict)
    if pycountry.countries.get(alpha_2=provider.country) is None:
        problems["country"] = [ValidationError(_("Choose the country in the list."), code="country")]
    cleaners = {
        "finess": lambda: finess_clean(finess) if finess.strip() else "",
        "iban": lambda: iban_clean(iban) if iban.strip() else "",
    }
    for field, cleaner in cleaners.items():
        try:
            setattr(provider, field, cleaner())
        except ValidationError as error:
            problems[field] = [error]
    # Without a BIC, the IBAN's own bank gives it (schwifty's registry), as for members.
    if bic.strip() or (provider.iban and "iban" not in problems):
        try:
            provider.bic = bic_clean(bic, provider.iban)
        except ValidationError as error:
            problems["bic"] = [error]
    return problems


def _already_on_file(provider: Provider) -> ValidationError:
    if not provider.active:
        return ValidationError(
            _("%(hospital)s is on file but no longer active: the network team can reactivate it.")
            % {"hospital": provider},
            code="inactive",
        )
    return ValidationError(
        _("%(hospital)s is already on file: choose it among the hospitals on file.") % {"hospital": provider},
        code="on_file",
    )


def provider_register(
    *,
    by: User,
    name: str,
    kind: str,
    city: str,
    country: str,
    phone: str,
    email: str,
    address: str = "",
    finess: str = "",
    conventionne: bool = True,
    iban: str = "",
    bic: str = "",
) -> Provider:
    """A hospital the management unit puts on file, typically the one a member named for a guarantee.

    It is never in the network. A hospital already on file (same FINESS number, or the same name in the same
    city) is refused with its name, so that the handler picks it instead of creating a twin.
    """
    if by.role not in MANAGEMENT_UNIT_ROLES:
        raise PermissionDenied
    provider = Provider(
        name=name.strip(),
        kind=kind,
        city=city.strip(),
        country=country,
        address=address.strip(),
        phone=phone.strip(),
        email=email.strip(),
        conventionne=conventionne,
        in_network=False,
    )
    problems = _problems(provider, finess=finess, iban=iban, bic=bic)
    if problems:
        raise ValidationError(problems)
    namesake = provider_namesake(name=provider.name, city=provider.city, country=provider.country)
    if namesake is not None:
        raise ValidationError({"name": _already_on_file(namesake)})
    twin = provider_with_finess(finess=provider.finess)
    if twin is not None:
        raise ValidationError({"finess": _already_on_file(twin)})
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        # The FINESS number is the only unique field: another handler registered it a moment ago.
        twin = provider_with_finess(finess=provider.finess)
        if twin is None:
            raise
        raise ValidationError({"finess": _already_on_file(twin)}) from None
    return provider
