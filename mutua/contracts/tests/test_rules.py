"""One test per clause of seed 001, "Sont bénéficiaires de la garantie" and the cover dates."""

from datetime import date

import pytest

from mutua.contracts.rules import (
    BeneficiaryFacts,
    Kind,
    Period,
    Reason,
    beneficiary_cover_start,
    effective_date,
    eligibility_on,
    first_of_next_month,
    optional_cover_can_end,
    optional_cover_can_restart,
    portability_end,
    qualifies_until,
    subscriber_cover_start,
)

BORN = date(2000, 6, 15)  # 18 on 2018-06-15, 26 on 2026-06-15, 28 on 2028-06-15


def child(**facts) -> BeneficiaryFacts:
    return BeneficiaryFacts(kind=facts.pop("kind", Kind.CHILD), birth_date=facts.pop("birth_date", BORN), **facts)


def reason(facts: BeneficiaryFacts, day: date) -> Reason:
    return eligibility_on(facts, day).reason


# --- children ------------------------------------------------------------------------------


def test_child_under_18_is_covered_until_the_eve_of_the_18th_birthday():
    assert reason(child(), date(2018, 6, 14)) == Reason.CHILD_UNDER_18
    assert not eligibility_on(child(), date(2018, 6, 15)).eligible
    assert qualifies_until(child(), date(2010, 1, 1)) == date(2018, 6, 14)


def test_student_under_28_is_covered_but_not_during_a_paid_gap_year():
    facts = child(
        studies=(Period(date(2018, 9, 1), date(2024, 6, 30)),),
        paid_gap_years=(Period(date(2021, 9, 1), date(2022, 8, 31)),),
    )
    assert reason(facts, date(2019, 1, 1)) == Reason.CHILD_STUDENT
    assert reason(facts, date(2022, 1, 1)) == Reason.ADULT_CHILD_OPTIONAL_COVER_AVAILABLE
    assert reason(facts, date(2023, 1, 1)) == Reason.CHILD_STUDENT


def test_student_stops_qualifying_on_the_28th_birthday():
    facts = child(studies=(Period(date(2018, 9, 1)),))
    assert reason(facts, date(2028, 6, 14)) == Reason.CHILD_STUDENT
    assert reason(facts, date(2028, 6, 15)) == Reason.CHILD_NO_LONGER_QUALIFIES
    assert qualifies_until(facts, date(2020, 1, 1)) == date(2028, 6, 14)


def test_registered_job_seeker_under_28_is_covered():
    facts = child(job_seeking=(Period(date(2024, 1, 1), date(2024, 12, 31)),))
    assert reason(facts, date(2024, 5, 1)) == Reason.CHILD_JOB_SEEKER
    assert not eligibility_on(facts, date(2025, 1, 1)).eligible


def test_apprentice_or_work_study_under_28_is_covered():
    facts = child(apprenticeships=(Period(date(2019, 9, 1), date(2021, 8, 31)),))
    assert reason(facts, date(2020, 1, 1)) == Reason.CHILD_APPRENTICE


def test_civic_service_covers_only_under_26():
    facts = child(civic_service=(Period(date(2025, 9, 1), date(2026, 8, 31)),))
    assert reason(facts, date(2026, 6, 14)) == Reason.CHILD_CIVIC_SERVICE
    assert not eligibility_on(facts, date(2026, 6, 15)).eligible  # 26th birthday, service still running
    assert qualifies_until(facts, date(2025, 9, 1)) == date(2026, 6, 14)


def test_disability_recognised_before_28_covers_at_any_age():
    facts = child(disabled_before_28=True)
    assert reason(facts, date(2060, 1, 1)) == Reason.CHILD_DISABLED


def test_partners_child_only_when_living_in_the_household():
    assert reason(child(kind=Kind.PARTNER_CHILD), date(2010, 1, 1)) == Reason.CHILD_UNDER_18
    assert reason(child(kind=Kind.PARTNER_CHILD, lives_in_household=False), date(2010, 1, 1)) == (
        Reason.PARTNER_CHILD_NOT_IN_HOUSEHOLD
    )


def test_adult_child_under_28_not_qualifying_is_covered_only_through_the_optional_cover():
    without = child()
    assert reason(without, date(2020, 1, 1)) == Reason.ADULT_CHILD_OPTIONAL_COVER_AVAILABLE
    covered = child(optional_cover=Period(date(2019, 1, 1)))
    result = eligibility_on(covered, date(2020, 1, 1))
    assert result.eligible and result.optional_cover and result.reason == Reason.ADULT_CHILD_OPTIONAL_COVER
    assert not eligibility_on(covered, date(2028, 6, 15)).eligible  # not past 28


def test_adult_child_living_elsewhere_or_working_cannot_take_the_optional_cover():
    assert reason(child(lives_in_household=False), date(2020, 1, 1)) == Reason.CHILD_NO_LONGER_QUALIFIES
    working = child(has_income=True, optional_cover=Period(date(2019, 1, 1)))
    assert reason(working, date(2020, 1, 1)) == Reason.CHILD_NO_LONGER_QUALIFIES


# --- partners and ascendants ---------------------------------------------------------------


@pytest.mark.parametrize("kind", [Kind.SPOUSE, Kind.PACS_PARTNER, Kind.COHABITANT])
def test_partner_without_income_is_covered(kind):
    assert reason(BeneficiaryFacts(kind=kind, birth_date=BORN), date(2024, 1, 1)) == Reason.PARTNER_WITHOUT_INCOME


