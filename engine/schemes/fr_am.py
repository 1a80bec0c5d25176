"""The French national scheme (Assurance Maladie) paying before the plan: the AM part of a care line.

For each line: BR (given, or the regulated tariff, or the amount charged), the AM rate in force on
the care date (100 % under ALD or maternity, lower outside the care pathway), the heavy-act flat
charge, and the deductions the AM withholds (participation forfaitaire, franchises) within their
daily and annual caps; MR as given by an AM statement or estimated; TM = BR − the AM part before
deductions. What a "contrat responsable" may never reimburse (deductions, out-of-pathway surcharge)
comes out as the non-reimbursable amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from engine.errors import problem
from engine.memo import Memo
from engine.model import CareLine, Message, Usage
from engine.money import ZERO, cents
from engine.parameters import Parameters
from engine.plan import Benefit, Plan
from engine.schemes.base import SchemePart
from engine.tally import YEAR, Tally

_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class _AmStatic:
    rate: Decimal
    heavy: tuple[Decimal, Decimal] | None  # (threshold, forfait) for heavy acts
    exempt_under: int
    # (name, amount per unit, daily cap, counter, annual cap)
    deductions: tuple[tuple[str, Decimal, Decimal | None, str, Decimal], ...]


class FrenchNationalScheme:
    """The AM part of lines under a plan whose ``am`` is ``fr_am``."""

    # Counters this scheme keeps, only ever read per calendar year.
    counters = frozenset({"am.participation_forfaitaire", "am.franchises"})

    def __init__(self, plan: Plan, parameters: Parameters) -> None:
        self.plan = plan
        self.parameters = parameters
        self._rate_keys = {b.code: f"am_rate.{b.am}" for b in plan.benefits}
        self._statics: Memo[tuple[str, dt.date], _AmStatic] = Memo(self._static)

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
        """(BR, MR, TM, non-reimbursable amount, how the AM part is known)"""
        where = line.id
        on = line.date
        snap = self.parameters.snapshot(on)
        charged = line.charged
        if benefit.am == "none":
            mr = line.mr or ZERO
            if mr > charged:
                raise problem(where, "mr", "more_than_charged", f"{mr} is more than the amount charged")
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
            raise problem(
                where,
                "br",
                "required",
                f"the reimbursement base is required for benefit '{benefit.code}' (covered by the AM)",
            )

        static = self._statics[(benefit.code, on)]
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
                raise problem(where, "mr", "more_than_charged", f"{mr} is more than the amount charged {charged}")
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

    def _static(self, key: tuple[str, dt.date]) -> _AmStatic:
        """What the AM part needs from the parameters, once per benefit and date (memoised)."""
        code, on = key
        benefit = self.plan.benefit(code)
        assert benefit is not None
        snap = self.parameters.snapshot(on)
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
        return _AmStatic(
            rate=self._param(self._rate_keys[benefit.code], on, snap),
            heavy=heavy,
            exempt_under=int(self._param("deductions.exempt_under_age", on, snap)) if deductions else 0,
            deductions=tuple(deductions),
        )

    def _deductions(
        self,
        line: CareLine,
        static: _AmStatic,
        heavy: bool,
        age: int,
        gross: Decimal,
        tally: Tally,
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
            room = annual_cap - tally.amount((counter, line.member, ""), YEAR, on)
            amount = min(amount, room, gross - total)
            if amount > 0:
                parts.append((counter, amount))
                total += amount
        return parts

    def _param(self, key: str, on: dt.date, snapshot: Mapping[str, Decimal]) -> Decimal:
        try:
            return snapshot[key]
        except KeyError:
            return self.parameters.value(key, on)  # raises ParameterNotInForce
