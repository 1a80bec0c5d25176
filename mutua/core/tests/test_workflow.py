import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from mutua.accounts.tests.factories import StaffUserFactory
from mutua.conversations.models import Conversation
from mutua.core.selectors import status_history
from mutua.core.workflow import status_change

pytestmark = pytest.mark.django_db


def make_request() -> Conversation:
    return Conversation.objects.create(kind="contact", subject="Help", contact_name="Ana", language="fr")


def contact_request_set_status(*, contact_request: Conversation, status: str, by, reason: str = "") -> Conversation:
    return status_change(
        instance=contact_request, workflow=Conversation.WORKFLOW, to_status=status, by=by, reason=reason
    )


def test_each_change_is_recorded_with_who_when_from_to_and_why():
    handler = StaffUserFactory()
    contact = make_request()
    contact_request_set_status(contact_request=contact, status="answered", by=handler, reason="Calling back")
    contact_request_set_status(contact_request=contact, status="closed", by=handler)
    contact.refresh_from_db()
    assert contact.status == "closed"
    history = list(status_history(instance=contact))
    assert [(h.from_status, h.to_status) for h in history] == [("open", "answered"), ("answered", "closed")]
    assert history[0].changed_by == handler and history[0].reason == "Calling back"
    assert all(h.changed_at for h in history)


def test_a_transition_outside_the_table_is_refused_and_nothing_is_written():
    handler = StaffUserFactory()
    contact = make_request()
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="cannot go from “waiting for the management unit” to “archived”"),
    ):
        contact_request_set_status(contact_request=contact, status="archived", by=handler)
    contact_request_set_status(contact_request=contact, status="closed", by=handler)
    with pytest.raises(ValidationError):
        contact_request_set_status(contact_request=contact, status="answered", by=handler)
    contact.refresh_from_db()
    assert contact.status == "closed"
    assert status_history(instance=contact).count() == 1


def test_a_stale_copy_cannot_overwrite_a_newer_status():
    handler = StaffUserFactory()
    contact = make_request()
    stale = Conversation.objects.get(pk=contact.pk)
    contact_request_set_status(contact_request=contact, status="closed", by=handler)
    # The stale copy still says "open", but the locked row says "closed".
    with pytest.raises(ValidationError):
        contact_request_set_status(contact_request=stale, status="closed", by=handler)


def test_a_batch_moves_whole_with_a_history_row_each_or_not_at_all():
    from mutua.core.workflow import status_change_many

    handler = StaffUserFactory()
    batch = [make_request() for _ in range(3)]
    moved = status_change_many(
        queryset=Conversation.objects.filter(pk__in=[c.pk for c in batch]),
        workflow=Conversation.WORKFLOW,
        to_status="answered",
        by=handler,
        reason="Morning round",
    )
    assert sorted(moved) == sorted(c.pk for c in batch)
    for contact in batch:
        history = list(status_history(instance=contact))
        assert [(h.from_status, h.to_status, h.changed_by, h.reason) for h in history] == [
            ("open", "answered", handler, "Morning round")
        ]
    contact_request_set_status(contact_request=batch[0], status="closed", by=handler)
    # One row of the batch may not be closed again: the whole batch is refused, nothing written.
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from “closed”"):
        status_change_many(
            queryset=Conversation.objects.filter(pk__in=[c.pk for c in batch]),
            workflow=Conversation.WORKFLOW,
            to_status="closed",
            by=handler,
        )
    assert list(Conversation.objects.order_by("pk").values_list("status", flat=True)) == [
        "closed",
        "answered",
        "answered",
    ]
    assert sum(status_history(instance=c).count() for c in batch) == 4
