"""The ``simulate`` format: a JSON document in, a JSON document out.

Input (see docs/engine.md)::

    {"plan": "fr-base-surco",
     "household": {"members": [{"id": "a", "role": "member", "birth_date": "1980-05-02"}]},
     "counters": [],                     # optional: usages already recorded
     "lines": [{"id": "1", "member": "a", "date": "2022-01-01", "benefit": "care.gp",
                "charged": "43.36", "br": "23.00", "mr": "15.10", "quantity": 1,
                "flags": ["dptm"], "attributes": {"side": "right"}, "parts": {"frame": "150"}}]}

Amounts are strings (or integers), never floats. Output amounts are strings with two
decimals. Bad input raises ``SimulationError`` whose message names the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from engine.adjudicate import AdjudicationError, Engine
from engine.messages import explain
from engine.model import (
    Adjudication,
    CareLine,
    Counters,
    Household,
    LineResult,
    Member,
    Usage,
)
from engine.money import fmt, parse_money
from engine.parameters import ParameterNotInForce, Parameters
from engine.plan import Plan, get_plan
from engine.vocabulary import ATTRIBUTES, LINE_FLAGS


class SimulationError(ValueError):
    """Invalid simulation input; the message names the field."""


def _money(value: object) -> Decimal:
    return parse_money(value, field="amount")


def _rate(value: object) -> Decimal:
    rate = parse_money(value, field="rate") if not isinstance(value, str) else Decimal(value)
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValueError('a rate is between 0 and 1 (e.g. "0.70")')
    return rate


def _strict_date(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise ValueError(f"{value!r} is not a date YYYY-MM-DD")


Money = Annotated[Decimal, BeforeValidator(_money)]
Rate = Annotated[Decimal, BeforeValidator(_rate)]
Day = Annotated[dt.date, BeforeValidator(_strict_date)]


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


Language = Literal["fr", "en", "es", "ar"]  # engine.catalogue.LANGUAGES


def _all_languages() -> list[Language]:
    return ["fr", "en", "es", "ar"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberIn(_In):
    id: str = Field(min_length=1)
    role: str = "member"
    birth_date: Day
    duty_station: str = Field(default="", pattern=r"^([A-Z]{2})?$")


class HouseholdIn(_In):
    members: list[MemberIn] = Field(min_length=1)


class LineIn(_In):
    id: str = Field(min_length=1)
    member: str = Field(min_length=1)
    date: Day
    benefit: str = Field(min_length=1)
    charged: Money
    br: Money | None = None
    mr: Money | None = None
    deductions: Money | None = None
    plv: Money | None = None
    am_rate: Rate | None = None
    quantity: int = Field(default=1, ge=1, le=1000, strict=True)
    flags: list[str] = Field(default_factory=list)
    attributes: dict[str, Annotated[list[str], BeforeValidator(_as_list)]] = Field(default_factory=dict)
    parts: dict[str, Money] = Field(default_factory=dict)
    other_paid: Money = Decimal(0)
    country: str = Field(default="", pattern=r"^([A-Z]{2})?$")


class UsageIn(_In):
    counter: str
    scope: str
    slot: str = ""
    date: Day
    amount: Money = Decimal("0.00")
    count: int = Field(default=0, ge=0)
    line_id: str = ""


class SimulationIn(_In):
    plan: str
    household: HouseholdIn
    lines: list[LineIn] = Field(min_length=1)
    counters: list[UsageIn] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=_all_languages)


def _loc(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def parse_simulation(document: Any) -> tuple[SimulationIn, Household, list[CareLine], Counters]:
    if not isinstance(document, dict):
        raise SimulationError("(document): expected a JSON object")
    try:
        data = SimulationIn.model_validate(document)
    except ValidationError as error:
        problems = [f"{_loc(item['loc'])}: {item['msg'].removeprefix('Value error, ')}" for item in error.errors()]
        raise SimulationError("\n".join(problems)) from None
    ids = [m.id for m in data.household.members]
    for index, member_id in enumerate(ids):
        if ids.index(member_id) != index:
            raise SimulationError(f"household.members[{index}].id: duplicate id '{member_id}'")
    household = Household(tuple(Member(m.id, m.birth_date, m.role, m.duty_station) for m in data.household.members))
    lines: list[CareLine] = []
    previous: dt.date | None = None
    seen: set[str] = set()
    for index, item in enumerate(data.lines):
        at = f"lines[{index}]"
        if item.id in seen:
            raise SimulationError(f"{at}.id: duplicate line id '{item.id}'")
        seen.add(item.id)
        if item.member not in ids:
            raise SimulationError(f"{at}.member: '{item.member}' is not in household.members")
        if previous is not None and item.date < previous:
            raise SimulationError(
                f"{at}.date: lines must be in date order ({item.date.isoformat()} comes after {previous.isoformat()})"
            )
        previous = item.date
        for flag in item.flags:
            if flag not in LINE_FLAGS:
                raise SimulationError(f"{at}.flags: unknown flag '{flag}' (known: {', '.join(sorted(LINE_FLAGS))})")
        for name, values in item.attributes.items():
            if name not in ATTRIBUTES:
                raise SimulationError(
                    f"{at}.attributes.{name}: unknown attribute (known: {', '.join(sorted(ATTRIBUTES))})"
                )
            if not values or len(values) > 2 or (len(values) == 2 and name != "lens_class"):
                raise SimulationError(f"{at}.attributes.{name}: give one value (two only for lens_class)")
        if item.mr is not None and item.mr > item.charged:
            raise SimulationError(f"{at}.mr: the AM cannot pay more than the amount charged")
        if item.other_paid > item.charged - (item.mr or Decimal(0)):
            raise SimulationError(f"{at}.other_paid: another insurer cannot pay more than remains after the AM")
        if sum(item.parts.values(), Decimal(0)) > item.charged:
            raise SimulationError(f"{at}.parts: parts add up to more than the amount charged")
        lines.append(
            CareLine(
                id=item.id,
                member=item.member,
                date=item.date,
                benefit=item.benefit,
                charged=item.charged,
                br=item.br,
                mr=item.mr,
                deductions=item.deductions,
                plv=item.plv,
                am_rate=item.am_rate,
                quantity=item.quantity,
                flags=frozenset(item.flags),
                attributes={k: tuple(v) for k, v in item.attributes.items()},
                parts=dict(item.parts),
                other_paid=item.other_paid,
                country=item.country,
            )
        )
    counters = Counters(
        tuple(Usage(u.counter, u.scope, u.slot, u.date, u.amount, u.count, u.line_id) for u in data.counters)
    )
    return data, household, lines, counters


def usage_json(usage: Usage) -> dict[str, Any]:
    return {
        "counter": usage.counter,
        "scope": usage.scope,
        "slot": usage.slot,
        "date": usage.on.isoformat(),
        "amount": fmt(usage.amount),
        "count": usage.count,
        "line_id": usage.line_id,
    }


def line_json(result: LineResult, languages: list[str], plan: Plan | None = None) -> dict[str, Any]:
    return {
        "id": result.line_id,
        "member": result.member,
        "date": result.date.isoformat(),
        "benefit": result.benefit,
        "charged": fmt(result.charged),
        "br": fmt(result.br),
        "am_paid": fmt(result.am_paid),
        "am_estimated": result.am_estimated,
        "other_paid": fmt(result.other_paid),
        "tm": fmt(result.tm),
        "non_reimbursable": fmt(result.non_reimbursable),
        "deductible": fmt(result.deductible),
        "coinsurance": fmt(result.coinsurance),
        "outside_zone": result.outside_zone,
        "tiers": {
            t.tier: {"paid": fmt(t.paid), "maximum": fmt(t.maximum), "rule": t.rule, "caps_hit": list(t.caps_hit)}
            for t in result.tiers
        },
        "paid_by_plan": fmt(result.paid_by_plan),
        "out_of_pocket": fmt(result.out_of_pocket),
        "explanation": {lang: explain(result, lang, plan) for lang in languages},
    }


def run_simulation(document: Any, plan: Plan | None = None, parameters: Parameters | None = None) -> dict[str, Any]:
    data, household, lines, counters = parse_simulation(document)
    if plan is None:
        try:
            plan = get_plan(data.plan)
        except KeyError as error:
            raise SimulationError(f"plan: {error.args[0]}") from None
    try:
        adjudication: Adjudication = Engine(plan, parameters).adjudicate(household, lines, counters)
    except AdjudicationError as error:
        index = next(i for i, line in enumerate(lines) if line.id == error.line_id)
        raise SimulationError(f"lines[{index}].{error.field}: {error.detail}") from None
    except ParameterNotInForce as error:
        raise SimulationError(f"lines: {error}") from None
    return {
        "plan": plan.code,
        "currency": plan.currency,
        "lines": [line_json(r, list(data.languages), plan) for r in adjudication.lines],
        "counters": [usage_json(u) for u in adjudication.usages],
    }
