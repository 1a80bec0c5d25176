"""Every e-mail is a notification row: kept in the member's inbox whatever the mail server does, sent by the worker
after the transaction commits, its status (sent, failed and retried, not e-mailed) recorded with its history."""

from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.models import StatusChange
from mutua.core.task_backend import HueyTaskBackend
from mutua.core.tests.helpers import member_login
from mutua.notifications.models import Notification
from mutua.notifications.services import notification_email, notification_send
from mutua.notifications.tasks import email_notification

pytestmark = pytest.mark.django_db


def received(member=None, *, to="b@example.org", language="fr", reference=3):
    return notification_send(
        to=to,
        member=member,
        template="support/email/contact_received",
        context={"reference": reference},
        language=language,
        link="/portal/claims/",
    )


def test_a_task_goes_through_huey_and_runs_by_its_import_path(django_capture_on_commit_callbacks):
    assert isinstance(email_notification.get_backend(), HueyTaskBackend)
    with django_capture_on_commit_callbacks(execute=False):
        notification = received(to="a@example.org", language="en", reference=7)
    HUEY.immediate = False
    try:
        result = email_notification.enqueue(notification_id=notification.pk)
        assert HUEY.pending_count() == 1
        queued = HUEY.dequeue()
        assert queued.id == result.id
        HUEY.execute(queued)
    finally:
        HUEY.immediate = True
    assert mail.outbox[-1].subject == "We received your message (reference 7)"


def test_emails_leave_only_after_the_transaction_commits_and_the_row_says_so(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = received()
    assert mail.outbox == [] and notification.status == Notification.Status.QUEUED
    assert notification.subject == "Nous avons bien reçu votre message (référence 3)"
    for callback in callbacks:
        callback()
    message = mail.outbox[-1]
    assert message.subject == notification.subject
    assert "Bonjour," in message.body and "(référence 3)" in message.body
    html = message.alternatives[0][0]
    assert "Bonjour," in html and "<p>" in html
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.sent_at and notification.attempts == 1
    history = StatusChange.objects.filter(object_id=str(notification.pk), content_type__model="notification")
    history = history.values_list("from_status", "to_status")
    assert list(history) == [("queued", "sent")]


def test_a_failed_email_is_recorded_retried_and_never_sent_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = received()
    down = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("smtp down"))
    with down, pytest.raises(ConnectionRefusedError):
        notification_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED and "smtp down" in notification.error
    notification_email(notification_id=notification.pk)  # the worker's retry
    notification_email(notification_id=notification.pk)  # a duplicate delivery of the task
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.error) == ("sent", 2, "")


def test_without_an_address_the_member_still_reads_it_in_the_space(client, django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = received(user.member, to="")
    assert notification.status == Notification.Status.NOT_EMAILED and mail.outbox == []
    member_login(client, user.member.member_number, PASSWORD)
    home = client.get("/portal/", headers={"Accept-Language": "en"}).content.decode()
    assert "1 new notification" in home
    listing = client.get("/portal/notifications/", headers={"Accept-Language": "en"}).content.decode()
    assert notification.subject in listing and "New" in listing
    page = client.get(f"/portal/notifications/{notification.pk}/").content.decode()
    assert "(référence 3)" in page and 'href="/portal/claims/"' in page
    notification.refresh_from_db()
    assert notification.read_at is not None  # opened: read
    assert "new notification" not in client.get("/portal/", headers={"Accept-Language": "en"}).content.decode()


def test_a_member_never_reads_another_households_notifications(client, django_capture_on_commit_callbacks):
    mine, theirs = MemberUserFactory(), MemberUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        other = received(theirs.member, reference=99)
        unaddressed = received(None, reference=98)
    member_login(client, mine.member.member_number, PASSWORD)
    assert client.get(f"/portal/notifications/{other.pk}/").status_code == 404
    assert client.get(f"/portal/notifications/{unaddressed.pk}/").status_code == 404
    assert "99" not in client.get("/portal/notifications/").content.decode()
    client.post("/portal/notifications/read/")
    other.refresh_from_db()
    assert other.read_at is None


def test_a_sign_in_link_is_e_mailed_but_never_kept(django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            to="c@example.org",
            member=user.member,
            template="accounts/email/password_reset",
            context={"first_name": "Ana", "link": "https://mutua.example/reset/SECRET-TOKEN/"},
            language="en",
            confidential=True,
        )
    assert "SECRET-TOKEN" in mail.outbox[-1].body
    notification.refresh_from_db()
    assert notification.body == "" and notification.context == {} and notification.member is None
    assert notification.subject == mail.outbox[-1].subject  # written by the worker, once sent
    assert notification.status == Notification.Status.SENT


@override_settings(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
def test_embedded_mode_writes_emails_to_a_folder(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_FILE_PATH = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        received(to="c@example.org", language="en", reference=9)
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and "reference 9" in written[0].read_text()
