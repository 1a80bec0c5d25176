"""Adjudication: plan + dated parameters + counters + care lines -> amounts + explanation.

For each line, in order:

1. the AM part: MR as given (AM statement) or estimated from BR, the AM rate and the
   deductions in force on the care date; TM = BR − AM before deductions;
2. what the member paid after the AM, less the amounts a plan may never reimburse
   (participation forfaitaire, franchises, out-of-pathway surcharge) = the *payable pool*;
3. benefit-level limits (sessions, days, equipments per period) fix the units covered;
4. each tier in plan order: the first matching rule gives an amount (pay, ``limit``,
   ``minimum``, lens averaging, amount caps per period) = the tier's *maximum*; the tier
   pays ``min(maximum, what is left of the pool)``;
5. the counters consumed are returned as ``Usage`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from engine.errors import AdjudicationError, problem
from engine.formula import Formula
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
from engine.plan import ZONE_FLAGS, Benefit, Cap, Limit, Plan, Rule, age_on
from engine.schemes import scheme_for
from engine.tally import Tally, period_text
from engine.zones import ZoneDecision, zone_decision

HOUSEHOLD = "*"
_ONE = Decimal(1)
_UNLIMITED = Decimal("1e12")
_NO_ATTRIBUTES: dict[str, str] = {}


# (benefit, tier, facts, attributes, age): everything a rule's choice depends on, when it reads no counter.
_PickKey = tuple[str, str, frozenset[str], tuple[tuple[str, str], ...], int]


def _facts_of(flags: frozenset[str]) -> frozenset[str]:
    """The facts rules test: the line's flags, and "conventionne" unless it says otherwise."""
    return flags if "non_conventionne" in flags else flags | {"conventionne"}


