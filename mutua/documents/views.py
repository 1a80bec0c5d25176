from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from mutua.documents.selectors import document_for_user


@login_required
def document_download_view(request: HttpRequest, document_id: UUID) -> FileResponse:
    document = document_for_user(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
