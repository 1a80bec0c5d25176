"""The member's quotes: send one with its lines, see the estimate, compare, have it checked, claim."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.claims.selectors import benefit_choices, claim_people
from mutua.contracts.cover import DEFAULT_PLAN, subscriber_coverage_on
from mutua.core.permissions import member_required
from mutua.quotes import services
from mutua.quotes.forms import QuoteForm, ReviewRequestForm, formset_lines, line_formset
from mutua.quotes.models import Quote
from mutua.quotes.selectors import (
    comparison,
    estimate_note,
    lines_for_display,
    quote_for_member,
    quote_person_name,
    quotes_by_kind,
    quotes_comparable,
    quotes_to_compare,
    tier_rows,
    tier_totals,
)


def _own_quote(request: HttpRequest, quote_id: int) -> Quote:
    quote = quote_for_member(member=request.user.member, quote_id=quote_id)
    if quote is None:
        raise Http404
    return quote


def _benefits(request: HttpRequest) -> list[tuple[str, list[tuple[str, str]]]]:
    coverage = subscriber_coverage_on(member=request.user.member, day=timezone.localdate())
    return benefit_choices(plan_code=coverage.plan_code or DEFAULT_PLAN, language=get_language())


@member_required
def quote_list_view(request: HttpRequest) -> HttpResponse:
    groups = quotes_by_kind(member=request.user.member)
    for _kind, quotes in groups:
        for quote in quotes:
            quote.person_name = quote_person_name(quote)
    return render(request, "quotes/quote_list.html", {"groups": groups})


@member_required
def quote_new_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    post = request.POST if request.method == "POST" else None
    form = QuoteForm(post, request.FILES or None, people=claim_people(member=member))
    lines = line_formset(post, benefits=_benefits(request))
    if post is not None and form.is_valid() and lines.is_valid():
        person = form.cleaned_data["person"]
        try:
            quote = services.quote_create(
                member=member,
                by=request.user,
                beneficiary=member.beneficiaries.filter(pk=person).first() if person else None,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                provider=form.cleaned_data["provider"],
                planned_date=form.cleaned_data["planned_date"],
                lines=formset_lines(lines),
                upload=form.cleaned_data["document"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("quotes:detail", quote_id=quote.pk)
    return render(request, "quotes/quote_form.html", {"form": form, "lines": lines})


@member_required
def quote_detail_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _own_quote(request, quote_id)
    language = get_language()
    document = quote.document
    read_total = document.ocr_amount_proposals[0] if document and document.ocr_amounts else None
    return render(
        request,
        "quotes/quote_detail.html",
        {
            "quote": quote,
            "person": quote_person_name(quote),
            "lines": lines_for_display(quote=quote, language=language),
            "tiers": tier_totals(quote=quote, language=language),
            "estimate_note": estimate_note(quote=quote, language=language),
            "read_total": read_total,
            "editable": quote.status in services.EDITABLE,
            "can_ask": Quote.WORKFLOW.allowed(quote.status, Quote.Status.REVIEW_REQUESTED),
            "can_claim": Quote.WORKFLOW.allowed(quote.status, Quote.Status.CLAIMED)
            and quote.planned_date <= timezone.localdate(),
            "review_form": ReviewRequestForm(),
        },
    )


@member_required
def quote_lines_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _own_quote(request, quote_id)
    if quote.status not in services.EDITABLE:
        return redirect("quotes:detail", quote_id=quote.pk)
    initial = [
        {
            "benefit_code": line.benefit_code,
            "label": line.label,
            "amount": line.amount,
            "br": line.br,
            "quantity": line.quantity,
            "tooth": line.tooth,
            **dict.fromkeys(line.flags, True),
            **line.attributes,
        }
        for line in quote.lines.all()
    ]
    post = request.POST if request.method == "POST" else None
    lines = line_formset(post, benefits=_benefits(request), initial=initial)
    error = None
    if post is not None and lines.is_valid():
        try:
            services.quote_lines_replace(quote=quote, lines=formset_lines(lines))
        except ValidationError as problem:
            error = problem
        else:
            messages.success(request, _("The lines are corrected and the estimate computed again."))
            return redirect("quotes:detail", quote_id=quote.pk)
    return render(request, "quotes/quote_lines.html", {"quote": quote, "lines": lines, "error": error})


@require_POST
@member_required
def quote_refresh_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _own_quote(request, quote_id)
    try:
        services.quote_estimate_refresh(quote=quote)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The estimate is computed again."))
    return redirect("quotes:detail", quote_id=quote.pk)


@require_POST
@member_required
def quote_review_request_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _own_quote(request, quote_id)
    form = ReviewRequestForm(request.POST)
    if form.is_valid():
        try:
            services.quote_review_request(quote=quote, by=request.user, question=form.cleaned_data["question"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your management unit will check this quote and send you its advice."))
    return redirect("quotes:detail", quote_id=quote.pk)


@require_POST
@member_required
def quote_claim_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = _own_quote(request, quote_id)
    try:
        claim = services.quote_claim_start(quote=quote, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quotes:detail", quote_id=quote.pk)
    messages.success(request, _("Your claim is started from the quote: check each care item and attach the invoice."))
    return redirect("claims:detail", claim_id=claim.pk)


@member_required
def quote_compare_view(request: HttpRequest) -> HttpResponse:
    try:
        ids = [int(value) for value in request.GET.getlist("ids")]
    except ValueError:
        raise Http404 from None
    if len(set(ids)) < 2:
        messages.error(request, _("Choose at least two quotes to compare."))
        return redirect("quotes:list")
    quotes = quotes_to_compare(member=request.user.member, quote_ids=ids)
    if quotes is None:
        raise Http404
    try:
        quotes_comparable(quotes)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quotes:list")
    columns = comparison(quotes=quotes, language=get_language())
    return render(request, "quotes/quote_compare.html", {"columns": columns, "tier_rows": tier_rows(columns)})
