from uuid import UUID

from mutua.accounts.models import Role, User
from mutua.documents.imaging import hash_distance
from mutua.documents.models import Document

# Staff who read members' supporting documents. Finance pays, it does not read them.
DOCUMENT_READERS = frozenset({Role.CLAIMS_HANDLER, Role.MEDICAL_ADVISOR, Role.ADMINISTRATOR})


def document_for_user(*, user: User, document_id: UUID) -> Document | None:
    """The document if this user may read it; None whether it is missing or forbidden.

    Medical documents are for the medical advisor alone among the staff."""
    documents = Document.objects.select_related("member")
    if user.is_member:
        documents = documents.filter(member=user.member)
    elif not (user.role in DOCUMENT_READERS and user.is_verified()):
        return None
    elif user.role != Role.MEDICAL_ADVISOR:
        documents = documents.exclude(kind=Document.Kind.MEDICAL)
    return documents.filter(pk=document_id).first()


# Perceptual hashes (256 bits) this close are the same picture. Tuned in tests/test_duplicates.py: the same
# receipt photographed again (other size, turned a few degrees, lighter, re-encoded) stays within ~6 bits once
# straightened and cropped; a different receipt of the same shop, laid out alike, is 40 or more bits away.
PHASH_MAX_DISTANCE = 20


def document_possible_duplicates(*, document: Document) -> list[Document]:
    """Earlier documents of the same household with the same bytes or the same picture, closest first.

    Same bytes (SHA-256) first, then by perceptual-hash distance, then the most recent.
    """
    earlier = Document.objects.filter(member_id=document.member_id, uploaded_at__lt=document.uploaded_at).exclude(
        pk=document.pk
    )
    distances = {pk: -1 for pk in earlier.filter(sha256=document.sha256).values_list("pk", flat=True)}
    if document.phash:
        for pk, phash in earlier.exclude(phash="").exclude(pk__in=distances).values_list("pk", "phash"):
            distance = hash_distance(document.phash, phash)
            if distance <= PHASH_MAX_DISTANCE:
                distances[pk] = distance
    if not distances:
        return []
    found = Document.objects.filter(pk__in=distances)
    return sorted(found, key=lambda other: (distances[other.pk], -other.uploaded_at.timestamp()))
