"""Counters while adjudicating: the usages recorded so far, indexed for the periods plans use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from engine.model import Usage
from engine.money import ZERO
from engine.plan import Period

YEAR = Period(kind="calendar_year")


class Tally:
    """Working index of counter usages (mutable inside one adjudication only).

    Calendar-year totals are kept as running sums; rolling and lifetime windows scan the
    usages of one counter key.
    """

    __slots__ = ("_amounts", "_counts", "_index", "_yearly_only")

    def __init__(self, usages: Iterable[Usage], yearly_only: frozenset[str] = frozenset()) -> None:
        self._index: dict[tuple[str, str, str], list[Usage]] = {}
        self._amounts: dict[tuple[str, str, str, int], Decimal] = {}
        self._counts: dict[tuple[str, str, str, int], int] = {}
        # Counters only ever read per calendar year need no list of usages.
        self._yearly_only = yearly_only
        for usage in usages:
            self.add(usage)

    def add(self, usage: Usage) -> None:
        key = (usage.counter, usage.scope, usage.slot)
        if usage.counter not in self._yearly_only:
            self._index.setdefault(key, []).append(usage)
        year_key = (*key, usage.on.year)
        if usage.amount:
            self._amounts[year_key] = self._amounts.get(year_key, ZERO) + usage.amount
        if usage.count:
            self._counts[year_key] = self._counts.get(year_key, 0) + usage.count

    def _window(self, key: tuple[str, str, str], period: Period, on: dt.date) -> list[Usage]:
        found = self._index.get(key)
        if not found:
            return []
        if period.kind == "lifetime":
            return found
        if period.kind == "calendar_year":
            return [u for u in found if u.on.year == on.year]
        start = add_months(on, -period.months)
        end = add_months(on, period.months)
        return [u for u in found if start < u.on < end]

    def amount(self, key: tuple[str, str, str], period: Period, on: dt.date) -> Decimal:
        if period.kind == "calendar_year":
            return self._amounts.get((*key, on.year), ZERO)
        return sum((u.amount for u in self._window(key, period, on)), ZERO)

    def count(self, key: tuple[str, str, str], period: Period, on: dt.date) -> int:
        if period.kind == "calendar_year":
            return self._counts.get((*key, on.year), 0)
        return sum(u.count for u in self._window(key, period, on))

    def ever(self, counter: str, scope: str) -> bool:
        return any(k[0] == counter and k[1] == scope and v for k, v in self._index.items())


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def period_text(period: Period) -> object:
    if period.kind == "rolling":
        return {"fr": f"période de {period.months} mois", "en": f"{period.months}-month period"}
    return period.kind
