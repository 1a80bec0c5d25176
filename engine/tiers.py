"""The plan's tiers on one care line: the first matching rule of each tier, its amount (pay, limit,
minimum, lens averaging), the amount caps per period and the parts counted up to a limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from engine.formula import Formula
from engine.memo import Memo
from engine.model import CareLine, Message, TierResult, Usage
from engine.money import ZERO, cents
from engine.parameters import Parameters
from engine.plan import Benefit, Cap, Plan, Rule
from engine.tally import Tally, period_text

HOUSEHOLD = "*"  # the scope of a counter kept for the whole household

# (benefit, tier, facts, attributes, age): everything a rule's choice depends on, when it reads no counter.
_PickKey = tuple[str, str, frozenset[str], tuple[tuple[str, str], ...], int]


class Tiers:
    """What each tier of one plan pays on a line, given what remains to pay (the pool)."""

    def __init__(self, plan: Plan, parameters: Parameters) -> None:
        self.plan = plan
        self.parameters = parameters
        self._tier_labels = {t.code: t.label.words() for t in plan.tiers}
        self._benefit_labels = {b.code: b.label.words() for b in plan.benefits}
        self.counter_labels = {code: spec.label.words() for code, spec in plan.counters.items()}
        self._nothing = {
            code: TierResult(code, ZERO, ZERO, None, (), (), label) for code, label in self._tier_labels.items()
        }
        self._not_covered = {
            code: TierResult(code, ZERO, ZERO, None, (Message("tier.not_covered", (("tier", label),)),), (), label)
            for code, label in self._tier_labels.items()
        }
        self._refs: Memo[tuple[str, str, int], str] = Memo(lambda key: f"{key[0]}/{key[1]}#{key[2] + 1}")
        self._rule_heads: Memo[tuple[str, str, int], tuple[tuple[str, object], ...]] = Memo(self._rule_head)
        # The choice of rule is pure unless a rule looks at counters (first_of): only those are memoised.
        self._picks: Memo[_PickKey, tuple[int, Rule] | None] = Memo(self._pure_pick)
        self._picks_read_counters = {
            (b.code, tier): any(r.when is not None and r.when.first_of for r in rules)
            for b in plan.benefits
            for tier, rules in b.tiers.items()
        }

    def evaluate(
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

    def key(self, counter: str, line: CareLine, by: tuple[str, ...]) -> tuple[str, str, str]:
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
            amount = self.evaluate(rule.pay, values, env, units, on)  # names what is missing
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
            cap = self.evaluate(rule.limit, values, env, units, on)
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
            floor = self.evaluate(rule.minimum, values, env, units, on)
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

    def tier(
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
                            ("counter", self.counter_labels[cap.counter]),
                            ("condition", tuple(cap.unless.describe())),
                        ),
                    )
                )
                continue
            key = self.key(cap.counter, line, cap.by)
            ceiling = self.evaluate(cap.amount, values, env, 1, line.date)
            used = tally.amount(key, cap.period, line.date)
            left = ceiling - used
            if left < 0:
                left = ZERO
            cap_room.append((cap, key, left))
            messages.append(
                Message(
                    "tier.cap",
                    (
                        ("counter", self.counter_labels[cap.counter]),
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
                    beyond = self.evaluate(cap.beyond, values, env, units, line.date)
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
            part_cap = self.evaluate(formula, values, env, 1, line.date)
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
