from django.contrib.admin import AdminSite
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
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
