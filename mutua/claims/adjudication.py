"""Deciding a claim's care lines through the one pipeline: an online claim's items (a batch of one
claim) and a hospital's invoice (a batch of its N lines), under the household's lock.

Both give ``benefits.pipeline.decide_lines`` what they know of each line and hand its decisions to the
one writer, ``claims.decisions.decisions_write``; an AM file does the same from
``teletransmission.services``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.benefits import adapter, reasons
from mutua.benefits.pipeline import ACCEPTED, Decision, Line, decide_lines
from mutua.benefits.same_care import SameCare
from mutua.claims.closing import claim_complete_if_decided, household_lock
from mutua.claims.decisions import Received, decisions_write
from mutua.claims.models import Claim, ClaimItem, RejectionReason
from mutua.claims.selectors import claim_coverage, claims_suspension_active, sent_care
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.selectors import document_possible_duplicates
from mutua.documents.services import document_ocr

ZERO = Decimal("0.00")
CEILING = "claim"  # the key of a claim's ceiling among the pipeline's ceilings


@dataclass(frozen=True)
class CareEntry:
    """A care line of a claim as its channel has it: a pending item's figures, or an invoice line's."""

    item: Received | int  # new: what was received; pending: the item's primary key
    benefit_code: str
    care_date: date
    amount: Decimal  # in the plan's currency
    currency: str = ""  # the currency paid in; empty: the plan's
    br: Decimal | None = None
    mr: Decimal | None = None
    other_paid: Decimal = ZERO
    quantity: int = 1
    flags: frozenset[str] = frozenset()
    attributes: dict[str, str] = field(default_factory=dict)
    provider: str = ""
    duplicate_document: bool = False
    receipt_mismatch: bool = False
    refusal: tuple[str, str] | None = None  # refused by the channel itself (outside a guaranteed period)


def claim_adjudicate(*, claim_id: int) -> Claim:
    """Decide every pending item of a sent claim; those the rules do not pay at once wait for a handler
    with the reasons.

    Receipts not read yet are read first (outside any lock: OCR takes seconds), so that the
    amounts read on them are compared with the amounts typed.
    """
    for document in Document.objects.filter(claim_items__claim_id=claim_id, ocr_done_at__isnull=True):
        document_ocr(document_id=document.pk)
    with transaction.atomic():
        claim = Claim.objects.select_related("member", "beneficiary").get(pk=claim_id)
        household_lock(claim.member_id)
        claim.refresh_from_db(fields=["status"])
        if claim.status != Claim.Status.IN_PROGRESS:
            return claim  # already decided: a retried or repeated task changes nothing
        pending = claim.items.filter(status=ClaimItem.Status.PENDING).prefetch_related("documents")
        return _decide(claim, [_pending_entry(item) for item in pending.order_by("care_date", "pk")])


def claim_invoice_decide(*, claim: Claim, entries: Sequence[CareEntry]) -> Claim:
    """Decide a hospital's invoice lines on a claim just sent (new items, a batch of N)."""
    with transaction.atomic():
        household_lock(claim.member_id)
        return _decide(claim, list(entries))


def _pending_entry(item: ClaimItem) -> CareEntry:
    documents = list(item.documents.all())
    read = {amount for document in documents for amount in document.ocr_amount_proposals}
    return CareEntry(
        item=item.pk,
        benefit_code=item.benefit_code,
        care_date=item.care_date,
        amount=item.amount_eur,
        currency=item.currency,
        br=item.br,
        mr=item.mr,
        other_paid=item.other_paid,
        quantity=item.quantity,
        flags=frozenset(item.flags),
        attributes=item.attributes,
        provider=item.provider,
        duplicate_document=any(document_possible_duplicates(document=document) for document in documents),
        receipt_mismatch=bool(read) and item.amount not in read,
    )


