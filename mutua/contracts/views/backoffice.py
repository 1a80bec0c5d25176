from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, MEMBER_FILE_ROLES
from mutua.contracts import services
from mutua.contracts.cover import beneficiary_coverage_on, subscriber_coverage_on
from mutua.contracts.models import Beneficiary, ChangeRequest, Member, Teletransmission
from mutua.contracts.selectors import change_request_details, household_beneficiaries, household_history, member_find
from mutua.core.countries import country_choices
from mutua.core.permissions import staff_required

HOUSEHOLD_ROLES = MEMBER_FILE_ROLES
DECISION_ROLES = MANAGEMENT_UNIT_ROLES
UNPROCESSABLE = 422


@staff_required(HOUSEHOLD_ROLES)
def member_search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(
        request,
        "contracts/backoffice_member_search.html",
        {"query": query, "results": member_find(query=query)[:50]},
    )


@staff_required(HOUSEHOLD_ROLES)
def household_view(request: HttpRequest, member_id: int) -> HttpResponse:
    return _household_page(request, member_id)


def _household_page(request: HttpRequest, member_id: int, *, status: int = 200) -> HttpResponse:
    """The household's page; ``status`` 422 when it comes back with a message about what was sent."""
    member = get_object_or_404(Member.objects.select_related("contract__employer", "management_unit"), pk=member_id)
    today = timezone.localdate()
    return render(
        request,
        "contracts/backoffice_household.html",
        {
            "member": member,
            "coverage": subscriber_coverage_on(member=member, day=today),
            "beneficiaries": [
                (b, beneficiary_coverage_on(beneficiary=b, day=today)) for b in household_beneficiaries(member=member)
            ],
            "change_requests": [
                (change, change_request_details(change_request=change))
                for change in member.change_requests.prefetch_related("documents")
            ],
            "history": household_history(member=member, others=[(_("Guarantee %(name)s"), member.guarantees.all())]),
            "can_decide": request.user.role in DECISION_ROLES,
            "teletransmission_people": [member, *member.beneficiaries.all()],
            "teletransmission_choices": Teletransmission.choices,
            "countries": country_choices(),
        },
        status=status,
    )


@require_POST
@staff_required(DECISION_ROLES)
def change_request_decide_view(request: HttpRequest, change_request_id: int) -> HttpResponse:
    change = get_object_or_404(ChangeRequest, pk=change_request_id)
    decision = request.POST.get("decision")
    if decision not in {"accept", "refuse"}:  # sent around the page's two buttons
        messages.error(request, _("Choose to accept or to refuse the request."))
        return _household_page(request, change.member_id, status=UNPROCESSABLE)
    try:
        services.change_request_decide(
            change_request=change,
            accept=decision == "accept",
            by=request.user,
            reason=request.POST.get("reason", "")[:2000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded; the member is notified by e-mail."))
    return redirect("backoffice:household", member_id=change.member_id)


@require_POST
@staff_required(DECISION_ROLES)
def optional_cover_view(request: HttpRequest, beneficiary_id: int) -> HttpResponse:
    """Start or end the paid optional cover of a beneficiary, under the contract's rules."""
    beneficiary = get_object_or_404(Beneficiary, pk=beneficiary_id)
    action = request.POST.get("action")
    try:
        day = date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, _("Enter a valid date."))
        return redirect("backoffice:household", member_id=beneficiary.member_id)
    try:
        if action == "start":
            services.beneficiary_optional_cover_start(beneficiary=beneficiary, start=day)
        elif action == "end":
            services.beneficiary_optional_cover_end(beneficiary=beneficiary, end=day)
        else:  # sent around the page's two buttons
            messages.error(request, _("Choose to start or to end the optional cover."))
            return _household_page(request, beneficiary.member_id, status=UNPROCESSABLE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The optional cover is updated."))
    return redirect("backoffice:household", member_id=beneficiary.member_id)


@require_POST
@staff_required(DECISION_ROLES)
def duty_station_view(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=member_id)
    try:
        services.member_duty_station_set(member=member, duty_station=request.POST.get("duty_station", "")[:2])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _household_page(request, member.pk, status=UNPROCESSABLE)
    messages.success(request, _("The duty station is updated."))
    return redirect("backoffice:household", member_id=member.pk)
