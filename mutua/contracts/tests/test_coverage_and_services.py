from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.contracts.cover import beneficiary_coverage_on, households_cover, subscriber_coverage_on
from mutua.contracts.models import (
    BeneficiarySituation,
    ContractPlan,
    CoverEndReason,
    Member,
    Relationship,
    SituationKind,
)
from mutua.contracts.rules import Reason
from mutua.contracts.selectors import member_find
from mutua.contracts.services import (
    beneficiary_add,
    beneficiary_optional_cover_end,
    beneficiary_optional_cover_start,
    member_affiliate,
    member_bank_details_update,
    member_cover_end,
    nir_clean,
)
from mutua.contracts.tests.factories import BeneficiaryFactory, GroupContractFactory, MemberFactory
from mutua.core.crypto import DecryptionError, search_digest

pytestmark = pytest.mark.django_db

NIR = "184127645108946"  # key 46
NIR_CORSICA = "279052A00112302"


def test_nir_is_checked_with_its_key_including_corsica():
    assert nir_clean("1 84 12 76 451 089 46") == NIR
    assert nir_clean(NIR_CORSICA.replace("2A", "2a")) == NIR_CORSICA
    with translation.override("en"), pytest.raises(ValidationError, match="not valid"):
        nir_clean("184127645108947")
    with pytest.raises(ValidationError):
        nir_clean("279052B00112302")  # a 2A key does not fit 2B


def test_nir_is_encrypted_at_rest_and_found_by_its_keyed_hash():
    member = MemberFactory()
    member.nir = NIR
    member.nir_digest = search_digest(NIR)
    member.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nir FROM contracts_member WHERE id = %s", [member.pk])
        stored = cursor.fetchone()[0]
    assert NIR not in stored and stored.startswith("gAAAA")
    assert list(member_find(query="1 84 12 76 451 089 46")) == [member]


def test_a_tampered_encrypted_value_fails_loudly():
    member = MemberFactory(nir=NIR)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contracts_member SET nir = %s WHERE id = %s", ["gAAAAABtampered", member.pk])
    with pytest.raises(DecryptionError):
        Member.objects.get(pk=member.pk)


def test_affiliation_sets_the_cover_start_by_the_30_day_rule():
    contract = GroupContractFactory(start_date=date(2024, 1, 1))
    common = {
        "contract": contract,
        "first_name": "A",
        "last_name": "B",
        "birth_date": date(1990, 1, 1),
        "email": "a@example.org",
        "hire_date": date(2024, 9, 2),
    }
    on_time = member_affiliate(member_number="MU1", received_on=date(2024, 10, 2), nir=NIR, **common)
    late = member_affiliate(member_number="MU2", received_on=date(2024, 10, 3), **common)
    assert on_time.cover_start == date(2024, 9, 2) and late.cover_start == date(2024, 11, 1)
    assert on_time.nir == NIR and on_time.management_unit == contract.management_unit


def test_subscriber_coverage_follows_dates_plan_versions_and_termination():
    member = MemberFactory(cover_start=date(2020, 1, 1))
    ContractPlan.objects.filter(contract=member.contract).update(valid_to=date(2023, 12, 31))
    ContractPlan.objects.create(
        contract=member.contract, plan_code="fr-base-surco", tiers=["base"], valid_from=date(2024, 1, 1)
    )
    assert subscriber_coverage_on(member=member, day=date(2019, 12, 31)).reason == Reason.NOT_YET_COVERED
    assert subscriber_coverage_on(member=member, day=date(2023, 6, 1)).tiers == ("base", "surco")
    assert subscriber_coverage_on(member=member, day=date(2024, 6, 1)).tiers == ("base",)
    assert subscriber_coverage_on(member=member, day=date(2024, 6, 1)).plan_version_from == date(2024, 1, 1)
    member.contract.termination_date = date(2025, 1, 1)
    member.contract.save()
    assert subscriber_coverage_on(member=member, day=date(2024, 12, 31)).covered
    assert subscriber_coverage_on(member=member, day=date(2025, 1, 1)).reason == Reason.SUBSCRIBER_NOT_COVERED


def test_leaving_the_category_keeps_cover_under_portability_for_12_months():
    member = MemberFactory()
    member_cover_end(member=member, reason=CoverEndReason.LEFT_CATEGORY, event_date=date(2024, 3, 15))
    assert member.cover_end == date(2025, 3, 14) and member.cover_end_reason == CoverEndReason.PORTABILITY_ENDED
    assert subscriber_coverage_on(member=member, day=date(2025, 3, 14)).covered
    assert not subscriber_coverage_on(member=member, day=date(2025, 3, 15)).covered


