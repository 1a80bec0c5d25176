"""One message added to a conversation, by the member or the unit: its text and its attachments checked before
anything is written (the document pipeline sniffs, cleans and limits each file), then written with it."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.conversations.models import Conversation, Message
from mutua.documents.models import Document
from mutua.documents.services import CheckedFile, document_check, document_store

MAX_ATTACHMENTS = 5
MAX_TEXT = 5000


def message_checked(*, text: str, uploads: Sequence[UploadedFile]) -> tuple[str, list[CheckedFile]]:
    """The text stripped and every file checked, or one ValidationError naming every problem: nothing is written
    until all of it is right."""
    text = (text or "").strip()
    problems = []
    if not text:
        problems.append(ValidationError(_("Write your message."), code="empty"))
    elif len(text) > MAX_TEXT:
        problems.append(
            ValidationError(
                _("Your message is %(length)s characters long: the limit is %(limit)s."),
                params={"length": len(text), "limit": MAX_TEXT},
                code="too_long",
            )
        )
    if len(uploads) > MAX_ATTACHMENTS:
        problems.append(
            ValidationError(
                _("Attach at most %(limit)s files to one message (here %(count)s)."),
                params={"limit": MAX_ATTACHMENTS, "count": len(uploads)},
                code="too_many_files",
            )
        )
    checked = []
    for upload in uploads[:MAX_ATTACHMENTS]:
        try:
            checked.append(document_check(upload))
        except ValidationError as error:
            problems.append(
                ValidationError(
                    _("%(file)s: %(problem)s"),
                    params={"file": upload.name, "problem": " ".join(error.messages)},
                    code=error.error_list[0].code,
                )
            )
    if problems:
        raise ValidationError(problems)
    return text, checked


def message_write(
    *,
    conversation: Conversation,
    by: User | None,
    text: str,
    files: Sequence[CheckedFile],
    from_member: bool,
    internal: bool = False,
) -> Message:
    """Write a checked message (``message_checked``) inside the caller's transaction."""
    message = Message.objects.create(
        conversation=conversation, author=by, from_member=from_member, internal=internal, text=text
    )
    if files:
        kind = Document.Kind.MEDICAL if conversation.medical else Document.Kind.OTHER
        documents = [document_store(member=conversation.member, checked=checked, kind=kind, by=by) for checked in files]
        message.attachments.set(documents)
    if not internal:
        conversation.last_message_at = message.created_at or timezone.now()
        conversation.save(update_fields=["last_message_at"])
    return message
