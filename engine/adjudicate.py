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
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from engine.formula import Formula
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
from engine.parameters import Parameters, default_parameters
from engine.plan import Benefit, Cap, Condition, Limit, Period, Plan, Rule, age_on

HOUSEHOLD = "*"
_ONE = Decimal(1)
_UNLIMITED = Decimal("1e12")
_YEAR = Period(kind="calendar_year")


class AdjudicationError(ValueError):
    """The input cannot be adjudicated; the message names the line and the field."""


class _Tally:
    """Working index of counter usages (mutable inside one adjudication only).

    Calendar-year totals are kept as running sums; rolling and lifetime windows scan the
    usages of one counter key.
    """

    __slots__ = ("_amounts", "_counts", "_index")

    def __init__(self, usages: Iterable[Usage]) -> None:
        self._index: dict[tuple[str, str, str], list[Usage]] = {}
        self._amounts: dict[tuple[str, str, str, int], Decimal] = {}
        self._counts: dict[tuple[str, str, str, int], int] = {}
        for usage in usages:
            self.add(usage)

    def add(self, usage: Usage) -> None:
        key = (usage.counter, usage.scope, usage.slot)
        self._index.setdefault(key, []).append(usage)
        year_key = (*key, usage.on.year)
        if usage.amount:
            self._amounts[year_key] = self._amounts.get(year_key, ZERO) + usage.amount
        if usage.count:
            self._counts[year_key] = self._counts.get(year_key, 0) + usage.count

    def _window(self, key: tuple[str, str, str], period: Period, on: dt.date) -> list[Usage]:
        found = self._index.get(key)
        if not found:
            return []
        if period.kind == "lifetime":
            return found
        if period.kind == "calendar_year":
            return [u for u in found if u.on.year == on.year]
        start = _add_months(on, -period.months)
        end = _add_months(on, period.months)
        return [u for u in found if start < u.on < end]

    def amount(self, key: tuple[str, str, str], period: Period, on: dt.date) -> Decimal:
        if period.kind == "calendar_year":
            return self._amounts.get((*key, on.year), ZERO)
        return sum((u.amount for u in self._window(key, period, on)), ZERO)

    def count(self, key: tuple[str, str, str], period: Period, on: dt.date) -> int:
        if period.kind == "calendar_year":
            return self._counts.get((*key, on.year), 0)
        return sum(u.count for u in self._window(key, period, on))

    def ever(self, counter: str, scope: str) -> bool:
        return any(k[0] == counter and k[1] == scope and v for k, v in self._index.items())


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _period_text(period: Period) -> object:
    if period.kind == "rolling":
        return {"fr": f"période de {period.months} mois", "en": f"{period.months}-month period"}
    return period.kind


def _pct(rate: Decimal) -> str:
    return f"{format((rate * HUNDRED).normalize(), 'f')} %"


