"""Each path of a hospital guarantee: planned, emergency with and without the card, network and
outside it, extension by the medical advisor only, settlement paid to the hospital once, deadlines."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.models import Claim, ClaimItem, RejectionReason
from mutua.claims.review import claim_item_decide
from mutua.claims.statements import statement_document
from mutua.claims.tests.helpers import receipt
from mutua.contracts.tests.factories import BeneficiaryFactory
from mutua.core.models import SecurityEvent
from mutua.core.selectors import status_history
from mutua.documents.tests.pdfs import page_contents
from mutua.guarantees.extensions import extension_decide, extension_request, medical_report_read
from mutua.guarantees.models import Extension, Guarantee, MedicalReport, Negotiation
from mutua.guarantees.requests import (
    guarantee_issue,
    guarantee_provider_attach,
    guarantee_refuse,
    guarantee_request,
    negotiation_record,
)
from mutua.guarantees.selectors import patient_find, review_queue
from mutua.guarantees.settlement import guarantee_settle, guarantees_deadlines_check
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.planned import stay_over
from mutua.payments.models import Payable, Payee
from mutua.payments.selectors import statement_payment
from mutua.payments.services import run_create
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

STAY = Cost("hosp.stay", Decimal("3000.00"), Decimal("2500.00"))
ROOM = Cost("hosp.private_room", Decimal("360.00"), quantity=3)
DAILY = Cost("hosp.daily_forfait", Decimal("80.00"), quantity=4)


@pytest.fixture
def user():
    return MemberUserFactory()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def clinic():
    return ProviderFactory(in_network=True)


def planned(user, provider, today, *, costs=(STAY, ROOM, DAILY), days=3, start=5, **extra):
    arguments = {
        "member": user.member,
        "beneficiary": None,
        "by": user,
        "channel": Guarantee.Channel.PORTAL,
        "kind": Guarantee.Kind.PLANNED,
        "stay_kind": Guarantee.StayKind.SURGICAL,
        "admission_date": today + timedelta(days=start),
        "expected_discharge": today + timedelta(days=start + days),
        "provider": provider,
        "costs": list(costs),
    }
    return guarantee_request(**(arguments | extra))


def emergency(user, provider, today, *, card_shown, discharge=None, **extra):
    arguments = {
        "member": user.member,
        "beneficiary": None,
        "by": user,
        "channel": Guarantee.Channel.PROVIDER,
        "kind": Guarantee.Kind.EMERGENCY,
        "stay_kind": Guarantee.StayKind.MEDICAL,
        "admission_date": today,
        "expected_discharge": discharge,
        "provider": provider,
        "card_shown": card_shown,
    }
    return guarantee_request(**(arguments | extra))


def test_a_planned_stay_at_a_network_hospital_is_guaranteed_at_once_with_the_engines_amounts(user, clinic, today):
    guarantee = planned(user, clinic, today)
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.issued_by is None
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT
    assert (guarantee.valid_from, guarantee.valid_until) == (today + timedelta(days=5), today + timedelta(days=8))
    assert guarantee.reference == f"PEC-{timezone.now():%Y}-{guarantee.pk:06d}"
    lines = {line.benefit_code: line for line in guarantee.lines.all()}
    # Stay: the AM pays 80 % of the BR (2,000 €); the plan pays 100 % FR within 250 % BR: the rest, 1,000 €.
    assert (lines["hosp.stay"].am_paid, lines["hosp.stay"].paid_total, lines["hosp.stay"].out_of_pocket) == (
        Decimal("2000.00"),
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    # Private room: 2.5 % PMSS a day (100.13 €), 3 days; 120 € a day charged, the rest remains.
    assert lines["hosp.private_room"].paid_total == Decimal("300.39")
    assert lines["hosp.private_room"].out_of_pocket == Decimal("59.61")
    assert lines["hosp.daily_forfait"].paid_total == Decimal("80.00")
    assert guarantee.total_plan == Decimal("1380.39") and guarantee.total_out_of_pocket == Decimal("59.61")
    limits = {row["benefit_code"]: row["per_day"] for row in guarantee.day_limits}
    assert limits["hosp.private_room"] == "100.13" and limits["hosp.daily_forfait"] == "20.00"
    change = status_history(instance=guarantee).get()
    assert (change.from_status, change.to_status, change.changed_by) == ("requested", "issued", None)
    assert guarantee.deadline - guarantee.requested_at == timedelta(hours=2)


def test_psychiatric_stays_use_the_psychiatry_forfait(user, clinic, today):
    guarantee = planned(
        user,
        clinic,
        today,
        stay_kind=Guarantee.StayKind.PSYCHIATRIC,
        costs=[Cost("hosp.daily_forfait", Decimal("60.00"), quantity=4)],
    )
    assert guarantee.lines.get().paid_total == Decimal("60.00")  # 15 € a day in psychiatry
    assert {row["benefit_code"]: row["per_day"] for row in guarantee.day_limits}["hosp.daily_forfait"] == "15.00"


def test_emergency_with_the_card_for_two_days_is_guaranteed_even_outside_the_network(user, today):
    outside = ProviderFactory(in_network=False)
    guarantee = emergency(user, outside, today, card_shown=True, discharge=today + timedelta(days=1))
    assert guarantee.status == Guarantee.Status.ISSUED
    assert guarantee.form == Guarantee.Form.CARD
    assert guarantee.valid_until == guarantee.card_cover_until == today + timedelta(days=1)
    assert status_history(instance=guarantee).get().reason == "card shown at admission"


def test_emergency_with_the_card_beyond_two_days_outside_the_network_waits_but_the_card_covers(user, today):
    outside = ProviderFactory(in_network=False)
    guarantee = emergency(user, outside, today, card_shown=True)
    assert guarantee.status == Guarantee.Status.REQUESTED
    assert guarantee.form == Guarantee.Form.TEMPORARY_LETTER
    assert guarantee.card_cover_until == today + timedelta(days=1)
    assert guarantee.valid_until == today + timedelta(days=3)
    assert guarantee.review_reasons == ["out_of_network"]
    assert guarantee.deadline - guarantee.requested_at == timedelta(hours=24)


def test_emergency_without_the_card_at_a_network_hospital_gets_a_guarantee_of_payment_for_four_days(
    user, clinic, today
):
    guarantee = emergency(user, clinic, today, card_shown=False)
    assert guarantee.status == Guarantee.Status.ISSUED
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT
    assert guarantee.card_cover_until is None
    assert (guarantee.valid_from, guarantee.valid_until) == (today, today + timedelta(days=3))


def test_outside_the_network_the_handler_negotiates_before_issuing(user, today):
    outside = ProviderFactory(in_network=False, conventionne=False)
    guarantee = planned(user, outside, today)
    assert guarantee.status == Guarantee.Status.REQUESTED and guarantee.review_reasons == ["out_of_network"]
    # Not agreed with the AM: the plan pays stays at 90 % FR - MR, not 100 % FR.
    assert "non_conventionne" in guarantee.lines.get(benefit_code="hosp.stay").flags
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with pytest.raises(ValidationError, match="record its agreement"):
        guarantee_issue(guarantee=guarantee, by=handler)
    with pytest.raises(PermissionDenied):
        negotiation_record(guarantee=guarantee, by=StaffUserFactory(role=Role.FINANCE), contact="x", outcome="agreed")
    with pytest.raises(ValidationError, match="terms agreed"):
        negotiation_record(guarantee=guarantee, by=handler, contact="Mme Roy, 01 40", outcome="agreed")
    negotiation_record(guarantee=guarantee, by=handler, contact="Mme Roy, admissions, 01 40", outcome="pending")
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.NEGOTIATING
    negotiation_record(
        guarantee=guarantee, by=handler, contact="Mme Roy", outcome="agreed", terms="Tiers payant sur le devis"
    )
    issued = guarantee_issue(guarantee=guarantee, by=handler)
    assert issued.status == Guarantee.Status.ISSUED and issued.issued_by == handler
    assert [c.to_status for c in status_history(instance=issued)] == ["negotiating", "issued"]
    assert Negotiation.objects.filter(guarantee=guarantee).count() == 2


def test_a_hospital_the_member_typed_is_attached_by_the_handler(user, clinic, today):
    guarantee = planned(user, None, today, hospital_name="Hôpital de Lyon", hospital_phone="04 72 00 00 00")
    assert guarantee.status == Guarantee.Status.REQUESTED and guarantee.review_reasons == ["unknown_hospital"]
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with pytest.raises(ValidationError, match="Attach the hospital"):
        guarantee_issue(guarantee=guarantee, by=handler)
    guarantee_provider_attach(guarantee=guarantee, provider=clinic, by=handler)
    assert guarantee_issue(guarantee=guarantee, by=handler).provider == clinic


def test_a_refusal_needs_a_reason_and_is_told_to_both(user, today, django_capture_on_commit_callbacks):
    guarantee = planned(user, ProviderFactory(in_network=False), today)
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with pytest.raises(ValidationError):
        guarantee_refuse(guarantee=guarantee, by=handler, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        refused = guarantee_refuse(guarantee=guarantee, by=handler, reason="La clinique refuse le tiers payant.")
    assert refused.status == Guarantee.Status.REFUSED
    assert {message.to[0] for message in mail.outbox} == {user.member.email, guarantee.provider.email}


@pytest.mark.parametrize(
    ("start", "days", "message"),
    [(-1, 2, "cannot be in the past"), (3, -1, "must come after the admission date"), (400, 1, "at most a year")],
)
def test_bad_requests_are_refused_and_nothing_is_written(user, clinic, today, start, days, message):
    with pytest.raises(ValidationError, match=message):
        planned(user, clinic, today, start=start, days=days)
    assert not Guarantee.objects.exists()


def test_a_person_not_covered_gets_no_guarantee(user, clinic, today):
    user.member.cover_end = today
    user.member.save()
    with pytest.raises(ValidationError, match="Not covered"):
        planned(user, clinic, today)
    assert not Guarantee.objects.exists()


def test_a_second_request_for_the_same_days_waits_for_a_handler(user, clinic, today):
    planned(user, clinic, today)
    second = planned(user, clinic, today, costs=())
    assert second.status == Guarantee.Status.REQUESTED and second.review_reasons == ["overlapping"]


def test_a_beneficiary_of_another_household_cannot_be_named(user, clinic, today):
    with pytest.raises(PermissionDenied):
        planned(user, clinic, today, beneficiary=BeneficiaryFactory())


def test_the_hospital_finds_the_patient_only_with_matching_name_and_birth_date(user):
    member = user.member
    child = BeneficiaryFactory(member=member, last_name="Lefèvre", birth_date=date(2015, 6, 1))
    assert patient_find(
        member_number=member.member_number, last_name=member.last_name.upper(), birth_date=member.birth_date
    ) == (member, None)
    assert patient_find(member_number=member.member_number, last_name="LEFEVRE", birth_date=date(2015, 6, 1)) == (
        member,
        child,
    )
    assert patient_find(member_number=member.member_number, last_name="Lefèvre", birth_date=date(2015, 6, 2)) is None
    assert patient_find(member_number="MU9999999", last_name="Lefèvre", birth_date=date(2015, 6, 1)) is None


def test_the_queue_is_ordered_by_deadline(user, today):
    outside = ProviderFactory(in_network=False)
    late = planned(user, outside, today, start=20)
    network_unknown = planned(user, None, today, start=40, hospital_name="X", hospital_phone="1")
    soon = emergency(user, ProviderFactory(in_network=False), today, card_shown=False)
    Guarantee.objects.filter(pk=soon.pk).update(deadline=timezone.now() + timedelta(minutes=30))
    assert list(review_queue()) == [soon, late, network_unknown]


def test_only_the_medical_advisor_decides_an_extension_and_reads_the_report(user, clinic, today):
    guarantee = stay_over(emergency(user, clinic, today, card_shown=False))
    today = guarantee.valid_from  # the first day of the stay, now over
    hospital = ProviderUserFactory(provider=clinic)
    with pytest.raises(PermissionDenied):  # another hospital
        extension_request(
            guarantee=guarantee, by=ProviderUserFactory(), until=today + timedelta(days=9), report=receipt()
        )
    with pytest.raises(ValidationError, match="Ask for days after"):
        extension_request(guarantee=guarantee, by=hospital, until=today + timedelta(days=2), report=receipt())
    report_file = receipt("compte-rendu.pdf", salt="diagnostic confidentiel")
    extension = extension_request(guarantee=guarantee, by=hospital, until=today + timedelta(days=9), report=report_file)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.EXTENSION_REQUESTED
    report = MedicalReport.objects.get()
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT content FROM guarantees_medicalreport")
        stored = bytes(cursor.fetchone()[0])
    assert b"diagnostic confidentiel" not in stored and b"%PDF" not in stored
    for role in (Role.CLAIMS_HANDLER, Role.ADMINISTRATOR, Role.FINANCE):
        staff = StaffUserFactory(role=role)
        with pytest.raises(PermissionDenied):
            medical_report_read(report=report, by=staff)
        with pytest.raises(PermissionDenied):
            extension_decide(extension=extension, by=staff, grant=True, answer="ok")
    with pytest.raises(PermissionDenied):
        medical_report_read(report=report, by=hospital)
    advisor = StaffUserFactory(role=Role.MEDICAL_ADVISOR)
    assert b"diagnostic confidentiel" in page_contents(medical_report_read(report=report, by=advisor))
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.MEDICAL_REPORT_READ, by=advisor).count() == 1
    with pytest.raises(ValidationError, match="at most until"):
        extension_decide(extension=extension, by=advisor, grant=True, until=today + timedelta(days=12), answer="ok")
    extension_decide(
        extension=extension, by=advisor, grant=True, until=today + timedelta(days=7), answer="Prolongé de 4 jours."
    )
    guarantee.refresh_from_db()
    extension.refresh_from_db()
    assert extension.decision == Extension.Decision.GRANTED and extension.granted_until == today + timedelta(days=7)
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.valid_until == today + timedelta(days=7)
    assert guarantee.form == Guarantee.Form.GUARANTEE_OF_PAYMENT
    assert [c.to_status for c in status_history(instance=guarantee)][-2:] == ["extension_requested", "issued"]


def test_a_refused_extension_leaves_the_period_as_it_was(user, clinic, today):
    guarantee = emergency(user, clinic, today, card_shown=False)
    extension = extension_request(
        guarantee=guarantee, by=ProviderUserFactory(provider=clinic), until=today + timedelta(days=9), report=receipt()
    )
    extension_decide(
        extension=extension, by=StaffUserFactory(role=Role.MEDICAL_ADVISOR), grant=False, answer="Non justifié."
    )
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.ISSUED and guarantee.valid_until == today + timedelta(days=3)


def invoice(guarantee, hospital, costs, number="F-2026-001"):
    return guarantee_settle(
        guarantee=guarantee, by=hospital, invoice_number=number, invoice=receipt(salt=number), costs=costs
    )


def test_the_invoice_is_paid_to_the_hospital_once_within_the_guarantee(
    user, clinic, today, django_capture_on_commit_callbacks
):
    guarantee = stay_over(emergency(user, clinic, today, card_shown=False))
    today = guarantee.valid_from  # the first day of the stay, now over
    hospital = ProviderUserFactory(provider=clinic)
    with pytest.raises(PermissionDenied):
        invoice(guarantee, ProviderUserFactory(), [(today, STAY)])
    with pytest.raises(ValidationError, match="run past the end"):
        invoice(
            guarantee, hospital, [(today + timedelta(days=2), Cost("hosp.daily_forfait", Decimal("80"), quantity=4))]
        )
    costs = [
        (today, Cost("hosp.stay", Decimal("3000.00"), Decimal("2500.00"), am_paid=Decimal("2000.00"))),
        (today, Cost("hosp.daily_forfait", Decimal("80.00"), quantity=4)),
        (today + timedelta(days=5), Cost("hosp.daily_forfait", Decimal("40.00"), quantity=2)),  # after the period
    ]
    with django_capture_on_commit_callbacks(execute=True):
        claim = invoice(guarantee, hospital, costs)
    assert claim.channel == Claim.Channel.HOSPITAL and claim.paid_to == clinic
    # An emergency letter states no amount: a handler checks the invoice and writes why it is paid.
    assert claim.status == Claim.Status.IN_PROGRESS and not Payable.objects.exists()
    waiting = list(claim.items.filter(status=ClaimItem.Status.IN_REVIEW).order_by("care_date", "pk"))
    assert [item.review_reasons for item in waiting] == [["over_guarantee"], ["over_guarantee"]]
    handler = StaffUserFactory()
    with pytest.raises(ValidationError, match="beyond what the guarantee of payment covers: write why"):
        claim_item_decide(item=waiting[0], by=handler, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        for item in waiting:
            claim_item_decide(item=item, by=handler, accept=True, text="Emergency admission, invoice checked")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VALIDATED
    items = list(claim.items.order_by("care_date", "pk"))
    assert [item.status for item in items] == [ClaimItem.Status.ACCEPTED] * 2 + [ClaimItem.Status.REJECTED]
    assert items[2].rejection_reason == RejectionReason.NOT_COVERED and "outside the period" in items[2].rejection_text
    assert items[0].paid_total == Decimal("1000.00") and items[1].paid_total == Decimal("80.00")
    payables = Payable.objects.filter(statement=claim.statement)
    assert {(p.payee.kind, p.payee.provider_id) for p in payables} == {(Payee.Kind.PROVIDER, clinic.pk)}
    assert sum(p.amount for p in payables) == Decimal("1080.00")
    assert not Payable.objects.filter(payee__member=user.member).exists()
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.SETTLED and guarantee.claim == claim
    recipients = {message.to[0] for message in mail.outbox}
    assert {user.member.email, clinic.email} <= recipients
    with pytest.raises(ValidationError, match="cannot take an invoice"):
        invoice(guarantee, hospital, costs, number="F-2026-002")
    assert Claim.objects.filter(channel=Claim.Channel.HOSPITAL).count() == 1
    run = run_create(by=None, execution_date=today)
    transfer = run.transfers_made.get()
    assert (transfer.name, transfer.iban, transfer.amount) == (clinic.name, clinic.iban, Decimal("1080.00"))
    assert statement_payment(statement_id=claim.statement.pk).hospital == clinic.name
    assert statement_document(statement=claim.statement, language="en").hospital == clinic.name


def test_overdue_requests_raise_one_alert_and_old_guarantees_close(
    user, clinic, today, django_capture_on_commit_callbacks
):
    waiting = planned(user, ProviderFactory(in_network=False), today)
    Guarantee.objects.filter(pk=waiting.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    old = emergency(user, clinic, today, card_shown=False, admission_date=today - timedelta(days=20))
    Guarantee.objects.filter(pk=old.pk).update(valid_until=today - timedelta(days=181))
    with django_capture_on_commit_callbacks(execute=True):
        assert guarantees_deadlines_check() == (1, 1)
        assert guarantees_deadlines_check() == (0, 0)
    alerts = [message for message in mail.outbox if message.to == [user.member.management_unit.email]]
    assert len(alerts) == 1 and waiting.reference in alerts[0].body
    old.refresh_from_db()
    assert old.status == Guarantee.Status.EXPIRED
    assert status_history(instance=old).last().changed_by is None


def test_a_date_at_the_end_of_the_calendar_is_refused_not_a_server_error(user, clinic):
    with pytest.raises(ValidationError) as refused:
        guarantee_request(
            member=user.member,
            beneficiary=None,
            by=user,
            channel=Guarantee.Channel.PORTAL,
            kind=Guarantee.Kind.PLANNED,
            stay_kind=Guarantee.StayKind.SURGICAL,
            admission_date=date(9999, 12, 30),
            expected_discharge=date(9999, 12, 31),
            provider=clinic,
        )
    assert [error.code for error in refused.value.error_list] == ["request"]
