"""The member's own plan: the guarantee table ("My guarantees") and, for a plan that has one, its
reimbursement request form to send by post. Read only, for the member signed in."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from mutua.benefits.claim_form import claim_form_document, claim_form_pdf_render, claim_form_plan
from mutua.benefits.guarantee_table import guarantee_table
from mutua.core.permissions import member_required


@member_required
def my_guarantees_view(request: HttpRequest) -> HttpResponse:
    """Every row of the member's plan in plain words, the guide's examples priced for them today; ``?q=``
    keeps the rows that match (a plain GET form: it works without JavaScript)."""
    member = request.user.member
    table = guarantee_table(
        member=member, on=timezone.localdate(), language=get_language() or "fr", query=request.GET.get("q", "")
    )
    claim_form = claim_form_plan(member=member, on=timezone.localdate()) is not None
    return render(request, "benefits/my_guarantees.html", {"table": table, "member": member, "claim_form": claim_form})


@require_safe
@member_required
def claim_form_pdf_view(request: HttpRequest) -> HttpResponse:
    """The reimbursement request form, pre-filled for the member, in the language they read the portal in."""
    member = request.user.member
    plan_code = claim_form_plan(member=member, on=timezone.localdate())
    if plan_code is None:
        raise Http404
    form = claim_form_document(member=member, plan_code=plan_code, language=get_language() or "en")
    response = HttpResponse(claim_form_pdf_render(form=form), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="reimbursement-request-{member.member_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
