import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutua.accounts.models import Role, User
from mutua.demo.french import DEMO_PASSWORD, DEMO_PROVIDER_STAFF, DEMO_PROVIDERS, demo_logins_text
from mutua.guarantees.models import Guarantee
from mutua.providers.models import Provider

pytestmark = pytest.mark.django_db


def test_the_demo_has_hospitals_their_staff_and_an_issued_guarantee_once():
    call_command("load_demo")
    call_command("load_demo")
    assert Provider.objects.count() == len(DEMO_PROVIDERS)
    clinic = Provider.objects.get(name="Clinique des Lilas")
    assert clinic.in_network and len(clinic.finess) == 9 and clinic.iban
    abroad = Provider.objects.get(in_network=False)
    assert abroad.country != "FR" and not abroad.finess
    # At the international member's duty station, in the network (seed 000's guarantee within 2 hours).
    nairobi = Provider.objects.get(country="KE")
    assert nairobi.in_network and not nairobi.finess

    assert [name for name, _staff in DEMO_PROVIDER_STAFF] == [clinic.name, nairobi.name]
    for provider, (_name, staff) in zip((clinic, nairobi), DEMO_PROVIDER_STAFF, strict=True):
        user = User.objects.get(username=staff.username)
        assert user.role == Role.PROVIDER and user.provider == provider and user.check_password(DEMO_PASSWORD)
        assert TOTPDevice.objects.get(user=user).key == staff.totp_key

    [guarantee] = Guarantee.objects.filter(member__member_number="MU1000001")
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.provider == clinic
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT and guarantee.total_plan > 0


def test_the_hospital_login_is_printed_with_the_others():
    text = demo_logins_text(base_url="http://127.0.0.1:8000/")
    assert "http://127.0.0.1:8000/provider/" in text
    for _name, staff in DEMO_PROVIDER_STAFF:
        assert staff.username in text and staff.base32_secret in text
