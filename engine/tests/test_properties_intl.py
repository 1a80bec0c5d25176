"""Hypothesis property tests of the international plan (no national scheme, deductible, coinsurance,
limits per benefit, an overall annual limit, zones) over random households and care lines."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.adjudicate import Engine
from engine.model import CareLine, Counters, Household, Member, Usage
from engine.money import HUNDRED, ZERO, cents
from engine.plan import get_plan
from engine.vocabulary import ZONE_FLAGS
from engine.zones import zone_decision

PLAN = get_plan("intl-staff")
LIMIT = Decimal("1000000")  # the plan's overall annual limit per person
COUNTRIES = ["KE", "FR", "US", "CA", "SG", "ZA", "MZ", "CH"]
money = st.decimals(min_value=Decimal("0"), max_value=Decimal("60000"), places=2)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def households(draw: st.DrawFn) -> Household:
    station = draw(st.sampled_from(COUNTRIES))
    return Household(
        (Member("a", dt.date(1975, 4, 2), "member", station), Member("s", dt.date(1990, 11, 30), "spouse", station))
    )


@st.composite
def care_lines(draw: st.DrawFn) -> list[CareLine]:
    count = draw(st.integers(min_value=1, max_value=30))
    start = dt.date(2025, 1, 1)
    offsets = sorted(draw(st.lists(st.integers(min_value=0, max_value=2 * 365), min_size=count, max_size=count)))
    lines = []
    for index, offset in enumerate(offsets):
        charged = draw(money)
        other = draw(st.decimals(min_value=Decimal(0), max_value=charged, places=2)) if draw(st.booleans()) else ZERO
        lines.append(
            CareLine(
                id=str(index),
                member=draw(st.sampled_from(["a", "s"])),
                date=start + dt.timedelta(days=offset),
                benefit=draw(st.sampled_from(PLAN.benefits)).code,
                charged=charged,
                other_paid=other,
                country=draw(st.sampled_from(COUNTRIES)),
                flags=frozenset(draw(st.lists(st.sampled_from(sorted(ZONE_FLAGS)), max_size=3))),
            )
        )
    return lines


@SETTINGS
@given(households(), care_lines(), st.decimals(min_value=Decimal(0), max_value=Decimal("1000000"), places=2))
def test_never_more_than_the_member_paid_and_the_parts_add_up(
    household: Household, lines: list[CareLine], already: Decimal
) -> None:
    # Part of the overall limit already used this year by the member, to reach it in some examples.
    counters = Counters((Usage("overall", "a", "", dt.date(2025, 1, 1), already, 0, "before"),))
    adjudication = Engine(PLAN).adjudicate(household, lines, counters)
    paid_per_person_year: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    for line, result in zip(lines, adjudication.lines, strict=True):
        benefit = PLAN.benefit(line.benefit)
        assert benefit is not None
        # Nothing negative, everything to the cent, the parts make the amount charged.
        for amount in (result.deductible, result.coinsurance, result.out_of_pocket, result.paid_by_plan):
            assert amount >= 0 and amount == cents(amount)
        assert result.am_paid == ZERO
        assert result.other_paid + result.paid_by_plan + result.out_of_pocket == line.charged
        # Never more than what the member paid after the other insurer, less deductible and coinsurance.
        after_other = line.charged - line.other_paid
        assert result.paid_by_plan <= after_other - result.deductible - result.coinsurance
        # The zone rule: outside every condition, nothing is paid and nothing is borne as deductible.
        member = household.member(line.member)
        assert member is not None
        decision = zone_decision(PLAN, country=line.country, duty_station=member.duty_station, flags=line.flags)
        assert result.outside_zone is (not decision.covered)
        if not decision.covered:
            assert result.paid_by_plan == result.deductible == result.coinsurance == ZERO
        elif benefit.coinsurance is not None:
            expected = cents((after_other - result.deductible) * benefit.coinsurance / HUNDRED)
            assert result.coinsurance == expected
        paid_per_person_year[(line.member, line.date.year)] += result.paid_by_plan
    # The overall annual limit per person holds, whatever the order of care.
    for (person, year), paid in paid_per_person_year.items():
        before = already if (person, year) == ("a", 2025) else ZERO
        assert before + paid <= max(LIMIT, before)
