"""Command line of the engine (wired to ``mutua`` by the Django side).

    plans list
    plans show PLAN [--json]
    simulate FILE|-          JSON in, JSON out (see docs/engine.md)

Exit codes: 0 success, 2 bad input (the message names the field), 1 unexpected error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from engine.catalogue import LANGUAGES
from engine.messages import describe_condition
from engine.plan import Benefit, Period, Plan, PlanError, Rule, get_plan, list_plans
from engine.simulation import SimulationError, run_simulation


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit code 2 like argparse, but no SystemExit
        raise SimulationError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mutua", description="Mutua benefits engine")
    commands = parser.add_subparsers(dest="command", required=True)
    plans = commands.add_parser("plans", help="list or show plans")
    plan_commands = plans.add_subparsers(dest="plans_command", required=True)
    plan_commands.add_parser("list", help="list the plans")
    show = plan_commands.add_parser("show", help="every benefit of a plan with code and label")
    show.add_argument("plan")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--lang", choices=LANGUAGES, default="fr")
    simulate = commands.add_parser("simulate", help="adjudicate care lines from JSON")
    simulate.add_argument("file", help="a JSON file, or - for standard input")
    simulate.add_argument("--indent", type=int, default=2)
    return parser


def _rule_json(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"pay": rule.pay.source}
    if rule.when is not None:
        out["when"] = rule.when.model_dump(exclude_none=True)
    if rule.limit is not None:
        out["limit"] = rule.limit.source
    if rule.minimum is not None:
        out["minimum"] = rule.minimum.source
    if rule.per is not None:
        out["per"] = rule.per
    if rule.caps:
        out["caps"] = [
            {"counter": c.counter, "amount": c.amount.source, "period": c.period.model_dump()}
            | ({"beyond": c.beyond.source} if c.beyond is not None else {})
            for c in rule.caps
        ]
    return out


def _benefit_json(benefit: Benefit) -> dict[str, Any]:
    return {
        "code": benefit.code,
        "label": benefit.label.words(),
        "section": benefit.section,
        "am": benefit.am,
        "source": benefit.source,
        "limits": [
            {"counter": lim.counter, "count": lim.count, "period": lim.period.model_dump()} for lim in benefit.limits
        ],
        "tiers": {tier: [_rule_json(r) for r in rules] for tier, rules in benefit.tiers.items()},
    }


def _plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "code": plan.code,
        "label": plan.label.words(),
        "currency": plan.currency,
        "am": plan.am,
        "tiers": [{"code": t.code, "label": t.label.words()} for t in plan.tiers],
        "benefits": [_benefit_json(b) for b in plan.benefits],
    }


def _period(period: Period) -> str:
    return period.kind if period.kind != "rolling" else f"{period.months} months"


def _rule_text(rule: Rule, lang: str) -> str:
    text = rule.pay.source
    if rule.per:
        text += f" /{rule.per}"
    if rule.minimum is not None:
        text += f" (min {rule.minimum.source})"
    if rule.limit is not None:
        text += f" ≤ {rule.limit.source}"
    for cap in rule.caps:
        text += f"; cap {cap.amount.source}/{_period(cap.period)} [{cap.counter}]"
        if cap.beyond is not None:
            text += f", beyond: {cap.beyond.source}"
    for part, formula in rule.part_limits.items():
        text += f"; {part} ≤ {formula.source}"
    if rule.when is not None:
        text = f"if {describe_condition(rule.when.describe(), lang)}: {text}"
    return text


def _show(plan: Plan, lang: str, out: TextIO) -> None:
    tiers = " → ".join(t.label.get(lang) for t in plan.tiers)
    out.write(f"{plan.code}: {plan.label.get(lang)} ({plan.currency}; {tiers})\n")
    section = None
    for benefit in plan.benefits:
        if benefit.section != section:
            section = benefit.section
            out.write(f"\n[{section}]\n")
        out.write(f"{benefit.code}  {benefit.label.get(lang)}  (AM: {benefit.am})\n")
        for limit in benefit.limits:
            if limit.count is not None:
                when = "" if limit.when is None else f" if {describe_condition(limit.when.describe(), lang)}"
                out.write(f"    limit {limit.count} per {_period(limit.period)} [{limit.counter}]{when}\n")
        for tier in plan.tiers:
            for rule in benefit.tiers.get(tier.code, ()):
                out.write(f"    {tier.code}: {_rule_text(rule, lang)}\n")


def main(
    argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
        if args.command == "plans" and args.plans_command == "list":
            for plan in list_plans():
                out.write(f"{plan.code}\t{plan.label.fr}\t{len(plan.benefits)} benefits\n")
            return 0
        if args.command == "plans":
            try:
                plan = get_plan(args.plan)
            except KeyError as error:
                raise SimulationError(f"plan: {error.args[0]}") from None
            if args.json:
                json.dump(_plan_json(plan), out, ensure_ascii=False, indent=2)
                out.write("\n")
            else:
                _show(plan, args.lang, out)
            return 0
        if args.file == "-":
            text = stdin.read()
        else:
            try:
                with open(args.file, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as error:
                raise SimulationError(f"file: cannot read {args.file}: {error.strerror}") from None
        try:
            document = json.loads(text, parse_float=_no_float)
        except json.JSONDecodeError as error:
            raise SimulationError(f"(document): not valid JSON: {error}") from None
        result = run_simulation(document)
        json.dump(result, out, ensure_ascii=False, indent=args.indent or None)
        out.write("\n")
        return 0
    except (SimulationError, PlanError) as error:
        err.write(f"error: {error}\n")
        return 2


class _FloatGiven(float):
    """Marks a JSON number with a decimal point: amounts must be strings."""


def _no_float(text: str) -> Any:
    # Keep the exact text; pydantic will refuse it with a message naming the field.
    return _FloatGiven(text)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
