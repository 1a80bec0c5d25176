"""The member's hospital guarantees: ask before a planned stay, notify an emergency, follow, download."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.core.permissions import member_required
from mutua.guarantees.selectors import guarantees_for_member


@member_required
def guarantee_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "guarantees/list.html", {"guarantees": guarantees_for_member(member=request.user.member)})
