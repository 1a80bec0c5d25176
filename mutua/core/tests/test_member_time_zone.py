"""A member reads times in the time zone of their duty station, where the country has only one."""

from datetime import UTC, datetime

import pytest

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory
from mutua.benefits.models import Claim
from mutua.claims.services import claim_create
from mutua.core.middleware import duty_station_time_zone
from mutua.core.tests.helpers import member_login

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 12, 7, 19, 14, tzinfo=UTC)  # 20:14 in Paris, 22:14 in Nairobi


def sent_time_read_by(client, duty_station: str) -> str:
    user = MemberUserFactory(member__duty_station=duty_station)
    claim = claim_create(member=user.member, beneficiary=None, name="Consultation")
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_PROGRESS, submitted_at=SENT)
    member_login(client, user.member.member_number, PASSWORD)
    return client.get(f"/portal/claims/{claim.pk}/", headers={"Accept-Language": "en"}).content.decode()


def test_a_member_stationed_in_nairobi_reads_nairobi_time(client):
    page = sent_time_read_by(client, "KE")
    assert "22:14" in page and "20:14" not in page


def test_a_member_without_a_duty_station_reads_the_sites_time(client):
    page = sent_time_read_by(client, "")
    assert "20:14" in page


def test_a_country_with_several_time_zones_keeps_the_sites():
    assert duty_station_time_zone("US") is None
    assert str(duty_station_time_zone("KE")) == "Africa/Nairobi"
    assert duty_station_time_zone("") is None
