from django.conf import settings
from django.db import transaction

from mutua.accounts.models import User
from mutua.core.emails import email_queue
from mutua.core.workflow import status_change
from mutua.support.models import ContactRequest


@transaction.atomic
def contact_request_create(
    *, name: str, email: str, message: str, language: str, member_number_given: str = "", phone: str = ""
) -> ContactRequest:
    """File a message in the back-office inbox, and acknowledge it to the sender."""
    request = ContactRequest(
        name=name,
        email=email,
        message=message,
        language=language,
        member_number_given=member_number_given,
        phone=phone,
    )
    request.full_clean()
    request.save()
    email_queue(
        to=email,
        template="support/email/contact_received",
        context={"name": name, "reference": request.pk},
        language=language,
    )
    if settings.SUPPORT_INBOX_EMAIL:
        email_queue(
            to=settings.SUPPORT_INBOX_EMAIL,
            template="support/email/contact_new",
            context={"reference": request.pk},
            language=settings.LANGUAGE_CODE,
        )
    return request


def contact_request_set_status(
    *, contact_request: ContactRequest, status: str, by: User, reason: str = ""
) -> ContactRequest:
    return status_change(
        instance=contact_request, workflow=ContactRequest.WORKFLOW, to_status=status, by=by, reason=reason
    )
