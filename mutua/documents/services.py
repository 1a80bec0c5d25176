"""Accepting a file from a member: checked by its content, cleaned, stored under a random name."""

import hashlib
import io
import re
import struct
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

import filetype
import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from mutua.accounts.models import User
from mutua.contracts.models import Member
from mutua.documents.imaging import perceptual_hash, sharpness
from mutua.documents.models import Document
from mutua.documents.ocr import document_text
from mutua.documents.pdfs import PdfTooComplexError, pdf_without_active_content
from mutua.documents.proposals import receipt_proposals

ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

# Below this many pixels on the short side, the small print of a receipt is hard to read.
MIN_READABLE_SIDE = 600
# Sharpness (see ``imaging.sharpness``) below which a picture is likely too blurred to read. A generated
# receipt measures ~10,000 sharp and ~2,700 photographed again. Gaussian blur of radius 2.5 px (at 1000 px)
# gives ~40 (~45 once saved as JPEG), still read whole by tesseract; radius 3 gives ~17 (~21 as JPEG),
# where commas start to go missing in the amounts it reads; radius 4 gives ~5 and nothing is read.
MIN_SHARPNESS = 25.0
# The text kept from OCR: a receipt or an invoice page is far shorter.
MAX_OCR_TEXT = 20_000


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


def _quality_warnings(image: Image.Image) -> tuple[str, ...]:
    """What may make the picture hard to read: it is accepted, but the member may want to take it again."""
    width, height = image.size
    if min(width, height) < MIN_READABLE_SIDE:
        return (
            _(
                "This picture is small (%(width)s × %(height)s pixels) and may be hard to read: "
                "if you can, take it again closer, filling the frame with the document."
            )
            % {"width": width, "height": height},
        )
    if sharpness(image) < MIN_SHARPNESS:
        return (_("This picture may be too blurred to read: take it again in good light, holding the phone still."),)
    return ()


def _too_large() -> ValidationError:
    return ValidationError(
        _("This picture is too large: at most %(limit)s million pixels are accepted. Send a smaller photo."),
        params={"limit": f"{settings.DOCUMENT_MAX_PIXELS / 1_000_000:g}"},
        code="too_many_pixels",
    )


def _clean_image(data: bytes, content_type: str) -> tuple[bytes, tuple[str, ...]]:
    """Re-encode the picture: drops EXIF (GPS…) and any trailing payload, applies the orientation.

    Also returns the warnings about how readable it is.
    """
    try:
        with _truncated_images_refused(), Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > settings.DOCUMENT_MAX_PIXELS:
                raise _too_large()
            image.load()
            image = ImageOps.exif_transpose(image)
            image.info.clear()  # comments, ICC, XMP…: only the pixels are kept
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                image.save(out, format="PNG")
            return out.getvalue(), _quality_warnings(image)
    except Image.DecompressionBombError as error:
        # Pillow refuses, as it opens it, a picture far beyond our own limit (hundreds of megapixels).
        raise _too_large() from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error) as error:
        raise ValidationError(_("This picture cannot be read."), code="unreadable") from error


def _clean_pdf(data: bytes) -> bytes:
    """Rewrite the PDF with its pages only: no JavaScript, actions, attachments or trailing payload."""
    try:
        return pdf_without_active_content(data)
    except pikepdf.PasswordError as error:
        raise ValidationError(
            _("This PDF is protected by a password: send it without the password."), code="encrypted"
        ) from error
    except PdfTooComplexError as error:
        raise ValidationError(
            _("This PDF is too complex to check: print it again as a new PDF, or send a photo of its pages."),
            code="too_complex",
        ) from error
    except (pikepdf.PdfError, ValueError) as error:
        raise ValidationError(
            _("This PDF cannot be read: save or scan it again as a PDF, or send a photo."), code="unreadable"
        ) from error


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to be stored."""

    data: bytes
    content_type: str
    display_name: str
    # Reasons the picture may be hard to read (translated): shown to the member, the file is still accepted.
    warnings: tuple[str, ...] = ()


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
    warnings: tuple[str, ...] = ()
    if kind.mime == "application/pdf":
        data = _clean_pdf(data)
    else:
        data, warnings = _clean_image(data, kind.mime)
    return CheckedFile(data, kind.mime, _display_name(upload.name or "", ALLOWED_TYPES[kind.mime]), warnings)


def document_store(*, member: Member, checked: CheckedFile, kind: Document.Kind, by: User) -> Document:
    """Store a checked file (see ``document_check``), inside the caller's transaction.

    Its SHA-256 and perceptual hash are recorded for ``document_possible_duplicates``.
    """
    document = Document(
        member=member,
        kind=kind,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        phash=perceptual_hash(checked.data, checked.content_type),
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    document.file.save("upload", ContentFile(checked.data), save=False)
    document.save()
    return document


def document_ocr(*, document_id: UUID | str) -> Document | None:
    """Read the document with OCR and record its text and the amounts and dates it proposes.

    Slow (seconds): run it from the background task (``document_ocr_queue``), never in a request.
    No transaction or lock is held while tesseract reads. None if the document is gone meanwhile.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return None
    with document.file.open("rb") as file:
        data = file.read()
    text = document_text(data, document.content_type)[:MAX_OCR_TEXT]
    proposals = receipt_proposals(text, today=timezone.localdate())
    read = {
        "ocr_text": text,
        "ocr_amounts": [str(amount) for amount in proposals.amounts],
        "ocr_dates": [when.isoformat() for when in proposals.dates],
        "ocr_done_at": timezone.now(),
    }
    if not Document.objects.filter(pk=document.pk).update(**read):
        return None
    for field, value in read.items():
        setattr(document, field, value)
    return document


def document_ocr_queue(*, document: Document) -> None:
    """Have the document read by OCR in the background once the current transaction has committed."""
    from mutua.documents.tasks import read_document

    document_id = str(document.pk)
    transaction.on_commit(lambda: read_document.enqueue(document_id=document_id))
