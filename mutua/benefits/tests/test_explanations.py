"""The sentences of a decided line are rendered once per distinct result: a line served from that memo
reads exactly as if it had been rendered for itself."""

import random
from datetime import date
from decimal import Decimal

from engine import AdjudicationError, Household, get_plan
from engine import Member as EngineMember
from mutua.benefits import adapter

PLAN = "fr-base-surco"


def _results():
    """Results over every benefit of the plan at a few amounts and AM rates, in a shuffled order so that
    identical results (same care for another line id) follow different ones."""
    plan = get_plan(PLAN)
    engine = adapter.engine_for(PLAN, tuple(tier.code for tier in plan.tiers))
    household = Household((EngineMember("m1", date(1980, 5, 1), "member"),))
    lines = []
    for benefit in plan.benefits:
        for amount, br in (("30.00", "26.50"), ("30.00", "30.00"), ("95.40", "23.00"), ("6.9", "6.9")):
            for copy in range(2):
                lines.append(
                    adapter.care_line_of(
                        line_id=f"{benefit.code}-{amount}-{br}-{copy}",
                        person="m1",
                        on=date(2026, 3, 2 + copy),
                        benefit_code=benefit.code,
                        amount=Decimal(amount),
                        br=Decimal(br),
                    )
                )
    random.Random(7).shuffle(lines)
    results = []
    for line in lines:
        try:
            results.append(engine.adjudicate(household, [line]).lines[0])
        except AdjudicationError:  # a benefit needing more facts (a quantity, a basket) is not this test's
            continue
    return results


def test_a_result_served_from_the_memo_reads_as_its_own_rendering() -> None:
    adapter._EXPLANATIONS.clear()
    results = _results()
    assert len(results) > 200
    for result in results:
        assert adapter.explanations(result, plan_code=PLAN) == adapter._render(result, PLAN)
    # The same care for another line or day is said once: the memo holds fewer entries than lines.
    assert len(adapter._EXPLANATIONS) < len(results)


def test_results_that_read_differently_are_never_confused() -> None:
    adapter._EXPLANATIONS.clear()
    texts: dict[tuple, dict[str, list[str]]] = {}
    for result in _results():
        rendered = adapter._render(result, PLAN)
        key = adapter._what_is_said(result, PLAN)
        assert texts.setdefault(key, rendered) == rendered
