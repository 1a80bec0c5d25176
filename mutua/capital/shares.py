"""Who receives a death capital and how much each: pure functions, no database.

The legal order applies when the member designated nobody (or a version without designees):
1. the spouse or partner on the household file (spouse, registered partner or cohabitant) alone;
2. otherwise the children (the member's and the partner's), in equal shares;
3. otherwise the parents (dependent ascendants on the file), in equal shares;
4. otherwise nobody is known: the handler records the heirs, as established under the law that applies
   to the member's estate (the plan's members live under many laws).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from mutua.capital.models import Relationship
from mutua.contracts.models import Relationship as HouseholdRelationship

HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# The legal order in words, for the designation page: the same order as ``legal_heirs`` applies.
LEGAL_ORDER = (
    _("your spouse or registered partner;"),
    _("if there is none, your children, in equal shares;"),
    _("if there are none, your parents, in equal shares;"),
    _("if there are none, your heirs, as established under the law that applies to your estate."),
)

_RANKS = (
    (
        frozenset({HouseholdRelationship.SPOUSE, HouseholdRelationship.PACS_PARTNER, HouseholdRelationship.COHABITANT}),
        Relationship.SPOUSE,
    ),
    (frozenset({HouseholdRelationship.CHILD, HouseholdRelationship.PARTNER_CHILD}), Relationship.CHILD),
    (frozenset({HouseholdRelationship.ASCENDANT}), Relationship.PARENT),
)


@dataclass(frozen=True, slots=True)
class Recipient:
    full_name: str
    relationship: str
    share: Decimal  # in percent
    iban: str = ""
    bic: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    """A person of the household file, as the legal order reads it."""

    full_name: str
    relationship: str  # contracts.models.Relationship


def equal_shares(count: int) -> list[Decimal]:
    """``count`` shares in percent to the cent that add up to exactly 100 (the last takes the rest)."""
    each = (HUNDRED / count).quantize(CENT, rounding=ROUND_DOWN)
    return [each] * (count - 1) + [HUNDRED - each * (count - 1)]


def legal_heirs(people: Sequence[Person]) -> list[Recipient]:
    """The first rank of the legal order with somebody in it, in equal shares; [] when nobody is known."""
    for relationships, relationship in _RANKS:
        found = [person for person in people if person.relationship in relationships]
        if found:
            if relationship == Relationship.SPOUSE:
                found = found[:1]
            return [
                Recipient(person.full_name, relationship, share)
                for person, share in zip(found, equal_shares(len(found)), strict=True)
            ]
    return []


def split(total: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """``total`` split by ``shares`` (percent, adding up to 100): each half-up to the cent, the last one
    taking what rounding left over, so that the parts add up to the total exactly."""
    if sum(shares, Decimal(0)) != HUNDRED:
        raise ValueError("the shares must add up to 100")
    parts = [(total * share / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP) for share in shares[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]
