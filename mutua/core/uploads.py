from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class RequestSizeLimitHandler(FileUploadHandler):
    """Stops reading a request as soon as it is larger than any legitimate upload.

    Django would otherwise stream a file of any size to disk before a form could refuse it.
    """

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.received = 0
        if content_length > settings.MAX_UPLOAD_REQUEST_BYTES:
            raise RequestDataTooBig("upload larger than MAX_UPLOAD_REQUEST_BYTES")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_REQUEST_BYTES:
            raise RequestDataTooBig("upload larger than MAX_UPLOAD_REQUEST_BYTES")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Keeps an upload in memory whatever its size (bounded by ``RequestSizeLimitHandler``)."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


def uploads_in_memory(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Files sent to this view never reach the disk in clear (they hold identifiers such as NIRs).

    The upload handlers must be set before the CSRF check reads the request body: the CSRF check
    is therefore done here, after them.
    """

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [RequestSizeLimitHandler(request), MemoryOnlyUploadHandler(request)]
        return csrf_protect(view)(request, *args, **kwargs)

    return wrapped
