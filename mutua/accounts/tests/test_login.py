import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from mutua.accounts.models import Role
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


def fail(client: Client, username: str, times: int = 1) -> None:
    for _ in range(times):
        client.post("/", {"username": username, "password": "wrong-password"})


def log_in(client: Client, username: str) -> int:
    return client.post("/", {"username": username, "password": PASSWORD}).status_code


def test_repeated_failures_lock_the_member_number_at_that_address_only():
    user, colleague = MemberUserFactory(), MemberUserFactory()
    office = Client(REMOTE_ADDR="198.51.100.20")
    fail(office, user.username, settings.AXES_FAILURE_LIMIT)
    locked = office.post("/", {"username": user.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many failed attempts" in body and "You can try again after" in body
    # Nobody else behind the office's address is locked out, staff included; the member elsewhere neither.
    assert log_in(Client(REMOTE_ADDR="198.51.100.20"), colleague.username) == 302
    staff_login(Client(REMOTE_ADDR="198.51.100.20"), StaffUserFactory(role=Role.ADMINISTRATOR), PASSWORD)
    assert log_in(Client(REMOTE_ADDR="203.0.113.5"), user.username) == 302


def test_an_address_trying_many_member_numbers_is_throttled(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    user = MemberUserFactory()
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        fail(attacker, f"MU70000{n:02d}")
    assert log_in(Client(REMOTE_ADDR="192.0.2.66"), user.username) == 302
    fail(attacker, "MU7000099")
    assert log_in(Client(REMOTE_ADDR="192.0.2.66"), MemberUserFactory().username) == 429
    assert log_in(Client(REMOTE_ADDR="192.0.2.67"), MemberUserFactory().username) == 302


def test_an_address_whose_people_mistype_then_get_in_is_never_throttled(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    office = "198.51.100.20"
    for _ in range(2):  # two pairs of colleagues, each mistyping at the same time, then getting in
        pair = [MemberUserFactory(), MemberUserFactory()]
        for user in pair:
            fail(Client(REMOTE_ADDR=office), user.username, settings.AXES_FAILURE_LIMIT - 1)
        for user in pair:
            assert log_in(Client(REMOTE_ADDR=office), user.username) == 302
    assert log_in(Client(REMOTE_ADDR=office), MemberUserFactory().username) == 302


def test_staff_sign_in_from_a_throttled_address_and_lift_it(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        fail(attacker, f"MU70000{n:02d}")
    user = MemberUserFactory()
    assert log_in(attacker, user.username) == 429
    handler, client = StaffUserFactory(), Client(REMOTE_ADDR="192.0.2.66")
    staff_login(client, handler, PASSWORD)
    lockouts = client.get("/backoffice/lockouts/").context["lockouts"]
    assert [(lockout.username, lockout.ip_address) for lockout in lockouts] == [("", "192.0.2.66")]
    assert lockouts[0].failures == settings.LOGIN_ADDRESS_FAILURE_LIMIT + 1  # the attempt made while locked counts too
    client.post("/backoffice/lockouts/clear/", {"ip_address": "192.0.2.66"})
    assert log_in(attacker, user.username) == 302
    event = SecurityEvent.objects.get()
    assert event.by == handler and event.target == "ip_address=192.0.2.66"


def test_a_throttled_address_cannot_tell_staff_logins_from_others(settings):
    """The back office's login page is exempt from the address throttle by the page, not by the login
    typed: a staff login and an unknown one get the same answer there, and elsewhere."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    staff = StaffUserFactory()
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        fail(attacker, f"MU70000{n:02d}")
    answers = {
        username: attacker.post(
            "/backoffice/login/", {"username": username, "password": "x", "otp_token": "123456"}
        ).status_code
        for username in ("nobody-here", staff.username)
    }
    assert answers == {"nobody-here": 200, staff.username: 200}
    members_page = {username: log_in(attacker, username) for username in ("nobody-here", staff.username)}
    assert members_page == {"nobody-here": 429, staff.username: 429}


def test_lockout_message_in_french(client):
    user = MemberUserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/", {"username": user.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Trop de tentatives" in response.content.decode()


def test_a_locked_member_number_is_listed_and_lifted_at_its_address(client):
    user = MemberUserFactory()
    phone = Client(REMOTE_ADDR="203.0.113.9")
    fail(phone, user.username, settings.AXES_FAILURE_LIMIT)
    fail(Client(REMOTE_ADDR="203.0.113.10"), user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(phone, user.username) == 429
    handler = StaffUserFactory()
    staff_login(client, handler, PASSWORD)
    lockouts = client.get("/backoffice/lockouts/").context["lockouts"]
    assert [(lockout.username, lockout.ip_address, lockout.failures) for lockout in lockouts] == [
        (user.username, "203.0.113.9", settings.AXES_FAILURE_LIMIT + 1)
    ]
    refused = client.post("/backoffice/lockouts/clear/", {"username": user.username}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and "Choose the lockout to lift." in refused.content.decode()
    assert "203.0.113.9" in refused.content.decode()  # the page again, its lockouts listed
    client.post("/backoffice/lockouts/clear/", {"username": user.username, "ip_address": "203.0.113.9"})
    assert not AccessAttempt.objects.filter(username=user.username, ip_address="203.0.113.9").exists()
    assert AccessAttempt.objects.filter(username=user.username, ip_address="203.0.113.10").exists()
    member_login(phone, user.username, PASSWORD)
    event = SecurityEvent.objects.get()
    assert event.by == handler and event.target == f"username={user.username} ip_address=203.0.113.9"


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
