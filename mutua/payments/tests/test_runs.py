from datetime import date
from decimal import Decimal

import pytest
import xmlschema
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from sepaxml import validation as sepa_validation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.benefits.payables import payable_correct
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.payments import services
from mutua.payments.bank_returns import bank_returns_import
from mutua.payments.models import Payable, PaymentRun
from mutua.payments.tests.bank_samples import Movement, camt_054

pytestmark = pytest.mark.django_db

IBAN = "FR1420041010050500013M02606"


@pytest.fixture
def decided(django_capture_on_commit_callbacks):
    """A member with a decided claim and an IBAN: one payable due."""
    user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=IBAN)
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(user, [GP_VISIT])
    claim.refresh_from_db()
    return claim


@pytest.fixture
def finance():
    return StaffUserFactory(role=Role.FINANCE), StaffUserFactory(role=Role.FINANCE)


def test_a_decided_claim_owes_its_amount_to_the_member(decided):
    payable = Payable.objects.get()
    item = decided.items.get()
    assert payable.amount == item.paid_total and payable.statement == decided.statement
    assert payable.payee.member == decided.member and payable.status == Payable.Status.DUE


def test_a_run_needs_a_second_person_and_its_file_is_valid_pain_001(decided, finance):
    preparer, approver = finance
    run = services.run_create(by=preparer, execution_date=date(2026, 4, 1))
    assert run.total == decided.statement.total_paid and run.transfers == 1
    with translation.override("en"), pytest.raises(ValidationError, match="cannot approve"):
        services.run_approve(run=run, by=preparer)
    run = services.run_approve(run=run, by=approver)
    xml = services.run_file(run=run)
    schema = xmlschema.XMLSchema(f"{sepa_validation.__file__.rsplit('/', 1)[0]}/schemas/pain.001.001.03.xsd")
    schema.validate(xml)
    assert IBAN in xml and decided.statement.number in xml and f"MUTUA-R{run.pk}-P" in xml
    assert f"<CtrlSum>{run.total}</CtrlSum>" in xml  # the sum of the run equals the sum of its file
    assert f"<MsgId>MUTUA-RUN-{run.pk}</MsgId>" in xml  # what the bank's status reports answer
    run.refresh_from_db()
    assert services.run_file(run=run) == xml  # asked again: the very same file
    assert run.status == PaymentRun.Status.EXPORTED


def test_a_payable_is_in_one_run_at_most(decided, finance):
    services.run_create(by=finance[0], execution_date=date(2026, 4, 1))
    with translation.override("en"), pytest.raises(ValidationError, match="Nothing is due"):
        services.run_create(by=finance[1], execution_date=date(2026, 4, 1))


def test_settling_pays_once_and_a_bank_return_puts_it_back_and_blocks_the_iban(decided, finance, mailoutbox):
    preparer, approver = finance
    run = services.run_create(by=preparer, execution_date=date(2026, 4, 1))
    run = services.run_approve(run=run, by=approver)
    services.run_file(run=run)
    run = services.run_settle(run=PaymentRun.objects.get(pk=run.pk), paid_on=timezone.localdate(), by=approver)
    payable = Payable.objects.get()
    assert payable.status == Payable.Status.PAID and payable.paid_on == timezone.localdate()
    e2e = f"MUTUA-R{run.pk}-P{payable.payee_id}"
    assert bank_returns_import(content=camt_054([Movement(e2e, payable.amount, "AC04")]), by=approver).blocked == 1
    payable.refresh_from_db()
    assert payable.status == Payable.Status.DUE and payable.run is None
    assert services.payee_blocked(payable.payee)
    with pytest.raises(ValidationError):
        services.run_create(by=preparer, execution_date=date(2026, 4, 10))  # blocked until a new IBAN
    member = decided.member
    member.iban = "FR7630006000011234567890189"
    member.save(update_fields=["iban"])
    rerun = services.run_create(by=preparer, execution_date=date(2026, 4, 10))
    assert rerun.total == payable.amount


def test_a_bank_return_file_with_a_bad_row_changes_nothing(decided, finance):
    with translation.override("en"), pytest.raises(ValidationError, match="unknown transfer"):
        bank_returns_import(content=camt_054([Movement("MUTUA-R999-P1", Decimal("10.00"), "AC04")]), by=finance[0])
    assert Payable.objects.get().status == Payable.Status.DUE


def test_corrections_are_new_entries_never_edits(decided):
    item = decided.items.get()
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    original = Payable.objects.get()
    adjustment = payable_correct(item=item, amount=item.paid_total + Decimal("5.00"), reason="Error", by=handler)
    reversal = payable_correct(item=item, amount=Decimal("0.00"), reason="Duplicate", by=handler)
    original.refresh_from_db()
    assert original.amount == item.paid_total  # untouched
    assert adjustment.amount == Decimal("5.00") and reversal.amount == -(item.paid_total + Decimal("5.00"))
    assert sum(p.amount for p in item.payables.all()) == 0


