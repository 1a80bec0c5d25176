"""The demo's international staff member: stationed in Nairobi, a spouse and a child, claims decided by the
pipeline (care in the United States paid nothing, with the zone named), a prior approval waiting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from mutua.accounts.models import Role, User
from mutua.accounts.tests.factories import StaffUserFactory
from mutua.approvals.models import PriorApproval
from mutua.benefits.models import ClaimItem
from mutua.contracts.models import Member
from mutua.demo.international import INTL_MEMBER_NUMBER, demo_international_load
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_request
from mutua.providers.models import Provider

pytestmark = pytest.mark.django_db


def test_the_international_household_is_loaded_once_with_decided_claims_and_a_waiting_approval():
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    demo_international_load(password="Demo-password-2026!", handler=handler)
    demo_international_load(password="Demo-password-2026!", handler=handler)
    member = Member.objects.get(member_number=INTL_MEMBER_NUMBER)
    assert member.duty_station == "KE" and member.beneficiaries.count() == 2
    items = ClaimItem.objects.filter(claim__member=member)
    assert items.count() == 3 and not items.exclude(status=ClaimItem.Status.ACCEPTED).exists()
    nairobi = items.filter(care_country="KE")
    assert all(item.paid_total > 0 for item in nairobi)
    new_york = items.get(care_country="US")
    assert new_york.paid_total == Decimal("0.00")
    assert "North America" in " ".join(new_york.explanation["en"])
    approval = PriorApproval.objects.get(member=member)
    assert (approval.status, approval.country) == (PriorApproval.Status.REQUESTED, "US")


def test_the_network_hospital_at_the_duty_station_guarantees_an_emergency_at_once(django_capture_on_commit_callbacks):
    """The demo has a network hospital in Nairobi: an emergency admission there without the card gets a
    guarantee of payment at once, valid 4 days (seed 000), in the plan's dollars."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    hospital = Provider.objects.get(name="Nairobi Hospital")
    assert (hospital.country, hospital.in_network) == ("KE", True)
    staff = User.objects.get(username="nairobi")
    assert (staff.role, staff.provider_id) == (Role.PROVIDER, hospital.pk)
    member = Member.objects.get(member_number=INTL_MEMBER_NUMBER)
    today = timezone.localdate()
    guarantee = guarantee_request(
        member=member,
        beneficiary=None,
        by=staff,
        channel=Guarantee.Channel.PROVIDER,
        kind=Guarantee.Kind.EMERGENCY,
        stay_kind=Guarantee.StayKind.MEDICAL,
        admission_date=today,
        provider=hospital,
    )
    assert (guarantee.status, guarantee.form) == (Guarantee.Status.ISSUED, Guarantee.Form.GUARANTEE_OF_PAYMENT)
    assert guarantee.currency == "USD" and guarantee.valid_until == today + timedelta(days=3)
