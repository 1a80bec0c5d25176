"""Deciding care lines: one pure, batch-first function for every channel.

An online claim hands over its items (a batch of one claim), an AM file a chunk of 2,000 lines, a
hospital an invoice of N lines. ``decide_lines`` reads nothing and writes nothing: the channel gives
the lines with what it knows of them, the households and their counters as values; it gets one
``Decision`` per line, in the same order, and hands them to the one writer
(``mutua.benefits.decisions.decisions_write``).

Each household's lines go to the engine in one call, in date order, so that caps and counts are
consumed in the order the care happened and the household's tally is built once, not per line.
"""

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from engine import AdjudicationError, CareLine, Counters, Household, LineResult
from mutua.benefits.adapter import engine_for
from mutua.benefits.reasons import Limits, LineFacts, review_reasons

# A decided line's status and the refusal the pipeline itself makes, as claim items name them.
ACCEPTED, IN_REVIEW, REJECTED = "accepted", "in_review", "rejected"
DUPLICATE = "duplicate"
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Earlier:
    """The same care already sent (an item not refused): paid, it must not be paid again; otherwise a
    handler compares the two."""

    item_id: int
    paid: bool
    text: str  # where it was reimbursed, in the member's words


@dataclass(frozen=True, slots=True)
class Line:
    """A care line to decide: its engine input, its facts for the review table, and what the channel
    already knows of it. Money is in the plan's currency (``benefits.money``)."""

    care: CareLine
    household: int  # the subscriber's id: lines of one household share its counters
    plan_code: str
    tiers: tuple[str, ...]
    facts: LineFacts | None  # None only for a line its channel refused
    earlier: Earlier | None = None
    refusal: tuple[str, str] | None = None  # refused by its channel before any rule: (reason code, text)
    ceiling: Hashable | None = None  # the key of the most its group may pay without a handler (``ceilings``)


@dataclass(frozen=True, slots=True)
class Decision:
    line: Line
    status: str
    reasons: tuple[str, ...] = ()
    rejection: tuple[str, str] | None = None  # (reason code, text)
    result: LineResult | None = None
    set_aside: bool = False  # above its ceiling: waits for a handler apart from the rest

    @property
    def paid(self) -> Decimal:
        return sum((tier.paid for tier in self.result.tiers), ZERO) if self.result else ZERO


def decide_lines(
    lines: Sequence[Line],
    *,
    households: Mapping[int, Household],
    counters: Mapping[int, Counters],
    limits: Limits,
    ceilings: Mapping[Hashable, Decimal] | None = None,
) -> list[Decision]:
    """One decision per line, in the order given.

    A line is refused when its channel refused it or the same care is already paid; it waits for a
    handler when the review table gives reasons, when the engine cannot compute it, or when it would
    take its group above its ceiling (lines are paid in date order until the ceiling is reached);
    otherwise it is accepted at the engine's amounts.
    """
    decisions: list[Decision | None] = [None] * len(lines)
    to_engine: dict[int, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if line.refusal is not None:
            decisions[index] = Decision(line, REJECTED, rejection=line.refusal)
        elif line.earlier is not None and line.earlier.paid:
            decisions[index] = Decision(line, REJECTED, rejection=(DUPLICATE, line.earlier.text))
        elif why := review_reasons(line.facts, limits):
            decisions[index] = Decision(line, IN_REVIEW, reasons=tuple(why))
        else:
            to_engine[line.household].append(index)
    for household, indexes in to_engine.items():
        indexes.sort(key=lambda index: (lines[index].care.date, index))
        decided = _household_decisions(
            [lines[index] for index in indexes],
            household=households[household],
            history=counters.get(household, Counters()),
            ceilings=ceilings or {},
        )
        for index, decision in zip(indexes, decided, strict=True):
            decisions[index] = decision
    return decisions  # type: ignore[return-value]  # every index is filled above


def _household_decisions(
    lines: list[Line], *, household: Household, history: Counters, ceilings: Mapping[Hashable, Decimal]
) -> list[Decision]:
    """A household's lines, in date order. A line the engine cannot compute, or that would pass its
    ceiling, waits for a handler and the others are computed again without it: what it would have
    consumed of the counters is never taken from the lines after it."""
    waiting: dict[int, Decision] = {}
    while True:
        computing = [index for index in range(len(lines)) if index not in waiting]
        try:
            results = _adjudicate([lines[index] for index in computing], household, history)
        except AdjudicationError as error:
            failed = next(index for index in computing if lines[index].care.id == error.line_id)
            waiting[failed] = Decision(lines[failed], IN_REVIEW, reasons=("engine_error",))
            continue
        accepted = {
            index: Decision(lines[index], ACCEPTED, result=result)
            for index, result in zip(computing, results, strict=True)
        }
        over = _first_over_ceiling([accepted[index] for index in computing], ceilings)
        if over is None:
            return [waiting.get(index) or accepted[index] for index in range(len(lines))]
        failed = computing[over]
        waiting[failed] = Decision(lines[failed], IN_REVIEW, reasons=("over_guarantee",), set_aside=True)


def _adjudicate(lines: list[Line], household: Household, history: Counters) -> list[LineResult]:
    """One engine call per run of lines under the same plan and tiers (nearly always one), the
    counters of each run following on from the runs before it."""
    results: list[LineResult] = []
    for (plan_code, tiers), run in groupby(lines, key=lambda line: (line.plan_code, line.tiers)):
        adjudication = engine_for(plan_code, tiers).adjudicate(household, [line.care for line in run], history)
        results.extend(adjudication.lines)
        history = adjudication.counters
    return results


def _first_over_ceiling(decisions: list[Decision], ceilings: Mapping[Hashable, Decimal]) -> int | None:
    paid: dict[Hashable, Decimal] = defaultdict(lambda: ZERO)
    for position, decision in enumerate(decisions):
        key = decision.line.ceiling
        if key is None or key not in ceilings:
            continue
        paid[key] += decision.paid
        if paid[key] > ceilings[key]:
            return position
    return None
