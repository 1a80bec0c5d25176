"""Bearer authentication for the API: a member's personal token, nothing else (no session cookie)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from mutua.api.models import ApiToken
from mutua.api.selectors import api_token_for_key
from mutua.api.services import api_token_touch


class MemberTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token must be live and belong to an active member."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_for_key(key=token.strip())
        if api_token is None:
            return None
        api_token_touch(token=api_token)
        # The endpoints act for ``request.auth.user`` only. ``request.user`` stays what the session
        # says (anonymous for the app), so no session is written and no cookie is set.
        return api_token
