"""Writes for claims: build a claim, add and remove its items, submit it (the adjudication follows in the
background; a handler's decisions are ``claims.review``).

Every status change goes through ``status_change`` (row lock + history row). Everything
that reads or writes a household's counters first locks the household's ``Member`` row,
so two claims decided at the same moment can never spend the same cap twice.
"""

import logging
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine import get_plan
from mutua.accounts.models import User
from mutua.benefits import rules
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.benefits.money import in_plan_currency
from mutua.benefits.selectors import claim_coverage
from mutua.benefits.services import claim_item_draft
from mutua.claims.online_limit import bill_over_limit_refuse
from mutua.claims.selectors import claims_suspension_active
from mutua.claims.tasks import adjudicate_claim
from mutua.contracts.models import Beneficiary, Member
from mutua.core import money
from mutua.core.countries import country_code_clean
from mutua.core.currencies import is_currency
from mutua.core.formatting import money_format
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_ocr_queue, document_store

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SUSPENDING_REASONS = (RejectionReason.ILLEGIBLE, RejectionReason.ALTERED)


def _refuse_if_suspended(member: Member) -> None:
    if claims_suspension_active(member=member) is not None:
        raise ValidationError(
            _("Your online claims are suspended: send your claims by post, or contact your management unit."),
            code="suspended",
        )


@transaction.atomic
def claim_create(*, member: Member, beneficiary: Beneficiary | None, name: str) -> Claim:
    _refuse_if_suspended(member)
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise ValidationError(_("Choose a person of your household."), code="beneficiary")
    claim = Claim(member=member, beneficiary=beneficiary, name=name.strip())
    claim.full_clean()
    claim.save()
    return claim


def claim_items_left(claim: Claim) -> int:
    """How many care items this draft can still take (a claim holds at most ``CLAIMS_MAX_ITEMS``)."""
    return max(settings.CLAIMS_MAX_ITEMS - claim.items.count(), 0)


def claim_item_room(claim: Claim) -> None:
    """Refuse an item when the claim is sent or already holds its ``CLAIMS_MAX_ITEMS`` items (the page asks
    this first, so that an item posted from another tab comes back with the reason and nothing is written)."""
    if claim.status != Claim.Status.DRAFT:
        raise ValidationError(_("This claim is already sent."), code="not_draft")
    if claim_items_left(claim) == 0:
        raise ValidationError(
            _("A claim holds at most %(count)s care items: start another claim for the rest."),
            params={"count": settings.CLAIMS_MAX_ITEMS},
            code="too_many_items",
        )


ATTRIBUTE_MESSAGES = {
    "lens_class": gettext_lazy("Say which lenses the quote shows: single vision, complex or very complex."),
    "side": gettext_lazy("Say which side: left or right."),
    "basket": gettext_lazy("Say what the quote says: 100 % Santé, moderate prices or free prices."),
    "vision": gettext_lazy("Say which vision the equipment corrects."),
}


