"""Deciding a sent online claim: what the online service knows of its items (the receipts read by OCR,
documents sent before, a suspension) handed to the benefits layer's ``claim_lines_decide``, which
decides them through the one pipeline, as it does a hospital's invoice and an AM file's lines."""

from decimal import Decimal

from django.db import transaction

from mutua.benefits.adapter import item_zone_flags
from mutua.benefits.closing import household_lock
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.benefits.services import CareEntry, claim_lines_decide
from mutua.claims.selectors import claims_suspension_active
from mutua.documents.models import Document
from mutua.documents.selectors import document_possible_duplicates
from mutua.documents.services import document_ocr

ZERO = Decimal("0.00")
CEILING = "claim"  # the key of a claim's ceiling among the pipeline's ceilings


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
        # Suspended meanwhile (repeated altered documents): nothing more is paid online.
        refusal = (RejectionReason.SUSPENDED.value, "") if claims_suspension_active(member=claim.member) else None
        pending = claim.items.filter(status=ClaimItem.Status.PENDING).prefetch_related("documents")
        entries = [_pending_entry(item, refusal) for item in pending.order_by("care_date", "pk")]
        return claim_lines_decide(claim=claim, entries=entries)


def _pending_entry(item: ClaimItem, refusal: tuple[str, str] | None) -> CareEntry:
    documents = list(item.documents.all())
    read = {amount for document in documents for amount in document.ocr_amount_proposals}
    return CareEntry(
        item=item.pk,
        benefit_code=item.benefit_code,
        care_date=item.care_date,
        amount=item.plan_amount,
        currency=item.currency,
        br=item.br,
        mr=item.mr,
        other_paid=item.other_paid,
        quantity=item.quantity,
        flags=item_zone_flags(item),
        attributes=item.attributes,
        provider=item.provider,
        duplicate_document=any(document_possible_duplicates(document=document) for document in documents),
        receipt_mismatch=bool(read) and item.amount not in read,
        refusal=refusal,
        country=item.care_country,
    )
