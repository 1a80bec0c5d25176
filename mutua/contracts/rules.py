"""Eligibility and cover dates, as seed 001 ("L'essentiel de votre contrat") states them.

Pure functions over plain values: no database, no Django. Each clause of the seed is one
branch here and one test in ``tests/test_rules.py``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

NOTICE_DAYS = 30
PORTABILITY_MAX_MONTHS = 12
OPTIONAL_COVER_MIN_YEARS = 1


class Reason(StrEnum):
    """Why someone is, or is not, covered. Codes; their wording lives in ``messages.py``."""

    # covered
    CHILD_UNDER_18 = "child_under_18"
    CHILD_STUDENT = "child_student"
    CHILD_JOB_SEEKER = "child_job_seeker"
    CHILD_APPRENTICE = "child_apprentice"
    CHILD_CIVIC_SERVICE = "child_civic_service"
    CHILD_DISABLED = "child_disabled"
    ADULT_CHILD_OPTIONAL_COVER = "adult_child_optional_cover"
    PARTNER_WITHOUT_INCOME = "partner_without_income"
    PARTNER_NOT_TAXABLE = "partner_not_taxable"
    PARTNER_OPTIONAL_COVER = "partner_optional_cover"
    ASCENDANT_TAX_DEPENDENT = "ascendant_tax_dependent"
    SUBSCRIBER = "subscriber"
    # not covered
    PARTNER_CHILD_NOT_IN_HOUSEHOLD = "partner_child_not_in_household"
    CHILD_NO_LONGER_QUALIFIES = "child_no_longer_qualifies"
    ADULT_CHILD_OPTIONAL_COVER_AVAILABLE = "adult_child_optional_cover_available"
    PARTNER_WITH_INCOME = "partner_with_income"
    ASCENDANT_NOT_DEPENDENT = "ascendant_not_dependent"
    NOT_YET_COVERED = "not_yet_covered"
    REMOVED = "removed"
    SUBSCRIBER_NOT_COVERED = "subscriber_not_covered"
    NO_PLAN = "no_plan"


class Kind(StrEnum):
    SPOUSE = "spouse"
    PACS_PARTNER = "pacs_partner"
    COHABITANT = "cohabitant"
    CHILD = "child"
    PARTNER_CHILD = "partner_child"
    ASCENDANT = "ascendant"


PARTNERS = frozenset({Kind.SPOUSE, Kind.PACS_PARTNER, Kind.COHABITANT})
CHILDREN = frozenset({Kind.CHILD, Kind.PARTNER_CHILD})


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None = None  # inclusive; None: open

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class BeneficiaryFacts:
    kind: Kind
    birth_date: date
    lives_in_household: bool = True
    has_income: bool = False
    household_taxable: bool = True
    tax_dependent: bool = False
    disabled_before_28: bool = False
    studies: tuple[Period, ...] = ()
    paid_gap_years: tuple[Period, ...] = ()
    job_seeking: tuple[Period, ...] = ()
    apprenticeships: tuple[Period, ...] = ()
    civic_service: tuple[Period, ...] = ()
    optional_cover: Period | None = None


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: Reason
    optional_cover: bool = False  # covered only through a paid optional cover


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _during(periods: tuple[Period, ...], day: date) -> bool:
    return any(period.contains(day) for period in periods)


def eligibility_on(facts: BeneficiaryFacts, day: date) -> Eligibility:
    """Whether a household member other than the subscriber qualifies as "ayant droit" on ``day``."""
    if facts.kind in CHILDREN:
        return _child_eligibility(facts, day)
    if facts.kind in PARTNERS:
        return _partner_eligibility(facts, day)
    if facts.tax_dependent:
        return Eligibility(True, Reason.ASCENDANT_TAX_DEPENDENT)
    return Eligibility(False, Reason.ASCENDANT_NOT_DEPENDENT)


def _child_eligibility(facts: BeneficiaryFacts, day: date) -> Eligibility:
    # The spouse's or partner's children qualify only when they live in the household.
    if facts.kind == Kind.PARTNER_CHILD and not facts.lives_in_household:
        return Eligibility(False, Reason.PARTNER_CHILD_NOT_IN_HOUSEHOLD)
    age = age_on(facts.birth_date, day)
    if age < 18:
        return Eligibility(True, Reason.CHILD_UNDER_18)
    if age < 28:
        # A paid gap year interrupts studies for the whole of the gap year.
        if _during(facts.studies, day) and not _during(facts.paid_gap_years, day):
            return Eligibility(True, Reason.CHILD_STUDENT)
        if _during(facts.job_seeking, day):
            return Eligibility(True, Reason.CHILD_JOB_SEEKER)
        if _during(facts.apprenticeships, day):
            return Eligibility(True, Reason.CHILD_APPRENTICE)
    if age < 26 and _during(facts.civic_service, day):
        return Eligibility(True, Reason.CHILD_CIVIC_SERVICE)
    if facts.disabled_before_28:
        return Eligibility(True, Reason.CHILD_DISABLED)
    # The "adult child" optional cover: under 28, living at home, without a professional activity.
    if age < 28 and facts.lives_in_household and not facts.has_income:
        if facts.optional_cover is not None and facts.optional_cover.contains(day):
            return Eligibility(True, Reason.ADULT_CHILD_OPTIONAL_COVER, optional_cover=True)
        return Eligibility(False, Reason.ADULT_CHILD_OPTIONAL_COVER_AVAILABLE)
    return Eligibility(False, Reason.CHILD_NO_LONGER_QUALIFIES)


def _partner_eligibility(facts: BeneficiaryFacts, day: date) -> Eligibility:
    if not facts.has_income:
        return Eligibility(True, Reason.PARTNER_WITHOUT_INCOME)
    if not facts.household_taxable:
        return Eligibility(True, Reason.PARTNER_NOT_TAXABLE)
    if facts.optional_cover is not None and facts.optional_cover.contains(day):
        return Eligibility(True, Reason.PARTNER_OPTIONAL_COVER, optional_cover=True)
    return Eligibility(False, Reason.PARTNER_WITH_INCOME)


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def within_notice(event: date, received: date) -> bool:
    return received - event <= timedelta(days=NOTICE_DAYS)


def effective_date(event: date, received: date) -> date:
    """The 30-day rule: the event date when told within 30 days, else the 1st of the next month."""
    return event if within_notice(event, received) else first_of_next_month(received)


def subscriber_cover_start(*, contract_start: date, hire_date: date, received: date, previously_exempt: bool) -> date:
    """Contract date, hiring (or promotion) date, or request date after an exemption."""
    event = received if previously_exempt else max(contract_start, hire_date)
    return effective_date(event, received)


def beneficiary_cover_start(
    *, subscriber_start: date, qualifies_from: date, received: date, previously_exempt: bool = False
) -> date:
    """With the subscriber, from the day they qualify (birth, marriage…), or on the request date
    after an exemption; declared more than 30 days later, on the 1st of the month after receipt."""
    event = received if previously_exempt else qualifies_from
    return effective_date(max(subscriber_start, event), received)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def portability_end(*, left_on: date, entitled_until: date | None = None) -> date:
    """Portability keeps the cover after leaving, for at most 12 months (and never past the entitlement)."""
    limit = add_months(left_on, PORTABILITY_MAX_MONTHS) - timedelta(days=1)
    return min(limit, entitled_until) if entitled_until else limit


def optional_cover_can_end(period_start: date, end: date) -> bool:
    """An optional cover lasts at least one year."""
    return end >= add_months(period_start, 12 * OPTIONAL_COVER_MIN_YEARS) - timedelta(days=1)


def optional_cover_can_restart(*, removed_on: date | None, family_change_since: date | None) -> bool:
    """Leaving an optional cover is final, unless the family situation changed since."""
    return removed_on is None or (family_change_since is not None and family_change_since > removed_on)


def qualifies_until(facts: BeneficiaryFacts, start: date, horizon_days: int = 366 * 30) -> date | None:
    """The last day of the current run of eligibility from ``start`` (None: open-ended within the horizon).

    Used to show a cover period's end, for example the eve of a child's 18th birthday.
    """
    if not eligibility_on(facts, start).eligible:
        return None
    candidates = sorted(_change_days(facts, start, horizon_days))
    last_eligible = start
    for day in candidates:
        if eligibility_on(facts, day).eligible:
            last_eligible = day
            continue
        # Eligibility may end on any day between the last eligible check and this one.
        return _last_eligible_between(facts, last_eligible, day)
    return None


def _change_days(facts: BeneficiaryFacts, start: date, horizon_days: int) -> set[date]:
    days = set()
    for years in (18, 26, 28):
        try:
            birthday = facts.birth_date.replace(year=facts.birth_date.year + years)
        except ValueError:  # born on 29 February
            birthday = date(facts.birth_date.year + years, 3, 1)
        days.update({birthday - timedelta(days=1), birthday})
    for periods in (facts.studies, facts.paid_gap_years, facts.job_seeking, facts.apprenticeships, facts.civic_service):
        for period in periods:
            days.add(period.start)
            if period.end:
                days.update({period.end, period.end + timedelta(days=1)})
    if facts.optional_cover:
        days.add(facts.optional_cover.start)
        if facts.optional_cover.end:
            days.update({facts.optional_cover.end, facts.optional_cover.end + timedelta(days=1)})
    horizon = start + timedelta(days=horizon_days)
    return {day for day in days if start < day <= horizon}


def _last_eligible_between(facts: BeneficiaryFacts, eligible_day: date, ineligible_day: date) -> date:
    low, high = eligible_day, ineligible_day
    while (high - low).days > 1:
        middle = low + (high - low) // 2
        if eligibility_on(facts, middle).eligible:
            low = middle
        else:
            high = middle
    return low
