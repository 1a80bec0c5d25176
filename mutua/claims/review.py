"""A handler's decisions on the items waiting for one: accepted (computed again by the engine, at the handler's
rate for a currency without one) or refused, and the suspension of online claims that repeated refusals of
illegible or altered documents bring, and its lifting."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engine import AdjudicationError, get_plan
from mutua.accounts.models import User
from mutua.benefits.acceptance import acceptance_check, ceiling_check
from mutua.benefits.closing import claim_complete_if_decided, household_lock
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.benefits.selectors import claim_coverage
from mutua.benefits.services import item_accept, item_reject
from mutua.claims.models import ClaimsSuspension
from mutua.claims.online_limit import online_limit
from mutua.claims.selectors import claims_suspension_active
from mutua.contracts.models import Member
from mutua.core import money
from mutua.core.formatting import money_format
from mutua.core.models import SecurityEvent
from mutua.notifications.services import notification_send

CENT = Decimal("0.01")
SUSPENDING_REASONS = (RejectionReason.ILLEGIBLE, RejectionReason.ALTERED)


def claim_item_decide(
    *,
    item: ClaimItem,
    by: User,
    accept: bool,
    reason: RejectionReason | None = None,
    text: str = "",
    adjust: dict[str, Any] | None = None,
) -> ClaimItem:
    """A handler's decision. An accepted item is re-computed by the engine, never typed as an amount."""
    if not accept and reason is None:
        raise ValidationError(_("Choose the reason for the refusal."), code="reason")
    if not accept and reason == RejectionReason.OTHER and not text.strip():
        raise ValidationError(_("Explain the reason in a few words."), code="text")
    with transaction.atomic():
        household_lock(item.claim.member_id)
        item = ClaimItem.objects.select_related("claim__member", "claim__beneficiary").get(pk=item.pk)
        if item.status != ClaimItem.Status.IN_REVIEW:
            raise ValidationError(_("This item is not waiting for a decision."), code="not_in_review")
        if accept:
            for field in ("amount", "br", "mr", "quantity"):
                if adjust and adjust.get(field) is not None:
                    setattr(item, field, adjust[field])
            acceptance_check(item, text=text)
            coverage = claim_coverage(claim=item.claim, day=item.care_date)
            plan_currency = get_plan(coverage.plan_code).currency if coverage.plan_code else item.currency
            _convert_at_handlers_rate(item, adjust=adjust or {}, plan_currency=plan_currency)
            try:
                item = item_accept(
                    item=item, by=by, plan_code=coverage.plan_code, tiers=coverage.tiers, reason=text.strip()
                )
            except AdjudicationError as error:
                raise ValidationError(
                    _("The rules cannot compute this item: %(problem)s"), params={"problem": error}, code="engine"
                ) from error
            ceiling_check(item, text=text)
        else:
            item = item_reject(item=item, by=by, reason=reason, text=text.strip())
            if reason in SUSPENDING_REASONS:
                _suspend_if_repeated(item.claim.member)
        claim_complete_if_decided(item.claim)
    return item


def _convert_at_handlers_rate(item: ClaimItem, *, adjust: dict[str, Any], plan_currency: str) -> None:
    """The item in the plan's currency, at the rate the handler entered (with its source, for a currency
    or a day the ECB gives no rate for) or at the one it was sent with; the rate's day is the care's.
    A rate typed wrong (1 for 0.0077) would pay a hundred times the bill: a handler's rate that makes the
    bill reach the online limit, which no bill claimed online may, is refused."""
    if adjust.get("rate") is not None:
        if not str(adjust.get("rate_source") or "").strip():
            raise ValidationError(
                _("Name the source of the rate (a central bank, the bank's statement…): the member reads it."),
                code="rate_source",
            )
        rate = money.rate_from_handler(value=adjust["rate"], on=item.care_date, source=adjust["rate_source"])
        item.plan_rate, item.rate_on, item.rate_source = rate.value, rate.on, rate.source
    if item.awaiting_rate:
        raise ValidationError(
            _("No exchange rate is known for %(currency)s: enter the rate of the day of the care and its source."),
            params={"currency": item.currency},
            code="rate_required",
        )
    item.plan_amount = (item.amount * item.plan_rate).quantize(CENT, ROUND_HALF_UP)
    limit = online_limit(currency=plan_currency, on=item.care_date) if adjust.get("rate") is not None else None
    if limit is not None and item.plan_amount >= limit:
        raise ValidationError(
            _(
                "At this rate the bill comes to %(amount)s, as much as the online limit (%(limit)s) that no bill "
                "claimed online reaches: check the rate, or refuse the item so the member sends it by post."
            ),
            params={
                "amount": money_format(item.plan_amount, plan_currency),
                "limit": money_format(limit, plan_currency),
            },
            code="rate",
        )


def _suspend_if_repeated(member: Member) -> None:
    since = timezone.now() - timedelta(days=365)
    count = (
        Claim.objects.filter(
            member=member, items__rejection_reason__in=SUSPENDING_REASONS, items__decided_at__gte=since
        )
        .distinct()
        .count()
    )
    if count >= settings.CLAIMS_SUSPENSION_REJECTIONS and claims_suspension_active(member=member) is None:
        ClaimsSuspension.objects.create(
            member=member,
            since=timezone.now(),
            reason=_suspension_reason(count, language=member.preferred_language),
        )
        notification_send(
            to=member.email,
            member=member,
            link=reverse("claims:list"),
            template="claims/email/suspended",
            context={"first_name": member.first_name},
            language=member.preferred_language,
        )


def _suspension_reason(count: int, *, language: str) -> str:
    """What is counted is claims (one claim may hold several refused documents), in the member's
    language: the member reads it on their claims page."""
    with translation.override(language):
        return ngettext(
            "%(count)s claim with a supporting document refused as illegible or altered within 12 months.",
            "%(count)s claims with a supporting document refused as illegible or altered within 12 months.",
            count,
        ) % {"count": count}


@transaction.atomic
def claims_suspension_lift(*, suspension: ClaimsSuspension, by: User) -> ClaimsSuspension:
    suspension.lifted_at, suspension.lifted_by = timezone.now(), by
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    SecurityEvent.objects.create(
        action=SecurityEvent.Action.CLAIMS_SUSPENSION_LIFTED, target=f"member={suspension.member_id}", by=by
    )
    member = suspension.member
    notification_send(
        to=member.email,
        member=member,
        link=reverse("claims:list"),
        template="claims/email/suspension_lifted",
        context={"first_name": member.first_name},
        language=member.preferred_language,
    )
    return suspension
