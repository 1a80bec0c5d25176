from datetime import date

import pytest

from mutua.core.calendar import (
    is_ouvrable_day,
    is_working_day,
    months_after,
    ouvrable_days_after,
    working_days_after,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (date(2026, 12, 7), 10, date(2026, 12, 21)),  # a Monday: two full weeks
        (date(2026, 12, 18), 10, date(2027, 1, 5)),  # Christmas and New Year's Day are not counted
        (date(2026, 4, 2), 10, date(2026, 4, 17)),  # Good Friday is worked in France, Easter Monday is not
        (date(2026, 5, 12), 3, date(2026, 5, 18)),  # Ascension (14 May) skipped
        (date(2026, 12, 12), 1, date(2026, 12, 14)),  # received on a Saturday: the next Monday
    ],
)
def test_working_days_skip_week_ends_and_french_public_holidays(start, days, deadline):
    assert working_days_after(start, days) == deadline
    assert working_days_between(start, deadline) == days


def test_a_public_holiday_and_a_sunday_are_not_working_days():
    assert not is_working_day(date(2026, 7, 14)) and not is_working_day(date(2026, 12, 13))
    assert is_working_day(date(2026, 12, 14))


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (date(2026, 3, 31), date(2026, 5, 31)),
        (date(2026, 12, 31), date(2027, 2, 28)),
        (date(2027, 12, 31), date(2028, 2, 29)),
        (date(2026, 11, 15), date(2027, 1, 15)),
    ],
)
def test_two_months_later_is_the_same_day_or_the_months_last(start, deadline):
    assert months_after(start, 2) == deadline


@pytest.mark.parametrize(
    ("start", "days", "deadline"),
    [
        (date(2026, 6, 1), 10, date(2026, 6, 12)),  # a Monday: Saturdays count, Sundays do not
        (date(2026, 6, 2), 10, date(2026, 6, 13)),  # ends on a Saturday
        (date(2026, 4, 30), 10, date(2026, 5, 15)),  # 1 May, 8 May and Ascension (14 May) skipped
        (date(2026, 12, 12), 1, date(2026, 12, 14)),  # from a Saturday: the Sunday is not counted
    ],
)
def test_ouvrable_days_skip_sundays_and_french_public_holidays_but_count_saturdays(start, days, deadline):
    assert ouvrable_days_after(start, days) == deadline


def test_a_saturday_is_ouvrable_a_sunday_and_a_public_holiday_are_not():
    assert is_ouvrable_day(date(2026, 12, 12)) and not is_working_day(date(2026, 12, 12))
    assert not is_ouvrable_day(date(2026, 12, 13)) and not is_ouvrable_day(date(2026, 7, 14))
