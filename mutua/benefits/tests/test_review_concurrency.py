"""A person's review and the AM's own figures landing on the same item at the same moment, in separate processes
(each its own connection), several rounds: the item is decided once at a time under the household's lock, and
at the end the ledger owes exactly what the item pays, never more than the member paid after the AM."""

import multiprocessing
import os
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.models import ClaimItem
from mutua.benefits.payables import item_owed
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent row locks are only exercised on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 3
# What each process does to the item: two reviews on different AM figures, and the AM's statement itself.
ACTIONS = (("review", Decimal("15.00")), ("review", Decimal("12.00")), ("am", Decimal("17.00")))


def _act(barrier, results, item_id: int, handler_id: int, action: str, mr: Decimal) -> None:
    connections.close_all()  # never share the parent's socket
    from django.core.exceptions import ValidationError

    from mutua.accounts.models import User
    from mutua.benefits.review import claim_item_redecide
    from mutua.benefits.services import claim_item_am_correct

    item = ClaimItem.objects.get(pk=item_id)
    handler = User.objects.get(pk=handler_id)
    barrier.wait(timeout=60)
    try:
        if action == "review":
            claim_item_redecide(item=item, by=handler, accept=True, reason="AM statement", facts={"mr": mr})
        else:
            claim_item_am_correct(item=item, br=Decimal("30.00"), mr=mr, am_rate=None, source="AM file R")
        results.put("ok")
    except ValidationError as error:  # a review on figures another process already applied changes nothing
        results.put(error.error_list[0].code)
    finally:
        connections.close_all()


def test_reviews_and_am_corrections_together_leave_the_ledger_owing_what_the_item_pays(
    django_capture_on_commit_callbacks,
):
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    context = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        user = MemberUserFactory(member__cover_start=date(2020, 1, 1))
        with django_capture_on_commit_callbacks(execute=True):
            claim = submitted_claim(user, [GP_VISIT | {"provider": f"Dr Round {round_}"}])
        item = claim.items.get()
        assert item.status == ClaimItem.Status.ACCEPTED and item.decided_by is None
        barrier, results = context.Barrier(len(ACTIONS)), context.Queue()
        connections.close_all()
        processes = [
            context.Process(target=_act, args=(barrier, results, item.pk, handler.pk, action, mr))
            for action, mr in ACTIONS
        ]
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=120) for _process in processes]
        for process in processes:
            process.join(timeout=60)
            assert process.exitcode == 0
        assert set(outcomes) <= {"ok", "unchanged"}, outcomes
        # The audit: what the ledger owes is what the item pays, within what the member paid after the AM.
        item.refresh_from_db()
        assert item_owed(item=item) == item.paid_total
        assert item.paid_total <= item.plan_amount - item.mr - (item.other_paid or Decimal("0.00"))
        statement = item.claim.statement
        statement.refresh_from_db()
        assert statement.total_paid == item.paid_total
