"""No national scheme: the plan pays from the first euro (or dollar) of what the member paid."""

from __future__ import annotations

from collections.abc import Mapping

from engine.errors import problem
from engine.model import CareLine, Message, Usage
from engine.money import ZERO
from engine.parameters import Parameters
from engine.plan import Benefit, Plan
from engine.schemes.base import SchemePart
from engine.tally import Tally


class NoScheme:
    """The part of a scheme that does not exist: nothing, and a line that claims otherwise is refused."""

    counters: frozenset[str] = frozenset()

    def __init__(self, plan: Plan, parameters: Parameters) -> None:
        self.plan = plan

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
    ) -> SchemePart:
        if line.mr:
            raise problem(line.id, "mr", "no_scheme", "this plan has no AM, leave it out")
        return (line.br or ZERO), ZERO, ZERO, ZERO, "no_scheme"
