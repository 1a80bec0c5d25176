"""Writes for payments. Each step of a run is one transaction, so a crash between steps leaves
nothing paid twice and nothing lost, and the run resumes at the step it had reached."""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import FINANCE_ROLES, User
from mutua.contracts.models import Member
from mutua.core.bulk import insert_rows
from mutua.core.crypto import search_digest
from mutua.core.workflow import status_change, status_change_many
from mutua.payments.conversion import in_account_currency, owed_in
from mutua.payments.models import Payable, Payee, PaymentRun, PaymentTransfer
from mutua.payments.transfer_files import SEPA_CURRENCY, run_transfer_file


def payee_for_member(member: Member) -> Payee:
    payee, _created = Payee.objects.get_or_create(member=member, defaults={"kind": Payee.Kind.MEMBER})
    return payee


def payee_blocked(payee: Payee) -> bool:
    """Blocked while the IBAN on file is the one the bank refused (a new IBAN unblocks it)."""
    iban = payee.iban
    return not iban or (bool(payee.blocked_iban_digest) and payee.blocked_iban_digest == search_digest(iban))


def payee_payable_in(payee: Payee, currency: str) -> bool:
    """A transfer can be made: an IBAN the bank has not refused and, outside the euro (no SEPA), the BIC. A payee
    missing either waits, with their payables, instead of stopping the whole run at its approval."""
    return not payee_blocked(payee) and (currency == SEPA_CURRENCY or bool(payee.bic))


@dataclass(frozen=True, slots=True)
class Owed:
    """What an accepted care item pays, on its statement; ``hospital``: the provider paid directly."""

    statement_id: int
    statement_number: str
    member_id: int
    hospital_id: int | None
    item_id: int
    amount: Decimal
    currency: str  # the plan's, in which ``amount`` was computed
    care_date: date  # a member's account in another currency is paid at the rate of this day


def payee_for_provider(*, provider_id: int) -> Payee:
    payee, _created = Payee.objects.get_or_create(provider_id=provider_id, defaults={"kind": Payee.Kind.PROVIDER})
    return payee


def payee_for_beneficiary(*, name: str, iban: str, bic: str) -> Payee:
    """A payee for a person without a file of their own (a designated beneficiary of a death capital),
    with the account given for them."""
    return Payee.objects.create(
        kind=Payee.Kind.BENEFICIARY, beneficiary_name=name, beneficiary_iban=iban, beneficiary_bic=bic
    )


def payable_create(*, payee: Payee, amount: Decimal, currency: str, reason: str, by: User) -> Payable:
    """What is owed to a payee outside a statement (a capital), paid by finance's runs like any other: to a
    member in their account's currency, converted once, here, at the rate of the day it is owed."""
    if amount <= 0:
        raise ValidationError(_("The amount owed must be positive."), code="not_positive")
    paid_in = (payee.member.account_currency if payee.member_id else "") or currency
    owed = owed_in(amount, plan_currency=currency, paid_in=paid_in, on=timezone.localdate())
    return Payable.objects.create(payee=payee, **owed, reason=reason, created_by=by)


