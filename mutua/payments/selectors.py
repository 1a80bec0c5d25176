"""Reads for payments: runs and their transfers, a payee's history, what is paid on a statement."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from mutua.core.crypto import mask_identifier
from mutua.core.models import StatusChange
from mutua.core.selectors import status_history_for
from mutua.payments.models import Payable, Payee, PaymentRun
from mutua.payments.services import payee_blocked

ZERO = Decimal("0.00")


def masked_account(iban: str) -> str:
    """As a bank statement shows it and as the statements do: four dots and the last four characters."""
    return mask_identifier(iban)[-8:] if iban else ""


def runs_list() -> QuerySet[PaymentRun]:
    return PaymentRun.objects.select_related("created_by", "approved_by")


def due_currencies() -> list[str]:
    """The currencies something is due in (one run and one file each), the euro first."""
    due = set(Payable.objects.filter(status=Payable.Status.DUE).values_list("currency", flat=True).distinct())
    return sorted(due | {"EUR"}, key=lambda code: (code != "EUR", code))


def run_detail(*, run_id: int) -> PaymentRun | None:
    return runs_list().filter(pk=run_id).first()


@dataclass(frozen=True)
class Transfer:
    payee: Payee
    account: str  # masked
    total: Decimal
    payables: tuple[Payable, ...]
    blocked: bool


def run_transfers(*, run: PaymentRun) -> list[Transfer]:
    """The run's transfers as prepared and approved (one per payee), with the payables still in them."""
    grouped: dict[int, list[Payable]] = defaultdict(list)
    for payable in run.payables.select_related("statement", "claim_item").order_by("payee_id", "pk"):
        grouped[payable.payee_id].append(payable)
    return [
        Transfer(
            payee=transfer.payee,
            account=masked_account(transfer.iban),
            total=transfer.amount,
            payables=tuple(grouped.get(transfer.payee_id, ())),
            blocked=payee_blocked(transfer.payee),
        )
        for transfer in run.transfers_made.select_related("payee__member", "payee__provider")
    ]


def _transfer_account(run: PaymentRun, payee: Payee) -> str:
    """The IBAN the run paid this payee: the one copied when the run was prepared."""
    transfer = run.transfers_made.filter(payee=payee).first()
    return transfer.iban if transfer else ""


def payee_detail(*, payee_id: int) -> Payee | None:
    return Payee.objects.select_related("member").filter(pk=payee_id).first()


@dataclass(frozen=True)
class HistoryEntry:
    payable: Payable
    changes: tuple[StatusChange, ...]  # returns by the bank and other status changes, oldest first


def payee_history(*, payee: Payee) -> list[HistoryEntry]:
    """Every payable of the payee, corrections included, newest first, with its status changes."""
    payables = list(
        payee.payables.select_related("run", "statement", "claim_item", "created_by").order_by("-created_at", "-pk")
    )
    changes: dict[str, list[StatusChange]] = defaultdict(list)
    for change in status_history_for(model=Payable, ids=[p.pk for p in payables]):
        changes[change.object_id].append(change)
    return [HistoryEntry(payable=p, changes=tuple(changes[str(p.pk)])) for p in payables]


@dataclass(frozen=True)
class Conversion:
    """What is sent to an account in another currency than the plan's: ``sent`` for ``plan_amount``, converted
    once at the rate of each care date (``rates``: each rate and its day, in the order the items were owed)."""

    sent: Decimal
    currency: str
    plan_amount: Decimal
    plan_currency: str
    rates: tuple[tuple[Decimal, date], ...]


@dataclass(frozen=True)
class Payment:
    """Where the payment of a statement (or of one care item) stands, for the member."""

    paid_on: date | None  # None: payment in progress
    account: str  # the masked account paid, or the one on file while in progress
    hospital: str = ""  # settled directly: the hospital paid, whose account the member need not see
    conversion: Conversion | None = None  # paid in the account's currency, not the plan's

    @property
    def paid(self) -> bool:
        return self.paid_on is not None


def payment_of(payables: Iterable[Payable]) -> Payment | None:
    """Paid once nothing positive is left to pay: on the latest payment day, to the account the file named.

    None when there is nothing to pay (no payable, or corrections that cancel out before any payment).
    """
    payables = list(payables)
    paid = [p for p in payables if p.status == Payable.Status.PAID]
    outstanding = sum((p.amount for p in payables if p.status != Payable.Status.PAID), ZERO)
    conversion = conversion_of(payables)
    if outstanding > 0:
        payee = payables[0].payee
        return Payment(
            paid_on=None, account=masked_account(payee.iban), hospital=_hospital(payee), conversion=conversion
        )
    if not paid:
        return None
    last = max(paid, key=lambda p: (p.paid_on, p.pk))
    iban = _transfer_account(last.run, last.payee) if last.run_id else None
    if not iban:
        iban = last.payee.iban
    return Payment(
        paid_on=last.paid_on, account=masked_account(iban), hospital=_hospital(last.payee), conversion=conversion
    )


def conversion_of(payables: list[Payable]) -> Conversion | None:
    """What the payables send in the account's currency, when they were converted from the plan's (each at the
    rate of its care date, kept on the payable); None when they are paid in the plan's currency."""
    converted = [p for p in payables if p.plan_amount is not None and p.rate is not None and p.rate_on is not None]
    if not converted:
        return None
    rates = tuple(dict.fromkeys((p.rate, p.rate_on) for p in converted))
    return Conversion(
        sent=sum((p.amount for p in converted), ZERO),
        currency=converted[0].currency,
        plan_amount=sum((p.plan_amount for p in converted), ZERO),
        plan_currency=converted[0].plan_currency,
        rates=rates,
    )


def _hospital(payee: Payee) -> str:
    return payee.provider.name if payee.provider_id else ""


def _with_relations(payables: QuerySet[Payable]) -> QuerySet[Payable]:
    return payables.select_related("run", "payee__member", "payee__provider")


def statement_payment(*, statement_id: int) -> Payment | None:
    return payment_of(_with_relations(Payable.objects.filter(statement_id=statement_id).order_by("pk")))


def claim_item_payments(*, claim_id: int) -> dict[int, Payment | None]:
    """Claim item id → where its payment stands (one query for the whole claim)."""
    by_item: dict[int, list[Payable]] = defaultdict(list)
    for payable in _with_relations(Payable.objects.filter(claim_item__claim_id=claim_id).order_by("pk")):
        by_item[payable.claim_item_id].append(payable)
    return {item_id: payment_of(payables) for item_id, payables in by_item.items()}
