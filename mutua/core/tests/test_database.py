import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mutua.accounts.tests.factories import StaffUserFactory
from mutua.conversations.models import Conversation
from mutua.core.selectors import status_history
from mutua.core.workflow import status_change

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks are only exercised on PostgreSQL (set DATABASE_URL)",
)


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_named_by_database_url():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_handlers_closing_the_same_request_at_once_make_one_change():
    handlers = [StaffUserFactory(), StaffUserFactory()]
    contact = Conversation.objects.create(kind="contact", subject="Help", contact_name="A", language="fr")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def close(handler):
        try:
            barrier.wait()
            status_change(instance=contact, workflow=Conversation.WORKFLOW, to_status="closed", by=handler)
            outcomes.append("closed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(h,)) for h in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["closed", "refused"]
    assert status_history(instance=contact).count() == 1


@pytest.mark.django_db
def test_migrations_match_the_models():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero when one is missing
