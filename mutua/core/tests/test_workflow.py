import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mutua.accounts.tests.factories import StaffUserFactory
from mutua.core.selectors import status_history
from mutua.support.models import ContactRequest
from mutua.support.services import contact_request_set_status

pytestmark = pytest.mark.django_db


def make_request() -> ContactRequest:
    return ContactRequest.objects.create(name="Ana", email="ana@example.org", message="Help", language="fr")


def test_each_change_is_recorded_with_who_when_from_to_and_why():
    handler = StaffUserFactory()
    contact = make_request()
    contact_request_set_status(contact_request=contact, status="in_progress", by=handler, reason="Calling back")
    contact_request_set_status(contact_request=contact, status="closed", by=handler)
    contact.refresh_from_db()
    assert contact.status == "closed"
    history = list(status_history(instance=contact))
    assert [(h.from_status, h.to_status) for h in history] == [("new", "in_progress"), ("in_progress", "closed")]
    assert history[0].changed_by == handler and history[0].reason == "Calling back"
    assert all(h.changed_at for h in history)


def test_a_transition_outside_the_table_is_refused_and_nothing_is_written():
    handler = StaffUserFactory()
    contact = make_request()
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from “New” to “archived”"):
        contact_request_set_status(contact_request=contact, status="archived", by=handler)
    contact_request_set_status(contact_request=contact, status="closed", by=handler)
    with pytest.raises(ValidationError):
        contact_request_set_status(contact_request=contact, status="new", by=handler)
    contact.refresh_from_db()
    assert contact.status == "closed"
    assert status_history(instance=contact).count() == 1


def test_a_stale_copy_cannot_overwrite_a_newer_status():
    handler = StaffUserFactory()
    contact = make_request()
    stale = ContactRequest.objects.get(pk=contact.pk)
    contact_request_set_status(contact_request=contact, status="closed", by=handler)
    # The stale copy still says "new", but the locked row says "closed".
    with pytest.raises(ValidationError):
        contact_request_set_status(contact_request=stale, status="closed", by=handler)


def test_a_batch_moves_whole_with_a_history_row_each_or_not_at_all():
    from mutua.core.workflow import status_change_many

    handler = StaffUserFactory()
    batch = [make_request() for _ in range(3)]
    moved = status_change_many(
        queryset=ContactRequest.objects.filter(pk__in=[c.pk for c in batch]),
        workflow=ContactRequest.WORKFLOW,
        to_status="in_progress",
        by=handler,
        reason="Morning round",
    )
    assert sorted(moved) == sorted(c.pk for c in batch)
    for contact in batch:
        history = list(status_history(instance=contact))
        assert [(h.from_status, h.to_status, h.changed_by, h.reason) for h in history] == [
            ("new", "in_progress", handler, "Morning round")
        ]
    contact_request_set_status(contact_request=batch[0], status="closed", by=handler)
    # One row of the batch may not go back to "new": the whole batch is refused, nothing written.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from “Closed”"):
        status_change_many(
            queryset=ContactRequest.objects.filter(pk__in=[c.pk for c in batch]),
            workflow=ContactRequest.WORKFLOW,
            to_status="closed",
            by=handler,
        )
    assert list(ContactRequest.objects.order_by("pk").values_list("status", flat=True)) == [
        "closed",
        "in_progress",
        "in_progress",
    ]
    assert sum(status_history(instance=c).count() for c in batch) == 4
