"""The hospitals' space: sign in with two factors, then ask for guarantees and send invoices."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from mutua.accounts.forms import LanguageForm, ProviderLoginForm
from mutua.core.permissions import provider_required
from mutua.guarantees.extensions import extension_request
from mutua.guarantees.forms.hospital import (
    ExtensionForm,
    InvoiceForm,
    ProviderEmergencyForm,
    ProviderPlannedForm,
    formset_invoice_costs,
    invoice_formset,
)
from mutua.guarantees.forms.stay import cost_formset
from mutua.guarantees.models import Guarantee
from mutua.guarantees.selectors import guarantee_for_provider, guarantees_for_provider, patient_name, time_left
from mutua.guarantees.settlement import guarantee_settle
from mutua.guarantees.stays import guarantee_plan
from mutua.guarantees.views.portal import guarantee_context, guarantee_pdf_response, issued_message, request_submit


class ProviderLoginView(LoginView):
    form_class = ProviderLoginForm
    template_name = "providers/login.html"
    next_page = reverse_lazy("providers:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(language_form=LanguageForm(), **kwargs)


class ProviderLogoutView(LogoutView):
    next_page = reverse_lazy("providers:login")


def _own(request: HttpRequest, guarantee_id: int) -> Guarantee:
    guarantee = guarantee_for_provider(provider=request.user.provider, guarantee_id=guarantee_id)
    if guarantee is None:
        raise Http404
    return guarantee


@provider_required
def home_view(request: HttpRequest) -> HttpResponse:
    guarantees = list(guarantees_for_provider(provider=request.user.provider))
    for guarantee in guarantees:
        guarantee.patient_name = patient_name(guarantee)
        guarantee.open = guarantee.status in Guarantee.OPEN
        guarantee.overdue = guarantee.open and time_left(guarantee).total_seconds() < 0
    return render(request, "providers/home.html", {"guarantees": guarantees})


def _request(request: HttpRequest, *, kind: str) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    planned = kind == Guarantee.Kind.PLANNED
    form = (ProviderPlannedForm if planned else ProviderEmergencyForm)(post)
    costs = cost_formset(post) if planned else None
    if post is not None:
        data = form.cleaned_data if form.is_valid() else {}
        member, beneficiary = form.patient if data else (None, None)
        guarantee = request_submit(
            request,
            form=form,
            costs=costs,
            member=member,
            beneficiary=beneficiary,
            channel=Guarantee.Channel.PROVIDER,
            kind=kind,
            provider=request.user.provider,
            planned_acts=data.get("planned_acts", ""),
            card_shown=data.get("card_shown", False),
        )
        if guarantee is not None:
            issued_message(request, guarantee)
            return redirect("providers:detail", guarantee_id=guarantee.pk)
    template = "providers/request_form.html" if planned else "providers/emergency_form.html"
    return render(request, template, {"form": form, "costs": costs})


@provider_required
def request_view(request: HttpRequest) -> HttpResponse:
    return _request(request, kind=Guarantee.Kind.PLANNED)


@provider_required
def emergency_view(request: HttpRequest) -> HttpResponse:
    return _request(request, kind=Guarantee.Kind.EMERGENCY)


@provider_required
def detail_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _own(request, guarantee_id)
    return render(
        request,
        "providers/detail.html",
        {**guarantee_context(guarantee), "can_act": guarantee.status == Guarantee.Status.ISSUED},
    )


@provider_required
def pdf_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    return guarantee_pdf_response(_own(request, guarantee_id))


@provider_required
def extension_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _own(request, guarantee_id)
    form = ExtensionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension_request(
                guarantee=guarantee,
                by=request.user,
                until=form.cleaned_data["until"],
                report=form.cleaned_data["report"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The extension is asked for: the medical advisor decides on the report."))
            return redirect("providers:detail", guarantee_id=guarantee.pk)
    return render(request, "providers/extension_form.html", {"guarantee": guarantee, "form": form})


@provider_required
def invoice_view(request: HttpRequest, guarantee_id: int) -> HttpResponse:
    guarantee = _own(request, guarantee_id)
    post = request.POST if request.method == "POST" else None
    form = InvoiceForm(post, request.FILES or None)
    plan = guarantee_plan(guarantee)
    rows = invoice_formset(post, plan=plan, stay_kind=guarantee.stay_kind)
    if post is not None and form.is_valid() and rows.is_valid():
        costs = formset_invoice_costs(rows, plan=plan, stay_kind=guarantee.stay_kind)
        if costs is not None:
            try:
                guarantee_settle(
                    guarantee=guarantee,
                    by=request.user,
                    invoice_number=form.cleaned_data["invoice_number"],
                    invoice=form.cleaned_data["invoice"],
                    report=form.cleaned_data["report"],
                    costs=costs,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The invoice is received: the amounts paid to you are shown below."))
                return redirect(reverse("providers:detail", kwargs={"guarantee_id": guarantee.pk}) + "#settlement")
    return render(request, "providers/invoice_form.html", {"guarantee": guarantee, "form": form, "costs": rows})
