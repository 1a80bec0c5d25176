"""Bank returns: what the bank's files say about a run's transfers, recorded on the ledger.

- A transfer the bank rejected (pain.002, before or after the run was recorded as paid) or returned
  (camt.054/053, after it was paid) is due again. When the reason is the payee's account, that
  account is blocked until the member gives another one, and the member is told; when it is on the
  paying side (our file, our account), the next run pays the same account.
- A whole file refused (pain.002 group status RJCT) puts every transfer of the run back to due,
  accounts untouched: the payees are not the cause.
- A refusal for duplication (the file or a transfer sent twice) changes nothing: the first sending
  stands, and paying again would pay twice.

The whole file is checked first, under locks, and nothing is recorded when one entry is wrong.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.core.crypto import mask_identifier, search_digest
from mutua.core.formatting import money_format
from mutua.core.workflow import status_change, status_change_many
from mutua.notifications.services import notification_send
from mutua.payments.bank_files import PENDING, BankFile, Entry, Outcome, bank_file_read
from mutua.payments.bank_reasons import Effect, reason_effect, reason_label
from mutua.payments.models import Payable, PaymentRun, PaymentTransfer
from mutua.payments.services import require_finance

RUN_MESSAGE_ID = re.compile(r"MUTUA-RUN-(?P<run>\d+)")  # the message id of every run's file
# A file that went to the bank (a refused one too: the same report may be uploaded again).
SENT = (PaymentRun.Status.EXPORTED, PaymentRun.Status.SETTLED, PaymentRun.Status.REFUSED)


@dataclass(frozen=True)
class BankReturnsOutcome:
    message: str  # the file's format, as read: "pain.002.001.03"
    run: int | None = None  # the run a status report answers
    blocked: int = 0  # due again, the payee's account blocked
    paid_again: int = 0  # due again, to the same account (the paying side was the cause)
    file_refused: int = 0  # due again because the bank refused the run's whole file
    file_reason: str = ""  # why the whole file was refused
    duplicate_file: bool = False  # the whole file refused as a second sending: nothing changed
    duplicates: int = 0
    accepted: int = 0
    pending: int = 0
    other_entries: int = 0

    @property
    def changed(self) -> int:
        return self.blocked + self.paid_again + self.file_refused


def bank_returns_import(*, content: bytes, by: User) -> BankReturnsOutcome:
    """Record what a bank file (pain.002, camt.054 or camt.053) says about the runs' transfers."""
    require_finance(by)
    bank_file = bank_file_read(content=content)
    with transaction.atomic():
        run = _report_run(bank_file)
        transfers = _locked_transfers(bank_file, run)
        problems = _account_problems(bank_file) + _entry_problems(bank_file, run, transfers)
        problems += _file_rejection_problems(bank_file, run, transfers)
        if problems:
            raise ValidationError(problems, code="entries")
        return _record(bank_file, run, transfers, by=by)


def _report_run(bank_file: BankFile) -> PaymentRun | None:
    """The run a status report answers, locked: its file must be one Mutua produced and sent."""
    if not bank_file.is_status_report:
        return None
    match = RUN_MESSAGE_ID.fullmatch(bank_file.original_message_id)
    run = PaymentRun.objects.select_for_update().filter(pk=match["run"]).first() if match else None
    if run is None:
        raise ValidationError(
            _("This status report answers the file %(id)s, which is not a Mutua payment run's file."),
            params={"id": bank_file.original_message_id or "—"},
            code="unknown_run",
        )
    if run.status not in SENT:
        raise ValidationError(
            _("This status report answers run %(run)s, whose file was never produced for the bank."),
            params={"run": run.pk},
            code="not_sent",
        )
    return run