def test_a_crash_while_building_the_file_loses_nothing_and_the_run_resumes(decided, finance, monkeypatch):
    preparer, approver = finance
    run = services.run_approve(run=services.run_create(by=preparer, execution_date=date(2026, 4, 1)), by=approver)

    def crash(*args, **kwargs):
        raise RuntimeError("process killed")

    monkeypatch.setattr(services, "status_change", crash)
    with pytest.raises(RuntimeError):
        services.run_file(run=run)
    monkeypatch.undo()
    run.refresh_from_db()
    assert run.file == "" and run.status == PaymentRun.Status.APPROVED  # nothing half-written
    assert Payable.objects.get().status == Payable.Status.IN_RUN  # still in this run, not lost, not paid
    xml = services.run_file(run=run)
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.EXPORTED and run.file == xml


def test_cancelling_a_draft_releases_its_payables(decided, finance):
    run = services.run_create(by=finance[0], execution_date=date(2026, 4, 1))
    services.run_cancel(run=run, by=finance[1], reason="wrong date")
    assert Payable.objects.get().status == Payable.Status.DUE
    assert services.run_create(by=finance[0], execution_date=date(2026, 4, 2)).total > 0


def test_a_crash_while_preparing_a_run_leaves_every_payable_due(decided, finance, monkeypatch):
    save = PaymentRun.save

    def crash_when_saving_the_totals(self, *args, **kwargs):
        if kwargs.get("update_fields"):  # the payables are already taken at that point
            raise RuntimeError("process killed")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(PaymentRun, "save", crash_when_saving_the_totals)
    with pytest.raises(RuntimeError):
        services.run_create(by=finance[0], execution_date=date(2026, 4, 1))
    monkeypatch.undo()
    assert not PaymentRun.objects.exists()
    assert Payable.objects.get().status == Payable.Status.DUE
    assert services.run_create(by=finance[0], execution_date=date(2026, 4, 1)).total > 0


def test_the_nightly_job_proposes_a_draft_and_never_approves_it(decided):
    from mutua.payments.tasks import propose_nightly_run

    propose_nightly_run.call_local()
    run = PaymentRun.objects.get()
    assert run.status == PaymentRun.Status.DRAFT and run.created_by is None and run.approved_by is None
    propose_nightly_run.call_local()  # nothing more due: no empty run
    assert PaymentRun.objects.count() == 1


def test_what_is_approved_is_what_is_paid_and_a_return_blocks_that_account(decided, finance):
    preparer, approver = finance
    run = services.run_approve(run=services.run_create(by=preparer, execution_date=date(2026, 4, 1)), by=approver)
    member = decided.member
    member.iban = "DE89370400440532013000"  # changed after approval (a stolen session, say)
    member.save(update_fields=["iban"])
    xml = services.run_file(run=run)
    assert IBAN in xml and "DE89370400440532013000" not in xml
    run = services.run_settle(run=PaymentRun.objects.get(pk=run.pk), paid_on=timezone.localdate(), by=approver)
    transfer = run.transfers_made.get()
    bank_returns_import(content=camt_054([Movement(transfer.end_to_end_id, transfer.amount, "AC04")]), by=approver)
    payee = transfer.payee
    payee.refresh_from_db()
    assert not services.payee_blocked(payee)  # the new account is not the refused one
    member.iban = IBAN
    member.save(update_fields=["iban"])
    payee = type(payee).objects.select_related("member").get(pk=payee.pk)
    assert services.payee_blocked(payee)  # the refused account stays refused
    run.refresh_from_db()
    assert run.total == sum(t.amount for t in run.transfers_made.all())  # the run keeps its record


def test_the_same_return_file_twice_or_a_malformed_amount_is_refused(decided, finance):
    preparer, approver = finance
    run = services.run_approve(run=services.run_create(by=preparer, execution_date=date(2026, 4, 1)), by=approver)
    services.run_file(run=run)
    run = services.run_settle(run=PaymentRun.objects.get(pk=run.pk), paid_on=timezone.localdate(), by=approver)
    transfer = run.transfers_made.get()
    with translation.override("en"), pytest.raises(ValidationError, match="the amount sNaN EUR does not match"):
        bank_returns_import(content=camt_054([Movement(transfer.end_to_end_id, Decimal("sNaN"), "AC04")]), by=approver)
    returned = Movement(transfer.end_to_end_id, transfer.amount, "AC04")
    with translation.override("en"), pytest.raises(ValidationError, match="listed twice"):
        bank_returns_import(content=camt_054([returned, returned]), by=approver)
    assert bank_returns_import(content=camt_054([returned]), by=approver).blocked == 1
    with translation.override("en"), pytest.raises(ValidationError, match="already returned"):
        bank_returns_import(content=camt_054([returned]), by=approver)


