"""Plans as YAML data, validated on load with pydantic.

A plan lists its tiers (applied in order, each on what remains) and its benefits. Each
benefit says how the AM treats the care (``am``: the AM-rate key, or ``none``) and, per
tier, an ordered list of rules: the first rule whose ``when`` matches the line applies.
See docs/engine.md for the vocabulary; the seed contract is
``engine/data/plans/fr-base-surco.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from engine.formula import Formula, FormulaError, parse_formula
from engine.parameters import Parameters, default_parameters
from engine.plan_checks import semantic_problems
from engine.plan_sections import Capital, FamilyChanges, Hospital, Label, Section, Share, Zones
from engine.vocabulary import ATTRIBUTES, BOOLEAN_FACTS, DEDUCTIONS, UNITS

PLANS_DIR = Path(__file__).resolve().parent / "data" / "plans"


class PlanError(ValueError):
    """A plan file is invalid; the message names the file, the row and the problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _formula(value: object) -> Formula:
    if isinstance(value, Formula):
        return value
    try:
        return parse_formula(value)
    except FormulaError as error:
        raise ValueError(str(error)) from None


FormulaField = Annotated[Formula, BeforeValidator(_formula)]


def _listify(value: object) -> object:
    if isinstance(value, str):
        return [value]
    return value


StrList = Annotated[tuple[str, ...], BeforeValidator(_listify)]


def _private(model: BaseModel) -> dict[str, Any]:
    """Private attributes without pydantic's slow ``__getattr__`` (hot path)."""
    private = model.__pydantic_private__
    assert private is not None
    return private


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Condition(_Frozen):
    """All given tests must hold (an absent test is not checked)."""

    age_under: int | None = Field(default=None, ge=0)
    age_from: int | None = Field(default=None, ge=0)
    dptm: bool | None = None
    conventionne: bool | None = None
    network: bool | None = None
    ald: bool | None = None
    accident: bool | None = None
    psychiatry: bool | None = None
    vision_change: bool | None = None
    suicide: bool | None = None
    single_am_device: bool | None = None
    maternity: bool | None = None
    outside_pathway: bool | None = None
    basket: StrList | None = None
    lens_class: StrList | None = None
    side: StrList | None = None
    vision: StrList | None = None
    first_of: str | None = Field(default=None, description="true when the named counter has never been used")

    _test: tuple[Any, ...] = PrivateAttr(default=())
    _described: tuple[tuple[str, object], ...] = PrivateAttr(default=())

    def model_post_init(self, __context: Any) -> None:
        bools = tuple((name, value) for name in BOOLEAN_FACTS if (value := getattr(self, name)) is not None)
        attrs = tuple(
            (name, frozenset(value)) for name in sorted(ATTRIBUTES) if (value := getattr(self, name)) is not None
        )
        # Compiled once; read through __pydantic_private__ (a slot) on the hot path.
        self._test = (self.age_under, self.age_from, bools, attrs, self.first_of is not None)
        described: list[tuple[str, object]] = []
        if self.age_under is not None:
            described.append(("age_under", self.age_under))
        if self.age_from is not None:
            described.append(("age_from", self.age_from))
        described.extend(bools)
        described.extend((name, "/".join(sorted(values))) for name, values in attrs)
        if self.first_of is not None:
            described.append(("first_of", self.first_of))
        self._described = tuple(described)

    def matches(
        self,
        facts: frozenset[str],
        attributes: Mapping[str, str],
        age: int,
        first_of: bool | None = None,
    ) -> bool:
        age_under, age_from, bools, attrs, has_first = _private(self)["_test"]
        if age_under is not None and age >= age_under:
            return False
        if age_from is not None and age < age_from:
            return False
        for name, expected in bools:
            if (name in facts) is not expected:
                return False
        for name, allowed in attrs:
            if attributes.get(name) not in allowed:
                return False
        return not (has_first and first_of is False)

    def describe(self) -> tuple[tuple[str, object], ...]:
        """(fact, expected) pairs, for explanations."""
        described: tuple[tuple[str, object], ...] = _private(self)["_described"]
        return described