def _locked_transfers(bank_file: BankFile, run: PaymentRun | None) -> dict[str, PaymentTransfer]:
    """The transfers the file names (and, for a status report, all of its run's), with their runs,
    locked in that order, as recording a run as paid locks them: the checks hold until the end."""
    named = Q(end_to_end_id__in={entry.end_to_end_id for entry in bank_file.entries if entry.end_to_end_id})
    if run is not None:
        named |= Q(run=run)
    run_ids = set(PaymentTransfer.objects.filter(named).values_list("run_id", flat=True))
    runs = {
        locked.pk: locked for locked in PaymentRun.objects.select_for_update().filter(pk__in=run_ids).order_by("pk")
    }
    transfers = (
        PaymentTransfer.objects.select_for_update(of=("self",))
        .select_related("payee__member", "payee__provider")
        .filter(named)
        .order_by("pk")
    )
    found = {}
    for transfer in transfers:
        transfer.run = runs[transfer.run_id]
        found[transfer.end_to_end_id] = transfer
    return found


def _account_problems(bank_file: BankFile) -> list[str]:
    ours = _compact(settings.PAYMENTS_DEBTOR_IBAN)
    return [
        _("This file is about the account %(account)s, not the one reimbursements are paid from (%(ours)s).")
        % {"account": mask_identifier(account)[-8:], "ours": mask_identifier(ours)[-8:]}
        for account in bank_file.accounts
        if _compact(account) != ours
    ]


def _compact(iban: str) -> str:
    return iban.replace(" ", "").upper()


def _entry_problems(bank_file: BankFile, run: PaymentRun | None, transfers: dict[str, PaymentTransfer]) -> list[str]:
    problems, seen = [], set()
    for entry in bank_file.entries:
        problem = _entry_problem(entry, transfers.get(entry.end_to_end_id), bank_file=bank_file, run=run, seen=seen)
        if problem:
            problems.append(problem)
        seen.add(entry.end_to_end_id)
    return problems


def _entry_problem(
    entry: Entry, transfer: PaymentTransfer | None, *, bank_file: BankFile, run: PaymentRun | None, seen: set[str]
) -> str:
    where = {"position": entry.position, "id": entry.end_to_end_id}
    if not entry.end_to_end_id:
        return _("Entry %(position)s: no end-to-end id.") % where
    if transfer is None:
        return _("Entry %(position)s: unknown transfer %(id)s.") % where
    if run is not None and transfer.run_id != run.pk:
        return _("Entry %(position)s: transfer %(id)s is not in run %(run)s, which this report answers.") % {
            **where,
            "run": run.pk,
        }
    if entry.end_to_end_id in seen:
        return _("Entry %(position)s: transfer %(id)s is listed twice.") % where
    if entry.outcome is Outcome.UNKNOWN:
        return _("Entry %(position)s: the status %(status)s of transfer %(id)s is unknown to Mutua: ask the bank.") % {
            **where,
            "status": entry.status or "—",
        }
    if entry.amount_text and (entry.amount != transfer.amount or entry.currency != "EUR"):
        return _(
            "Entry %(position)s: the amount %(amount)s %(currency)s does not match transfer %(id)s (%(total)s)."
        ) % {
            **where,
            "amount": entry.amount_text,  # as the bank wrote it
            "currency": entry.currency,
            "total": money_format(transfer.amount),
        }
    if entry.outcome is not Outcome.REFUSED or _effect(entry, bank_file) is Effect.NOTHING:
        return ""  # changes nothing: no state to check
    if not entry.amount_text and not bank_file.is_status_report:
        return _("Entry %(position)s: the bank gives no amount for transfer %(id)s.") % where
    if transfer.returned_at is not None:
        return _("Entry %(position)s: transfer %(id)s is already returned.") % where
    if not bank_file.is_status_report and transfer.run.status != PaymentRun.Status.SETTLED:
        # Money that came back had left: the run must say it was paid before the return is recorded.
        return _(
            "Entry %(position)s: run %(run)s is not recorded as paid yet: record it as paid on the day the "
            "bank executed it, then upload this file again."
        ) % {**where, "run": transfer.run_id}
    return ""


def _effect(entry: Entry, bank_file: BankFile) -> Effect:
    """A whole file refused as a duplicate was not processed: nothing in it changes anything."""
    if bank_file.file_rejection and reason_effect(bank_file.file_rejection.code) is Effect.NOTHING:
        return Effect.NOTHING
    return reason_effect(entry.reason.code if entry.reason else "")


