"""The answers every operation may give besides its own, documented in one place.

The token is checked, the body parsed and the parameters validated before an operation runs (by
django-ninja, answered by the handlers in ``api.py``), so no route declares those statuses: the
schema adds them to each operation from what it takes. Routes declare only what they answer
themselves (404 for another household's claim, 409…).
"""

from collections.abc import Callable
from functools import wraps
from http.client import responses as reasons
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import BODY_CONTENT_TYPES, OpenAPISchema
from ninja.operation import Operation

from mutua.api.errors import method_not_allowed
from mutua.api.schemas import ErrorOut, MessageOut


def common_responses(*, operation: Operation) -> dict[int, type[Schema]]:
    """Status → body of the answers this operation gives before its own code runs."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    common: dict[int, type[Schema]] = {}
    if sources & BODY_CONTENT_TYPES.keys():
        common[400] = MessageOut  # a body that cannot be parsed: malformed JSON or multipart
    if operation.auth_callbacks:
        common[401] = MessageOut  # no token, or one revoked, expired or of an inactive member
    if sources:
        common[422] = ErrorOut  # a path, query (paging) or body value outside its schema
    return common


class _Schema(OpenAPISchema):
    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        documented = super().responses(operation)
        for status, model in common_responses(operation=operation).items():
            if status in documented:
                continue  # the route says more about it (the token endpoint's own 401)
            # Wrapped as django-ninja wraps a route's response models, so the body is a $ref to the component.
            wrapped = type("CommonResponse", (Schema,), {"__annotations__": {"response": model}})
            schema = self._create_schema_from_model(wrapped, by_alias=operation.by_alias, mode="serialization")[0]
            documented[status] = {
                "description": reasons[status],
                "content": {self.api.renderer.media_type: {"schema": schema}},
            }
            if status == 401:
                documented[status]["headers"] = {
                    "WWW-Authenticate": {"description": "Bearer: the scheme to use.", "schema": {"type": "string"}}
                }
        return documented


class DocumentedApi(NinjaAPI):
    """A NinjaAPI whose schema documents every status it answers (see the module's docstring)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Schema(self, path_prefix)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """django-ninja's routes, each answering a method it does not have in JSON in the reader's
        language (django-ninja says "Method not allowed" in plain English text); then any other
        address under the API, answered with a JSON 404 rather than the site's HTML page."""
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = self._json_not_allowed(url.callback)
        return [*urls, re_path(r"^.+$", csrf_exempt(self._unknown_address), name="unknown")]

    def _json_not_allowed(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)  # keeps django-ninja's csrf_exempt mark
        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code != 405:
                return response
            refused = self.create_response(request, {"detail": method_not_allowed(response["Allow"])}, status=405)
            refused["Allow"] = response["Allow"]
            return refused

        return answer

    def _unknown_address(self, request: HttpRequest) -> HttpResponse:
        return self.create_response(request, {"detail": _("Not found.")}, status=404)
