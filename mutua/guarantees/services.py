"""Writes for hospital guarantees: ask, issue (at once or by a handler), negotiate, extend, settle, close.

Seed 000: showing the card guarantees the first 2 days with no prior agreement; beyond, or
without the card, the hospital gets a temporary letter valid for the first 4 days; a network
hospital gets its guarantee of payment within 2 hours; outside the network the management
unit arranges direct settlement first; beyond the period, the medical advisor decides an
extension on the medical report; the hospital's invoice is paid to the hospital.

Every status change goes through ``status_change`` (row lock + history row); everything is
checked before anything is written, in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from hashlib import sha256

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, Role, User
from mutua.benefits.decisions import Received
from mutua.benefits.models import Claim, RejectionReason
from mutua.benefits.services import CareEntry, claim_lines_decide
from mutua.claims.services import claim_create
from mutua.contracts.models import Beneficiary, Member
from mutua.core.crypto import decrypt_bytes, encrypt_bytes
from mutua.core.emails import email_queue
from mutua.core.models import SecurityEvent
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_store
from mutua.guarantees.models import Extension, Guarantee, MedicalReport, Negotiation
from mutua.guarantees.selectors import patient_name
from mutua.guarantees.stays import days_between, stay_cost, stay_costs, stay_flags
from mutua.providers.models import Provider
from mutua.quotes.estimates import LineInput, person_coverage, quote_estimate_compute
from mutua.quotes.services import estimate_store

# Why a request waits for a handler instead of being issued at once.
REVIEW_REASONS = {
    "unknown_hospital": gettext_lazy("the hospital is not on file yet: attach it, or register it"),
    "out_of_network": gettext_lazy("hospital outside the network: arrange direct settlement first"),
    "overlapping": gettext_lazy("another guarantee covers some of the same days"),
    "cover_ends": gettext_lazy("the cover ends during the stay"),
    "long_stay": gettext_lazy("stay longer than automatic issue allows"),
    "high_amount": gettext_lazy("amount guaranteed above the automatic limit"),
}
# A guarantee holds its days from the request until it is refused, invoiced or closed.
HOLDING_DAYS = Guarantee.OPEN | {Guarantee.Status.ISSUED, Guarantee.Status.EXTENSION_REQUESTED}
# The price used to ask the engine for a per-day limit: far above any room, so the limit is what it pays.
_PROBE_PER_DAY = Decimal("100000.00")
MAX_STAY_DAYS = 366


@dataclass(frozen=True)
class Cost:
    """A cost of the stay as typed by the member or the hospital (estimate or invoice), in euros."""

    benefit_code: str
    amount: Decimal
    br: Decimal | None = None
    quantity: int = 1
    dptm: bool = False
    am_paid: Decimal | None = None  # on an invoice: what the Assurance Maladie paid (MR)


def _line_inputs(*, stay_kind: str, provider: Provider | None, costs: Sequence[Cost]) -> list[LineInput]:
    conventionne = provider.conventionne if provider else True
    lines = []
    for cost in costs:
        known = stay_cost(stay_kind, cost.benefit_code)
        if known is None:
            raise ValidationError(_("Choose the costs among those of the stay."), code="benefit")
        if cost.amount <= 0 or (cost.br is not None and cost.br < 0) or not 1 <= cost.quantity <= MAX_STAY_DAYS:
            raise ValidationError(
                _("%(cost)s: enter a positive amount and a number of days between 1 and 366."),
                params={"cost": known.label},
                code="amount",
            )
        flags = stay_flags(stay_kind=stay_kind, conventionne=conventionne, dptm=cost.dptm and known.doctor)
        lines.append(
            LineInput(
                benefit_code=cost.benefit_code,
                amount=cost.amount,
                br=cost.br,
                quantity=cost.quantity,
                flags=flags,
                label=str(known.label),
            )
        )
    return lines


def _period(*, kind: str, card_shown: bool, admission: date, discharge: date | None) -> tuple[str, date, date | None]:
    """What the hospital gets, until when, and until when the card alone guarantees the stay."""
    if kind == Guarantee.Kind.PLANNED:
        return Guarantee.Form.GUARANTEE_OF_PAYMENT, discharge, None
    card_until = admission + timedelta(days=settings.GUARANTEES_CARD_DAYS - 1) if card_shown else None
    if card_until and discharge and discharge <= card_until:
        return Guarantee.Form.CARD, card_until, card_until
    return Guarantee.Form.TEMPORARY_LETTER, admission + timedelta(days=settings.GUARANTEES_LETTER_DAYS - 1), card_until


def _check_request(
    *,
    kind: str,
    stay_kind: str,
    provider: Provider | None,
    hospital_name: str,
    hospital_phone: str,
    admission: date,
    discharge: date | None,
    today: date,
) -> None:
    problems = []
    if kind not in Guarantee.Kind.values or stay_kind not in Guarantee.StayKind.values:
        problems.append(_("Choose the kind of request and the kind of stay."))
    if provider is None and not (hospital_name.strip() and hospital_phone.strip()):
        problems.append(_("Choose the hospital, or give its name and telephone number."))
    if provider is not None and not provider.active:
        problems.append(_("This hospital no longer works with us: give its name and telephone number."))
    if kind == Guarantee.Kind.PLANNED:
        if admission < today:
            problems.append(_("The admission date of a planned stay cannot be in the past."))
        if discharge is None:
            problems.append(_("Give the expected discharge date."))
    elif admission > today or admission < today - timedelta(days=30):
        problems.append(_("An emergency admission is notified within 30 days, not before it happens."))
    if admission > today + timedelta(days=365):
        problems.append(_("Ask for the guarantee at most a year before the stay."))
    elif discharge is not None and not admission <= discharge <= admission + timedelta(days=MAX_STAY_DAYS):
        problems.append(_("The discharge date must come after the admission date, within a year."))
    if problems:
        raise ValidationError([ValidationError(problem, code="request") for problem in problems])


def _estimate(guarantee: Guarantee, lines: Sequence[LineInput]) -> None:
    """Store the engine's estimate of the costs given, and the per-day limits of the stay's costs."""
    member, beneficiary = guarantee.member, guarantee.beneficiary
    on = guarantee.admission_date
    flags = stay_flags(
        stay_kind=guarantee.stay_kind, conventionne=guarantee.provider.conventionne if guarantee.provider else True
    )
    probes = [
        LineInput(benefit_code=cost.benefit_code, amount=_PROBE_PER_DAY, flags=flags, label=str(cost.label))
        for cost in stay_costs(guarantee.stay_kind)
        if cost.per_day
    ]
    limits = quote_estimate_compute(member=member, beneficiary=beneficiary, on=on, lines=probes)
    guarantee.day_limits = [
        {"benefit_code": line.line.benefit_code, "per_day": str(line.fields["paid_total"])} for line in limits.lines
    ]
    # Without costs (an emergency), the guarantee still states the plan and the per-day limits.
    estimate = quote_estimate_compute(member=member, beneficiary=beneficiary, on=on, lines=lines) if lines else None
    estimate_store(holder=guarantee, estimate=estimate or replace(limits, lines=()))


def _covered(guarantee: Guarantee, on: date) -> bool:
    return person_coverage(member=guarantee.member, beneficiary=guarantee.beneficiary, on=on).covered


def _review_reasons(guarantee: Guarantee) -> list[str]:
    reasons = []
    if guarantee.provider is None:
        reasons.append("unknown_hospital")
    elif not guarantee.provider.in_network and guarantee.form != Guarantee.Form.CARD:
        reasons.append("out_of_network")
    overlapping = Guarantee.objects.filter(
        member=guarantee.member,
        beneficiary=guarantee.beneficiary,
        status__in=HOLDING_DAYS,
        valid_from__lte=guarantee.valid_until,
        valid_until__gte=guarantee.valid_from,
    ).exclude(pk=guarantee.pk)
    if overlapping.exists():
        reasons.append("overlapping")
    if not _covered(guarantee, guarantee.valid_until):
        reasons.append("cover_ends")
    if days_between(guarantee.valid_from, guarantee.valid_until) > settings.GUARANTEES_AUTO_MAX_DAYS:
        reasons.append("long_stay")
    if guarantee.total_plan > settings.GUARANTEES_AUTO_MAX_EUR:
        reasons.append("high_amount")
    return reasons


def _notify(guarantee: Guarantee, event: str, **extra: str) -> None:
    """Tell the member and the hospital, each in their language; never anything medical."""
    member = guarantee.member
    context = {
        "event": event,
        "reference": guarantee.reference,
        "hospital": guarantee.hospital,
        "admission": guarantee.admission_date.strftime("%d/%m/%Y"),
        "patient": patient_name(guarantee),
        **extra,
    }
    email_queue(
        to=member.email,
        template="guarantees/email/status",
        context={**context, "first_name": member.first_name, "to_member": True},
        language=member.preferred_language,
    )
    if guarantee.provider is not None:
        email_queue(
            to=guarantee.provider.email,
            template="guarantees/email/status",
            context={**context, "to_member": False},
            language=guarantee.provider.language,
        )


def _issue(guarantee: Guarantee, *, by: User | None, reason: str) -> Guarantee:
    guarantee.issued_at, guarantee.issued_by = timezone.now(), by
    guarantee.save(update_fields=["issued_at", "issued_by"])
    guarantee = status_change(
        instance=guarantee, workflow=Guarantee.WORKFLOW, to_status=Guarantee.Status.ISSUED, by=by, reason=reason
    )
    _notify(guarantee, "issued", valid_until=guarantee.valid_until.strftime("%d/%m/%Y"))
    return guarantee


def guarantee_request(
    *,
    member: Member,
    beneficiary: Beneficiary | None,
    by: User,
    channel: str,
    kind: str,
    stay_kind: str,
    admission_date: date,
    expected_discharge: date | None = None,
    provider: Provider | None = None,
    hospital_name: str = "",
    hospital_phone: str = "",
    planned_acts: str = "",
    costs: Sequence[Cost] = (),
    card_shown: bool = False,
    notifier_name: str = "",
    notifier_phone: str = "",
) -> Guarantee:
    """Record a request and answer it at once when cover and rules allow; otherwise queue it for a
    handler with its deadline (2 hours for a network hospital)."""
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise PermissionDenied
    now = timezone.now()
    _check_request(
        kind=kind,
        stay_kind=stay_kind,
        provider=provider,
        hospital_name=hospital_name,
        hospital_phone=hospital_phone,
        admission=admission_date,
        discharge=expected_discharge,
        today=timezone.localdate(),
    )
    lines = _line_inputs(stay_kind=stay_kind, provider=provider, costs=costs)
    coverage = person_coverage(member=member, beneficiary=beneficiary, on=admission_date)
    if not coverage.covered:
        raise ValidationError(
            _("Not covered on %(date)s: %(reason)s"),
            params={"date": admission_date.strftime("%d/%m/%Y"), "reason": coverage.explanation},
            code="not_covered",
        )
    form, valid_until, card_until = _period(
        kind=kind, card_shown=card_shown, admission=admission_date, discharge=expected_discharge
    )
    network = provider is not None and provider.in_network
    hours = settings.GUARANTEES_NETWORK_ANSWER_HOURS if network else settings.GUARANTEES_OTHER_ANSWER_HOURS
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=member.pk)  # one request at a time per household
        guarantee = Guarantee.objects.create(
            member=member,
            beneficiary=beneficiary,
            provider=provider,
            hospital_name=(provider.name if provider else hospital_name).strip()[:200],
            hospital_phone=(provider.phone if provider else hospital_phone).strip()[:30],
            kind=kind,
            stay_kind=stay_kind,
            form=form,
            channel=channel,
            card_shown=card_shown,
            admission_date=admission_date,
            expected_discharge=expected_discharge,
            planned_acts=planned_acts.strip(),
            notifier_name=notifier_name.strip()[:100],
            notifier_phone=notifier_phone.strip()[:30],
            requested_at=now,
            requested_by=by,
            deadline=now + timedelta(hours=hours),
            card_cover_until=card_until,
            valid_from=admission_date,
            valid_until=valid_until,
        )
        guarantee.reference = f"PEC-{now:%Y}-{guarantee.pk:06d}"
        guarantee.save(update_fields=["reference"])
        _estimate(guarantee, lines)
        reasons = _review_reasons(guarantee)
        if reasons:
            guarantee.review_reasons = reasons
            guarantee.save(update_fields=["review_reasons"])
            _notify(guarantee, "received", deadline=timezone.localtime(guarantee.deadline).strftime("%d/%m/%Y %H:%M"))
            return guarantee
        reason = _("card shown at admission") if form == Guarantee.Form.CARD else _("issued automatically")
        return _issue(guarantee, by=None, reason=reason)


def _require(user: User, roles: frozenset[Role]) -> None:
    if user.role not in roles:
        raise PermissionDenied


def _locked(guarantee: Guarantee) -> Guarantee:
    return (
        Guarantee.objects.select_for_update(of=("self",))
        .select_related("member", "beneficiary", "provider")
        .get(pk=guarantee.pk)
    )


def _costs(guarantee: Guarantee) -> list[Cost]:
    return [
        Cost(line.benefit_code, line.amount, line.br, line.quantity, dptm="dptm" in line.flags)
        for line in guarantee.lines.all()
    ]


def guarantee_provider_attach(*, guarantee: Guarantee, provider: Provider, by: User) -> Guarantee:
    """The handler names the hospital on file that the member described; the estimate follows it
    (a hospital not agreed with the Assurance Maladie is paid differently)."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    with transaction.atomic():
        guarantee = _locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        lines = _line_inputs(stay_kind=guarantee.stay_kind, provider=provider, costs=_costs(guarantee))
        guarantee.provider = provider
        guarantee.save(update_fields=["provider"])
        _estimate(guarantee, lines)
        guarantee.review_reasons = [r for r in guarantee.review_reasons if r != "unknown_hospital"]
        if not provider.in_network and "out_of_network" not in guarantee.review_reasons:
            guarantee.review_reasons.append("out_of_network")
        guarantee.save(update_fields=["review_reasons"])
    return guarantee