def _check_item(
    claim: Claim,
    *,
    benefit_code: str,
    care_date: date,
    amount: Decimal,
    currency: str,
    mr: Decimal | None,
    other_paid: Decimal,
    doctor_fees: str | None,
    provider: str = "",
    attributes: dict[str, str] | None = None,
) -> money.Converted:
    """The online service's rules for one item; returns it converted into the plan's currency."""
    claim_item_room(claim)
    if care_date > timezone.localdate():
        raise ValidationError(_("The date of the care cannot be in the future."), code="future")
    if care_date < rules.time_barred_before(today=timezone.localdate()):
        raise ValidationError(
            _(
                "Care more than two years old can no longer be claimed: the contract's claims are time-barred "
                "after two years. If you only learned of this care recently, write to your management unit."
            ),
            code="time_barred",
        )
    if amount <= 0:
        raise ValidationError(_("Enter the amount you paid."), code="amount")
    if not is_currency(currency):
        raise ValidationError(
            _("%(currency)s is not a currency: choose the one you paid in."),
            params={"currency": currency},
            code="currency",
        )
    coverage = claim_coverage(claim=claim, day=care_date)
    if not coverage.covered:
        raise ValidationError(
            _("Not covered on %(date)s: %(reason)s"),
            params={"date": care_date.strftime("%d/%m/%Y"), "reason": coverage.explanation},
            code="not_covered",
        )
    benefit = get_plan(coverage.plan_code).benefit(benefit_code)
    if benefit is None:
        raise ValidationError(_("Choose the kind of care in the list."), code="benefit")
    if rules.sent_by_post(plan_code=coverage.plan_code, benefit_code=benefit_code):
        raise ValidationError(
            _(
                "%(care)s is not claimed online: send the invoice and the receipt by post to your management "
                "unit, or ask the hospital for a guarantee of payment."
            ),
            params={"care": rules.section_label(benefit.section, plan_code=coverage.plan_code)},
            code="by_post",
        )
    # Converted once, into the currency of the plan that pays (the euro for the French contract). Without a
    # known rate the claim is still taken: the line waits for a handler, and what needs the amount in the
    # plan's currency (the AM's part, the online limit) is checked by the handler then.
    converted = in_plan_currency(amount=amount, currency=currency, plan_code=coverage.plan_code, on=care_date)
    plan_amount = converted.amount
    # What the line must say about the AM and the doctor, every problem at once.
    problems = []
    if rules.asks_doctor_fees(plan_code=coverage.plan_code, benefit_code=benefit_code) and (
        doctor_fees not in rules.DOCTOR_FEES
    ):
        problems.append(
            ValidationError(
                _("Say how the doctor charges: standard rate (secteur 1), controlled fees (OPTAM) or free fees."),
                code="doctor_fees",
            )
        )
    # An estimate of the AM's part could pay more than what is left to the member once the AM has
    # really paid: the plan pays on the AM's statement, online as from the AM's own file.
    if rules.am_part_required(plan_code=coverage.plan_code, benefit_code=benefit_code):
        if mr is None:
            problems.append(
                ValidationError(
                    _(
                        "Enter what the Assurance Maladie paid for this care: it is on its statement (or in your "
                        "ameli account). Enter 0 if it paid nothing. If it has not paid yet, claim once it has."
                    ),
                    code="am_paid_required",
                )
            )
        elif plan_amount is not None and mr > plan_amount:
            problems.append(
                ValidationError(
                    _("The Assurance Maladie cannot have paid more than the care cost (%(amount)s)."),
                    params={"amount": money_format(plan_amount)},
                    code="am_paid_too_high",
                )
            )
    if other_paid < ZERO or (plan_amount is not None and other_paid > max(plan_amount - (mr or ZERO), ZERO)):
        problems.append(
            ValidationError(
                _(
                    "Another insurer cannot have paid more than what remained after the Assurance Maladie "
                    "(%(remains)s)."
                ),
                params={"remains": money_format(max((plan_amount or ZERO) - (mr or ZERO), ZERO), converted.currency)},
                code="other_paid_too_high",
            )
        )
    # What the plan's rules need to know of this care (the lenses of glasses, the side of a hearing aid).
    for attribute in benefit.requires:
        if not (attributes or {}).get(attribute):
            problems.append(ValidationError(ATTRIBUTE_MESSAGES[attribute], code=f"attribute_{attribute}"))
    if problems:
        raise ValidationError(problems)
    if plan_amount is not None:
        bill_over_limit_refuse(
            claim, care_date=care_date, provider=provider, plan_amount=plan_amount, currency=converted.currency
        )
    return converted


def _care_country(claim: Claim, *, care_date: date, care_country: str) -> str:
    """The country of the care, which a plan with restricted zones needs (the form always asks it; an app
    must send it): a care without it would be taken as given anywhere."""
    coverage = claim_coverage(claim=claim, day=care_date)
    if not care_country:
        if coverage.plan_code and get_plan(coverage.plan_code).zones is not None:
            raise ValidationError(_("Say in which country the care was given."), code="care_country")
        return ""
    return country_code_clean(care_country)


