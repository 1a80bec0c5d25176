"""The management unit's queue of quotes to check, and the page where a handler writes the advice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.quotes import services
from mutua.quotes.forms import QuoteReviewForm
from mutua.quotes.models import Quote
from mutua.quotes.selectors import (
    estimate_note,
    lines_for_display,
    quote_person_name,
    review_queue,
    tier_totals,
)


@staff_required(MANAGEMENT_UNIT_ROLES)
def quote_queue_view(request: HttpRequest) -> HttpResponse:
    quotes = list(review_queue())
    for quote in quotes:
        quote.person_name = quote_person_name(quote)
    return render(request, "quotes/backoffice_queue.html", {"quotes": quotes})


@staff_required(MANAGEMENT_UNIT_ROLES)
def quote_review_view(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = get_object_or_404(
        Quote.objects.select_related("member", "beneficiary", "document").prefetch_related("lines"), pk=quote_id
    )
    form = QuoteReviewForm(request.POST if request.method == "POST" else None, lines=list(quote.lines.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_review(
                quote=quote, by=request.user, advice=form.cleaned_data["advice"], corrections=form.corrections()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Advice sent to the member."))
            return redirect("backoffice:quote_queue")
    language = get_language()
    return render(
        request,
        "quotes/backoffice_quote.html",
        {
            "quote": quote,
            "person": quote_person_name(quote),
            "lines": lines_for_display(quote=quote, language=language),
            "tiers": tier_totals(quote=quote, language=language),
            "estimate_note": estimate_note(quote=quote, language=language),
            "form": form,
            "history": status_history(instance=quote),
        },
    )
