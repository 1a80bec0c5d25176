from collections.abc import Callable
from zoneinfo import ZoneInfo

from babel.core import get_global
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from mutua.accounts.models import Role

SESSION_LOGIN_AT = "mutua_login_at"
SESSION_LAST_SEEN = "mutua_last_seen"


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every page, and nothing personal kept in any cache.

    Pages are rendered per person (health data, money), so every dynamic response is
    ``no-store``; only the fingerprinted static files served by WhiteNoise are cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            add_never_cache_headers(response)
        return response


class SessionTimeoutMiddleware:
    """Ends a signed-in session after inactivity, and in any case after an absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now().timestamp()
        if request.user.is_authenticated:
            login_at = request.session.get(SESSION_LOGIN_AT, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            too_old = now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_old:
                login_url = {Role.MEMBER: "accounts:login", Role.PROVIDER: "providers:login"}.get(
                    request.user.role, "backoffice:login"
                )
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(login_url)
        response = self.get_response(request)
        # After the view, so that a login made by this very request starts the clocks.
        if request.user.is_authenticated:
            request.session.setdefault(SESSION_LOGIN_AT, now)
            request.session[SESSION_LAST_SEEN] = now
        return response


class MemberTimeZoneMiddleware:
    """A member reads times in their duty station's time zone (a claim sent at 22:14 in Nairobi says 22:14,
    not Paris's 20:14). Only where the country has a single time zone; elsewhere the site's (TIME_ZONE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated and user.role == Role.MEMBER and user.member_id:
            zone = duty_station_time_zone(user.member.duty_station)
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)


def duty_station_time_zone(country: str) -> ZoneInfo | None:
    """The time zone of a country that has only one (CLDR's territory zones), else None."""
    zones = get_global("territory_zones").get(country, ()) if country else ()
    return ZoneInfo(zones[0]) if len(zones) == 1 else None
