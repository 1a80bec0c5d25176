"""Who may open a page. Every portal view is for members; every back-office view names its roles."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from mutua.accounts.models import STAFF_ROLES, Role

View = Callable[..., HttpResponse]


def member_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not user.is_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(roles: Iterable[Role] = STAFF_ROLES) -> Callable[[View], View]:
    """Back-office pages: a staff role among ``roles``, signed in with the second factor."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or (user.is_staff_member and not user.is_verified()):
                return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
            if user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def provider_required(view: View) -> View:
    """The hospitals' space: a hospital's staff, signed in with the second factor, hospital active."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or (user.is_provider_staff and not user.is_verified()):
            return redirect_to_login(request.get_full_path(), reverse("providers:login"))
        if not user.is_provider_staff or not user.provider.active:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
