"""The back office of capital claims: the queue of each role, a claim keyed in from a letter, the
medical advisor's decision, the handler's amounts and approval, finance's record of the payment."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import FINANCE_ROLES, MANAGEMENT_UNIT_ROLES, Role
from mutua.capital import selectors, services
from mutua.capital.forms import (
    BackofficeDeclarationForm,
    BankDetailsForm,
    ComputeForm,
    DeathDecisionForm,
    DisabilityDecisionForm,
    DocumentAddForm,
    HeirFormSet,
    RefuseForm,
)
from mutua.capital.heirs import HEIRS_RECORDABLE, HeirInput, capital_claim_heirs_record
from mutua.capital.models import CapitalClaim
from mutua.contracts.selectors import member_get_by_number
from mutua.core.permissions import staff_required
from mutua.core.uploads import uploads_in_memory
from mutua.payments.selectors import masked_account

CAPITAL_ROLES = MANAGEMENT_UNIT_ROLES | FINANCE_ROLES | {Role.MEDICAL_ADVISOR}
MEDICAL_ADVISOR = frozenset({Role.MEDICAL_ADVISOR})
Status = CapitalClaim.Status
COMPUTABLE = frozenset({Status.MEDICAL_DECIDED, Status.COMPUTED})


def _claim(claim_id: int) -> CapitalClaim:
    claim = selectors.claim_for_staff(claim_id=claim_id)
    if claim is None:
        raise Http404
    return claim


def _errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(str(text) for text in error.messages))


@staff_required(CAPITAL_ROLES)
def queue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "capital/backoffice_queue.html", {"claims": selectors.claims_queue(user=request.user)})


@uploads_in_memory
@staff_required(MANAGEMENT_UNIT_ROLES)
def claim_new_view(request: HttpRequest) -> HttpResponse:
    """A death or disability declared by letter or e-mail, keyed in by the handler with its documents."""
    form = BackofficeDeclarationForm(
        request.POST or None, request.FILES or None, initial={"declarant_language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = member_get_by_number(member_number=data["member_number"])
        if member is None:
            form.add_error("member_number", _("No member has this number."))
        else:
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
                    declarant_language=data["declarant_language"] or request.LANGUAGE_CODE,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The claim is recorded."))
                return redirect("backoffice:capital_claim", claim_id=claim.pk)
    return render(request, "capital/backoffice_new.html", {"form": form})


@staff_required(CAPITAL_ROLES)
def claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    role = request.user.role
    handler = role in MANAGEMENT_UNIT_ROLES
    decision_form = None
    if role == Role.MEDICAL_ADVISOR and claim.status == Status.DOCUMENTS_COMPLETE:
        decision_form = (
            DeathDecisionForm(initial={"death_date": claim.event_date})
            if claim.kind == CapitalClaim.Kind.DEATH
            else DisabilityDecisionForm()
        )
    return render(
        request,
        "capital/backoffice_claim.html",
        {
            "claim": claim,
            "documents": selectors.claim_documents_for(claim=claim, user=request.user),
            "history": selectors.claim_timeline(claim=claim, staff=True),
            "shares": claim.shares.select_related("payable"),
            "explanation": selectors.claim_explanation(claim=claim),
            "is_handler": handler,
            "is_advisor": role == Role.MEDICAL_ADVISOR,
            "is_finance": role in FINANCE_ROLES,
            "decision_form": decision_form,
            "document_form": DocumentAddForm() if handler and claim.status == Status.RECEIVED else None,
            "compute_form": ComputeForm()
            if handler and claim.status in {Status.MEDICAL_DECIDED, Status.COMPUTED}
            else None,
            "bank_forms": [
                (share, BankDetailsForm(prefix=f"share{share.pk}"), masked_account(share.iban))
                for share in claim.shares.all()
            ],
            "refuse_form": (
                RefuseForm() if handler and CapitalClaim.WORKFLOW.allowed(claim.status, Status.REFUSED) else None
            ),
            "heirs": [(heir, masked_account(heir.iban)) for heir in claim.heirs.all()],
            "heirs_to_record": handler and _heirs_recordable(claim),
        },
    )


def _heirs_recordable(claim: CapitalClaim) -> bool:
    return claim.status in HEIRS_RECORDABLE.transitions and selectors.heirs_needed(claim=claim)


@staff_required(MANAGEMENT_UNIT_ROLES)
def heirs_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The heirs named by the succession documents, keyed in at once with their shares and accounts. Recorded
    again, the accounts are typed again: they are never shown back in clear."""
    claim = _claim(claim_id)
    if not _heirs_recordable(claim):
        raise Http404
    initial = [
        {"full_name": heir.full_name, "share": format(heir.share.normalize(), "f")} for heir in claim.heirs.all()
    ]
    formset = HeirFormSet(request.POST or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        entries = [
            HeirInput(
                full_name=form.cleaned_data["full_name"],
                share=form.cleaned_data["share"],
                iban=form.cleaned_data.get("iban", ""),
                bic=form.cleaned_data.get("bic", ""),
            )
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            capital_claim_heirs_record(claim=claim, heirs=entries, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The heirs are recorded."))
            return redirect("backoffice:capital_claim", claim_id=claim.pk)
    return render(request, "capital/backoffice_heirs.html", {"claim": claim, "formset": formset, "errors": errors})


def _action(roles: frozenset[str], act: Callable[[HttpRequest, CapitalClaim], str]) -> Callable[..., HttpResponse]:
    """A POST on a claim: the role checked, the service called, its refusal shown, back to the claim."""

    @require_POST
    @staff_required(roles)
    def view(request: HttpRequest, claim_id: int) -> HttpResponse:
        claim = _claim(claim_id)
        try:
            done = act(request, claim)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, done)
        return redirect("backoffice:capital_claim", claim_id=claim_id)

    return view


def _documents_complete(request: HttpRequest, claim: CapitalClaim) -> str:
    services.capital_claim_documents_complete(claim=claim, by=request.user)
    return _("The documents are complete: the claim goes to the medical advisor.")


def _documents_add(request: HttpRequest, claim: CapitalClaim) -> str:
    form = DocumentAddForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    services.capital_claim_documents_add(
        claim=claim, uploads=[(form.cleaned_data["role"], form.cleaned_data["file"])], by=request.user
    )
    return _("The document is added.")


def _medical_decide(request: HttpRequest, claim: CapitalClaim) -> str:
    form = (DeathDecisionForm if claim.kind == CapitalClaim.Kind.DEATH else DisabilityDecisionForm)(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    services.capital_claim_medical_decide(claim=claim, by=request.user, **form.cleaned_data)
    return _("The medical decision is recorded.")


def _compute(request: HttpRequest, claim: CapitalClaim) -> str:
    form = ComputeForm(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    cost = form.cleaned_data["repatriation_cost"]
    services.capital_claim_compute(claim=claim, by=request.user, **({"repatriation_cost": cost} if cost else {}))
    return _("The amounts are computed.")


def _bank_details(request: HttpRequest, claim: CapitalClaim) -> str:
    share = claim.shares.filter(pk=request.POST.get("share")).first()
    form = BankDetailsForm(request.POST, prefix=f"share{share.pk}" if share else None)
    if share is None or not form.is_valid():
        raise ValidationError(_("Give a valid IBAN for one of the beneficiaries."))
    services.claim_share_bank_details(share=share, by=request.user, **form.cleaned_data)
    return _("The account of %(name)s is recorded.") % {"name": share.full_name}


def _approve(request: HttpRequest, claim: CapitalClaim) -> str:
    services.capital_claim_approve(claim=claim, by=request.user)
    return _("The claim is approved: finance pays it in its next run.")


def _refuse(request: HttpRequest, claim: CapitalClaim) -> str:
    services.capital_claim_refuse(claim=claim, by=request.user, reason=request.POST.get("reason", ""))
    return _("The claim is refused.")


def _payment_record(request: HttpRequest, claim: CapitalClaim) -> str:
    services.capital_claim_payment_record(claim=claim, by=request.user)
    return _("The claim is recorded as paid.")


documents_complete_view = _action(MANAGEMENT_UNIT_ROLES, _documents_complete)
documents_add_view = uploads_in_memory(_action(MANAGEMENT_UNIT_ROLES, _documents_add))
medical_decision_view = _action(MEDICAL_ADVISOR, _medical_decide)
compute_view = _action(MANAGEMENT_UNIT_ROLES, _compute)
bank_details_view = _action(MANAGEMENT_UNIT_ROLES, _bank_details)
approve_view = _action(MANAGEMENT_UNIT_ROLES, _approve)
refuse_view = _action(MANAGEMENT_UNIT_ROLES, _refuse)
payment_record_view = _action(FINANCE_ROLES, _payment_record)