def _file_rejection_problems(
    bank_file: BankFile, run: PaymentRun | None, transfers: dict[str, PaymentTransfer]
) -> list[str]:
    rejection = bank_file.file_rejection
    if rejection is None or reason_effect(rejection.code) is Effect.NOTHING:
        return []
    if all(transfer.returned_at is not None for transfer in transfers.values()):
        return [
            _("Every transfer of run %(run)s is already returned: this report was already recorded.") % {"run": run.pk}
        ]
    return []


def _record(
    bank_file: BankFile, run: PaymentRun | None, transfers: dict[str, PaymentTransfer], *, by: User
) -> BankReturnsOutcome:
    counts: Counter[str] = Counter()
    returned = set()
    # Payees are changed in the order of their keys, as any other import does: two at once never deadlock.
    by_payee = sorted(
        bank_file.entries,
        key=lambda entry: transfers[entry.end_to_end_id].payee_id if entry.end_to_end_id in transfers else 0,
    )
    for entry in by_payee:
        effect = _effect(entry, bank_file)
        if entry.outcome is not Outcome.REFUSED:
            counts[entry.outcome.value] += 1
        elif effect is Effect.NOTHING:
            counts["duplicates"] += 1
        else:
            transfer = transfers[entry.end_to_end_id]
            reason = reason_label(entry.reason.code, entry.reason.details) if entry.reason else reason_label("")
            _return(transfer, reason=reason, block=effect is Effect.BLOCK_ACCOUNT, by=by)
            counts["blocked" if effect is Effect.BLOCK_ACCOUNT else "paid_again"] += 1
            returned.add(transfer.pk)
    rejection = bank_file.file_rejection
    file_reason = reason_label(rejection.code, rejection.details) if rejection else ""
    duplicate_file = bool(rejection) and reason_effect(rejection.code) is Effect.NOTHING
    if rejection and not duplicate_file:
        why = _("the bank refused the whole file of run %(run)s: %(reason)s") % {"run": run.pk, "reason": file_reason}
        for transfer in sorted(transfers.values(), key=lambda transfer: transfer.payee_id):
            if transfer.pk not in returned and transfer.returned_at is None:
                _return(transfer, reason=why, block=False, by=by)
                counts["file_refused"] += 1
        if run.status == PaymentRun.Status.EXPORTED:  # never executed: it can no longer be recorded as paid
            status_change(
                instance=run, workflow=PaymentRun.WORKFLOW, to_status=PaymentRun.Status.REFUSED, by=by, reason=why
            )
    elif run is not None and not bank_file.entries and not duplicate_file:
        # A status for the whole file and none per transfer: it holds for every transfer of the run.
        status = Outcome.PENDING if bank_file.file_status in PENDING else Outcome.ACCEPTED
        counts[status.value] += len(transfers)
    return BankReturnsOutcome(
        message=bank_file.message,
        run=run.pk if run else None,
        file_reason=file_reason,
        duplicate_file=duplicate_file,
        other_entries=bank_file.other_entries,
        **counts,
    )


def _return(transfer: PaymentTransfer, *, reason: str, block: bool, by: User) -> None:
    """The transfer's payables are due again (paid, or still in a run the bank never executed)."""
    reason = reason[:200]
    payee = transfer.payee
    status_change_many(
        queryset=Payable.objects.filter(run=transfer.run, payee=payee),
        workflow=Payable.WORKFLOW,
        to_status=Payable.Status.DUE,
        by=by,
        reason=reason,
        values={"run": None, "paid_on": None},
    )
    transfer.returned_at, transfer.return_reason = timezone.now(), reason
    transfer.save(update_fields=["returned_at", "return_reason"])
    if not block:
        return
    # The account the bank refused is the one in the transfer, not necessarily the one on file now.
    payee.blocked_iban_digest, payee.blocked_reason = search_digest(transfer.iban), reason
    payee.save(update_fields=["blocked_iban_digest", "blocked_reason"])
    member = payee.member
    if member is None:
        return  # a hospital's refused account is dealt with by finance, on the payee's page
    notification_send(
        to=member.email,
        member=member,
        link=reverse("contracts:my_contract"),
        template="payments/email/transfer_returned",
        context={"first_name": member.first_name, "iban": mask_identifier(transfer.iban)[-8:]},
        language=member.preferred_language,
    )
