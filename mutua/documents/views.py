from typing import BinaryIO
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from mutua.accounts.models import User
from mutua.core.models import SecurityEvent
from mutua.documents.models import Document
from mutua.documents.selectors import document_for_user


def document_download(*, file: BinaryIO, filename: str, content_type: str) -> FileResponse:
    """Every uploaded document leaves through here (portal, API, medical reports): as a download only.

    The browser never renders it as a page nor runs anything in it, whatever the file holds.
    """
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def document_file_response(*, user: User, document_id: UUID) -> FileResponse:
    """The document as a download, for whoever may read it (portal and API); 404 otherwise. A medical
    document read by the medical advisor is recorded, as the guarantees' and approvals' reports are."""
    document = document_for_user(user=user, document_id=document_id)
    if document is None:
        raise Http404
    if document.kind == Document.Kind.MEDICAL and not user.is_member:
        SecurityEvent.objects.create(
            action=SecurityEvent.Action.MEDICAL_REPORT_READ, target=f"document={document.pk}", by=user
        )
    return document_download(
        file=document.file.open("rb"), filename=document.original_name, content_type=document.content_type
    )


@login_required
def document_download_view(request: HttpRequest, document_id: UUID) -> FileResponse:
    return document_file_response(user=request.user, document_id=document_id)
