"""Rows to plain engine inputs and back: the one place where the database meets the engine."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from engine import CareLine, Counters, Engine, Household, LineResult, Usage, explain, get_plan, summarise
from engine import Member as EngineMember
from engine.catalogue import LANGUAGES
from engine.formula import Detail
from engine.model import Message
from mutua.approvals.selectors import CareFacts, approved_flags_for
from mutua.benefits.models import ClaimItem, CounterUsage
from mutua.contracts.models import Beneficiary, Member, Relationship

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


def person_key(*, member_id: int, beneficiary_id: int | None) -> str:
    """The person's id in ``household``: the subscriber or one of the beneficiaries."""
    return f"b{beneficiary_id}" if beneficiary_id else f"m{member_id}"


def engine_member(
    *, member_id: int, beneficiary_id: int | None, birth_date: date, relationship: str, duty_station: str = ""
) -> EngineMember:
    """A person of the household as the engine sees them: ``relationship`` is the beneficiary's;
    ``duty_station`` the subscriber's, which the household's beneficiaries share (zone rules)."""
    if beneficiary_id is None:
        return EngineMember(person_key(member_id=member_id, beneficiary_id=None), birth_date, "member", duty_station)
    key = person_key(member_id=member_id, beneficiary_id=beneficiary_id)
    return EngineMember(key, birth_date, ROLES[relationship], duty_station)


def household(member: Member) -> Household:
    station = member.duty_station
    people = [
        engine_member(
            member_id=member.pk,
            beneficiary_id=None,
            birth_date=member.birth_date,
            relationship="",
            duty_station=station,
        )
    ]
    people += [
        engine_member(
            member_id=member.pk,
            beneficiary_id=b.pk,
            birth_date=b.birth_date,
            relationship=b.relationship,
            duty_station=station,
        )
        for b in member.beneficiaries.all()
    ]
    return Household(tuple(people))


def households_of(member_ids: Collection[int]) -> dict[int, Household]:
    """The households of these subscribers as the engine sees them, read as values (two queries)."""
    stations: dict[int, str] = {}
    people: dict[int, list[EngineMember]] = {}
    for pk, born, station in Member.objects.filter(pk__in=member_ids).values_list("pk", "birth_date", "duty_station"):
        stations[pk] = station
        people[pk] = [
            engine_member(member_id=pk, beneficiary_id=None, birth_date=born, relationship="", duty_station=station)
        ]
    beneficiaries = Beneficiary.objects.filter(member_id__in=member_ids).order_by("pk")
    for pk, member_id, born, relationship in beneficiaries.values_list("pk", "member_id", "birth_date", "relationship"):
        people[member_id].append(
            engine_member(
                member_id=member_id,
                beneficiary_id=pk,
                birth_date=born,
                relationship=relationship,
                duty_station=stations[member_id],
            )
        )
    return {pk: Household(tuple(found)) for pk, found in people.items()}


def counters_of(member_ids: Collection[int], *, since: date) -> dict[int, Counters]:
    """The usages of these households that care from ``since`` on can still meet, read as values."""
    rows = CounterUsage.objects.filter(member_id__in=member_ids, on__gte=since - COUNTER_HISTORY)
    by_member: dict[int, list[Usage]] = defaultdict(list)
    fields = ("member_id", "counter", "scope", "slot", "on", "amount", "count", "line_id")
    for member_id, *found in rows.order_by("on", "pk").values_list(*fields):
        by_member[member_id].append(Usage(*found))
    return {member_id: Counters(tuple(usages)) for member_id, usages in by_member.items()}


def care_line_of(
    *,
    line_id: str,
    person: str,
    on: date,
    benefit_code: str,
    amount: Decimal,
    br: Decimal | None = None,
    mr: Decimal | None = None,
    am_rate: Decimal | None = None,
    quantity: int = 1,
    flags: Iterable[str] = (),
    attributes: Mapping[str, str] | None = None,
    other_paid: Decimal = Decimal("0.00"),
    country: str = "",
) -> CareLine:
    """A care line from plain values (a claim item, a quote line, a simulation); ``country``: where
    the care was given (ISO 3166-1 alpha-2, "" when unknown), for a plan's zone rules."""
    return CareLine(
        id=line_id,
        member=person,
        date=on,
        benefit=benefit_code,
        charged=amount,
        br=br,
        mr=mr,
        am_rate=am_rate,
        quantity=quantity,
        flags=frozenset(flags),
        attributes={name: (value,) for name, value in (attributes or {}).items() if value},
        other_paid=other_paid,
        country=country,
    )