def test_retirement_ends_the_cover_the_day_before():
    member = MemberFactory()
    member_cover_end(member=member, reason=CoverEndReason.RETIREMENT, event_date=date(2024, 7, 1))
    assert member.cover_end == date(2024, 6, 30)
    with pytest.raises(ValidationError):
        member_cover_end(member=member, reason=CoverEndReason.RETIREMENT, event_date=date(2019, 1, 1))


def test_child_cover_ends_on_the_eve_of_18_unless_studying():
    child = BeneficiaryFactory(birth_date=date(2006, 5, 10))
    coverage = beneficiary_coverage_on(beneficiary=child, day=date(2024, 1, 1))
    assert coverage.covered and coverage.until == date(2024, 5, 9) and coverage.plan_code == "fr-base-surco"
    assert beneficiary_coverage_on(beneficiary=child, day=date(2024, 5, 10)).reason == (
        Reason.ADULT_CHILD_OPTIONAL_COVER_AVAILABLE
    )
    child.situations.create(kind=SituationKind.STUDIES, valid_from=date(2024, 9, 1), valid_to=date(2027, 6, 30))
    assert beneficiary_coverage_on(beneficiary=child, day=date(2025, 1, 1)).reason == Reason.CHILD_STUDENT
    assert not beneficiary_coverage_on(beneficiary=child, day=date(2024, 7, 1)).covered  # summer before


def test_beneficiary_is_not_covered_when_the_subscriber_is_not():
    child = BeneficiaryFactory(birth_date=date(2015, 1, 1))
    member_cover_end(member=child.member, reason=CoverEndReason.RETIREMENT, event_date=date(2024, 7, 1))
    assert beneficiary_coverage_on(beneficiary=child, day=date(2024, 7, 1)).reason == Reason.SUBSCRIBER_NOT_COVERED


def test_new_beneficiary_gets_the_next_rank_and_the_30_day_start():
    member = MemberFactory(cover_start=date(2020, 1, 1))
    baby = beneficiary_add(
        member=member,
        relationship=Relationship.CHILD,
        first_name="Zoé",
        last_name="X",
        birth_date=date(2024, 5, 4),
        qualifies_from=date(2024, 5, 4),
        received_on=date(2024, 6, 20),
    )
    assert baby.rank == 2 and baby.cover_start == date(2024, 7, 1)
    twin = beneficiary_add(
        member=member,
        relationship=Relationship.CHILD,
        first_name="Léo",
        last_name="X",
        birth_date=date(2024, 5, 4),
        qualifies_from=date(2024, 5, 4),
        received_on=date(2024, 5, 30),
    )
    assert twin.rank == 3 and twin.cover_start == date(2024, 5, 4)


def test_bank_details_need_the_password_a_valid_iban_and_notify_the_member(django_capture_on_commit_callbacks):
    user = MemberUserFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="password is not correct"):
            member_bank_details_update(user=user, password="wrong", iban="FR1420041010050500013M02606")
        with pytest.raises(ValidationError, match="IBAN is not valid"):
            member_bank_details_update(user=user, password=PASSWORD, iban="FR1420041010050500013M02607")
    with django_capture_on_commit_callbacks(execute=True):
        member = member_bank_details_update(user=user, password=PASSWORD, iban="fr14 2004 1010 0505 0001 3M02 606")
    assert member.iban == "FR1420041010050500013M02606"
    assert mail.outbox[-1].to == [member.email]
    body = mail.outbox[-1].body
    assert "2606" in body and "FR1420041010050500013M02606" not in body
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM contracts_member WHERE id = %s", [member.pk])
        assert "FR14" not in cursor.fetchone()[0]


def test_history_keeps_changes_with_identifiers_masked():
    from auditlog.models import LogEntry

    user = MemberUserFactory()
    member_bank_details_update(user=user, password=PASSWORD, iban="FR1420041010050500013M02606")
    entry = LogEntry.objects.get_for_object(user.member).latest("timestamp")
    assert "FR1420041010050500013M02606" not in str(entry.changes)
    assert "2606" in str(entry.changes)


def test_staff_search_by_number_and_name():
    member = MemberFactory(member_number="MU7654321", last_name="Dubois")
    StaffUserFactory()
    assert list(member_find(query="mu 765 4321")) == [member]
    assert list(member_find(query="dubo")) == [member]
    assert list(member_find(query="")) == []


