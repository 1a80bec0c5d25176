"""Hypothesis property tests over random households, care lines and counters."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.adjudicate import Engine
from engine.model import CareLine, Household, LineResult, Member
from engine.money import ZERO
from engine.parameters import default_parameters
from engine.plan import Benefit, get_plan
from engine.tally import add_months as _add_months

PLAN = get_plan("fr-base-surco")
ENGINE = Engine(PLAN)
PARAMETERS = default_parameters()
HOUSEHOLD = Household(
    (
        Member("a", dt.date(1975, 4, 2), "member"),
        Member("s", dt.date(1990, 11, 30), "spouse"),
        Member("c", dt.date(2015, 6, 1), "child"),
    )
)
FLAGS = [
    "dptm",
    "non_conventionne",
    "network",
    "ald",
    "accident",
    "psychiatry",
    "vision_change",
    "suicide",
    "single_am_device",
    "outside_pathway",
]
NEEDS_SIDE = {b.code for b in PLAN.benefits if "side" in b.requires}
NEEDS_LENS = {b.code for b in PLAN.benefits if "lens_class" in b.requires}

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("3000"), places=2)


@st.composite
def care_line(draw: st.DrawFn, index: int, day: dt.date) -> CareLine:
    benefit: Benefit = draw(st.sampled_from(PLAN.benefits))
    charged = draw(money)
    br = draw(st.one_of(st.none(), money)) if benefit.am != "none" else None
    # A base must be given unless the plan has one for every case (a default without condition).
    if benefit.am != "none" and br is None and not any(default.when is None for default in benefit.br_default):
        br = draw(money)
    mr = None
    if br is not None and draw(st.booleans()):
        mr = draw(st.decimals(min_value=Decimal(0), max_value=min(br, charged), places=2))
    other_paid = Decimal("0.00")
    if (mr is not None or benefit.am == "none") and draw(st.booleans()):  # another insurer's statement
        other_paid = draw(st.decimals(min_value=Decimal(0), max_value=charged - (mr or 0), places=2))
    attributes: dict[str, tuple[str, ...]] = {}
    if benefit.code in NEEDS_SIDE:
        attributes["side"] = (draw(st.sampled_from(["left", "right"])),)
    if benefit.code in NEEDS_LENS:
        attributes["lens_class"] = tuple(
            draw(st.lists(st.sampled_from(["simple", "complex", "very_complex"]), min_size=1, max_size=2))
        )
    if draw(st.booleans()):
        attributes["basket"] = (draw(st.sampled_from(["100_sante", "maitrise", "libre"])),)
    parts = {}
    if benefit.code == "optical.equipment" and draw(st.booleans()):
        parts["frame"] = draw(st.decimals(min_value=Decimal(0), max_value=charged, places=2))
    return CareLine(
        id=str(index),
        member=draw(st.sampled_from(["a", "s", "c"])),
        date=day,
        benefit=benefit.code,
        charged=charged,
        br=br,
        mr=mr,
        plv=draw(st.one_of(st.none(), money)),
        quantity=draw(st.integers(min_value=1, max_value=8)),
        flags=frozenset(draw(st.lists(st.sampled_from(FLAGS), max_size=3))),
        attributes=attributes,
        parts=parts,
        other_paid=other_paid,
    )


@st.composite
def care_lines(draw: st.DrawFn, max_size: int = 25) -> list[CareLine]:
    count = draw(st.integers(min_value=1, max_value=max_size))
    start = dt.date(2022, 1, 1)
    offsets = sorted(draw(st.lists(st.integers(min_value=0, max_value=4 * 365), min_size=count, max_size=count)))
    return [draw(care_line(i, start + dt.timedelta(days=o))) for i, o in enumerate(offsets)]


def check_amounts(line: CareLine, result: LineResult) -> None:
    benefit = PLAN.benefit(line.benefit)
    assert benefit is not None
    amounts = [
        result.am_paid,
        result.tm,
        result.non_reimbursable,
        result.out_of_pocket,
        result.br,
        *(t.paid for t in result.tiers),
        *(t.maximum for t in result.tiers),
    ]
    assert all(a >= 0 for a in amounts), result
    assert all(a == a.quantize(Decimal("0.01")) for a in amounts), result
    for tier in result.tiers:
        assert tier.paid <= tier.maximum
    if not benefit.allowance:
        # AM + another insurer + tiers + out of pocket = amount charged, to the cent.
        assert result.am_paid + result.other_paid + result.paid_by_plan + result.out_of_pocket == line.charged
        # Never beyond what the member paid after the AM and the other insurer; the non-reimbursable part stays.
        limit = line.charged - result.am_paid - result.other_paid - result.non_reimbursable
        assert result.paid_by_plan <= max(limit, Decimal("0.00"))
        # Only another insurer may have taken on some of it (the plan never does).
        assert result.out_of_pocket >= max(result.non_reimbursable - result.other_paid, Decimal("0.00"))


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@SETTINGS
@given(care_lines())
def test_amounts_are_never_negative_and_add_up(lines: list[CareLine]) -> None:
    adjudication = ENGINE.adjudicate(HOUSEHOLD, lines)
    for line, result in zip(lines, adjudication.lines, strict=True):
        check_amounts(line, result)


def _caps_and_limits() -> tuple[dict[str, set[str]], dict[str, set[tuple[int, str]]]]:
    """counter -> amount formulas (calendar-year caps); counter -> (count, period)."""
    caps: dict[str, set[str]] = defaultdict(set)
    limits: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for benefit in PLAN.benefits:
        for limit in benefit.limits:
            if limit.count is not None:
                key = limit.period.kind if limit.period.kind != "rolling" else f"rolling{limit.period.months}"
                limits[limit.counter].add((limit.count, key))
        for rules in benefit.tiers.values():
            for rule in rules:
                for cap in rule.caps:
                    caps[cap.counter].add(cap.amount.source)
    return caps, limits


CAPS, LIMITS = _caps_and_limits()


@SETTINGS
@given(care_lines(max_size=40))
def test_caps_and_counts_are_never_exceeded(lines: list[CareLine]) -> None:
    adjudication = ENGINE.adjudicate(HOUSEHOLD, lines)
    amounts: dict[tuple[str, str, str, int], Decimal] = defaultdict(lambda: ZERO)
    counts: dict[tuple[str, str, str, int], int] = defaultdict(int)
    dated: dict[tuple[str, str, str], list[tuple[dt.date, int]]] = defaultdict(list)
    for usage in adjudication.counters.usages:
        key = (usage.counter, usage.scope, usage.slot, usage.on.year)
        amounts[key] += usage.amount
        counts[key] += usage.count
        dated[key[:3]].append((usage.on, usage.count))
    for (counter, _scope, _slot, year), used in amounts.items():
        if counter not in CAPS:
            continue  # AM deductions counters
        pmss = PARAMETERS.value("pmss", dt.date(year, 1, 1))
        # The largest cap a counter can have that year (thermal cures: child 25 % PMSS).
        largest = max(_cap_value(source, pmss) for source in CAPS[counter])
        assert used <= largest, (counter, year, used, largest)
    for (counter, _scope, _slot, _year), used_count in counts.items():
        for count, period in LIMITS.get(counter, ()):
            if period == "calendar_year" and len(LIMITS[counter]) == 1:
                assert used_count <= count, (counter, used_count, count)
    for (counter, _scope, _slot), events in dated.items():
        # Rolling limits of one unit: two usages of a slot are at least the shortest
        # period apart (optical: 12 months; hearing aids: 48 months per ear).
        rolling = [
            int(p.removeprefix("rolling")) for c, p in LIMITS.get(counter, ()) if p.startswith("rolling") and c == 1
        ]
        if rolling:
            events.sort()
            for (first, _), (second, _) in itertools.pairwise(events):
                assert second >= _add_months(first, min(rolling)), (counter, events)


def _cap_value(source: str, pmss: Decimal) -> Decimal:
    if source.endswith("% PMSS"):
        return (Decimal(source.split("%")[0]) / 100 * pmss).quantize(Decimal("0.01"))
    return Decimal(source.replace("€", "").strip())


@SETTINGS
@given(care_lines(max_size=12), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2))
def test_paying_more_never_lowers_the_reimbursement(lines: list[CareLine], extra: Decimal) -> None:
    """Raising the amount charged on the last line never lowers what it is reimbursed."""
    before = ENGINE.adjudicate(HOUSEHOLD, lines).lines[-1]
    last = lines[-1]
    more = CareLine(**{**{f: getattr(last, f) for f in last.__dataclass_fields__}, "charged": last.charged + extra})
    after = ENGINE.adjudicate(HOUSEHOLD, [*lines[:-1], more]).lines[-1]
    assert after.paid_by_plan >= before.paid_by_plan, (before, after)
    # The first tier (Base) alone never pays less either.
    assert after.tiers[0].paid >= before.tiers[0].paid, (before, after)


@SETTINGS
@given(care_lines(max_size=10))
def test_adjudication_is_deterministic(lines: list[CareLine]) -> None:
    first = ENGINE.adjudicate(HOUSEHOLD, lines)
    second = Engine(PLAN).adjudicate(HOUSEHOLD, lines)
    assert first == second
