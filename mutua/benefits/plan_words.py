"""A plan's rules in the words of the person who reads them.

The plan data says ``TM + 160% BR``, ``2.5% PMSS`` per day or ``420 € - MR``; a member reads "the
part of the tariff the Assurance Maladie leaves you, plus 160 % of the Assurance Maladie tariff",
"100.13 € per day" or "420.00 € per set of glasses, including the Assurance Maladie's
reimbursement". Amounts set by law (the PMSS, the daily hospital charge…) are turned into euros on
the day of reading. The exact formula, in the guide's notation, goes along for those who want it,
with the meaning of each of its terms.

Call these functions with the reader's language active (``translation.override``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from engine.formula import Formula, Term
from engine.money import cents
from engine.parameters import Parameters
from engine.plan import Benefit, Cap, Condition, Limit, Plan, Rule
from mutua.core.formatting import money_format

HUNDRED = Decimal(100)
ONE = Decimal(1)
# Line variables a member cannot know by their letters.
LINE_VARIABLES = ("FR", "BR", "PLV", "MR", "TM", "PRIOR")


@dataclass(frozen=True)
class Case:
    """One rule of a tier: when it applies (empty: always), what it pays in words, and its exact formula."""

    condition: str
    text: str
    formula: str


@dataclass(frozen=True)
class Reading:
    """What the words need: the plan, the day (amounts set by law are those in force that day) and
    the labels of the plan's tiers (a formula may subtract what the earlier tiers paid)."""

    plan: Plan
    on: date
    parameters: Parameters
    tier_labels: Mapping[str, str]
    language: str

    def env(self) -> dict[str, Decimal]:
        """The parameters in force as formulas name them (``PMSS``), as the engine reads them."""
        snapshot = self.parameters.snapshot(self.on)
        return {key.upper(): value for key, value in snapshot.items() if "." not in key}

    def parameter_label(self, variable: str) -> str:
        found = self.parameters.get(variable.lower())
        return found.label_fr if self.language == "fr" else found.label_en


# ---------------------------------------------------------------------------------------------
# Numbers


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return number_format(Decimal(text), decimal_pos=len(text.partition(".")[2]), force_grouping=True)


def percent(coefficient: Decimal) -> str:
    """ "160 %" in French, "160%" in English."""
    number = _number(coefficient * HUNDRED)
    return f"{number}%" if (get_language() or "fr").startswith("en") else f"{number}\xa0%"


# ---------------------------------------------------------------------------------------------
# Words for the terms of a formula


def _unit_words(unit: str | None) -> str:
    words = {
        "day": _("per day"),
        "session": _("per session"),
        "act": _("per act"),
        "implant": _("per implant"),
        "ear": _("per ear"),
        "eye": _("per eye"),
        "prosthesis": _("per prosthesis"),
        "child": _("per child"),
        "vaccination": _("per vaccination"),
        "semester": _("per six months of treatment"),
        "box": _("per box"),
        "equipment": _("per set of glasses"),
        "transport": _("per journey"),
        "test": _("per test"),
    }
    return words.get(unit or "", "")


def _variable_words(variable: str, reading: Reading, tier: str) -> str:
    """The variable on its own (a coefficient of 1)."""
    if variable == "FR":
        return _("the amount charged")
    if variable == "BR":
        return _("the Assurance Maladie tariff")
    if variable == "PLV":
        return _("the price limit set by law")
    if variable == "MR":
        return _("what the Assurance Maladie paid")
    if variable == "TM":
        return _("the part of the tariff the Assurance Maladie leaves you")
    if variable == "PRIOR":
        return _("what %(tiers)s paid") % {"tiers": _earlier_tiers(reading, tier)}
    return reading.parameter_label(variable)


def _share_words(share: str, variable: str, reading: Reading, tier: str) -> str:
    """``share`` of the variable ("160 %" of the tariff)."""
    if variable == "FR":
        return _("%(share)s of the amount charged") % {"share": share}
    if variable == "BR":
        return _("%(share)s of the Assurance Maladie tariff") % {"share": share}
    if variable == "PLV":
        return _("%(share)s of the price limit set by law") % {"share": share}
    return _("%(share)s of %(what)s") % {"share": share, "what": _variable_words(variable, reading, tier)}


def _earlier_tiers(reading: Reading, tier: str) -> str:
    codes = [t.code for t in reading.plan.tiers]
    earlier = codes[: codes.index(tier)] if tier in codes else []
    return " + ".join(reading.tier_labels.get(code, code) for code in earlier) or _("the plan")


def _unit_value(term: Term, env: Mapping[str, Decimal]) -> Decimal | None:
    """What a fixed or legal amount is worth (one unit), or None when no value is in force."""
    if term.variable is None:
        return term.coefficient
    value = env.get(term.variable)
    return None if value is None else cents(term.coefficient * value)


