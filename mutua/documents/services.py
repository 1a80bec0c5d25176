"""Accepting a file from a member: checked by its content, cleaned, stored under a random name."""

import hashlib
import io
import re
import struct
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from mutua.accounts.models import User
from mutua.contracts.models import Member
from mutua.documents.models import Document

ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _display_name(raw: str, extension: str) -> str:
    """A harmless name to show: letters, digits, dashes; the extension from the real type."""
    stem = unicodedata.normalize("NFKD", raw.rsplit(".", 1)[0]).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "document"
    return f"{stem}.{extension}"


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    # WeasyPrint turns on Pillow's process-wide tolerance of truncated images; a receipt must be whole.
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _clean_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the picture: drops EXIF (GPS…) and any trailing payload, applies the orientation."""
    try:
        with _truncated_images_refused(), Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > settings.DOCUMENT_MAX_PIXELS:
                raise ValidationError(
                    _("This picture is too large (%(width)s × %(height)s pixels): send a smaller photo."),
                    params={"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                image.save(out, format="PNG")
            return out.getvalue()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        struct.error,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(_("This picture cannot be read."), code="unreadable") from error


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to be stored."""

    data: bytes
    content_type: str
    display_name: str


def document_check(upload: UploadedFile) -> CheckedFile:
    """The file's cleaned bytes and its real type, or a ValidationError that says what is wrong."""
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("This file is too big (%(size)s): the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)},
            code="too_big",
        )
    data = upload.read()
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(_("Only PDF, JPEG and PNG files are accepted."), code="type")
    if kind.mime.startswith("image/"):
        data = _clean_image(data, kind.mime)
    return CheckedFile(data, kind.mime, _display_name(upload.name or "", ALLOWED_TYPES[kind.mime]))


def document_store(*, member: Member, checked: CheckedFile, kind: Document.Kind, by: User) -> Document:
    """Store a checked file (see ``document_check``), inside the caller's transaction."""
    document = Document(
        member=member,
        kind=kind,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    document.file.save("upload", ContentFile(checked.data), save=False)
    document.save()
    return document
