from datetime import date

import pytest

from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.contracts.models import Relationship
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.crypto import search_digest
from mutua.teletransmission.mappings import default_rows
from mutua.teletransmission.models import ActMapping
from mutua.teletransmission.tests.helpers import CHILD_BIRTH, SPOUSE_BIRTH, SPOUSE_NIR, SUBSCRIBER_NIR


@pytest.fixture(autouse=True)
def _act_mappings(request):
    """The mapping table comes from a data migration, and a transactional test elsewhere in the
    suite empties every table when it ends: tests here start with the shipped table."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    ActMapping.objects.bulk_create([ActMapping(**row) for row in default_rows()], ignore_conflicts=True)


@pytest.fixture
def household():
    """A subscriber, a spouse insured in their own name and a child on the subscriber's NIR."""
    user = MemberUserFactory(
        member__cover_start=date(2020, 1, 1),
        member__nir=SUBSCRIBER_NIR,
        member__nir_digest=search_digest(SUBSCRIBER_NIR),
        member__birth_date=date(1985, 4, 1),
    )
    spouse = BeneficiaryFactory(
        member=user.member,
        relationship=Relationship.SPOUSE,
        rank=1,
        birth_date=SPOUSE_BIRTH,
        nir=SPOUSE_NIR,
        nir_digest=search_digest(SPOUSE_NIR),
    )
    child = BeneficiaryFactory(member=user.member, rank=2, birth_date=CHILD_BIRTH)
    return user, spouse, child


@pytest.fixture
def handler():
    return StaffUserFactory()
