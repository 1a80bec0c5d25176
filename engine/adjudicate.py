"""Adjudication: plan + dated parameters + counters + care lines -> amounts + explanation.

For each line, in order:

1. the national scheme's part (``engine/schemes/<plan.am>.py``): for the French AM, MR as given
   (AM statement) or estimated from BR, the AM rate and the deductions in force on the care date,
   TM = BR − AM before deductions; with no scheme, nothing;
2. where the care was given (plans with zones, ``engine.zones``): outside every condition of a
   restricted zone, nothing is paid and the explanation says what would have opened it;
3. what the member paid after the scheme and any other insurer, less the amounts a plan may never
   reimburse (participation forfaitaire, franchises, out-of-pathway surcharge) = the *payable pool*;
4. benefit-level limits (sessions, days, equipments per period) fix the units covered;
5. the member's own share before any tier: the deductible per event, then the coinsurance; and
   the plan's overall annual limit, if any, bounds the pool;
6. each tier in plan order (``engine.tiers``): the first matching rule gives an amount (pay,
   ``limit``, ``minimum``, lens averaging, amount caps per period) = the tier's *maximum*; the
   tier pays ``min(maximum, what is left of the pool)``;
7. the counters consumed are returned as ``Usage`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from engine.errors import AdjudicationError, problem
from engine.memo import Memo
from engine.model import (
    Adjudication,
    CareLine,
    Counters,
    Household,
    LineResult,
    Message,
    TierResult,
    Usage,
)
from engine.money import HUNDRED, ZERO, cents
from engine.parameters import ParameterNotInForce, Parameters, default_parameters
from engine.plan import Benefit, Limit, Plan, age_on
from engine.schemes import scheme_for
from engine.tally import Tally, period_text
from engine.tiers import Tiers
from engine.vocabulary import ZONE_FLAGS
from engine.zones import ZoneDecision, zone_decision

_ONE = Decimal(1)
_UNLIMITED = Decimal("1e12")
_NO_ATTRIBUTES: dict[str, str] = {}


def _facts_of(flags: frozenset[str]) -> frozenset[str]:
    """The facts rules test: the line's flags, and "conventionne" unless it says otherwise."""
    return flags if "non_conventionne" in flags else flags | {"conventionne"}


