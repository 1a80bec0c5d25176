import pytest
from django.core import mail
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from mutua.core.emails import email_queue
from mutua.core.task_backend import HueyTaskBackend
from mutua.core.tasks import send_email


def test_a_task_goes_through_huey_and_runs_by_its_import_path():
    assert isinstance(send_email.get_backend(), HueyTaskBackend)
    HUEY.immediate = False
    try:
        result = send_email.enqueue(
            to="a@example.org", template="support/email/contact_new", context={"reference": 7}, language="en"
        )
        assert HUEY.pending_count() == 1
        queued = HUEY.dequeue()
        assert queued.id == result.id
        HUEY.execute(queued)
    finally:
        HUEY.immediate = True
    assert mail.outbox[-1].subject == "New message in the inbox (reference 7)"


@pytest.mark.django_db
def test_emails_leave_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue(
            to="b@example.org",
            template="support/email/contact_received",
            context={"reference": 3},
            language="fr",
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    message = mail.outbox[-1]
    assert message.subject == "Nous avons bien reçu votre message (référence 3)"
    assert "Bonjour," in message.body and "(référence 3)" in message.body
    html = message.alternatives[0][0]
    assert "Bonjour," in html and "<p>" in html


@override_settings(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
def test_embedded_mode_writes_emails_to_a_folder(tmp_path, settings):
    settings.EMAIL_FILE_PATH = tmp_path
    send_email.enqueue(
        to="c@example.org", template="support/email/contact_new", context={"reference": 9}, language="en"
    )
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and "reference 9" in written[0].read_text()
