"""Mutua benefits engine: pure Python, no Django, no database.

Public API::

    from engine import get_plan, default_parameters, adjudicate, Household, Member, CareLine

    plan = get_plan("fr-base-surco")
    result = adjudicate(plan, household, lines, counters)   # -> Adjudication
    result.lines[0].tier("base").paid, result.counters       # new counter state

See docs/engine.md.
"""

from engine.adjudicate import AdjudicationError, Engine, adjudicate
from engine.formula import Formula, FormulaError, parse_formula
from engine.messages import explain, render
from engine.model import (
    Adjudication,
    CareLine,
    Counters,
    Household,
    LineResult,
    Member,
    Message,
    TierResult,
    Usage,
)
from engine.parameters import (
    ParameterError,
    ParameterNotInForce,
    Parameters,
    default_parameters,
    load_parameters,
)
from engine.plan import Plan, PlanError, get_plan, list_plans, load_plan, parse_plan
from engine.simulation import SimulationError, run_simulation
from engine.summary import summarise

__all__ = [
    "Adjudication",
    "AdjudicationError",
    "CareLine",
    "Counters",
    "Engine",
    "Formula",
    "FormulaError",
    "Household",
    "LineResult",
    "Member",
    "Message",
    "ParameterError",
    "ParameterNotInForce",
    "Parameters",
    "Plan",
    "PlanError",
    "SimulationError",
    "TierResult",
    "Usage",
    "adjudicate",
    "default_parameters",
    "explain",
    "get_plan",
    "list_plans",
    "load_parameters",
    "load_plan",
    "parse_formula",
    "parse_plan",
    "render",
    "run_simulation",
    "summarise",
]
