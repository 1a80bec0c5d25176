"""Teletransmission: the AM's statement files, cut into chunks that workers share, and the lines
that could not be paid automatically (the exception queue)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mutua.core.fields import EncryptedTextField
from mutua.core.workflow import Workflow


class CodeSystem(models.TextChoices):
    NGAP = "NGAP", "NGAP"
    CCAM = "CCAM", "CCAM"
    LPP = "LPP", "LPP"


class ActMapping(models.Model):
    """Which benefit of the plan an AM act code is paid under. Administrators edit it.

    ``code`` is an exact code, or a prefix ending in ``*`` for a family of codes (``HBLD*``):
    the longest match wins.
    """

    system = models.CharField(_("code system"), max_length=4, choices=CodeSystem.choices)
    code = models.CharField(_("act code"), max_length=20)
    benefit_code = models.CharField(_("benefit of the plan"), max_length=60)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("act code mapping")
        verbose_name_plural = _("act code mappings")
        ordering = ["system", "code"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="one_mapping_per_code")]

    def __str__(self) -> str:
        return f"{self.system} {self.code} → {self.benefit_code}"


class AmFile(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, being checked")
        REFUSED = "refused", _("Refused")
        PROCESSING = "processing", _("Processing")
        DONE = "done", _("Done")

    WORKFLOW = Workflow(
        transitions={
            Status.RECEIVED: frozenset({Status.REFUSED, Status.PROCESSING}),
            Status.PROCESSING: frozenset({Status.DONE}),
        }
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An upload waits here, encrypted, until a worker has checked it and cut it into chunks.
    staged = models.FileField(upload_to="teletransmission/", blank=True)

    # From the header and the trailer, once the file is accepted.
    file_id = models.CharField(_("file id"), max_length=40, blank=True)
    sender = models.CharField(_("sender"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created at"), null=True, blank=True)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    total_charged = models.DecimalField(_("total charged"), max_digits=14, decimal_places=2, default=0)
    total_br = models.DecimalField(_("total BR"), max_digits=14, decimal_places=2, default=0)
    total_mr = models.DecimalField(_("total paid by the AM"), max_digits=14, decimal_places=2, default=0)
    chunk_count = models.PositiveIntegerField(default=0)

    problems = models.JSONField(default=list, blank=True)  # fileformat.Problem.as_dict(), the first 100
    problem_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The households are told what the file paid in batches, in member order: the last one told so
    # far, so that a worker stopped midway resumes after it; empty once every household is told.
    digests_up_to = models.PositiveIntegerField(null=True, blank=True, default=0)

    class Meta:
        verbose_name = _("AM statement file")
        verbose_name_plural = _("AM statement files")
        ordering = ["-received_at"]
        constraints = [
            # A refused file may be sent again, corrected, under the same id.
            models.UniqueConstraint(
                fields=["file_id"], condition=~Q(status="refused") & ~Q(file_id=""), name="one_file_per_id"
            )
        ]

    def __str__(self) -> str:
        return self.file_id or self.name


class AmChunk(models.Model):
    """A slice of a file's act records that one worker processes in one transaction.

    A chunk never splits an insured's consecutive lines; its records are encrypted (they hold NIRs).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")  # set aside after repeated errors, so that the other chunks go on

    WORKFLOW = Workflow(
        transitions={
            Status.PENDING: frozenset({Status.DONE, Status.FAILED}),
            Status.FAILED: frozenset({Status.PENDING}),  # its cause fixed, back in the queue
        }
    )

    file = models.ForeignKey(AmFile, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_seq = models.PositiveIntegerField()
    line_count = models.PositiveIntegerField()
    records = EncryptedTextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # What the chunk's lines became: {"accepted": n, "review": n, "rejected": n, "exceptions": n, "paid": "0.00"}
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["file", "number"]
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="one_chunk_number_per_file")]
        indexes = [models.Index(fields=["file", "status"])]

    def __str__(self) -> str:
        return f"{self.file} #{self.number}"


class ExceptionReason(models.TextChoices):
    UNKNOWN_INSURED = "unknown_insured", _("no member or beneficiary has this social security number")
    NO_SUCH_PERSON = "no_such_person", _("nobody of this household has this rank and birth date")
    SEVERAL_PERSONS = "several_persons", _("several people have this social security number")
    NOT_COVERED = "not_covered", _("the person was not covered on the date of the care")
    UNMAPPED_ACT = "unmapped_act", _("this act code is not in the mapping table")
    NOT_IN_PLAN = "not_in_plan", _("the plan has no benefit for this act")


class AmException(models.Model):
    """An act line that could not be paid automatically, waiting for a handler."""

    class Status(models.TextChoices):
        OPEN = "open", _("To handle")
        RESOLVED = "resolved", _("Handed to the claims")  # paid, or decided by a handler like any item
        DISMISSED = "dismissed", _("Closed without payment")

    WORKFLOW = Workflow(
        transitions={Status.OPEN: frozenset({Status.RESOLVED, Status.DISMISSED})},
    )

    file = models.ForeignKey(AmFile, on_delete=models.PROTECT, related_name="exceptions")
    seq = models.PositiveIntegerField(_("line"))
    reason = models.CharField(_("reason"), max_length=30, choices=ExceptionReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    record = EncryptedTextField()  # the act record as received, to try it again
    nir_digest = models.CharField(max_length=64, db_index=True)
    care_date = models.DateField(_("date of the care"))
    act = models.CharField(_("act"), max_length=30)
    charged = models.DecimalField(_("amount charged"), max_digits=10, decimal_places=2)
    mr = models.DecimalField(_("paid by the Assurance Maladie"), max_digits=10, decimal_places=2)
    # The household, when the person was found (not covered, act not mapped…).
    member = models.ForeignKey(
        "contracts.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="am_exceptions"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    claim_item = models.ForeignKey(
        "benefits.ClaimItem", on_delete=models.PROTECT, null=True, blank=True, related_name="am_exceptions"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("teletransmission exception")
        verbose_name_plural = _("teletransmission exceptions")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["file", "seq"], name="one_exception_per_line")]

    def __str__(self) -> str:
        return f"{self.file} line {self.seq}"
