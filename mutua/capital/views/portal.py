"""The member's capital pages: what the plan pays, who receives it, declaring, following a claim."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.capital import selectors, services
from mutua.capital.designations import DesigneeInput, capital_designation_record
from mutua.capital.forms import DesigneeFormSet, DocumentAddForm, PortalDeclarationForm
from mutua.capital.models import CapitalClaim
from mutua.capital.shares import LEGAL_ORDER
from mutua.contracts.models import Member
from mutua.core.permissions import member_required
from mutua.core.uploads import uploads_in_memory


def _capital_member(request: HttpRequest) -> tuple[Member, str]:
    """The signed-in member and their plan, when it pays a capital; 404 otherwise."""
    member = request.user.member
    plan_code = selectors.capital_plan_code(member=member, day=timezone.localdate())
    if plan_code is None:
        raise Http404
    return member, plan_code


def _form_error(form: object, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@member_required
def home_view(request: HttpRequest) -> HttpResponse:
    member, plan_code = _capital_member(request)
    return render(
        request,
        "capital/home.html",
        {
            "capital": get_plan(plan_code).capital,
            "currency": get_plan(plan_code).currency,
            "designation": selectors.designation_current(member=member),
            "claims": selectors.member_claims(member=member),
            "legal_order": LEGAL_ORDER,
        },
    )


def _initial(designation: object) -> list[dict[str, object]]:
    designees = designation.designees.all() if designation else []
    return [
        {
            "full_name": d.full_name,
            "relationship": d.relationship,
            "birth_date": d.birth_date,
            "contact": d.contact,
            "share": format(d.share.normalize(), "f"),  # 70, not 70.00
            "iban": d.iban,
        }
        for d in designees
    ]


@member_required
def designation_view(request: HttpRequest) -> HttpResponse:
    member, _plan = _capital_member(request)
    initial = _initial(selectors.designation_current(member=member))
    errors: list[str] = []
    if request.method == "POST":
        formset = DesigneeFormSet(request.POST, initial=initial)
        if formset.is_valid():
            # Every row kept, changed or not; a row ticked for removal or left blank is not a designee.
            entries = [
                DesigneeInput(**{name: value for name, value in form.cleaned_data.items() if name != "DELETE"})
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            try:
                capital_designation_record(member=member, designees=entries, by=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Your designation is recorded."))
                return redirect("capital:home")
    else:
        formset = DesigneeFormSet(initial=initial)
    return render(
        request,
        "capital/designation.html",
        {
            "formset": formset,
            "errors": errors,
            "history": selectors.designation_history(member=member),
            "legal_order": LEGAL_ORDER,
        },
    )


@uploads_in_memory
@member_required
def declare_view(request: HttpRequest) -> HttpResponse:
    member, _plan = _capital_member(request)
    form = PortalDeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.capital_claim_file(
                member=member,
                kind=data["kind"],
                event_date=data["event_date"],
                declarant_name=data["declarant_name"],
                declarant_relationship=data["declarant_relationship"],
                declarant_contact=data["declarant_contact"],
                uploads=form.uploads(),
                by=request.user,
                declarant_language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your declaration is received."))
            return redirect("capital:claim", claim_id=claim.pk)
    return render(request, "capital/declare.html", {"form": form})


def _own_claim(request: HttpRequest, claim_id: int) -> CapitalClaim:
    claim = selectors.member_claim(member=request.user.member, claim_id=claim_id)
    if claim is None:
        raise Http404
    return claim


@uploads_in_memory
@member_required
def claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _own_claim(request, claim_id)
    form = DocumentAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.capital_claim_documents_add(
                claim=claim, uploads=[(form.cleaned_data["role"], form.cleaned_data["file"])], by=request.user
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The document is sent."))
            return redirect("capital:claim", claim_id=claim.pk)
    return render(
        request,
        "capital/claim.html",
        {
            "claim": claim,
            "documents": selectors.claim_documents_for(claim=claim, user=request.user),
            "history": selectors.claim_timeline(claim=claim, staff=False),
            "shares": claim.shares.all(),
            "explanation": selectors.claim_explanation(claim=claim),
            "form": form if claim.status == CapitalClaim.Status.RECEIVED else None,
        },
    )
