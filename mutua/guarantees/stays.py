"""The costs of a hospital stay, by kind of stay, and the plan benefit that pays each; the costs a
member or a hospital types, checked against them and turned into lines for the engine.

The one place that links a stay to the plan (``engine/data/plans``): the guarantee lists
these costs, the hospital's estimate and invoice are typed against them, and an invoice line
for anything else is outside the guarantee.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mutua.guarantees.models import Guarantee
from mutua.providers.models import Provider
from mutua.quotes.estimates import LineInput

PSYCHIATRY = "psychiatry"
MAX_STAY_DAYS = 366


@dataclass(frozen=True)
class StayCost:
    # The same cost whatever the stay ("private_room"), each kind of stay paying it by its own benefit.
    key: str
    benefit_code: str
    label: Promise
    per_day: bool = False  # the quantity is a number of days, and the plan's limit is per day
    doctor: bool = False  # fees: the plan pays more for a DPTM (OPTAM) doctor


_FEES = StayCost("fees", "hosp.surgeon_fees", _("Surgeon's, obstetrician's and anaesthetist's fees"), doctor=True)
_HEAVY_ACT = StayCost("heavy_act_forfait", "hosp.heavy_act_forfait", _("Flat charge on heavy acts"))
_DAILY_CHARGE = StayCost("daily_forfait", "hosp.daily_forfait", _("Daily hospital charge"), per_day=True)
_PRIVATE_ROOM = StayCost("private_room", "hosp.private_room", _("Private room"), per_day=True)
_COMPANION_BED = StayCost("companion_bed", "hosp.companion_bed", _("Companion bed"), per_day=True)

STAY_COSTS: dict[str, tuple[StayCost, ...]] = {
    "surgical": (
        StayCost("stay", "hosp.stay", _("Stay costs")),
        _FEES,
        _HEAVY_ACT,
        _PRIVATE_ROOM,
        _DAILY_CHARGE,
        _COMPANION_BED,
    ),
    "psychiatric": (
        StayCost("stay", "hosp.rehab_stay", _("Stay costs")),
        _FEES,
        StayCost("private_room", "hosp.rehab_private_room", _("Private room"), per_day=True),
        _DAILY_CHARGE,
        _COMPANION_BED,
    ),
    "maternity": (
        StayCost("stay", "maternity.stay", _("Stay costs")),
        StayCost("fees", "maternity.fees", _("Obstetrician's and anaesthetist's fees"), doctor=True),
        StayCost("private_room", "maternity.private_room", _("Private room"), per_day=True),
        _DAILY_CHARGE,
        _COMPANION_BED,
    ),
}
STAY_COSTS["medical"] = STAY_COSTS["surgical"]


def stay_costs(stay_kind: str) -> tuple[StayCost, ...]:
    return STAY_COSTS[stay_kind]


def stay_cost(stay_kind: str, benefit_code: str) -> StayCost | None:
    return next((cost for cost in STAY_COSTS[stay_kind] if cost.benefit_code == benefit_code), None)


def cost_label(stay_kind: str, benefit_code: str, *, default: str = "") -> str:
    """The cost's name in the active language; ``default`` (or the code) for one the stay does not have."""
    known = stay_cost(stay_kind, benefit_code)
    return str(known.label) if known else default or benefit_code


def stay_flags(*, stay_kind: str, conventionne: bool, dptm: bool = False) -> tuple[str, ...]:
    """The facts the plan's rules test on a line of this stay."""
    flags = []
    if stay_kind == "psychiatric":
        flags.append(PSYCHIATRY)
    if not conventionne:
        flags.append("non_conventionne")
    if dptm:
        flags.append("dptm")
    return tuple(flags)


def days_between(first: date, last: date) -> int:
    """Days of a stay, the first and the last included (the daily charge is due for each)."""
    return (last - first).days + 1


@dataclass(frozen=True)
class Cost:
    """A cost of the stay as typed by the member or the hospital (estimate or invoice), in euros."""

    benefit_code: str
    amount: Decimal
    br: Decimal | None = None
    quantity: int = 1
    dptm: bool = False
    am_paid: Decimal | None = None  # on an invoice: what the Assurance Maladie paid (MR)


def stay_lines(*, stay_kind: str, provider: Provider | None, costs: Sequence[Cost]) -> list[LineInput]:
    conventionne = provider.conventionne if provider else True
    lines = []
    for cost in costs:
        known = stay_cost(stay_kind, cost.benefit_code)
        if known is None:
            raise ValidationError(_("Choose the costs among those of the stay."), code="benefit")
        if cost.amount <= 0 or (cost.br is not None and cost.br < 0) or not 1 <= cost.quantity <= MAX_STAY_DAYS:
            raise ValidationError(
                _("%(cost)s: enter a positive amount and a number of days between 1 and 366."),
                params={"cost": known.label},
                code="amount",
            )
        flags = stay_flags(stay_kind=stay_kind, conventionne=conventionne, dptm=cost.dptm and known.doctor)
        lines.append(
            LineInput(
                benefit_code=cost.benefit_code,
                amount=cost.amount,
                br=cost.br,
                quantity=cost.quantity,
                flags=flags,
                label=str(known.label),
            )
        )
    return lines


def guarantee_costs(guarantee: Guarantee) -> list[Cost]:
    """The costs stated on the guarantee, as typed, to compute its estimate again."""
    return [
        Cost(line.benefit_code, line.amount, line.br, line.quantity, dptm="dptm" in line.flags)
        for line in guarantee.lines.all()
    ]
