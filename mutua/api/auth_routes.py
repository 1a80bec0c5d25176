"""Obtain a token with the member number and password; revoke the token in use."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Status

from mutua.api.schemas import MessageOut, TokenIn, TokenOut
from mutua.api.services import api_token_create, api_token_revoke
from mutua.contracts.selectors import normalize_member_number

router = Router()


def _lockout_message() -> str:
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    minutes = int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))
    return ngettext(
        "For your security, logging in is blocked for %(minutes)s minute. You can try again after %(time)s.",
        "For your security, logging in is blocked for %(minutes)s minutes. You can try again after %(time)s.",
        minutes,
    ) % {"minutes": minutes, "time": f"{retry_at:%H:%M}"}


@router.post(
    "/token",
    auth=None,
    response={201: TokenOut, 401: MessageOut, 429: MessageOut},
    summary="Obtain a personal API token",
)
def token_obtain(request: HttpRequest, payload: TokenIn):
    """Member number and password, as on the login page. The token is shown once; it lasts 90 days.

    Wrong or unknown credentials get the same answer; repeated failures lock the login
    for a while, as on the web (django-axes).
    """
    user = authenticate(request, username=normalize_member_number(payload.member_number), password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in JSON here rather than with the login page axes' middleware would render.
        request.axes_locked_out = False
        return Status(429, {"detail": _lockout_message()})
    if user is None or not user.is_member:
        return Status(401, {"detail": _("Invalid member number or password.")})
    token, key = api_token_create(user=user, name=payload.name)
    # As a login on the web: the failure count is reset and the access recorded.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return Status(201, {"token": key, "name": token.name, "expires_at": token.expires_at})


@router.delete("/token", response={204: None}, summary="Revoke the token in use")
def token_revoke(request: HttpRequest):
    api_token_revoke(token=request.auth)
    return Status(204, None)
