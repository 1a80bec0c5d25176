"""The pages of a review of an automatic decision: the member's request under an item of their claim's page,
and the handler's answer in the back office (the decision confirmed, or changed on corrected facts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from engine import get_plan
from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.benefits.models import ClaimItem
from mutua.benefits.selectors import claim_coverage
from mutua.claims.selectors import benefit_label, item_attribute_names, item_details
from mutua.contracts.cover import DEFAULT_PLAN
from mutua.conversations import review_selectors as selectors
from mutua.conversations import reviews
from mutua.conversations.forms.review import ReviewDecisionForm, ReviewRequestForm
from mutua.core.languages import in_language
from mutua.core.permissions import member_required, staff_required
from mutua.core.selectors import status_history

UNPROCESSABLE = 422


def _plan_of(item: ClaimItem):
    return get_plan(claim_coverage(claim=item.claim, day=item.care_date).plan_code or DEFAULT_PLAN)


def _item_context(item: ClaimItem, language: str) -> dict[str, object]:
    """The item as the rules decided it, and the engine's explanation of that decision."""
    plan = _plan_of(item)
    return {
        "item": item,
        "care": benefit_label(plan_code=plan.code, benefit_code=item.benefit_code, language=language),
        "currency": plan.currency,
        "national_scheme": plan.has_national_scheme,
        "explanation": in_language(item.explanation.get("plain", {}), language, [])
        or in_language(item.explanation, language, []),
    }


@member_required
def review_request_view(request: HttpRequest, item_id: int) -> HttpResponse:
    member = request.user.member
    item = selectors.review_item_for_member(member=member, item_id=item_id)
    if item is None:
        raise Http404
    earlier = selectors.review_of_item(item=item)
    if earlier is None and not selectors.review_item_automatic(item):
        raise Http404  # a person decided it: there is no button, and no page
    claim_url = reverse("claims:detail", args=[item.claim_id])
    form = ReviewRequestForm(request.POST or None, request.FILES or None) if earlier is None else None
    status = 200
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            reviews.review_request(
                member=member,
                item=item,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["documents"],
                by=request.user,
                language=get_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = UNPROCESSABLE
        else:
            messages.success(request, _("Your request is sent: a person of your management unit will review it."))
            return redirect(f"{claim_url}#item-{item.pk}")
    elif form is not None and request.method == "POST":
        status = UNPROCESSABLE
    return render(
        request,
        "conversations/review_request.html",
        {**_item_context(item, get_language()), "form": form, "earlier": earlier, "claim_url": claim_url},
        status=status,
    )


@staff_required(MANAGEMENT_UNIT_ROLES)
def review_decide_view(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.review_for_handler(conversation_id=conversation_id)
    if conversation is None:
        raise Http404
    item = conversation.claim_item
    plan = _plan_of(item)
    form = None
    status = 200
    if not conversation.review_outcome:
        form = ReviewDecisionForm(
            request.POST or None,
            item=item,
            attribute_names=item_attribute_names(item=item, plan_code=plan.code),
            national_scheme=plan.has_national_scheme,
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    reviews.review_decide(conversation=conversation, by=request.user, **form.service_arguments())
                except ValidationError as error:
                    form.add_service_error(error)
                else:
                    messages.success(request, _("Your answer is sent to the member."))
                    return redirect("backoffice:review_decide", conversation_id=conversation.pk)
            status = UNPROCESSABLE
    return render(
        request,
        "conversations/review_decide.html",
        {
            **_item_context(item, get_language()),
            "conversation": conversation,
            "details": item_details(item=item),
            "member_messages": selectors.review_member_messages(conversation=conversation),
            "history": status_history(instance=item),
            "form": form,
        },
        status=status,
    )
