from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from mutua.cards.pdf import card_pdf_render
from mutua.cards.selectors import card_check, member_card_on
from mutua.cards.services import card_token_make
from mutua.contracts.cover import subscriber_coverage_on
from mutua.core.permissions import member_required


@require_safe
@member_required
def card_download_view(request: HttpRequest) -> HttpResponse:
    """The signed-in member's own household card; there is no id to choose another."""
    member = request.user.member
    today = timezone.localdate()
    card = member_card_on(member=member, day=today)
    if card is None:
        coverage = subscriber_coverage_on(member=member, day=today)
        context = {"coverage": coverage, "management_unit": member.management_unit}
        return render(request, "cards/not_covered.html", context)
    token = card_token_make(member=member, valid_until=card.valid_until)
    verify_url = request.build_absolute_uri(reverse("cards:verify", kwargs={"token": token}))
    response = HttpResponse(card_pdf_render(card=card, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="member-card-{member.member_number}.pdf"'
    return response


@require_safe
def card_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public page the card's QR code opens: valid today or not, and first names with an initial."""
    check = card_check(token=token, day=timezone.localdate())
    response = render(request, "cards/verify.html", {"check": check})
    # The token is a bearer of nothing personal, but the page is still no search engine's business.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
