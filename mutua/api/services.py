"""Writes for API tokens: made once with the password, revoked by their holder."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.accounts.models import User
from mutua.api.models import ApiToken

TOKEN_PREFIX = "mutua_"
TOKEN_DAYS = getattr(settings, "API_TOKEN_DAYS", 90)
# A member rarely has more than a phone and a tablet: past this, the oldest token is revoked.
TOKENS_PER_USER = getattr(settings, "API_TOKENS_PER_USER", 10)
# Writing ``last_used_at`` on every request would turn each read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for a member; the clear key is returned once and never stored."""
    if not user.is_member or not user.is_active:
        raise ValidationError(_("API tokens are only for members."), code="not_member")
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).order_by("-created_at")
    stale = [token.pk for token in active[TOKENS_PER_USER - 1 :]]
    if stale:
        ApiToken.objects.filter(pk__in=stale).update(revoked_at=now)
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:60],
        key_hash=token_hash(key),
        generation=user.session_generation,
        created_at=now,
        expires_at=now + timedelta(days=TOKEN_DAYS),
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
    return token


def api_token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
