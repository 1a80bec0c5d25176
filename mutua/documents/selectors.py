from uuid import UUID

from mutua.accounts.models import Role, User
from mutua.documents.models import Document

# Staff who read members' supporting documents. Finance pays, it does not read them.
DOCUMENT_READERS = frozenset({Role.CLAIMS_HANDLER, Role.MEDICAL_ADVISOR, Role.ADMINISTRATOR})


def document_for_user(*, user: User, document_id: UUID) -> Document | None:
    """The document if this user may read it; None whether it is missing or forbidden."""
    documents = Document.objects.select_related("member")
    if user.is_member:
        documents = documents.filter(member=user.member)
    elif not (user.role in DOCUMENT_READERS and user.is_verified()):
        return None
    return documents.filter(pk=document_id).first()
