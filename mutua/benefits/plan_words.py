"""A plan's rules in the words of the person who reads them: each tier's cases for a care (when a
rule applies, what it pays, its exact formula), its ceilings and counts per period, and what holds
for the whole row (not covered by the Assurance Maladie, lump sum, the member's own share).

The formulas themselves are put into words by ``formula_words``.

Call these functions with the reader's language active (``translation.override``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engine.formula import Formula
from engine.plan import Benefit, Cap, Condition, Limit, Plan, Rule
from mutua.benefits.formula_words import HUNDRED, Reading, formula_text, formula_words, percent, unit_words


@dataclass(frozen=True)
class Case:
    """One rule of a tier: when it applies (empty: always), what it pays in words, and its exact formula."""

    condition: str
    text: str
    formula: str


# ---------------------------------------------------------------------------------------------
# Conditions, periods, scopes


def _fact_words(name: str, expected: object, plan: Plan) -> str:
    yes = {
        "dptm": _("doctor with controlled fees (sector 1 or DPTM)"),
        "conventionne": _("provider contracted with the Assurance Maladie"),
        "network": _("in the partner care network"),
        "ald": _("with a long-term illness (ALD)"),
        "accident": _("after an accident"),
        "psychiatry": _("psychiatric stay"),
        "vision_change": _("your sight has changed"),
        "suicide": _("after a suicide or a suicide attempt"),
        "single_am_device": _("only one of the two devices covered by the Assurance Maladie"),
        "maternity": _("maternity"),
        "outside_pathway": _("outside the care pathway"),
    }
    no = {
        "dptm": _("doctor outside the DPTM scheme"),
        "conventionne": _("provider not contracted with the Assurance Maladie"),
        "network": _("outside the partner care network"),
        "ald": _("without a long-term illness"),
        "psychiatry": _("other stays"),
        "vision_change": _("your sight has not changed"),
        "accident": _("no accident"),
        "suicide": _("other cases"),
        "single_am_device": _("both devices covered by the Assurance Maladie"),
        "maternity": _("outside maternity"),
        "outside_pathway": _("within the care pathway"),
    }
    values = {
        "100_sante": _("100 % Santé (no cost to you)"),
        "maitrise": _("controlled prices"),
        "libre": _("free prices"),
        "simple": _("simple lenses (class A)"),
        "complex": _("complex lenses (class C)"),
        "very_complex": _("very complex lenses (class F)"),
        "left": _("left"),
        "right": _("right"),
        "near": _("near vision"),
        "far": _("far vision"),
    }
    if name == "age_under":
        return _("under %(age)s") % {"age": expected}
    if name == "age_from":
        return _("%(age)s and over") % {"age": expected}
    if name == "first_of":
        return _("first child") if expected == "births" else _("first time")
    if isinstance(expected, bool):
        if expected:
            return yes.get(name, name)
        return no.get(name) or _("not %(fact)s") % {"fact": yes.get(name, name)}
    return _(" or ").join(values.get(value, value) for value in str(expected).split("/"))


def condition_words(condition: Condition | None, plan: Plan) -> str:
    if condition is None:
        return ""
    return ", ".join(_fact_words(name, expected, plan) for name, expected in condition.describe())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _period_words(period_kind: str, months: int) -> str:
    if period_kind == "calendar_year":
        return _("per calendar year")
    if period_kind == "lifetime":
        return _("for the life of the contract")
    if months % 12 == 0:
        years = months // 12
        return ngettext("per year", "per %(years)s years", years) % {"years": years}
    return ngettext("per month", "per %(months)s months", months) % {"months": months}


def _scope_words(counter: str, plan: Plan) -> str:
    spec = plan.counters.get(counter)
    if spec is not None and spec.scope == "household":
        return _("for the whole household")
    return _("for each beneficiary")


def _by_words(by: Sequence[str], unit: str | None) -> str:
    if "side" in by:
        return _("for each eye") if unit == "eye" else _("for each ear") if unit == "ear" else _("for each side")
    if "vision" in by:
        return _("near and far vision counted apart")
    return ""


def _cap_words(cap: Cap, rule: Rule, reading: Reading, tier: str) -> str:
    label = (
        reading.plan.counters[cap.counter].label.get(reading.language) if cap.counter in reading.plan.counters else ""
    )
    amount = formula_words(cap.amount, reading, tier=tier)
    whom = ", ".join(part for part in (_scope_words(cap.counter, reading.plan), _by_words(cap.by, rule.per)) if part)
    text = _("Ceiling “%(what)s”: %(amount)s %(period)s, %(whom)s") % {
        "what": label,
        "amount": amount,
        "period": _period_words(cap.period.kind, cap.period.months),
        "whom": whom,
    }
    if cap.unless is not None:
        text += " " + _("(not applied %(condition)s)") % {"condition": condition_words(cap.unless, reading.plan)}
    text += "."
    if cap.beyond is not None:
        text += " " + _("Beyond it: %(amount)s.") % {"amount": formula_words(cap.beyond, reading, tier=tier)}
    return text


def _part_words(part: str, formula: Formula, reading: Reading, tier: str) -> str:
    amount = formula_words(formula, reading, tier=tier)
    if part == "frame":
        return _("The frame counts for at most %(amount)s.") % {"amount": amount}
    return _("“%(part)s” counts for at most %(amount)s.") % {"part": part, "amount": amount}


def rule_words(rule: Rule, reading: Reading, *, tier: str) -> str:
    parts = [formula_words(rule.pay, reading, tier=tier, unit=rule.per)]
    if rule.limit is not None:
        parts.append(_("up to %(amount)s") % {"amount": formula_words(rule.limit, reading, tier=tier, unit=rule.per)})
    if rule.minimum is not None:
        parts.append(
            _("at least %(amount)s") % {"amount": formula_words(rule.minimum, reading, tier=tier, unit=rule.per)}
        )
    sentences = [_capital(", ".join(parts)) + "."]
    sentences += [_part_words(part, formula, reading, tier) for part, formula in rule.part_limits.items()]
    sentences += [_cap_words(cap, rule, reading, tier) for cap in rule.caps]
    return " ".join(sentences)


def rule_formula(rule: Rule, reading: Reading) -> str:
    """The rule as the guide writes it: ``90 % FR − MR, dans la limite de 250 % BR (minimum TM)``."""
    text = formula_text(rule.pay, reading)
    if rule.per:
        text += " " + unit_words(rule.per)
    if rule.limit is not None:
        text += ", " + _("up to %(amount)s") % {"amount": formula_text(rule.limit, reading)}
    if rule.minimum is not None:
        text += ", " + _("at least %(amount)s") % {"amount": formula_text(rule.minimum, reading)}
    for part, formula in rule.part_limits.items():
        what = _("frame") if part == "frame" else part
        text += _("; ") + _("%(part)s at most %(amount)s") % {"part": what, "amount": formula_text(formula, reading)}
    for cap in rule.caps:
        text += _("; ") + _("ceiling %(amount)s %(period)s") % {
            "amount": formula_text(cap.amount, reading),
            "period": _period_words(cap.period.kind, cap.period.months),
        }
        if cap.beyond is not None:
            text += ", " + _("beyond it %(amount)s") % {"amount": formula_text(cap.beyond, reading)}
    return text


def rule_formulas(rule: Rule) -> list[Formula]:
    found = [rule.pay, *(f for f in (rule.limit, rule.minimum) if f is not None)]
    for cap in rule.caps:
        found += [cap.amount, *([cap.beyond] if cap.beyond is not None else [])]
    return found + list(rule.part_limits.values())


def tier_cases(benefit: Benefit, tier: str, reading: Reading) -> tuple[Case, ...]:
    """The tier's rules for this care, in the order they are tried; empty when the tier pays nothing."""
    rules = benefit.tiers.get(tier, ())
    if not rules or all(_pays_nothing(rule) for rule in rules):
        return ()
    cases = []
    conditional = False
    for rule in rules:
        condition = condition_words(rule.when, reading.plan)
        if condition:
            conditional = True
        elif conditional:
            condition = _("otherwise")
        cases.append(Case(_capital(condition), rule_words(rule, reading, tier=tier), rule_formula(rule, reading)))
    if len(rules) == 1 and rules[0].when is not None:
        cases.append(Case(_capital(_("otherwise")), _("Nothing."), "—"))
    return tuple(cases)


