from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from mutua.accounts.models import Role, User
from mutua.accounts.services import password_set, sessions_end_all
from mutua.accounts.tests.factories import PASSWORD, StaffUserFactory
from mutua.api.models import ApiToken
from mutua.api.services import api_token_create, token_hash
from mutua.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def obtain(member_number, password, client=None, language="en"):
    return (client or ApiClient(language=language)).post(
        "/auth/token", {"member_number": member_number, "password": password, "name": "My phone"}
    )


def test_a_member_obtains_a_token_with_the_member_number_and_password(user):
    response = obtain(user.username.lower(), PASSWORD)
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "Bearer" and body["name"] == "My phone"
    token = ApiToken.objects.get(user=user)
    # Only a SHA-256 of the token is kept.
    assert token.key_hash == token_hash(body["token"]) and body["token"] not in str(token.__dict__)
    assert token.expires_at - timezone.now() > timedelta(days=89)
    assert ApiClient(body["token"]).get("/claims").status_code == 200


def test_wrong_password_and_unknown_member_get_the_same_answer(user):
    wrong = obtain(user.username, "not-the-password")
    unknown = obtain("MU9999999", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Invalid member number or password."}
    assert obtain("MU9999999", "x", language="fr").json() == {"detail": "Numéro d’adhérent ou mot de passe incorrect."}
    assert not ApiToken.objects.exists()


def test_staff_get_no_token():
    staff = StaffUserFactory()
    response = obtain(staff.username, PASSWORD)
    assert response.status_code == 401 and response.json() == {"detail": "Invalid member number or password."}
    assert not ApiToken.objects.exists()


def test_repeated_failures_lock_the_token_endpoint_as_the_login_page(user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain(user.username, "wrong-password").status_code == 401
    locked = obtain(user.username, "wrong-password")
    assert locked.status_code == 429 and locked["Content-Type"].startswith("application/json")
    assert "logging in is blocked for 15 minutes" in locked.json()["detail"]
    # Even the right password is refused while locked, and the web login is locked too.
    assert obtain(user.username, PASSWORD).status_code == 429
    assert ApiClient().client.post("/", {"username": user.username, "password": PASSWORD}).status_code == 429
    assert not ApiToken.objects.exists()


def test_a_lockout_from_the_web_login_applies_to_the_api(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/", {"username": user.username, "password": "wrong-password"})
    assert obtain(user.username, PASSWORD, language="fr").json()["detail"].startswith("Par sécurité")


def test_a_success_resets_the_failure_count(user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        obtain(user.username, "wrong-password")
    assert obtain(user.username, PASSWORD).status_code == 201
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        obtain(user.username, "wrong-password")
    assert obtain(user.username, PASSWORD).status_code == 201


def test_revoke_ends_the_token_in_use_only(user):
    first, second = (api_token_create(user=user)[1] for _ in range(2))
    assert ApiClient(first).delete("/auth/token").status_code == 204
    assert ApiClient(first).get("/claims").status_code == 401
    assert ApiClient(second).get("/claims").status_code == 200
    assert ApiToken.objects.get(key_hash=token_hash(first)).revoked_at is not None


def test_the_api_sets_no_cookie_and_writes_no_session(api):
    from django.contrib.sessions.models import Session

    for response in (api.get("/claims"), api.post("/claims", {"name": "Soins"}), api.get("/people")):
        assert response.status_code in (200, 201) and not response.cookies
    assert not Session.objects.exists()


def test_an_expired_token_is_refused(user):
    token, key = api_token_create(user=user)
    assert ApiClient(key).get("/claims").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = ApiClient(key).get("/claims")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"


def test_last_use_is_recorded(user):
    token, key = api_token_create(user=user)
    assert token.last_used_at is None
    ApiClient(key).get("/people")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_new_password_or_signing_out_everywhere_ends_every_token(user):
    _, key = api_token_create(user=user)
    password_set(user=user, password="Another-long-passphrase-77")
    assert ApiClient(key).get("/claims").status_code == 401
    _, key = api_token_create(user=User.objects.get(pk=user.pk))
    sessions_end_all(user=user)
    assert ApiClient(key).get("/claims").status_code == 401


def test_a_deactivated_member_token_is_refused(user):
    _, key = api_token_create(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ApiClient(key).get("/claims").status_code == 401


def test_the_oldest_tokens_are_revoked_past_the_limit(user):
    keys = [api_token_create(user=user)[1] for _ in range(11)]
    assert ApiClient(keys[0]).get("/people").status_code == 401
    assert all(ApiClient(key).get("/people").status_code == 200 for key in keys[1:])


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer ", "Bearer mutua_not-a-token", "Token mutua_x", "Basic dXNlcjpwYXNz"],
)
def test_requests_without_a_valid_token_get_401(authorization):
    client = ApiClient()
    if authorization is not None:
        client.headers["Authorization"] = authorization
    for path in ("/claims", "/claims/1", "/statements", "/people", "/benefits"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": "Send a valid API token: “Authorization: Bearer <token>”."}
    assert client.post("/claims", {"name": "x"}).status_code == 401
    assert client.delete("/auth/token").status_code == 401


def test_a_signed_in_session_is_not_accepted(client, user):
    client.force_login(user)
    assert client.get("/api/v1/claims").status_code == 401
    assert client.post("/api/v1/claims", {"name": "x"}, content_type="application/json").status_code == 401


def test_a_staff_token_reaches_no_member_endpoint():
    staff = StaffUserFactory(role=Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        api_token_create(user=staff)
    assert refused.value.code == "not_member"
    # Even a token row written for staff by other means is refused.
    ApiToken.objects.create(
        user=staff, key_hash=token_hash("mutua_staff"), expires_at=timezone.now() + timedelta(days=1)
    )
    client = ApiClient("mutua_staff")
    for path in ("/claims", "/statements", "/people", "/benefits"):
        assert client.get(path).status_code == 401
    assert client.post("/claims", {"name": "x"}).status_code == 401


def test_the_token_endpoint_checks_its_input():
    response = ApiClient().post("/auth/token", {"member_number": "MU1"})
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert response.json()["detail"] == ["Check the field “password”."]