def test_an_approved_run_is_final(decided, finance):
    """Its file may be at the bank already: cancelling it would pay its payables a second time."""
    run = services.run_approve(run=services.run_create(by=finance[0], execution_date=date(2026, 4, 1)), by=finance[1])
    with translation.override("en"), pytest.raises(ValidationError, match="cannot go from “Approved” to “Cancelled”"):
        services.run_cancel(run=run, by=finance[1], reason="account closed before sending")
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.APPROVED
    assert Payable.objects.get().status == Payable.Status.IN_RUN


def test_a_run_whose_file_cannot_be_built_is_refused_at_approval(decided, finance, settings):
    """Caught while the run is a draft and can be cancelled, never after approval."""
    run = services.run_create(by=finance[0], execution_date=date(2026, 4, 1))
    settings.PAYMENTS_DEBTOR_IBAN = "not an IBAN"
    with pytest.raises(ValidationError) as refused:
        services.run_approve(run=run, by=finance[1])
    assert refused.value.code == "sepa"
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.DRAFT
    services.run_cancel(run=run, by=finance[1], reason="debtor account wrong")
    assert Payable.objects.get().status == Payable.Status.DUE


def test_only_finance_cancels_a_run(decided, finance):
    run = services.run_create(by=finance[0], execution_date=date(2026, 4, 1))
    with translation.override("en"), pytest.raises(ValidationError, match="Only finance"):
        services.run_cancel(run=run, by=StaffUserFactory(role=Role.CLAIMS_HANDLER), reason="x")
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.DRAFT


def test_a_nightly_proposal_needs_two_people(decided, finance):
    from mutua.payments.tasks import propose_nightly_run

    propose_nightly_run.call_local()
    run = PaymentRun.objects.get()
    with translation.override("en"), pytest.raises(ValidationError, match="Take this proposal on first"):
        services.run_approve(run=run, by=finance[1])
    run = services.run_take_on(run=run, by=finance[0])
    with pytest.raises(ValidationError):
        services.run_approve(run=run, by=finance[0])
    assert services.run_approve(run=run, by=finance[1]).status == PaymentRun.Status.APPROVED
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with translation.override("en"), pytest.raises(ValidationError, match="Only finance"):
        services.run_take_on(run=run, by=handler)


def test_corrections_cannot_go_negative_and_every_move_is_recorded(decided, finance):
    from mutua.core.selectors import status_history

    item = decided.items.get()
    with translation.override("en"), pytest.raises(ValidationError, match="cannot be negative"):
        payable_correct(item=item, amount=Decimal("-1.00"), reason="x", by=finance[0])
    run = services.run_approve(run=services.run_create(by=finance[0], execution_date=date(2026, 4, 1)), by=finance[1])
    services.run_file(run=run)
    services.run_settle(run=PaymentRun.objects.get(pk=run.pk), paid_on=timezone.localdate(), by=finance[1])
    payable = Payable.objects.get()
    assert [(h.from_status, h.to_status) for h in status_history(instance=payable)] == [
        ("due", "in_run"),
        ("in_run", "paid"),
    ]


def test_a_transfer_of_many_statements_fits_the_bank_remittance_field():
    """A hospital paid for dozens of statements at once: the SEPA field holds 140 characters."""
    numbers = [f"D2026-{n:06d}" for n in range(40)]
    with translation.override("en"):
        text = services._remittance(numbers)
        assert len(text) <= services.REMITTANCE_LENGTH
        assert text.startswith("Mutua reimbursement, statements D2026-000000, D2026-000001")
        shown = text.count("D2026-")
        assert text.endswith(f"and {40 - shown} more")
        assert services._remittance(numbers[:2]) == "Mutua reimbursement, statements D2026-000000, D2026-000001"


def test_only_finance_prepares_a_run_or_records_a_bank_file(decided):
    handler = StaffUserFactory(role=Role.CLAIMS_HANDLER)
    with translation.override("en"), pytest.raises(ValidationError, match="Only finance"):
        services.run_create(by=handler, execution_date=date(2026, 4, 1))
    assert not PaymentRun.objects.exists()
    from mutua.payments.bank_returns import bank_returns_import

    with translation.override("en"), pytest.raises(ValidationError, match="Only finance"):
        bank_returns_import(content=b"<Document/>", by=handler)