def test_a_contract_plan_must_name_a_shipped_plan_and_its_tiers():
    contract = GroupContractFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="No plan has this code"):
            ContractPlan(contract=contract, plan_code="nope", tiers=["base"], valid_from=date(2024, 1, 1)).full_clean()
        with pytest.raises(ValidationError, match="Choose tiers among: base, surco"):
            ContractPlan(
                contract=contract, plan_code="fr-base-surco", tiers=["gold"], valid_from=date(2024, 1, 1)
            ).full_clean()


def test_optional_cover_for_a_partner_with_income_lasts_a_year_and_leaving_is_final():
    partner = BeneficiaryFactory(relationship=Relationship.SPOUSE, birth_date=date(1980, 1, 1), has_income=True)
    assert beneficiary_coverage_on(beneficiary=partner, day=date(2024, 3, 1)).reason == Reason.PARTNER_WITH_INCOME
    beneficiary_optional_cover_start(beneficiary=partner, start=date(2024, 3, 1))
    coverage = beneficiary_coverage_on(beneficiary=partner, day=date(2024, 3, 1))
    assert coverage.covered and coverage.optional_cover
    with translation.override("en"), pytest.raises(ValidationError, match="at least one year"):
        beneficiary_optional_cover_end(beneficiary=partner, end=date(2024, 12, 31))
    beneficiary_optional_cover_end(beneficiary=partner, end=date(2025, 2, 28))
    assert not beneficiary_coverage_on(beneficiary=partner, day=date(2025, 3, 1)).covered
    with translation.override("en"), pytest.raises(ValidationError, match="final"):
        beneficiary_optional_cover_start(beneficiary=partner, start=date(2025, 6, 1))
    # A family change since then opens it again.
    partner.member.change_requests.create(
        kind="birth",
        event_date=date(2025, 5, 1),
        received_on=date(2025, 5, 2),
        effective_date=date(2025, 5, 1),
        status="accepted",
    )
    beneficiary_optional_cover_start(beneficiary=partner, start=date(2025, 6, 1))
    assert beneficiary_coverage_on(beneficiary=partner, day=date(2025, 6, 1)).optional_cover


def test_optional_cover_is_refused_to_someone_covered_anyway():
    partner = BeneficiaryFactory(relationship=Relationship.SPOUSE, birth_date=date(1980, 1, 1), has_income=False)
    with pytest.raises(ValidationError):
        beneficiary_optional_cover_start(beneficiary=partner, start=date(2024, 3, 1))


def test_households_read_as_values_are_covered_as_their_records_say():
    """The AM file reads households as values (``households_cover``); every screen reads one person's
    records. Both answer the same on every day, for a household with every kind of fact that counts."""
    member = MemberFactory(cover_end=date(2026, 6, 30))
    ContractPlan.objects.create(
        contract=member.contract, plan_code="fr-base-surco", tiers=["base"], valid_from=date(2025, 1, 1)
    )
    ContractPlan.objects.filter(contract=member.contract, valid_from=date(2020, 1, 1)).update(
        valid_to=date(2024, 12, 31)
    )
    student = BeneficiaryFactory(member=member, birth_date=date(2003, 5, 10))
    BeneficiarySituation.objects.create(
        beneficiary=student, kind=SituationKind.STUDIES, valid_from=date(2021, 9, 1), valid_to=date(2024, 7, 31)
    )
    BeneficiarySituation.objects.create(
        beneficiary=student, kind=SituationKind.JOB_SEEKER, valid_from=date(2024, 9, 1), valid_to=date(2025, 3, 31)
    )
    BeneficiaryFactory(member=member, relationship=Relationship.SPOUSE, birth_date=date(1986, 1, 1), has_income=True)
    BeneficiaryFactory(member=member, birth_date=date(2019, 3, 3), removed_on=date(2024, 1, 15))
    people = households_cover({member.pk})[member.pk]
    records = [None, *member.beneficiaries.order_by("rank")]
    assert [person.beneficiary_id for person in people] == [None, *(b.pk for b in records[1:])]
    seen = set()
    day = date(2019, 12, 1)
    while day < date(2026, 9, 1):
        for person, record in zip(people, records, strict=True):
            expected = (
                subscriber_coverage_on(member=member, day=day)
                if record is None
                else beneficiary_coverage_on(beneficiary=record, day=day)
            )
            found = person.coverage_on(day)
            assert (found.covered, found.reason, found.plan_code, found.tiers) == (
                expected.covered,
                expected.reason,
                expected.plan_code,
                expected.tiers,
            ), (day, record)
            seen.add((found.covered, found.reason))
        day += timedelta(days=15)
    assert len(seen) >= 6  # covered and not, for several reasons: the walk met the facts that count
