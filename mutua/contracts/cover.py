"""Is this person covered on this day, under which plan and tiers, and why (not)?

A person's cover depends on a few dated facts: the subscriber's cover dates, the contract's plan
versions, and for a beneficiary the seed's eligibility facts (``rules``). They are read once into
frozen values (``SubscriberCover``, ``BeneficiaryCover``) and asked for any day: a screen reads
one person from its model instance, an AM file reads thousands of households as values, and both
get their answer from the same code.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise

from mutua.contracts.messages import REASON_TEXT
from mutua.contracts.models import Beneficiary, BeneficiarySituation, ContractPlan, GroupContract, Member, SituationKind
from mutua.contracts.rules import BeneficiaryFacts, Kind, Period, Reason, eligibility_on, qualifies_until


@dataclass(frozen=True)
class Coverage:
    """Whether a person is covered on a day, under which plan and tiers, and why (not)."""

    covered: bool
    reason: Reason
    plan_code: str | None = None
    tiers: tuple[str, ...] = ()
    plan_version_from: date | None = None  # the contract's plan version in force (its start date)
    optional_cover: bool = False
    until: date | None = None  # last covered day of the current period, when known (and asked for)

    @property
    def explanation(self) -> Promise:
        return REASON_TEXT[self.reason]


@dataclass(frozen=True, slots=True)
class PlanVersion:
    plan_code: str
    tiers: tuple[str, ...]
    valid_from: date
    valid_to: date | None

    def contains(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class SubscriberCover:
    cover_start: date | None
    last_day: date | None  # the cover's end or the eve of the contract's termination, the earlier
    plans: tuple[PlanVersion, ...]  # the contract's, by start date

    def on(self, day: date) -> Coverage:
        if self.cover_start is None or day < self.cover_start:
            return Coverage(False, Reason.NOT_YET_COVERED)
        if self.last_day is not None and day > self.last_day:
            return Coverage(False, Reason.SUBSCRIBER_NOT_COVERED)
        plan = next((plan for plan in self.plans if plan.contains(day)), None)
        if plan is None:
            return Coverage(False, Reason.NO_PLAN)
        return Coverage(
            True, Reason.SUBSCRIBER, plan.plan_code, plan.tiers, plan_version_from=plan.valid_from, until=self.last_day
        )


@dataclass(frozen=True, slots=True)
class BeneficiaryCover:
    subscriber: SubscriberCover
    cover_start: date
    removed_on: date | None
    facts: BeneficiaryFacts

    def on(self, day: date, *, until: bool = True) -> Coverage:
        """``until=False`` leaves out the end of the current period, which only screens show (it looks
        ahead over the years a child may still qualify)."""
        subscriber = self.subscriber.on(day)
        if not subscriber.covered:
            reason = subscriber.reason if subscriber.reason == Reason.NO_PLAN else Reason.SUBSCRIBER_NOT_COVERED
            return Coverage(False, reason)
        if day < self.cover_start:
            return Coverage(False, Reason.NOT_YET_COVERED)
        if self.removed_on is not None and day >= self.removed_on:
            return Coverage(False, Reason.REMOVED)
        eligibility = eligibility_on(self.facts, day)
        if not eligibility.eligible:
            return Coverage(False, eligibility.reason)
        last_day = None
        if until:
            ends = [qualifies_until(self.facts, day), subscriber.until]
            if self.removed_on is not None:
                ends.append(self.removed_on - timedelta(days=1))
            known = [end for end in ends if end is not None]
            last_day = min(known) if known else None
        return Coverage(
            True,
            eligibility.reason,
            subscriber.plan_code,
            subscriber.tiers,
            plan_version_from=subscriber.plan_version_from,
            optional_cover=eligibility.optional_cover,
            until=last_day,
        )


def _last_day(cover_end: date | None, termination_date: date | None) -> date | None:
    ends = [cover_end]
    if termination_date is not None:
        ends.append(termination_date - timedelta(days=1))
    known = [end for end in ends if end is not None]
    return min(known) if known else None


def _plan_version(plan: ContractPlan) -> PlanVersion:
    return PlanVersion(plan.plan_code, tuple(plan.tiers), plan.valid_from, plan.valid_to)


def subscriber_cover(member: Member) -> SubscriberCover:
    contract = member.contract
    if contract is None:
        return SubscriberCover(member.cover_start, member.cover_end, ())
    plans = tuple(_plan_version(plan) for plan in contract.plans.all())
    return SubscriberCover(member.cover_start, _last_day(member.cover_end, contract.termination_date), plans)


# The plan a household without one on record is read under (its care's words, its currency): the first contract's.
DEFAULT_PLAN = "fr-base-surco"

_FACT_FIELDS = (
    "relationship",
    "birth_date",
    "lives_in_household",
    "has_income",
    "household_taxable",
    "tax_dependent",
    "disabled_before_28",
    "optional_cover_from",
    "optional_cover_until",
)
_PERIODS = {
    SituationKind.STUDIES: "studies",
    SituationKind.PAID_GAP_YEAR: "paid_gap_years",
    SituationKind.JOB_SEEKER: "job_seeking",
    SituationKind.APPRENTICESHIP: "apprenticeships",
    SituationKind.CIVIC_SERVICE: "civic_service",
}


def _facts(
    relationship: str,
    birth_date: date,
    lives_in_household: bool,
    has_income: bool,
    household_taxable: bool,
    tax_dependent: bool,
    disabled_before_28: bool,
    optional_cover_from: date | None,
    optional_cover_until: date | None,
    situations: Collection[tuple[str, date, date | None]],
) -> BeneficiaryFacts:
    periods: dict[str, list[Period]] = {name: [] for name in _PERIODS.values()}
    for kind, valid_from, valid_to in sorted(situations, key=lambda situation: situation[1]):
        periods[_PERIODS[kind]].append(Period(valid_from, valid_to))
    return BeneficiaryFacts(
        kind=Kind(relationship),
        birth_date=birth_date,
        lives_in_household=lives_in_household,
        has_income=has_income,
        household_taxable=household_taxable,
        tax_dependent=tax_dependent,
        disabled_before_28=disabled_before_28,
        optional_cover=Period(optional_cover_from, optional_cover_until) if optional_cover_from else None,
        **{name: tuple(found) for name, found in periods.items()},
    )


def beneficiary_facts(beneficiary: Beneficiary) -> BeneficiaryFacts:
    situations = [(s.kind, s.valid_from, s.valid_to) for s in beneficiary.situations.all()]
    return _facts(*(getattr(beneficiary, name) for name in _FACT_FIELDS), situations)


def beneficiary_cover(beneficiary: Beneficiary) -> BeneficiaryCover:
    return BeneficiaryCover(
        subscriber_cover(beneficiary.member),
        beneficiary.cover_start,
        beneficiary.removed_on,
        beneficiary_facts(beneficiary),
    )


def subscriber_coverage_on(*, member: Member, day: date) -> Coverage:
    return subscriber_cover(member).on(day)


def beneficiary_coverage_on(*, beneficiary: Beneficiary, day: date) -> Coverage:
    return beneficiary_cover(beneficiary).on(day)


# ---------------------------------------------------------------------------------------------
# Households read as values, for files of thousands of lines


@dataclass(frozen=True, slots=True)
class CoveredPerson:
    """A person of a household as matching a statement and paying it need them."""

    member_id: int
    beneficiary_id: int | None
    rank: int  # 1: the subscriber
    birth_date: date
    relationship: str  # "" for the subscriber
    nir_digest: str
    cover: SubscriberCover | BeneficiaryCover
    duty_station: str = ""  # the subscriber's, shared by the household (a plan's zone rules)

    def coverage_on(self, day: date) -> Coverage:
        if isinstance(self.cover, BeneficiaryCover):
            return self.cover.on(day, until=False)
        return self.cover.on(day)


def households_cover(member_ids: Collection[int]) -> dict[int, tuple[CoveredPerson, ...]]:
    """Each household's people, subscriber first then beneficiaries by rank, read as values (four
    queries whatever the number of households; NIR and IBAN are left encrypted)."""
    members = list(
        Member.objects.filter(pk__in=member_ids)
        .order_by("pk")
        .values_list("pk", "birth_date", "nir_digest", "cover_start", "cover_end", "contract_id", "duty_station")
    )
    contract_ids = {row[5] for row in members if row[5] is not None}
    plans: dict[int, list[PlanVersion]] = defaultdict(list)
    for contract_id, *version in (
        ContractPlan.objects.filter(contract_id__in=contract_ids)
        .order_by("valid_from", "pk")
        .values_list("contract_id", "plan_code", "tiers", "valid_from", "valid_to")
    ):
        plans[contract_id].append(PlanVersion(version[0], tuple(version[1]), version[2], version[3]))
    terminations = dict(GroupContract.objects.filter(pk__in=contract_ids).values_list("pk", "termination_date"))
    households: dict[int, list[CoveredPerson]] = {}
    subscribers: dict[int, SubscriberCover] = {}
    stations: dict[int, str] = {}
    for pk, birth_date, nir_digest, cover_start, cover_end, contract_id, duty_station in members:
        cover = SubscriberCover(
            cover_start,
            _last_day(cover_end, terminations.get(contract_id)),
            tuple(plans[contract_id]) if contract_id is not None else (),
        )
        subscribers[pk] = cover
        stations[pk] = duty_station
        households[pk] = [CoveredPerson(pk, None, 1, birth_date, "", nir_digest, cover, duty_station)]
    beneficiaries = list(
        Beneficiary.objects.filter(member_id__in=subscribers)
        .order_by("member_id", "rank", "pk")
        .values_list("pk", "member_id", "rank", "nir_digest", "cover_start", "removed_on", *_FACT_FIELDS)
    )
    situations: dict[int, list[tuple[str, date, date | None]]] = defaultdict(list)
    for beneficiary_id, *situation in BeneficiarySituation.objects.filter(
        beneficiary_id__in=[row[0] for row in beneficiaries]
    ).values_list("beneficiary_id", "kind", "valid_from", "valid_to"):
        situations[beneficiary_id].append(tuple(situation))
    for pk, member_id, rank, nir_digest, cover_start, removed_on, *facts in beneficiaries:
        cover = BeneficiaryCover(subscribers[member_id], cover_start, removed_on, _facts(*facts, situations[pk]))
        households[member_id].append(
            CoveredPerson(member_id, pk, rank, facts[1], facts[0], nir_digest, cover, stations[member_id])
        )
    return {pk: tuple(people) for pk, people in households.items()}
