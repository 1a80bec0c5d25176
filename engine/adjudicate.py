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
from dataclasses import dataclass
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
from engine.money import ZERO, cents
from engine.parameters import ParameterNotInForce, Parameters, default_parameters
from engine.plan import Benefit, Cap, Limit, Period, Plan, Rule, age_on

HOUSEHOLD = "*"
_ONE = Decimal(1)
_UNLIMITED = Decimal("1e12")
_YEAR = Period(kind="calendar_year")
_NO_ATTRIBUTES: dict[str, str] = {}


class AdjudicationError(ValueError):
    """The input cannot be adjudicated: which line (``line_id``), which of its fields (``field``, e.g.
    ``br`` or ``attributes.side``) and what is wrong with it (``code``), for callers to act on; the
    message says the same in words for people (``detail``: the words about the field alone)."""

    def __init__(self, *, line_id: str, field: str, code: str, detail: str) -> None:
        super().__init__(f"line '{line_id}': {field}: {detail}")
        self.line_id, self.field, self.code, self.detail = line_id, field, code, detail


def _problem(line_id: str, field: str, code: str, detail: str) -> AdjudicationError:
    return AdjudicationError(line_id=line_id, field=field, code=code, detail=detail)


class _Tally:
    """Working index of counter usages (mutable inside one adjudication only).

    Calendar-year totals are kept as running sums; rolling and lifetime windows scan the
    usages of one counter key.
    """

    __slots__ = ("_amounts", "_counts", "_index", "_yearly_only")

    def __init__(self, usages: Iterable[Usage], yearly_only: frozenset[str] = frozenset()) -> None:
        self._index: dict[tuple[str, str, str], list[Usage]] = {}
        self._amounts: dict[tuple[str, str, str, int], Decimal] = {}
        self._counts: dict[tuple[str, str, str, int], int] = {}
        # Counters only ever read per calendar year need no list of usages.
        self._yearly_only = yearly_only
        for usage in usages:
            self.add(usage)

    def add(self, usage: Usage) -> None:
        key = (usage.counter, usage.scope, usage.slot)
        if usage.counter not in self._yearly_only:
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


@dataclass(frozen=True, slots=True)
class _AmStatic:
    rate: Decimal
    heavy: tuple[Decimal, Decimal] | None  # (threshold, forfait) for heavy acts
    exempt_under: int
    # (name, amount per unit, daily cap, counter, annual cap)
    deductions: tuple[tuple[str, Decimal, Decimal | None, str, Decimal], ...]