def payables_owed(*, owed: Sequence[Owed]) -> int:
    """The payables of decided items, many statements at once (an AM file's chunk): one query per
    table, not per claim. A claim settled directly with a hospital is paid to the hospital, every
    other one to the member. Nothing is owed for an item that pays nothing. Returns how many."""
    owed = [entry for entry in owed if entry.amount and entry.amount > 0]
    members = {entry.member_id for entry in owed if not entry.hospital_id}
    payees = dict(Payee.objects.filter(member_id__in=members).values_list("member_id", "pk"))
    missing = [Payee(kind=Payee.Kind.MEMBER, member_id=member_id) for member_id in members - payees.keys()]
    for payee in Payee.objects.bulk_create(missing):
        payees[payee.member_id] = payee.pk
    hospital_ids = {entry.hospital_id for entry in owed if entry.hospital_id}
    hospitals = {hospital_id: payee_for_provider(provider_id=hospital_id).pk for hospital_id in hospital_ids}
    accounts = dict(Member.objects.filter(pk__in=members).values_list("pk", "account_currency"))
    reason = _("Statement %(number)s")
    rows = []
    for entry in owed:
        # A hospital is paid in the plan's currency; a member in their account's, converted once, here, at
        # the rate of the care date, as the bill was converted into the plan's.
        paid_in = (None if entry.hospital_id else accounts.get(entry.member_id)) or entry.currency
        amount, rate = in_account_currency(
            entry.amount, plan_currency=entry.currency, account_currency=paid_in, on=entry.care_date
        )
        rows.append(
            (
                hospitals[entry.hospital_id] if entry.hospital_id else payees[entry.member_id],
                entry.item_id,
                entry.statement_id,
                amount,
                paid_in if rate else entry.currency,
                entry.amount if rate else None,
                entry.currency if rate else "",
                rate.value if rate else None,
                rate.on if rate else None,
                reason % {"number": entry.statement_number},
            )
        )
    fields = ("payee_id", "claim_item_id", "statement_id", "amount", "currency")
    fields += ("plan_amount", "plan_currency", "rate", "rate_on", "reason")
    return len(insert_rows(Payable, fields, rows))


def end_to_end_id(run: PaymentRun, payee: Payee) -> str:
    return f"MUTUA-R{run.pk}-P{payee.pk}"


def run_create(*, by: User | None, execution_date: date, currency: str = "EUR") -> PaymentRun:
    """Gather the due payables of ``currency`` of payees with a usable IBAN into a new draft run (one file
    per currency: SEPA for the euro, the generic pain.001 for the others).

    A payee's net is paid whole or not at all: the payee rows are locked, and those another
    preparation holds right now are skipped with all their payables, so two runs prepared at
    the same moment never split one payee's payables (one paid, the correction left behind).
    A payee whose balance is not positive, or who cannot be paid in ``currency`` yet (``payee_payable_in``),
    waits. ``by`` is None for the nightly proposal.
    """
    if by is not None:
        require_finance(by)
    with transaction.atomic():
        due = Payable.objects.filter(status=Payable.Status.DUE, currency=currency)
        payees = Payee.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk__in=due.values("payee_id"))
        locked = {payee.pk: payee for payee in payees.select_related("member", "provider")}
        by_payee: dict[int, list[Payable]] = defaultdict(list)
        for payable in due.filter(payee_id__in=locked).select_related("statement"):
            payable.payee = locked[payable.payee_id]
            by_payee[payable.payee_id].append(payable)
        chosen = [
            payables
            for payables in by_payee.values()
            if payee_payable_in(payables[0].payee, currency) and sum(p.amount for p in payables) > 0
        ]
        if not chosen:
            raise ValidationError(_("Nothing is due for payment."), code="nothing_due")
        run = PaymentRun.objects.create(created_by=by, execution_date=execution_date, currency=currency)
        taken = [payable.pk for payables in chosen for payable in payables]
        status_change_many(
            queryset=Payable.objects.filter(pk__in=taken),
            workflow=Payable.WORKFLOW,
            to_status=Payable.Status.IN_RUN,
            by=by,
            reason=f"run {run.pk}",
            values={"run": run},
        )
        PaymentTransfer.objects.bulk_create(_transfer(run, payables) for payables in chosen)
        run.total = sum((p.amount for payables in chosen for p in payables), Decimal("0.00"))
        run.transfers = len(chosen)
        run.save(update_fields=["total", "transfers"])
    return run


def _transfer(run: PaymentRun, payables: list[Payable]) -> PaymentTransfer:
    """The transfer as it will be approved and paid: the account on file now, copied."""
    payee = payables[0].payee
    numbers = sorted({p.statement.number for p in payables if p.statement_id})
    # Payables outside a statement (a death or disability capital) say what they pay in their reason.
    reasons = "; ".join(sorted({p.reason for p in payables if not p.statement_id}))
    return PaymentTransfer(
        run=run,
        payee=payee,
        name=payee.account_name,
        iban=payee.iban,
        bic=payee.bic,
        amount=sum((p.amount for p in payables), Decimal("0.00")),
        end_to_end_id=end_to_end_id(run, payables[0].payee),
        remittance=_remittance(numbers) if numbers else reasons[:REMITTANCE_LENGTH],
    )


