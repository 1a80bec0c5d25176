"""Writes for claims: build a claim, submit it, adjudicate it, decide items, issue statements.

Every status change goes through ``status_change`` (row lock + history row). Everything
that reads or writes a household's counters first locks the household's ``Member`` row,
so two claims decided at the same moment can never spend the same cap twice.
"""

import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from engine import AdjudicationError, get_plan
from mutua.accounts.models import User
from mutua.benefits import rules
from mutua.benefits.closing import claim_complete_if_decided, household_lock
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.benefits.money import in_plan_currency
from mutua.benefits.reasons import JUSTIFIED_REASONS
from mutua.benefits.selectors import claim_coverage, same_care_as
from mutua.benefits.services import claim_item_draft, item_accept, item_reject
from mutua.claims.models import ClaimsSuspension
from mutua.claims.selectors import claims_suspension_active
from mutua.claims.tasks import adjudicate_claim
from mutua.contracts.models import Beneficiary, Member
from mutua.core import money
from mutua.core.countries import country_code_clean
from mutua.core.currencies import is_currency
from mutua.core.emails import email_queue
from mutua.core.formatting import money_format
from mutua.core.models import SecurityEvent
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


def _same_provider(name: str) -> str:
    return " ".join(name.split()).casefold()


def _online_limit(*, currency: str, on: date) -> Decimal | None:
    """``CLAIMS_ONLINE_LIMIT_EUR`` in the plan's currency at the rate of the care date; None without a rate."""
    rate = money.exchange_rate(currency="EUR", into=currency, on=on)
    if rate is None:
        return None
    return (Decimal(settings.CLAIMS_ONLINE_LIMIT_EUR) * rate.value).quantize(CENT, ROUND_HALF_UP)


def online_limit_words(*, currency: str, on: date) -> str:
    """The online limit as a member of a plan paying in ``currency`` reads it: "500,00 €", or under a dollar
    plan "500,00 € (about 579,85 US$ today)", the rule converting it at the rate of the care date."""
    in_euros = money_format(settings.CLAIMS_ONLINE_LIMIT_EUR, "EUR")
    converted = _online_limit(currency=currency, on=on) if currency != "EUR" else None
    if converted is None:
        return in_euros
    return _("%(limit)s (about %(amount)s today)") % {"limit": in_euros, "amount": money_format(converted, currency)}


