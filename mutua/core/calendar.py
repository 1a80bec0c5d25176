"""Days as French law counts them, French public holidays excluded (``holidays``, which follows each year's list:
Easter Monday, Ascension, Whit Monday…):

- working days ("jours ouvrés"): Monday to Friday, the days a management unit works;
- "jours ouvrables": Monday to Saturday, every day but Sundays, the days a time limit in "jours ouvrables" counts
  (the ACPR's recommendation 2022-R-01 on complaints counts its 10 days so)."""

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def is_ouvrable_day(day: date) -> bool:
    return day.weekday() < 6 and day not in _public_holidays(day.year)


def _days_after(start: date, days: int, counts: Callable[[date], bool]) -> date:
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if counts(day):
            left -= 1
    return day


def working_days_after(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted, as a deadline runs from the day
    after the event)."""
    return _days_after(start, days, is_working_day)


def ouvrable_days_after(start: date, days: int) -> date:
    """The ``days``-th jour ouvrable (Monday to Saturday) after ``start``, ``start`` itself not counted."""
    return _days_after(start, days, is_ouvrable_day)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to ``end`` included (0 when ``end`` is not after ``start``)."""
    return sum(is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def months_after(start: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it has no such day (31 March + 2 months:
    31 May; 31 December + 2 months: 28 or 29 February), as the French civil code counts a time limit in months."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
