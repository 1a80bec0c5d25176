"""The review queue and the claim page of the back office."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, MEMBER_FILE_ROLES
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.benefits.reasons import REVIEW_REASONS
from mutua.claims import services
from mutua.claims.forms import ClaimItemForm, ItemDecisionForm
from mutua.claims.models import ClaimsSuspension
from mutua.claims.selectors import items_for_display, review_queue
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.documents.selectors import document_possible_duplicates

CLAIM_ROLES = MEMBER_FILE_ROLES
DECISION_ROLES = MANAGEMENT_UNIT_ROLES


@staff_required(CLAIM_ROLES)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    care, reason = request.GET.get("care", ""), request.GET.get("reason", "")
    items = review_queue(benefit_prefix=care, reason=reason)
    for item in items:
        item.reason_labels = [REVIEW_REASONS.get(code, code) for code in item.review_reasons]
    return render(
        request,
        "claims/backoffice_queue.html",
        {
            "items": items,
            "care": care,
            "reason": reason,
            "reasons": REVIEW_REASONS.items(),
        },
    )


@staff_required(CLAIM_ROLES)
def claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("member", "beneficiary"), pk=claim_id)
    lines = items_for_display(claim=claim, language=get_language())
    for line in lines:
        item = line["item"]
        line["duplicates"] = {
            document: document_possible_duplicates(document=document) for document in item.documents.all()
        }
        line["form"] = ItemDecisionForm(
            prefix=f"item{item.pk}",
            initial={"amount": item.amount, "br": item.br, "mr": item.mr, "quantity": item.quantity, **item.attributes},
        )
        line["reasons"] = [REVIEW_REASONS.get(code, code) for code in item.review_reasons]
    return render(
        request,
        "claims/backoffice_claim.html",
        {
            "claim": claim,
            "lines": lines,
            "history": status_history(instance=claim),
            "can_decide": request.user.role in DECISION_ROLES,
        },
    )


@require_POST
@staff_required(DECISION_ROLES)
def item_decide_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(ClaimItem, pk=item_id)
    form = ItemDecisionForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        return HttpResponseBadRequest()
    data = form.cleaned_data
    try:
        services.claim_item_decide(
            item=item,
            by=request.user,
            accept=data["decision"] == "accept",
            reason=RejectionReason(data["reason"]) if data["reason"] else None,
            text=data["text"],
            adjust={
                **{field: data[field] for field in ("amount", "br", "mr", "quantity")},
                "attributes": {name: data[name] for name in ClaimItemForm.ATTRIBUTES},
            },
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("backoffice:claim", claim_id=item.claim_id)


@staff_required(DECISION_ROLES)
def suspensions_view(request: HttpRequest) -> HttpResponse:
    suspensions = ClaimsSuspension.objects.filter(lifted_at__isnull=True).select_related("member")
    return render(request, "claims/backoffice_suspensions.html", {"suspensions": suspensions})


@require_POST
@staff_required(DECISION_ROLES)
def suspension_lift_view(request: HttpRequest, suspension_id: int) -> HttpResponse:
    suspension = get_object_or_404(ClaimsSuspension, pk=suspension_id, lifted_at__isnull=True)
    services.claims_suspension_lift(suspension=suspension, by=request.user)
    messages.success(request, _("Online claims are open again for this member."))
    return redirect("backoffice:suspensions")
