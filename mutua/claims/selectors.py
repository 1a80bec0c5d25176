"""Reads for claims, always scoped: a member only ever sees their own household's claims."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine import AdjudicationError, get_plan, list_plans
from mutua.benefits.lines import adjudicate_item
from mutua.benefits.models import Claim, ClaimItem, Statement
from mutua.benefits.reasons import NO_RATE_FOR, REVIEW_REASONS
from mutua.benefits.rules import section_label
from mutua.benefits.selectors import claim_coverage
from mutua.claims.conversion import conversion_sentence, sent_sentence
from mutua.claims.models import ClaimsSuspension
from mutua.claims.required_documents import plan_documents, required_documents
from mutua.contracts.cover import DEFAULT_PLAN, Coverage, households_cover
from mutua.contracts.models import Member
from mutua.core.languages import in_language
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
    return member.statements.filter(issued_at__gte=since).select_related("claim__paid_to")


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
    payments = claim_item_payments(claim_id=claim.pk) if claim.status != Claim.Status.DRAFT else {}
    coverage = claim_coverage(claim=claim, day=claim.created_at.date())
    plan_code = coverage.plan_code or DEFAULT_PLAN
    tiers = tier_labels(plan_code=plan_code, language=language)
    plan = get_plan(plan_code)
    currency = plan.currency
    return [
        {
            "item": item,
            "currency": currency,  # of the amounts the plan computes
            "national_scheme": plan.has_national_scheme,
            # The documents the plan asks for this care (kept, or sent by post when asked for the originals).
            "documents": [
                text
                for text, _codes in plan_documents(plan_code=plan_code, codes=(item.benefit_code,), language=language)
            ],
            "conversion": conversion_sentence(item, plan_currency=currency, language=language),
            "care": benefit_label(plan_code=plan_code, benefit_code=item.benefit_code, language=language),
            "tiers": [(tiers.get(code, code), Decimal(amount)) for code, amount in item.tiers_paid.items()],
            "explanation": in_language(item.explanation, language, []),
            "plain": in_language(item.explanation.get("plain", {}), language, []),
            "payment": payments.get(item.pk),
            "sent": sent_sentence(getattr(payments.get(item.pk), "conversion", None), language=language),
            # Care in a restricted zone the plan paid nothing for: the member is told how planned care there
            # can be covered (the prior approval), not left with the refusal alone.
            "approval_url": (
                f"{reverse('approvals:request')}?{urlencode({'country': str(item.care_country)})}"
                if plan.zones is not None
                and item.care_country
                and plan.zones.zone_of(str(item.care_country)) is not None
                and item.status == ClaimItem.Status.ACCEPTED
                and not item.paid_total
                else ""
            ),
        }
        for item in claim.items.all()
    ]


# ---------------------------------------------------------------------------------------------
# The management unit's review: the queue, and each waiting item with what the rules propose

QUEUE_CLAIMS_PER_PAGE = 25
# A line's facts and details in a handler's words (the engine's codes never reach a page).
FLAG_LABELS = {
    "network": _("partner network"),
    "ald": _("long-term illness (ALD)"),
    "non_conventionne": _("provider not conventionné"),
    "outside_pathway": _("outside the care pathway"),
    "dptm": _("fees within the agreed rates (sector 1 or OPTAM)"),
    "suicide": _("after a suicide or a suicide attempt"),
}
ATTRIBUTE_CHOICES = {
    "basket": (("100_sante", _("100 % Santé")), ("maitrise", _("controlled prices")), ("libre", _("free prices"))),
    "lens_class": (("simple", _("single vision")), ("complex", _("complex")), ("very_complex", _("very complex"))),
    "side": (("left", _("left")), ("right", _("right"))),
}
ATTRIBUTE_LABELS = {"basket": _("basket"), "lens_class": _("lenses"), "side": _("side")}


def reason_labels(codes: list[str], *, currency: str = "") -> list[str]:
    """The reasons in words; a missing rate names the currency paid (``currency``)."""
    return [
        str(NO_RATE_FOR % {"currency": currency})
        if code == "no_exchange_rate" and currency
        else str(REVIEW_REASONS.get(code, code))
        for code in codes
    ]


def review_sections(*, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(plan's name, [(section, its name)]) of every plan's care, for the queue's filter: grouped by plan,
    since two plans may name different sections alike (the French "hospital" and the international
    "inpatient" are both "Hospitalisation")."""
    lang = language.split("-")[0]
    seen: set[str] = set()
    groups = []
    for plan in list_plans():
        codes = [code for code in dict.fromkeys(benefit.section for benefit in plan.benefits) if code not in seen]
        seen.update(codes)
        if codes:
            names = [(code, section_label(code, language=language, plan_code=plan.code)) for code in codes]
            groups.append((plan.label.get(lang), names))
    return groups


@dataclass(frozen=True)
class QueueItem:
    item: ClaimItem
    care: str
    reasons: list[str]


@dataclass(frozen=True)
class QueueClaim:
    claim: Claim
    person: str  # whom the care was for
    items: list[QueueItem]


