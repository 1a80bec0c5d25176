"""Public help pages: "Need help with your connection?" and "I still can't log in"."""

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
        contact = services.contact_request_create(language=get_language(), **form.cleaned_data)
        return render(request, "support/contact_sent.html", {"reference": contact.pk})
    return render(request, "support/contact.html", {"form": form, "management_unit": management_unit_for_contact()})
