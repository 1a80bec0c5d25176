import pytest
from django.core.management import CommandError, call_command

from mutua.accounts.models import User
from mutua.contracts.models import Member
from mutua.demo.french import DEMO_MEMBERS, DEMO_STAFF
from mutua.demo.international import INTL_MEMBER_NUMBER

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_whatever_the_number_of_runs():
    call_command("load_demo")
    call_command("load_demo")
    assert Member.objects.count() == len(DEMO_MEMBERS) + 1  # and the international staff member
    assert User.objects.filter(role__in=[s.role for s in DEMO_STAFF]).count() == len(DEMO_STAFF)
    with_account = [m.member_number for m in DEMO_MEMBERS if m.with_account] + [INTL_MEMBER_NUMBER]
    assert sorted(User.objects.filter(role="member").values_list("username", flat=True)) == with_account


def test_demo_data_is_refused_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
    assert not Member.objects.exists()
