"""The medical advisor's side: the queue of requests, one request with its medical report, the decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import Role
from mutua.approvals import selectors, services
from mutua.approvals.forms import ApprovalDecisionForm
from mutua.approvals.models import PriorApproval
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.documents.views import document_download

ADVISOR = [Role.MEDICAL_ADVISOR]
UNPROCESSABLE = 422


@staff_required(ADVISOR)
def approval_queue_view(request: HttpRequest) -> HttpResponse:
    waiting = list(selectors.approvals_waiting())
    for approval in waiting:
        approval.care = selectors.approval_care_label(approval.plan_code, approval.section)
    return render(request, "approvals/backoffice_queue.html", {"approvals": waiting})


def _page(
    request: HttpRequest, approval: PriorApproval, form: ApprovalDecisionForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "approvals/backoffice_approval.html",
        {
            "approval": approval,
            "care": selectors.approval_care_label(approval.plan_code, approval.section),
            "approved_care": selectors.approval_care_label(approval.plan_code, approval.approved_section)
            if approval.approved_section
            else "",
            "form": form,
            "history": status_history(instance=approval).order_by("changed_at", "pk"),
        },
        status=status,
    )


def _approval(approval_id: int) -> PriorApproval:
    return get_object_or_404(PriorApproval.objects.select_related("member", "beneficiary"), pk=approval_id)


@staff_required(ADVISOR)
def approval_view(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = _approval(approval_id)
    form = ApprovalDecisionForm(
        sections=selectors.approval_section_choices(approval.plan_code),
        initial={
            "valid_from": approval.planned_from,
            "valid_to": approval.planned_to,
            "section": approval.section,
            "country": approval.country,
        },
    )
    return _page(request, approval, form)


@require_POST
@staff_required(ADVISOR)
def approval_decide_view(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = _approval(approval_id)
    form = ApprovalDecisionForm(request.POST, sections=selectors.approval_section_choices(approval.plan_code))
    if not form.is_valid():
        return _page(request, approval, form, status=UNPROCESSABLE)
    data = form.cleaned_data
    try:
        services.prior_approval_decide(
            approval=approval,
            by=request.user,
            approve=data["decision"] == "approve",
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            section=data.get("section") or "",
            country=data.get("country") or "",
            refusal_reason=data.get("refusal_reason") or "",
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, approval, form, status=UNPROCESSABLE)
    messages.success(request, _("Decision recorded; the member is notified by e-mail."))
    return redirect("backoffice:approval_queue")


@staff_required(ADVISOR)
def approval_report_view(request: HttpRequest, approval_id: int) -> FileResponse:
    document = services.prior_approval_report_read(approval=_approval(approval_id), by=request.user)
    return document_download(
        file=document.file.open("rb"), filename=document.original_name, content_type=document.content_type
    )
