"""Reads for member cards: what the card shows, and whether a card's token is valid today.

Both answers come from the contracts' coverage selectors, so the card, the "my contract"
page and the provider's check can never disagree about who is covered. What the card says
follows the subscriber's plan: a plan paid after the French national scheme gets the
third-party payment card with its care codes (seed 001); a plan paying from the first
dollar, the Direct Settlement Card of seed 000 with its emergency hospital guarantee.
"""

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from django.core import signing
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from engine import get_plan
from engine.plan_sections import Label
from mutua.cards.acts import THIRD_PARTY_ACTS, ThirdPartyAct
from mutua.cards.services import CARD_TOKEN_SALT
from mutua.contracts.cover import beneficiary_coverage_on, subscriber_coverage_on
from mutua.contracts.models import ManagementUnit, Member
from mutua.contracts.selectors import household_beneficiaries

SUBSCRIBER_RANK = 1


@dataclass(frozen=True)
class CardHolder:
    """A person the card covers, with the last day the card covers them."""

    first_name: str
    last_name: str
    birth_date: date
    rank: int
    relationship: str | Promise
    valid_until: date

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def short_name(self) -> str:
        """First name and the initial of the last name: all a provider's check shows."""
        initial = self.last_name.strip()[:1].upper()
        return f"{self.first_name} {initial}." if initial else self.first_name


@dataclass(frozen=True)
class MemberCard:
    member: Member
    holders: tuple[CardHolder, ...]  # the subscriber first, then beneficiaries by rank
    valid_from: date
    valid_until: date
    management_unit: ManagementUnit
    acts: tuple[ThirdPartyAct, ...]  # the French third-party payment codes; none on a direct settlement card
    plan_label: Label
    direct_settlement: bool  # seed 000's Direct Settlement Card, not the French third-party payment card
    emergency_days: int | None  # the first days of an emergency stay the card alone guarantees
    answer_hours: int | None  # a network hospital's guarantee of payment comes within this time

    # The wallet-sized copy has room for this many people; the page above it lists everyone.
    WALLET_ROWS: ClassVar[int] = 7

    @property
    def plan_name(self) -> str:
        """The plan's name in the language the card is rendered in."""
        return self.plan_label.get((get_language() or "en")[:2])

    @property
    def wallet_holders(self) -> tuple[CardHolder, ...]:
        return self.holders[: self.WALLET_ROWS]

    @property
    def wallet_more(self) -> int:
        return max(0, len(self.holders) - self.WALLET_ROWS)


def card_valid_until(*, day: date, cover_until: date | None) -> date:
    """A card is valid until the end of the calendar year, or the end of the cover if earlier."""
    year_end = date(day.year, 12, 31)
    return min(year_end, cover_until) if cover_until is not None else year_end


def member_card_on(*, member: Member, day: date) -> MemberCard | None:
    """The household's card as issued on ``day``; ``None`` when the subscriber is not covered."""
    subscriber = subscriber_coverage_on(member=member, day=day)
    if not subscriber.covered:
        return None
    valid_until = card_valid_until(day=day, cover_until=subscriber.until)
    holders = [
        CardHolder(
            member.first_name, member.last_name, member.birth_date, SUBSCRIBER_RANK, _("subscriber"), valid_until
        )
    ]
    for beneficiary in household_beneficiaries(member=member):
        coverage = beneficiary_coverage_on(beneficiary=beneficiary, day=day)
        if coverage.covered:
            holders.append(
                CardHolder(
                    beneficiary.first_name,
                    beneficiary.last_name,
                    beneficiary.birth_date,
                    beneficiary.rank,
                    beneficiary.get_relationship_display(),
                    min(valid_until, coverage.until) if coverage.until else valid_until,
                )
            )
    plan = get_plan(subscriber.plan_code)
    return MemberCard(
        member=member,
        holders=tuple(holders),
        valid_from=day,
        valid_until=valid_until,
        management_unit=member.management_unit,
        acts=THIRD_PARTY_ACTS if plan.has_national_scheme else (),
        plan_label=plan.label,
        direct_settlement=not plan.has_national_scheme,
        emergency_days=plan.hospital.card_days if plan.hospital and plan.hospital.card_days else None,
        answer_hours=plan.hospital.network_answer_hours if plan.hospital else None,
    )


@dataclass(frozen=True)
class CardCheck:
    """What a provider who scans the card may learn: that it is valid on a day, and for whom."""

    day: date
    names: tuple[str, ...]


def _token_payload(token: str) -> tuple[int, date] | None:
    try:
        payload = signing.loads(token, salt=CARD_TOKEN_SALT)
        member_pk, valid_until = payload["m"], date.fromisoformat(payload["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not isinstance(member_pk, int) or isinstance(member_pk, bool):
        return None
    return member_pk, valid_until


def card_check(*, token: str, day: date) -> CardCheck | None:
    """The card's token checked on ``day``; ``None`` when it is tampered, expired or no longer covers anyone.

    Every refusal looks the same to the caller, so a reader learns nothing about why.
    """
    payload = _token_payload(token)
    if payload is None:
        return None
    member_pk, valid_until = payload
    if day > valid_until:
        return None
    member = Member.objects.select_related("contract").filter(pk=member_pk).first()
    if member is None:
        return None
    card = member_card_on(member=member, day=day)
    if card is None:
        return None
    return CardCheck(day, tuple(holder.short_name for holder in card.holders))
