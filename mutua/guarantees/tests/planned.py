"""A planned stay asked for through the real service, for the PDF, e-mail, API tests and the bench."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from mutua.accounts.models import User
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.stays import Cost
from mutua.providers.models import Provider

# A surgical stay of 4 days (3 nights): stay costs, fees of a DPTM surgeon, private room, daily charge.
SURGICAL_COSTS = (
    Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00")),
    Cost("hosp.surgeon_fees", Decimal("900.00"), br=Decimal("500.00"), dptm=True),
    Cost("hosp.private_room", Decimal("360.00"), quantity=3),
    Cost("hosp.daily_forfait", Decimal("80.00"), quantity=4),
)


def planned_guarantee(
    *,
    user: User,
    provider: Provider,
    in_days: int = 5,
    nights: int = 3,
    costs=SURGICAL_COSTS,
    channel: str = Guarantee.Channel.PORTAL,
) -> Guarantee:
    """A member's request for a planned surgical stay at ``provider``, ``in_days`` from today."""
    admission = timezone.localdate() + timedelta(days=in_days)
    return guarantee_request(
        member=user.member,
        beneficiary=None,
        by=user,
        channel=channel,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.SURGICAL,
        admission_date=admission,
        expected_discharge=admission + timedelta(days=nights),
        provider=provider,
        planned_acts="",
        costs=costs,
    )


def stay_over(guarantee: Guarantee, *, days_ago: int = 10) -> Guarantee:
    """The same guarantee as if its stay had begun ``days_ago`` days ago: a hospital invoices care
    that has happened, never a stay still to come."""
    shift = guarantee.valid_from - (timezone.localdate() - timedelta(days=days_ago))
    fields = ("admission_date", "expected_discharge", "card_cover_until", "valid_from", "valid_until")
    for field in fields:
        if getattr(guarantee, field) is not None:
            setattr(guarantee, field, getattr(guarantee, field) - shift)
    guarantee.save(update_fields=fields)
    return guarantee
