"""A hospital asks the medical advisor's prior approval for a patient it names from the member card."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutua.approvals.forms import HospitalApprovalForm
from mutua.approvals.models import PriorApproval
from mutua.approvals.selectors import zone_plans_section_choices
from mutua.approvals.services import prior_approval_request
from mutua.core.permissions import provider_required
from mutua.guarantees.selectors import patient_find

UNPROCESSABLE = 422
PATIENT_NOT_FOUND = gettext_lazy(
    "No patient matches this member number, last name and date of birth. Check them on the member card."
)


@provider_required
def approval_request_view(request: HttpRequest) -> HttpResponse:
    form = HospitalApprovalForm(request.POST or None, request.FILES or None, sections=zone_plans_section_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # One answer for anything that does not match, as for a guarantee: a hospital cannot probe the files.
        patient = patient_find(
            member_number=data["member_number"], last_name=data["last_name"], birth_date=data["birth_date"]
        )
        if patient is None:
            form.add_error(None, str(PATIENT_NOT_FOUND))
        else:
            member, beneficiary = patient
            try:
                prior_approval_request(
                    member=member,
                    beneficiary=beneficiary,
                    **form.request_fields(),
                    channel=PriorApproval.Channel.PROVIDER,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The request is sent to the medical advisor; the patient is told the answer.")
                )
                return redirect("providers:home")
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render(request, "providers/approval_form.html", {"form": form}, status=status)
