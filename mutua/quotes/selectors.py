"""Reads for quotes, always scoped: a member only ever sees their own household's quotes."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from engine import get_plan, list_plans
from mutua.benefits.models import Claim
from mutua.claims.selectors import benefit_label, tier_labels
from mutua.contracts.models import Member
from mutua.core.ids import MAX_ID
from mutua.core.languages import in_language
from mutua.quotes.models import Quote, QuoteLine

ZERO = Decimal("0.00")


def quotes_for_member(*, member: Member) -> QuerySet[Quote]:
    return member.quotes.select_related("beneficiary", "member")


def quote_for_member(*, member: Member, quote_id: int) -> Quote | None:
    """The quote if it belongs to this member's household; None otherwise (same answer as missing)."""
    if not 0 < quote_id <= MAX_ID:
        return None
    return (
        Quote.objects.filter(member=member, pk=quote_id)
        .select_related("beneficiary", "member", "document", "claim")
        .prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("position", "pk")))
        .first()
    )


def quotes_to_compare(*, member: Member, quote_ids: list[int]) -> list[Quote] | None:
    """These quotes of the household in the order asked; None if any of them is not the household's."""
    wanted = list(dict.fromkeys(quote_ids))
    if not all(0 < pk <= MAX_ID for pk in wanted):
        return None
    found = {
        quote.pk: quote
        for quote in Quote.objects.filter(member=member, pk__in=wanted)
        .select_related("beneficiary", "member")
        .prefetch_related("lines")
    }
    if len(found) != len(wanted):
        return None
    return [found[pk] for pk in wanted]


def quotes_by_kind(*, member: Member) -> list[tuple[str, list[Quote]]]:
    """The household's quotes grouped by kind of care (label, quotes), as they can be compared."""
    groups: dict[str, list[Quote]] = {}
    for quote in quotes_for_member(member=member):
        groups.setdefault(quote.kind, []).append(quote)
    order = [kind for kind, _label in Quote.Kind.choices]
    return [(Quote.Kind(kind).label, groups[kind]) for kind in sorted(groups, key=order.index)]


def quotes_comparable(quotes: list[Quote]) -> None:
    """A crown set against glasses says nothing about either: only quotes for one kind of care compare."""
    kinds = {quote.kind for quote in quotes}
    if len(kinds) > 1:
        raise ValidationError(
            _("Only quotes for the same kind of care can be compared; these are for: %(kinds)s."),
            params={"kinds": ", ".join(sorted(str(Quote.Kind(kind).label) for kind in kinds))},
            code="different_kinds",
        )


def review_queue() -> QuerySet[Quote]:
    """Quotes the members asked to have checked, the oldest request first."""
    return (
        Quote.objects.filter(status=Quote.Status.REVIEW_REQUESTED)
        .select_related("member", "beneficiary")
        .order_by("review_requested_at", "pk")
    )


def quote_person_name(quote: Quote) -> str:
    return quote.beneficiary.full_name if quote.beneficiary_id else quote.member.full_name


def lines_for_display(*, quote: Quote, language: str) -> list[dict[str, object]]:
    """Each line with its care label, the amount of each tier by label and the explanation in ``language``."""
    tiers = tier_labels(plan_code=quote.plan_code, language=language) if quote.plan_code else {}
    return [
        {
            "line": line,
            "care": benefit_label(plan_code=quote.plan_code, benefit_code=line.benefit_code, language=language),
            "tiers": [(tiers.get(code, code), Decimal(amount)) for code, amount in line.tiers_paid.items()],
            "explanation": in_language(line.explanation, language, []),
        }
        for line in quote.lines.all()
    ]


def tier_totals(*, quote: Quote, language: str) -> list[tuple[str, Decimal]]:
    """(tier label, what the tier pays on the whole quote), in the plan's order of tiers."""
    labels = tier_labels(plan_code=quote.plan_code, language=language) if quote.plan_code else {}
    totals = dict.fromkeys(quote.tiers, ZERO)
    for line in quote.lines.all():
        for code, amount in line.tiers_paid.items():
            totals[code] = totals.get(code, ZERO) + Decimal(amount)
    return [(labels.get(code, code), amount) for code, amount in totals.items()]


def plan_title(*, plan_code: str, language: str) -> str:
    return get_plan(plan_code).label.get(language) if plan_code else ""


def estimate_note(*, quote: Quote, language: str) -> str:
    """What every estimate says about itself: when, with which plan version, on which counters."""
    note = _("computed on %(day)s with the plan “%(plan)s”") % {
        "day": date_format(timezone.localtime(quote.estimated_at), "SHORT_DATETIME_FORMAT"),
        "plan": plan_title(plan_code=quote.plan_code, language=language),
    }
    if quote.plan_version_from:
        note += " " + _("(version of %(day)s)") % {"day": date_format(quote.plan_version_from, "SHORT_DATE_FORMAT")}
    return f"{note}, " + _("with the reimbursements already made to your household (renewal periods, yearly caps).")


@dataclass(frozen=True)
class Column:
    quote: Quote
    person: str
    tiers: list[tuple[str, Decimal]]
    lines: list[dict[str, object]]
    cheapest: bool


def comparison(*, quotes: list[Quote], language: str) -> list[Column]:
    """The quotes side by side; the ones leaving the least to pay are marked cheapest."""
    least = min(quote.total_out_of_pocket for quote in quotes)
    return [
        Column(
            quote=quote,
            person=quote_person_name(quote),
            tiers=tier_totals(quote=quote, language=language),
            lines=lines_for_display(quote=quote, language=language),
            cheapest=quote.total_out_of_pocket == least,
        )
        for quote in quotes
    ]


def tier_rows(columns: list[Column]) -> list[tuple[str, list[tuple[Decimal, bool]]]]:
    """One row per tier label across the compared quotes: (amount, cheapest) per quote, 0 without the tier."""
    labels = list(dict.fromkeys(label for column in columns for label, _ in column.tiers))
    return [(label, [(dict(column.tiers).get(label, ZERO), column.cheapest) for column in columns]) for label in labels]


def claim_item_initial(*, claim: Claim) -> dict[str, object]:
    """For a claim started from a quote: the next quote line not yet added, as the care-item form's initial values."""
    quote = Quote.objects.filter(claim=claim).first()
    if quote is None:
        return {}
    lines = list(quote.lines.all())
    added = claim.items.count()
    if added >= len(lines):
        return {}
    line = lines[added]
    today = timezone.localdate()
    return {
        "benefit_code": line.benefit_code,
        "care_date": quote.planned_date if quote.planned_date <= today else None,
        "provider": quote.provider,
        "amount": line.amount,
        "br": line.br,
        "quantity": line.quantity,
        **dict.fromkeys(set(line.flags) - {"dptm"}, True),
        # A doctor with controlled fees in the quote. The AM's part is never pre-filled: it comes from its statement.
        **({"doctor_fees": "optam"} if "dptm" in line.flags else {}),
        **line.attributes,
    }


def simulator_plans(*, language: str) -> list[tuple[str, str]]:
    return [(plan.code, plan.label.get(language)) for plan in list_plans()]
