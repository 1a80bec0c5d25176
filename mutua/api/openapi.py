"""The answers every operation may give besides its own, documented in one place.

The token is checked, the body parsed and the parameters validated before an operation runs (by
django-ninja, answered by the handlers in ``api.py``), so no route declares those statuses: the
schema adds them to each operation from what it takes. Routes declare only what they answer
themselves (404 for another household's claim, 409…).
"""

from http.client import responses as reasons
from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import BODY_CONTENT_TYPES, OpenAPISchema
from ninja.operation import Operation

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
