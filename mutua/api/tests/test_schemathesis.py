"""Property-based tests generated from the OpenAPI schema (schemathesis), bounded to stay fast."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from mutua.api.api import api
from mutua.api.services import api_token_create
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim

pytestmark = pytest.mark.django_db

# The schema exactly as /api/v1/openapi.json serves it; the requests go through Django's WSGI handler.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)))
schema.app = get_wsgi_application()
# The reads, and starting a claim; uploads, submission and tokens have their own tests.
schema = schema.exclude(path_regex=r"/(items|submit|auth)").exclude(method="DELETE")
CASES: dict[str, int] = {}


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
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_break_the_api(case, token):
    CASES[case.operation.label] = CASES.get(case.operation.label, 0) + 1
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    assert response.status_code < 500
