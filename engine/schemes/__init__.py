"""National schemes paying before a plan, one module each, chosen by the plan's ``am``."""

from __future__ import annotations

from engine.parameters import Parameters
from engine.plan import Plan
from engine.schemes.base import Scheme, SchemePart
from engine.schemes.fr_am import FrenchNationalScheme
from engine.schemes.none import NoScheme

SCHEMES: dict[str, type[FrenchNationalScheme] | type[NoScheme]] = {
    "fr_am": FrenchNationalScheme,
    "none": NoScheme,
}


def scheme_for(plan: Plan, parameters: Parameters) -> Scheme:
    return SCHEMES[plan.am](plan, parameters)


__all__ = ["SCHEMES", "Scheme", "SchemePart", "scheme_for"]
