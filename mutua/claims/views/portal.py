"""The member's claims: start, add care items, review and send, then follow."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engine import get_plan
from mutua.benefits.models import Claim
from mutua.claims import services
from mutua.claims.care_groups import CareGroup, group_by_key, group_of, groups_for_plan
from mutua.claims.forms import ClaimStartForm, ClaimSubmitForm
from mutua.claims.item_form import ClaimItemForm
from mutua.claims.online_limit import online_limit_words
from mutua.claims.required_documents import documents_for_care, plan_documents
from mutua.claims.selectors import (
    claim_coverage,
    claim_for_member,
    claim_people,
    claims_for_member,
    claims_suspension_active,
    items_for_display,
    person_birth_date,
    statements_for_member,
)
from mutua.contracts.cover import DEFAULT_PLAN, subscriber_coverage_on
from mutua.contracts.rules import age_on
from mutua.conversations.review_selectors import lines_with_reviews
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
    plan = get_plan(subscriber_coverage_on(member=member, day=timezone.localdate()).plan_code or DEFAULT_PLAN)
    return render(
        request,
        "claims/claim_list.html",
        {
            "claims": claims_for_member(member=member),
            "suspension": claims_suspension_active(member=member),
            # A plan without the French scheme says what it takes by post, and the limit in its own currency.
            "national_scheme": plan.has_national_scheme,
            "by_post": _by_post(plan.code),
            "limit": online_limit_words(currency=plan.currency, on=timezone.localdate()),
        },
    )


def _by_post(plan_code: str) -> list[str]:
    """What the plan takes by post only, by its sections' names (hospital stays, evacuations…)."""
    return [
        section.label.get(get_language() or "en")
        for section in get_plan(plan_code).sections.values()
        if section.by_post
    ]


