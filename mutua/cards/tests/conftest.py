from datetime import date

import pytest

from mutua.contracts.models import Relationship
from mutua.contracts.tests.factories import BeneficiaryFactory, MemberFactory

SUBSCRIBER_NIR = "185047512345678"
SUBSCRIBER_ADDRESS = "12 rue des Lilas\n69003 Lyon"


@pytest.fixture
def household():
    """A subscriber, a spouse, a child, and a beneficiary removed last year (not on the card)."""
    member = MemberFactory(
        first_name="Anne",
        last_name="Martin",
        birth_date=date(1985, 4, 1),
        nir=SUBSCRIBER_NIR,
        postal_address=SUBSCRIBER_ADDRESS,
        phone="+33 6 12 34 56 78",
    )
    BeneficiaryFactory(
        member=member, relationship=Relationship.SPOUSE, rank=2, first_name="Paul", birth_date=date(1983, 9, 17)
    )
    BeneficiaryFactory(member=member, rank=3, first_name="Léa", birth_date=date(2015, 2, 3))
    BeneficiaryFactory(
        member=member, rank=4, first_name="Hugo", birth_date=date(2012, 6, 5), removed_on=date(2021, 1, 1)
    )
    return member
