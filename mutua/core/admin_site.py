from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from mutua.accounts.models import Role


class MutuaAdminSite(AdminSite):
    """Django admin, for administrators only, who came in through the two-factor entrance."""

    site_header = "Mutua"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.role == Role.ADMINISTRATOR and user.is_verified())

    def login(self, request: HttpRequest, extra_context=None):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and request.user.is_staff_member and request.user.is_verified():
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("backoffice:login"))
