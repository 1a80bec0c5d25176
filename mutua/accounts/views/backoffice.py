"""Back-office entrance (password + authenticator code) and lockout management."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.accounts import services
from mutua.accounts.forms import LanguageForm, StaffLoginForm
from mutua.accounts.models import MANAGEMENT_UNIT_ROLES
from mutua.accounts.selectors import lockouts_current, lockouts_recently_lifted
from mutua.core.permissions import staff_required

LOCKOUT_ROLES = MANAGEMENT_UNIT_ROLES


class StaffLoginView(LoginView):
    form_class = StaffLoginForm
    template_name = "accounts/backoffice_login.html"
    next_page = reverse_lazy("backoffice:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(language_form=LanguageForm(), **kwargs)


@require_POST
def staff_logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("backoffice:login")


@staff_required(LOCKOUT_ROLES)
def lockouts_view(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/backoffice_lockouts.html",
        {"lockouts": lockouts_current(), "lifted": lockouts_recently_lifted()},
        status=status,
    )


@require_POST
@staff_required(LOCKOUT_ROLES)
def lockout_clear_view(request: HttpRequest) -> HttpResponse:
    ip_address = request.POST.get("ip_address", "")
    if not ip_address:  # the page's forms always send it: the page again, with what is missing
        messages.error(request, _("Choose the lockout to lift."))
        return lockouts_view(request, status=422)
    services.lockout_clear(ip_address=ip_address, username=request.POST.get("username", ""), by=request.user)
    messages.success(request, _("The lockout is lifted."))
    return redirect("backoffice:lockouts")