def negotiation_record(*, guarantee: Guarantee, by: User, contact: str, outcome: str, terms: str = "") -> Negotiation:
    """A contact with a hospital outside the network; the request is then being arranged."""
    _require(by, MANAGEMENT_UNIT_ROLES)
    if not contact.strip() or outcome not in Negotiation.Outcome.values:
        raise ValidationError(_("Say whom you contacted, how, and the outcome."), code="negotiation")
    if outcome == Negotiation.Outcome.AGREED and not terms.strip():
        raise ValidationError(_("Write down the terms agreed with the hospital."), code="terms")
    with transaction.atomic():
        guarantee = _locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        negotiation = Negotiation.objects.create(
            guarantee=guarantee, contact=contact.strip()[:200], outcome=outcome, terms=terms.strip(), recorded_by=by
        )
        if guarantee.status == Guarantee.Status.REQUESTED:
            status_change(
                instance=guarantee,
                workflow=Guarantee.WORKFLOW,
                to_status=Guarantee.Status.NEGOTIATING,
                by=by,
                reason=negotiation.get_outcome_display(),
            )
    return negotiation


def guarantee_issue(*, guarantee: Guarantee, by: User) -> Guarantee:
    """A handler issues the guarantee, with the estimate computed again on today's counters.

    Outside the network, only once the hospital has agreed to direct settlement.
    """
    _require(by, MANAGEMENT_UNIT_ROLES)
    with transaction.atomic():
        guarantee = _locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        if guarantee.provider is None:
            raise ValidationError(
                _("Attach the hospital on file, or register it, before issuing."), code="unknown_hospital"
            )
        agreed = guarantee.negotiations.filter(outcome=Negotiation.Outcome.AGREED).exists()
        if not guarantee.provider.in_network and guarantee.form != Guarantee.Form.CARD and not agreed:
            raise ValidationError(
                _("This hospital is outside the network: record its agreement to direct settlement first."),
                code="not_agreed",
            )
        if not _covered(guarantee, guarantee.valid_from):
            raise ValidationError(_("The patient is no longer covered on the admission date."), code="not_covered")
        _estimate(
            guarantee, _line_inputs(stay_kind=guarantee.stay_kind, provider=guarantee.provider, costs=_costs(guarantee))
        )
        return _issue(guarantee, by=by, reason=_("issued by the management unit"))


