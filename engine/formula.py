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
        object.__setattr__(self, "is_unit", self.variable is None or self.variable not in LINE_VARIABLES)

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
    # Precompiled for evaluation: signed coefficients of line variables, of parameters,
    # and the signed sum of fixed amounts.
    _line: tuple[tuple[Decimal, str], ...] = ()
    _params: tuple[tuple[Decimal, str], ...] = ()
    _fixed: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        line = tuple(
            (t.coefficient * t.sign, t.variable) for t in self.terms if t.variable is not None and not t.is_unit
        )
        params = tuple((t.coefficient * t.sign, t.variable) for t in self.terms if t.variable is not None and t.is_unit)
        fixed = sum((t.coefficient * t.sign for t in self.terms if t.variable is None), Decimal(0))
        object.__setattr__(self, "_line", line)
        object.__setattr__(self, "_params", params)
        object.__setattr__(self, "_fixed", fixed)

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset(variable.lower() for _, variable in self._params)

    def evaluate(self, line: Mapping[str, Decimal], units: int, params: Mapping[str, Decimal] | None = None) -> Decimal:
        """Value of the formula, rounded half-up to the cent.

        ``line`` holds the line variables (FR, BR…); ``params`` the parameters in force
        (defaults to ``line``). Unit terms (fixed amounts, parameters) are rounded per unit
        then multiplied (tables state per-unit amounts). A missing variable raises
        ``KeyError`` with its name.
        """
        total = Decimal(0)
        for coefficient, variable in self._line:
            total += coefficient * line[variable]
        if self._params or self._fixed:
            unit = self._fixed
            table = line if params is None else params
            for coefficient, variable in self._params:
                unit += coefficient * table[variable]
            total += cents(unit) * units
        return cents(total)

    def detail(self, line: Mapping[str, Decimal], units: int, params: Mapping[str, Decimal] | None = None) -> Detail:
        """The numbers behind the formula, rendered lazily (``6.90 + 100% × 23.00``).

        Keeps references to the mappings: callers must not mutate them afterwards.
        """
        return Detail(self, line, line if params is None else params, units)

    def explain(self, line: Mapping[str, Decimal], units: int, params: Mapping[str, Decimal] | None = None) -> str:
        return str(self.detail(line, units, params))


class Detail:
    """A formula with the values it was evaluated with; ``str()`` renders it."""

    __slots__ = ("formula", "line", "params", "units")

    def __init__(
        self, formula: Formula, line: Mapping[str, Decimal], params: Mapping[str, Decimal], units: int
    ) -> None:
        self.formula = formula
        self.line = line
        self.params = params
        self.units = units

    def key(self) -> tuple[str, int, tuple[str, ...]]:
        """What the text depends on, without rendering it: the formula and the numbers it was given."""
        numbers = tuple(
            str((self.params if term.is_unit else self.line)[term.variable])
            for term in self.formula.terms
            if term.variable is not None
        )
        return (self.formula.source, self.units, numbers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Detail) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Detail({str(self)!r})"

    def __str__(self) -> str:
        parts: list[str] = []
        for index, term in enumerate(self.formula.terms):
            if term.variable is None:
                piece = f"{_num(term.coefficient)}"
            else:
                number = (self.params if term.is_unit else self.line)[term.variable]
                piece = f"{_num(term.coefficient * HUNDRED)}% × {number}" if term.percent else f"{number}"
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
            raise FormulaError(f"'{source}': cannot read '{token}' (write e.g. '250% BR', '27 €', 'TM')")
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