def approved_flags(
    *, member_id: int, beneficiary_id: int | None, cares: Sequence[tuple[date, str, str, str]]
) -> list[frozenset[str]]:
    """The flags the medical advisor's approvals give each care of one person, (date, country, plan,
    benefit): ``prior_approval`` and ``life_threatening`` open a plan's restricted zone (one query)."""
    return approved_flags_for(
        [
            CareFacts(member_id, beneficiary_id, on, country, plan_code, benefit_code)
            for on, country, plan_code, benefit_code in cares
        ]
    )


def item_zone_flags(item: ClaimItem) -> frozenset[str]:
    """An item's own flags with what the member said of the care's circumstances (zone rules)."""
    said = {"urgent": item.care_urgent, "duty_travel": item.duty_travel}
    return frozenset(item.flags) | {flag for flag, answered in said.items() if answered}


def counters(member: Member, *, on: date, without_line: str = "") -> Counters:
    rows = CounterUsage.objects.filter(member=member, on__gte=on - COUNTER_HISTORY).exclude(line_id=without_line)
    return Counters(tuple(usage(row) for row in rows.order_by("on", "pk")))


def usage(row: CounterUsage) -> Usage:
    return Usage(row.counter, row.scope, row.slot, row.on, row.amount, row.count, row.line_id)


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


def result_fields(result: LineResult, *, plan_code: str) -> dict[str, object]:
    """What a decided item keeps of the engine's result."""
    total = sum((tier.paid for tier in result.tiers), Decimal("0.00"))
    return {
        "am_paid": result.am_paid,
        "tiers_paid": {tier.tier: f"{tier.paid:.2f}" for tier in result.tiers},
        "paid_total": total,
        "out_of_pocket": result.out_of_pocket,
        "explanation": explanations(result, plan_code=plan_code),
    }


_EXPLANATIONS: dict[tuple, dict[str, object]] = {}
# A worker's memory stays flat: a few KB per entry kept.
_EXPLANATIONS_KEPT = 5_000


def explanations(result: LineResult, *, plan_code: str) -> dict[str, object]:
    """The sentences in each language the engine speaks. Teletransmitted acts repeat at the same tariffs, so the
    sentences of identical results are rendered once (they never name the person, the date or the line)."""
    key = _what_is_said(result, plan_code)
    found = _EXPLANATIONS.get(key)
    if found is None:
        if len(_EXPLANATIONS) >= _EXPLANATIONS_KEPT:
            _EXPLANATIONS.clear()
        found = _EXPLANATIONS[key] = _render(result, plan_code)
    return found


def _what_is_said(result: LineResult, plan_code: str) -> tuple:
    """Everything the sentences depend on, as plain values: amounts as their text (6.9 and 6.90 are
    equal numbers but read differently), formulas with their numbers but not rendered, labels by content."""
    return (
        plan_code,
        result.benefit,
        result.currency,
        result.am_basis,
        result.am_estimated,
        tuple(map(str, (result.charged, result.br, result.am_paid, result.tm, result.non_reimbursable))),
        str(result.other_paid),
        str(result.out_of_pocket),
        tuple(
            (tier.tier, str(tier.paid), str(tier.maximum), tier.rule, tier.caps_hit, _messages(tier.explanation))
            for tier in result.tiers
        ),
        _messages(result.explanation),
        tuple((usage.counter, usage.slot, str(usage.amount), usage.count) for usage in result.usages),
    )


def _messages(messages: tuple[Message, ...]) -> tuple:
    return tuple(
        (message.key, tuple((name, _PLAIN.get(type(value), _same)(value)) for name, value in message.params))
        for message in messages
    )


def _same(value: object) -> object:
    return value


def _label(value: Mapping[str, str]) -> tuple:
    return tuple(sorted(value.items()))


# By the exact type (a lookup, faster than a chain of isinstance on every parameter of every line).
_PLAIN = {Detail: Detail.key, Decimal: str, dict: _label}


def _render(result: LineResult, plan_code: str) -> dict[str, object]:
    """The precise sentences by language (formulas, counters), and under "plain" what a member reads first."""
    plan = get_plan(plan_code)
    precise: dict[str, object] = {lang: explain(result, lang, plan) for lang in LANGUAGES}
    return precise | {"plain": {lang: summarise(result, lang) for lang in LANGUAGES}}
