"""The member's claims: start, add care items, review and send, then follow."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.benefits.models import Claim
from mutua.claims import services
from mutua.claims.forms import ClaimItemForm, ClaimStartForm, ClaimSubmitForm
from mutua.claims.required_documents import documents_by_section, glasses_prescription, lenses_prescription
from mutua.claims.selectors import (
    benefit_choices,
    claim_coverage,
    claim_for_member,
    claim_people,
    claims_for_member,
    claims_suspension_active,
    items_for_display,
    person_birth_date,
    statements_for_member,
)
from mutua.contracts.cover import subscriber_coverage_on
from mutua.contracts.rules import age_on
from mutua.core.permissions import member_required
from mutua.quotes.selectors import claim_item_initial


def _own_claim(request: HttpRequest, claim_id: int) -> Claim:
    claim = claim_for_member(member=request.user.member, claim_id=claim_id)
    if claim is None:
        raise Http404
    return claim


@member_required
def claim_list_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    return render(
        request,
        "claims/claim_list.html",
        {"claims": claims_for_member(member=member), "suspension": claims_suspension_active(member=member)},
    )


@member_required
def claim_start_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    form = ClaimStartForm(request.POST or None, people=claim_people(member=member))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        beneficiary = member.beneficiaries.filter(pk=person).first() if person else None
        try:
            claim = services.claim_create(member=member, beneficiary=beneficiary, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "claims/claim_start.html", {"form": form})


def _item_form(request: HttpRequest, claim: Claim) -> ClaimItemForm:
    coverage = subscriber_coverage_on(member=claim.member, day=timezone.localdate())
    benefits = benefit_choices(plan_code=coverage.plan_code or "fr-base-surco", language=get_language())
    # A claim started from a quote proposes the quote's next line (mutua/quotes).
    initial = claim_item_initial(claim=claim)
    return ClaimItemForm(request.POST or None, request.FILES or None, benefits=benefits, initial=initial)


@member_required
def claim_detail_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    if claim.status != Claim.Status.DRAFT:
        return render(
            request,
            "claims/claim_tracking.html",
            {"claim": claim, "lines": items_for_display(claim=claim, language=get_language())},
        )
    return _draft_page(request, claim, _item_form(request, claim))


def _draft_page(request: HttpRequest, claim: Claim, form: ClaimItemForm) -> HttpResponse:
    age = age_on(person_birth_date(claim=claim), timezone.localdate())
    return render(
        request,
        "claims/claim_draft.html",
        {
            "claim": claim,
            "lines": items_for_display(claim=claim, language=get_language()),
            "form": form,
            "documents_by_section": documents_by_section(),
            "glasses_prescription": glasses_prescription(age),
            "lenses_prescription": lenses_prescription(age),
            "coverage": claim_coverage(claim=claim, day=timezone.localdate()),
        },
    )


@require_POST
@member_required
def claim_item_add_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    form = _item_form(request, claim)
    if form.is_valid():
        try:
            item = services.claim_item_add(claim=claim, by=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The care item is added."))
            for warning in item.upload_warnings:
                messages.warning(request, warning)
            return redirect("claims:detail", claim_id=claim.pk)
    if request.FILES and not form.has_error("documents"):
        # A browser never fills a file field again: say so, beside it, rather than let it look lost.
        form.add_error(
            "documents", _("Attach your documents again: a page sent back with a problem does not keep them.")
        )
    return _draft_page(request, claim, form)


@require_POST
@member_required
def claim_item_remove_view(request: HttpRequest, claim_id: int, item_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    try:
        services.claim_item_remove(claim=claim, item_id=item_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("claims:detail", claim_id=claim.pk)


@member_required
def claim_summary_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    if claim.status != Claim.Status.DRAFT:
        return redirect("claims:detail", claim_id=claim.pk)
    form = ClaimSubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_submit(claim=claim, by=request.user, terms_accepted=form.cleaned_data["terms"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your claim is sent. You can follow it here."))
            return redirect("claims:detail", claim_id=claim.pk)
    return render(
        request,
        "claims/claim_summary.html",
        {"claim": claim, "lines": items_for_display(claim=claim, language=get_language()), "form": form},
    )


@member_required
def statement_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "claims/statement_list.html", {"statements": statements_for_member(member=request.user.member)}
    )


@member_required
def terms_view(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/terms.html", {"version": settings.CLAIMS_TERMS_VERSION})