def _refuse_bill_over_limit(
    claim: Claim, *, care_date: date, provider: str, amount_eur: Decimal, currency: str = "EUR"
) -> None:
    """Bills of ``CLAIMS_ONLINE_LIMIT_EUR`` or more go by post (seed 002), even split into several items: the
    items of the same day at the same provider in this claim are one bill. ``amount_eur``: in the plan's
    ``currency``."""
    limit = _online_limit(currency=currency, on=care_date)
    if limit is None:
        return
    if amount_eur >= limit:
        raise ValidationError(
            _(
                "Bills of %(limit)s or more (here %(amount)s) are not claimed online: send the original "
                "invoice by post to your management unit."
            ),
            params={"limit": money_format(limit, currency), "amount": money_format(amount_eur, currency)},
            code="over_limit",
        )
    same_bill = [
        item.amount_eur
        for item in claim.items.filter(care_date=care_date, amount_eur__isnull=False).only("provider", "amount_eur")
        if _same_provider(item.provider) == _same_provider(provider)
    ]
    total = sum(same_bill, amount_eur)
    if same_bill and total >= limit:
        raise ValidationError(
            _(
                "One bill of %(limit)s or more is not claimed online, even split into several care items: with "
                "the care of %(date)s at %(provider)s already in this claim, this bill comes to %(total)s. Send "
                "the original invoice by post to your management unit."
            ),
            params={
                "limit": money_format(limit, currency),
                "date": date_format(care_date, "SHORT_DATE_FORMAT"),
                "provider": provider.strip(),
                "total": money_format(total, currency),
            },
            code="over_limit",
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
    amount_eur = converted.amount
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
        elif amount_eur is not None and mr > amount_eur:
            problems.append(
                ValidationError(
                    _("The Assurance Maladie cannot have paid more than the care cost (%(amount)s)."),
                    params={"amount": money_format(amount_eur)},
                    code="am_paid_too_high",
                )
            )
    if other_paid < ZERO or (amount_eur is not None and other_paid > max(amount_eur - (mr or ZERO), ZERO)):
        problems.append(
            ValidationError(
                _(
                    "Another insurer cannot have paid more than what remained after the Assurance Maladie "
                    "(%(remains)s)."
                ),
                params={"remains": money_format(max((amount_eur or ZERO) - (mr or ZERO), ZERO), converted.currency)},
                code="other_paid_too_high",
            )
        )
    # What the plan's rules need to know of this care (the lenses of glasses, the side of a hearing aid).
    for attribute in benefit.requires:
        if not (attributes or {}).get(attribute):
            problems.append(ValidationError(ATTRIBUTE_MESSAGES[attribute], code=f"attribute_{attribute}"))
    if problems:
        raise ValidationError(problems)
    if amount_eur is not None:
        _refuse_bill_over_limit(
            claim, care_date=care_date, provider=provider, amount_eur=amount_eur, currency=converted.currency
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
                _refuse_bill_over_limit(
                    locked,
                    care_date=care_date,
                    provider=provider,
                    amount_eur=converted.amount,
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
                    "eur_rate": converted.rate,
                    "amount_eur": converted.amount,
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


def claim_item_decide(
    *,
    item: ClaimItem,
    by: User,
    accept: bool,
    reason: RejectionReason | None = None,
    text: str = "",
    adjust: dict[str, Any] | None = None,
) -> ClaimItem:
    """A handler's decision. An accepted item is re-computed by the engine, never typed as an amount."""
    if not accept and reason is None:
        raise ValidationError(_("Choose the reason for the refusal."), code="reason")
    if not accept and reason == RejectionReason.OTHER and not text.strip():
        raise ValidationError(_("Explain the reason in a few words."), code="text")
    with transaction.atomic():
        household_lock(item.claim.member_id)
        item = ClaimItem.objects.select_related("claim__member", "claim__beneficiary").get(pk=item.pk)
        if item.status != ClaimItem.Status.IN_REVIEW:
            raise ValidationError(_("This item is not waiting for a decision."), code="not_in_review")
        if accept:
            if JUSTIFIED_REASONS & set(item.review_reasons) and not text.strip():
                raise ValidationError(
                    _(
                        "This care is more than two years old: name the exception that lets it be paid (the member "
                        "learned of it late, or the limitation period was interrupted, for example by a registered "
                        "letter)."
                    ),
                    code="justification",
                )
            same = same_care_as(item=item)
            if same is not None and same.paid:
                raise ValidationError(
                    _("This care is already reimbursed: %(source)s. Refuse this item as a duplicate."),
                    params={"source": same.text},
                    code="paid_elsewhere",
                )
            for field in ("amount", "br", "mr", "quantity"):
                if adjust and adjust.get(field) is not None:
                    setattr(item, field, adjust[field])
            if "am_part_missing" in item.review_reasons and item.mr is None:
                raise ValidationError(
                    _("Enter what the Assurance Maladie paid, from its statement, before accepting."),
                    code="am_paid_required",
                )
            if adjust and adjust.get("attributes"):
                item.attributes = {**item.attributes, **{k: v for k, v in adjust["attributes"].items() if v}}
            if item.amount <= 0 or (item.mr or 0) > item.amount:
                raise ValidationError(
                    _("Check the amounts: the amount paid must be positive and cover the AM part."), code="amounts"
                )
            coverage = claim_coverage(claim=item.claim, day=item.care_date)
            plan_currency = get_plan(coverage.plan_code).currency if coverage.plan_code else item.currency
            _convert_at_handlers_rate(item, adjust=adjust or {}, plan_currency=plan_currency)
            try:
                item = item_accept(
                    item=item, by=by, plan_code=coverage.plan_code, tiers=coverage.tiers, reason=text.strip()
                )
            except AdjudicationError as error:
                raise ValidationError(
                    _("The rules cannot compute this item: %(problem)s"), params={"problem": error}, code="engine"
                ) from error
            _refuse_above_ceiling_without_reason(item, text=text)
        else:
            item = item_reject(item=item, by=by, reason=reason, text=text.strip())
            if reason in SUSPENDING_REASONS:
                _suspend_if_repeated(item.claim.member)
        claim_complete_if_decided(item.claim)
    return item


def _convert_at_handlers_rate(item: ClaimItem, *, adjust: dict[str, Any], plan_currency: str) -> None:
    """The item in the plan's currency, at the rate the handler entered (with its source, for a currency
    or a day the ECB gives no rate for) or at the one it was sent with; the rate's day is the care's.
    A rate typed wrong (1 for 0.0077) would pay a hundred times the bill: a handler's rate that makes the
    bill reach the online limit, which no bill claimed online may, is refused."""
    if adjust.get("rate") is not None:
        if not str(adjust.get("rate_source") or "").strip():
            raise ValidationError(
                _("Name the source of the rate (a central bank, the bank's statement…): the member reads it."),
                code="rate_source",
            )
        rate = money.rate_from_handler(value=adjust["rate"], on=item.care_date, source=adjust["rate_source"])
        item.eur_rate, item.rate_on, item.rate_source = rate.value, rate.on, rate.source
    if item.awaiting_rate:
        raise ValidationError(
            _("No exchange rate is known for %(currency)s: enter the rate of the day of the care and its source."),
            params={"currency": item.currency},
            code="rate_required",
        )
    item.amount_eur = (item.amount * item.eur_rate).quantize(CENT, ROUND_HALF_UP)
    limit = _online_limit(currency=plan_currency, on=item.care_date) if adjust.get("rate") is not None else None
    if limit is not None and item.amount_eur >= limit:
        raise ValidationError(
            _(
                "At this rate the bill comes to %(amount)s, as much as the online limit (%(limit)s) that no bill "
                "claimed online reaches: check the rate, or refuse the item so the member sends it by post."
            ),
            params={
                "amount": money_format(item.amount_eur, plan_currency),
                "limit": money_format(limit, plan_currency),
            },
            code="rate",
        )


def _refuse_above_ceiling_without_reason(item: ClaimItem, *, text: str) -> None:
    """A handler pays above a claim's ceiling (what a guarantee states) only with the reason written."""
    claim = item.claim
    if claim.ceiling is None or text.strip():
        return
    accepted = claim.items.filter(status=ClaimItem.Status.ACCEPTED)
    paid = sum((other.paid_total or ZERO for other in accepted), ZERO)
    if paid > claim.ceiling:
        raise ValidationError(
            _("Accepting this pays %(excess)s beyond what the guarantee of payment covers: write why."),
            params={"excess": money_format(paid - claim.ceiling)},
            code="over_guarantee",
        )


def _suspend_if_repeated(member: Member) -> None:
    since = timezone.now() - timedelta(days=365)
    count = (
        Claim.objects.filter(
            member=member, items__rejection_reason__in=SUSPENDING_REASONS, items__decided_at__gte=since
        )
        .distinct()
        .count()
    )
    if count >= settings.CLAIMS_SUSPENSION_REJECTIONS and claims_suspension_active(member=member) is None:
        ClaimsSuspension.objects.create(
            member=member,
            since=timezone.now(),
            reason=_suspension_reason(count, language=member.preferred_language),
        )
        email_queue(
            to=member.email,
            template="claims/email/suspended",
            context={"first_name": member.first_name},
            language=member.preferred_language,
        )


def _suspension_reason(count: int, *, language: str) -> str:
    """What is counted is claims (one claim may hold several refused documents), in the member's
    language: the member reads it on their claims page."""
    with translation.override(language):
        return ngettext(
            "%(count)s claim with a supporting document refused as illegible or altered within 12 months.",
            "%(count)s claims with a supporting document refused as illegible or altered within 12 months.",
            count,
        ) % {"count": count}


@transaction.atomic
def claims_suspension_lift(*, suspension: ClaimsSuspension, by: User) -> ClaimsSuspension:
    suspension.lifted_at, suspension.lifted_by = timezone.now(), by
    suspension.save(update_fields=["lifted_at", "lifted_by"])
    SecurityEvent.objects.create(
        action=SecurityEvent.Action.CLAIMS_SUSPENSION_LIFTED, target=f"member={suspension.member_id}", by=by
    )
    member = suspension.member
    email_queue(
        to=member.email,
        template="claims/email/suspension_lifted",
        context={"first_name": member.first_name},
        language=member.preferred_language,
    )
    return suspension
