"""Reads for claims, always scoped: a member only ever sees their own household's claims."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from engine import get_plan
from mutua.benefits.models import Claim, ClaimItem, Statement
from mutua.benefits.selectors import claim_coverage
from mutua.claims.models import ClaimsSuspension
from mutua.claims.required_documents import required_documents
from mutua.contracts.models import Member
from mutua.payments.selectors import claim_item_payments

STATEMENT_YEARS = 2


def claims_suspension_active(*, member: Member) -> ClaimsSuspension | None:
    return member.claims_suspensions.filter(lifted_at__isnull=True).first()


def claims_for_member(*, member: Member) -> QuerySet[Claim]:
    return member.claims.select_related("beneficiary").prefetch_related("items")


def claim_for_member(*, member: Member, claim_id: int) -> Claim | None:
    """The claim if it belongs to this member's household; None otherwise (same answer as missing)."""
    return (
        Claim.objects.filter(member=member, pk=claim_id)
        .select_related("beneficiary", "member")
        .prefetch_related(Prefetch("items", queryset=ClaimItem.objects.prefetch_related("documents")))
        .first()
    )


def statements_for_member(*, member: Member) -> QuerySet[Statement]:
    since = timezone.now() - timedelta(days=365 * STATEMENT_YEARS + 1)  # no replace(year=…): 29 February
    return member.statements.filter(issued_at__gte=since).select_related("claim")


def review_queue(*, benefit_prefix: str = "", reason: str = "") -> list[ClaimItem]:
    """Items waiting for a handler, oldest claim first, optionally filtered by care and reason."""
    items = ClaimItem.objects.filter(status=ClaimItem.Status.IN_REVIEW).select_related(
        "claim__member", "claim__beneficiary"
    )
    if benefit_prefix:
        items = items.filter(benefit_code__startswith=benefit_prefix)
    ordered = items.order_by("claim__submitted_at", "pk")
    return [item for item in ordered if not reason or reason in item.review_reasons]


def claim_people(*, member: Member) -> list[tuple[str, str]]:
    """(value, name) of the people a claim can be for: the subscriber, then the beneficiaries."""
    people = [("", member.full_name)]
    people += [(str(b.pk), b.full_name) for b in member.beneficiaries.filter(removed_on__isnull=True)]
    return people


def person_birth_date(*, claim: Claim) -> date:
    return claim.beneficiary.birth_date if claim.beneficiary_id else claim.member.birth_date


def benefit_choices(*, plan_code: str, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The plan's benefits grouped by section, for the care-type list."""
    plan = get_plan(plan_code)
    groups: dict[str, list[tuple[str, str]]] = {}
    for benefit in plan.benefits:
        groups.setdefault(benefit.section, []).append((benefit.code, benefit.label.get(language)))
    return list(groups.items())


def documents_required_for(*, claim: Claim, benefit_code: str, plan_code: str, on: date) -> tuple[object, ...]:
    benefit = get_plan(plan_code).benefit(benefit_code)
    if benefit is None:
        return ()
    return required_documents(
        section=benefit.section, benefit_code=benefit_code, birth_date=person_birth_date(claim=claim), on=on
    )


def tier_labels(*, plan_code: str, language: str) -> dict[str, str]:
    return {tier.code: tier.label.get(language) for tier in get_plan(plan_code).tiers}


def benefit_label(*, plan_code: str, benefit_code: str, language: str) -> str:
    benefit = get_plan(plan_code).benefit(benefit_code)
    return benefit.label.get(language) if benefit else benefit_code


def items_for_display(*, claim: Claim, language: str) -> list[dict[str, object]]:
    """Each item with its care label, tier amounts by label, explanation (in the reader's language) and
    where its payment stands (None when nothing is owed)."""
    payments = claim_item_payments(claim=claim) if claim.status != Claim.Status.DRAFT else {}
    coverage = claim_coverage(claim=claim, day=claim.created_at.date())
    plan_code = coverage.plan_code or "fr-base-surco"
    tiers = tier_labels(plan_code=plan_code, language=language)
    return [
        {
            "item": item,
            "care": benefit_label(plan_code=plan_code, benefit_code=item.benefit_code, language=language),
            "tiers": [(tiers.get(code, code), Decimal(amount)) for code, amount in item.tiers_paid.items()],
            "explanation": item.explanation.get(language, []),
            "payment": payments.get(item.pk),
        }
        for item in claim.items.all()
    ]
