"""The management unit's queue of hospital guarantees (nearest deadline first) and each request's
page; the medical advisor's extensions and the medical reports only they may read."""

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, MEMBER_FILE_ROLES, Role
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.documents.services import ALLOWED_TYPES
from mutua.documents.views import document_download
from mutua.guarantees import selectors
from mutua.guarantees.extensions import extension_decide, medical_report_read
from mutua.guarantees.forms.backoffice import (
    AttachForm,
    ExtensionDecisionForm,
    NegotiationForm,
    PhoneEmergencyForm,
    RefuseForm,
)
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import (
    REVIEW_REASONS,
    guarantee_issue,
    guarantee_provider_attach,
    guarantee_refuse,
    guarantee_request,
    negotiation_record,
)
from mutua.providers.forms import ProviderRegisterForm
from mutua.providers.services import provider_register

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
        guarantee.reason_texts = [str(REVIEW_REASONS.get(r, r)) for r in guarantee.review_reasons]
    return render(request, "guarantees/backoffice_queue.html", {"guarantees": guarantees})


def _answers(guarantee: Guarantee) -> list[str]:
    """The answers the page offers for this guarantee, each beside its own form."""
    if guarantee.status not in guarantee.OPEN:
        return []
    if guarantee.provider is None:
        return ["attach", "register", "issue", "refuse"]
    if not guarantee.provider.in_network:
        return ["negotiation", "issue", "refuse"]
    return ["issue", "refuse"]


def _blank_forms(guarantee: Guarantee) -> dict[str, forms.Form]:
    return {
        "attach": AttachForm(),
        # Prefilled from what the member or the hospital typed: the handler completes it from the phone call.
        "register": ProviderRegisterForm(initial={"name": guarantee.hospital_name, "phone": guarantee.hospital_phone}),
        "negotiation": NegotiationForm(),
        "issue": forms.Form(),
        "refuse": RefuseForm(),
    }


def _page(request: HttpRequest, guarantee: Guarantee, **forms_given: forms.Form) -> HttpResponse:
    answers = _answers(guarantee)
    context = {
        "guarantee": guarantee,
        "handler": request.user.role in MANAGEMENT_UNIT_ROLES,
        "answers": answers,
        "time_left": _time_left(guarantee) if guarantee.status in guarantee.OPEN else "",
        "reasons": [str(REVIEW_REASONS.get(r, r)) for r in guarantee.review_reasons],
        "cost_lines": selectors.cost_lines(guarantee),
        "day_limits": selectors.day_limits(guarantee),
        "national_scheme": selectors.national_scheme(guarantee),
        "history": status_history(instance=guarantee),
        "extensions": guarantee.extensions.select_related("decided_by"),
        "negotiations": guarantee.negotiations.select_related("recorded_by"),
        "is_advisor": request.user.role == Role.MEDICAL_ADVISOR,
    }
    for name, blank in _blank_forms(guarantee).items():
        context[f"{name}_form"] = forms_given.get(name, blank)
    return render(request, "guarantees/backoffice_guarantee.html", context)


def _guarantee(guarantee_id: int) -> Guarantee:
    guarantee = selectors.guarantee_for_staff(guarantee_id=guarantee_id)
    if guarantee is None:
        raise Http404
    return guarantee


