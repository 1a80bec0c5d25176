"""The parts of a plan beside its benefit table: where in the world it covers care (``zones``),
the capital sums it pays on death and disability (``capital``), how its hospital guarantees
work (``hospital``) and which household events a member may tell online (``family_changes``).
Validated on load like the rest of the plan (``engine.plan.Plan``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import pycountry
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Label(_Frozen):
    """A name in the plan's languages: French and English always, Spanish and Arabic when given."""

    fr: str
    en: str
    es: str | None = None
    ar: str | None = None

    def get(self, lang: str) -> str:
        """The name in ``lang``; English for a language the plan does not name things in."""
        if lang == "fr":
            return self.fr
        found: str | None = getattr(self, lang, None) if lang in {"es", "ar"} else None
        return found or self.en

    def words(self) -> dict[str, str]:
        """The name in each language given, as explanations store it."""
        return self.model_dump(exclude_none=True)


def _country(value: object) -> object:
    if not isinstance(value, str) or pycountry.countries.get(alpha_2=value.upper()) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value.upper()


Country = Annotated[str, BeforeValidator(_country)]


def _amount(value: object) -> object:
    """Amounts as strings or integers, never floats (a float is not an exact amount)."""
    if isinstance(value, (bool, float)):
        raise ValueError(f'give amounts as strings like "7500.00", not {value!r}')
    return Decimal(str(value))


Amount = Annotated[Decimal, BeforeValidator(_amount), Field(ge=0)]
Share = Annotated[Decimal, BeforeValidator(_amount), Field(ge=0, le=100)]

# What can open a restricted zone (seed 000's conditions). The meaning of each is code
# (engine.zones); which zone accepts which, and the country lists, are the plan's data.
ZONE_EXCEPTIONS = (
    "duty_station_in_zone",  # the insured's duty station is in the zone
    "duty_station_listed",  # the duty station is one of the zone's `duty_stations`
    "urgent_duty_travel",  # urgent, non-planned care while on duty travel there
    "prior_approval",  # the medical advisor approved it: no adequate treatment elsewhere
    "life_threatening_approved",  # a life-threatening situation, with the medical advisor's approval
)


class Zone(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    countries: tuple[Country, ...] = Field(min_length=1)
    covered_when: tuple[Literal[ZONE_EXCEPTIONS], ...] = ()  # type: ignore[valid-type]
    duty_stations: tuple[Country, ...] = ()  # for `duty_station_listed`


class Zones(_Frozen):
    """Cover applies worldwide except in the restricted zones, where it needs one of their conditions."""

    source: str = Field(min_length=1)
    restricted: tuple[Zone, ...] = Field(min_length=1)

    def zone_of(self, country: str) -> Zone | None:
        return next((zone for zone in self.restricted if country in zone.countries), None)


class DeathCapital(_Frozen):
    amount: Amount
    # "in the event of death by natural causes of a person aged over 63, only 50 %": the age in
    # completed years on the day of death must be above this for the reduction to apply.
    reduced_when_natural_over_age: int = Field(ge=0)
    reduced_share: Share  # % of the amount paid then


class Capital(_Frozen):
    """Death and disability capital sums, in the plan's currency."""

    source: str = Field(min_length=1)
    death: DeathCapital
    repatriation_limit: Amount  # preparation and repatriation of the body
    death_overall_ceiling: Amount  # death capital and repatriation together
    disability_total: Amount  # total and permanent disability; partial: degree % of it


# The rarer questions a claim form group may ask, folded under "Other situations" (mutua.claims.item_form).
CLAIM_EXTRAS = ("outside_pathway", "ald", "non_conventionne", "other_paid")


class ClaimGroup(_Frozen):
    """A kind of care as a member names it on the claim form ("A doctor's visit"): the plan's benefits it
    offers, in order (the first is the default; they may belong to other sections), and its words."""

    label: Label
    examples: Label
    benefits: tuple[str, ...] = Field(min_length=1)
    provider: Label  # how the form asks who gave the care
    quantity: Label | None = None  # None: never asked (one visit, one item)
    extras: tuple[Literal[CLAIM_EXTRAS], ...] = ("other_paid",)  # type: ignore[valid-type]


class Section(_Frozen):
    """A heading of the benefit table, as members read it, and how its claims are handled."""

    label: Label
    by_post: bool = False  # claims for this care are sent by post, not online
    review: bool = False  # every line is checked by a handler (equipment: optical, hearing aids)
    documents: tuple[Label, ...] = ()  # the supporting documents a claim for this care sends (seed 000)
    # The claim form's kinds of care, finer than the section; none: the section is one kind of care.
    claim_groups: dict[str, ClaimGroup] = Field(default_factory=dict)


class StayCost(_Frozen):
    """One cost of a hospital stay and the benefit that pays it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    benefit: str
    label: Label
    per_day: bool = False  # the quantity is a number of days, and the plan's limit is per day
    doctor: bool = False  # fees: the plan may pay more for a DPTM (OPTAM) doctor


class Hospital(_Frozen):
    """How the plan guarantees hospital stays (seed 000's emergency steps, seed 001's prise en charge)."""

    # Starts each guarantee's reference, in the words the plan's hospitals know: "PEC" (prise en charge)
    # in France, "GOP" (Guarantee of Payment) for seed 000.
    reference_prefix: str = Field(default="PEC", pattern=r"^[A-Z]{2,5}$")

    card_days: int = Field(ge=0)  # the member card alone guarantees the first days of an emergency
    temporary_letter_days: int = Field(ge=1)  # a temporary letter of guarantee covers the first days
    network_answer_hours: int = Field(ge=1)  # a network hospital gets its guarantee within this time
    auto_max_days: int = Field(ge=0)  # longer stays go to a handler
    auto_max_amount: Amount  # in the plan's currency: larger estimates go to a handler
    stays: dict[str, tuple[StayCost, ...]]

    def costs(self, stay_kind: str) -> tuple[StayCost, ...]:
        return self.stays[stay_kind]


# The household events a member may tell online (mutua.contracts). What each means and the documents it
# asks are code; which of them a plan takes is the plan's data. "pacs" is France's registered partnership,
# "partnership" a registered partnership under any law; "cohabitation" is a sworn statement (France).
FAMILY_CHANGE_KINDS = ("marriage", "pacs", "partnership", "cohabitation", "birth", "adoption", "divorce", "death")


class FamilyChanges(_Frozen):
    """The household events the plan takes from its members' space, in the order the form offers them."""

    kinds: tuple[Literal[FAMILY_CHANGE_KINDS], ...] = Field(min_length=1)  # type: ignore[valid-type]


__all__ = [
    "CLAIM_EXTRAS",
    "FAMILY_CHANGE_KINDS",
    "ZONE_EXCEPTIONS",
    "Capital",
    "ClaimGroup",
    "Country",
    "FamilyChanges",
    "Hospital",
    "Label",
    "Section",
    "StayCost",
    "Zone",
    "Zones",
]
