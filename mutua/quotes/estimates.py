"""Estimates: the engine's answer for planned care, through the benefits adapter, never writing counters.

A quote is estimated for its person on the planned date with the household's counters as they
stand (renewal periods, caps already used); the simulator estimates one care item for a person
of a given age with no history. Both say how much less the member would pay in the partner
network when the plan pays more there.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engine import AdjudicationError, Counters, Household, LineResult, get_plan
from engine import Member as EngineMember
from mutua.benefits import adapter
from mutua.contracts.cover import Coverage, beneficiary_coverage_on, subscriber_coverage_on
from mutua.contracts.models import Beneficiary, Member

ZERO = Decimal("0.00")
NETWORK = "network"

# A quote line's id for the engine: its number, so that a problem the engine names points at the line.
LINE_PREFIX = "line-"


@dataclass(frozen=True)
class LineInput:
    """A line as typed on the quote (or in the simulator), amounts in euros."""

    benefit_code: str
    amount: Decimal
    br: Decimal | None = None
    quantity: int = 1
    flags: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)
    label: str = ""
    tooth: str = ""
    country: str = ""  # where the care is given (ISO 3166-1 alpha-2), for a plan's zone rules


@dataclass(frozen=True)
class LineEstimate:
    line: LineInput
    fields: dict[str, object]  # adapter.result_fields: am_paid, tiers_paid, paid_total, out_of_pocket, explanation
    rules: tuple[str, ...]
    network_saving: Decimal


@dataclass(frozen=True)
class Estimate:
    on: date
    plan_code: str
    plan_version_from: date | None
    tiers: tuple[str, ...]
    lines: tuple[LineEstimate, ...]

    def total(self, name: str) -> Decimal:
        return sum((Decimal(line.fields[name]) for line in self.lines), ZERO)

    @property
    def total_amount(self) -> Decimal:
        return sum((line.line.amount for line in self.lines), ZERO)

    @property
    def network_saving(self) -> Decimal:
        return sum((line.network_saving for line in self.lines), ZERO)


def person_coverage(*, member: Member, beneficiary: Beneficiary | None, on: date) -> Coverage:
    if beneficiary is not None:
        return beneficiary_coverage_on(beneficiary=beneficiary, day=on)
    return subscriber_coverage_on(member=member, day=on)


def _engine_error(error: AdjudicationError) -> ValidationError:
    """The engine's reason in the member's words when it is something they can fix on the quote."""
    fixes = {
        "br": _("enter the reimbursement base (BR) printed on the quote"),
        "attributes.lens_class": _("choose the kind of lenses"),
        "attributes.side": _("choose the side (eye or ear)"),
        "attributes.basket": _("choose the basket"),
    }
    if error.line_id.startswith(LINE_PREFIX) and error.field in fixes:
        params = {"number": error.line_id.removeprefix(LINE_PREFIX), "fix": fixes[error.field]}
        return ValidationError(_("Line %(number)s: %(fix)s."), params=params, code="line")
    return ValidationError(_("The rules cannot estimate this: %(problem)s"), params={"problem": error}, code="engine")


def _run(
    *,
    plan_code: str,
    tiers: tuple[str, ...],
    household: Household,
    person: str,
    on: date,
    lines: Sequence[LineInput],
    counters: Counters,
    extra_flags: frozenset[str] = frozenset(),
) -> tuple[LineResult, ...]:
    care_lines = [
        adapter.care_line_of(
            line_id=f"{LINE_PREFIX}{number}",
            person=person,
            on=on,
            benefit_code=line.benefit_code,
            amount=line.amount,
            br=line.br,
            quantity=line.quantity,
            flags={*line.flags, *extra_flags},
            attributes=line.attributes,
            country=line.country,
        )
        for number, line in enumerate(lines, start=1)
    ]
    try:
        return adapter.engine_for(plan_code, tiers).adjudicate(household, care_lines, counters).lines
    except AdjudicationError as error:
        raise _engine_error(error) from error


def _estimate(
    *,
    plan_code: str,
    tiers: tuple[str, ...],
    plan_version_from: date | None = None,
    household: Household,
    person: str,
    on: date,
    lines: Sequence[LineInput],
    counters: Counters,
) -> Estimate:
    if not lines:
        raise ValidationError(_("Enter at least one line of the quote."), code="no_line")
    plan = get_plan(plan_code)
    for number, line in enumerate(lines, start=1):
        if plan.benefit(line.benefit_code) is None:
            raise ValidationError(
                _("Line %(number)s: choose the kind of care in the list."), params={"number": number}, code="benefit"
            )
    run = {"plan_code": plan_code, "tiers": tiers, "household": household, "person": person}
    results = _run(**run, on=on, lines=lines, counters=counters)
    in_network = results
    if any(NETWORK not in line.flags for line in lines):
        # Same prices with the network flag: where the plan pays more, the member pays that much less.
        in_network = _run(**run, on=on, lines=lines, counters=counters, extra_flags=frozenset({NETWORK}))
    estimates = []
    for line, result, network in zip(lines, results, in_network, strict=True):
        saving = ZERO
        if NETWORK not in line.flags and network.paid_by_plan > result.paid_by_plan:
            saving = max(result.out_of_pocket - network.out_of_pocket, ZERO)
        estimates.append(
            LineEstimate(
                line=line,
                fields=adapter.result_fields(result, plan_code=plan_code),
                rules=tuple(tier.rule for tier in result.tiers if tier.rule),
                network_saving=saving,
            )
        )
    return Estimate(on, plan_code, plan_version_from, tiers, tuple(estimates))


def quote_estimate_compute(
    *, member: Member, beneficiary: Beneficiary | None, on: date, lines: Sequence[LineInput]
) -> Estimate:
    """The estimate for this person on ``on``, with the household's counters as they stand today."""
    coverage = person_coverage(member=member, beneficiary=beneficiary, on=on)
    if not coverage.covered:
        raise ValidationError(
            _("Not covered on %(date)s: %(reason)s"),
            params={"date": on.strftime("%d/%m/%Y"), "reason": coverage.explanation},
            code="not_covered",
        )
    return _estimate(
        plan_code=coverage.plan_code,
        tiers=coverage.tiers,
        plan_version_from=coverage.plan_version_from,
        household=adapter.household(member),
        person=adapter.person_key(member_id=member.pk, beneficiary_id=beneficiary.pk if beneficiary else None),
        on=on,
        lines=lines,
        counters=adapter.counters(member, on=on),
    )


def simulation_compute(*, plan_code: str, tiers: tuple[str, ...], age: int, on: date, line: LineInput) -> Estimate:
    """The simulator: one care item for an anonymous person of ``age`` on ``on``, with no earlier care."""
    # Born on 1 January of that year, the person is exactly ``age`` on any day of ``on``'s year.
    person = EngineMember("anonymous", date(on.year - age, 1, 1), "member")
    return _estimate(
        plan_code=plan_code,
        tiers=tiers,
        household=Household((person,)),
        person=person.id,
        on=on,
        lines=[line],
        counters=Counters(),
    )
