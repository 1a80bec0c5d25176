from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.accounts.models import Role
from mutua.core.permissions import member_required, staff_required
from mutua.core.portal_services import PORTAL_SERVICES


@member_required
def portal_home_view(request: HttpRequest) -> HttpResponse:
    member = request.user.member
    services = [service for service in PORTAL_SERVICES if service.offered_to(member)]
    return render(
        request,
        "core/portal_home.html",
        {"member": member, "services": services, "management_unit": member.management_unit},
    )


@staff_required()
def backoffice_home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/backoffice_home.html", {"is_administrator": request.user.role == Role.ADMINISTRATOR})
