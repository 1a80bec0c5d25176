"""The member's hospital guarantees: ask before a planned stay, notify an emergency, follow, download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mutua.core.permissions import member_required
from mutua.core.selectors import status_history
from mutua.guarantees import selectors
from mutua.guarantees.forms.portal import MemberEmergencyForm, MemberPlannedForm
from mutua.guarantees.forms.stay import cost_formset, formset_costs
from mutua.guarantees.models import Guarantee
from mutua.guarantees.pdf import guarantee_pdf
from mutua.guarantees.requests import guarantee_request
from mutua.guarantees.selectors import day_limits, guarantee_for_member, guarantees_for_member
from mutua.guarantees.stays import person_plan


def guarantee_context(guarantee: Guarantee) -> dict[str, object]:
    """What the member and the hospital both see of a guarantee (never the medical reports)."""
    return {
        "guarantee": guarantee,
        "patient": selectors.patient_name(guarantee),
        "history": status_history(instance=guarantee).order_by("changed_at", "pk"),
        "cost_lines": selectors.cost_lines(guarantee),
        "day_limits": day_limits(guarantee),
        "national_scheme": selectors.national_scheme(guarantee),
        "extensions": guarantee.extensions.all(),
        "settlement": selectors.settlement(guarantee),
        "has_pdf": guarantee.was_issued,
    }


def guarantee_pdf_response(guarantee: Guarantee) -> HttpResponse:
    if not guarantee.was_issued:
        raise Http404
    response = HttpResponse(guarantee_pdf(guarantee=guarantee, language=get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{guarantee.reference}.pdf"'
    return response


def request_submit(
    request: HttpRequest, *, form: Form, costs: BaseFormSet | None, **arguments: object
) -> Guarantee | None:
    """Send the request to the service once the form (and the costs) are valid; its errors go on the form."""
    costs_valid = costs is None or costs.is_valid()
    if not (form.is_valid() and costs_valid):
        return None
    data = form.cleaned_data
    typed = []
    # The costs as the patient's plan lists them; without such a plan the service says why it refuses.
    plan = person_plan(member=arguments["member"], beneficiary=arguments["beneficiary"], on=data["admission_date"])
    if costs is not None and plan is not None:
        typed = formset_costs(costs, plan=plan, stay_kind=data["stay_kind"])
        if typed is None:
            return None
    try:
        return guarantee_request(
            by=request.user,
            stay_kind=data["stay_kind"],
            admission_date=data["admission_date"],
            expected_discharge=data["expected_discharge"],
            costs=typed,
            **arguments,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def issued_message(request: HttpRequest, guarantee: Guarantee) -> None:
    if guarantee.status == Guarantee.Status.ISSUED:
        messages.success(request, _("The guarantee %(reference)s is issued.") % {"reference": guarantee.reference})
    else:
        messages.success(
            request,
            _("The request %(reference)s is received: the management unit answers it before the deadline shown.")
            % {"reference": guarantee.reference},
        )


def _own(request: HttpRequest, guarantee_id: int) -> Guarantee:
    guarantee = guarantee_for_member(member=request.user.member, guarantee_id=guarantee_id)
    if guarantee is None:
        raise Http404
    return guarantee


@member_required
def guarantee_list_view(request: HttpRequest) -> HttpResponse:
    guarantees = list(guarantees_for_member(member=request.user.member))
    for guarantee in guarantees:
        guarantee.patient_name = selectors.patient_name(guarantee)
    return render(request, "guarantees/list.html", {"guarantees": guarantees})


@member_required
def guarantee_request_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    post = request.POST if request.method == "POST" else None
    form = MemberPlannedForm(post, member=member)
    costs = cost_formset(post, plan=person_plan(member=member, beneficiary=None, on=timezone.localdate()))
    if post is not None:
        data = form.cleaned_data if form.is_valid() else {}
        guarantee = request_submit(
            request,
            form=form,
            costs=costs,
            member=member,
            beneficiary=form.beneficiary() if data else None,
            channel=Guarantee.Channel.PORTAL,
            kind=Guarantee.Kind.PLANNED,
            provider=data.get("provider"),
            hospital_name=data.get("hospital_name", ""),
            hospital_phone=data.get("hospital_phone", ""),
            planned_acts=data.get("planned_acts", ""),
        )
        if guarantee is not None:
            issued_message(request, guarantee)
            return redirect("guarantees:detail", guarantee_id=guarantee.pk)
    return render(request, "guarantees/request_form.html", {"form": form, "costs": costs})


@member_required
def guarantee_emergency_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    post = request.POST if request.method == "POST" else None
    form = MemberEmergencyForm(post, member=member)
    if post is not None:
        data = form.cleaned_data if form.is_valid() else {}
        guarantee = request_submit(
            request,
            form=form,
            costs=None,
            member=member,
            beneficiary=form.beneficiary() if data else None,
            channel=Guarantee.Channel.PORTAL,
            kind=Guarantee.Kind.EMERGENCY,
            provider=data.get("provider"),
            hospital_name=data.get("hospital_name", ""),
            hospital_phone=data.get("hospital_phone", ""),
            card_shown=data.get("card_shown", False),
            notifier_name=data.get("notifier_name", ""),
            notifier_phone=data.get("notifier_phone", ""),
        )
        if guarantee is not None:
            issued_message(request, guarantee)
            return redirect("guarantees:detail", guarantee_id=guarantee.pk)
    plan = person_plan(member=member, beneficiary=None, on=timezone.localdate())
    return render(request, "guarantees/emergency_form.html", {"form": form, "rules": plan.hospital if plan else None})


@member_required
def guarantee_detail_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    return render(request, "guarantees/detail.html", guarantee_context(_own(request, guarantee_id)))


@member_required
def guarantee_pdf_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    return guarantee_pdf_response(_own(request, guarantee_id))
