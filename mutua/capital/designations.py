"""Writes for the member's designation of beneficiaries of the death capital."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.capital.models import CapitalDesignation, Designee, Relationship
from mutua.capital.shares import HUNDRED
from mutua.contracts.models import Member
from mutua.contracts.services import bic_clean, iban_clean

MAX_DESIGNEES = 10


@dataclass(frozen=True)
class DesigneeInput:
    full_name: str
    relationship: str
    birth_date: date
    contact: str
    share: Decimal  # percent
    iban: str = ""
    bic: str = ""


def _cleaned(entry: DesigneeInput) -> DesigneeInput:
    if not entry.full_name.strip() or not entry.contact.strip():
        raise ValidationError(_("Give each beneficiary's name and how to reach them."), code="incomplete")
    if entry.relationship not in Relationship.values or entry.relationship == Relationship.SELF:
        raise ValidationError(_("Choose each beneficiary's relationship to you."), code="relationship")
    if not Decimal(0) < entry.share <= HUNDRED or entry.share != entry.share.quantize(Decimal("0.01")):
        raise ValidationError(_("Each share is a percentage above 0, at most 100, to the hundredth."), code="share")
    iban = iban_clean(entry.iban) if entry.iban.strip() else ""
    bic = bic_clean(entry.bic, iban) if iban else ""
    return DesigneeInput(
        entry.full_name.strip(), entry.relationship, entry.birth_date, entry.contact.strip(), entry.share, iban, bic
    )


def _share_words(total: Decimal) -> str:
    """ "90" or "33,5" in the reader's locale: never "9E+1", which ``Decimal.normalize`` gives for 90."""
    plain = format(total.normalize(), "f")
    return number_format(Decimal(plain), decimal_pos=len(plain.partition(".")[2]))


def capital_designation_record(*, member: Member, designees: Sequence[DesigneeInput], by: User) -> CapitalDesignation:
    """A new version of the designation; earlier versions stay as they were. No designee: the legal order."""
    if by.member_id != member.pk and not by.is_staff_member:
        raise ValidationError(_("Only the member designates their beneficiaries."), code="not_member")
    if len(designees) > MAX_DESIGNEES:
        raise ValidationError(
            _("Designate at most %(count)s beneficiaries."), params={"count": MAX_DESIGNEES}, code="too_many"
        )
    cleaned = [_cleaned(entry) for entry in designees]
    total = sum((entry.share for entry in cleaned), Decimal(0))
    if cleaned and total != HUNDRED:
        raise ValidationError(
            _("The shares add up to %(total)s %%: they must add up to 100 %%."),
            params={"total": _share_words(total)},
            code="shares_total",
        )
    with transaction.atomic():
        designation = CapitalDesignation.objects.create(member=member, created_by=by)
        Designee.objects.bulk_create(
            Designee(designation=designation, position=position, **entry.__dict__)
            for position, entry in enumerate(cleaned, start=1)
        )
    return designation
