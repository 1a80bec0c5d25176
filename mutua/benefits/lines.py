"""A claim item as the engine sees it: the claims app's side of the benefits adapter."""

from engine import CareLine, Counters, LineResult
from mutua.benefits.adapter import (
    approved_flags,
    care_line_of,
    counters,
    engine_for,
    household,
    item_zone_flags,
    person_key,
)
from mutua.benefits.models import ClaimItem


def person_id(item: ClaimItem) -> str:
    return person_key(member_id=item.claim.member_id, beneficiary_id=item.claim.beneficiary_id)


def care_line(item: ClaimItem, *, plan_code: str = "") -> CareLine:
    """The item as the engine sees it; under ``plan_code``, with the flags the medical advisor's
    approvals give it (a plan's restricted zones)."""
    flags = item_zone_flags(item)
    if plan_code:
        claim = item.claim
        flags |= approved_flags(
            member_id=claim.member_id,
            beneficiary_id=claim.beneficiary_id,
            cares=[(item.care_date, item.care_country, plan_code, item.benefit_code)],
        )[0]
    return care_line_of(
        line_id=item.line_id,
        person=person_id(item),
        on=item.care_date,
        benefit_code=item.benefit_code,
        amount=item.plan_amount,
        br=item.br,
        mr=item.mr,
        am_rate=item.am_rate,
        quantity=item.quantity,
        flags=flags,
        attributes=item.attributes,
        other_paid=item.other_paid,
        country=item.care_country,
    )


def adjudicate_item(
    item: ClaimItem, *, plan_code: str, tiers: tuple[str, ...], history: Counters | None = None
) -> LineResult:
    """The engine's result for one item, against the household's counters without this item.

    ``history``: the counters to use instead of the stored ones (an AM chunk holds usages not written yet).
    """
    member = item.claim.member
    if history is None:
        history = counters(member, on=item.care_date, without_line=item.line_id)
    else:
        history = history.without_lines({item.line_id})
    result = engine_for(plan_code, tiers).adjudicate(household(member), [care_line(item, plan_code=plan_code)], history)
    return result.lines[0]