class Period(_Frozen):
    """``calendar_year``, ``lifetime`` or a rolling window of months."""

    kind: Literal["calendar_year", "lifetime", "rolling"]
    months: int = 0


def _period(value: object) -> object:
    if isinstance(value, str):
        if value in {"calendar_year", "lifetime"}:
            return {"kind": value}
        raise ValueError("period must be 'calendar_year', 'lifetime', {rolling_years: N} or {rolling_months: N}")
    if isinstance(value, dict) and len(value) == 1:
        ((key, number),) = value.items()
        if key in {"rolling_years", "rolling_months"} and isinstance(number, int) and number > 0:
            return {"kind": "rolling", "months": number * 12 if key == "rolling_years" else number}
    if isinstance(value, Period):
        return value
    raise ValueError("period must be 'calendar_year', 'lifetime', {rolling_years: N} or {rolling_months: N}")


PeriodField = Annotated[Period, BeforeValidator(_period)]


class CounterSpec(_Frozen):
    scope: Literal["beneficiary", "household"]
    label: Label


class Cap(_Frozen):
    """An amount cap on what a tier pays, shared by every rule using the same counter."""

    counter: str
    amount: FormulaField
    period: PeriodField
    by: StrList = ()
    unless: Condition | None = None
    beyond: FormulaField | None = None


class Limit(_Frozen):
    """A count of units (sessions, days, equipments…) per period; applies to all tiers."""

    counter: str
    count: int | None = Field(default=None, ge=0)  # None: only track the counter
    period: PeriodField
    by: StrList = ()
    when: Condition | None = None


class Rule(_Frozen):
    when: Condition | None = None
    pay: FormulaField
    limit: FormulaField | None = None
    minimum: FormulaField | None = None
    per: Literal[UNITS] | None = None  # type: ignore[valid-type]
    caps: tuple[Cap, ...] = ()
    part_limits: dict[str, FormulaField] = Field(default_factory=dict)


class BrDefault(_Frozen):
    """The base when the line gives none: a tariff parameter, or the amount charged itself for
    care billed at the regulated tariff (no overrun allowed: medicines, laboratory…)."""

    when: Condition | None = None
    parameter: str | None = None
    charged: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> BrDefault:
        if (self.parameter is None) == (not self.charged):
            raise ValueError("br_default needs exactly one of `parameter` or `charged: true`")
        return self