def claim_item_add(
    *,
    claim: Claim,
    by: User,
    benefit_code: str,
    care_date: date,
    provider: str,
    amount: Decimal,
    currency: str = "EUR",
    br: Decimal | None = None,
    mr: Decimal | None = None,
    other_paid: Decimal = ZERO,
    quantity: int = 1,
    doctor_fees: str | None = None,
    flags: list[str] | None = None,
    attributes: dict[str, str] | None = None,
    uploads: list[UploadedFile],
    care_country: str = "",
    care_urgent: bool = False,
    duty_travel: bool = False,
) -> ClaimItem:
    """Add a care item with its supporting documents, after every rule of the online service.

    The documents are read by OCR in the background; ``item.upload_warnings`` lists what the
    checks noticed about the pictures (too small, blurred) for the member to see at once.
    """
    _refuse_if_suspended(claim.member)
    # Where the care was given, under a plan with restricted zones: decided by the pipeline, never refused here.
    care_country = _care_country(claim, care_date=care_date, care_country=care_country)
    converted = _check_item(
        claim,
        benefit_code=benefit_code,
        care_date=care_date,
        amount=amount,
        currency=currency,
        mr=mr,
        other_paid=other_paid,
        doctor_fees=doctor_fees,
        provider=provider,
        attributes=attributes,
    )
    flags = rules.flags_with_doctor_fees(flags, doctor_fees)
    if not uploads:
        raise ValidationError(_("Attach the supporting documents of this care."), code="no_document")
    if len(uploads) > settings.CLAIMS_MAX_DOCUMENTS_PER_ITEM:
        raise ValidationError(
            _("Attach at most %(count)s documents to a care item."),
            params={"count": settings.CLAIMS_MAX_DOCUMENTS_PER_ITEM},
            code="too_many_documents",
        )
    checked = [document_check(upload) for upload in uploads]
    stored: list[Document] = []
    try:
        with transaction.atomic():
            # Checked again under a lock: the claim may have been sent or filled meanwhile, from another tab.
            locked = Claim.objects.select_for_update().get(pk=claim.pk)
            claim_item_room(locked)
            if converted.known:
                bill_over_limit_refuse(
                    locked,
                    care_date=care_date,
                    provider=provider,
                    plan_amount=converted.amount,
                    currency=converted.currency,
                )
            item = claim_item_draft(
                claim=claim,
                fields={
                    "benefit_code": benefit_code,
                    "care_date": care_date,
                    "provider": provider.strip(),
                    "amount": amount,
                    "currency": currency,
                    "plan_rate": converted.rate,
                    "plan_amount": converted.amount,
                    "rate_on": converted.rate_on if converted.source else None,
                    "rate_source": converted.source,
                    "br": br,
                    "mr": mr,
                    "other_paid": other_paid,
                    "quantity": quantity,
                    "flags": flags,
                    "attributes": {key: value for key, value in (attributes or {}).items() if value},
                    "care_country": care_country,
                    "care_urgent": care_urgent,
                    "duty_travel": duty_travel,
                },
            )
            for file in checked:
                document = document_store(member=claim.member, checked=file, kind=Document.Kind.INVOICE, by=by)
                document_ocr_queue(document=document)
                stored.append(document)
            item.documents.set(stored)
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    # Not stored: what the checks noticed about the pictures (too small, blurred), to show now.
    item.upload_warnings = tuple(warning for file in checked for warning in file.warnings)
    return item


@transaction.atomic
def claim_item_remove(*, claim: Claim, item_id: int) -> None:
    """Remove a draft item with its documents, so they are not taken later for duplicates."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != Claim.Status.DRAFT:
            raise ValidationError(_("This claim is already sent."), code="not_draft")
        item = locked.items.filter(pk=item_id).first()
        if item is None:
            return
        documents = list(item.documents.all())
        item.delete()
        for document in documents:
            document.delete()
            transaction.on_commit(lambda file=document.file: file.delete(save=False))


def claim_submit(*, claim: Claim, by: User, terms_accepted: bool) -> Claim:
    """Validation by the member: records acceptance of the terms, then adjudication runs in the background."""
    if not terms_accepted:
        raise ValidationError(_("Accept the terms of the online claims service to send your claim."), code="terms")
    if not claim.items.exists():
        raise ValidationError(_("Add at least one care item."), code="empty")
    _refuse_if_suspended(claim.member)
    with transaction.atomic():
        submitted = status_change(
            instance=claim,
            workflow=Claim.WORKFLOW,
            to_status=Claim.Status.IN_PROGRESS,
            by=by,
            reason=f"terms {settings.CLAIMS_TERMS_VERSION}",
        )
        submitted.terms_version = settings.CLAIMS_TERMS_VERSION
        submitted.terms_accepted_at = submitted.submitted_at = timezone.now()
        submitted.terms_accepted_by = by
        submitted.save(update_fields=["terms_version", "terms_accepted_at", "terms_accepted_by", "submitted_at"])
        transaction.on_commit(lambda: adjudicate_claim.enqueue(claim_id=submitted.pk))
    return submitted