def test_partner_with_income_needs_the_optional_cover():
    facts = BeneficiaryFacts(kind=Kind.SPOUSE, birth_date=BORN, has_income=True)
    assert reason(facts, date(2024, 1, 1)) == Reason.PARTNER_WITH_INCOME
    covered = BeneficiaryFacts(
        kind=Kind.SPOUSE, birth_date=BORN, has_income=True, optional_cover=Period(date(2024, 1, 1), date(2024, 12, 31))
    )
    assert eligibility_on(covered, date(2024, 6, 1)).optional_cover
    assert not eligibility_on(covered, date(2025, 1, 1)).eligible


def test_non_taxable_couple_partner_with_income_is_covered_without_the_surcharge():
    facts = BeneficiaryFacts(kind=Kind.PACS_PARTNER, birth_date=BORN, has_income=True, household_taxable=False)
    result = eligibility_on(facts, date(2024, 1, 1))
    assert result.eligible and not result.optional_cover and result.reason == Reason.PARTNER_NOT_TAXABLE


def test_ascendant_only_when_dependent_for_tax():
    assert (
        reason(BeneficiaryFacts(kind=Kind.ASCENDANT, birth_date=date(1950, 1, 1), tax_dependent=True), date(2024, 1, 1))
        == Reason.ASCENDANT_TAX_DEPENDENT
    )
    assert (
        reason(BeneficiaryFacts(kind=Kind.ASCENDANT, birth_date=date(1950, 1, 1)), date(2024, 1, 1))
        == Reason.ASCENDANT_NOT_DEPENDENT
    )


# --- optional covers: one year minimum, removal final ---------------------------------------


def test_optional_cover_lasts_at_least_one_year():
    assert not optional_cover_can_end(date(2024, 3, 1), date(2025, 2, 27))
    assert optional_cover_can_end(date(2024, 3, 1), date(2025, 2, 28))


def test_leaving_an_optional_cover_is_final_unless_the_family_situation_changes():
    assert optional_cover_can_restart(removed_on=None, family_change_since=None)
    assert not optional_cover_can_restart(removed_on=date(2024, 1, 1), family_change_since=None)
    assert not optional_cover_can_restart(removed_on=date(2024, 1, 1), family_change_since=date(2023, 5, 1))
    assert optional_cover_can_restart(removed_on=date(2024, 1, 1), family_change_since=date(2024, 7, 1))


# --- dates: the 30-day rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (date(2024, 3, 10), date(2024, 3, 10)),  # same day
        (date(2024, 4, 9), date(2024, 3, 10)),  # day 30: still the event date
        (date(2024, 4, 10), date(2024, 5, 1)),  # day 31: 1st of the month after receipt
        (date(2024, 12, 20), date(2025, 1, 1)),  # across a year end
    ],
)
def test_thirty_day_rule(received, expected):
    assert effective_date(date(2024, 3, 10), received) == expected


def test_subscriber_starts_on_the_contract_date_when_already_employed():
    assert subscriber_cover_start(
        contract_start=date(2024, 1, 1), hire_date=date(2019, 5, 1), received=date(2024, 1, 20), previously_exempt=False
    ) == date(2024, 1, 1)


def test_subscriber_hired_later_starts_on_the_hiring_date():
    assert subscriber_cover_start(
        contract_start=date(2024, 1, 1), hire_date=date(2024, 9, 2), received=date(2024, 10, 2), previously_exempt=False
    ) == date(2024, 9, 2)


def test_subscriber_late_request_starts_on_the_first_of_the_next_month():
    assert subscriber_cover_start(
        contract_start=date(2024, 1, 1), hire_date=date(2024, 9, 2), received=date(2024, 10, 3), previously_exempt=False
    ) == date(2024, 11, 1)


def test_subscriber_previously_exempt_starts_on_the_request_date():
    assert subscriber_cover_start(
        contract_start=date(2024, 1, 1), hire_date=date(2020, 1, 1), received=date(2024, 6, 12), previously_exempt=True
    ) == date(2024, 6, 12)


def test_beneficiary_starts_with_the_subscriber_or_when_qualifying():
    start = date(2024, 1, 1)
    assert (
        beneficiary_cover_start(subscriber_start=start, qualifies_from=date(2020, 1, 1), received=date(2024, 1, 5))
        == start
    )
    assert beneficiary_cover_start(
        subscriber_start=start, qualifies_from=date(2024, 5, 4), received=date(2024, 5, 30)
    ) == date(2024, 5, 4)  # birth told in time
    assert beneficiary_cover_start(
        subscriber_start=start, qualifies_from=date(2024, 5, 4), received=date(2024, 6, 20)
    ) == date(2024, 7, 1)  # told late


def test_beneficiary_declared_late_starts_on_the_first_of_the_month_after_receipt():
    start = date(2024, 1, 1)
    assert beneficiary_cover_start(
        subscriber_start=start, qualifies_from=date(2020, 1, 1), received=date(2024, 9, 1)
    ) == date(2024, 10, 1)


def test_beneficiary_previously_exempt_starts_on_the_request_date():
    assert beneficiary_cover_start(
        subscriber_start=date(2024, 1, 1),
        qualifies_from=date(2020, 1, 1),
        received=date(2024, 9, 12),
        previously_exempt=True,
    ) == date(2024, 9, 12)


def test_portability_ends_after_12_months_at_most():
    assert portability_end(left_on=date(2024, 3, 15)) == date(2025, 3, 14)
    assert portability_end(left_on=date(2024, 3, 15), entitled_until=date(2024, 9, 30)) == date(2024, 9, 30)
    assert portability_end(left_on=date(2024, 1, 31)) == date(2025, 1, 30)


def test_first_of_next_month_in_december():
    assert first_of_next_month(date(2024, 12, 31)) == date(2025, 1, 1)
