"""The death and disability capital cases of engine/tests/capital_cases/*.yaml, one test each.

A case file names a ``plan`` and lists ``cases``. A case gives either ``death`` (``birth_date``,
``death_date``, ``natural_causes``, ``repatriation_cost``) or ``disability`` (``degree``), may
change the plan's capital section with ``capital`` (merged into it, to reach a rule the shipped
figures never reach), and expects either the amounts (``capital``, ``repatriation``, ``total``,
``currency``) with ``explain_fr`` / ``explain_en`` fragments, or ``error``: a fragment of the
``CapitalError``. Amounts are written as strings, to the cent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import get_plan
from engine.capital import CapitalError, CapitalResult, death_capital, disability_capital
from engine.messages import render
from engine.plan import Plan
from engine.plan_sections import Capital

CASES_DIR = Path(__file__).parent / "capital_cases"
AMOUNTS = ("capital", "repatriation", "total")
EXPECTED_KEYS = {*AMOUNTS, "currency", "explain_fr", "explain_en", "error"}


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(document["plan"], case, id=f"{path.stem}: {case['name']}"))
    return params


def _merged(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in change.items():
        merged[key] = _merged(base[key], value) if isinstance(value, dict) else value
    return merged


def _plan(code: str, capital_change: dict[str, Any] | None) -> Plan:
    plan = get_plan(code)
    if capital_change is None:
        return plan
    capital = Capital.model_validate(_merged(plan.capital.model_dump(mode="json"), capital_change))
    return plan.model_copy(update={"capital": capital})


def _compute(plan: Plan, case: dict[str, Any]) -> CapitalResult:
    if "death" in case:
        death = case["death"]
        return death_capital(
            plan,
            birth_date=death["birth_date"],
            death_date=death["death_date"],
            natural_causes=death["natural_causes"],
            repatriation_cost=Decimal(death.get("repatriation_cost", "0")),
        )
    return disability_capital(plan, degree=Decimal(case["disability"]["degree"]))


@pytest.mark.parametrize(("plan_code", "case"), _cases())
def test_capital_case(plan_code: str, case: dict[str, Any]) -> None:
    expect = case["expect"]
    assert expect and set(expect) <= EXPECTED_KEYS, f"unknown or no expectations: {sorted(expect)}"
    plan = _plan(case.get("plan", plan_code), case.get("capital"))
    if "error" in expect:
        with pytest.raises(CapitalError, match=expect["error"]):
            _compute(plan, case)
        return
    result = _compute(plan, case)
    for key in AMOUNTS:
        if key in expect:
            assert isinstance(expect[key], str), f"write {key} as a string"
            assert f"{getattr(result, key):.2f}" == expect[key], key
    if "currency" in expect:
        assert result.currency == expect["currency"]
    for lang in ("fr", "en"):
        text = "\n".join(render(message, lang, result.currency) for message in result.explanation)
        wanted = expect.get(f"explain_{lang}", [])
        for fragment in [wanted] if isinstance(wanted, str) else wanted:
            assert fragment in text.replace("\u00a0", " ").replace("\u202f", " "), f"{fragment!r} not in {text!r}"


def test_every_capital_case_file_is_collected() -> None:
    assert len(_cases()) >= 14


def test_a_disability_already_paid_in_part_is_owed_the_difference_and_says_so():
    from decimal import Decimal

    from engine import get_plan
    from engine.capital import disability_capital

    plan = get_plan("intl-staff")
    result = disability_capital(plan, degree=Decimal("100"), already_paid=Decimal("14000.00"))
    assert (result.capital, result.total) == (Decimal("26000.00"), Decimal("26000.00"))
    assert [message.key for message in result.explanation][-1] == "capital.disability_already_paid"
    assert disability_capital(plan, degree=Decimal("35"), already_paid=Decimal("40000")).total == 0