class Engine:
    """Adjudicates lines of one plan with one set of parameters."""

    def __init__(self, plan: Plan, parameters: Parameters | None = None) -> None:
        self.plan = plan
        self.parameters = parameters if parameters is not None else default_parameters()
        self.scheme = scheme_for(plan, self.parameters)
        self._tier_labels = {t.code: t.label.words() for t in plan.tiers}
        self._benefit_labels = {b.code: b.label.words() for b in plan.benefits}
        self._nothing = {
            code: TierResult(code, ZERO, ZERO, None, (), (), label) for code, label in self._tier_labels.items()
        }
        self._not_covered = {
            code: TierResult(code, ZERO, ZERO, None, (Message("tier.not_covered", (("tier", label),)),), (), label)
            for code, label in self._tier_labels.items()
        }
        # Pure computations, each done once per key (engine.memo).
        self._env: Memo[dt.date, dict[str, Decimal]] = Memo(self._env_of)
        self._ages: Memo[tuple[dt.date, dt.date], int] = Memo(lambda key: age_on(*key))
        self._facts: Memo[frozenset[str], frozenset[str]] = Memo(_facts_of)
        self._zones: Memo[tuple[str, str, frozenset[str]], ZoneDecision] = Memo(self._zone_of)
        self._refs: Memo[tuple[str, str, int], str] = Memo(lambda key: f"{key[0]}/{key[1]}#{key[2] + 1}")
        self._rule_heads: Memo[tuple[str, str, int], tuple[tuple[str, object], ...]] = Memo(self._rule_head)
        # The choice of rule is pure unless a rule looks at counters (first_of): only those are memoised.
        self._picks: Memo[_PickKey, tuple[int, Rule] | None] = Memo(self._pure_pick)
        self._picks_read_counters = {
            (b.code, tier): any(r.when is not None and r.when.first_of for r in rules)
            for b in plan.benefits
            for tier, rules in b.tiers.items()
        }
        self._excluded = tuple(
            TierResult(code, ZERO, ZERO, None, (), (), label) for code, label in self._tier_labels.items()
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
        self._counter_labels = {code: spec.label.words() for code, spec in plan.counters.items()}

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
            key = self._key(limit.counter, line, limit.by)
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
                    ("counter", self._counter_labels[limit.counter]),
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
            result, tier_usages = self._tier(
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
    def _evaluate(
        self,
        formula: Formula,
        values: Mapping[str, Decimal],
        env: Mapping[str, Decimal],
        units: int,
        on: dt.date,
    ) -> Decimal:
        try:
            return formula.evaluate(values, units, env)
        except KeyError as missing:
            # A parameter the formula names has no value in force: say which and when.
            self.parameters.value(str(missing.args[0]).lower(), on)
            raise  # pragma: no cover - value() raised ParameterNotInForce

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
            deductible = min(self._evaluate(benefit.deductible, values, env, 1, on), pool)
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
        key = self._key(limit.counter, line, ())
        ceiling = self._evaluate(limit.amount, values, env, 1, line.date)
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

    def _key(self, counter: str, line: CareLine, by: tuple[str, ...]) -> tuple[str, str, str]:
        scope = line.member if self.plan.counters[counter].scope == "beneficiary" else HOUSEHOLD
        # A missing attribute gives the empty slot; benefits list the attributes they need
        # in `requires` (e.g. the side for hearing aids).
        slot = "/".join(line.attributes.get(attribute, ("",))[0] for attribute in by)
        return counter, scope, slot

    def _pick(
        self,
        rules: tuple[Rule, ...],
        facts: frozenset[str],
        attrs: Mapping[str, str],
        age: int,
        member: str,
        tally: Tally | None,
    ) -> tuple[int, Rule] | None:
        for index, rule in enumerate(rules):
            when = rule.when
            if when is None:
                return index, rule
            first = None
            if when.first_of is not None:
                assert tally is not None, "a rule reading counters is never memoised"
                scope = member if self.plan.counters[when.first_of].scope == "beneficiary" else HOUSEHOLD
                first = not tally.ever(when.first_of, scope)
            if when.matches(facts, attrs, age, first):
                return index, rule
        return None

    def _pure_pick(self, key: _PickKey) -> tuple[int, Rule] | None:
        code, tier, facts, attrs, age = key
        benefit = self.plan.benefit(code)
        assert benefit is not None
        return self._pick(benefit.tiers[tier], facts, dict(attrs), age, "", None)

    def _rule_head(self, key: tuple[str, str, int]) -> tuple[tuple[str, object], ...]:
        """The constant parameters of a rule's explanation: tier, benefit, condition, formula."""
        code, tier, index = key
        benefit = self.plan.benefit(code)
        assert benefit is not None
        rule = benefit.tiers[tier][index]
        return (
            ("tier", self._tier_labels[tier]),
            ("benefit", self._benefit_labels[code]),
            ("condition", tuple(rule.when.describe()) if rule.when else ()),
            ("formula", _with_unit(rule.pay, rule.per)),
        )

    def _offer(
        self,
        rule: Rule,
        where: tuple[str, str, int],
        values: Mapping[str, Decimal],
        env: Mapping[str, Decimal],
        units: int,
        messages: list[Message],
        on: dt.date,
    ) -> Decimal:
        """The rule's amount for the units covered: pay, then limit, then minimum."""
        try:
            amount = rule.pay.evaluate(values, units, env)
        except KeyError:
            amount = self._evaluate(rule.pay, values, env, units, on)  # names what is missing
        messages.append(
            Message(
                "tier.rule",
                (
                    *self._rule_heads[where],
                    ("detail", rule.pay.detail(values, units, env)),
                    ("value", amount),
                ),
            )
        )
        if rule.limit is not None:
            cap = self._evaluate(rule.limit, values, env, units, on)
            if cap < amount:
                amount = cap
                messages.append(
                    Message(
                        "tier.limit",
                        (
                            ("formula", _with_unit(rule.limit, rule.per)),
                            ("detail", rule.limit.detail(values, units, env)),
                            ("value", cap),
                        ),
                    )
                )
        if rule.minimum is not None:
            floor = self._evaluate(rule.minimum, values, env, units, on)
            if floor > amount:
                amount = floor
                messages.append(
                    Message(
                        "tier.minimum",
                        (
                            ("formula", rule.minimum.source),
                            ("value", floor),
                        ),
                    )
                )
        return amount if amount > 0 else ZERO

    def _tier(
        self,
        tier: str,
        benefit: Benefit,
        rules: tuple[Rule, ...],
        line: CareLine,
        facts: frozenset[str],
        attrs: dict[str, str],
        age: int,
        values: dict[str, Decimal],
        env: Mapping[str, Decimal],
        units: int,
        pool: Decimal,
        tally: Tally,
    ) -> tuple[TierResult, list[Usage]]:
        if units == 0:
            return self._nothing[tier], []
        if not rules:
            return self._not_covered[tier], []  # immutable, shared
        if self._picks_read_counters[(benefit.code, tier)]:
            picked = self._pick(rules, facts, attrs, age, line.member, tally)
        else:
            picked = self._picks[(benefit.code, tier, facts, tuple(attrs.items()) if attrs else (), age)]
        if picked is None:
            return self._not_covered[tier], []  # immutable, shared
        index, rule = picked
        label = self._tier_labels[tier]
        messages: list[Message] = []

        # Equipment mixing two categories: average of the two categories' amounts.
        mixed = benefit.average_over and line.attributes.get(benefit.average_over, ())
        variants: list[tuple[int, Rule] | None] = []
        if mixed and len(mixed) > 1:
            attr = benefit.average_over
            assert attr is not None
            for value in mixed:
                variant = dict(attrs)
                variant[attr] = value
                variants.append(self._pick(rules, facts, variant, age, line.member, tally))
        if variants and any(v != variants[0] for v in variants):
            amounts = []
            for found in variants:
                if found is None:
                    amounts.append(ZERO)
                    continue
                amounts.append(
                    self._offer(found[1], (benefit.code, tier, found[0]), values, env, units, messages, line.date)
                )
                index, rule = found
            amount = cents(sum(amounts, ZERO) / len(amounts))
            messages.append(
                Message("tier.average", (("values", " / ".join(str(a) for a in amounts)), ("value", amount)))
            )
        else:
            amount = self._offer(rule, (benefit.code, tier, index), values, env, units, messages, line.date)

        # Amount caps per period.
        caps_hit: list[str] = []
        cap_room: list[tuple[Cap, tuple[str, str, str], Decimal]] = []
        for cap in rule.caps:
            if cap.unless is not None and cap.unless.matches(facts, attrs, age):
                messages.append(
                    Message(
                        "tier.cap_waived",
                        (
                            ("counter", self._counter_labels[cap.counter]),
                            ("condition", tuple(cap.unless.describe())),
                        ),
                    )
                )
                continue
            key = self._key(cap.counter, line, cap.by)
            ceiling = self._evaluate(cap.amount, values, env, 1, line.date)
            used = tally.amount(key, cap.period, line.date)
            left = ceiling - used
            if left < 0:
                left = ZERO
            cap_room.append((cap, key, left))
            messages.append(
                Message(
                    "tier.cap",
                    (
                        ("counter", self._counter_labels[cap.counter]),
                        ("cap", ceiling),
                        ("period", period_text(cap.period)),
                        ("used", used),
                        ("left", left),
                    ),
                )
            )
            if amount > left:
                caps_hit.append(cap.counter)
                capped = left
                if cap.beyond is not None:
                    beyond = self._evaluate(cap.beyond, values, env, units, line.date)
                    messages.append(Message("tier.cap_beyond", (("formula", cap.beyond.source), ("value", beyond))))
                    capped = max(left, min(amount, beyond))
                amount = capped
        maximum = amount

        # Parts counted up to a limit (e.g. the frame of glasses).
        room = pool
        for part, formula in rule.part_limits.items():
            part_amount = line.parts.get(part)
            if part_amount is None:
                continue
            part_cap = self._evaluate(formula, values, env, 1, line.date)
            excess = part_amount - part_cap
            if excess > 0:
                room -= excess
                messages.append(Message("tier.part_limit", (("part", part), ("value", part_cap), ("excess", excess))))
        if room < 0:
            room = ZERO
        paid = maximum if maximum <= room else room  # explain() says when "room" limited it

        usages = []
        for cap, key, left in cap_room:
            consumed = min(paid, left)
            if consumed > 0:
                usages.append(Usage(cap.counter, key[1], key[2], line.date, consumed, 0, line.id))
        return TierResult(
            tier,
            paid,
            maximum,
            self._refs[(benefit.code, tier, index)],
            tuple(messages),
            tuple(caps_hit) if caps_hit else (),
            label,
        ), usages


def _with_unit(formula: Formula, per: str | None) -> object:
    """The formula as written, with its unit ("par séance") rendered per language."""
    return formula.source if per is None else (formula.source, per)


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
