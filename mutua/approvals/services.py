"""Writes of prior approvals: the request (member, API or hospital), the medical advisor's decision, and
each reading of the medical report. Each service checks everything first, then writes in one transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.accounts.models import Role, User
from mutua.approvals.models import PriorApproval
from mutua.approvals.selectors import approval_care_label
from mutua.contracts.cover import beneficiary_coverage_on, subscriber_coverage_on
from mutua.contracts.models import Beneficiary, Member
from mutua.core.countries import country_code_clean, country_name
from mutua.core.models import SecurityEvent
from mutua.core.workflow import status_change
from mutua.documents.models import Document
from mutua.documents.services import document_check, document_store
from mutua.notifications.services import notification_send

DECIDERS = frozenset({Role.MEDICAL_ADVISOR})
MAX_TEXT = 2000


def _advisor_require(user: User) -> None:
    if user.role not in DECIDERS:
        raise PermissionDenied


def _plan_code(member: Member, beneficiary: Beneficiary | None, day: date) -> str:
    coverage = (
        beneficiary_coverage_on(beneficiary=beneficiary, day=day)
        if beneficiary
        else subscriber_coverage_on(member=member, day=day)
    )
    if not coverage.covered or not coverage.plan_code:
        raise ValidationError(_("This person is not covered on the planned date."), code="not_covered")
    if get_plan(coverage.plan_code).zones is None:
        raise ValidationError(_("This plan covers care everywhere: no prior approval is needed."), code="no_zones")
    return coverage.plan_code


def _dates_check(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(_("The end cannot be before the start."), code="dates")


def prior_approval_request(
    *,
    member: Member,
    beneficiary: Beneficiary | None,
    section: str,
    care_details: str,
    country: str,
    facility: str,
    planned_from: date,
    planned_to: date,
    reason: str,
    medical_report: UploadedFile,
    channel: str,
    by: User,
) -> PriorApproval:
    """Ask the medical advisor to approve care in a restricted zone, with the medical report."""
    if beneficiary is not None and beneficiary.member_id != member.pk:
        raise ValidationError(_("Choose the person among your household."), code="person")
    _dates_check(planned_from, planned_to)
    plan_code = _plan_code(member, beneficiary, planned_from)
    if section not in get_plan(plan_code).sections:
        raise ValidationError(_("Choose the care in the list."), code="section")
    if reason not in PriorApproval.Reason.values:
        raise ValidationError(_("Choose the reason in the list."), code="reason")
    if not facility.strip() or not care_details.strip():
        raise ValidationError(_("Name the care and where it will be given."), code="required")
    clean_country = country_code_clean(country)
    checked = document_check(medical_report)
    stored: Document | None = None
    try:
        with transaction.atomic():
            stored = document_store(member=member, checked=checked, kind=Document.Kind.MEDICAL, by=by)
            return PriorApproval.objects.create(
                member=member,
                beneficiary=beneficiary,
                plan_code=plan_code,
                section=section,
                care_details=care_details.strip()[:300],
                country=clean_country,
                facility=facility.strip()[:200],
                planned_from=planned_from,
                planned_to=planned_to,
                reason=reason,
                medical_report=stored,
                channel=channel,
                requested_by=by,
            )
    except Exception:
        if stored is not None:  # the row is rolled back; the file written meanwhile must go too
            stored.file.delete(save=False)
        raise


def prior_approval_decide(
    *,
    approval: PriorApproval,
    by: User,
    approve: bool,
    valid_from: date | None = None,
    valid_to: date | None = None,
    section: str = "",
    country: str = "",
    refusal_reason: str = "",
) -> PriorApproval:
    """The medical advisor approves (for these dates, this care and this country) or refuses with a reason;
    the member is told by e-mail."""
    _advisor_require(by)
    if approve:
        if valid_from is None or valid_to is None:
            raise ValidationError(_("Give the dates the approval is valid."), code="dates")
        _dates_check(valid_from, valid_to)
        if section not in get_plan(approval.plan_code).sections:
            raise ValidationError(_("Choose the care in the list."), code="section")
        fields = {
            "valid_from": valid_from,
            "valid_to": valid_to,
            "approved_section": section,
            "approved_country": country_code_clean(country),
        }
        target = PriorApproval.Status.APPROVED
    else:
        if not refusal_reason.strip():
            raise ValidationError(_("Give the reason for the refusal."), code="reason_required")
        fields = {"refusal_reason": refusal_reason.strip()[:MAX_TEXT]}
        target = PriorApproval.Status.REFUSED
    with transaction.atomic():
        decided = status_change(
            instance=approval,
            workflow=PriorApproval.WORKFLOW,
            to_status=target,
            by=by,
            reason=fields.get("refusal_reason", ""),
        )
        for name, value in fields.items():
            setattr(decided, name, value)
        decided.decided_by, decided.decided_at = by, timezone.now()
        decided.save(update_fields=[*fields, "decided_by", "decided_at"])
        _notify(decided)
    return decided


def _notify(approval: PriorApproval) -> None:
    member = approval.member
    language = member.preferred_language
    with translation.override(language):
        context = {
            "first_name": member.first_name,
            "approved": approval.status == PriorApproval.Status.APPROVED,
            "care": approval_care_label(approval.plan_code, approval.approved_section or approval.section, language),
            "country": country_name(approval.approved_country or approval.country, language),
            "valid_from": date_format(approval.valid_from, "SHORT_DATE_FORMAT") if approval.valid_from else "",
            "valid_to": date_format(approval.valid_to, "SHORT_DATE_FORMAT") if approval.valid_to else "",
            "reason": approval.refusal_reason,
            "approval_id": approval.pk,
        }
    notification_send(
        to=member.email,
        member=member,
        link=reverse("approvals:detail", args=[approval.pk]),
        template="approvals/email/decided",
        context=context,
        language=language,
    )


def prior_approval_report_read(*, approval: PriorApproval, by: User) -> Document:
    """The medical report, for the medical advisor only; every reading is recorded."""
    _advisor_require(by)
    SecurityEvent.objects.create(
        action=SecurityEvent.Action.MEDICAL_REPORT_READ,
        target=f"prior_approval={approval.pk} document={approval.medical_report_id}",
        by=by,
    )
    return approval.medical_report
