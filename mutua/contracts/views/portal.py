from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.accounts.views.portal import signed_out_response
from mutua.contracts import services
from mutua.contracts.cover import beneficiary_coverage_on, subscriber_coverage_on
from mutua.contracts.forms import BankDetailsForm, ContactDetailsForm, FamilyChangeForm
from mutua.contracts.models import ChangeRequest
from mutua.contracts.selectors import family_change_kinds, household_beneficiaries, plan_summary
from mutua.core.crypto import mask_identifier
from mutua.core.permissions import member_required


@member_required
def my_contract_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    today: date = timezone.localdate()
    beneficiaries = [
        (beneficiary, beneficiary_coverage_on(beneficiary=beneficiary, day=today))
        for beneficiary in household_beneficiaries(member=member)
    ]
    coverage = subscriber_coverage_on(member=member, day=today)
    plan = (
        plan_summary(plan_code=coverage.plan_code, tiers=coverage.tiers, language=get_language())
        if coverage.plan_code
        else None
    )
    return render(
        request,
        "contracts/my_contract.html",
        {
            "member": member,
            "coverage": coverage,
            "plan": plan,
            "beneficiaries": beneficiaries,
            "management_unit": member.management_unit,
            "change_requests": member.change_requests.all()[:20],
            "family_change_events": ", ".join(
                str(kind.label) for kind in family_change_kinds(member=member, day=today)
            ),
            "today": today,
        },
    )


DOCUMENTS_BY_EVENT = {
    ChangeRequest.Kind.MARRIAGE: gettext_lazy("a copy of the family record book or the marriage certificate"),
    ChangeRequest.Kind.PACS: gettext_lazy("the PACS registration certificate"),
    ChangeRequest.Kind.PARTNERSHIP: gettext_lazy("the official certificate of the registered partnership"),
    ChangeRequest.Kind.COHABITATION: gettext_lazy("a sworn statement of cohabitation and a proof of common address"),
    ChangeRequest.Kind.BIRTH: gettext_lazy("the birth certificate or the family record book"),
    ChangeRequest.Kind.ADOPTION: gettext_lazy("the adoption judgment"),
    ChangeRequest.Kind.DIVORCE: gettext_lazy("the divorce judgment or the certificate dissolving the partnership"),
    ChangeRequest.Kind.DEATH: gettext_lazy("the death certificate"),
}
# A plan that registers partnerships as PACS names the end of one by its French certificate.
DIVORCE_DOCUMENTS_WITH_PACS = gettext_lazy("the divorce judgment or the PACS dissolution certificate")


def _documents_by_event(kinds: tuple[ChangeRequest.Kind, ...]) -> list[tuple[str, str]]:
    return [
        (
            kind.label,
            DIVORCE_DOCUMENTS_WITH_PACS
            if kind == ChangeRequest.Kind.DIVORCE and ChangeRequest.Kind.PACS in kinds
            else DOCUMENTS_BY_EVENT[kind],
        )
        for kind in kinds
    ]


@member_required
def family_change_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    kinds = family_change_kinds(member=member, day=timezone.localdate())
    form = FamilyChangeForm(request.POST or None, request.FILES or None, member=member, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_request_submit(
                member=member,
                kind=ChangeRequest.Kind(form.cleaned_data["kind"]),
                event_date=form.cleaned_data["event_date"],
                received_on=timezone.localdate(),
                details=form.details(),
                uploads=form.cleaned_data["documents"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request is sent. If it is accepted, it takes effect on %(date)s.")
                % {"date": date_format(change.effective_date, "SHORT_DATE_FORMAT")},
            )
            return redirect("contracts:my_contract")
    return render(
        request,
        "contracts/family_change.html",
        {"form": form, "documents_by_event": _documents_by_event(kinds)},
    )


@member_required
def contact_details_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    form = ContactDetailsForm(
        request.POST or None, initial={"phone": member.phone, "postal_address": member.postal_address}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_contact_update(member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your contact details are updated."))
            return redirect("contracts:my_contract")
    return render(request, "contracts/contact_details.html", {"form": form})


@member_required
def bank_details_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    plan_code = subscriber_coverage_on(member=member, day=timezone.localdate()).plan_code
    form = BankDetailsForm(
        request.POST or None,
        plan_currency=get_plan(plan_code).currency if plan_code else "EUR",
        language=get_language() or "en",
        initial={"account_currency": member.account_currency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_bank_details_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if error.code == "signed_out":
                return signed_out_response(request, error)
            form.add_error(error.code if error.code in form.fields else None, error)
        else:
            messages.success(request, _("Your bank details are updated. We sent you a confirmation e-mail."))
            return redirect("contracts:my_contract")
    return render(request, "contracts/bank_details.html", {"form": form, "current_iban": mask_identifier(member.iban)})
