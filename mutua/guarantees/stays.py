"""The costs of a hospital stay, by kind of stay, and the plan benefit that pays each.

The one place that links a stay to the plan (``engine/data/plans``): the guarantee lists
these costs, the hospital's estimate and invoice are typed against them, and an invoice line
for anything else is outside the guarantee.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PSYCHIATRY = "psychiatry"


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
