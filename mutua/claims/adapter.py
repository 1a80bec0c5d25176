"""Rows to plain engine inputs and back: the only place where the claims app meets the engine."""

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from engine import CareLine, Counters, Engine, Household, LineResult, Usage, explain, get_plan
from engine import Member as EngineMember
from mutua.claims.models import ClaimItem, CounterUsage
from mutua.contracts.models import Member, Relationship

# Counters look back over renewal periods (optical 2 years, hearing aids 4 years…).
COUNTER_HISTORY = timedelta(days=5 * 366)

ROLES = {
    Relationship.SPOUSE: "spouse",
    Relationship.PACS_PARTNER: "spouse",
    Relationship.COHABITANT: "spouse",
    Relationship.CHILD: "child",
    Relationship.PARTNER_CHILD: "child",
    Relationship.ASCENDANT: "dependant",
}


@lru_cache(maxsize=32)
def engine_for(plan_code: str, tiers: tuple[str, ...]) -> Engine:
    """The engine for the plan restricted to the tiers the contract gives, so that the amounts,
    the explanation and the counters all come from one and the same calculation."""
    plan = get_plan(plan_code)
    return Engine(plan.model_copy(update={"tiers": tuple(tier for tier in plan.tiers if tier.code in tiers)}))


def person_id(item: ClaimItem) -> str:
    claim = item.claim
    return f"b{claim.beneficiary_id}" if claim.beneficiary_id else f"m{claim.member_id}"


def household(member: Member) -> Household:
    people = [EngineMember(f"m{member.pk}", member.birth_date, "member")]
    people += [EngineMember(f"b{b.pk}", b.birth_date, ROLES[b.relationship]) for b in member.beneficiaries.all()]
    return Household(tuple(people))


def care_line(item: ClaimItem) -> CareLine:
    return CareLine(
        id=item.line_id,
        member=person_id(item),
        date=item.care_date,
        benefit=item.benefit_code,
        charged=item.amount_eur,
        br=item.br,
        mr=item.mr,
        quantity=item.quantity,
        flags=frozenset(item.flags),
        attributes={name: (value,) for name, value in item.attributes.items() if value},
    )


def counters(member: Member, *, on: date, without_line: str = "") -> Counters:
    rows = CounterUsage.objects.filter(member=member, on__gte=on - COUNTER_HISTORY).exclude(line_id=without_line)
    return Counters(
        tuple(
            Usage(row.counter, row.scope, row.slot, row.on, row.amount, row.count, row.line_id)
            for row in rows.order_by("on", "pk")
        )
    )


def usage_rows(member: Member, usages: tuple[Usage, ...]) -> list[CounterUsage]:
    return [
        CounterUsage(
            member=member,
            counter=usage.counter,
            scope=usage.scope,
            slot=usage.slot,
            on=usage.on,
            amount=usage.amount,
            count=usage.count,
            line_id=usage.line_id,
        )
        for usage in usages
    ]


def adjudicate_item(item: ClaimItem, *, plan_code: str, tiers: tuple[str, ...]) -> LineResult:
    """The engine's result for one item, against the household's counters without this item."""
    member = item.claim.member
    result = engine_for(plan_code, tiers).adjudicate(
        household(member), [care_line(item)], counters(member, on=item.care_date, without_line=item.line_id)
    )
    return result.lines[0]


def result_fields(result: LineResult, *, plan_code: str) -> dict[str, object]:
    """What a decided item keeps of the engine's result."""
    total = sum((tier.paid for tier in result.tiers), Decimal("0.00"))
    plan = get_plan(plan_code)
    return {
        "am_paid": result.am_paid,
        "tiers_paid": {tier.tier: f"{tier.paid:.2f}" for tier in result.tiers},
        "paid_total": total,
        "out_of_pocket": result.out_of_pocket,
        "explanation": {lang: explain(result, lang, plan) for lang in ("fr", "en")},
    }
