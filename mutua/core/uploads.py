from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


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
