"""The Python API: formulas, messages, counters as inputs/outputs, a plan without AM."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from engine import (
    CareLine,
    Counters,
    Household,
    Member,
    adjudicate,
    explain,
    get_plan,
    load_plan,
    parse_formula,
)
from engine.catalogue import LANGUAGES
from engine.formula import FormulaError
from engine.money import cents, parse_money

HOUSEHOLD = Household((Member("a", dt.date(1980, 6, 15)), Member("c", dt.date(2012, 9, 1))))
DAY = dt.date(2022, 3, 1)


def line(benefit: str, charged: str, **extra: object) -> CareLine:
    return CareLine(
        id=str(extra.pop("id", "1")),
        member=str(extra.pop("member", "a")),
        date=extra.pop("date", DAY),  # type: ignore[arg-type]
        benefit=benefit,
        charged=Decimal(charged),
        **extra,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("TM + 100% BR", "29.90"),
        ("90% FR - MR", "74.90"),
        ("2.5% PMSS", "85.70"),
        ("2,5 % PMSS", "85.70"),
        ("420 € - MR", "404.90"),
        ("1100% BR - MR - PRIOR", "222.90"),
    ],
)
def test_formula_values(text: str, value: str) -> None:
    env = {
        "TM": Decimal("6.90"),
        "BR": Decimal("23"),
        "FR": Decimal("100"),
        "MR": Decimal("15.10"),
        "PRIOR": Decimal("15"),
        "PMSS": Decimal("3428"),
    }
    assert parse_formula(text).evaluate(env, 1) == Decimal(value)


def test_formula_unit_terms_scale_with_the_units() -> None:
    env = {"PMSS": Decimal("3428"), "FR": Decimal("100")}
    assert parse_formula("1.8% PMSS").evaluate(env, 3) == Decimal("185.10")  # 3 × 61.70
    assert parse_formula("100% FR").evaluate(env, 3) == Decimal("100.00")  # a line total


@pytest.mark.parametrize("text", ["", "TM +", "25% br", "TM TM", "+ + TM", "100% FR *2"])
def test_formula_errors(text: str) -> None:
    with pytest.raises(FormulaError):
        parse_formula(text)


def test_rounding_is_half_up_to_the_cent() -> None:
    assert cents(Decimal("339.625")) == Decimal("339.63")
    assert cents(Decimal("20.244")) == Decimal("20.24")
    assert cents(Decimal("59.125")) == Decimal("59.13")


def test_money_refuses_floats() -> None:
    with pytest.raises(ValueError, match="strings"):
        parse_money(12.5, field="charged")


def test_explanations_render_in_every_language_without_placeholders() -> None:
    plan = get_plan("fr-base-surco")
    lines = [
        line("care.gp", "43.36", br=Decimal("23.00")),
        line("prevention.psychologist", "420.00", id="2", quantity=7),
        line(
            "optical.equipment",
            "600.00",
            id="3",
            br=Decimal("0.15"),
            flags=frozenset({"network"}),
            attributes={"lens_class": ("simple", "complex")},
            parts={"frame": Decimal("150")},
        ),
        line("dental.crown_bridge", "538.70", id="4", br=Decimal("107.50"), flags=frozenset({"accident"})),
        line("care.gp", "23.00", id="5", br=Decimal("23.00"), flags=frozenset({"outside_pathway"})),
    ]
    result = adjudicate(plan, HOUSEHOLD, lines)
    for item in result.lines:
        for lang in LANGUAGES:
            text = "\n".join(explain(item, lang))
            assert not re.search(r"\{\w+\}", text), text
            assert len(text) > 50


def test_counters_are_inputs_and_outputs() -> None:
    """Adjudicating in two runs with the returned counters equals one run."""
    plan = get_plan("fr-base-surco")
    lines = [line("prevention.osteopath", "70.00", id=str(i), date=DAY + dt.timedelta(days=i)) for i in range(8)]
    whole = adjudicate(plan, HOUSEHOLD, lines)
    first = adjudicate(plan, HOUSEHOLD, lines[:5])
    second = adjudicate(plan, HOUSEHOLD, lines[5:], first.counters)
    assert [r.tier("base").paid for r in whole.lines] == [r.tier("base").paid for r in (*first.lines, *second.lines)]
    assert sum(r.tier("base").paid for r in whole.lines) == Decimal("411.36")  # 12 % PMSS
    assert whole.counters == Counters(first.usages + second.usages)
    assert whole.counters.last_date("osteo_chiro", "a") == DAY + dt.timedelta(days=6)


def test_the_engine_does_not_assume_the_am_exists() -> None:
    plan = load_plan(Path(__file__).parent / "plans" / "intl-example.yaml")
    assert plan.currency == "USD"
    lines = [
        line("intl.outpatient", "1000.00"),
        line("intl.outpatient", "6000.00", id="2"),
        line("intl.inpatient", "30000.00", id="3", member="c"),
        line("intl.inpatient", "20000.00", id="4", date=DAY + dt.timedelta(days=200)),
        line("intl.inpatient", "5000.00", id="5", date=DAY + dt.timedelta(days=400)),
    ]
    result = adjudicate(plan, HOUSEHOLD, lines)
    paid = [r.tier("main").paid for r in result.lines]
    assert [r.am_paid for r in result.lines] == [Decimal("0.00")] * 5
    # 80 % FR within 5 000 a year; 100 % FR within 40 000 per household per rolling 12 months
    assert paid == [Decimal("800.00"), Decimal("4200.00"), Decimal("30000.00"), Decimal("10000.00"), Decimal("5000.00")]
    assert "dès le premier euro" in explain(result.lines[0], "fr")[0]
    assert "10,000.00 USD" in "\n".join(explain(result.lines[3], "en"))


def test_cancelling_a_line_gives_its_counters_back() -> None:
    plan = get_plan("fr-base-surco")
    lines = [line("prevention.psychologist", "60.00", id=str(i), date=DAY + dt.timedelta(days=i)) for i in range(7)]
    done = adjudicate(plan, HOUSEHOLD, lines)
    assert [r.tier("base").paid for r in done.lines][-1] == Decimal("0.00")  # 7th > 6/year
    again = adjudicate(plan, HOUSEHOLD, lines[-1:], done.counters.without_lines({"0"}))
    assert again.lines[0].tier("base").paid == Decimal("51.42")


@pytest.mark.parametrize(
    ("care", "field", "code"),
    [
        (line("care.gp", "30.00", id="L7", member="z"), "member", "unknown"),
        (line("care.nothing", "30.00", id="L7"), "benefit", "unknown"),
        (line("optical.equipment", "300.00", id="L7", br=Decimal("0.15")), "attributes.lens_class", "required"),
        (line("care.gp", "30.00", id="L7", mr=Decimal("31.00")), "mr", "more_than_charged"),
        (line("care.gp", "30.00", id="L7", date=dt.date(1990, 1, 1)), "date", "parameter_not_in_force"),
    ],
)
def test_an_engine_error_names_its_line_field_and_code(care: CareLine, field: str, code: str) -> None:
    """Callers act on the fields, never on the words (the message says the same for people)."""
    from engine import AdjudicationError

    with pytest.raises(AdjudicationError) as refused:
        adjudicate(get_plan("fr-base-surco"), HOUSEHOLD, [care])
    assert (refused.value.line_id, refused.value.field, refused.value.code) == ("L7", field, code)
    assert str(refused.value).startswith(f"line 'L7': {field}: ")
