"""Random sequences of decisions, corrections, runs and bank returns: the ledger's invariants hold."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.models import ClaimItem
from mutua.benefits.payables import payable_correct
from mutua.claims.tests.helpers import submitted_claim
from mutua.payments import services
from mutua.payments.bank_returns import bank_returns_import
from mutua.payments.models import Payable, PaymentRun, PaymentTransfer
from mutua.payments.tests.bank_samples import Movement, Status, camt_054, pain_002

pytestmark = pytest.mark.django_db

# Weighted so that sequences often go all the way: decided, run, approved, file, paid, returned.
OPERATIONS = ("claim",) * 3 + ("correct", "cancel") + ("run",) * 2 + ("advance",) * 8 + ("return",) * 3


def check_invariants(expected: dict[int, Decimal]) -> None:
    for item_id, owed in expected.items():
        payables = Payable.objects.filter(claim_item_id=item_id)
        by_status = {
            status: sum((p.amount for p in payables if p.status == status), Decimal(0)) for status in Payable.Status
        }
        # decided = paid + due (+ in a run): reversals and adjustments are entries of the same ledger
        assert sum(by_status.values()) == owed
    for payable in Payable.objects.select_related("claim_item"):
        assert payable.claim_item.status == ClaimItem.Status.ACCEPTED  # never without an approved decision
        assert (payable.status == Payable.Status.PAID) == (payable.paid_on is not None)
        assert (payable.status == Payable.Status.DUE) == (payable.run_id is None)
    for run in PaymentRun.objects.filter(status__in=[PaymentRun.Status.DRAFT, PaymentRun.Status.APPROVED]):
        assert sum(p.amount for p in run.payables.all()) == run.total
    for run in PaymentRun.objects.exclude(status=PaymentRun.Status.CANCELLED):
        # what was prepared is what is approved and paid: transfers keep the run's record, returns included
        assert sum(t.amount for t in run.transfers_made.all()) == run.total
    for run in PaymentRun.objects.exclude(file=""):
        control_sum = Decimal(re.search(r"<CtrlSum>([0-9.]+)</CtrlSum>", run.file).group(1))
        assert control_sum == run.total  # the sum of a run equals the sum of its file


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    operations=st.lists(st.sampled_from(OPERATIONS), min_size=8, max_size=20),
    amounts=st.lists(st.integers(min_value=0, max_value=6000), min_size=20, max_size=20),
    choices=st.lists(st.integers(min_value=0, max_value=99), min_size=20, max_size=20),
)
def test_ledger_invariants_hold_over_any_sequence(operations, amounts, choices, django_capture_on_commit_callbacks):
    with transaction.atomic():
        members = [
            MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=iban)
            for iban in ("FR1420041010050500013M02606", "FR7630006000011234567890189")
        ]
        preparer, approver = StaffUserFactory(role=Role.FINANCE), StaffUserFactory(role=Role.FINANCE)
        expected: dict[int, Decimal] = {}
        day = date(2026, 1, 5)
        for step, operation in enumerate(operations):
            pick = choices[step]
            day += timedelta(days=1)
            try:
                if operation == "claim":
                    care = {"benefit_code": "care.gp", "care_date": day, "amount": Decimal("30.00")}
                    care |= {"mr": Decimal("19.00"), "doctor_fees": "optam"}
                    with django_capture_on_commit_callbacks(execute=True):
                        claim = submitted_claim(members[pick % 2], [care])
                    for item in claim.items.filter(status=ClaimItem.Status.ACCEPTED):
                        expected[item.pk] = item.paid_total if item.paid_total > 0 else Decimal(0)
                elif operation == "correct" and expected:
                    item = ClaimItem.objects.get(pk=sorted(expected)[pick % len(expected)])
                    new = Decimal(amounts[step]) / 100
                    payable_correct(item=item, amount=new, reason="test", by=approver)
                    expected[item.pk] = new
                elif operation == "run":
                    services.run_create(by=preparer, execution_date=day)
                elif operation == "advance" and (
                    run := PaymentRun.objects.exclude(status__in=["settled", "cancelled"]).first()
                ):
                    if run.status == PaymentRun.Status.DRAFT:
                        services.run_approve(run=run, by=approver)
                    elif run.status == PaymentRun.Status.APPROVED:
                        services.run_file(run=run)
                    else:
                        services.run_settle(run=run, paid_on=timezone.localdate(), by=approver)
                elif operation == "cancel" and (run := PaymentRun.objects.filter(status="draft").first()):
                    services.run_cancel(run=run, by=approver, reason="test")
                elif operation == "return":
                    # A return of money paid (camt.054), or the bank's rejection (pain.002), also of a run
                    # not yet recorded as paid, or of its whole file.
                    sent = ["exported", "settled"] if pick % 2 else ["settled"]
                    transfers = list(PaymentTransfer.objects.filter(run__status__in=sent).order_by("pk"))
                    if transfers:
                        transfer = transfers[pick % len(transfers)]  # may be returned already: refused then
                        amount = transfer.amount if pick % 5 else transfer.amount + 1  # sometimes a wrong amount
                        if pick % 2 == 0:
                            content = camt_054([Movement(transfer.end_to_end_id, amount, "AC04")])
                        elif pick % 3:
                            rejected = Status(transfer.end_to_end_id, "RJCT", "AC04", amount=amount)
                            content = pain_002(transfer.run, [rejected])
                        else:
                            content = pain_002(transfer.run, [], group_status="RJCT", group_code="FF01")
                        bank_returns_import(content=content, by=approver)
            except ValidationError:
                pass  # refused operations (nothing due, same amount…) must leave the ledger intact too
            check_invariants(expected)
        for status in ("settled", "exported", "approved"):
            if PaymentRun.objects.filter(status=status).exists():
                event(f"a run reached {status}")
        if Payable.objects.filter(kind__in=["adjustment", "reversal"]).exists():
            event("corrections")
        for status in ("exported", "settled"):
            if PaymentTransfer.objects.filter(returned_at__isnull=False, run__status=status).exists():
                event(f"bank return from a run {status}")
        transaction.set_rollback(True)
