"""Reads the decisions need: a claim's cover on a day, and the care its household already sent."""

from collections.abc import Collection
from datetime import date

from mutua.benefits.models import Claim, ClaimItem
from mutua.benefits.pipeline import Earlier
from mutua.benefits.same_care import SameCare, SentCare
from mutua.contracts.cover import Coverage, beneficiary_coverage_on, subscriber_coverage_on


def claim_coverage(*, claim: Claim, day: date) -> Coverage:
    if claim.beneficiary_id:
        return beneficiary_coverage_on(beneficiary=claim.beneficiary, day=day)
    return subscriber_coverage_on(member=claim.member, day=day)


def sent_care(*, member_ids: Collection[int], first: date, last: date) -> list[SentCare]:
    """The care these households sent between two dates that could be sent again: items neither refused
    nor in a draft, whatever the channel (``benefits.same_care`` decides which is the same care).

    Their claims first, then those claims' items: each query by its own index. Joined in one query,
    PostgreSQL's estimates for a chunk's households grow wrong as the tables grow, and it scans every item.
    """
    claims = {
        pk: rest
        for pk, *rest in Claim.objects.filter(member_id__in=member_ids)
        .exclude(status=Claim.Status.DRAFT)
        .values_list("pk", "member_id", "beneficiary_id", "channel", "source", "name")
    }
    items = (
        ClaimItem.objects.filter(claim_id__in=claims, care_date__gte=first, care_date__lte=last)
        .exclude(status=ClaimItem.Status.REJECTED)
        .values_list("pk", "claim_id", "benefit_code", "care_date", "plan_amount", "provider", "source_ref", "status")
    )
    return [_sent(item, *claims[item[1]]) for item in items]


def _sent(item: tuple, member_id: int, beneficiary_id: int | None, channel: str, source: str, name: str) -> SentCare:
    pk, _claim_id, benefit_code, care_date, amount, provider, source_ref, status = item
    return SentCare(
        item_id=pk,
        member_id=member_id,
        beneficiary_id=beneficiary_id,
        benefit_code=benefit_code,
        care_date=care_date,
        amount=amount,
        channel=channel,
        provider=provider,
        source=source,
        accepted=status == ClaimItem.Status.ACCEPTED,
        source_ref=source_ref,
        claim_name=name,
    )


def same_care_as(*, item: ClaimItem) -> Earlier | None:
    """The same care as this item sent before it (``benefits.same_care``), if any."""
    claim = item.claim
    sent = sent_care(member_ids={claim.member_id}, first=item.care_date, last=item.care_date)
    return SameCare(sent).find(
        member_id=claim.member_id,
        beneficiary_id=claim.beneficiary_id,
        benefit_code=item.benefit_code,
        care_date=item.care_date,
        amount=item.plan_amount,
        channel=claim.channel,
        provider=item.provider,
        source=claim.source,
        item_id=item.pk,
    )
