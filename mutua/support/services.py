from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.core.emails import email_queue
from mutua.core.quotas import quota_take
from mutua.core.workflow import status_change
from mutua.support.models import ContactRequest

CONTACTS_PER_HOUR_PER_EMAIL = 3
CONTACTS_PER_HOUR_PER_ADDRESS = 10


@transaction.atomic
def contact_request_create(
    *,
    name: str,
    email: str,
    message: str,
    language: str,
    sender_address: str,
    member_number_given: str = "",
    phone: str = "",
) -> ContactRequest:
    """File a message in the back-office inbox, and acknowledge it to the sender.

    The form is public: a few messages per hour per e-mail and per network address, so that
    nobody can use it to flood the inbox or someone else's mailbox.
    """
    if not (
        quota_take(key=f"contact-email:{email.casefold()}", limit=CONTACTS_PER_HOUR_PER_EMAIL, seconds=3600)
        and quota_take(key=f"contact-address:{sender_address}", limit=CONTACTS_PER_HOUR_PER_ADDRESS, seconds=3600)
    ):
        raise ValidationError(
            _("You have already sent several messages. Please wait an hour, or call your management unit."),
            code="quota",
        )
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
        context={"reference": request.pk},
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