class Engine:
    """Adjudicates lines of one plan with one set of parameters."""

    def __init__(self, plan: Plan, parameters: Parameters | None = None) -> None:
        self.plan = plan
        self.parameters = parameters if parameters is not None else default_parameters()
        self._env_cache: dict[dt.date, dict[str, Decimal]] = {}
        self._tier_labels = {t.code: t.label.model_dump() for t in plan.tiers}
        self._benefit_labels = {b.code: b.label.model_dump() for b in plan.benefits}
        self._nothing = {
            code: TierResult(code, ZERO, ZERO, None, (), (), label) for code, label in self._tier_labels.items()
        }
        self._not_covered = {
            code: TierResult(code, ZERO, ZERO, None, (Message("tier.not_covered", (("tier", label),)),), (), label)
            for code, label in self._tier_labels.items()
        }
        self._rate_keys = {b.code: f"am_rate.{b.am}" for b in plan.benefits}
        self._facts: dict[frozenset[str], frozenset[str]] = {}
        self._statics: dict[tuple[str, dt.date], _AmStatic] = {}
        self._ages: dict[tuple[dt.date, dt.date], int] = {}
        self._refs: dict[tuple[str, str, int], str] = {}
        self._picks: dict[tuple[object, ...], tuple[int, Rule] | None] = {}
        # Constant explanation parameters of each (rule, benefit); rules live as long as
        # the plan this engine holds, so their ids are stable.
        self._rule_params: dict[tuple[int, str], tuple[tuple[str, object], ...]] = {}
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
        self._yearly_only = frozenset({"am.participation_forfaitaire", "am.franchises", *plan.counters} - windowed)
        self._counter_labels = {code: spec.label.model_dump() for code, spec in plan.counters.items()}

    # -- public ---------------------------------------------------------------------------
    def adjudicate(
        self,
        household: Household,
        lines: Sequence[CareLine],
        counters: Counters | None = None,
    ) -> Adjudication:
        start = counters if counters is not None else Counters()
        tally = _Tally(start.usages, self._yearly_only)
        results: list[LineResult] = []
        added: list[Usage] = []
        for line in lines:
            try:
                result = self.adjudicate_line(household, line, tally)
            except ParameterNotInForce as error:
                raise _problem(line.id, "date", "parameter_not_in_force", str(error)) from error
            for usage in result.usages:
                tally.add(usage)
            added.extend(result.usages)
            results.append(result)
        new = tuple(added)
        return Adjudication(tuple(results), start.plus(new), new)

    # -- one line ---------------------------------------------------------------------------
    def adjudicate_line(self, household: Household, line: CareLine, tally: _Tally) -> LineResult:
        """One line against the working counters (internal: call ``adjudicate``)."""
        plan = self.plan
        benefit = plan.benefit(line.benefit)
        where = line.id  # the line an error names
        if benefit is None:
            raise _problem(where, "benefit", "unknown", f"unknown benefit code '{line.benefit}' in plan '{plan.code}'")
        member = household.member(line.member)
        if member is None:
            raise _problem(where, "member", "unknown", f"'{line.member}' is not in the household")
        if line.quantity < 1:
            raise _problem(where, "quantity", "too_small", "must be at least 1")
        for attribute in benefit.requires:
            if not line.attributes.get(attribute):
                raise _problem(where, f"attributes.{attribute}", "required", f"required for benefit '{benefit.code}'")
        on = line.date
        age_key = (member.birth_date, on)
        age = self._ages.get(age_key)
        if age is None:
            age = age_on(member.birth_date, on)
            if len(self._ages) > 100_000:
                self._ages.clear()
            self._ages[age_key] = age
        env = self._env(on)
        flags = line.flags
        facts = self._facts.get(flags)
        if facts is None:
            facts = flags if "non_conventionne" in flags else flags | {"conventionne"}
            self._facts[flags] = facts
        attrs = (
            {name: values[0] for name, values in line.attributes.items() if values}
            if line.attributes
            else _NO_ATTRIBUTES
        )
        messages: list[Message] = []
        usages: list[Usage] = []
        charged = line.charged

        # 1. AM part --------------------------------------------------------------------------
        br, mr, tm, non_reimbursable, basis = self._am_part(
            line, benefit, facts, attrs, age, env, tally, messages, usages, where
        )
        other = line.other_paid
        if other:
            if other < 0 or other > charged - mr:
                raise _problem(where, "other_paid", "more_than_remains", f"{other} is more than remains after the AM")
            messages.append(Message("other.paid", (("other", other), ("remains", charged - mr - other))))
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
                    ("period", _period_text(limit.period)),
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

    def _env(self, on: dt.date) -> dict[str, Decimal]:
        cached = self._env_cache.get(on)
        if cached is None:
            snapshot = self.parameters.snapshot(on)
            cached = {key.upper(): value for key, value in snapshot.items() if "." not in key}
            if len(self._env_cache) > 20_000:
                self._env_cache.clear()
            self._env_cache[on] = cached
        return cached

    def _param(self, key: str, on: dt.date, snapshot: Mapping[str, Decimal] | None = None) -> Decimal:
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
    ) -> tuple[Decimal, Decimal, Decimal, Decimal, str]:
        """(BR, MR, TM, non-reimbursable amount, how the AM part is known)"""
        on = line.date
        snap = self.parameters.snapshot(on)
        charged = line.charged
        if not self.plan.has_national_scheme:
            if line.mr:
                raise _problem(where, "mr", "no_scheme", "this plan has no AM, leave it out")
            return (line.br or ZERO), ZERO, ZERO, ZERO, "no_scheme"
        if benefit.am == "none":
            mr = line.mr or ZERO
            if mr > charged:
                raise _problem(where, "mr", "more_than_charged", f"{mr} is more than the amount charged")
            return (line.br or ZERO), mr, ZERO, ZERO, "given" if mr else "not_covered"

        br = line.br
        if br is None:
            for default in benefit.br_default:
                if default.when is None or default.when.matches(facts, attrs, age):
                    if default.parameter is None:
                        br = line.charged
                        messages.append(Message("am.br_charged", (("br", br),)))
                    else:
                        br = self._param(default.parameter, on, snap) * line.quantity
                        tariff = self.parameters.get(default.parameter)
                        named = {"fr": tariff.label_fr, "en": tariff.label_en}  # never the parameter's key
                        messages.append(Message("am.br_default", (("br", br), ("parameter", named))))
                    break
        if br is None:
            raise _problem(
                where,
                "br",
                "required",
                f"the reimbursement base is required for benefit '{benefit.code}' (covered by the AM)",
            )

        static = self._static(benefit, on, snap)
        normal_rate = static.rate
        if "ald" in facts or "maternity" in facts:
            normal_rate = _ONE
        if line.am_rate is not None:
            normal_rate = line.am_rate
        paid_rate = normal_rate
        if "outside_pathway" in facts and benefit.am == "doctor" and line.am_rate is None:
            paid_rate = self._param("am_rate.doctor_outside_pathway", on, snap)
        gross_normal = cents(br * normal_rate)
        heavy = False
        if static.heavy is not None and normal_rate < _ONE:
            threshold, forfait = static.heavy
            if br >= threshold and br - forfait > gross_normal:
                gross_normal = br - forfait
                heavy = True
                messages.append(Message("am.heavy_act", (("threshold", threshold), ("forfait", forfait))))
        gross_paid = gross_normal if paid_rate == normal_rate else cents(br * paid_rate)
        majoration = gross_normal - gross_paid
        if majoration:
            messages.append(Message("am.outside_pathway", (("rate", paid_rate), ("majoration", majoration))))

        # Deductions withheld by the AM (participation forfaitaire, franchises).
        parts: list[tuple[str, Decimal]] = []
        if line.deductions is not None:
            deductions = line.deductions
        else:
            parts = self._deductions(line, static, heavy, age, gross_paid, tally) if static.deductions else []
            deductions = ZERO
            for _, amount in parts:
                deductions += amount

        if line.mr is not None:
            mr = line.mr
            if mr > charged:
                raise _problem(where, "mr", "more_than_charged", f"{mr} is more than the amount charged {charged}")
            basis = "given"
            if line.deductions is None:
                # Deductions estimated; reconcile them with what the statement shows.
                if mr > gross_paid:
                    # Paid at a higher rate (ALD, maternity…): still withheld, within BR.
                    deductions = min(deductions, max(ZERO, br - mr))
                elif mr + deductions > gross_paid:
                    # Less withheld than estimated (exemption): what the statement shows.
                    deductions = gross_paid - mr
            tm = br - (mr + deductions + majoration)
        else:
            capped_gross = min(gross_paid, charged)
            deductions = min(deductions, capped_gross)
            mr = capped_gross - deductions
            tm = br - gross_normal
            basis = "estimated"
            messages.append(
                Message(
                    "am.estimated",
                    (
                        ("rate", paid_rate),
                        ("br", br),
                        ("gross", capped_gross),
                        ("deductions", deductions),
                        ("mr", mr),
                        ("tm", max(tm, ZERO)),
                    ),
                )
            )
        if tm < 0:
            tm = ZERO
        left = deductions
        for counter, amount in parts:  # counters of the deductions actually withheld
            amount = min(amount, left)
            if amount > 0:
                usages.append(Usage(counter, line.member, "", on, amount, 0, line.id))
                left -= amount
        non_reimbursable = min(deductions + majoration, charged - mr)
        return br, mr, tm, non_reimbursable, basis

    def _static(self, benefit: Benefit, on: dt.date, snap: Mapping[str, Decimal]) -> _AmStatic:
        """What the AM part needs from the parameters, once per benefit and date."""
        key = (benefit.code, on)
        found = self._statics.get(key)
        if found is None:
            heavy = None
            if benefit.heavy_act:
                heavy = (
                    self._param("forfait_actes_lourds.threshold", on, snap),
                    self._param("forfait_actes_lourds", on, snap),
                )
            deductions: list[tuple[str, Decimal, Decimal | None, str, Decimal]] = []
            if benefit.deductions:
                for name in benefit.deductions:
                    if name == "participation_forfaitaire":
                        deductions.append(
                            (
                                name,
                                self._param(name, on, snap),
                                self._param("participation_forfaitaire.daily_cap", on, snap),
                                "am.participation_forfaitaire",
                                self._param("participation_forfaitaire.annual_cap", on, snap),
                            )
                        )
                    else:
                        deductions.append(
                            (
                                name,
                                self._param(name, on, snap),
                                None,
                                "am.franchises",
                                self._param("franchise.annual_cap", on, snap),
                            )
                        )
            found = _AmStatic(
                rate=self._param(self._rate_keys[benefit.code], on, snap),
                heavy=heavy,
                exempt_under=int(self._param("deductions.exempt_under_age", on, snap)) if deductions else 0,
                deductions=tuple(deductions),
            )
            if len(self._statics) > 100_000:
                self._statics.clear()
            self._statics[key] = found
        return found

    def _deductions(
        self,
        line: CareLine,
        static: _AmStatic,
        heavy: bool,
        age: int,
        gross: Decimal,
        tally: _Tally,
    ) -> list[tuple[str, Decimal]]:
        """Participation forfaitaire and franchises the AM withholds: (counter, amount)."""
        if not static.deductions or age < static.exempt_under or ("deductions_exempt" in line.flags):
            return []
        on = line.date
        total = ZERO
        parts: list[tuple[str, Decimal]] = []
        for name, unit_amount, daily_cap, counter, annual_cap in static.deductions:
            if heavy and name == "participation_forfaitaire":
                continue  # the heavy-act forfait replaces the flat-rate contribution
            amount = unit_amount * line.quantity
            if daily_cap is not None and amount > daily_cap:
                amount = daily_cap
            room = annual_cap - tally.amount((counter, line.member, ""), _YEAR, on)
            amount = min(amount, room, gross - total)
            if amount > 0:
                parts.append((counter, amount))
                total += amount
        return parts

    def _pick(
        self,
        rules: tuple[Rule, ...],
        facts: frozenset[str],
        attrs: Mapping[str, str],
        age: int,
        member: str,
        tally: _Tally,
    ) -> tuple[int, Rule] | None:
        for index, rule in enumerate(rules):
            when = rule.when
            if when is None:
                return index, rule
            first = None
            if when.first_of is not None:
                scope = member if self.plan.counters[when.first_of].scope == "beneficiary" else HOUSEHOLD
                first = not tally.ever(when.first_of, scope)
            if when.matches(facts, attrs, age, first):
                return index, rule
        return None

    def _offer(
        self,
        rule: Rule,
        values: Mapping[str, Decimal],
        env: Mapping[str, Decimal],
        units: int,
        messages: list[Message] | None,
        tier_label: object,
        benefit: Benefit,
        on: dt.date,
    ) -> Decimal:
        """The rule's amount for the units covered: pay, then limit, then minimum."""
        try:
            amount = rule.pay.evaluate(values, units, env)
        except KeyError:
            amount = self._evaluate(rule.pay, values, env, units, on)  # names what is missing
        if messages is not None:
            head = self._rule_params.get((id(rule), benefit.code))
            if head is None:
                head = (
                    ("tier", tier_label),
                    ("benefit", self._benefit_labels[benefit.code]),
                    ("condition", tuple(rule.when.describe()) if rule.when else ()),
                    ("formula", _with_unit(rule.pay, rule.per)),
                )
                self._rule_params[(id(rule), benefit.code)] = head
            messages.append(
                Message(
                    "tier.rule",
                    (
                        *head,
                        ("detail", rule.pay.detail(values, units, env)),
                        ("value", amount),
                    ),
                )
            )
        if rule.limit is not None:
            cap = self._evaluate(rule.limit, values, env, units, on)
            if cap < amount:
                amount = cap
                if messages is not None:
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
                if messages is not None:
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
        tally: _Tally,
    ) -> tuple[TierResult, list[Usage]]:
        if units == 0:
            return self._nothing[tier], []
        if not rules:
            return self._not_covered[tier], []  # immutable, shared
        # The choice of rule is pure unless a rule looks at counters (first_of): cache it.
        pick_key = (benefit.code, tier, facts, tuple(attrs.items()) if attrs else (), age)
        try:
            picked = self._picks[pick_key]
        except KeyError:
            picked = self._pick(rules, facts, attrs, age, line.member, tally)
            if not any(r.when is not None and r.when.first_of for r in rules):
                if len(self._picks) > 200_000:
                    self._picks.clear()
                self._picks[pick_key] = picked
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
                amounts.append(self._offer(found[1], values, env, units, messages, label, benefit, line.date))
                index, rule = found
            amount = cents(sum(amounts, ZERO) / len(amounts))
            messages.append(
                Message("tier.average", (("values", " / ".join(str(a) for a in amounts)), ("value", amount)))
            )
        else:
            amount = self._offer(rule, values, env, units, messages, label, benefit, line.date)

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
                        ("period", _period_text(cap.period)),
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
        ref = self._refs.get((benefit.code, tier, index))
        if ref is None:
            ref = self._refs[(benefit.code, tier, index)] = f"{benefit.code}/{tier}#{index + 1}"
        return TierResult(tier, paid, maximum, ref, tuple(messages), tuple(caps_hit) if caps_hit else (), label), usages


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
