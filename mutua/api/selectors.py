"""Reads for API tokens."""

from django.utils import timezone

from mutua.api.models import ApiToken
from mutua.api.services import TOKEN_PREFIX, token_hash


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The live token of an active member for this key; None for anything else, whatever the reason."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user__member")
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None:
        return None
    user = token.user
    if not (user.is_active and user.is_member and user.member_id) or token.generation != user.session_generation:
        return None
    return token