def review_queue(*, section: str = "", reason: str = "", language: str, page: int | str = 1) -> Page:
    """The claims with items waiting for a handler, oldest sent first, a page at a time; each with its
    waiting items (care by its name, reasons in words). ``section``, ``reason``: only such items."""
    items = ClaimItem.objects.filter(status=ClaimItem.Status.IN_REVIEW)
    if section:
        codes = {b.code for plan in list_plans() for b in plan.benefits if b.section == section}
        items = items.filter(benefit_code__in=codes)
    if reason:
        # The reasons are a JSON list of codes: its quoted element, on every database.
        items = items.filter(review_reasons__icontains=f'"{reason}"')
    claims = Claim.objects.filter(pk__in=items.values("claim_id")).order_by("submitted_at", "pk")
    found = Paginator(claims.select_related("member", "beneficiary"), QUEUE_CLAIMS_PER_PAGE).get_page(page)
    waiting: dict[int, list[ClaimItem]] = {}
    for item in items.filter(claim__in=[claim.pk for claim in found]).order_by("care_date", "pk"):
        waiting.setdefault(item.claim_id, []).append(item)
    plans = _plans_of({claim.member_id for claim in found})
    found.object_list = [
        QueueClaim(
            claim=claim,
            person=(claim.beneficiary or claim.member).full_name,
            items=[
                QueueItem(
                    item=item,
                    care=benefit_label(
                        plan_code=plans.get(claim.member_id, DEFAULT_PLAN),
                        benefit_code=item.benefit_code,
                        language=language,
                    ),
                    reasons=reason_labels(item.review_reasons, currency=item.currency),
                )
                for item in waiting.get(claim.pk, [])
            ],
        )
        for claim in found
    ]
    return found


def _plans_of(member_ids: set[int]) -> dict[int, str]:
    """Each household's plan, to name its care (the latest version of its contract's plan)."""
    plans = {}
    for member_id, people in households_cover(member_ids).items():
        versions = people[0].cover.plans
        if versions:
            plans[member_id] = versions[-1].plan_code
    return plans


@dataclass(frozen=True)
class Proposal:
    """What the rules would pay for a waiting item at its amounts as they stand."""

    paid: Decimal = Decimal("0.00")
    tiers: tuple[tuple[str, Decimal], ...] = ()
    am_paid: Decimal = Decimal("0.00")
    am_estimated: bool = False
    out_of_pocket: Decimal = Decimal("0.00")
    problem: str = ""  # why the rules cannot compute it


def item_proposal(*, item: ClaimItem, coverage: Coverage, language: str) -> Proposal:
    """``coverage``: the person's on the day of the care, as the decision will read it."""
    if not coverage.covered or not coverage.plan_code:
        return Proposal(problem=str(coverage.explanation))
    if item.awaiting_rate:
        return Proposal(problem=str(NO_RATE_FOR % {"currency": item.currency}))
    try:
        result = adjudicate_item(item, plan_code=coverage.plan_code, tiers=coverage.tiers)
    except AdjudicationError as error:
        return Proposal(problem=str(error))
    labels = tier_labels(plan_code=coverage.plan_code, language=language)
    return Proposal(
        paid=result.paid_by_plan,
        tiers=tuple((labels.get(tier.tier, tier.tier), tier.paid) for tier in result.tiers),
        am_paid=result.am_paid,
        am_estimated=result.am_basis == "estimated",
        out_of_pocket=result.out_of_pocket,
    )


def item_details(*, item: ClaimItem) -> list[str]:
    """The line's facts and details (flags, basket, lenses…) in words."""
    details = [str(FLAG_LABELS.get(flag, flag)) for flag in item.flags]
    for name, value in item.attributes.items():
        words = dict(ATTRIBUTE_CHOICES.get(name, ()))
        details.append(f"{ATTRIBUTE_LABELS.get(name, name)} {words.get(value, value)}")
    return details


def item_attribute_names(*, item: ClaimItem, plan_code: str) -> list[str]:
    """The details a handler may correct on this item: those its care needs, and those it has."""
    benefit = get_plan(plan_code).benefit(item.benefit_code)
    needed = set(benefit.requires) if benefit else set()
    return [name for name in ATTRIBUTE_CHOICES if name in needed or name in item.attributes]


def claim_review_lines(*, claim: Claim, language: str) -> list[dict[str, object]]:
    """The claim's items as a handler reviews them: ``items_for_display`` with the reasons in words,
    the details in words, and for a waiting item what the rules propose."""
    lines = items_for_display(claim=claim, language=language)
    for line in lines:
        review_line_complete(line, language=language)
    return lines


def review_line_complete(line: dict[str, object], *, language: str) -> None:
    item = line["item"]
    line["reasons"] = reason_labels(item.review_reasons, currency=item.currency)
    line["details"] = item_details(item=item)
    if item.status == ClaimItem.Status.IN_REVIEW:
        coverage = claim_coverage(claim=item.claim, day=item.care_date)
        line["proposal"] = item_proposal(item=item, coverage=coverage, language=language)
        plan_code = coverage.plan_code or DEFAULT_PLAN
        line["attribute_names"] = item_attribute_names(item=item, plan_code=plan_code)
        plan = get_plan(plan_code)
        # A bill in another currency: the handler may enter (or correct) the rate of the care date.
        line["currencies"] = (item.currency, plan.currency) if item.currency != plan.currency else None
        # The national scheme's figures (base, what it paid) only for a plan it pays before.
        line["national_scheme"] = plan.has_national_scheme


def claim_review_line(*, item: ClaimItem, language: str) -> dict[str, object]:
    """One item's review line, read afresh (its row after a decision)."""
    claim = Claim.objects.select_related("member", "beneficiary").get(pk=item.claim_id)
    line = next(line for line in items_for_display(claim=claim, language=language) if line["item"].pk == item.pk)
    review_line_complete(line, language=language)
    return line
