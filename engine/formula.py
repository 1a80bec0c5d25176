"""The formula vocabulary of guarantee tables.

A formula is a sum of terms written as in the tables, e.g. ``TM + 100% BR``,
``90% FR - MR``, ``2.5% PMSS``, ``420 € - MR``, ``1075 €``.

Line variables (amounts of the care line being adjudicated):

- ``FR``  frais réels, the amount charged
- ``BR``  base de remboursement of the AM (a reconstituted BR for care the AM does not cover)
- ``PLV`` prix limite de vente (defaults to FR when the line gives none)
- ``MR``  montant remboursé by the AM (net of participation forfaitaire and franchises)
- ``TM``  ticket modérateur, BR minus the AM reimbursement before deductions
- ``PRIOR`` what the earlier tiers of the plan paid on this line

Any other upper-case name is a legal parameter (``PMSS`` -> parameter ``pmss``). Fixed
euro amounts and parameter terms are "unit" terms: when a rule is expressed per day,
session, act… they are multiplied by the number of units; line variables are totals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine.money import HUNDRED, cents

LINE_VARIABLES = frozenset({"FR", "BR", "PLV", "MR", "TM", "PRIOR"})

_TERM_RE = re.compile(
    r"""^\s*(?:
        (?P<pct>\d+(?:[.,]\d+)?)\s*%\s*(?P<pvar>[A-Z][A-Z0-9_]*)   # 250% BR
      | (?P<amount>\d+(?:[.,]\d+)?)\s*(?:€|EUR)?                   # 27 € / 27
      | (?P<var>[A-Z][A-Z0-9_]*)                                   # TM
    )\s*$""",
    re.VERBOSE,
)


class FormulaError(ValueError):
    """A formula cannot be parsed."""


@dataclass(frozen=True, slots=True)
class Term:
    sign: int
    coefficient: Decimal  # 1.00 for "TM", 2.50 for "250% BR"
    variable: str | None  # None: a fixed amount (coefficient is the amount)
    percent: bool
    is_unit: bool = False  # fixed amounts and parameters scale with the number of units

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "is_unit", self.variable is None or self.variable not in LINE_VARIABLES
        )

    def text(self) -> str:
        if self.variable is None:
            return f"{_num(self.coefficient)} €"
        if self.percent:
            return f"{_num(self.coefficient * HUNDRED)}% {self.variable}"
        return self.variable


@dataclass(frozen=True, slots=True)
class Formula:
    source: str
    terms: tuple[Term, ...]

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset(
            t.variable.lower()
            for t in self.terms
            if t.variable is not None and t.variable not in LINE_VARIABLES
        )

    def evaluate(
        self, line: Mapping[str, Decimal], units: int, params: Mapping[str, Decimal] | None = None
    ) -> Decimal:
        """Value of the formula, rounded half-up to the cent.

        ``line`` holds the line variables (FR, BR…); ``params`` the parameters in force
        (defaults to ``line``). Unit terms are rounded per unit then multiplied (tables
        state per-unit amounts). A missing variable raises ``KeyError`` with its name.
        """
        table = line if params is None else params
        line_total = Decimal(0)
        unit_total = Decimal(0)
        for term in self.terms:
            if term.variable is None:
                base = term.coefficient
            elif term.is_unit:
                base = term.coefficient * table[term.variable]
            else:
                base = term.coefficient * line[term.variable]
            if term.is_unit:
                unit_total += base if term.sign > 0 else -base
            else:
                line_total += base if term.sign > 0 else -base
        if unit_total:
            line_total += cents(unit_total) * units
        return cents(line_total)

    def detail(
        self, line: Mapping[str, Decimal], units: int, params: Mapping[str, Decimal] | None = None
    ) -> Detail:
        """The numbers behind the formula, rendered lazily (``6.90 + 100% × 23.00``)."""
        table = line if params is None else params
        numbers = tuple([
            None if t.variable is None
            else (table[t.variable] if t.is_unit else line[t.variable])
            for t in self.terms
        ])
        return Detail(self, numbers, units)

    def explain(
        self, line: Mapping[str, Decimal], units: int, params: Mapping[str, Decimal] | None = None
    ) -> str:
        return str(self.detail(line, units, params))


@dataclass(frozen=True, slots=True)
class Detail:
    """A formula with the numbers it was evaluated with; ``str()`` renders it."""

    formula: Formula
    numbers: tuple[Decimal | None, ...]
    units: int

    def __str__(self) -> str:
        parts: list[str] = []
        for index, (term, number) in enumerate(zip(self.formula.terms, self.numbers,
                                                   strict=True)):
            if number is None:
                piece = f"{_num(term.coefficient)}"
            elif term.percent:
                piece = f"{_num(term.coefficient * HUNDRED)}% × {number}"
            else:
                piece = f"{number}"
            if term.is_unit and self.units != 1:
                piece = f"{self.units} × {piece}"
            if index == 0:
                parts.append(piece if term.sign > 0 else f"−{piece}")
            else:
                parts.append(("+ " if term.sign > 0 else "− ") + piece)
        return " ".join(parts)


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def parse_formula(text: object) -> Formula:
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(f"a formula must be a non-empty string, got {text!r}")
    source = text.strip()
    # Split on + and - that separate terms (a leading sign is allowed).
    tokens = re.split(r"\s*([+\-−])\s*", source)
    terms: list[Term] = []
    sign = 1
    expect_term = True
    signed = False  # an operator is waiting for its term
    for token in tokens:
        if token == "":
            continue
        if token in {"+", "-", "−"}:
            if signed or (expect_term and terms):
                raise FormulaError(f"'{source}': two operators in a row")
            sign = 1 if token == "+" else -1
            expect_term = True
            signed = True
            continue
        if not expect_term:
            raise FormulaError(f"'{source}': missing operator before '{token}'")
        signed = False
        match = _TERM_RE.match(token)
        if match is None:
            raise FormulaError(
                f"'{source}': cannot read '{token}' (write e.g. '250% BR', '27 €', 'TM')"
            )
        try:
            if match.group("pct") is not None:
                coefficient = Decimal(match.group("pct").replace(",", ".")) / HUNDRED
                terms.append(Term(sign, coefficient, match.group("pvar"), True))
            elif match.group("amount") is not None:
                amount = Decimal(match.group("amount").replace(",", "."))
                terms.append(Term(sign, amount, None, False))
            else:
                terms.append(Term(sign, Decimal(1), match.group("var"), False))
        except InvalidOperation:  # pragma: no cover - the regex guarantees numbers
            raise FormulaError(f"'{source}': bad number in '{token}'") from None
        sign = 1
        expect_term = False
    if expect_term or not terms:
        raise FormulaError(f"'{source}': the formula ends with an operator")
    return Formula(source=source, terms=tuple(terms))
