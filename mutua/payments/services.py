"""Writes for payments. Each step of a run is one transaction, so a crash between steps leaves
nothing paid twice and nothing lost, and the run resumes at the step it had reached."""

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from mutua.accounts.models import User
from mutua.claims.models import Claim, ClaimItem
from mutua.contracts.models import Member
from mutua.core.crypto import mask_identifier, search_digest
from mutua.core.emails import email_queue
from mutua.core.workflow import status_change
from mutua.payments.models import Payable, Payee, PaymentRun


def payee_for_member(member: Member) -> Payee:
    payee, _created = Payee.objects.get_or_create(member=member, defaults={"kind": Payee.Kind.MEMBER})
    return payee


def payee_blocked(payee: Payee) -> bool:
    """Blocked while the IBAN on file is the one the bank refused (a new IBAN unblocks it)."""
    iban = payee.member.iban if payee.member_id else ""
    return not iban or (bool(payee.blocked_iban_digest) and payee.blocked_iban_digest == search_digest(iban))


def payables_for_decided_claim(*, claim: Claim) -> list[Payable]:
    """One payable per accepted item with something to pay, to the member, linked to the statement."""
    payee = payee_for_member(claim.member)
    payables = [
        Payable(
            payee=payee,
            claim_item=item,
            statement=claim.statement,
            amount=item.paid_total,
            reason=_("Statement %(number)s") % {"number": claim.statement.number},
        )
        for item in claim.items.filter(status=ClaimItem.Status.ACCEPTED, paid_total__gt=0)
    ]
    return Payable.objects.bulk_create(payables)


