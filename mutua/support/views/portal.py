"""Public help pages: "Need help with your connection?" and "I still can't log in"."""

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from mutua.contracts.selectors import management_unit_for_contact
from mutua.support import services
from mutua.support.forms import ContactRequestForm


def help_view(request: HttpRequest) -> HttpResponse:
    return render(request, "support/help.html", {"management_unit": management_unit_for_contact()})


def contact_view(request: HttpRequest) -> HttpResponse:
    form = ContactRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_request_create(
                language=get_language(), sender_address=get_client_ip_address(request) or "", **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "support/contact_sent.html", {"reference": contact.reference})
    return render(request, "support/contact.html", {"form": form, "management_unit": management_unit_for_contact()})
