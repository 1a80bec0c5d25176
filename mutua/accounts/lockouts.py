"""How django-axes reads a login attempt: who the client is, and what repeated failures lock.

Failures lock one member number (or staff login) *at one address* (``AXES_LOCKOUT_PARAMETERS``):
someone mistyping in an office, behind a mobile carrier or a load balancer locks only themselves.
Separately and more loosely, an address is throttled after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures
over the cool-off period across every login: one machine trying many member numbers. A success
deletes that person's failures at the address, so an office whose people mistype and then get in
never reaches the address limit; an attacker's guesses never succeed and stay counted.

The back office's login page is never throttled by address: whoever can lift a lockout can always
sign in to do it. It is told apart by the page, not by the login typed, so that a throttled address
cannot learn which logins are staff from the answers. The page lets only staff in, with their
authenticator code, and answers a member's right password as any wrong one; each login's own
lockout at the address still applies there.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ipware.ip import get_client_ip

from mutua.accounts.selectors import login_failures_from_address


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever is at the other end (``AXES_CLIENT_IP_CALLABLE``).

    Every per-address decision goes through it via ``axes.helpers.get_client_ip_address``: the
    lockouts, the simulator's allowance, the contact form's.
    """
    if settings.PROXY_COUNT:
        # Each proxy appends the address it was connected from, so the client is the
        # PROXY_COUNT-th from the right; django-ipware counts the proxies listed before the
        # last one (REMOTE_ADDR). Not strict: a client's own entries on the left must not void
        # the header and leave everyone with the balancer's address.
        address, _routable = get_client_ip(
            request,
            proxy_count=settings.PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus the looser throttle of an address (``AXES_HANDLER``)."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or self._address_throttled(request, credentials)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the address limit is answered as a lockout, as axes does for its own.
        if request is not None and not request.axes_locked_out and self._address_throttled(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    @staticmethod
    def _address_throttled(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
        if request.path == reverse("backoffice:login"):
            return False
        return login_failures_from_address(ip_address=request.axes_ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