@transaction.atomic
def payable_correct(*, item: ClaimItem, amount: Decimal, reason: str, by: User) -> Payable:
    """Bring what is owed for an item to ``amount``: a new entry for the difference, never an edit."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."), code="reason")
    owed = sum((p.amount for p in item.payables.all()), Decimal("0.00"))
    difference = amount - owed
    if difference == 0:
        raise ValidationError(_("The amount owed is already %(amount)s."), params={"amount": owed}, code="same")
    first = item.payables.order_by("pk").first()
    return Payable.objects.create(
        payee=first.payee if first else payee_for_member(item.claim.member),
        claim_item=item,
        statement=first.statement if first else None,
        kind=Payable.Kind.REVERSAL if amount == 0 else Payable.Kind.ADJUSTMENT,
        amount=difference,
        reason=reason.strip(),
        created_by=by,
    )


def end_to_end_id(run: PaymentRun, payee: Payee) -> str:
    return f"MUTUA-R{run.pk}-P{payee.pk}"


def run_create(*, by: User | None, execution_date: date) -> PaymentRun:
    """Gather every due euro payable of payees with a usable IBAN into a new draft run.

    Rows are locked and those another run is taking right now are skipped, so a payable
    can never land in two runs. A payee whose balance is not positive waits.
    """
    with transaction.atomic():
        due = list(
            Payable.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Payable.Status.DUE, currency="EUR")
            .select_related("payee__member")
        )
        by_payee: dict[int, list[Payable]] = defaultdict(list)
        for payable in due:
            by_payee[payable.payee_id].append(payable)
        chosen = [
            payables
            for payables in by_payee.values()
            if not payee_blocked(payables[0].payee) and sum(p.amount for p in payables) > 0
        ]
        if not chosen:
            raise ValidationError(_("Nothing is due for payment."), code="nothing_due")
        run = PaymentRun.objects.create(created_by=by, execution_date=execution_date)
        taken = [payable for payables in chosen for payable in payables]
        Payable.objects.filter(pk__in=[p.pk for p in taken]).update(status=Payable.Status.IN_RUN, run=run)
        run.total = sum((p.amount for p in taken), Decimal("0.00"))
        run.transfers = len(chosen)
        run.save(update_fields=["total", "transfers"])
    return run


def run_approve(*, run: PaymentRun, by: User) -> PaymentRun:
    """A second person approves: the one who prepared the run cannot."""
    if run.created_by_id == by.pk:
        raise ValidationError(_("The person who prepared a run cannot approve it."), code="four_eyes")
    with transaction.atomic():
        approved = status_change(
            instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.APPROVED, by=by
        )
        approved.approved_by = by
        approved.save(update_fields=["approved_by"])
    return approved


@transaction.atomic
def run_cancel(*, run: PaymentRun, by: User, reason: str) -> PaymentRun:
    cancelled = status_change(
        instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.CANCELLED, by=by, reason=reason
    )
    run.payables.update(status=Payable.Status.DUE, run=None)
    return cancelled


def _transfers(run: PaymentRun) -> list[tuple[Payee, Decimal, str]]:
    grouped: dict[int, list[Payable]] = defaultdict(list)
    for payable in run.payables.select_related("payee__member", "statement").order_by("payee_id", "pk"):
        grouped[payable.payee_id].append(payable)
    transfers = []
    for payables in grouped.values():
        numbers = sorted({p.statement.number for p in payables if p.statement_id})
        remittance = _("Mutua reimbursement, statements %(numbers)s") % {"numbers": ", ".join(numbers)}
        transfers.append((payables[0].payee, sum((p.amount for p in payables), Decimal("0.00")), remittance))
    return transfers


def run_file(*, run: PaymentRun) -> str:
    """The run's SEPA credit-transfer file (pain.001.001.03), validated against its schema.

    Produced once and kept: asking again returns the very same file.
    """
    if run.file:
        return run.file
    if run.status != PaymentRun.Status.APPROVED:
        raise ValidationError(_("A run gets its file once it is approved."), code="not_approved")
    sepa = SepaTransfer(
        {
            "name": settings.PAYMENTS_DEBTOR_NAME,
            "IBAN": settings.PAYMENTS_DEBTOR_IBAN,
            "BIC": settings.PAYMENTS_DEBTOR_BIC,
            "batch": True,
            "currency": "EUR",
        },
        clean=True,
    )
    sepa.msg_id = f"MUTUA-RUN-{run.pk}"
    for payee, amount, remittance in _transfers(run):
        member = payee.member
        sepa.add_payment(
            {
                "name": member.full_name,
                "IBAN": member.iban,
                "BIC": member.bic or "NOTPROVIDED",
                "amount": int((amount * 100).to_integral_value()),
                "execution_date": run.execution_date,
                "description": remittance,
                "endtoend_id": end_to_end_id(run, payee),
            }
        )
    xml = sepa.export(validate=True).decode()
    with transaction.atomic():
        locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if locked.file:  # another process produced it meanwhile: keep that one
            return locked.file
        locked.file, locked.file_sha256 = xml, hashlib.sha256(xml.encode()).hexdigest()
        locked.save(update_fields=["file", "file_sha256"])
        status_change(instance=locked, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.EXPORTED, by=None)
    return xml


def run_settle(*, run: PaymentRun, paid_on: date, by: User) -> PaymentRun:
    """The bank executed the file: every payable of the run is paid, once."""
    with transaction.atomic():
        settled = status_change(instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.SETTLED, by=by)
        settled.paid_on = paid_on
        settled.save(update_fields=["paid_on"])
        run.payables.filter(status=Payable.Status.IN_RUN).update(status=Payable.Status.PAID, paid_on=paid_on)
    return settled


@dataclass(frozen=True)
class ReturnLine:
    end_to_end_id: str
    reason: str


def _parse_returns(content: bytes) -> list[ReturnLine]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file must be UTF-8 text."), code="encoding") from error
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    if not rows or not {"end_to_end_id", "amount", "reason"} <= set(rows[0]):
        raise ValidationError(_("Expected columns: end_to_end_id;amount;reason."), code="columns")
    problems, lines = [], []
    for number, row in enumerate(rows, start=2):
        e2e = (row["end_to_end_id"] or "").strip()
        run_id, payee_id = _decode(e2e)
        try:
            amount = Decimal((row["amount"] or "").replace(",", "."))
        except InvalidOperation:
            amount = None
        run = PaymentRun.objects.filter(pk=run_id, status=PaymentRun.Status.SETTLED).first() if run_id else None
        if run is None:
            problems.append(_("Row %(row)s: unknown transfer %(id)s.") % {"row": number, "id": e2e})
            continue
        paid = run.payables.filter(payee_id=payee_id, status=Payable.Status.PAID)
        total = sum((p.amount for p in paid), Decimal("0.00"))
        if amount is None or amount != total or not paid:
            problems.append(
                _("Row %(row)s: the amount %(amount)s does not match the transfer (%(total)s).")
                % {"row": number, "amount": row["amount"], "total": total}
            )
            continue
        lines.append(ReturnLine(e2e, (row["reason"] or "").strip()[:200]))
    if problems:
        raise ValidationError(problems, code="rows")
    return lines


def _decode(e2e: str) -> tuple[int | None, int | None]:
    parts = e2e.removeprefix("MUTUA-").split("-")
    try:
        return int(parts[0].removeprefix("R")), int(parts[1].removeprefix("P"))
    except (IndexError, ValueError):
        return None, None


def bank_returns_import(*, content: bytes, by: User) -> int:
    """Transfers the bank could not execute (closed account…): put them back as due, block the IBAN
    until the member changes it, and tell the member. The whole file is checked first."""
    lines = _parse_returns(content)
    with transaction.atomic():
        for line in lines:
            run_id, payee_id = _decode(line.end_to_end_id)
            payee = Payee.objects.select_related("member").get(pk=payee_id)
            for payable in Payable.objects.filter(run_id=run_id, payee=payee, status=Payable.Status.PAID):
                status_change(
                    instance=payable, workflow=Payable.WORKFLOW, to_status=Payable.Status.DUE, by=by, reason=line.reason
                )
            Payable.objects.filter(run_id=run_id, payee=payee).update(run=None, paid_on=None)
            payee.blocked_iban_digest, payee.blocked_reason = search_digest(payee.member.iban), line.reason
            payee.save(update_fields=["blocked_iban_digest", "blocked_reason"])
            email_queue(
                to=payee.member.email,
                template="payments/email/transfer_returned",
                context={"first_name": payee.member.first_name, "iban": mask_identifier(payee.member.iban)[-8:]},
                language=payee.member.preferred_language,
            )
    return len(lines)