class Benefit(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    label: Label
    section: str
    source: str = Field(min_length=1, description="where the row sits in the contract")
    am: str = Field(description="AM-rate parameter suffix (am_rate.<am>), or 'none'")
    deductions: tuple[Literal[DEDUCTIONS], ...] = ()  # type: ignore[valid-type]
    heavy_act: bool = False
    br_default: tuple[BrDefault, ...] = ()
    average_over: Literal["lens_class"] | None = None
    requires: tuple[Literal[tuple(sorted(ATTRIBUTES))], ...] = ()  # type: ignore[valid-type]
    allowance: bool = Field(
        default=False,
        description="a lump sum (e.g. birth allowance) paid whatever the amount charged",
    )
    limits: tuple[Limit, ...] = ()
    # Plans without a national scheme: the member bears the first part of each care line
    # (the deductible, per event), then a share of the rest (coinsurance, %), before any tier pays.
    deductible: FormulaField | None = None
    coinsurance: Share | None = None
    tiers: dict[str, tuple[Rule, ...]]


class Tier(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    responsable: bool = False


class AnnualLimit(_Frozen):
    """An overall limit on what the plan pays per person (or household) and period, all benefits together."""

    counter: str
    amount: FormulaField
    period: PeriodField


class Plan(_Frozen):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: Label
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    # The national scheme paying first (engine/schemes/<am>.py); "none": the plan pays from the first euro.
    am: Literal["fr_am", "none"]
    source: str = ""
    tiers: tuple[Tier, ...] = Field(min_length=1)
    counters: dict[str, CounterSpec] = Field(default_factory=dict)
    benefits: tuple[Benefit, ...] = Field(min_length=1)
    sections: dict[str, Section] = Field(default_factory=dict)
    annual_limit: AnnualLimit | None = None
    zones: Zones | None = None
    capital: Capital | None = None
    hospital: Hospital | None = None
    family_changes: FamilyChanges | None = None  # None: the plan takes no household event online

    @property
    def has_national_scheme(self) -> bool:
        return self.am != "none"

    _by_code: dict[str, Benefit] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._by_code = {b.code: b for b in self.benefits}

    def benefit(self, code: str) -> Benefit | None:
        found: Benefit | None = _private(self)["_by_code"].get(code)
        return found


# ---------------------------------------------------------------------------------------
# Loading with errors that name the file, the row (line number) and the problem.


class _LineLoader(yaml.SafeLoader):
    pass


def _node_at(root: yaml.Node | None, loc: Sequence[object]) -> yaml.Node | None:
    node = root
    best = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    found = value_node
                    break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        best = node
    return best


def _where(file: str, root: yaml.Node | None, document: Any, loc: Sequence[object]) -> str:
    node = _node_at(root, loc)
    line = f":{node.start_mark.line + 1}" if node is not None else ""
    row = ""
    if len(loc) >= 2 and loc[0] == "benefits" and isinstance(loc[1], int):
        try:
            code = document["benefits"][loc[1]].get("code", "?")
        except (KeyError, IndexError, TypeError, AttributeError):
            code = "?"
        row = f" benefit '{code}' (benefits[{loc[1]}])"
        loc = loc[2:]
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return f"{file}{line}:{row} {path}".rstrip()


def parse_plan(text: str, file: str, parameters: Parameters | None = None) -> Plan:
    try:
        root = yaml.compose(text, Loader=_LineLoader)
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PlanError([f"{file}: not valid YAML: {error}"]) from None
    if not isinstance(document, dict):
        raise PlanError([f"{file}: a plan must be a YAML mapping"])
    # Top-level keys starting with "x-" only hold reusable YAML anchors.
    document = {k: v for k, v in document.items() if not str(k).startswith("x-")}
    try:
        plan = Plan.model_validate(document)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{_where(file, root, document, item['loc'])}: {message}")
        raise PlanError(problems) from None
    semantic = [
        f"{_where(file, root, document, loc)}: {message}" for loc, message in semantic_problems(plan, parameters)
    ]
    if semantic:
        raise PlanError(semantic)
    return plan


def load_plan(path: Path | str, parameters: Parameters | None = None) -> Plan:
    file = Path(path)
    return parse_plan(
        file.read_text(encoding="utf-8"), str(file), parameters if parameters is not None else default_parameters()
    )


def plan_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or PLANS_DIR).glob("*.yaml"))


@lru_cache(maxsize=32)
def get_plan(code: str) -> Plan:
    """The shipped plan with this code (file ``engine/data/plans/<code>.yaml``)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", code):
        raise KeyError(f"no plan '{code}'")
    file = PLANS_DIR / f"{code}.yaml"
    if not file.exists():
        known = ", ".join(p.stem for p in plan_files())
        raise KeyError(f"no plan '{code}' (known plans: {known})")
    plan = load_plan(file)
    if plan.code != code:
        raise PlanError([f"{file}: code '{plan.code}' does not match the file name"])
    return plan


def list_plans() -> list[Plan]:
    return [get_plan(p.stem) for p in plan_files()]


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A rule and where it sits, for explanations (``care.gp/base#2``)."""

    benefit: str
    tier: str
    index: int

    def __str__(self) -> str:
        return f"{self.benefit}/{self.tier}#{self.index + 1}"
