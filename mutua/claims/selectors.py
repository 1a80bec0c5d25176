"""Reads for claims, always scoped: a member only ever sees their own household's claims."""

from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.benefits.pipeline import Earlier
from mutua.benefits.same_care import SameCare, SentCare
from mutua.claims.models import Claim, ClaimItem, ClaimsSuspension, Statement
from mutua.claims.required_documents import required_documents
from mutua.contracts.models import Member
from mutua.contracts.selectors import Coverage, beneficiary_coverage_on, subscriber_coverage_on
from mutua.payments.selectors import claim_item_payments

STATEMENT_YEARS = 2


def claim_coverage(*, claim: Claim, day: date) -> Coverage:
    if claim.beneficiary_id:
        return beneficiary_coverage_on(beneficiary=claim.beneficiary, day=day)
    return subscriber_coverage_on(member=claim.member, day=day)


def sent_care(*, member_ids: Collection[int], first: date, last: date) -> list[SentCare]:
    """The care these households sent between two dates that could be sent again: items neither refused
    nor in a draft, whatever the channel (``benefits.same_care`` decides which is the same care)."""
    rows = (
        ClaimItem.objects.filter(claim__member_id__in=member_ids, care_date__gte=first, care_date__lte=last)
        .exclude(status=ClaimItem.Status.REJECTED)
        .exclude(claim__status=Claim.Status.DRAFT)
        .values_list(
            "pk",
            "claim__member_id",
            "claim__beneficiary_id",
            "benefit_code",
            "care_date",
            "amount_eur",
            "claim__channel",
            "provider",
            "source_ref",
            "status",
            "claim__name",
        )
    )
    return [_sent(*row) for row in rows]


def _sent(pk, member_id, beneficiary_id, benefit_code, care_date, amount, channel, provider, source_ref, status, name):
    return SentCare(
        item_id=pk,
        member_id=member_id,
        beneficiary_id=beneficiary_id,
        benefit_code=benefit_code,
        care_date=care_date,
        amount=amount,
        channel=channel,
        provider=provider,
        source=am_file_of(source_ref) if channel == Claim.Channel.TELETRANSMISSION else "",
        accepted=status == ClaimItem.Status.ACCEPTED,
        text=paid_text(channel=channel, source_ref=source_ref, claim_name=name),
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
        amount=item.amount_eur,
        channel=claim.channel,
        provider=item.provider,
        source=am_file_of(item.source_ref) if claim.channel == Claim.Channel.TELETRANSMISSION else "",
        item_id=item.pk,
    )


def am_file_of(source_ref: str) -> str:
    """The AM file a teletransmitted item came from, out of its source ("AM <file id> #<line>")."""
    return source_ref.rsplit("#", 1)[0]


def paid_text(*, channel: str, source_ref: str, claim_name: str) -> str:
    """Where care was reimbursed, in the member's words."""
    if channel == Claim.Channel.TELETRANSMISSION:
        return _("reimbursed from the Assurance Maladie statement (%(source)s)") % {"source": source_ref}
    return _("reimbursed from the online claim “%(name)s”") % {"name": claim_name}


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