def guarantee_refuse(*, guarantee: Guarantee, by: User, reason: str) -> Guarantee:
    _require(by, MANAGEMENT_UNIT_ROLES)
    if not reason.strip():
        raise ValidationError(_("Explain the refusal to the member and the hospital."), code="reason")
    with transaction.atomic():
        guarantee = _locked(guarantee)
        if guarantee.status not in Guarantee.OPEN:
            raise ValidationError(_("This request is already answered."), code="answered")
        guarantee.refusal_reason = reason.strip()
        guarantee.save(update_fields=["refusal_reason"])
        guarantee = status_change(
            instance=guarantee, workflow=Guarantee.WORKFLOW, to_status=Guarantee.Status.REFUSED, by=by, reason=reason
        )
        _notify(guarantee, "refused", reason=guarantee.refusal_reason)
    return guarantee


def _provider_user(guarantee: Guarantee, by: User) -> None:
    """Only the staff of the guarantee's own hospital act for the hospital."""
    if by.role != Role.PROVIDER or by.provider_id is None or by.provider_id != guarantee.provider_id:
        raise PermissionDenied


def _report_store(*, guarantee: Guarantee, upload: UploadedFile, by: User) -> MedicalReport:
    checked = document_check(upload)  # size, real type sniffed, pictures re-encoded, PDFs rewritten: nothing runs
    return MedicalReport.objects.create(
        guarantee=guarantee,
        content=encrypt_bytes(checked.data),
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=sha256(checked.data).hexdigest(),
        uploaded_by=by,
    )


