"""Reads for capital claims and designations: always scoped to the household for a member, and to
what the role may read for the staff (medical documents for the medical advisor alone)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from engine import get_plan
from engine.messages import LANGUAGES, render
from engine.model import Message
from mutua.accounts.models import FINANCE_ROLES, Role, User
from mutua.capital.models import CapitalClaim, CapitalDesignation, ClaimDocument, Relationship
from mutua.capital.shares import HUNDRED, Person, Recipient, legal_heirs
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.models import Member
from mutua.core.models import StatusChange
from mutua.core.selectors import status_history

MEDICAL_DOCUMENT_ROLES = frozenset({ClaimDocument.Role.CAUSE_CERTIFICATE, ClaimDocument.Role.MEDICAL_REPORT})


def capital_plan_code(*, member: Member, day: date) -> str | None:
    """The plan the member holds on ``day`` when it pays a death and disability capital, else None."""
    coverage = subscriber_coverage_on(member=member, day=day)
    if not coverage.covered or get_plan(coverage.plan_code).capital is None:
        return None
    return coverage.plan_code


def member_has_capital(*, member: Member) -> bool:
    """Whether the member's plan today pays a death and disability capital (the portal offers its page)."""
    return capital_plan_code(member=member, day=timezone.localdate()) is not None


def designation_current(*, member: Member) -> CapitalDesignation | None:
    return member.capital_designations.prefetch_related("designees").first()


def designation_history(*, member: Member) -> QuerySet[CapitalDesignation]:
    """Every version, the newest first, with who recorded it."""
    return member.capital_designations.select_related("created_by").prefetch_related("designees")


def _designation_on(member: Member, day: date) -> CapitalDesignation | None:
    return member.capital_designations.filter(created_at__date__lte=day).prefetch_related("designees").first()


def _designated_or_household(claim: CapitalClaim) -> list[Recipient]:
    """For a death: the designation in force on the day of the death, or the legal order among the
    household's people when nobody is designated; [] when neither names anybody."""
    member = claim.member
    designation = _designation_on(member, claim.death_date or claim.event_date)
    designees = list(designation.designees.all()) if designation else []
    if designees:
        return [Recipient(d.full_name, d.relationship, d.share, d.iban, d.bic) for d in designees]
    people = [Person(b.full_name, b.relationship) for b in member.beneficiaries.filter(removed_on__isnull=True)]
    return legal_heirs(people)


def claim_recipients(*, claim: CapitalClaim) -> list[Recipient]:
    """Who receives the capital: the member for a disability; for a death, the designation in force on
    the day of the death, or the legal order among the household's people, or else the heirs a handler
    recorded on the claim from the succession documents."""
    if claim.kind == CapitalClaim.Kind.DISABILITY:
        return [Recipient(claim.member.full_name, Relationship.SELF, HUNDRED)]
    return _designated_or_household(claim) or [
        Recipient(h.full_name, Relationship.OTHER, h.share, h.iban, h.bic) for h in claim.heirs.all()
    ]


def heirs_needed(*, claim: CapitalClaim) -> bool:
    """A death claim whose capital goes to heirs a handler must record: nobody designated, and nobody of
    the household file in the legal order."""
    return claim.kind == CapitalClaim.Kind.DEATH and not _designated_or_household(claim)


def member_claims(*, member: Member) -> QuerySet[CapitalClaim]:
    return member.capital_claims.all()


def member_claim(*, member: Member, claim_id: int) -> CapitalClaim | None:
    """The household's own claim, or None (another household's claim is not found, not forbidden)."""
    return member.capital_claims.filter(pk=claim_id).first()


_HANDLER_STEPS = (CapitalClaim.Status.RECEIVED, CapitalClaim.Status.MEDICAL_DECIDED, CapitalClaim.Status.COMPUTED)
QUEUES = {
    # What each role works on, the oldest first.
    Role.CLAIMS_HANDLER: _HANDLER_STEPS,
    Role.ADMINISTRATOR: _HANDLER_STEPS,
    Role.MEDICAL_ADVISOR: (CapitalClaim.Status.DOCUMENTS_COMPLETE,),
    Role.FINANCE: (CapitalClaim.Status.APPROVED,),
}


def claims_queue(*, user: User) -> QuerySet[CapitalClaim]:
    statuses = QUEUES.get(user.role, ())
    return CapitalClaim.objects.filter(status__in=statuses).select_related("member").order_by("created_at", "pk")


def claim_for_staff(*, claim_id: int) -> CapitalClaim | None:
    return CapitalClaim.objects.select_related("member", "medical_decided_by").filter(pk=claim_id).first()


def claim_documents_for(*, claim: CapitalClaim, user: User) -> list[ClaimDocument]:
    """The claim's documents this person may read: the medical ones for the medical advisor alone
    among the staff; finance reads none (it pays, it does not read files)."""
    documents = claim.documents.select_related("document")
    if user.is_member or user.role == Role.MEDICAL_ADVISOR:
        return list(documents)
    if user.role in FINANCE_ROLES and user.role != Role.ADMINISTRATOR:
        return []
    return list(documents.exclude(role__in=MEDICAL_DOCUMENT_ROLES))


def claim_history(*, claim: CapitalClaim) -> QuerySet[StatusChange]:
    return status_history(instance=claim).select_related("changed_by").order_by("changed_at", "pk")


@dataclass(frozen=True)
class Step:
    at: datetime
    status: str  # in words
    reason: str
    by: str  # the person's name for the staff; empty for a member's page


def claim_timeline(*, claim: CapitalClaim, staff: bool) -> list[Step]:
    """The claim's steps in words, the filing first; the staff also see who took each step."""
    labels = dict(CapitalClaim.Status.choices)

    def name(user: User | None) -> str:
        return (user.get_full_name() or user.username) if staff and user else ""

    steps = [Step(claim.created_at, labels[CapitalClaim.Status.RECEIVED], "", name(claim.filed_by))]
    for change in claim_history(claim=claim):
        steps.append(
            Step(
                change.changed_at,
                labels.get(change.to_status, change.to_status),
                change.reason,
                name(change.changed_by),
            )
        )
    return steps


def _message(stored: dict) -> Message:
    params = tuple((name, Decimal(value) if kind == "decimal" else value) for name, value, kind in stored["params"])
    return Message(stored["key"], params)


def claim_explanation(*, claim: CapitalClaim) -> list[str]:
    """The engine's explanation of the amounts in the reader's language (the engine speaks French and
    English; other readers get English)."""
    language = (get_language() or "en")[:2]
    language = language if language in LANGUAGES else "en"
    return [render(_message(stored), language, claim.currency) for stored in claim.explanation]
