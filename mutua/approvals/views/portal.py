"""The member's prior approvals: ask the medical advisor before care in a restricted zone, follow the answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.approvals import selectors, services
from mutua.approvals.forms import ApprovalRequestForm
from mutua.approvals.models import PriorApproval
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.models import Member
from mutua.contracts.selectors import household_beneficiaries
from mutua.core.permissions import member_required
from mutua.core.selectors import status_history

SUBSCRIBER = "m"
UNPROCESSABLE = 422


@member_required
def approval_list_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    plan_code = _plan_code(member)
    return render(
        request,
        "approvals/list.html",
        {
            "approvals": selectors.approvals_of_household(member=member),
            "can_ask": bool(plan_code),
            "zones": selectors.restricted_zone_labels(plan_code) if plan_code else [],
        },
    )


def _plan_code(member: Member) -> str:
    """The member's plan today when it has restricted zones (the only plans a prior approval is for)."""
    code = subscriber_coverage_on(member=member, day=timezone.localdate()).plan_code or ""
    return code if code and get_plan(code).zones is not None else ""


def _people(member: Member) -> list[tuple[str, str]]:
    return [(SUBSCRIBER, member.full_name)] + [
        (str(beneficiary.pk), beneficiary.full_name)
        for beneficiary in household_beneficiaries(member=member)
        if beneficiary.removed_on is None
    ]


@member_required
def approval_request_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    plan_code = _plan_code(member)
    if not plan_code:
        raise Http404
    form = ApprovalRequestForm(
        request.POST or None,
        request.FILES or None,
        people=_people(member),
        sections=selectors.approval_section_choices(plan_code),
        initial={"country": request.GET.get("country", "")[:2].upper()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data["person"]
        try:
            approval = services.prior_approval_request(
                member=member,
                beneficiary=None if person == SUBSCRIBER else member.beneficiaries.filter(pk=person).first(),
                **form.request_fields(),
                channel=PriorApproval.Channel.PORTAL,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request is sent to the medical advisor. You will get an e-mail with the answer.")
            )
            return redirect("approvals:detail", approval_id=approval.pk)
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render(request, "approvals/request_form.html", {"form": form}, status=status)


@member_required
def approval_detail_view(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = selectors.approval_of_household(member=request.user.member, approval_id=approval_id)
    if approval is None:
        raise Http404
    return render(
        request,
        "approvals/detail.html",
        {
            "approval": approval,
            "care": selectors.approval_care_label(approval.plan_code, approval.section),
            "approved_care": selectors.approval_care_label(approval.plan_code, approval.approved_section)
            if approval.approved_section
            else "",
            "history": status_history(instance=approval).order_by("changed_at", "pk"),
        },
    )
