"""The household's requests for the medical advisor's prior approval of care in a restricted zone.

Scoped to the token's household: another household's request does not exist. The medical report is
sent, never read back here: only the medical advisor reads it.
"""

from datetime import date
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from mutua.api.people import household_person
from mutua.api.schemas import NOT_FOUND, UNPROCESSABLE
from mutua.approvals.models import PriorApproval
from mutua.approvals.selectors import approval_care_label, approval_of_household, approvals_of_household
from mutua.approvals.services import prior_approval_request
from mutua.core.countries import country_name
from mutua.core.ids import MAX_ID

router = Router()


class ApprovalIn(Schema):
    person: str = Field("", description="A person id from GET /people; empty: the subscriber.")
    section: str = Field(max_length=60, description="The care: a section of the plan (inpatient, outpatient…).")
    care_details: str = Field(min_length=1, max_length=300, description="The care planned, in a few words.")
    country: str = Field(pattern=r"^[A-Z]{2}$", description="Where the care will be given (ISO 3166-1 alpha-2).")
    facility: str = Field(min_length=1, max_length=200, description="The hospital or practitioner.")
    planned_from: date
    planned_to: date
    reason: Literal["no_treatment_elsewhere", "life_threatening"]


class ApprovalOut(Schema):
    id: int
    person: str = Field(description="The patient's name.")
    care: str = Field(description="The care asked for, in the request's language.")
    care_details: str
    country: str = Field(description="ISO 3166-1 alpha-2.")
    country_name: str = Field(description="The country in the request's language.")
    facility: str
    planned_from: date
    planned_to: date
    reason: str
    status: Literal["requested", "approved", "refused"]
    status_label: str
    valid_from: date | None = Field(description="Approved: the first day covered.")
    valid_to: date | None = Field(description="Approved: the last day covered.")
    approved_care: str = Field(description="Approved: the care covered, in the request's language.")
    approved_country: str = Field(description="Approved: the country covered (ISO 3166-1 alpha-2).")
    refusal_reason: str


def approval_out(approval: PriorApproval) -> dict[str, object]:
    return {
        "id": approval.pk,
        "person": (approval.beneficiary or approval.member).full_name,
        "care": approval_care_label(approval.plan_code, approval.section),
        "care_details": approval.care_details,
        "country": approval.country,
        "country_name": country_name(approval.country),
        "facility": approval.facility,
        "planned_from": approval.planned_from,
        "planned_to": approval.planned_to,
        "reason": approval.reason,
        "status": approval.status,
        "status_label": str(approval.get_status_display()),
        "valid_from": approval.valid_from,
        "valid_to": approval.valid_to,
        "approved_care": approval_care_label(approval.plan_code, approval.approved_section)
        if approval.approved_section
        else "",
        "approved_country": approval.approved_country,
        "refusal_reason": approval.refusal_reason,
    }


@router.get("/prior-approvals", response=list[ApprovalOut], summary="List the household's prior approval requests")
def approval_list(request: HttpRequest):
    return [approval_out(approval) for approval in approvals_of_household(member=request.auth.user.member)]


@router.post(
    "/prior-approvals",
    response={201: ApprovalOut, **UNPROCESSABLE},
    summary="Ask the medical advisor for a prior approval, with the medical report",
)
def approval_create(request: HttpRequest, data: Form[ApprovalIn], medical_report: File[UploadedFile]):
    """Multipart form: the fields and the medical report (PDF, JPEG or PNG) named ``medical_report``."""
    member = request.auth.user.member
    approval = prior_approval_request(
        member=member,
        beneficiary=household_person(member=member, person=data.person),
        section=data.section,
        care_details=data.care_details,
        country=data.country,
        facility=data.facility,
        planned_from=data.planned_from,
        planned_to=data.planned_to,
        reason=data.reason,
        medical_report=medical_report,
        channel=PriorApproval.Channel.API,
        by=request.auth.user,
    )
    return Status(201, approval_out(approval))


@router.get("/prior-approvals/{approval_id}", response={200: ApprovalOut, **NOT_FOUND}, summary="Read a request")
def approval_read(request: HttpRequest, approval_id: int):
    approval = None
    if 0 < approval_id <= MAX_ID:
        approval = approval_of_household(member=request.auth.user.member, approval_id=approval_id)
    if approval is None:
        raise Http404
    return approval_out(approval)
