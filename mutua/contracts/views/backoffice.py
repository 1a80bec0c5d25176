from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.accounts.models import Role
from mutua.contracts.selectors import member_find
from mutua.core.permissions import staff_required

HOUSEHOLD_ROLES = (Role.CLAIMS_HANDLER, Role.MEDICAL_ADVISOR, Role.ADMINISTRATOR)


@staff_required(HOUSEHOLD_ROLES)
def member_search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(
        request, "contracts/backoffice_member_search.html", {"query": query, "results": member_find(query=query)[:50]}
    )
