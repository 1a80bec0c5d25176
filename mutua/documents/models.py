import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _storage_name(instance: "Document", filename: str) -> str:
    # The name the member gave is never used on disk.
    return f"documents/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file a member sent: stored under a random name, served only through a checked view."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("invoice")
        PRESCRIPTION = "prescription", _("prescription")
        CERTIFICATE = "certificate", _("certificate")
        # A medical certificate or report: only the medical advisor reads it (and the member who sent it).
        MEDICAL = "medical", _("medical document")
        OTHER = "other", _("other supporting document")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey("contracts.Member", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=120)
    file = models.FileField(upload_to=_storage_name, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # 256-bit perceptual hash (hex) of the picture or of a PDF's first page; "" when there is nothing to see.
    phash = models.CharField(max_length=64, blank=True, default="")
    # What OCR read in the background (see ``document_ocr``): proposals for a person to confirm.
    ocr_text = models.TextField(_("text read"), blank=True, default="")
    ocr_amounts = models.JSONField(_("amounts read"), default=list, blank=True)  # "45.00", the likely total first
    ocr_dates = models.JSONField(_("dates read"), default=list, blank=True)  # ISO dates, the likely care date first
    ocr_done_at = models.DateTimeField(_("read on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def ocr_amount_proposals(self) -> list[Decimal]:
        return [Decimal(amount) for amount in self.ocr_amounts]

    @property
    def ocr_date_proposals(self) -> list[date]:
        return [date.fromisoformat(when) for when in self.ocr_dates]
