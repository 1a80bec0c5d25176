"""The online limit (seed 002): bills of ``CLAIMS_ONLINE_LIMIT_EUR`` or more go by post, converted into the
plan's currency at the rate of the care date; the words the member reads it in, and the check on a new item."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mutua.benefits.models import Claim
from mutua.core import money
from mutua.core.formatting import money_format

CENT = Decimal("0.01")


def _same_provider(name: str) -> str:
    return " ".join(name.split()).casefold()


def online_limit(*, currency: str, on: date) -> Decimal | None:
    """``CLAIMS_ONLINE_LIMIT_EUR`` in the plan's currency at the rate of the care date; None without a rate."""
    rate = money.exchange_rate(currency="EUR", into=currency, on=on)
    if rate is None:
        return None
    return (Decimal(settings.CLAIMS_ONLINE_LIMIT_EUR) * rate.value).quantize(CENT, ROUND_HALF_UP)


def online_limit_words(*, currency: str, on: date) -> str:
    """The online limit as a member of a plan paying in ``currency`` reads it: "500,00 €", or under a dollar
    plan "500,00 € (about 579,85 US$ today)", the rule converting it at the rate of the care date."""
    in_euros = money_format(settings.CLAIMS_ONLINE_LIMIT_EUR, "EUR")
    converted = online_limit(currency=currency, on=on) if currency != "EUR" else None
    if converted is None:
        return in_euros
    return _("%(limit)s (about %(amount)s today)") % {"limit": in_euros, "amount": money_format(converted, currency)}


def bill_over_limit_refuse(
    claim: Claim, *, care_date: date, provider: str, plan_amount: Decimal, currency: str = "EUR"
) -> None:
    """Bills of ``CLAIMS_ONLINE_LIMIT_EUR`` or more go by post (seed 002), even split into several items: the
    items of the same day at the same provider in this claim are one bill. ``plan_amount``: in the plan's
    ``currency``."""
    limit = online_limit(currency=currency, on=care_date)
    if limit is None:
        return
    if plan_amount >= limit:
        raise ValidationError(
            _(
                "Bills of %(limit)s or more (here %(amount)s) are not claimed online: send the original "
                "invoice by post to your management unit."
            ),
            params={"limit": money_format(limit, currency), "amount": money_format(plan_amount, currency)},
            code="over_limit",
        )
    same_bill = [
        item.plan_amount
        for item in claim.items.filter(care_date=care_date, plan_amount__isnull=False).only("provider", "plan_amount")
        if _same_provider(item.provider) == _same_provider(provider)
    ]
    total = sum(same_bill, plan_amount)
    if same_bill and total >= limit:
        raise ValidationError(
            _(
                "One bill of %(limit)s or more is not claimed online, even split into several care items: with "
                "the care of %(date)s at %(provider)s already in this claim, this bill comes to %(total)s. Send "
                "the original invoice by post to your management unit."
            ),
            params={
                "limit": money_format(limit, currency),
                "date": date_format(care_date, "SHORT_DATE_FORMAT"),
                "provider": provider.strip(),
                "total": money_format(total, currency),
            },
            code="over_limit",
        )
