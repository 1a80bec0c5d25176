import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.core.models import SecurityEvent
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db


def test_member_logs_in_with_member_number_typed_loosely(client):
    user = MemberUserFactory(member__member_number="MU0001234")
    session_before = client.session.session_key
    response = client.post("/", {"username": "mu 0001-234", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.session.session_key != session_before  # a new session id at login
    assert client.get("/portal/").context["member"] == user.member


def test_wrong_password_gives_a_neutral_message(client):
    user = MemberUserFactory()
    wrong = client.post("/", {"username": user.username, "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post("/", {"username": "MU5555555", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "Invalid member number or password" in wrong.content.decode()


def test_staff_cannot_log_in_on_the_member_portal(client):
    staff = StaffUserFactory()
    response = client.post("/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 200 and response.context["form"].errors


def test_lockout_after_repeated_failures_per_member_number(client):
    user = MemberUserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/", {"username": user.username, "password": "wrong-password"})
    locked = client.post("/", {"username": user.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many failed attempts" in body and "You can try again after" in body
    # The lockout follows the member number, whatever the address.
    other_address = Client(REMOTE_ADDR="10.9.9.9")
    assert other_address.post("/", {"username": user.username, "password": PASSWORD}).status_code == 429


def test_lockout_per_address_covers_many_member_numbers(client):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/", {"username": f"MU00000{n}", "password": "wrong-password"})
    user = MemberUserFactory()
    assert client.post("/", {"username": user.username, "password": PASSWORD}).status_code == 429


def test_lockout_message_in_french(client):
    user = MemberUserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/", {"username": user.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Trop de tentatives" in response.content.decode()


def test_staff_can_unlock_a_member_attacked_from_many_addresses(client):
    user = MemberUserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"10.1.1.{n}").post("/", {"username": user.username, "password": "wrong-password"})
    assert (
        Client(REMOTE_ADDR="10.3.3.3").post("/", {"username": user.username, "password": PASSWORD}).status_code == 429
    )
    handler = StaffUserFactory()
    staff_login(client, handler, PASSWORD)
    lockouts = client.get("/backoffice/lockouts/").context["lockouts"]
    assert [(lockout.kind, lockout.value) for lockout in lockouts] == [("username", user.username)]
    assert lockouts[0].failures == settings.AXES_FAILURE_LIMIT + 1  # the attempt made while locked counts too
    client.post("/backoffice/lockouts/clear/", {"kind": "username", "value": user.username})
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    member_login(Client(REMOTE_ADDR="10.2.2.2"), user.username, PASSWORD)
    event = SecurityEvent.objects.get()
    assert event.by == handler and event.target == f"username={user.username}"


def test_an_address_lockout_is_listed_and_lifted(client):
    attacker = Client(REMOTE_ADDR="10.9.8.7")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/", {"username": f"MU00000{n}", "password": "wrong-password"})
    staff_login(client, StaffUserFactory(), PASSWORD)
    lockouts = client.get("/backoffice/lockouts/").context["lockouts"]
    assert ("ip_address", "10.9.8.7") in [(lockout.kind, lockout.value) for lockout in lockouts]
    client.post("/backoffice/lockouts/clear/", {"kind": "ip_address", "value": "10.9.8.7"})
    user = MemberUserFactory()
    assert attacker.post("/", {"username": user.username, "password": PASSWORD}).status_code == 302


def test_finance_cannot_unlock(client):
    finance = StaffUserFactory(role="finance")
    staff_login(client, finance, PASSWORD)
    assert client.get("/backoffice/lockouts/").status_code == 403


def test_signed_in_people_opening_the_login_page_go_to_their_space(client):
    user = MemberUserFactory()
    member_login(client, user.username, PASSWORD)
    response = client.get("/?next=/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    staff_client = Client()
    staff_login(staff_client, StaffUserFactory(), PASSWORD)
    assert staff_client.get("/")["Location"] == "/backoffice/"
