"""The demo's international staff member: stationed in Nairobi, a spouse and a child, claims decided by the
pipeline (care in the United States paid nothing, with the zone named), a prior approval waiting."""

from decimal import Decimal

import pytest

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import StaffUserFactory
from mutua.approvals.models import PriorApproval
from mutua.benefits.models import ClaimItem
from mutua.contracts.models import Member
from mutua.core.demo_international import INTL_MEMBER_NUMBER, demo_international_load

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
