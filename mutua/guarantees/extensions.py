"""Beyond the guaranteed period (seed 000): the hospital sends a medical report, the medical advisor,
and nobody else, reads it and extends the guarantee or not.

Reports are encrypted at rest; every reading is recorded.
"""

from datetime import date, timedelta
from hashlib import sha256

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import Role, User
from mutua.core.crypto import decrypt_bytes, encrypt_bytes
from mutua.core.models import SecurityEvent
from mutua.core.workflow import status_change
from mutua.documents.services import document_check
from mutua.guarantees.access import guarantee_locked, hospital_staff_require, role_require
from mutua.guarantees.models import Extension, Guarantee, MedicalReport
from mutua.guarantees.notices import guarantee_notify
from mutua.guarantees.stays import MAX_STAY_DAYS


def medical_report_store(*, guarantee: Guarantee, upload: UploadedFile, by: User) -> MedicalReport:
    """Store a report the hospital sent; the caller holds the guarantee's lock."""
    checked = document_check(upload)  # size, real type sniffed, pictures re-encoded, PDFs rewritten: nothing runs
    return MedicalReport.objects.create(
        guarantee=guarantee,
        content=encrypt_bytes(checked.data),
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=sha256(checked.data).hexdigest(),
        uploaded_by=by,
    )


def extension_request(*, guarantee: Guarantee, by: User, until: date, report: UploadedFile) -> Extension:
    """Beyond the guaranteed period the hospital sends a medical report for the medical advisor."""
    hospital_staff_require(guarantee, by)
    with transaction.atomic():
        guarantee = guarantee_locked(guarantee)
        if guarantee.status != Guarantee.Status.ISSUED:
            raise ValidationError(_("Only an issued guarantee can be extended."), code="not_issued")
        if not guarantee.valid_until < until <= guarantee.valid_until + timedelta(days=MAX_STAY_DAYS):
            raise ValidationError(
                _("Ask for days after %(date)s, within a year."),
                params={"date": guarantee.valid_until.strftime("%d/%m/%Y")},
                code="until",
            )
        stored = medical_report_store(guarantee=guarantee, upload=report, by=by)
        extension = Extension.objects.create(guarantee=guarantee, report=stored, requested_until=until, requested_by=by)
        status_change(
            instance=guarantee,
            workflow=Guarantee.WORKFLOW,
            to_status=Guarantee.Status.EXTENSION_REQUESTED,
            by=by,
            reason=_("until %(date)s") % {"date": until.strftime("%d/%m/%Y")},
        )
    return extension


def extension_decide(
    *, extension: Extension, by: User, grant: bool, until: date | None = None, answer: str = ""
) -> Extension:
    """The medical advisor, and nobody else, extends the guarantee (up to the days asked) or not."""
    role_require(by, frozenset({Role.MEDICAL_ADVISOR}))
    if not answer.strip():
        raise ValidationError(_("Write the answer for the hospital (no medical details)."), code="answer")
    with transaction.atomic():
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        guarantee = guarantee_locked(extension.guarantee)
        if extension.decision != Extension.Decision.PENDING:
            raise ValidationError(_("This extension is already decided."), code="decided")
        if grant:
            until = until or extension.requested_until
            if not guarantee.valid_until < until <= extension.requested_until:
                raise ValidationError(
                    _("Grant days after %(start)s and at most until %(end)s."),
                    params={
                        "start": guarantee.valid_until.strftime("%d/%m/%Y"),
                        "end": extension.requested_until.strftime("%d/%m/%Y"),
                    },
                    code="until",
                )
            extension.granted_until = until
            guarantee.valid_until = until
            guarantee.form = Guarantee.Form.GUARANTEE_OF_PAYMENT
            guarantee.save(update_fields=["valid_until", "form"])
        extension.decision = Extension.Decision.GRANTED if grant else Extension.Decision.REFUSED
        extension.answer, extension.decided_by, extension.decided_at = answer.strip(), by, timezone.now()
        extension.save()
        status_change(
            instance=guarantee,
            workflow=Guarantee.WORKFLOW,
            to_status=Guarantee.Status.ISSUED,
            by=by,
            reason=_("extension %(decision)s") % {"decision": extension.get_decision_display()},
        )
        event = "extension_granted" if grant else "extension_refused"
        guarantee_notify(
            guarantee, event, valid_until=guarantee.valid_until.strftime("%d/%m/%Y"), answer=extension.answer
        )
    return extension


def medical_report_read(*, report: MedicalReport, by: User) -> bytes:
    """The report in clear, for the medical advisor only; every reading is recorded."""
    role_require(by, frozenset({Role.MEDICAL_ADVISOR}))
    SecurityEvent.objects.create(
        action=SecurityEvent.Action.MEDICAL_REPORT_READ,
        target=f"guarantee={report.guarantee_id} report={report.pk}",
        by=by,
    )
    return decrypt_bytes(bytes(report.content))
