"""What a plan must also satisfy beyond its schema: codes unique, counters and tiers declared, AM rates
and parameters that exist, no MR/TM in a plan without a national scheme, sections and stay costs known,
family changes each listed once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from engine.formula import Formula
from engine.parameters import Parameters
from engine.vocabulary import ATTRIBUTES

if TYPE_CHECKING:
    from engine.plan import Plan


def semantic_problems(plan: Plan, parameters: Parameters | None) -> Iterable[tuple[tuple[object, ...], str]]:
    tiers = {t.code for t in plan.tiers}
    seen: dict[str, int] = {}
    known_params = set(parameters.keys()) if parameters is not None else None
    for index, benefit in enumerate(plan.benefits):
        at: tuple[object, ...] = ("benefits", index)
        if benefit.code in seen:
            yield (*at, "code"), (f"duplicate benefit code '{benefit.code}' (also benefits[{seen[benefit.code]}])")
        seen[benefit.code] = index
        if plan.sections and benefit.section not in plan.sections:
            yield (*at, "section"), f"unknown section '{benefit.section}' (declare it under 'sections')"
        if not plan.has_national_scheme and benefit.am != "none":
            yield (*at, "am"), "this plan has no AM (am: none): use am: none"
        if plan.has_national_scheme and (benefit.deductible is not None or benefit.coinsurance is not None):
            yield (*at, "deductible"), "a deductible or coinsurance needs a plan without AM (am: none)"
        if known_params is not None and benefit.am != "none" and (f"am_rate.{benefit.am}" not in known_params):
            yield (*at, "am"), f"unknown AM rate 'am_rate.{benefit.am}' in the parameters"
        for d_index, default in enumerate(benefit.br_default):
            if known_params is not None and default.parameter is not None and default.parameter not in known_params:
                yield (*at, "br_default", d_index, "parameter"), (f"unknown parameter '{default.parameter}'")
        for l_index, limit in enumerate(benefit.limits):
            if limit.counter not in plan.counters:
                yield (
                    (*at, "limits", l_index, "counter"),
                    (f"unknown counter '{limit.counter}' (declare it under 'counters')"),
                )
            for attr in limit.by:
                if attr not in ATTRIBUTES:
                    yield (*at, "limits", l_index, "by"), f"unknown attribute '{attr}'"
        for tier_code, rules in benefit.tiers.items():
            if tier_code not in tiers:
                yield (*at, "tiers", tier_code), (f"unknown tier '{tier_code}' (the plan's tiers are {sorted(tiers)})")
            for r_index, rule in enumerate(rules):
                r_at = (*at, "tiers", tier_code, r_index)
                if (
                    rule.when is not None
                    and rule.when.first_of is not None
                    and (rule.when.first_of not in plan.counters)
                ):
                    yield (*r_at, "when", "first_of"), f"unknown counter '{rule.when.first_of}'"
                formulas: list[tuple[str, Formula]] = [("pay", rule.pay)]
                if rule.limit is not None:
                    formulas.append(("limit", rule.limit))
                if rule.minimum is not None:
                    formulas.append(("minimum", rule.minimum))
                for c_index, cap in enumerate(rule.caps):
                    formulas.append((f"caps[{c_index}].amount", cap.amount))
                    if cap.beyond is not None:
                        formulas.append((f"caps[{c_index}].beyond", cap.beyond))
                    if cap.counter not in plan.counters:
                        yield (
                            (*r_at, "caps", c_index, "counter"),
                            (f"unknown counter '{cap.counter}' (declare it under 'counters')"),
                        )
                for name, formula in rule.part_limits.items():
                    formulas.append((f"part_limits.{name}", formula))
                if not plan.has_national_scheme:
                    for name, formula in formulas:
                        if {"MR", "TM"} & {t.variable for t in formula.terms}:
                            yield (*r_at, name), (f"'{formula.source}' uses MR/TM but this plan has no AM")
                if known_params is not None:
                    for name, formula in formulas:
                        for missing in sorted(formula.parameters - known_params):
                            yield (
                                (*r_at, name),
                                (
                                    f"'{formula.source}': unknown variable '{missing.upper()}' "
                                    "(line variables: FR BR PLV MR TM PRIOR; or a parameter)"
                                ),
                            )

    if plan.annual_limit is not None and plan.annual_limit.counter not in plan.counters:
        yield (
            ("annual_limit", "counter"),
            f"unknown counter '{plan.annual_limit.counter}' (declare it under 'counters')",
        )
    if plan.hospital is not None:
        for stay_kind, costs in plan.hospital.stays.items():
            for c_index, cost in enumerate(costs):
                if plan.benefit(cost.benefit) is None:
                    yield ("hospital", "stays", stay_kind, c_index, "benefit"), f"unknown benefit '{cost.benefit}'"
    if plan.family_changes is not None:
        yield from _family_change_problems(plan.family_changes.kinds)


def _family_change_problems(kinds: tuple[str, ...]) -> Iterable[tuple[tuple[object, ...], str]]:
    for index, kind in enumerate(kinds):
        if kind in kinds[:index]:
            yield ("family_changes", "kinds", index), f"'{kind}' is listed twice"
    # A divorce's documents name the partnership the plan registers: it must be one.
    if {"pacs", "partnership"} <= set(kinds):
        yield ("family_changes", "kinds"), "list 'pacs' (France) or 'partnership' (any law), not both"
