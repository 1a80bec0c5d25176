"""Many claims decided at the same moment against one annual cap never pay more than the cap."""

import os
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connections

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.benefits.models import Claim, ClaimItem
from mutua.claims.adjudication import claim_adjudicate
from mutua.claims.services import claim_create, claim_item_add
from mutua.claims.tests.helpers import receipt

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent row locks are only exercised on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

OSTEOPATH_CAP_2026 = Decimal("480.60")  # 12 % of the 2026 PMSS (4 005 €) per person and year


def test_concurrent_workers_never_pay_more_than_an_annual_cap():
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
    claims = []
    for n in range(10):
        claim = claim_create(member=user.member, beneficiary=None, name=f"Ostéo {n}")
        claim_item_add(
            claim=claim,
            by=user,
            benefit_code="prevention.osteopath",
            care_date=date(2026, 1, 5) + timedelta(days=n),
            provider="Cabinet",
            amount=Decimal("80.00"),
            uploads=[receipt(salt=f"osteo-{n}")],
        )
        Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_PROGRESS)  # as submitted
        claims.append(claim)
    barrier = threading.Barrier(len(claims))
    errors: list[BaseException] = []

    def worker(claim_id: int) -> None:
        try:
            barrier.wait()
            claim_adjudicate(claim_id=claim_id)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(claim.pk,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    paid = [item.paid_total for item in ClaimItem.objects.filter(status=ClaimItem.Status.ACCEPTED)]
    assert len(paid) == 10
    assert sum(paid) == OSTEOPATH_CAP_2026  # uncapped, 10 × 72.09 = 720.90 would have been paid
