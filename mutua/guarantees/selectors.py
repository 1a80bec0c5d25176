"""Reads for hospital guarantees, each scoped to who asks: a household, a hospital, the back office."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from engine.plan_sections import StayCost
from mutua.benefits.models import ClaimItem
from mutua.contracts.models import Beneficiary, Member
from mutua.contracts.selectors import normalize_member_number
from mutua.core.languages import in_language
from mutua.guarantees.models import Extension, Guarantee, GuaranteeLine, MedicalReport
from mutua.guarantees.stays import cost_label, hospital_plan, stay_costs
from mutua.providers.models import Provider

ZERO = Decimal("0.00")


def _with_relations(guarantees: QuerySet[Guarantee]) -> QuerySet[Guarantee]:
    return guarantees.select_related("member", "beneficiary", "provider", "claim__statement")


def guarantees_for_member(*, member: Member) -> QuerySet[Guarantee]:
    return _with_relations(Guarantee.objects.filter(member=member))


def guarantee_for_member(*, member: Member, guarantee_id: int) -> Guarantee | None:
    """None for another household's guarantee: the page answers 404, as for one that does not exist."""
    return guarantees_for_member(member=member).filter(pk=guarantee_id).first()


def guarantees_for_provider(*, provider: Provider) -> QuerySet[Guarantee]:
    return _with_relations(Guarantee.objects.filter(provider=provider))


def guarantee_for_provider(*, provider: Provider, guarantee_id: int) -> Guarantee | None:
    return guarantees_for_provider(provider=provider).filter(pk=guarantee_id).first()


def guarantee_for_staff(*, guarantee_id: int) -> Guarantee | None:
    return _with_relations(Guarantee.objects.filter(pk=guarantee_id)).first()


def review_queue() -> QuerySet[Guarantee]:
    """Requests waiting for the management unit, the nearest deadline first."""
    return _with_relations(Guarantee.objects.filter(status__in=Guarantee.OPEN)).order_by("deadline", "pk")


def extensions_pending() -> QuerySet[Extension]:
    """For the medical advisor: extensions to decide, the oldest first."""
    return (
        Extension.objects.filter(decision=Extension.Decision.PENDING)
        .select_related("guarantee__member", "guarantee__beneficiary", "guarantee__provider")
        .order_by("requested_at", "pk")
    )


def medical_report_get(*, report_id: int) -> MedicalReport | None:
    return MedicalReport.objects.filter(pk=report_id).first()


def time_left(guarantee: Guarantee, *, now: datetime | None = None) -> timedelta:
    """Until the answer is due; negative once the deadline has passed."""
    return guarantee.deadline - (now or timezone.now())


def providers_for_choice() -> QuerySet[Provider]:
    return Provider.objects.filter(active=True).order_by("-in_network", "name")


def _folded(text: str) -> str:
    """Case and accents ignored: "Lefèvre" typed as "LEFEVRE" at a hospital desk."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold().strip()


def patient_find(*, member_number: str, last_name: str, birth_date: date) -> tuple[Member, Beneficiary | None] | None:
    """The patient a hospital names from the card: the subscriber or a beneficiary of that household.

    None whatever does not match, so that the hospital cannot tell a wrong member number from a
    wrong name or birth date.
    """
    member = Member.objects.filter(member_number=normalize_member_number(member_number)).first()
    if member is None:
        return None
    if member.birth_date == birth_date and _folded(member.last_name) == _folded(last_name):
        return member, None
    for beneficiary in member.beneficiaries.filter(birth_date=birth_date):
        if _folded(beneficiary.last_name) == _folded(last_name):
            return member, beneficiary
    return None


@dataclass(frozen=True)
class DayLimit:
    label: str
    per_day: Decimal


def _stay_costs(guarantee: Guarantee) -> dict[str, StayCost]:
    """The stay's costs by benefit, as the guarantee's plan lists them; none if the plan no longer does."""
    try:
        plan = hospital_plan(guarantee.plan_code)
    except ValidationError:
        return {}
    return {cost.benefit: cost for cost in stay_costs(plan, guarantee.stay_kind)}


def _label(known: dict[str, StayCost], benefit_code: str, default: str = "") -> str:
    """The cost's name in the reader's language; ``default`` (or the code) for one the stay does not have."""
    return cost_label(known[benefit_code]) if benefit_code in known else default or benefit_code


def national_scheme(guarantee: Guarantee) -> bool:
    """Whether the guarantee's plan pays after a national scheme (the Assurance Maladie's part is shown)."""
    try:
        return hospital_plan(guarantee.plan_code).has_national_scheme
    except ValidationError:
        return True


def day_limits(guarantee: Guarantee) -> list[DayLimit]:
    """The most the plan pays per day for the stay's per-day costs, as stated on the guarantee."""
    known = _stay_costs(guarantee)
    return [DayLimit(_label(known, row["benefit_code"]), Decimal(row["per_day"])) for row in guarantee.day_limits]


def extension_get(*, extension_id: int) -> Extension | None:
    return (
        Extension.objects.select_related("guarantee__member", "guarantee__beneficiary", "guarantee__provider")
        .filter(pk=extension_id)
        .first()
    )


@dataclass(frozen=True)
class CostLine:
    label: str  # in the active language
    line: GuaranteeLine
    per_day: bool  # the quantity is a number of days
    explanation: tuple[str, ...]  # how the engine computed it, in the active language


@dataclass(frozen=True)
class Settlement:
    items: list[ClaimItem]
    paid_to_hospital: Decimal | None  # None while the invoice is still being checked
    remaining: Decimal
    statement_number: str


def patient_name(guarantee: Guarantee) -> str:
    """The patient: the subscriber or the beneficiary the guarantee is for."""
    person = guarantee.beneficiary or guarantee.member
    return person.full_name


def cost_lines(guarantee: Guarantee) -> list[CostLine]:
    """The guarantee's costs as stated when it was issued, with labels and explanations in the active language."""
    known = _stay_costs(guarantee)
    rows = []
    for line in guarantee.lines.all():
        explanation = in_language(line.explanation, default=[])
        per_day = line.benefit_code in known and known[line.benefit_code].per_day
        rows.append(CostLine(_label(known, line.benefit_code, line.label), line, per_day, tuple(explanation)))
    return rows


def settlement(guarantee: Guarantee) -> Settlement | None:
    claim = guarantee.claim
    if claim is None:
        return None
    items = list(claim.items.order_by("care_date", "pk"))
    statement = getattr(claim, "statement", None)
    known = _stay_costs(guarantee)
    for item in items:
        item.cost_label = _label(known, item.benefit_code)
    return Settlement(
        items=items,
        paid_to_hospital=statement.total_paid if statement else None,
        remaining=sum((item.out_of_pocket or ZERO for item in items), ZERO),
        statement_number=statement.number if statement else "",
    )
