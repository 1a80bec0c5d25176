"""Notify a person: the notification is written in the caller's transaction, in the recipient's language, and its
e-mail is sent by the worker once that transaction has committed, so a rolled-back decision tells nobody."""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mutua.contracts.models import Member
from mutua.core.workflow import status_change
from mutua.notifications.models import Notification

logger = logging.getLogger(__name__)


def notification_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    member: Member | None = None,
    link: str = "",
    confidential: bool = False,
) -> Notification:
    """Keep what ``<template>_subject.txt`` and ``<template>.txt`` say in ``language`` as a notification (in the
    member's inbox when ``member`` is given), and e-mail it to ``to`` from the worker when there is an address.

    ``context`` must be JSON-serialisable: the worker renders the e-mail from it. ``confidential``: the message
    holds a key to an account (a sign-in link): the row keeps its subject and status, never its text nor its
    context, which travel to the worker alone."""
    subject = body = ""
    if not confidential:  # a confidential message is rendered by the worker only: the request answers as fast
        with translation.override(language):  # as one for an unknown address would (nothing to learn from timing)
            subject = _subject(template, context)
            body = render_to_string(f"{template}.txt", context).strip()
    notification = Notification.objects.create(
        member=None if confidential else member,
        to=to,
        template=template,
        context={} if confidential else context,
        language=language,
        subject=subject[:300],  # a confidential one's: written once sent
        body=body,
        link=link,
        status=Notification.Status.QUEUED if to else Notification.Status.NOT_EMAILED,
    )
    if to:
        from mutua.notifications.tasks import email_notification

        passed = context if confidential else None
        transaction.on_commit(lambda: email_notification.enqueue(notification_id=notification.pk, context=passed))
    return notification


def notification_email(*, notification_id: int, context: dict[str, Any] | None = None) -> None:
    """Send a notification's e-mail once (a retry after a success sends nothing); a failure is recorded on the row
    and raised, so that the worker tries again. ``context``: a confidential message's, not kept on the row."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.status not in {Notification.Status.QUEUED, Notification.Status.FAILED}:
        return
    context = notification.context if context is None else context
    with translation.override(notification.language):
        html = render_to_string(f"{notification.template}.html", context)
        text = notification.body or render_to_string(f"{notification.template}.txt", context).strip()
        if not notification.subject:
            notification.subject = _subject(notification.template, context)[:300]
            notification.save(update_fields=["subject"])
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text + "\n",
        to=[notification.to],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:  # any transport error: kept on the row, the worker retries
        notification.attempts += 1
        notification.error = f"{type(error).__name__}: {error}"[:300]
        notification.save(update_fields=["attempts", "error"])
        status_change(
            instance=notification, workflow=Notification.WORKFLOW, to_status=Notification.Status.FAILED, by=None
        )
        raise
    notification.attempts += 1
    notification.sent_at = timezone.now()
    notification.error = ""
    notification.save(update_fields=["attempts", "sent_at", "error"])
    status_change(instance=notification, workflow=Notification.WORKFLOW, to_status=Notification.Status.SENT, by=None)


def _subject(template: str, context: dict[str, Any]) -> str:
    return " ".join(render_to_string(f"{template}_subject.txt", context).split())


def notifications_mark_read(*, member: Member, ids: list[int] | None = None) -> int:
    """Mark the member's notifications read (``ids``: only those, of theirs); returns how many changed."""
    unread = Notification.objects.filter(member=member, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
