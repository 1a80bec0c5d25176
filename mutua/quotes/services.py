"""Writes for quotes: create with the estimate, correct the lines, recompute, ask for a check, advise, claim.

Estimates come from ``estimates`` (the engine through the benefits adapter) and never write
counters. Every status change goes through ``status_change`` (row lock + history row).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.benefits.models import Claim
from mutua.claims.services import claim_create
from mutua.contracts.models import Beneficiary, Member
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import CheckedFile, document_check, document_ocr_queue, document_store
from mutua.notifications.services import notification_send
from mutua.quotes.estimates import Estimate, LineInput, quote_estimate_compute
from mutua.quotes.models import EstimatedLine, Quote

MAX_LINES = 10
# Lines can be corrected until someone else relies on them (a check asked, a claim started).
EDITABLE = frozenset({Quote.Status.ESTIMATED})


def line_input(line: EstimatedLine) -> LineInput:
    return LineInput(
        benefit_code=line.benefit_code,
        amount=line.amount,
        br=line.br,
        quantity=line.quantity,
        flags=tuple(line.flags),
        attributes=dict(line.attributes),
        label=line.label,
        tooth=getattr(line, "tooth", ""),
    )


def _check_lines(lines: Sequence[LineInput]) -> None:
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("A quote holds at most %(count)s lines."), params={"count": MAX_LINES}, code="too_many_lines"
        )
    for number, line in enumerate(lines, start=1):
        if line.amount <= 0:
            raise ValidationError(
                _("Line %(number)s: enter the amount quoted."), params={"number": number}, code="amount"
            )
        if line.tooth and not (line.tooth.isdigit() and 11 <= int(line.tooth) <= 48):
            raise ValidationError(
                _("Line %(number)s: a tooth is numbered from 11 to 48."), params={"number": number}, code="tooth"
            )


def estimate_store(*, holder: Quote | Any, estimate: Estimate) -> None:
    """Replace the lines of ``holder`` (a quote, a hospital guarantee) by the estimated ones and keep
    the estimate's date, plan and totals."""
    line_model, link = holder.lines.model, holder.lines.field.name
    has_tooth = any(field.name == "tooth" for field in line_model._meta.concrete_fields)
    holder.lines.all().delete()
    line_model.objects.bulk_create(
        line_model(
            **{link: holder},
            position=position,
            benefit_code=line.line.benefit_code,
            label=line.line.label.strip(),
            amount=line.line.amount,
            br=line.line.br,
            quantity=line.line.quantity,
            flags=sorted(line.line.flags),
            attributes={key: value for key, value in line.line.attributes.items() if value},
            rules=list(line.rules),
            network_saving=line.network_saving,
            **({"tooth": line.line.tooth} if has_tooth else {}),
            **line.fields,
        )
        for position, line in enumerate(estimate.lines)
    )
    holder.estimated_at = timezone.now()
    holder.plan_code, holder.plan_version_from, holder.tiers = (
        estimate.plan_code,
        estimate.plan_version_from,
        list(estimate.tiers),
    )
    holder.total_amount = estimate.total_amount
    holder.total_am = estimate.total("am_paid")
    holder.total_plan = estimate.total("paid_total")
    holder.total_out_of_pocket = estimate.total("out_of_pocket")
    if hasattr(holder, "network_saving"):
        holder.network_saving = estimate.network_saving
    holder.save()


def _store_document(*, quote: Quote, checked: CheckedFile, by: User, stored: list[Document]) -> None:
    """Store the file (listed in ``stored``, so the caller can remove it if the transaction fails)."""
    stored.append(document_store(member=quote.member, checked=checked, kind=Document.Kind.OTHER, by=by))
    quote.document = stored[-1]
    quote.save(update_fields=["document"])
    document_ocr_queue(document=quote.document)  # the amounts read are proposed to the member


def _delete_files(stored: list[Document]) -> None:
    for document in stored:
        document.file.delete(save=False)


def quote_create(
    *,
    member: Member,
    by: User,
    beneficiary: Beneficiary | None,
    name: str,
    kind: str,
    provider: str,
    planned_date: date,
    lines: Sequence[LineInput],
    upload: UploadedFile | None = None,
) -> Quote:
    """A quote with its document and lines, estimated at once for the person on the planned date."""
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise ValidationError(_("Choose a person of your household."), code="beneficiary")
    _check_lines(lines)
    estimate = quote_estimate_compute(member=member, beneficiary=beneficiary, on=planned_date, lines=lines)
    checked = document_check(upload) if upload is not None else None
    quote = Quote(
        member=member,
        beneficiary=beneficiary,
        name=name.strip(),
        kind=kind,
        provider=provider.strip(),
        planned_date=planned_date,
        created_by=by,
    )
    stored: list[Document] = []
    try:
        with transaction.atomic():
            quote.full_clean(exclude=["created_by", "document", "claim", "reviewed_by"])
            quote.save()
            estimate_store(holder=quote, estimate=estimate)
            if checked is not None:
                _store_document(quote=quote, checked=checked, by=by, stored=stored)
    except Exception:
        _delete_files(stored)
        raise
    return quote


