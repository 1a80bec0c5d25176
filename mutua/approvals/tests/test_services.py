"""Prior approvals: asked with a medical report, decided by the medical advisor alone, every reading of the
report recorded; the flags an approval gives care lines, inside its dates, country and care only."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.approvals.models import PriorApproval
from mutua.approvals.selectors import CareFacts, approvals_for_handler, approved_flags_for
from mutua.approvals.services import prior_approval_decide, prior_approval_report_read, prior_approval_request
from mutua.approvals.tests.helpers import intl_member_user, report_upload, request_fields
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.models import SecurityEvent, StatusChange
from mutua.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return intl_member_user(first_name="Amina", last_name="Otieno", preferred_language="en")


@pytest.fixture
def advisor():
    return StaffUserFactory(role=Role.MEDICAL_ADVISOR)


def ask(user, **overrides):
    return prior_approval_request(
        member=user.member, medical_report=report_upload(), by=user, **request_fields(**overrides)
    )


def approve(approval, advisor, **overrides):
    decision = {
        "valid_from": date(2026, 3, 1),
        "valid_to": date(2026, 3, 31),
        "section": "inpatient",
        "country": "US",
    } | overrides
    return prior_approval_decide(approval=approval, by=advisor, approve=True, **decision)


def test_a_request_keeps_the_report_as_a_medical_document_and_waits(user):
    approval = ask(user)
    assert approval.status == PriorApproval.Status.REQUESTED
    assert approval.plan_code == "intl-staff"
    assert approval.medical_report.kind == Document.Kind.MEDICAL
    assert approval.medical_report.member == user.member


def test_a_request_is_refused_under_a_plan_without_zones_or_with_wrong_facts():
    french = MemberUserFactory()
    with pytest.raises(ValidationError) as error:
        ask(french)
    assert error.value.code == "no_zones"
    user = intl_member_user()
    for overrides, code in (
        ({"planned_to": date(2026, 2, 1)}, "dates"),
        ({"section": "thermal_cure"}, "section"),
        ({"country": "XX"}, "country"),
        ({"beneficiary": BeneficiaryFactory()}, "person"),
    ):
        with pytest.raises(ValidationError) as error:
            ask(user, **overrides)
        assert error.value.code == code
    assert not PriorApproval.objects.exists() and not Document.objects.exists()


def test_only_the_medical_advisor_decides_and_the_member_is_told(user, advisor, django_capture_on_commit_callbacks):
    approval = ask(user)
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with pytest.raises(PermissionDenied):
        approve(approval, handler)
    with django_capture_on_commit_callbacks(execute=True):
        decided = approve(approval, advisor)
    assert (decided.status, decided.valid_to, decided.approved_country) == ("approved", date(2026, 3, 31), "US")
    change = StatusChange.objects.get(object_id=str(approval.pk), content_type__model="priorapproval")
    assert (change.from_status, change.to_status, change.changed_by) == ("requested", "approved", advisor)
    assert "approved" in mail.outbox[-1].subject
    assert "In-patient care" in mail.outbox[-1].body and "United States" in mail.outbox[-1].body
    with pytest.raises(ValidationError):  # decided once
        approve(decided, advisor)


def test_a_refusal_needs_its_reason(user, advisor, django_capture_on_commit_callbacks):
    approval = ask(user)
    with pytest.raises(ValidationError):
        prior_approval_decide(approval=approval, by=advisor, approve=False, refusal_reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        refused = prior_approval_decide(
            approval=approval, by=advisor, approve=False, refusal_reason="Treatment in Nairobi"
        )
    assert refused.status == PriorApproval.Status.REFUSED
    assert "Treatment in Nairobi" in mail.outbox[-1].body


def test_only_the_medical_advisor_reads_the_report_and_each_reading_is_recorded(user, advisor):
    approval = ask(user)
    for role in (Role.CLAIMS_HANDLER, Role.ADMINISTRATOR, Role.FINANCE):
        with pytest.raises(PermissionDenied):
            prior_approval_report_read(approval=approval, by=StaffUserFactory(role=role))
    assert prior_approval_report_read(approval=approval, by=advisor) == approval.medical_report
    prior_approval_report_read(approval=approval, by=advisor)
    events = SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ, by=advisor)
    assert events.count() == 2
    assert f"prior_approval={approval.pk}" in events.first().target


def line(user, **overrides):
    facts = {
        "member_id": user.member.pk,
        "beneficiary_id": None,
        "on": date(2026, 3, 10),
        "country": "US",
        "plan_code": "intl-staff",
        "benefit_code": "intl.inpatient_stay",
    }
    return CareFacts(**(facts | overrides))


def test_an_approval_flags_only_the_lines_inside_its_dates_country_care_and_person(user, advisor):
    approve(ask(user), advisor)
    child = BeneficiaryFactory(member=user.member)
    lines = [
        line(user),
        line(user, on=date(2026, 4, 1)),  # after the approval
        line(user, country="CA"),  # another country of the zone
        line(user, benefit_code="intl.consultation"),  # out-patient care
        line(user, beneficiary_id=child.pk),  # another person
        line(user, country=""),  # country unknown
    ]
    flags = approved_flags_for(lines)
    assert flags == [frozenset({"prior_approval"})] + [frozenset()] * 5


def test_a_life_threatening_approval_says_so_and_a_batch_costs_one_query(user, advisor, django_assert_num_queries):
    approve(ask(user, reason="life_threatening"), advisor)
    other = intl_member_user()
    with django_assert_num_queries(1):
        flags = approved_flags_for([line(user), line(other)])
    assert flags == [frozenset({"prior_approval", "life_threatening"}), frozenset()]


def test_a_request_waiting_or_refused_opens_nothing(user, advisor):
    ask(user)
    refused = ask(user)
    prior_approval_decide(approval=refused, by=advisor, approve=False, refusal_reason="no")
    assert approved_flags_for([line(user)]) == [frozenset()]


def test_handlers_see_the_approval_without_its_medical_content(user, advisor):
    approve(ask(user), advisor)
    with translation.override("en"):
        (seen,) = approvals_for_handler(member_ids=[user.member.pk])
    assert (seen.person, seen.care, seen.country, seen.valid_to) == (
        "Amina Otieno",
        "In-patient care",
        "United States",
        date(2026, 3, 31),
    )
    assert not hasattr(seen, "medical_report") and not hasattr(seen, "reason")
