"""Property-based tests generated from the OpenAPI schema (schemathesis): every operation, with a token
and without, answers only with documented statuses, content types and bodies, and never with a 5xx.

Deterministic (``derandomize``: the same examples on every run) and bounded to stay fast.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    is_unexpected_http_status_case,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mutua.api.api import api
from mutua.api.services import api_token_create
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim

pytestmark = pytest.mark.django_db

# The schema exactly as /api/v1/openapi.json serves it; the requests go through Django's WSGI handler.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)))
schema.app = get_wsgi_application()
# Revoking the token would leave the examples after it unauthenticated (test_auth revokes one).
schema = schema.exclude(method="DELETE", path="/api/v1/auth/token")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection():
    """Django's WSGI handler closes the connection after each request; the test transaction needs it
    (Django's own test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(keep_test_connection, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted_claim(user, [GP_VISIT])  # something decided to read, with its statement
    return api_token_create(user=user)[1]


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_only_documented_answers(case, token):
    """Valid and invalid requests (paging out of bounds, ids of the wrong type, missing fields…)."""
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    assert response.status_code < 500


@schema.parametrize()
@settings(max_examples=1, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_without_a_token_every_operation_but_the_login_answers_401_as_documented(case, keep_test_connection):
    response = case.call_and_validate(checks=CHECKS)
    # Request-shape probes (a method the path does not have: 405) are answered before the token is read.
    if case.operation.definition.raw.get("security") and not is_unexpected_http_status_case(case):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == ["Bearer"]