def _pays_nothing(rule: Rule) -> bool:
    return all(term.coefficient == 0 for term in rule.pay.terms)


# ---------------------------------------------------------------------------------------------
# What holds for the whole row


def _count_words(limit: Limit, unit: str | None) -> str:
    count = limit.count or 0
    if limit.period.kind == "rolling" and count == 1 and limit.period.months % 12 == 0:
        years = limit.period.months // 12
        return ngettext("covered once a year", "covered once every %(years)s years", years) % {"years": years}
    units = {
        "session": ngettext("%(count)s session", "%(count)s sessions", count),
        "day": ngettext("%(count)s day", "%(count)s days", count),
        "test": ngettext("%(count)s test", "%(count)s tests", count),
        "equipment": ngettext("%(count)s set of glasses", "%(count)s sets of glasses", count),
    }
    phrase = units.get(unit or "") or ngettext("once", "%(count)s times", count)
    return f"{phrase % {'count': count}} {_period_words(limit.period.kind, limit.period.months)}"


def _unit_of(benefit: Benefit) -> str | None:
    return next((rule.per for rules in benefit.tiers.values() for rule in rules if rule.per), None)


def benefit_notes(benefit: Benefit, reading: Reading) -> tuple[str, ...]:
    """What applies to every tier of this care: not covered by the AM, lump sum, counts per period."""
    notes = []
    if reading.plan.has_national_scheme and benefit.am == "none":
        notes.append(_("Not covered by the Assurance Maladie."))
    if benefit.allowance:
        notes.append(_("A lump sum, whatever you spent."))
    notes.extend(_member_share_words(benefit, reading))
    if benefit.average_over == "lens_class":
        notes.append(_("Two lenses of different classes: the average of the two amounts."))
    unit = _unit_of(benefit)
    for limit in benefit.limits:
        if limit.count is None:
            continue
        whom = ", ".join(
            part for part in (_scope_words(limit.counter, reading.plan), _by_words(limit.by, unit)) if part
        )
        text = f"{_count_words(limit, unit)}, {whom}"
        condition = condition_words(limit.when, reading.plan)
        if condition:
            text = _("%(condition)s: %(text)s") % {"condition": condition, "text": text}
        notes.append(_capital(text) + ".")
    return tuple(notes)


def _member_share_words(benefit: Benefit, reading: Reading) -> tuple[str, ...]:
    """What the member bears before the plan pays (plans without a national scheme): the deductible on
    each care line, then the coinsurance share of the rest."""
    deductible = formula_words(benefit.deductible, reading, tier="") if benefit.deductible is not None else ""
    share = percent(benefit.coinsurance / HUNDRED) if benefit.coinsurance is not None else ""
    if deductible and share:
        return (
            _("You pay the first %(amount)s of each care (deductible), then %(share)s of the rest (coinsurance).")
            % {"amount": deductible, "share": share},
        )
    if deductible:
        return (_("You pay the first %(amount)s of each care (deductible).") % {"amount": deductible},)
    if share:
        return (_("You pay %(share)s of the amount (coinsurance).") % {"share": share},)
    return ()