@member_required
def claim_start_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    # "Start another claim" from a full one comes prefilled: the same person, the same name, the same care.
    initial = {key: request.GET[key] for key in ("name", "person") if key in request.GET}
    form = ClaimStartForm(request.POST or None, people=claim_people(member=member), initial=initial)
    care = request.POST.get("care") or request.GET.get("care") or ""
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        beneficiary = member.beneficiaries.filter(pk=person).first() if person else None
        try:
            claim = services.claim_create(member=member, beneficiary=beneficiary, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = reverse("claims:detail", kwargs={"claim_id": claim.pk})
            if care and group_by_key(_plan_code(claim), care):
                url += "?" + urlencode({"care": care}) + "#add"
            return redirect(url)
    return render(request, "claims/claim_start.html", {"form": form, "care": care})


def _plan_code(claim: Claim) -> str:
    coverage = subscriber_coverage_on(member=claim.member, day=timezone.localdate())
    return coverage.plan_code or DEFAULT_PLAN


def _item_form(request: HttpRequest, claim: Claim, plan_code: str) -> ClaimItemForm | None:
    """The care-item form for the kind of care asked (step 2), or None while it is not chosen (step 1)."""
    if request.method == "POST":
        # The care posted says its group (a post from an older page or a quote too); else the step's own.
        group = group_of(plan_code, request.POST.get("benefit_code")) or group_by_key(
            plan_code, request.POST.get("group")
        )
        return ClaimItemForm(
            request.POST,
            request.FILES or None,
            plan_code=plan_code,
            group=group,
            language=get_language(),
            duty_station=claim.member.duty_station,
        )
    # A claim started from a quote proposes the quote's next line (mutua/quotes).
    initial = claim_item_initial(claim=claim)
    group = group_by_key(plan_code, request.GET.get("care")) or group_of(plan_code, initial.get("benefit_code"))
    if group is None:
        return None
    if initial.get("benefit_code") and group_of(plan_code, initial["benefit_code"]) != group:
        initial = {}  # the member chose another kind of care than the quote's
    return ClaimItemForm(
        plan_code=plan_code,
        group=group,
        language=get_language(),
        duty_station=claim.member.duty_station,
        initial=initial,
    )


@member_required
def claim_detail_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    if claim.status != Claim.Status.DRAFT:
        return render(
            request,
            "claims/claim_tracking.html",
            # The reviews a person made or may make: the conversations' (the page, an interface, reads both).
            {
                "claim": claim,
                "lines": lines_with_reviews(items_for_display(claim=claim, language=get_language()), claim=claim),
            },
        )
    plan_code = _plan_code(claim)
    return _draft_page(request, claim, _item_form(request, claim, plan_code), plan_code=plan_code)


def _draft_page(
    request: HttpRequest,
    claim: Claim,
    form: ClaimItemForm | None,
    *,
    plan_code: str,
    refusal: ValidationError | None = None,
) -> HttpResponse:
    age = age_on(person_birth_date(claim=claim), timezone.localdate())
    group = form.group if form is not None else None
    documents = []
    if form is not None and group is not None:
        am_covered = frozenset(code for code, needed in form.needs.items() if "mr" in needed)
        documents = plan_documents(plan_code=plan_code, codes=group.codes, language=get_language()) or (
            documents_for_care(codes=group.codes, am_covered=am_covered, age=age)
        )
    labels = dict(form.fields["benefit_code"].choices) if form is not None else {}  # type: ignore[attr-defined]
    return render(
        request,
        "claims/claim_draft.html",
        {
            "claim": claim,
            "lines": items_for_display(claim=claim, language=get_language()),
            "items_left": services.claim_items_left(claim),
            "max_items": settings.CLAIMS_MAX_ITEMS,
            "limit": online_limit_words(currency=get_plan(plan_code).currency, on=timezone.localdate()),
            "form": form,
            "group": group,
            "groups": groups_for_plan(plan_code),
            # What the plan takes by post only, by its sections' names (hospital stays, evacuations…).
            "by_post": _by_post(plan_code),
            "national_scheme": get_plan(plan_code).has_national_scheme,
            "documents": [
                {
                    "text": document,
                    # Needed for some of the group's care only: which (the page shows it for those).
                    "codes": " ".join(codes) if len(codes) < len(group.codes) else "",  # type: ignore[union-attr]
                    "cares": ", ".join(str(labels.get(code, code)) for code in codes),
                }
                for document, codes in documents
            ],
            "refusal": refusal,
            "another_claim": _another_claim_url(claim, group),
            "coverage": claim_coverage(claim=claim, day=timezone.localdate()),
        },
    )


def _another_claim_url(claim: Claim, group: CareGroup | None) -> str:
    """Start another claim for the same person, named after this one, for the same kind of care."""
    name = claim.name if len(claim.name) > 95 else f"{claim.name} (2)"
    query = {"person": claim.beneficiary_id or "", "name": name}
    if group is not None:
        query["care"] = group.key
    return reverse("claims:start") + "?" + urlencode(query)


@require_POST
@member_required
def claim_item_add_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    plan_code = _plan_code(claim)
    form = _item_form(request, claim, plan_code)
    assert form is not None
    try:
        # Sent or full already (from another tab): the reason, and nothing written, whatever was typed.
        services.claim_item_room(claim)
    except ValidationError as error:
        return _refused(request, claim, form, error, plan_code=plan_code)
    if form.is_valid():
        try:
            item = services.claim_item_add(claim=claim, by=request.user, **form.service_arguments())
        except ValidationError as error:
            if {problem.code for problem in getattr(error, "error_list", [])} & ROOM_CODES:
                return _refused(request, claim, form, error, plan_code=plan_code)
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
    return _draft_page(request, claim, form if form.group else None, plan_code=plan_code, refusal=_unplaced(form))


ROOM_CODES = {"too_many_items", "not_draft"}


def _unplaced(form: ClaimItemForm) -> ValidationError | None:
    """Without a kind of care (a care refused online, posted from elsewhere) the form is not shown: its errors."""
    if form.group is not None or not form.errors:
        return None
    return ValidationError([str(error) for errors in form.errors.values() for error in errors])


def _refused(
    request: HttpRequest, claim: Claim, form: ClaimItemForm, error: ValidationError, *, plan_code: str
) -> HttpResponse:
    claim = _own_claim(request, claim.pk)  # as it is now, with the items added meanwhile
    if claim.status != Claim.Status.DRAFT:
        messages.error(request, _("This claim is already sent: your care item was not added. Start another claim."))
        return redirect("claims:detail", claim_id=claim.pk)
    return _draft_page(request, claim, form if form.group else None, plan_code=plan_code, refusal=error)


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
        {
            "claim": claim,
            "lines": items_for_display(claim=claim, language=get_language()),
            "form": form,
            "items_left": services.claim_items_left(claim),
        },
    )


@member_required
def statement_list_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    coverage = subscriber_coverage_on(member=member, day=timezone.localdate())
    return render(
        request,
        "claims/statement_list.html",
        {
            "statements": statements_for_member(member=member),
            "currency": get_plan(coverage.plan_code or DEFAULT_PLAN).currency,  # what the plan pays in
        },
    )


@member_required
def terms_view(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/terms.html", {"version": settings.CLAIMS_TERMS_VERSION})