def extension_request(*, guarantee: Guarantee, by: User, until: date, report: UploadedFile) -> Extension:
    """Beyond the guaranteed period the hospital sends a medical report for the medical advisor."""
    _provider_user(guarantee, by)
    with transaction.atomic():
        guarantee = _locked(guarantee)
        if guarantee.status != Guarantee.Status.ISSUED:
            raise ValidationError(_("Only an issued guarantee can be extended."), code="not_issued")
        if not guarantee.valid_until < until <= guarantee.valid_until + timedelta(days=MAX_STAY_DAYS):
            raise ValidationError(
                _("Ask for days after %(date)s, within a year."),
                params={"date": guarantee.valid_until.strftime("%d/%m/%Y")},
                code="until",
            )
        stored = _report_store(guarantee=guarantee, upload=report, by=by)
        extension = Extension.objects.create(guarantee=guarantee, report=stored, requested_until=until, requested_by=by)
        status_change(
            instance=guarantee,
            workflow=Guarantee.WORKFLOW,
            to_status=Guarantee.Status.EXTENSION_REQUESTED,
            by=by,
            reason=_("until %(date)s") % {"date": until.strftime("%d/%m/%Y")},
        )
    return extension


def extension_decide(
    *, extension: Extension, by: User, grant: bool, until: date | None = None, answer: str = ""
) -> Extension:
    """The medical advisor, and nobody else, extends the guarantee (up to the days asked) or not."""
    _require(by, frozenset({Role.MEDICAL_ADVISOR}))
    if not answer.strip():
        raise ValidationError(_("Write the answer for the hospital (no medical details)."), code="answer")
    with transaction.atomic():
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        guarantee = _locked(extension.guarantee)
        if extension.decision != Extension.Decision.PENDING:
            raise ValidationError(_("This extension is already decided."), code="decided")
        if grant:
            until = until or extension.requested_until
            if not guarantee.valid_until < until <= extension.requested_until:
                raise ValidationError(
                    _("Grant days after %(start)s and at most until %(end)s."),
                    params={
                        "start": guarantee.valid_until.strftime("%d/%m/%Y"),
                        "end": extension.requested_until.strftime("%d/%m/%Y"),
                    },
                    code="until",
                )
            extension.granted_until = until
            guarantee.valid_until = until
            guarantee.form = Guarantee.Form.GUARANTEE_OF_PAYMENT
            guarantee.save(update_fields=["valid_until", "form"])
        extension.decision = Extension.Decision.GRANTED if grant else Extension.Decision.REFUSED
        extension.answer, extension.decided_by, extension.decided_at = answer.strip(), by, timezone.now()
        extension.save()
        status_change(
            instance=guarantee,
            workflow=Guarantee.WORKFLOW,
            to_status=Guarantee.Status.ISSUED,
            by=by,
            reason=_("extension %(decision)s") % {"decision": extension.get_decision_display()},
        )
        event = "extension_granted" if grant else "extension_refused"
        _notify(guarantee, event, valid_until=guarantee.valid_until.strftime("%d/%m/%Y"), answer=extension.answer)
    return extension


def medical_report_read(*, report: MedicalReport, by: User) -> bytes:
    """The report in clear, for the medical advisor only; every reading is recorded."""
    _require(by, frozenset({Role.MEDICAL_ADVISOR}))
    SecurityEvent.objects.create(
        action=SecurityEvent.Action.MEDICAL_REPORT_READ,
        target=f"guarantee={report.guarantee_id} report={report.pk}",
        by=by,
    )
    return decrypt_bytes(bytes(report.content))


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
    _provider_user(guarantee, by)
    invoice_number = invoice_number.strip()
    if not invoice_number or not costs:
        raise ValidationError(_("Give the invoice number and at least one cost."), code="invoice")
    lines = _line_inputs(stay_kind=guarantee.stay_kind, provider=guarantee.provider, costs=[c for _d, c in costs])
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
        guarantee = _locked(guarantee)
        if guarantee.status != Guarantee.Status.ISSUED:
            raise ValidationError(
                _("This guarantee cannot take an invoice now (%(status)s).")
                % {"status": guarantee.get_status_display()},
                code="not_issued",
            )
        if report is not None:
            _report_store(guarantee=guarantee, upload=report, by=by)
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
            email_queue(
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
