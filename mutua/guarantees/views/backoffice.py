"""The management unit's queue of hospital guarantees (nearest deadline first) and each request's
page; the medical advisor's extensions and the medical reports only they may read."""

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, MEMBER_FILE_ROLES, Role
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.documents.services import ALLOWED_TYPES
from mutua.documents.views import document_download
from mutua.guarantees import selectors, services
from mutua.guarantees.forms import AttachForm, ExtensionDecisionForm, NegotiationForm, RefuseForm

MEDICAL_ADVISOR = frozenset({Role.MEDICAL_ADVISOR})


def _time_left(guarantee: object) -> str:
    minutes = int(selectors.time_left(guarantee).total_seconds() // 60)
    if minutes < 0:
        return _("overdue by %(hours)d h %(minutes)02d") % {"hours": -minutes // 60, "minutes": -minutes % 60}
    return _("%(hours)d h %(minutes)02d left") % {"hours": minutes // 60, "minutes": minutes % 60}


@require_GET
@staff_required(MANAGEMENT_UNIT_ROLES)
def queue_view(request: HttpRequest) -> HttpResponse:
    guarantees = list(selectors.review_queue())
    for guarantee in guarantees:
        guarantee.time_left_text = _time_left(guarantee)
        guarantee.overdue = selectors.time_left(guarantee).total_seconds() < 0
        guarantee.reason_texts = [str(services.REVIEW_REASONS.get(r, r)) for r in guarantee.review_reasons]
    return render(request, "guarantees/backoffice_queue.html", {"guarantees": guarantees})


def _page(request: HttpRequest, guarantee_id: int, **forms_given: forms.Form) -> HttpResponse:
    guarantee = selectors.guarantee_for_staff(guarantee_id=guarantee_id)
    if guarantee is None:
        raise Http404
    handler = request.user.role in MANAGEMENT_UNIT_ROLES
    context = {
        "guarantee": guarantee,
        "handler": handler,
        "is_open": guarantee.status in guarantee.OPEN,
        "time_left": _time_left(guarantee) if guarantee.status in guarantee.OPEN else "",
        "reasons": [str(services.REVIEW_REASONS.get(r, r)) for r in guarantee.review_reasons],
        "day_limits": selectors.day_limits(guarantee),
        "history": status_history(instance=guarantee),
        "extensions": guarantee.extensions.select_related("decided_by"),
        "negotiations": guarantee.negotiations.select_related("recorded_by"),
        "negotiation_form": forms_given.get("negotiation_form") or NegotiationForm(),
        "attach_form": forms_given.get("attach_form") or AttachForm(),
        "refuse_form": forms_given.get("refuse_form") or RefuseForm(),
        "is_advisor": request.user.role == Role.MEDICAL_ADVISOR,
    }
    return render(request, "guarantees/backoffice_guarantee.html", context)


@require_GET
@staff_required(MEMBER_FILE_ROLES)
def guarantee_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    return _page(request, guarantee_id)


def _act(request: HttpRequest, guarantee_id: int, form_name: str, form: forms.Form, action, done: str) -> HttpResponse:
    guarantee = selectors.guarantee_for_staff(guarantee_id=guarantee_id)
    if guarantee is None:
        raise Http404
    if form.is_valid():
        try:
            action(guarantee, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect("backoffice:guarantee", guarantee_id=guarantee.pk)
    return _page(request, guarantee_id, **{form_name: form})


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def negotiation_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def record(guarantee, data):
        services.negotiation_record(guarantee=guarantee, by=request.user, **data)

    form = NegotiationForm(request.POST)
    return _act(request, guarantee_id, "negotiation_form", form, record, _("The contact is recorded."))


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def attach_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def attach(guarantee, data):
        services.guarantee_provider_attach(guarantee=guarantee, provider=data["provider"], by=request.user)

    form = AttachForm(request.POST)
    return _act(request, guarantee_id, "attach_form", form, attach, _("The hospital is attached."))


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def issue_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def issue(guarantee, data):
        services.guarantee_issue(guarantee=guarantee, by=request.user)

    form = forms.Form(request.POST)
    return _act(request, guarantee_id, "negotiation_form", form, issue, _("The guarantee is issued and sent."))


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def refuse_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def refuse(guarantee, data):
        services.guarantee_refuse(guarantee=guarantee, by=request.user, reason=data["reason"])

    form = RefuseForm(request.POST)
    return _act(request, guarantee_id, "refuse_form", form, refuse, _("The request is refused."))


@require_GET
@staff_required(MEDICAL_ADVISOR)
def extensions_view(request: HttpRequest) -> HttpResponse:
    return render(request, "guarantees/backoffice_extensions.html", {"extensions": selectors.extensions_pending()})


@staff_required(MEDICAL_ADVISOR)
def extension_view(request: HttpRequest, extension_id: int) -> HttpResponse:
    extension = selectors.extension_get(extension_id=extension_id)
    if extension is None:
        raise Http404
    form = ExtensionDecisionForm(request.POST or None, initial={"until": extension.requested_until})
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_decide(extension=extension, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The decision is sent to the hospital and the member."))
            return redirect("backoffice:guarantee_extensions")
    guarantee = extension.guarantee
    context = {
        "extension": extension,
        "guarantee": guarantee,
        "form": form,
        "reports": guarantee.medical_reports.all(),
        "day_limits": selectors.day_limits(guarantee),
    }
    return render(request, "guarantees/backoffice_extension.html", context)


@require_GET
@staff_required(MEDICAL_ADVISOR)
def medical_report_view(request: HttpRequest, report_id: int) -> FileResponse:
    report = selectors.medical_report_get(report_id=report_id)
    if report is None:
        raise Http404
    content = services.medical_report_read(report=report, by=request.user)
    return document_download(
        file=io.BytesIO(content),
        filename=f"medical-report-{report.pk}.{ALLOWED_TYPES[report.content_type]}",
        content_type=report.content_type,
    )
