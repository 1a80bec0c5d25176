"""A formula of the plan in the words of the person who reads it, and as the guide writes it.

The plan data says ``TM + 160% BR``, ``2.5% PMSS`` per day or ``420 € - MR``; a member reads "the
part of the tariff the Assurance Maladie leaves you, plus 160 % of the Assurance Maladie tariff",
"100.13 € per day" or "420.00 € per set of glasses, including the Assurance Maladie's
reimbursement". Amounts set by law (the PMSS, the daily hospital charge…) are turned into euros on
the day of reading (``Reading``). The exact formula, in the guide's notation, goes along for those
who want it, with the meaning of each of its terms (``glossary``).

Call these functions with the reader's language active (``translation.override``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from engine.formula import Formula, Term
from engine.money import cents
from engine.parameters import Parameters
from engine.plan import Plan
from mutua.core.formatting import money_format

HUNDRED = Decimal(100)
ONE = Decimal(1)
# Line variables a member cannot know by their letters.
LINE_VARIABLES = ("FR", "BR", "PLV", "MR", "TM", "PRIOR")


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


def unit_words(unit: str | None) -> str:
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
    per = unit_words(unit)
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
