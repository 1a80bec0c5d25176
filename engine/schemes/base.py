"""What a national scheme module gives the engine for one care line."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from engine.model import CareLine, Message, Usage
from engine.plan import Benefit
from engine.tally import Tally

# (BR, MR, TM, non-reimbursable amount, how the scheme's part is known: given, estimated,
# not_covered, no_scheme). A plain tuple: built for every line of a million-line file.
SchemePart = tuple[Decimal, Decimal, Decimal, Decimal, str]


class Scheme(Protocol):
    """The national scheme paying before the plan (``plan.am``): ``engine/schemes/<am>.py``."""

    counters: frozenset[str]  # the counters it keeps, read per calendar year only

    def part(
        self,
        line: CareLine,
        benefit: Benefit,
        facts: frozenset[str],
        attrs: Mapping[str, str],
        age: int,
        tally: Tally,
        messages: list[Message],
        usages: list[Usage],
    ) -> SchemePart: ...
