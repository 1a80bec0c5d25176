"""The public "I still can't log in" form: its messages land in the management unit's one inbox, as conversations
of their own kind (``mutua.conversations``), handled there like every other."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mutua.conversations.messages import message_checked, message_write
from mutua.conversations.models import Conversation
from mutua.core.quotas import quota_take
from mutua.notifications.services import notification_send

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
) -> Conversation:
    """File a message in the unit's inbox, and acknowledge it to the sender.

    The form is public: a few messages per hour per e-mail and per network address, so that nobody can use it to
    flood the inbox or someone else's mailbox. Nothing the sender types identifies a member: the member number is
    kept as written, for the handler to check, and the conversation belongs to no household.
    """
    if not (
        quota_take(key=f"contact-email:{email.casefold()}", limit=CONTACTS_PER_HOUR_PER_EMAIL, seconds=3600)
        and quota_take(key=f"contact-address:{sender_address}", limit=CONTACTS_PER_HOUR_PER_ADDRESS, seconds=3600)
    ):
        raise ValidationError(
            _("You have already sent several messages. Please wait an hour, or call your management unit."),
            code="quota",
        )
    text, _files = message_checked(text=message, uploads=())
    with translation.override(settings.LANGUAGE_CODE):  # the subject is the unit's, in the unit's language
        subject = _("Sign-in help: %(name)s") % {"name": name}
    conversation = Conversation(
        kind=Conversation.Kind.CONTACT,
        topic=Conversation.Topic.OTHER,
        subject=subject[:150],
        language=language,
        contact_name=name,
        contact_email=email,
        contact_phone=phone,
        member_number_given=member_number_given,
    )
    conversation.full_clean()
    conversation.save()
    # From nobody the unit knows: not a member's message (no household), not the unit's.
    message_write(conversation=conversation, by=None, text=text, files=(), from_member=False)
    notification_send(
        to=email,
        template="support/email/contact_received",
        context={"reference": conversation.reference},
        language=language,
    )
    if settings.SUPPORT_INBOX_EMAIL:
        notification_send(
            to=settings.SUPPORT_INBOX_EMAIL,
            template="support/email/contact_new",
            context={"reference": conversation.reference},
            language=settings.LANGUAGE_CODE,
            link=reverse("backoffice:conversation", kwargs={"conversation_id": conversation.pk}),
        )
    return conversation
