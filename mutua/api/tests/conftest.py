import pytest
from django.test import Client

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.services import api_token_create


class ApiClient:
    """Django's test client speaking JSON to /api/v1 with a bearer token."""

    def __init__(self, key: str = "", language: str = "en") -> None:
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def get(self, path, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self.headers, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self.client.post(
            f"/api/v1{path}", data or {}, content_type="application/json", headers=self.headers, **kwargs
        )

    def post_multipart(self, path, data):
        return self.client.post(f"/api/v1{path}", data, headers=self.headers)

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


@pytest.fixture
def user():
    return MemberUserFactory()


@pytest.fixture
def api(user):
    return ApiClient(api_token_create(user=user, name="phone")[1])


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what is queued after commit (the background adjudication) as the worker would."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run
