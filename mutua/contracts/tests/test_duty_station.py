"""The insured's duty station: set by the management unit, kept in the household's history in words,
shown to the member in their language, read from the affiliation file, handed to the engine."""

import io

import pytest
from django.core.exceptions import ValidationError

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.cover import households_cover
from mutua.contracts.imports import affiliation_file_import
from mutua.contracts.models import ContractPlan, Member
from mutua.contracts.services import member_duty_station_set
from mutua.contracts.tests.factories import BeneficiaryFactory, GroupContractFactory
from mutua.core.countries import country_choices, country_name
from mutua.core.tests.helpers import member_login, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return MemberUserFactory(member__first_name="Amina", member__last_name="Otieno").member


def test_country_names_follow_the_readers_language():
    assert [country_name("KE", lang) for lang in ("en", "fr", "es")] == ["Kenya", "Kenya", "Kenia"]
    assert country_name("US", "fr") == "États-Unis"
    assert dict(country_choices("es"))["US"] == "Estados Unidos"


def test_no_country_is_left_in_english_among_the_arabic_names():
    """pycountry's Arabic catalogue has "Iran, Islamic Republic of" but not "Iran": the list began with
    Iran, Laos, North Korea, South Korea and Syria in English; French keeps the short "Iran"."""
    assert country_name("IR", "ar").startswith("إيران") and country_name("LA", "ar") != "Laos"
    english = [name for _code, name in country_choices("ar") if name.isascii()]
    assert english == []
    assert country_name("IR", "fr") == "Iran" and country_name("KR", "es") == "Corea del Sur"


def test_the_service_checks_the_code_and_clears_it(member):
    member_duty_station_set(member=member, duty_station="ke")
    assert Member.objects.get(pk=member.pk).duty_station == "KE"
    with pytest.raises(ValidationError):
        member_duty_station_set(member=member, duty_station="XX")
    member_duty_station_set(member=member, duty_station="")
    assert Member.objects.get(pk=member.pk).duty_station == ""


def test_a_handler_sets_it_from_the_household_page_and_the_history_names_the_country(client, member):
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER, username="alice", first_name="", last_name="")
    staff_login(client, handler, PASSWORD)
    response = client.post(f"/backoffice/members/{member.pk}/duty-station/", {"duty_station": "KE"})
    assert response.status_code == 302
    page = client.get(f"/backoffice/members/{member.pk}/", headers={"Accept-Language": "es"}).content.decode()
    assert '<option value="KE" selected>Kenia</option>' in page
    english = client.get(f"/backoffice/members/{member.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "duty station set to Kenya, by alice" in english
    assert client.post(f"/backoffice/members/{member.pk}/duty-station/", {"duty_station": "ZZ"}).status_code == 422


def test_a_medical_advisor_reads_the_household_but_cannot_change_the_duty_station(client, member):
    advisor = StaffUserFactory(role=Role.MEDICAL_ADVISOR)
    staff_login(client, advisor, PASSWORD)
    assert client.post(f"/backoffice/members/{member.pk}/duty-station/", {"duty_station": "KE"}).status_code == 403


def test_the_member_sees_it_on_the_contract_page_in_their_language(client, member):
    member_duty_station_set(member=member, duty_station="KE")
    member_login(client, member.member_number, PASSWORD)
    assert "Duty station: Kenya" in client.get("/portal/contract/", headers={"Accept-Language": "en"}).content.decode()
    assert "Kenia" in client.get("/portal/contract/", headers={"Accept-Language": "es"}).content.decode()


def test_the_contract_page_speaks_of_teletransmission_only_when_a_national_scheme_pays_first(client, member):
    """The French plan's members read how their CPAM sends us statements; an international member, whose plan
    pays from the first dollar, does not read about an Assurance Maladie they have nothing to do with."""
    member_login(client, member.member_number, PASSWORD)
    assert 'id="teletransmission"' in client.get("/portal/contract/").content.decode()
    ContractPlan.objects.filter(contract=member.contract).update(plan_code="intl-staff", tiers=["main"])
    page = client.get("/portal/contract/", headers={"Accept-Language": "en"}).content.decode()
    assert 'id="teletransmission"' not in page and "CPAM" not in page
    assert "International staff plan" in page
    assert "Tiers, in the order they pay" not in page  # one tier, named "Plan": nothing to order


def test_the_household_shares_it(member):
    child = BeneficiaryFactory(member=member)
    member_duty_station_set(member=member, duty_station="KE")
    covered = households_cover([member.pk])[member.pk]
    assert {(person.beneficiary_id, person.duty_station) for person in covered} == {(None, "KE"), (child.pk, "KE")}


def test_the_affiliation_file_may_give_it():
    contract = GroupContractFactory()
    file = io.BytesIO(
        b"action;member_number;last_name;first_name;birth_date;email;hire_date;duty_station\n"
        b"hire;INT0001;Otieno;Amina;1986-03-02;amina@example.org;2026-01-05;KE\n"
        b"hire;INT0002;Mwangi;Joseph;1980-07-12;joseph@example.org;2026-01-05;Atlantis\n"
    )
    report = affiliation_file_import(contract=contract, file=file, filename="staff.csv")
    assert not report.accepted
    assert [problem.column for problem in report.problems] == ["duty_station"]
    file = io.BytesIO(
        b"action;member_number;last_name;first_name;birth_date;email;hire_date;duty_station\n"
        b"hire;INT0001;Otieno;Amina;1986-03-02;amina@example.org;2026-01-05;KE\n"
    )
    assert affiliation_file_import(contract=contract, file=file, filename="staff.csv").accepted
    assert Member.objects.get(member_number="INT0001").duty_station == "KE"
