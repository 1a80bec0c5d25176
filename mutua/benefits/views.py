"""The member's own guarantee table ("My guarantees"): read only, for the member signed in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

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
    return render(request, "benefits/my_guarantees.html", {"table": table, "member": member})