REMITTANCE_LENGTH = 140  # the most a SEPA unstructured remittance holds


def _remittance(numbers: list[str]) -> str:
    """The statements a transfer pays, as many as the bank's field holds, then how many more."""
    for shown in range(len(numbers), 0, -1):
        listed = ", ".join(numbers[:shown])
        if shown < len(numbers):
            listed = _("%(numbers)s and %(count)s more") % {"numbers": listed, "count": len(numbers) - shown}
        text = _("Mutua reimbursement, statements %(numbers)s") % {"numbers": listed}
        if len(text) <= REMITTANCE_LENGTH:
            return text
    return (_("Mutua reimbursement, %(count)s statements") % {"count": len(numbers)})[:REMITTANCE_LENGTH]


def run_take_on(*, run: PaymentRun, by: User) -> PaymentRun:
    """A finance user takes on a run the nightly job proposed; somebody else must then approve it."""
    require_finance(by)
    updated = PaymentRun.objects.filter(pk=run.pk, created_by__isnull=True, status=PaymentRun.Status.DRAFT).update(
        created_by=by
    )
    if not updated:
        raise ValidationError(_("This run is already prepared by someone."), code="taken")
    run.refresh_from_db()
    return run


def require_finance(user: User) -> None:
    if user.role not in FINANCE_ROLES:
        raise ValidationError(_("Only finance can do this."), code="role")


def run_approve(*, run: PaymentRun, by: User) -> PaymentRun:
    """A second person approves: the one who prepared the run cannot, and a nightly proposal
    must first be taken on by someone who then cannot approve it either."""
    require_finance(by)
    if run.created_by_id is None:
        raise ValidationError(_("Take this proposal on first: another person will approve it."), code="not_taken")
    if run.created_by_id == by.pk:
        raise ValidationError(_("The person who prepared a run cannot approve it."), code="four_eyes")
    blocked = [
        t for t in run.transfers_made.select_related("payee") if t.payee.blocked_iban_digest == search_digest(t.iban)
    ]
    if blocked:
        raise ValidationError(
            _("The bank refused the account of %(names)s: cancel this run and prepare a new one."),
            params={"names": ", ".join(t.name for t in blocked)},
            code="blocked",
        )
    run_transfer_file(run)  # a run that could not become a file is refused while it can still be cancelled
    with transaction.atomic():
        approved = status_change(
            instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.APPROVED, by=by
        )
        approved.approved_by = by
        approved.save(update_fields=["approved_by"])
    return approved


@transaction.atomic
def run_cancel(*, run: PaymentRun, by: User, reason: str) -> PaymentRun:
    """A draft is cancelled with its reason: its payables are due again. The transition table
    refuses it once the run is approved (its file may already be at the bank)."""
    require_finance(by)
    cancelled = status_change(
        instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.CANCELLED, by=by, reason=reason
    )
    status_change_many(
        queryset=run.payables.all(),
        workflow=Payable.WORKFLOW,
        to_status=Payable.Status.DUE,
        by=by,
        reason=reason,
        values={"run": None},
    )
    return cancelled


def run_file(*, run: PaymentRun) -> str:
    """The run's file for the bank, produced once and kept: asking again returns the very same file.

    Approval already built it once, so an approved run (which can no longer be cancelled) always
    gets its file.
    """
    if run.file:
        return run.file
    if run.status != PaymentRun.Status.APPROVED:
        raise ValidationError(_("A run gets its file once it is approved."), code="not_approved")
    xml = run_transfer_file(run)
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
    require_finance(by)
    if paid_on > timezone.localdate() or paid_on < run.created_at.date():
        raise ValidationError(_("The payment date must be between the run's preparation and today."), code="date")
    with transaction.atomic():
        settled = status_change(instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.SETTLED, by=by)
        settled.paid_on = paid_on
        settled.save(update_fields=["paid_on"])
        status_change_many(
            queryset=run.payables.all(),
            workflow=Payable.WORKFLOW,
            to_status=Payable.Status.PAID,
            by=by,
            values={"paid_on": paid_on},
        )
    return settled