class Engine:
    """Adjudicates lines of one plan with one set of parameters."""

    def __init__(self, plan: Plan, parameters: Parameters | None = None) -> None:
        self.plan = plan
        self.parameters = parameters if parameters is not None else default_parameters()
        self.scheme = scheme_for(plan, self.parameters)
        self.tiers = Tiers(plan, self.parameters)
        # Pure computations, each done once per key (engine.memo).
        self._env: Memo[dt.date, dict[str, Decimal]] = Memo(self._env_of)
        self._ages: Memo[tuple[dt.date, dt.date], int] = Memo(lambda key: age_on(*key))
        self._facts: Memo[frozenset[str], frozenset[str]] = Memo(_facts_of)
        self._zones: Memo[tuple[str, str, frozenset[str]], ZoneDecision] = Memo(self._zone_of)
        self._excluded = tuple(
            TierResult(tier.code, ZERO, ZERO, None, (), (), tier.label.words()) for tier in plan.tiers
        )
        windowed = {
            name
            for b in plan.benefits
            for name in (
                *(lim.counter for lim in b.limits if lim.period.kind != "calendar_year"),
                *(
                    cap.counter
                    for rules in b.tiers.values()
                    for r in rules
                    for cap in r.caps
                    if cap.period.kind != "calendar_year"
                ),
                *(
                    r.when.first_of
                    for rules in b.tiers.values()
                    for r in rules
                    if r.when is not None and r.when.first_of
                ),
            )
        }
        if plan.annual_limit is not None and plan.annual_limit.period.kind != "calendar_year":
            windowed.add(plan.annual_limit.counter)
        self._yearly_only = frozenset({*self.scheme.counters, *plan.counters} - windowed)

    # -- public ---------------------------------------------------------------------------
    def adjudicate(
        self,
        household: Household,
        lines: Sequence[CareLine],
        counters: Counters | None = None,
    ) -> Adjudication:
        start = counters if counters is not None else Counters()
        tally = Tally(start.usages, self._yearly_only)
        results: list[LineResult] = []
        added: list[Usage] = []
        for line in lines:
            try:
                result = self.adjudicate_line(household, line, tally)
            except ParameterNotInForce as error:
                raise problem(line.id, "date", "parameter_not_in_force", str(error)) from error
            for usage in result.usages:
                tally.add(usage)
            added.extend(result.usages)
            results.append(result)
        new = tuple(added)
        return Adjudication(tuple(results), start.plus(new), new)

    # -- one line ---------------------------------------------------------------------------
    def adjudicate_line(self, household: Household, line: CareLine, tally: Tally) -> LineResult:
        """One line against the working counters (internal: call ``adjudicate``)."""
        plan = self.plan
        benefit = plan.benefit(line.benefit)
        where = line.id  # the line an error names
        if benefit is None:
            raise problem(where, "benefit", "unknown", f"unknown benefit code '{line.benefit}' in plan '{plan.code}'")
        member = household.member(line.member)
        if member is None:
            raise problem(where, "member", "unknown", f"'{line.member}' is not in the household")
        if line.quantity < 1:
            raise problem(where, "quantity", "too_small", "must be at least 1")
        for attribute in benefit.requires:
            if not line.attributes.get(attribute):
                raise problem(where, f"attributes.{attribute}", "required", f"required for benefit '{benefit.code}'")
        on = line.date
        age = self._ages[(member.birth_date, on)]
        env = self._env[on]
        flags = line.flags
        facts = self._facts[flags]
        attrs = (
            {name: values[0] for name, values in line.attributes.items() if values}
            if line.attributes
            else _NO_ATTRIBUTES
        )
        messages: list[Message] = []
        usages: list[Usage] = []
        charged = line.charged

        # 1. the national scheme's part (engine/schemes) -----------------------------------------
        br, mr, tm, non_reimbursable, basis = self.scheme.part(
            line, benefit, facts, attrs, age, tally, messages, usages
        )
        other = line.other_paid
        if other:
            if other < 0 or other > charged - mr:
                raise problem(where, "other_paid", "more_than_remains", f"{other} is more than remains after the AM")
            messages.append(Message("other.paid", (("other", other), ("remains", charged - mr - other))))
        if plan.zones is not None:
            zone = self._zone(line, member.duty_station, messages)
            if not zone.covered:
                return self._outside_zone(line, benefit, br, mr, tm, non_reimbursable, basis, other, messages, usages)
        pool = charged - mr - other - non_reimbursable
        if pool < 0:
            pool = ZERO
        if benefit.allowance:
            pool = _UNLIMITED  # a lump sum, whatever the amount charged
        plv = line.plv if line.plv is not None else charged

        # 2. benefit-level limits: units covered -------------------------------------------------
        units = line.quantity
        limit_keys: list[tuple[Limit, tuple[str, str, str]]] = []
        for limit in benefit.limits or ():
            if limit.when is not None and not limit.when.matches(facts, attrs, age):
                continue
            key = self.tiers.key(limit.counter, line, limit.by)
            limit_keys.append((limit, key))
            if limit.count is None:
                continue
            used = tally.count(key, limit.period, on)
            left = max(0, limit.count - used)
            if left < units:
                params: tuple[tuple[str, object], ...] = (
                    ("units", left),
                    ("quantity", units),
                    ("count", limit.count),
                    ("period", period_text(limit.period)),
                    ("counter", self.tiers.counter_labels[limit.counter]),
                    ("used", used),
                )
                messages.append(Message("limit.exhausted" if left == 0 else "limit.reduced", params))
                units = left
        ratio = _ONE if units == line.quantity else Decimal(units) / Decimal(line.quantity)
        if ratio != _ONE:
            charged_u, br_u, plv_u = cents(charged * ratio), cents(br * ratio), cents(plv * ratio)
            mr_u, tm_u = cents(mr * ratio), cents(tm * ratio)
            if not benefit.allowance:
                pool = cents(pool * ratio)
        else:
            charged_u, br_u, plv_u, mr_u, tm_u = charged, br, plv, mr, tm

        values = {"FR": charged_u, "BR": br_u, "PLV": plv_u, "MR": mr_u, "TM": tm_u, "PRIOR": ZERO}

        # What the member bears before any tier: the deductible, then the coinsurance share.
        deductible = coinsurance = ZERO
        if benefit.deductible is not None or benefit.coinsurance is not None:
            deductible, coinsurance = self._member_share(benefit, values, env, on, pool, messages)
            pool -= deductible + coinsurance
        limit_room: tuple[tuple[str, str, str], Decimal] | None = None
        if plan.annual_limit is not None:
            limit_room = self._annual_room(line, values, env, tally, pool, messages)
            pool = min(pool, limit_room[1])

        # 3. tiers in order -----------------------------------------------------------------------
        tiers: list[TierResult] = []
        prior = ZERO
        for tier in plan.tiers:
            if prior:
                values = {**values, "PRIOR": prior}  # details keep the earlier dict
            rules = benefit.tiers.get(tier.code, ())
            result, tier_usages = self.tiers.tier(
                tier.code,
                benefit,
                rules,
                line,
                facts,
                attrs,
                age,
                values,
                env,
                units,
                pool,
                tally,
            )
            pool -= result.paid
            prior += result.paid
            usages.extend(tier_usages)
            tiers.append(result)

        if limit_keys and prior > 0 and units > 0:
            for limit, key in limit_keys:
                usages.append(Usage(limit.counter, key[1], key[2], on, ZERO, units, line.id))
        if limit_room is not None and prior > 0 and not benefit.allowance:
            key = limit_room[0]
            usages.append(Usage(key[0], key[1], key[2], on, prior, 0, line.id))

        out_of_pocket = charged - mr - other - prior
        if out_of_pocket < 0:  # only possible for allowances
            out_of_pocket = ZERO
        # Positional arguments (in LineResult's field order): measurably faster here.
        return LineResult(
            line.id,
            line.member,
            benefit.code,
            on,
            charged,
            br,
            mr,
            basis == "estimated",
            tm,
            non_reimbursable,
            tuple(tiers),
            out_of_pocket,
            tuple(messages),
            tuple(usages),
            plan.currency,
            basis,
            other,
            deductible,
            coinsurance,
        )

    # -- helpers -------------------------------------------------------------------------------
    def _env_of(self, on: dt.date) -> dict[str, Decimal]:
        """The parameters formulas may name (PMSS…), in force on ``on``."""
        snapshot = self.parameters.snapshot(on)
        return {key.upper(): value for key, value in snapshot.items() if "." not in key}

    # -- where the care was given (plans with zones) ----------------------------------------
    def _zone_of(self, key: tuple[str, str, frozenset[str]]) -> ZoneDecision:
        country, duty_station, flags = key
        assert self.plan.zones is not None
        return zone_decision(self.plan, country=country, duty_station=duty_station, flags=flags)

    def _zone(self, line: CareLine, duty_station: str, messages: list[Message]) -> ZoneDecision:
        if not line.country:
            raise problem(line.id, "country", "required", "the country of the care is required by this plan's zones")
        decision = self._zones[(line.country, duty_station, line.flags & ZONE_FLAGS)]
        if decision.zone is not None:
            label = decision.zone.label.words()
            if decision.covered:
                messages.append(Message("zone.opened", (("zone", label), ("opened_by", decision.opened_by))))
            else:
                messages.append(Message("zone.excluded", (("zone", label), ("conditions", decision.would_open))))
        return decision

    def _outside_zone(
        self,
        line: CareLine,
        benefit: Benefit,
        br: Decimal,
        mr: Decimal,
        tm: Decimal,
        non_reimbursable: Decimal,
        basis: str,
        other: Decimal,
        messages: list[Message],
        usages: list[Usage],
    ) -> LineResult:
        """Nothing paid, no counter used: the explanation says the zone and what would open it."""
        return LineResult(
            line.id,
            line.member,
            benefit.code,
            line.date,
            line.charged,
            br,
            mr,
            basis == "estimated",
            tm,
            non_reimbursable,
            self._excluded,
            line.charged - mr - other,
            tuple(messages),
            tuple(usages),
            self.plan.currency,
            basis,
            other,
            outside_zone=True,
        )

    # -- what the member bears, what the plan may still pay --------------------------------
    def _member_share(
        self,
        benefit: Benefit,
        values: Mapping[str, Decimal],
        env: Mapping[str, Decimal],
        on: dt.date,
        pool: Decimal,
        messages: list[Message],
    ) -> tuple[Decimal, Decimal]:
        """(deductible, coinsurance) on this line: the deductible first, then a share of the rest."""
        deductible = coinsurance = ZERO
        if benefit.deductible is not None:
            deductible = min(self.tiers.evaluate(benefit.deductible, values, env, 1, on), pool)
            if deductible > 0:
                messages.append(Message("line.deductible", (("amount", deductible),)))
        if benefit.coinsurance is not None:
            coinsurance = cents((pool - deductible) * benefit.coinsurance / HUNDRED)
            if coinsurance > 0:
                messages.append(Message("line.coinsurance", (("share", benefit.coinsurance), ("amount", coinsurance))))
        return deductible, coinsurance

    def _annual_room(
        self,
        line: CareLine,
        values: Mapping[str, Decimal],
        env: Mapping[str, Decimal],
        tally: Tally,
        pool: Decimal,
        messages: list[Message],
    ) -> tuple[tuple[str, str, str], Decimal]:
        """The plan's overall limit: its counter key and what is left of it for this person."""
        limit = self.plan.annual_limit
        assert limit is not None
        key = self.tiers.key(limit.counter, line, ())
        ceiling = self.tiers.evaluate(limit.amount, values, env, 1, line.date)
        used = tally.amount(key, limit.period, line.date)
        left = max(ZERO, ceiling - used)
        if left < pool:
            messages.append(
                Message(
                    "plan.annual_limit",
                    (("cap", ceiling), ("period", period_text(limit.period)), ("used", used), ("left", left)),
                )
            )
        return key, left


def adjudicate(
    plan: Plan,
    household: Household,
    lines: Sequence[CareLine],
    counters: Counters | None = None,
    parameters: Parameters | None = None,
) -> Adjudication:
    """Adjudicate care lines (in date order) for one household under one plan."""
    return Engine(plan, parameters).adjudicate(household, lines, counters)


__all__ = ["AdjudicationError", "Engine", "adjudicate"]
