"""Every API route that acts for a person of the household (claims, quotes, guarantees, prior approvals)
reads the person one way: the subscriber, a beneficiary of this household, nobody else."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mutua.accounts.tests.factories import MemberUserFactory
from mutua.api.people import household_person
from mutua.contracts.tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_the_subscriber_a_beneficiary_and_nobody_from_another_household():
    member = MemberUserFactory().member
    child = BeneficiaryFactory(member=member)
    stranger = BeneficiaryFactory(member=MemberUserFactory().member)
    removed = BeneficiaryFactory(member=member, removed_on=date(2025, 1, 1))
    assert household_person(member=member, person="") is None
    assert household_person(member=member, person=str(child.pk)) == child
    for other in (stranger, removed):
        with pytest.raises(ValidationError) as refused:
            household_person(member=member, person=str(other.pk))
        assert refused.value.code == "beneficiary"
    with pytest.raises(ValidationError):
        household_person(member=member, person="not a number")
