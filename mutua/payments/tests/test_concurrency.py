"""Two finance users building runs at the same moment never put a payable in two runs."""

import os
import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.claims.services import claim_adjudicate
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.payments import services
from mutua.payments.models import Payable, PaymentRun

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent row locks are only exercised on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_runs_share_nothing():
    for _ in range(8):
        user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban="FR1420041010050500013M02606")
        claim = submitted_claim(user, [GP_VISIT])  # decided after commit, as the worker does
        claim_adjudicate(claim_id=claim.pk)  # a repeated task changes nothing
    due_total = sum(p.amount for p in Payable.objects.all())
    assert Payable.objects.count() == 8 and due_total > 0
    users = [StaffUserFactory(role=Role.FINANCE), StaffUserFactory(role=Role.FINANCE)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def build(user) -> None:
        try:
            barrier.wait()
            outcomes.append(services.run_create(by=user, execution_date=date(2026, 4, 1)).pk)
        except ValidationError:
            outcomes.append("nothing due")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    runs = PaymentRun.objects.all()
    assert runs.exists()
    assert sum(run.total for run in runs) == due_total  # every payable counted in exactly one run
    for run in runs:
        assert sum(p.amount for p in run.payables.all()) == run.total
    assert not Payable.objects.filter(status=Payable.Status.DUE).exists()