def _per(text: str, unit: str | None) -> str:
    per = _unit_words(unit)
    return f"{text} {per}" if per else text


def formula_words(formula: Formula, reading: Reading, *, tier: str, unit: str | None = None) -> str:
    """The formula as a sentence; fixed and legal amounts in euros on the day of reading."""
    env = reading.env()
    terms = formula.terms
    if all(term.is_unit for term in terms):
        values = [_unit_value(term, env) for term in terms]
        if all(value is not None for value in values):
            total = sum(((v or Decimal(0)) * t.sign for v, t in zip(values, terms, strict=True)), Decimal(0))
            if total == 0:
                return _("nothing")
            return _per(money_format(total, reading.plan.currency), unit)
    if len(terms) == 1 and terms[0].coefficient == 0:
        return _("nothing")
    added: list[str] = []
    included: list[str] = []
    less: list[str] = []
    lone = len([t for t in terms if t.sign > 0]) == 1
    for term in terms:
        if term.sign < 0 and term.variable in {"MR", "PRIOR"}:
            included.append(
                _("the Assurance Maladie's reimbursement")
                if term.variable == "MR"
                else _variable_words("PRIOR", reading, tier)
            )
            continue
        words = _term_words(term, reading, tier=tier, unit=unit, env=env, lone=lone)
        (added if term.sign > 0 else less).append(words)
    text = _(", plus ").join(added)
    for words in less:
        text = _("%(amount)s less %(what)s") % {"amount": text, "what": words}
    if included:
        text = _("%(amount)s, including %(what)s") % {"amount": text, "what": _(" and ").join(included)}
    return text


def _term_words(
    term: Term, reading: Reading, *, tier: str, unit: str | None, env: Mapping[str, Decimal], lone: bool
) -> str:
    if term.is_unit:
        value = _unit_value(term, env)
        if value is not None:
            return _per(money_format(value, reading.plan.currency), unit)
        return _share_words(percent(term.coefficient), term.variable or "", reading, tier)
    assert term.variable is not None
    if not term.percent or (lone and term.coefficient == ONE):
        return _variable_words(term.variable, reading, tier)
    return _share_words(percent(term.coefficient), term.variable, reading, tier)


# ---------------------------------------------------------------------------------------------
# The exact formula, in the guide's notation


def formula_text(formula: Formula, reading: Reading) -> str:
    """``TM + 160 % BR``, ``1,8 % PMSS``; a legal amount other than the PMSS is named by its label."""
    parts: list[str] = []
    for index, term in enumerate(formula.terms):
        if term.variable is None:
            piece = money_format(term.coefficient, reading.plan.currency)
        else:
            name = term.variable
            if name not in LINE_VARIABLES and name != "PMSS":
                name = reading.parameter_label(name).lower()
            piece = f"{percent(term.coefficient)} {name}" if term.percent else name
        if index == 0:
            parts.append(piece if term.sign > 0 else f"− {piece}")
        else:
            parts.append(("+ " if term.sign > 0 else "− ") + piece)
    return " ".join(parts)


def variables_of(formulas: Iterable[Formula]) -> list[str]:
    """The terms a reader may not know, in the order of the glossary."""
    found = {term.variable for formula in formulas for term in formula.terms if term.variable}
    return [name for name in (*LINE_VARIABLES, "PMSS") if name in found]


def glossary(names: Sequence[str], reading: Reading) -> list[tuple[str, str]]:
    """(term, meaning) for each term used."""
    meanings = {
        "FR": _("frais réels: the amount charged"),
        "BR": _("base de remboursement: the Assurance Maladie tariff"),
        "PLV": _("prix limite de vente: the price limit set by law"),
        "MR": _("montant remboursé: what the Assurance Maladie paid"),
        "TM": _("ticket modérateur: the part of the tariff the Assurance Maladie leaves you"),
        "PRIOR": _("what the earlier tiers of the plan paid"),
    }
    out = []
    for name in names:
        if name == "PMSS":
            value = reading.env().get("PMSS")
            meaning = _("plafond mensuel de la Sécurité sociale: the monthly Social Security ceiling")
            if value is not None:
                meaning = _("%(meaning)s, %(amount)s on %(date)s") % {
                    "meaning": meaning,
                    "amount": money_format(value),
                    "date": date_format(reading.on, "SHORT_DATE_FORMAT"),
                }
            out.append((name, meaning))
        elif name == "PRIOR":
            out.append((_("earlier tiers"), meanings[name]))
        else:
            out.append((name, meanings[name]))
    return out


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
        text += " " + _unit_words(rule.per)
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
