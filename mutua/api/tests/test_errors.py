"""Bodies the API cannot read get a JSON 400 in the request's language, documented on every operation
that takes a body (the other statuses are proven by test_schemathesis)."""

import pytest

from mutua.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def served_schema():
    return ApiClient().get("/openapi.json").json()


def operations_with(content_type):
    for path, methods in served_schema()["paths"].items():
        for method, operation in methods.items():
            if content_type in operation.get("requestBody", {}).get("content", {}):
                yield method, path.removeprefix("/api/v1").replace("{", "").replace("}", ""), operation


def test_malformed_json_gets_a_documented_400_on_every_operation_with_a_json_body(api):
    operations = list(operations_with("application/json"))
    assert len(operations) >= 5
    for method, path, operation in operations:
        path = path.replace("claim_id", "1").replace("quote_id", "1")
        response = getattr(api.client, method)(
            f"/api/v1{path}", '{"name": ', content_type="application/json", headers=api.headers
        )
        assert response.status_code == 400, path
        assert response.json() == {"detail": "The request body cannot be read: check its format."}
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/MessageOut"
        }


def test_a_multipart_body_that_cannot_be_parsed_gets_a_json_400(api):
    claim = api.post("/claims", {"name": "Glasses"}).json()
    response = api.client.post(
        f"/api/v1/claims/{claim['id']}/items", b"--x", content_type="multipart/form-data", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body cannot be read: check its format."}
    operation = served_schema()["paths"]["/api/v1/claims/{claim_id}/items"]["post"]
    assert {"400", "401", "404", "422"} <= operation["responses"].keys()
