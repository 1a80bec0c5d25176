from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from mutua.accounts.models import User
from mutua.documents.selectors import document_for_user


def document_file_response(*, user: User, document_id: UUID) -> FileResponse:
    """The document as a download, for whoever may read it (portal and API); 404 otherwise."""
    document = document_for_user(user=user, document_id=document_id)
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Never rendered by the browser as a page, whatever the file holds.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def document_download_view(request: HttpRequest, document_id: UUID) -> FileResponse:
    return document_file_response(user=request.user, document_id=document_id)
