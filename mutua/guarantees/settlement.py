"""Direct settlement: the hospital's invoice against its guarantee, decided by the engine and paid
to the hospital once; and the job that watches deadlines and closes guarantees never invoiced.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.benefits.decisions import Received
from mutua.benefits.models import Claim, RejectionReason
from mutua.benefits.services import CareEntry, claim_lines_decide
from mutua.claims.services import claim_create
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_store
from mutua.guarantees.access import guarantee_locked, hospital_staff_require
from mutua.guarantees.extensions import medical_report_store
from mutua.guarantees.models import Guarantee
from mutua.guarantees.stays import Cost, care_country, guarantee_plan, stay_lines
from mutua.notifications.services import notification_send
from mutua.quotes.estimates import LineInput


def guarantee_settle(
    *,
    guarantee: Guarantee,
    by: User,
    invoice_number: str,
    invoice: UploadedFile,
    costs: Sequence[tuple[date, Cost]],
    report: UploadedFile | None = None,
) -> Claim:
    """The hospital's invoice against the guarantee: decided by the engine within the guarantee and
    paid to the hospital through the payments ledger, once.

    Costs dated outside the guaranteed period are refused (the hospital may then bill them to the
    patient, who can claim them); costs the stay does not have, or days running past the end of the
    period, are refused before anything is written.
    """
    hospital_staff_require(guarantee, by)
    invoice_number = invoice_number.strip()
    if not invoice_number or not costs:
        raise ValidationError(_("Give the invoice number and at least one cost."), code="invoice")
    lines = stay_lines(
        plan=guarantee_plan(guarantee),
        stay_kind=guarantee.stay_kind,
        provider=guarantee.provider,
        costs=[c for _d, c in costs],
    )
    today = timezone.localdate()
    for number, (day, cost) in enumerate(costs, start=1):
        last_day = day + timedelta(days=cost.quantity - 1)
        if last_day > today:
            raise ValidationError(
                _("Line %(number)s: care on %(day)s has not happened yet: send the invoice once the stay is over."),
                params={"number": number, "day": last_day.strftime("%d/%m/%Y")},
                code="future",
            )
        if day <= guarantee.valid_until < last_day:
            raise ValidationError(
                _(
                    "Line %(number)s: its days run past the end of the guarantee (%(end)s). "
                    "Split the line, or ask for an extension first."
                ),
                params={"number": number, "end": guarantee.valid_until.strftime("%d/%m/%Y")},
                code="straddles",
            )
        if cost.am_paid is not None and not Decimal(0) <= cost.am_paid <= cost.amount:
            raise ValidationError(
                _("Line %(number)s: the part paid by the Assurance Maladie must be between 0 and the amount."),
                params={"number": number},
                code="am_paid",
            )
    checked = document_check(invoice)
    with transaction.atomic():
        guarantee = guarantee_locked(guarantee)
        if guarantee.status != Guarantee.Status.ISSUED:
            raise ValidationError(
                _("This guarantee cannot take an invoice now (%(status)s).")
                % {"status": guarantee.get_status_display()},
                code="not_issued",
            )
        if report is not None:
            medical_report_store(guarantee=guarantee, upload=report, by=by)
        claim = claim_create(
            member=guarantee.member,
            beneficiary=guarantee.beneficiary,
            name=_("Hospital stay %(reference)s") % {"reference": guarantee.reference},
        )
        invoice_document = document_store(member=guarantee.member, checked=checked, kind=Document.Kind.INVOICE, by=by)
        claim.channel, claim.paid_to = Claim.Channel.HOSPITAL, guarantee.provider
        # What the guarantee states is paid at once, anything above it with a handler's reason. An
        # emergency letter issued before any estimate states no amount: a handler checks its invoice.
        claim.ceiling = guarantee.total_plan if guarantee.lines.exists() else Decimal("0.00")
        claim.save(update_fields=["channel", "paid_to", "ceiling"])
        guarantee.claim, guarantee.invoice_number, guarantee.invoice = claim, invoice_number[:40], invoice_document
        guarantee.save(update_fields=["claim", "invoice_number", "invoice"])
        status_change(
            instance=guarantee,
            workflow=Guarantee.WORKFLOW,
            to_status=Guarantee.Status.SETTLED,
            by=by,
            reason=_("invoice %(number)s") % {"number": invoice_number},
        )
        claim = status_change(instance=claim, workflow=Claim.WORKFLOW, to_status=Claim.Status.IN_PROGRESS, by=by)
        return claim_lines_decide(claim=claim, entries=_invoice_entries(guarantee, invoice_number, costs, lines))


def _invoice_entries(
    guarantee: Guarantee, invoice_number: str, costs: Sequence[tuple[date, Cost]], lines: list[LineInput]
) -> list[CareEntry]:
    """The invoice's lines as the claims pipeline takes them; a cost dated outside the guaranteed period
    is refused (the hospital may bill it to the patient, who can claim it)."""
    outside = _("outside the period guaranteed, %(start)s to %(end)s") % {
        "start": guarantee.valid_from.strftime("%d/%m/%Y"),
        "end": guarantee.valid_until.strftime("%d/%m/%Y"),
    }
    country = care_country(guarantee_plan(guarantee), guarantee.provider)
    received = Received(
        provider=guarantee.provider.name[:200], source_ref=f"{guarantee.reference} / {invoice_number}"[:80]
    )
    return [
        CareEntry(
            item=received,
            benefit_code=line.benefit_code,
            care_date=day,
            amount=line.amount,
            br=line.br,
            mr=cost.am_paid,
            quantity=line.quantity,
            flags=frozenset(line.flags),
            provider=received.provider,
            country=country,
            refusal=None
            if guarantee.valid_from <= day <= guarantee.valid_until
            else (RejectionReason.NOT_COVERED.value, outside),
        )
        for (day, cost), line in zip(costs, lines, strict=True)
    ]


def guarantees_deadlines_check() -> tuple[int, int]:
    """Alert the management unit, once, to each request past its deadline; close each issued
    guarantee whose period ended ``GUARANTEES_INVOICE_DAYS`` ago without an invoice.

    Returns how many requests were signalled and how many guarantees closed.
    """
    now, today = timezone.now(), timezone.localdate()
    alerted = 0
    overdue = Guarantee.objects.filter(status__in=Guarantee.OPEN, deadline__lt=now, overdue_alerted_at__isnull=True)
    for guarantee in overdue.select_related("member__management_unit"):
        # Marked first, row by row: two workers never send the same alert.
        if Guarantee.objects.filter(pk=guarantee.pk, overdue_alerted_at__isnull=True).update(overdue_alerted_at=now):
            unit = guarantee.member.management_unit
            notification_send(
                to=unit.email,
                template="guarantees/email/overdue",
                context={
                    "reference": guarantee.reference,
                    "hospital": guarantee.hospital,
                    "deadline": timezone.localtime(guarantee.deadline).strftime("%d/%m/%Y %H:%M"),
                },
                language="fr",
            )
            alerted += 1
    closed = 0
    stale = Guarantee.objects.filter(
        status=Guarantee.Status.ISSUED, valid_until__lt=today - timedelta(days=settings.GUARANTEES_INVOICE_DAYS)
    )
    for guarantee in stale:
        try:
            status_change(
                instance=guarantee,
                workflow=Guarantee.WORKFLOW,
                to_status=Guarantee.Status.EXPIRED,
                by=None,
                reason=_("no invoice within %(days)s days after the period")
                % {"days": settings.GUARANTEES_INVOICE_DAYS},
            )
            closed += 1
        except ValidationError:
            continue  # an invoice or an extension came in meanwhile
    return alerted, closed
