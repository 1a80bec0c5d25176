"""Every status of every model with a workflow came through its transition table, with a history row
per change: walked over the demo (an AM statement file, a hospital guarantee, quotes) and an online
claim paid through a payment run, so that no channel moves a status beside the table."""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.core.selectors import status_history
from mutua.core.workflow import Workflow
from mutua.payments import services as payments

pytestmark = pytest.mark.django_db


def workflows() -> list[tuple[type, Workflow]]:
    found = [(model, getattr(model, "WORKFLOW", None)) for model in apps.get_models()]
    return [(model, workflow) for model, workflow in found if isinstance(workflow, Workflow)]


def test_every_status_came_through_the_table_with_its_history(run_tasks):
    call_command("load_demo")
    # An online claim decided and paid through a run, approved by a second person.
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban="FR1420041010050500013M02606")
    run_tasks(submitted_claim, user, [GP_VISIT])
    preparer, approver = StaffUserFactory(role=Role.FINANCE), StaffUserFactory(role=Role.FINANCE)
    run = payments.run_approve(run=payments.run_create(by=preparer, execution_date=date(2026, 12, 8)), by=approver)
    payments.run_file(run=run)
    payments.run_settle(run=type(run).objects.get(pk=run.pk), paid_on=timezone.localdate(), by=approver)

    walked, moved = set(), 0
    for model, workflow in workflows():
        first = model._meta.get_field(workflow.field).default
        for row in model.objects.all():
            path = [first]
            for change in status_history(instance=row).order_by("changed_at", "pk"):
                assert change.from_status == path[-1], (model.__name__, row.pk, change.from_status, path)
                assert workflow.allowed(change.from_status, change.to_status), (model.__name__, row.pk, change)
                path.append(change.to_status)
                moved += 1
            assert getattr(row, workflow.field) == path[-1], (model.__name__, row.pk, path)
            walked.add(model.__name__)
    # The walk saw the channels' workflows and real moves, not an empty database.
    assert {"Claim", "ClaimItem", "Payable", "PaymentRun", "AmFile", "Guarantee", "Quote"} <= walked
    assert moved > 20