def _decide(claim: Claim, entries: list[CareEntry]) -> Claim:
    if not entries:
        return claim_complete_if_decided(claim)
    lines = _lines(claim, entries)
    member_ids = {claim.member_id}
    decisions = decide_lines(
        lines,
        households=adapter.households_of(member_ids),
        counters=adapter.counters_of(member_ids, since=min(entry.care_date for entry in entries)),
        limits=reasons.limits_today(),
        ceilings={CEILING: claim.ceiling} if claim.ceiling is not None else {},
    )
    aside = _claim_for_set_aside(claim, decisions) if any(d.set_aside for d in decisions) else claim
    decisions_write(
        decisions=decisions,
        items=[entry.item for entry in entries],
        claims=[aside.pk if decision.set_aside else claim.pk for decision in decisions],
        by=None,
        now=timezone.now(),
    )
    return claim_complete_if_decided(claim)


def _lines(claim: Claim, entries: list[CareEntry]) -> list[Line]:
    suspended = claims_suspension_active(member=claim.member) is not None
    person = adapter.person_key(member_id=claim.member_id, beneficiary_id=claim.beneficiary_id)
    days = [entry.care_date for entry in entries]
    same_care = SameCare(sent_care(member_ids={claim.member_id}, first=min(days), last=max(days)))
    lines = []
    for number, entry in enumerate(entries):
        coverage = claim_coverage(claim=claim, day=entry.care_date)
        refusal = entry.refusal
        if suspended:
            refusal = (RejectionReason.SUSPENDED.value, "")
        elif not coverage.covered:
            refusal = (RejectionReason.RIGHTS_EXPIRED.value, str(coverage.explanation))
        earlier = same_care.find(
            member_id=claim.member_id,
            beneficiary_id=claim.beneficiary_id,
            benefit_code=entry.benefit_code,
            care_date=entry.care_date,
            amount=entry.amount,
            channel=claim.channel,
            provider=entry.provider,
            item_id=entry.item if isinstance(entry.item, int) else None,
        )
        line_id = f"item-{entry.item}" if isinstance(entry.item, int) else f"new-{number}"
        lines.append(
            Line(
                care=adapter.care_line_of(
                    line_id=line_id,
                    person=person,
                    on=entry.care_date,
                    benefit_code=entry.benefit_code,
                    amount=entry.amount,
                    br=entry.br,
                    mr=entry.mr,
                    quantity=entry.quantity,
                    flags=entry.flags,
                    attributes=entry.attributes,
                    other_paid=entry.other_paid,
                ),
                household=claim.member_id,
                plan_code=coverage.plan_code or "",
                tiers=coverage.tiers,
                facts=_facts(claim, entry, coverage.plan_code, same_care=earlier is not None) if not refusal else None,
                earlier=earlier,
                refusal=refusal,
                ceiling=CEILING,
            )
        )
    return lines


def _facts(claim: Claim, entry: CareEntry, plan_code: str, *, same_care: bool) -> reasons.LineFacts:
    plan = get_plan(plan_code)
    benefit = plan.benefit(entry.benefit_code)
    return reasons.LineFacts(
        channel=claim.channel,
        care_date=entry.care_date,
        amount=entry.amount,
        converted=bool(entry.currency) and entry.currency != plan.currency,
        section=benefit.section,
        benefit_am=benefit.am,
        plan_has_am=bool(plan.am),
        flags=entry.flags,
        mr=entry.mr,
        same_care=same_care,
        duplicate_document=entry.duplicate_document,
        receipt_mismatch=entry.receipt_mismatch,
    )


def _claim_for_set_aside(claim: Claim, decisions: list[Decision]) -> Claim:
    """Lines above the claim's ceiling wait in a claim of their own, paid to the same payee once a
    handler has decided them, so that the rest is paid now; with nothing to pay now, the claim waits
    whole."""
    paid = sum((decision.paid for decision in decisions if decision.status == ACCEPTED), ZERO)
    if not paid and not claim.items.filter(status=ClaimItem.Status.ACCEPTED).exists():
        return claim
    waiting = Claim.objects.create(
        member_id=claim.member_id,
        beneficiary_id=claim.beneficiary_id,
        channel=claim.channel,
        paid_to_id=claim.paid_to_id,
        name=(_("%(name)s, above the guarantee") % {"name": claim.name})[:100],
        ceiling=claim.ceiling - paid,  # what the guarantee has left once the rest is paid
        submitted_at=claim.submitted_at,
    )
    return status_change(instance=waiting, workflow=Claim.WORKFLOW, to_status=Claim.Status.IN_PROGRESS, by=None)
