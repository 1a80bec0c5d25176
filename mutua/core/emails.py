"""E-mails: rendered in the recipient's language, plain text and HTML, sent by the worker."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def email_send(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` and send."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], from_email=settings.DEFAULT_FROM_EMAIL)
    message.attach_alternative(html, "text/html")
    message.send()


def email_queue(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    """Send from the background worker once the current transaction has committed.

    ``context`` must be JSON-serialisable: it travels through the task queue.
    """
    from mutua.core.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(to=to, template=template, context=context, language=language))
