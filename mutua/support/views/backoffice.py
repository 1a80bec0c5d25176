from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.core.permissions import staff_required
from mutua.core.selectors import status_history
from mutua.support import selectors, services
from mutua.support.models import ContactRequest

INBOX_ROLES = MANAGEMENT_UNIT_ROLES


@staff_required(INBOX_ROLES)
def inbox_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "support/backoffice_inbox.html",
        {
            "open_requests": selectors.contact_requests_open(),
            "closed_requests": selectors.contact_requests_closed()[:50],
        },
    )


@staff_required(INBOX_ROLES)
def contact_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(ContactRequest, pk=pk)
    return render(
        request,
        "support/backoffice_contact_request.html",
        {"contact": contact, "history": status_history(instance=contact), "statuses": ContactRequest.Status},
    )


@require_POST
@staff_required(INBOX_ROLES)
def contact_request_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(ContactRequest, pk=pk)
    try:
        services.contact_request_set_status(
            contact_request=contact,
            status=request.POST.get("status", ""),
            by=request.user,
            reason=request.POST.get("reason", "")[:2000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Status updated."))
    return redirect("backoffice:contact_request", pk=contact.pk)