class Engine:
    """Adjudicates lines of one plan with one set of parameters."""

    def __init__(self, plan: Plan, parameters: Parameters | None = None) -> None:
        self.plan = plan
        self.parameters = parameters if parameters is not None else default_parameters()
        self._env_cache: dict[dt.date, dict[str, Decimal]] = {}
        self._tier_labels = {t.code: t.label.model_dump() for t in plan.tiers}
        self._benefit_labels = {b.code: b.label.model_dump() for b in plan.benefits}
        self._counter_labels = {
            code: spec.label.model_dump() for code, spec in plan.counters.items()
        }

    # -- public ---------------------------------------------------------------------------
    def adjudicate(
        self,
        household: Household,
        lines: Sequence[CareLine],
        counters: Counters | None = None,
    ) -> Adjudication:
        start = counters if counters is not None else Counters()
        tally = _Tally(start.usages)
        results: list[LineResult] = []
        added: list[Usage] = []
        for line in lines:
            result = self.adjudicate_line(household, line, tally)
            for usage in result.usages:
                tally.add(usage)
            added.extend(result.usages)
            results.append(result)
        new = tuple(added)
        return Adjudication(tuple(results), start.plus(new), new)

    # -- one line ---------------------------------------------------------------------------
    def adjudicate_line(self, household: Household, line: CareLine, tally: _Tally) -> LineResult:
        plan = self.plan
        benefit = plan.benefit(line.benefit)
        where = f"line '{line.id}'"
        if benefit is None:
            raise AdjudicationError(
                f"{where}: benefit: unknown benefit code '{line.benefit}' in plan '{plan.code}'"
            )
        member = household.member(line.member)
        if member is None:
            raise AdjudicationError(f"{where}: member: '{line.member}' is not in the household")
        if line.quantity < 1:
            raise AdjudicationError(f"{where}: quantity: must be at least 1")
        for attribute in benefit.requires:
            if not line.attributes.get(attribute):
                raise AdjudicationError(
                    f"{where}: attributes.{attribute}: required for benefit '{benefit.code}'"
                )
        on = line.date
        age = age_on(member.birth_date, on)
        env = self._env(on)
        flags = line.flags
        facts = flags if "non_conventionne" in flags else flags | {"conventionne"}
        attrs = {name: values[0] for name, values in line.attributes.items() if values}
        messages: list[Message] = []
        usages: list[Usage] = []
        charged = line.charged

        # 1. AM part --------------------------------------------------------------------------
        br, mr, tm, non_reimbursable, estimated = self._am_part(
            line, benefit, facts, attrs, age, env, tally, messages, usages, where
        )
        pool = charged - mr - non_reimbursable
        if pool < 0:
            pool = ZERO
        if benefit.allowance:
            pool = _UNLIMITED  # a lump sum, whatever the amount charged
        plv = line.plv if line.plv is not None else charged

        # 2. benefit-level limits: units covered -------------------------------------------------
        units = line.quantity
        limit_keys: list[tuple[Limit, tuple[str, str, str]]] = []
        for limit in benefit.limits:
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
                    ("units", left), ("quantity", units), ("count", limit.count),
                    ("period", _period_text(limit.period)),
                    ("counter", self._counter_labels[limit.counter]), ("used", used),
                )
                messages.append(Message("limit.exhausted" if left == 0 else "limit.reduced",
                                        params))
                units = left
        ratio = _ONE if units == line.quantity else Decimal(units) / Decimal(line.quantity)
        if ratio != _ONE:
            charged_u, br_u, plv_u = cents(charged * ratio), cents(br * ratio), cents(plv * ratio)
            mr_u, tm_u = cents(mr * ratio), cents(tm * ratio)
            if not benefit.allowance:
                pool = cents(pool * ratio)
        else:
            charged_u, br_u, plv_u, mr_u, tm_u = charged, br, plv, mr, tm

        values = {"FR": charged_u, "BR": br_u, "PLV": plv_u, "MR": mr_u, "TM": tm_u,
                  "PRIOR": ZERO}

        # 3. tiers in order -----------------------------------------------------------------------
        tiers: list[TierResult] = []
        prior = ZERO
        for tier in plan.tiers:
            values["PRIOR"] = prior
            rules = benefit.tiers.get(tier.code, ())
            result, tier_usages = self._tier(
                tier.code, benefit, rules, line, facts, attrs, age, values, env, units, pool,
                tally,
            )
            pool -= result.paid
            prior += result.paid
            usages.extend(tier_usages)
            tiers.append(result)

        if prior > 0 and units > 0:
            for limit, key in limit_keys:
                usages.append(Usage(limit.counter, key[1], key[2], on, ZERO, units, line.id))

        out_of_pocket = charged - mr - prior
        if out_of_pocket < 0:  # only possible for allowances
            out_of_pocket = ZERO
        return LineResult(
            line_id=line.id,
            member=line.member,
            benefit=benefit.code,
            date=on,
            charged=charged,
            br=br,
            am_paid=mr,
            am_estimated=estimated,
            tm=tm,
            non_reimbursable=non_reimbursable,
            tiers=tuple(tiers),
            out_of_pocket=out_of_pocket,
            explanation=tuple(messages),
            usages=tuple(usages),
            currency=plan.currency,
        )

    # -- helpers -------------------------------------------------------------------------------
    def _evaluate(
        self, formula: Formula, values: Mapping[str, Decimal], env: Mapping[str, Decimal],
        units: int, on: dt.date,
    ) -> Decimal:
        try:
            return formula.evaluate(values, units, env)
        except KeyError as missing:
            # A parameter the formula names has no value in force: say which and when.
            self.parameters.value(str(missing.args[0]).lower(), on)
            raise  # pragma: no cover - value() raised ParameterNotInForce

    def _env(self, on: dt.date) -> dict[str, Decimal]:
        cached = self._env_cache.get(on)
        if cached is None:
            snapshot = self.parameters.snapshot(on)
            cached = {key.upper(): value for key, value in snapshot.items() if "." not in key}
            if len(self._env_cache) > 20_000:
                self._env_cache.clear()
            self._env_cache[on] = cached
        return cached

    def _param(self, key: str, on: dt.date, snapshot: Mapping[str, Decimal] | None = None
               ) -> Decimal:
        try:
            return (snapshot if snapshot is not None else self.parameters.snapshot(on))[key]
        except KeyError:
            return self.parameters.value(key, on)  # raises ParameterNotInForce

    def _key(self, counter: str, line: CareLine, by: tuple[str, ...]) -> tuple[str, str, str]:
        scope = line.member if self.plan.counters[counter].scope == "beneficiary" else HOUSEHOLD
        # A missing attribute gives the empty slot; benefits list the attributes they need
        # in `requires` (e.g. the side for hearing aids).
        slot = "/".join(line.attributes.get(attribute, ("",))[0] for attribute in by)
        return counter, scope, slot

    def _am_part(
        self,
        line: CareLine,
        benefit: Benefit,
        facts: frozenset[str],
        attrs: Mapping[str, str],
        age: int,
        env: Mapping[str, Decimal],
        tally: _Tally,
        messages: list[Message],
        usages: list[Usage],
        where: str,
    ) -> tuple[Decimal, Decimal, Decimal, Decimal, bool]:
        """(BR, MR, TM, non-reimbursable amount, estimated?)"""
        on = line.date
        snap = self.parameters.snapshot(on)
        charged = line.charged
        if not self.plan.am:
            if line.mr:
                raise AdjudicationError(f"{where}: mr: this plan has no AM, leave it out")
            messages.append(Message("am.no_scheme"))
            return (line.br or ZERO), ZERO, ZERO, ZERO, False
        if benefit.am == "none":
            mr = line.mr or ZERO
            if mr > charged:
                raise AdjudicationError(f"{where}: mr: {mr} is more than the amount charged")
            messages.append(Message("am.not_covered") if not mr else Message(
                "am.given", (("mr", mr), ("br", line.br or ZERO), ("tm", ZERO))))
            return (line.br or ZERO), mr, ZERO, ZERO, False

        br = line.br
        if br is None:
            for default in benefit.br_default:
                if default.when is None or default.when.matches(facts, attrs, age):
                    br = self._param(default.parameter, on, snap) * line.quantity
                    messages.append(Message("am.br_default", (("br", br),
                                                             ("parameter", default.parameter))))
                    break
        if br is None:
            raise AdjudicationError(
                f"{where}: br: the reimbursement base is required for benefit "
                f"'{benefit.code}' (covered by the AM)"
            )

        normal_rate = self._param(f"am_rate.{benefit.am}", on, snap)
        if "ald" in facts or "maternity" in facts:
            normal_rate = _ONE
        if line.am_rate is not None:
            normal_rate = line.am_rate
        paid_rate = normal_rate
        if "outside_pathway" in facts and benefit.am == "doctor" and line.am_rate is None:
            paid_rate = self._param("am_rate.doctor_outside_pathway", on, snap)
        gross_normal = cents(br * normal_rate)
        heavy = False
        if benefit.heavy_act and normal_rate < _ONE:
            threshold = self._param("forfait_actes_lourds.threshold", on, snap)
            if br >= threshold:
                forfait = self._param("forfait_actes_lourds", on, snap)
                if br - forfait > gross_normal:
                    gross_normal = br - forfait
                    heavy = True
                    messages.append(Message("am.heavy_act", (("threshold", threshold),
                                                            ("forfait", forfait))))
        gross_paid = gross_normal if paid_rate == normal_rate else cents(br * paid_rate)
        majoration = gross_normal - gross_paid
        if majoration:
            messages.append(Message("am.outside_pathway", (("rate", _pct(paid_rate)),
                                                           ("majoration", majoration))))

        # Deductions withheld by the AM (participation forfaitaire, franchises).
        if line.deductions is not None:
            deductions = line.deductions
        else:
            deductions = self._deductions(line, benefit, heavy, age, gross_paid, tally, usages)

        if line.mr is not None:
            mr = line.mr
            if mr > charged:
                raise AdjudicationError(
                    f"{where}: mr: {mr} is more than the amount charged {charged}"
                )
            estimated = False
            if line.deductions is None and mr + deductions > gross_paid and not heavy:
                # The statement shows less withheld than estimated: trust the statement.
                deductions = max(ZERO, gross_paid - mr)
            tm = br - (mr + deductions + majoration)
            messages.append(Message("am.given", (("mr", mr), ("br", br), ("tm", max(tm, ZERO)))))
        else:
            capped_gross = min(gross_paid, charged)
            deductions = min(deductions, capped_gross)
            mr = capped_gross - deductions
            tm = br - gross_normal
            estimated = True
            messages.append(Message("am.estimated", (
                ("rate", _pct(paid_rate)), ("br", br), ("gross", capped_gross),
                ("deductions", deductions), ("mr", mr), ("tm", max(tm, ZERO)),
            )))
        if tm < 0:
            tm = ZERO
        non_reimbursable = min(deductions + majoration, charged - mr)
        if non_reimbursable > 0:
            messages.append(Message("line.non_reimbursable", (("amount", non_reimbursable),)))
        return br, mr, tm, non_reimbursable, estimated

    def _deductions(
        self,
        line: CareLine,
        benefit: Benefit,
        heavy: bool,
        age: int,
        gross: Decimal,
        tally: _Tally,
        usages: list[Usage],
    ) -> Decimal:
        if not benefit.deductions or "deductions_exempt" in line.flags:
            return ZERO
        on = line.date
        snap = self.parameters.snapshot(on)
        if age < self._param("deductions.exempt_under_age", on, snap):
            return ZERO
        total = ZERO
        for name in benefit.deductions:
            if heavy and name == "participation_forfaitaire":
                continue  # the heavy-act forfait replaces the flat-rate contribution
            amount = self._param(name, on, snap) * line.quantity
            if name == "participation_forfaitaire":
                amount = min(amount, self._param("participation_forfaitaire.daily_cap", on, snap))
                counter, cap = "am.participation_forfaitaire", self._param(
                    "participation_forfaitaire.annual_cap", on, snap)
            else:
                counter, cap = "am.franchises", self._param("franchise.annual_cap", on, snap)
            key = (counter, line.member, "")
            amount = min(amount, max(ZERO, cap - tally.amount(key, _YEAR, on)), gross - total)
            if amount > 0:
                usages.append(Usage(counter, line.member, "", on, amount, 0, line.id))
                total += amount
        return total

    def _pick(
        self, rules: tuple[Rule, ...], facts: frozenset[str], attrs: Mapping[str, str],
        age: int, member: str, tally: _Tally,
    ) -> tuple[int, Rule] | None:
        for index, rule in enumerate(rules):
            when = rule.when
            if when is None:
                return index, rule
            first = None
            if when.first_of is not None:
                scope = member if self.plan.counters[when.first_of].scope == "beneficiary" \
                    else HOUSEHOLD
                first = not tally.ever(when.first_of, scope)
            if when.matches(facts, attrs, age, first):
                return index, rule
        return None

    def _offer(
        self, rule: Rule, values: Mapping[str, Decimal], env: Mapping[str, Decimal], units: int,
        messages: list[Message] | None, tier_label: object, benefit: Benefit, on: dt.date,
    ) -> Decimal:
        """The rule's amount for the units covered: pay, then limit, then minimum."""
        amount = self._evaluate(rule.pay, values, env, units, on)
        if messages is not None:
            messages.append(Message("tier.rule", (
                ("tier", tier_label), ("benefit", self._benefit_labels[benefit.code]),
                ("condition", tuple(rule.when.describe()) if rule.when else ()),
                ("formula", _with_unit(rule.pay, rule.per)),
                ("detail", rule.pay.detail(values, units, env)), ("value", amount),
            )))
        if rule.limit is not None:
            cap = self._evaluate(rule.limit, values, env, units, on)
            if cap < amount:
                amount = cap
                if messages is not None:
                    messages.append(Message("tier.limit", (
                        ("formula", _with_unit(rule.limit, rule.per)),
                        ("detail", rule.limit.detail(values, units, env)), ("value", cap),
                    )))
        if rule.minimum is not None:
            floor = self._evaluate(rule.minimum, values, env, units, on)
            if floor > amount:
                amount = floor
                if messages is not None:
                    messages.append(Message("tier.minimum", (
                        ("formula", rule.minimum.source), ("value", floor),
                    )))
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
        tally: _Tally,
    ) -> tuple[TierResult, list[Usage]]:
        label = self._tier_labels[tier]
        messages: list[Message] = []
        if units == 0:
            return TierResult(tier, ZERO, ZERO, None, ()), []
        picked = self._pick(rules, facts, attrs, age, line.member, tally)
        if picked is None:
            messages.append(Message("tier.not_covered", (("tier", label),)))
            return TierResult(tier, ZERO, ZERO, None, tuple(messages)), []
        index, rule = picked

        # Equipment mixing two categories: average of the two categories' amounts.
        mixed = benefit.average_over and line.attributes.get(benefit.average_over, ())
        if mixed and len(mixed) > 1:
            amounts = []
            attr = benefit.average_over
            assert attr is not None
            for value in mixed:
                variant = dict(attrs)
                variant[attr] = value
                found = self._pick(rules, facts, variant, age, line.member, tally)
                if found is None:
                    amounts.append(ZERO)
                    continue
                amounts.append(self._offer(found[1], values, env, units, messages, label, benefit, line.date))
                index, rule = found
            amount = cents(sum(amounts, ZERO) / len(amounts))
            messages.append(Message("tier.average", (
                ("values", " / ".join(str(a) for a in amounts)), ("value", amount))))
        else:
            amount = self._offer(rule, values, env, units, messages, label, benefit, line.date)

        # Amount caps per period.
        caps_hit: list[str] = []
        cap_room: list[tuple[Cap, tuple[str, str, str], Decimal]] = []
        for cap in rule.caps:
            if cap.unless is not None and cap.unless.matches(facts, attrs, age):
                messages.append(Message("tier.cap_waived", (
                    ("counter", self._counter_labels[cap.counter]),
                    ("condition", tuple(cap.unless.describe())),
                )))
                continue
            key = self._key(cap.counter, line, cap.by)
            ceiling = self._evaluate(cap.amount, values, env, 1, line.date)
            used = tally.amount(key, cap.period, line.date)
            left = ceiling - used
            if left < 0:
                left = ZERO
            cap_room.append((cap, key, left))
            messages.append(Message("tier.cap", (
                ("counter", self._counter_labels[cap.counter]), ("cap", ceiling),
                ("period", _period_text(cap.period)), ("used", used), ("left", left),
            )))
            if amount > left:
                caps_hit.append(cap.counter)
                capped = left
                if cap.beyond is not None:
                    beyond = self._evaluate(cap.beyond, values, env, units, line.date)
                    messages.append(Message("tier.cap_beyond", (
                        ("formula", cap.beyond.source), ("value", beyond))))
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
                messages.append(Message("tier.part_limit", (
                    ("part", part), ("value", part_cap), ("excess", excess))))
        if room < 0:
            room = ZERO
        paid = maximum
        if paid > room:
            paid = room
            messages.append(Message("tier.remaining", (("remaining", room),)))
        messages.append(Message("tier.paid", (("tier", label), ("paid", paid))))

        usages = []
        for cap, key, left in cap_room:
            consumed = min(paid, left)
            if consumed > 0:
                usages.append(Usage(cap.counter, key[1], key[2], line.date, consumed, 0,
                                    line.id))
        ref = f"{benefit.code}/{tier}#{index + 1}"
        return TierResult(tier, paid, maximum, ref, tuple(messages), tuple(caps_hit)), usages


def _with_unit(formula: Formula, per: str | None) -> str:
    return formula.source if per is None else f"{formula.source} /{per}"


def adjudicate(
    plan: Plan,
    household: Household,
    lines: Sequence[CareLine],
    counters: Counters | None = None,
    parameters: Parameters | None = None,
) -> Adjudication:
    """Adjudicate care lines (in date order) for one household under one plan."""
    return Engine(plan, parameters).adjudicate(household, lines, counters)


__all__ = ["AdjudicationError", "Condition", "Engine", "adjudicate"]
