"""The REST API for the mobile app: /api/v1, OpenAPI at /api/v1/openapi.json.

Every endpoint but the token one needs a member's personal token (``Authorization: Bearer``);
a session cookie is never accepted. Errors are JSON in the request's language.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from mutua.api.approvals_routes import router as approvals_router
from mutua.api.auth import MemberTokenAuth
from mutua.api.auth_routes import router as auth_router
from mutua.api.claims_routes import router as claims_router
from mutua.api.conversations_routes import router as conversations_router
from mutua.api.errors import http_message, validation_message
from mutua.api.guarantees_routes import router as guarantees_router
from mutua.api.notifications_routes import router as notifications_router
from mutua.api.openapi import DocumentedApi
from mutua.api.quotes_routes import router as quotes_router
from mutua.api.reviews_routes import router as reviews_router

# Every status answered here (400, 401, 404, 422) is in the schema: see mutua/api/openapi.py.
api = DocumentedApi(
    title="Mutua",
    version="1",
    description="Claims, statements and reference lists of a member's household, for the mobile app.",
    urls_namespace="api-v1",
    auth=MemberTokenAuth(),
    # The interactive docs page loads scripts from a CDN: only the schema is served.
    docs_url=None,
)
api.add_router("/auth", auth_router, tags=["authentication"])
api.add_router("/", claims_router, tags=["claims"])
api.add_router("/", quotes_router, tags=["quotes"])
api.add_router("/", guarantees_router, tags=["hospital guarantees"])
api.add_router("/", approvals_router, tags=["prior approvals"])
api.add_router("/", conversations_router, tags=["messages"])
api.add_router("/", reviews_router, tags=["reviews of automatic decisions"])
api.add_router("/", notifications_router, tags=["notifications"])


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@api.exception_handler(ValidationError)
def service_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    code = getattr(error, "code", None) or "invalid"
    return api.create_response(request, {"detail": _messages(error), "code": code}, status=422)


@api.exception_handler(SchemaValidationError)
def schema_error(request: HttpRequest, error: SchemaValidationError) -> HttpResponse:
    messages = []
    for problem in error.errors:
        location = [str(part) for part in problem.get("loc", ()) if not isinstance(part, int)]
        field = location[-1] if location else "request"
        messages.append(_("Check the field “%(field)s”.") % {"field": field})
    errors = [
        {"loc": problem.get("loc", ()), "msg": validation_message(problem), "type": problem.get("type", "")}
        for problem in error.errors
    ]
    body = {"detail": list(dict.fromkeys(messages)), "code": "invalid", "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Send a valid API token: “Authorization: Bearer <token>”.")}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # django-ninja's own (a body it cannot parse, a refused CSRF check, too many requests) say it in English.
    return api.create_response(request, {"detail": http_message(error.status_code)}, status=error.status_code)


@api.exception_handler(MultiPartParserError)
def unreadable_form(request: HttpRequest, error: MultiPartParserError) -> HttpResponse:
    # Django would answer with its HTML error page; the app reads JSON.
    return api.create_response(request, {"detail": _("The request body cannot be read: check its format.")}, status=400)
