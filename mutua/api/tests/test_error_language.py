"""The framework's own answers (django-ninja's and pydantic's) come in JSON in the request's language."""

import pytest

from mutua.api.services import api_token_create
from mutua.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(user):
    return ApiClient(api_token_create(user=user, name="phone")[1], language="fr")


def test_a_body_that_cannot_be_parsed_is_said_in_french(french):
    body = '{"name": '
    response = french.client.post("/api/v1/claims", body, content_type="application/json", headers=french.headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "Le contenu de la requête est illisible\u00a0: vérifiez son format."}


def test_validation_errors_are_said_in_the_requests_language(french, api):
    missing = french.post("/claims", {})
    assert missing.status_code == 422
    body = missing.json()
    assert body["detail"] == ["Vérifiez le champ «\u00a0name\u00a0»."]
    required = {"loc": ["body", "payload", "name"], "msg": "Ce champ est obligatoire.", "type": "missing"}
    assert body["errors"] == [required]
    assert french.get("/claims/abc").json()["errors"][0]["msg"] == "Saisissez un nombre entier."
    assert french.post("/claims", {"name": 5}).json()["errors"][0]["msg"] == "Saisissez du texte."
    assert api.post("/claims", {}).json()["errors"][0]["msg"] == "This field is required."


def test_a_method_an_address_does_not_have_gets_json_in_french(french):
    response = french.delete("/claims")
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert response.json()["detail"].startswith("Cette adresse n’accepte pas cette méthode\u00a0: utilisez ")


def test_an_unknown_address_under_the_api_gets_a_json_404(french):
    response = french.get("/nothing/here")
    assert response.status_code == 404 and response.json() == {"detail": "Introuvable."}
    assert french.client.post("/api/v1/nowhere", {}, headers=french.headers).status_code == 404