def quote_document_attach(*, quote: Quote, by: User, upload: UploadedFile) -> Quote:
    """The quote's document, when it was not sent with the lines (the app sends it afterwards)."""
    checked = document_check(upload)
    stored: list[Document] = []
    try:
        with transaction.atomic():
            quote = Quote.objects.select_for_update(of=("self",)).select_related("member").get(pk=quote.pk)
            if quote.document_id:
                raise ValidationError(_("This quote already has its document."), code="has_document")
            _store_document(quote=quote, checked=checked, by=by, stored=stored)
    except Exception:
        _delete_files(stored)
        raise
    return quote


@transaction.atomic
def quote_lines_replace(*, quote: Quote, lines: Sequence[LineInput]) -> Quote:
    """The member corrects the lines (after reading the document again): a new estimate."""
    _check_lines(lines)
    quote = Quote.objects.select_for_update(of=("self",)).select_related("member", "beneficiary").get(pk=quote.pk)
    if quote.status not in EDITABLE:
        raise ValidationError(_("This quote can no longer be changed."), code="not_editable")
    estimate = quote_estimate_compute(
        member=quote.member, beneficiary=quote.beneficiary, on=quote.planned_date, lines=lines
    )
    estimate_store(holder=quote, estimate=estimate)
    return quote


@transaction.atomic
def quote_estimate_refresh(*, quote: Quote) -> Quote:
    """Compute the estimate again with today's counters (a claim decided since, a new plan version)."""
    quote = Quote.objects.select_for_update(of=("self",)).select_related("member", "beneficiary").get(pk=quote.pk)
    if quote.status == Quote.Status.CLAIMED:
        raise ValidationError(_("This quote is already turned into a claim."), code="claimed")
    lines = [line_input(line) for line in quote.lines.all()]
    estimate_store(
        holder=quote,
        estimate=quote_estimate_compute(
            member=quote.member, beneficiary=quote.beneficiary, on=quote.planned_date, lines=lines
        ),
    )
    return quote


def quote_review_request(*, quote: Quote, by: User, question: str = "") -> Quote:
    """The member asks the management unit to check the quote (seed 001, "Informations pratiques")."""
    with transaction.atomic():
        quote = status_change(
            instance=quote, workflow=Quote.WORKFLOW, to_status=Quote.Status.REVIEW_REQUESTED, by=by, reason=question
        )
        quote.review_question, quote.review_requested_at = question.strip(), timezone.now()
        quote.save(update_fields=["review_question", "review_requested_at"])
    return quote


def quote_review(*, quote: Quote, by: User, advice: str, corrections: dict[int, dict[str, Any]] | None = None) -> Quote:
    """The handler's advice, with the estimate computed again by the engine after any corrected amount or BR.

    The member is told by e-mail, in their language.
    """
    if not advice.strip():
        raise ValidationError(_("Write your advice for the member."), code="advice")
    with transaction.atomic():
        quote = Quote.objects.select_for_update(of=("self",)).select_related("member", "beneficiary").get(pk=quote.pk)
        if quote.status != Quote.Status.REVIEW_REQUESTED:
            raise ValidationError(_("This quote is not waiting for a check."), code="not_requested")
        lines = []
        for line in quote.lines.all():
            corrected = {key: value for key, value in (corrections or {}).get(line.pk, {}).items() if value is not None}
            for name, value in corrected.items():
                setattr(line, name, value)
            lines.append(line_input(line))
        _check_lines(lines)
        estimate = quote_estimate_compute(
            member=quote.member, beneficiary=quote.beneficiary, on=quote.planned_date, lines=lines
        )
        estimate_store(holder=quote, estimate=estimate)
        quote.advice, quote.reviewed_at, quote.reviewed_by = advice.strip(), timezone.now(), by
        quote.save(update_fields=["advice", "reviewed_at", "reviewed_by"])
        quote = status_change(instance=quote, workflow=Quote.WORKFLOW, to_status=Quote.Status.REVIEWED, by=by)
        member = quote.member
        notification_send(
            to=member.email,
            member=member,
            link=reverse("quotes:detail", args=[quote.pk]),
            template="quotes/email/reviewed",
            context={
                "first_name": member.first_name,
                "quote_name": quote.name,
                "out_of_pocket": f"{quote.total_out_of_pocket:.2f}",
            },
            language=member.preferred_language,
        )
    return quote


def quote_claim_start(*, quote: Quote, by: User) -> Claim:
    """Once the care is done: a draft claim for the same person, its care items pre-filled from the quote's lines."""
    if quote.planned_date > timezone.localdate():
        raise ValidationError(
            _("The care is planned for %(date)s: turn the quote into a claim once it is done."),
            params={"date": quote.planned_date.strftime("%d/%m/%Y")},
            code="not_done",
        )
    with transaction.atomic():
        quote = status_change(instance=quote, workflow=Quote.WORKFLOW, to_status=Quote.Status.CLAIMED, by=by)
        claim = claim_create(member=quote.member, beneficiary=quote.beneficiary, name=quote.name)
        quote.claim = claim
        quote.save(update_fields=["claim"])
    return claim