@staff_required(MANAGEMENT_UNIT_ROLES)
def emergency_view(request: HttpRequest) -> HttpResponse:
    """A handler keys in an emergency admission told by telephone; the rules answer it as any other."""
    form = PhoneEmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member, beneficiary = form.patient
        try:
            guarantee = guarantee_request(
                member=member,
                beneficiary=beneficiary,
                by=request.user,
                channel=Guarantee.Channel.BACKOFFICE,
                kind=Guarantee.Kind.EMERGENCY,
                stay_kind=data["stay_kind"],
                admission_date=data["admission_date"],
                expected_discharge=data["expected_discharge"],
                provider=data["provider"],
                hospital_name=data["hospital_name"],
                hospital_phone=data["hospital_phone"],
                card_shown=data["card_shown"],
                notifier_name=data["notifier_name"],
                notifier_phone=data["notifier_phone"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The admission is recorded as %(reference)s: %(status)s.")
                % {"reference": guarantee.reference, "status": guarantee.get_status_display()},
            )
            return redirect("backoffice:guarantee", guarantee_id=guarantee.pk)
    return render(request, "guarantees/backoffice_emergency.html", {"form": form})


@require_GET
@staff_required(MEMBER_FILE_ROLES)
def guarantee_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    return _page(request, _guarantee(guarantee_id))


def _act(
    request: HttpRequest,
    guarantee_id: int,
    *,
    answer: str,
    form: forms.Form,
    action: Callable[[Guarantee, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run an answer; a refusal, the form's or the service's, is shown beside the answer's button."""
    guarantee = _guarantee(guarantee_id)
    if form.is_valid():
        try:
            action(guarantee, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a service's message about one field goes beside that field
        else:
            messages.success(request, done)
            return redirect("backoffice:guarantee", guarantee_id=guarantee.pk)
        guarantee = _guarantee(guarantee_id)  # as the service found it, answered meanwhile perhaps
    if answer not in _answers(guarantee):
        # The page no longer offers this answer (another handler answered, or attached a hospital, since this
        # page was opened): with no button to show them beside, the messages go at the top of the page.
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("backoffice:guarantee", guarantee_id=guarantee.pk)
    return _page(request, guarantee, **{answer: form})


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def negotiation_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def record(guarantee: Guarantee, data: dict[str, Any]) -> None:
        negotiation_record(guarantee=guarantee, by=request.user, **data)

    form = NegotiationForm(request.POST)
    return _act(
        request, guarantee_id, answer="negotiation", form=form, action=record, done=_("The contact is recorded.")
    )


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def attach_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def attach(guarantee: Guarantee, data: dict[str, Any]) -> None:
        guarantee_provider_attach(guarantee=guarantee, provider=data["provider"], by=request.user)

    form = AttachForm(request.POST)
    return _act(request, guarantee_id, answer="attach", form=form, action=attach, done=_("The hospital is attached."))


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def register_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def register(guarantee: Guarantee, data: dict[str, Any]) -> None:
        # One transaction: a hospital that cannot be attached (the request was answered meanwhile) is not left
        # on file.
        with transaction.atomic():
            provider = provider_register(by=request.user, **data)
            guarantee_provider_attach(guarantee=guarantee, provider=provider, by=request.user)

    form = ProviderRegisterForm(request.POST)
    done = _("The hospital is registered, outside the network, and attached to this request.")
    return _act(request, guarantee_id, answer="register", form=form, action=register, done=done)


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def issue_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def issue(guarantee: Guarantee, data: dict[str, Any]) -> None:
        guarantee_issue(guarantee=guarantee, by=request.user)

    form = forms.Form(request.POST)
    done = _("The guarantee is issued and sent.")
    return _act(request, guarantee_id, answer="issue", form=form, action=issue, done=done)


@require_POST
@staff_required(MANAGEMENT_UNIT_ROLES)
def refuse_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    def refuse(guarantee: Guarantee, data: dict[str, Any]) -> None:
        guarantee_refuse(guarantee=guarantee, by=request.user, reason=data["reason"])

    form = RefuseForm(request.POST)
    return _act(request, guarantee_id, answer="refuse", form=form, action=refuse, done=_("The request is refused."))


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
            extension_decide(extension=extension, by=request.user, **form.cleaned_data)
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
    content = medical_report_read(report=report, by=request.user)
    return document_download(
        file=io.BytesIO(content),
        filename=f"medical-report-{report.pk}.{ALLOWED_TYPES[report.content_type]}",
        content_type=report.content_type,
    )
