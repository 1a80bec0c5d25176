"""Frozen inputs and outputs of the engine (no Django, no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from engine.money import ZERO

_EMPTY: Mapping[str, str] = MappingProxyType({})
_EMPTY_AMOUNTS: Mapping[str, Decimal] = MappingProxyType({})
_EMPTY_LISTS: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    birth_date: dt.date
    role: str = "member"  # member (affilié), spouse, child, dependant…
    duty_station: str = ""  # ISO 3166 country of the insured's duty station (plans with zones)


@dataclass(frozen=True, slots=True)
class Household:
    members: tuple[Member, ...]

    def member(self, member_id: str) -> Member | None:
        for member in self.members:
            if member.id == member_id:
                return member
        return None


@dataclass(frozen=True, slots=True)
class CareLine:
    """One care item to adjudicate.

    ``mr`` is the AM reimbursement when known (AM statement); when ``None`` the engine
    estimates it. ``deductions`` (participation forfaitaire + franchises withheld by the
    AM) are estimated from the parameters when ``None``. ``attributes`` map an attribute
    to one value, or two for ``lens_class`` (an equipment mixing two lens categories).
    ``parts`` give sub-amounts of ``charged`` (e.g. ``frame`` for glasses). ``other_paid`` is what
    another complementary insurer already paid on this care (a spouse's, say, claimed there first):
    the plan pays at most what remains after the AM and it. ``country`` is where the care was
    given (ISO 3166 alpha-2), which a plan with restricted zones needs.
    """

    id: str
    member: str
    date: dt.date
    benefit: str
    charged: Decimal
    br: Decimal | None = None
    mr: Decimal | None = None
    deductions: Decimal | None = None
    plv: Decimal | None = None
    am_rate: Decimal | None = None
    quantity: int = 1
    flags: frozenset[str] = frozenset()
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY_LISTS)
    parts: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY_AMOUNTS)
    other_paid: Decimal = ZERO
    country: str = ""


@dataclass(frozen=True, slots=True)
class Usage:
    """One consumption of a counter: the DB layer stores these rows as they are.

    ``scope`` is the member id, or ``*`` for household counters; ``slot`` distinguishes
    e.g. the ear or eye (``right``) or is empty.
    """

    counter: str
    scope: str
    slot: str
    on: dt.date
    amount: Decimal = ZERO
    count: int = 0
    line_id: str = ""


@dataclass(frozen=True, slots=True)
class Counters:
    """Counter state: the usages recorded so far for a household."""

    usages: tuple[Usage, ...] = ()

    def plus(self, more: tuple[Usage, ...]) -> Counters:
        return Counters(self.usages + more)

    def without_lines(self, line_ids: frozenset[str] | set[str]) -> Counters:
        """The counters as if these lines had never been adjudicated (cancel, redo)."""
        return Counters(tuple(u for u in self.usages if u.line_id not in line_ids))

    def last_date(self, counter: str, scope: str, slot: str = "") -> dt.date | None:
        dates = [u.on for u in self.usages if u.counter == counter and u.scope == scope and u.slot == slot]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Message:
    """An explanation item: a catalogue key and its parameters (see engine.messages)."""

    key: str
    params: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class TierResult:
    tier: str
    paid: Decimal
    maximum: Decimal  # what the rule offers before the "what remains" limit
    rule: str | None
    explanation: tuple[Message, ...]
    caps_hit: tuple[str, ...] = ()
    label: object = None  # the tier's label {"fr": …, "en": …}, for explanations


@dataclass(frozen=True, slots=True)
class LineResult:
    line_id: str
    member: str
    benefit: str
    date: dt.date
    charged: Decimal
    br: Decimal
    am_paid: Decimal
    am_estimated: bool
    tm: Decimal
    non_reimbursable: Decimal
    tiers: tuple[TierResult, ...]
    out_of_pocket: Decimal
    explanation: tuple[Message, ...]
    usages: tuple[Usage, ...]
    currency: str = "EUR"
    am_basis: str = "given"  # given | estimated | not_covered | no_scheme
    other_paid: Decimal = ZERO  # already paid by another complementary insurer
    deductible: Decimal = ZERO  # borne by the member before the plan pays (plans without AM)
    coinsurance: Decimal = ZERO  # the member's share of what remained after the deductible
    outside_zone: bool = False  # care in a restricted zone none of whose conditions held

    def tier(self, code: str) -> TierResult:
        for tier in self.tiers:
            if tier.tier == code:
                return tier
        raise KeyError(code)

    @property
    def paid_by_plan(self) -> Decimal:
        return sum((t.paid for t in self.tiers), ZERO)

    def remaining_after(self, code: str) -> Decimal:
        """What the member still pays after the AM, another insurer and the tiers up to ``code``."""
        remaining = self.charged - self.am_paid - self.other_paid
        for tier in self.tiers:
            remaining -= tier.paid
            if tier.tier == code:
                return remaining
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class Adjudication:
    lines: tuple[LineResult, ...]
    counters: Counters  # counters after these lines
    usages: tuple[Usage, ...]  # the usages these lines added
