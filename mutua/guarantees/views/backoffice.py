"""The management unit's queue of hospital guarantees, and the medical advisor's extensions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.core.permissions import staff_required
from mutua.guarantees.selectors import review_queue


@staff_required(MANAGEMENT_UNIT_ROLES)
def queue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "guarantees/backoffice_queue.html", {"guarantees": review_queue()})
