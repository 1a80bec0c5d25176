"""Headers every page carries, and the weight of the light pages."""

import re

import pytest
from django.contrib.staticfiles import finders

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.core.tests.helpers import member_login

pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 60 * 1024


def page_weight(client, url: str) -> int:
    """HTML plus every stylesheet, script and image it references; nothing may come from elsewhere."""
    html = client.get(url).content
    total = len(html)
    for ref in re.findall(rb'(?:href|src)="([^"]+\.(?:css|js|png|svg|jpg|woff2?))"', html):
        ref = ref.decode()
        assert ref.startswith("/"), f"external resource on {url}: {ref}"
        path = finders.find(ref.removeprefix("/static/"))
        assert path, ref
        with open(path, "rb") as f:
            total += len(f.read())
    return total


def test_member_pages_are_never_cached_and_carry_security_headers(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    response = client.get("/portal/")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_session_and_csrf_cookies_are_http_only(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"


def test_forms_are_protected_by_csrf():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    user = MemberUserFactory()
    assert csrf_client.post("/", {"username": user.username, "password": PASSWORD}).status_code == 403


def test_login_and_home_pages_weigh_under_60_kb(client):
    assert page_weight(client, "/") < PAGE_BUDGET_BYTES
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    assert page_weight(client, "/portal/") < PAGE_BUDGET_BYTES


def test_pages_load_no_script_and_nothing_external(client):
    user = MemberUserFactory()
    for url in ("/", "/first-login/", "/password-reset/", "/help/", "/help/contact/"):
        html = client.get(url).content.decode()
        assert "<script" not in html
        assert "http://" not in html and "https://" not in html, url
    member_login(client, user.username, PASSWORD)
    assert "<script" not in client.get("/portal/").content.decode()
