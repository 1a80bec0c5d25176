import pytest
from django.conf import settings
from django.test import Client

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.core.tests.helpers import member_login, staff_login, totp_now

pytestmark = pytest.mark.django_db


def test_staff_cannot_log_in_without_the_second_factor(client):
    staff = StaffUserFactory()
    without = client.post("/backoffice/login/", {"username": staff.username, "password": PASSWORD})
    wrong = client.post("/backoffice/login/", {"username": staff.username, "password": PASSWORD, "otp_token": "000000"})
    for response in (without, wrong):
        assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/backoffice/").status_code == 302


def test_staff_without_a_device_cannot_log_in(client):
    staff = StaffUserFactory()
    staff.totpdevice_set.all().delete()
    response = client.post(
        "/backoffice/login/", {"username": staff.username, "password": PASSWORD, "otp_token": "123456"}
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_staff_with_password_and_code_reaches_the_back_office(client):
    staff = StaffUserFactory()
    staff_login(client, staff, PASSWORD)
    assert client.get("/backoffice/").status_code == 200


def test_wrong_codes_count_towards_the_lockout(client):
    staff = StaffUserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/backoffice/login/", {"username": staff.username, "password": PASSWORD, "otp_token": "000000"})
    locked = client.post(
        "/backoffice/login/", {"username": staff.username, "password": PASSWORD, "otp_token": totp_now(staff)}
    )
    assert locked.status_code == 429


def test_member_cannot_log_in_to_or_open_the_back_office(client):
    user = MemberUserFactory()
    response = client.post(
        "/backoffice/login/", {"username": user.username, "password": PASSWORD, "otp_token": "123456"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    member_login(client, user.username, PASSWORD)
    assert client.get("/backoffice/").status_code == 403
    assert client.get("/backoffice/inbox/").status_code == 403
    assert client.get("/backoffice/admin/", follow=True).redirect_chain[-1][0].startswith("/backoffice/login/")


def test_staff_cannot_use_the_member_portal(client):
    staff_login(client, StaffUserFactory(), PASSWORD)
    assert client.get("/portal/").status_code == 403


@pytest.mark.parametrize("role", [Role.CLAIMS_HANDLER, Role.MEDICAL_ADVISOR, Role.FINANCE])
def test_django_admin_is_for_administrators_only(client, role):
    staff_login(client, StaffUserFactory(role=role), PASSWORD)
    assert client.get("/backoffice/admin/", follow=True).status_code == 403


def test_administrator_reaches_the_django_admin(client):
    staff_login(client, StaffUserFactory(role=Role.ADMINISTRATOR), PASSWORD)
    assert client.get("/backoffice/admin/").status_code == 200


def test_administrator_password_alone_does_not_open_the_admin(client):
    admin = StaffUserFactory(role=Role.ADMINISTRATOR)
    # Even a session authenticated by password only (no verified device) is refused.
    Client().force_login(admin)
    client.force_login(admin)
    assert client.get("/backoffice/admin/", follow=True).redirect_chain[-1][0].startswith("/backoffice/login/")
    assert client.get("/backoffice/").status_code == 302
