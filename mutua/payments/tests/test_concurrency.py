"""Payment runs prepared at the same moment by real processes, each with its own connection.

Several rounds on PostgreSQL: decisions from AM files, corrections (reversals and adjustments)
of what is not paid yet, then three processes prepare runs together; the runs are paid and the
ledger is audited: per payee, what a run pays is the payee's whole net due; no payable is in
two runs; per care item, what is paid never exceeds what was decided.
"""

import multiprocessing
import os
import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, Sum
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import StaffUserFactory
from mutua.benefits.models import ClaimItem
from mutua.benefits.payables import payable_correct
from mutua.contracts.models import ContractPlan, Employer, GroupContract, Insurer, ManagementUnit, Member
from mutua.core.models import StatusChange
from mutua.payments import services
from mutua.payments.models import Payable, Payee, PaymentRun
from mutua.teletransmission import fakes
from mutua.teletransmission.mappings import default_rows
from mutua.teletransmission.models import ActMapping
from mutua.teletransmission.services import am_file_drain, am_file_import

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent row locks are only exercised on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 3
PREPARERS = 3
IBAN = "FR1420041010050500013M02606"


def _prepare(barrier, results, user_id: int) -> None:
    """In its own process: wait for the others, then prepare a run."""
    connections.close_all()  # never share the parent's socket
    from mutua.accounts.models import User

    user = User.objects.get(pk=user_id)
    barrier.wait(timeout=60)
    try:
        results.put(services.run_create(by=user, execution_date=date(2026, 4, 1)).pk)
    except ValidationError:
        results.put(None)  # the others took everything
    finally:
        connections.close_all()


def _prepare_together(users) -> list[int]:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(users)), context.Queue()
    connections.close_all()
    processes = [context.Process(target=_prepare, args=(barrier, results, user.pk)) for user in users]
    for process in processes:
        process.start()
    runs = [results.get(timeout=120) for _process in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return [pk for pk in runs if pk is not None]


def _decisions(*, contract: GroupContract, households, file_id: str, lines: int, tmp_path, seed: int) -> None:
    path = tmp_path / f"{file_id}.txt"
    with path.open("w") as file:
        for record in fakes.file_records(households=households, lines=lines, file_id=file_id, seed=seed):
            file.write(record + "\n")
    am_file = am_file_import(path=path, chunk_lines=400)
    am_file_drain(am_file_id=am_file.pk)


def _correct_unpaid(rng: random.Random, by) -> None:
    """Reverse or adjust a share of the items nothing of which is paid or in a run yet."""
    unpaid = (
        ClaimItem.objects.filter(status=ClaimItem.Status.ACCEPTED, payables__isnull=False)
        .exclude(payables__status__in=[Payable.Status.IN_RUN, Payable.Status.PAID])
        .distinct()
        .order_by("pk")
    )
    for item in unpaid.annotate(owed=Sum("payables__amount")).filter(owed__gt=0):
        draw = rng.random()
        if draw < 0.15:
            payable_correct(item=item, amount=Decimal("0.00"), reason="duplicate", by=by)
        elif draw < 0.25:
            amount = max(Decimal("0.00"), item.owed + Decimal(rng.randint(-800, 800)) / 100)
            if amount != item.owed:
                payable_correct(item=item, amount=amount, reason="adjusted", by=by)


def _net_due() -> dict[int, Decimal]:
    """Each usable payee's balance still due (the whole of it must go into one run, or wait)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    payees = {payee.pk: payee for payee in Payee.objects.select_related("member", "provider")}
    for payee_id, amount in Payable.objects.filter(status=Payable.Status.DUE).values_list("payee_id", "amount"):
        totals[payee_id] += amount
    return {pk: total for pk, total in totals.items() if total > 0 and not services.payee_blocked(payees[pk])}


def _pay(run_ids: list[int], preparers, approver) -> None:
    for run in PaymentRun.objects.filter(pk__in=run_ids):
        checker = approver if run.created_by_id != approver.pk else preparers[0]
        run = services.run_approve(run=run, by=checker)
        services.run_file(run=run)
        services.run_settle(run=run, paid_on=timezone.localdate(), by=checker)


def test_runs_prepared_together_pay_each_payee_its_whole_net_once(tmp_path):
    # The act mapping table is data from a migration, emptied by any transactional test run before this one.
    ActMapping.objects.bulk_create([ActMapping(**row) for row in default_rows()], ignore_conflicts=True)
    unit = ManagementUnit.objects.create(name="Unit", phone="1", email="u@example.org", postal_address="x")
    contract = GroupContract.objects.create(
        number="GC-RUNS",
        employer=Employer.objects.create(name="E"),
        insurer=Insurer.objects.create(name="I"),
        management_unit=unit,
        start_date=date(2020, 1, 1),
    )
    ContractPlan.objects.create(
        contract=contract, plan_code="fr-base-surco", tiers=["base", "surco"], valid_from=date(2020, 1, 1)
    )
    households = fakes.households_create(contract=contract, count=200, seed=11)
    members = list(Member.objects.filter(contract=contract))
    for member in members:
        member.iban = IBAN
    Member.objects.bulk_update(members, ["iban"])
    preparers = [StaffUserFactory(role=Role.FINANCE) for _ in range(PREPARERS)]
    approver = StaffUserFactory(role=Role.FINANCE)
    rng = random.Random(11)

    for round_number in range(ROUNDS):
        _decisions(
            contract=contract,
            households=households,
            file_id=f"RUNS-{round_number}",
            lines=800,
            tmp_path=tmp_path,
            seed=round_number,
        )
        _correct_unpaid(rng, approver)
        owed = _net_due()
        assert owed and any(
            Payable.objects.filter(payee_id=pk, status=Payable.Status.DUE, amount__lt=0).exists() for pk in owed
        ), "the round must hold payees whose corrections net against their decisions"

        run_ids = _prepare_together(preparers)

        paid: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for run in PaymentRun.objects.filter(pk__in=run_ids).prefetch_related("transfers_made"):
            for transfer in run.transfers_made.all():
                paid[transfer.payee_id].append((run.pk, transfer.amount))
                taken = run.payables.filter(payee_id=transfer.payee_id).aggregate(total=Sum("amount"))["total"]
                assert taken == transfer.amount  # the transfer is the sum of what the run took
        assert {pk: [amount for _run, amount in transfers] for pk, transfers in paid.items()} == {
            pk: [total] for pk, total in owed.items()
        }, "each payee is paid its whole net due, in exactly one run"
        assert not Payable.objects.filter(payee_id__in=owed, status=Payable.Status.DUE).exists()
        _pay(run_ids, preparers, approver)

    # The ledger audit, over every round.
    taken_twice = (
        StatusChange.objects.filter(to_status=Payable.Status.IN_RUN, content_type__model="payable")
        .values("object_id")
        .annotate(times=Count("id"))
        .filter(times__gt=1)
    )
    assert not taken_twice.exists(), "no payable was put in a run twice"
    for item in ClaimItem.objects.filter(payables__isnull=False).distinct():
        decided = item.payables.aggregate(total=Sum("amount"))["total"]
        paid_total = item.payables.filter(status=Payable.Status.PAID).aggregate(total=Sum("amount"))["total"] or 0
        assert paid_total <= max(decided, Decimal(0)), f"item {item.pk}: paid {paid_total}, decided {decided}"
    assert PaymentRun.objects.filter(status=PaymentRun.Status.SETTLED).count() >= ROUNDS
