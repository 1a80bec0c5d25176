"""The review queue and the claim page of the back office.

A claim's page is one compact row per item, each waiting one with its own small decision form. The
form posts normally and comes back to the item's row; with JavaScript, htmx posts it and swaps just
that row (the same template, the same view).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES, MEMBER_FILE_ROLES
from mutua.approvals.selectors import approvals_for_handler
from mutua.benefits.models import Claim, ClaimItem
from mutua.benefits.reasons import REVIEW_REASONS
from mutua.claims import review
from mutua.claims.decision_forms import ItemDecisionForm
from mutua.claims.models import ClaimsSuspension
from mutua.claims.selectors import claim_review_line, claim_review_lines, review_queue, review_sections
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.documents.selectors import document_possible_duplicates

CLAIM_ROLES = MEMBER_FILE_ROLES
DECISION_ROLES = MANAGEMENT_UNIT_ROLES
# Refused input comes back with its messages; htmx swaps this status too (only 204 and 304 are not).
UNPROCESSABLE = 422


@staff_required(CLAIM_ROLES)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    section, reason = request.GET.get("section", ""), request.GET.get("reason", "")
    language = get_language()
    page = review_queue(section=section, reason=reason, language=language, page=request.GET.get("page", 1))
    return render(
        request,
        "claims/backoffice_queue.html",
        {
            "page": page,
            "section": section,
            "reason": reason,
            "sections": review_sections(language=language),
            "reasons": REVIEW_REASONS.items(),
        },
    )


@staff_required(CLAIM_ROLES)
def claim_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("member", "beneficiary"), pk=claim_id)
    return _claim_page(request, claim)


def _claim_page(
    request: HttpRequest, claim: Claim, *, refused: ItemDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    """The claim's page; ``refused``: an item's decision form sent back with its messages."""
    lines = claim_review_lines(claim=claim, language=get_language())
    for line in lines:
        _row(line, request=request, refused=refused)
    return render(
        request,
        "claims/backoffice_claim.html",
        {
            "claim": claim,
            "lines": lines,
            "history": status_history(instance=claim),
            # The medical advisor's decisions (dates, care, country), never the medical file.
            "approvals": approvals_for_handler(member_ids=[claim.member_id]),
        },
        status=status,
    )


def _row(line: dict[str, object], *, request: HttpRequest, refused: ItemDecisionForm | None) -> dict[str, object]:
    """What an item's row shows besides the review line: the documents' look-alikes and its form."""
    item = line["item"]
    line["can_decide"] = request.user.role in DECISION_ROLES
    documents = item.documents.all()
    line["duplicates"] = {document: document_possible_duplicates(document=document) for document in documents}
    if refused is not None and refused.prefix == _prefix(item):
        line["form"] = refused
    elif item.status == ClaimItem.Status.IN_REVIEW:
        line["form"] = ItemDecisionForm(
            prefix=_prefix(item),
            attribute_names=line["attribute_names"],
            currencies=line["currencies"],
            national_scheme=line["national_scheme"],
            initial={
                "amount": item.amount,
                "br": item.br,
                "mr": item.mr,
                "quantity": item.quantity,
                "rate": item.plan_rate if item.converted else None,
                "rate_source": item.rate_source,
                **item.attributes,
            },
        )
    return line


def _prefix(item: ClaimItem) -> str:
    return f"item{item.pk}"


@require_POST
@staff_required(DECISION_ROLES)
def item_decide_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(ClaimItem.objects.select_related("claim__member", "claim__beneficiary"), pk=item_id)
    language = get_language()
    waiting = claim_review_line(item=item, language=language)
    form = ItemDecisionForm(
        request.POST,
        prefix=_prefix(item),
        attribute_names=waiting.get("attribute_names", ()),
        currencies=waiting.get("currencies"),
        national_scheme=waiting.get("national_scheme", True),
    )
    if form.is_valid():
        try:
            review.claim_item_decide(item=item, by=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
    htmx = request.headers.get("HX-Request") == "true"
    if form.errors:
        if htmx:
            return _row_response(request, waiting, form=form, status=UNPROCESSABLE)
        return _claim_page(request, item.claim, refused=form, status=UNPROCESSABLE)
    if htmx:
        decided = claim_review_line(item=item, language=language)
        return _row_response(request, decided, recorded=True)
    messages.success(request, _("Decision recorded."))
    return redirect(reverse("backoffice:claim", args=[item.claim_id]) + f"#item-{item.pk}")


def _row_response(
    request: HttpRequest,
    line: dict[str, object],
    *,
    form: ItemDecisionForm | None = None,
    recorded: bool = False,
    status: int = 200,
) -> HttpResponse:
    """One item's row for htmx to swap; once decided, with the claim's status (which may have moved)."""
    _row(line, request=request, refused=form)
    claim = Claim.objects.get(pk=line["item"].claim_id) if recorded else None
    return render(
        request, "claims/backoffice_claim_row.html", {"line": line, "recorded": recorded, "claim": claim}, status=status
    )


@staff_required(DECISION_ROLES)
def suspensions_view(request: HttpRequest) -> HttpResponse:
    suspensions = ClaimsSuspension.objects.filter(lifted_at__isnull=True).select_related("member")
    return render(request, "claims/backoffice_suspensions.html", {"suspensions": suspensions})


@require_POST
@staff_required(DECISION_ROLES)
def suspension_lift_view(request: HttpRequest, suspension_id: int) -> HttpResponse:
    suspension = get_object_or_404(ClaimsSuspension, pk=suspension_id, lifted_at__isnull=True)
    review.claims_suspension_lift(suspension=suspension, by=request.user)
    messages.success(request, _("Online claims are open again for this member."))
    return redirect("backoffice:suspensions")
