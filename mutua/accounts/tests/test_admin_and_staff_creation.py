import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import Role, User
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.core.tests.helpers import staff_login

pytestmark = pytest.mark.django_db


def test_create_staff_makes_a_user_who_can_log_in_with_the_printed_device(client, monkeypatch, capsys):
    monkeypatch.setenv("MUTUA_STAFF_PASSWORD", PASSWORD)
    call_command("create_staff", "first.admin", role="administrator", email="admin@example.org")
    output = capsys.readouterr().out
    user = User.objects.get(username="first.admin")
    device = TOTPDevice.objects.get(user=user)
    assert user.role == Role.ADMINISTRATOR and user.password.startswith("argon2$")
    assert device.config_url in output
    staff_login(client, user, PASSWORD)
    assert client.get("/backoffice/admin/").status_code == 200


def test_create_staff_refuses_a_weak_password_or_a_taken_name(monkeypatch):
    monkeypatch.setenv("MUTUA_STAFF_PASSWORD", "password")
    with translation.override("en"), pytest.raises(CommandError, match="This password is too short"):
        call_command("create_staff", "weak", role="finance", email="f@example.org")
    StaffUserFactory(username="taken")
    monkeypatch.setenv("MUTUA_STAFF_PASSWORD", PASSWORD)
    with translation.override("en"), pytest.raises(CommandError, match="The username taken is already taken"):
        call_command("create_staff", "taken", role="finance", email="f@example.org")
    assert not User.objects.filter(username="weak").exists()


def test_administrator_manages_users_roles_and_devices_in_the_admin(client):
    admin = StaffUserFactory(role=Role.ADMINISTRATOR)
    member = MemberUserFactory()
    staff_login(client, admin, PASSWORD)
    users = client.get("/backoffice/admin/accounts/user/")
    assert users.status_code == 200 and member.username in users.content.decode()
    assert client.get(f"/backoffice/admin/accounts/user/{member.pk}/change/").status_code == 200
    device = TOTPDevice.objects.get(user=admin)
    qr = client.get(f"/backoffice/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg")


def test_changing_a_role_in_the_admin_moves_the_admin_rights_with_it(client):
    admin = StaffUserFactory(role=Role.ADMINISTRATOR)
    other = StaffUserFactory(role=Role.ADMINISTRATOR)
    staff_login(client, admin, PASSWORD)
    page = client.get(f"/backoffice/admin/accounts/user/{other.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in {"password", "member"}}
    data |= {
        "role": Role.FINANCE,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "",
        "date_joined_1": "",
    }
    response = client.post(f"/backoffice/admin/accounts/user/{other.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    other.refresh_from_db()
    assert other.role == Role.FINANCE and not other.is_superuser and not other.is_staff
