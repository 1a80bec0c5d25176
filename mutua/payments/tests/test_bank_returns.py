"""Bank returns from the bank's own files: pain.002 status reports, camt.054 notifications and camt.053
statements, built as banks send them (see bank_samples)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.core.selectors import status_history
from mutua.payments import services
from mutua.payments.bank_files import Outcome, bank_file_read
from mutua.payments.bank_reasons import Effect, reason_effect, reason_label
from mutua.payments.bank_returns import bank_returns_import
from mutua.payments.models import Payable, Payee, PaymentRun
from mutua.payments.tests.bank_samples import Movement, Status, camt_053, camt_054, pain_002

pytestmark = pytest.mark.django_db

IBANS = ("FR1420041010050500013M02606", "DE89370400440532013000", "FR7630004000031234567890143")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def finance():
    return StaffUserFactory(role=Role.FINANCE), StaffUserFactory(role=Role.FINANCE)


def _exported_run(finance, django_capture_on_commit_callbacks, payees: int = 1) -> PaymentRun:
    """A run of ``payees`` transfers whose file was produced (and sent to the bank)."""
    for iban in IBANS[:payees]:
        user = MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=iban)
        with django_capture_on_commit_callbacks(execute=True):
            submitted_claim(user, [GP_VISIT])
    preparer, approver = finance
    run = services.run_approve(run=services.run_create(by=preparer, execution_date=date(2026, 4, 1)), by=approver)
    services.run_file(run=run)
    return PaymentRun.objects.get(pk=run.pk)


def _settled_run(finance, django_capture_on_commit_callbacks, payees: int = 1) -> PaymentRun:
    run = _exported_run(finance, django_capture_on_commit_callbacks, payees)
    return services.run_settle(run=run, paid_on=timezone.localdate(), by=finance[1])


def _transfers(run: PaymentRun):
    return list(run.transfers_made.select_related("payee__member").order_by("pk"))


def _blocked(transfer) -> bool:
    return services.payee_blocked(Payee.objects.select_related("member").get(pk=transfer.payee_id))


def _statuses(transfer) -> set[str]:
    return {p.status for p in Payable.objects.filter(payee=transfer.payee)}


def test_a_pain_002_001_03_rejection_returns_the_paid_transfer_and_blocks_the_account(
    finance, django_capture_on_commit_callbacks, mailoutbox
):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    mailoutbox.clear()  # the claim's decision
    report = pain_002(
        run, [Status(transfer.end_to_end_id, "RJCT", "AC04", "Compte clos", transfer.amount)], group_status="RJCT"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = bank_returns_import(content=report, by=finance[0])
    assert (outcome.message, outcome.blocked, outcome.file_refused) == ("pain.002.001.03", 1, 0)
    payable = Payable.objects.get()
    assert payable.status == Payable.Status.DUE and payable.run is None and payable.paid_on is None
    assert [c.reason for c in status_history(instance=payable)][-1] == "AC04 closed account – Compte clos"
    assert _blocked(transfer)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [transfer.payee.member.email]


def test_a_pain_002_001_10_rejection_before_the_run_is_recorded_as_paid_takes_the_transfer_out_of_it(
    finance, django_capture_on_commit_callbacks
):
    run = _exported_run(finance, django_capture_on_commit_callbacks, payees=2)
    rejected, accepted = _transfers(run)
    report = pain_002(
        run,
        [
            Status(rejected.end_to_end_id, "RJCT", "AC01", amount=rejected.amount),
            Status(accepted.end_to_end_id, "ACSP"),
        ],
        version="10",
    )
    outcome = bank_returns_import(content=report, by=finance[0])
    assert (outcome.message, outcome.blocked, outcome.accepted) == ("pain.002.001.10", 1, 1)
    assert _statuses(rejected) == {Payable.Status.DUE} and _statuses(accepted) == {Payable.Status.IN_RUN}
    services.run_settle(run=run, paid_on=timezone.localdate(), by=finance[1])
    # Recorded as paid afterwards: only what the bank executed is paid.
    assert _statuses(rejected) == {Payable.Status.DUE} and _statuses(accepted) == {Payable.Status.PAID}


def test_a_mixed_status_report_changes_only_the_rejected_transfer(finance, django_capture_on_commit_callbacks):
    run = _settled_run(finance, django_capture_on_commit_callbacks, payees=3)
    accepted, pending, rejected = _transfers(run)
    report = pain_002(
        run,
        [
            Status(accepted.end_to_end_id, "ACSC", amount=accepted.amount),
            Status(pending.end_to_end_id, "PDNG"),
            Status(rejected.end_to_end_id, "RJCT", "MD07", amount=rejected.amount),
        ],
    )
    outcome = bank_returns_import(content=report, by=finance[0])
    assert (outcome.accepted, outcome.pending, outcome.blocked, outcome.changed) == (1, 1, 1, 1)
    assert _statuses(accepted) == _statuses(pending) == {Payable.Status.PAID}
    assert _statuses(rejected) == {Payable.Status.DUE}
    rejected.refresh_from_db()
    assert rejected.return_reason == "MD07 end customer deceased"


def test_a_rejection_on_the_paying_side_pays_the_same_account_again(
    finance, django_capture_on_commit_callbacks, mailoutbox
):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    report = pain_002(run, [Status(transfer.end_to_end_id, "RJCT", "AM04")])
    mailoutbox.clear()  # the claim's decision
    with django_capture_on_commit_callbacks(execute=True):
        outcome = bank_returns_import(content=report, by=finance[0])
    assert (outcome.paid_again, outcome.blocked) == (1, 0)
    assert not _blocked(transfer) and not mailoutbox  # the member's account is fine
    assert services.run_create(by=finance[0], execution_date=date(2026, 4, 10)).total == transfer.amount


def test_a_whole_file_refused_puts_every_transfer_back_without_blocking_any_account(
    finance, django_capture_on_commit_callbacks, mailoutbox
):
    run = _exported_run(finance, django_capture_on_commit_callbacks, payees=2)
    report = pain_002(run, [], group_status="RJCT", group_code="FF01", group_details="Schema error")
    mailoutbox.clear()  # the claims' decisions
    with django_capture_on_commit_callbacks(execute=True):
        outcome = bank_returns_import(content=report, by=finance[0])
    assert (outcome.run, outcome.file_refused, outcome.blocked) == (run.pk, 2, 0)
    assert outcome.file_reason == "FF01 invalid file format – Schema error"
    assert set(Payable.objects.values_list("status", flat=True)) == {Payable.Status.DUE}
    assert not any(_blocked(t) for t in _transfers(run)) and not mailoutbox
    payable = Payable.objects.first()
    reason = status_history(instance=payable).last().reason
    assert reason == f"the bank refused the whole file of run {run.pk}: FF01 invalid file format – Schema error"
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.REFUSED  # never executed: it cannot be recorded as paid any more
    with pytest.raises(ValidationError, match="cannot go from"):
        services.run_settle(run=run, paid_on=timezone.localdate(), by=finance[1])
    with pytest.raises(ValidationError, match="already recorded"):
        bank_returns_import(content=report, by=finance[0])  # the same report again
    assert services.run_create(by=finance[0], execution_date=timezone.localdate()).total == run.total  # the next run


def test_a_whole_file_refused_with_one_culprit_blocks_only_its_account(finance, django_capture_on_commit_callbacks):
    """Banks that refuse a whole file for one bad transfer name it: only that account is at fault."""
    run = _exported_run(finance, django_capture_on_commit_callbacks, payees=2)
    culprit, other = _transfers(run)
    report = pain_002(run, [Status(culprit.end_to_end_id, "RJCT", "AC01")], group_status="RJCT", group_code="FF01")
    outcome = bank_returns_import(content=report, by=finance[0])
    assert (outcome.blocked, outcome.file_refused) == (1, 1)
    assert _blocked(culprit) and not _blocked(other)


@pytest.mark.parametrize("code", ["AM05", "DU01"])
def test_a_whole_file_refused_as_a_duplicate_changes_nothing(finance, django_capture_on_commit_callbacks, code):
    """The bank refused a second sending of the same file: the first one is paid, paying again pays twice."""
    run = _exported_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    report = pain_002(run, [Status(transfer.end_to_end_id, "RJCT", code)], group_status="RJCT", group_code=code)
    outcome = bank_returns_import(content=report, by=finance[0])
    assert outcome.duplicate_file and outcome.duplicates == 1 and outcome.changed == 0
    assert _statuses(transfer) == {Payable.Status.IN_RUN}
    transfer.refresh_from_db()
    assert transfer.returned_at is None


def test_a_whole_file_accepted_counts_every_transfer_and_changes_nothing(finance, django_capture_on_commit_callbacks):
    run = _exported_run(finance, django_capture_on_commit_callbacks, payees=2)
    outcome = bank_returns_import(content=pain_002(run, [], group_status="ACCP"), by=finance[0])
    assert (outcome.accepted, outcome.changed) == (2, 0)
    assert set(Payable.objects.values_list("status", flat=True)) == {Payable.Status.IN_RUN}


@pytest.mark.parametrize(("version", "build"), [("02", camt_054), ("08", camt_054), ("02", camt_053)])
def test_a_returned_transfer_in_a_notification_or_statement_is_due_again(
    finance, django_capture_on_commit_callbacks, version, build
):
    run = _settled_run(finance, django_capture_on_commit_callbacks, payees=2)
    returned, paid = _transfers(run)
    movements = [
        Movement(returned.end_to_end_id, returned.amount, "AC06", "Konto gesperrt"),
        Movement("SUPPLIER-4711", Decimal("99.00")),  # an ordinary credit on the same account
        Movement(paid.end_to_end_id, paid.amount, credit=False),  # the transfer's own debit
    ]
    outcome = bank_returns_import(content=build(movements, version=version), by=finance[0])
    assert outcome.message.endswith(f".001.{version}") and (outcome.blocked, outcome.other_entries) == (1, 2)
    assert _statuses(returned) == {Payable.Status.DUE} and _statuses(paid) == {Payable.Status.PAID}
    returned.refresh_from_db()
    assert returned.return_reason == "AC06 blocked account – Konto gesperrt"


def test_a_notification_also_lists_the_run_debit_and_returns_not_yet_booked(
    finance, django_capture_on_commit_callbacks
):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    content = camt_054(
        [Movement(transfer.end_to_end_id, transfer.amount, "AC04", booked=False)], version="08", batch_debit=run.total
    )
    outcome = bank_returns_import(content=content, by=finance[0])
    assert (outcome.pending, outcome.other_entries, outcome.changed) == (1, 1, 0)
    assert _statuses(transfer) == {Payable.Status.PAID}


def test_money_returned_for_a_run_not_recorded_as_paid_asks_to_record_it_first(
    finance, django_capture_on_commit_callbacks
):
    run = _exported_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    content = camt_054([Movement(transfer.end_to_end_id, transfer.amount, "AC04")])
    with pytest.raises(ValidationError, match=f"run {run.pk} is not recorded as paid yet: record it as paid"):
        bank_returns_import(content=content, by=finance[0])
    assert _statuses(transfer) == {Payable.Status.IN_RUN}


def test_every_wrong_entry_is_listed_and_nothing_is_recorded(finance, django_capture_on_commit_callbacks):
    run = _settled_run(finance, django_capture_on_commit_callbacks, payees=3)
    good, wrong_amount, wrong_currency = _transfers(run)
    content = camt_054(
        [
            Movement("SUPPLIER-4711", Decimal("99.00")),  # entries are numbered as they come, returns or not
            Movement(good.end_to_end_id, good.amount, "AC04"),
            Movement(wrong_amount.end_to_end_id, wrong_amount.amount + 1, "AC04"),
            Movement(wrong_currency.end_to_end_id, wrong_currency.amount, "AC04", currency="CHF"),
            Movement("MUTUA-R999-P1", Decimal("10.00"), "AC01"),
        ]
    )
    with pytest.raises(ValidationError) as refused:
        bank_returns_import(content=content, by=finance[0])
    assert refused.value.messages == [
        f"Entry 3: the amount {wrong_amount.amount + 1} EUR does not match transfer {wrong_amount.end_to_end_id} "
        f"(€{wrong_amount.amount:,}).",
        f"Entry 4: the amount {wrong_currency.amount} CHF does not match transfer {wrong_currency.end_to_end_id} "
        f"(€{wrong_currency.amount:,}).",
        "Entry 5: unknown transfer MUTUA-R999-P1.",
    ]
    assert set(Payable.objects.values_list("status", flat=True)) == {Payable.Status.PAID}


def test_the_same_file_twice_or_a_transfer_listed_twice_is_refused(finance, django_capture_on_commit_callbacks):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    twice = pain_002(run, [Status(transfer.end_to_end_id, "RJCT", "AC04")] * 2)
    with pytest.raises(ValidationError, match=r"Entry 2: transfer .* is listed twice"):
        bank_returns_import(content=twice, by=finance[0])
    once = camt_054([Movement(transfer.end_to_end_id, transfer.amount, "AC04")])
    assert bank_returns_import(content=once, by=finance[0]).blocked == 1
    with pytest.raises(ValidationError, match=r"Entry 1: transfer .* is already returned"):
        bank_returns_import(content=once, by=finance[0])


def test_a_status_report_about_another_file_or_another_run_is_refused(finance, django_capture_on_commit_callbacks):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    with pytest.raises(ValidationError, match="answers the file PAYROLL-2026-04, which is not a Mutua"):
        bank_returns_import(content=pain_002(run, [], message_id="PAYROLL-2026-04"), by=finance[0])
    other = f"MUTUA-RUN-{run.pk + 1}"
    with pytest.raises(ValidationError, match=f"answers the file {other}"):
        bank_returns_import(content=pain_002(run, [], message_id=other), by=finance[0])
    later = _settled_run(finance, django_capture_on_commit_callbacks)  # another member, paid by another run
    report = pain_002(later, [Status(transfer.end_to_end_id, "RJCT", "AC04"), Status("NOTPROVIDED", "RJCT", "AC04")])
    with pytest.raises(ValidationError) as refused:
        bank_returns_import(content=report, by=finance[0])
    assert refused.value.messages == [
        f"Entry 1: transfer {transfer.end_to_end_id} is not in run {later.pk}, which this report answers.",
        "Entry 2: unknown transfer NOTPROVIDED.",
    ]


def test_a_notification_of_another_account_is_refused(finance, django_capture_on_commit_callbacks):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    content = camt_054([Movement(transfer.end_to_end_id, transfer.amount, "AC04")], iban="DE02120300000000202051")
    with pytest.raises(ValidationError, match="about the account ••••2051, not the one reimbursements are paid from"):
        bank_returns_import(content=content, by=finance[0])


def test_an_unknown_status_is_a_problem_not_a_guess(finance, django_capture_on_commit_callbacks):
    run = _settled_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    with pytest.raises(ValidationError, match=r"the status CANC of transfer .* is unknown to Mutua"):
        bank_returns_import(content=pain_002(run, [Status(transfer.end_to_end_id, "CANC")]), by=finance[0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
            b"<CstmrCdtTrfInitn/></Document>",
            "not a file Mutua reads (pain.001.001.03)",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt/></Document>',
            "not a file Mutua reads (camt.052.001.08)",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.02"><pain.002.001.02/></Document>',
            "not a file Mutua reads (pain.002.001.02)",
        ),
        (b"end_to_end_id;amount;reason\nMUTUA-R1-P1;10.00;AC04\n", "not well-formed XML (line 1)"),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">\n<CstmrPmtStsRpt>\n</Document>',
            "not well-formed XML (line 3)",
        ),
        (b"", "not well-formed XML (line 1)"),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>', "has no BkToCstmrDbtCdtNtfctn"),
    ],
)
def test_a_file_that_is_not_a_bank_file_mutua_reads_is_refused_clearly(content, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        bank_file_read(content=content)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Document [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>&lol9;</MsgId>
</GrpHdr></CstmrPmtStsRpt></Document>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><OrgnlGrpInfAndSts>
<OrgnlMsgId>&secret;</OrgnlMsgId></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_entity_expansion_and_external_entities_are_refused_before_anything_is_expanded(content, finance):
    with pytest.raises(ValidationError, match="declares a DTD or entities") as refused:
        bank_returns_import(content=content, by=finance[0])
    assert "root:" not in str(refused.value) and "lol" not in str(refused.value)


def test_a_status_report_is_read_with_its_reasons_amounts_and_statuses(finance, django_capture_on_commit_callbacks):
    run = _exported_run(finance, django_capture_on_commit_callbacks)
    (transfer,) = _transfers(run)
    report = bank_file_read(
        content=pain_002(run, [Status(transfer.end_to_end_id, "RJCT", "AC04", "Compte clos", Decimal("21.50"))])
    )
    (entry,) = report.entries
    assert (report.original_message_id, report.file_status) == (f"MUTUA-RUN-{run.pk}", "PART")
    assert report.file_rejection is None
    assert (entry.outcome, entry.reason.code, entry.reason.details) == (Outcome.REFUSED, "AC04", "Compte clos")
    assert (entry.amount, entry.currency, entry.position) == (Decimal("21.50"), "EUR", 1)


def test_a_return_without_its_own_amount_takes_its_entry_amount_or_is_refused(
    finance, django_capture_on_commit_callbacks
):
    """Some banks give the amount on the entry only: it is the transfer's when the entry holds that one."""
    run = _settled_run(finance, django_capture_on_commit_callbacks, payees=3)
    alone, first, second = (t.end_to_end_id for t in _transfers(run))

    def entry(total, *ids):
        details = "".join(
            f"<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><RtrInf><Rsn><Prtry>ZZ42</Prtry></Rsn>"
            "<AddtlInf>Retour</AddtlInf><AddtlInf>compte inconnu</AddtlInf></RtrInf></TxDtls>"
            for e2e in ids
        )
        return (
            f'<Ntry><Amt Ccy="EUR">{total}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>"
            f"<NtryDtls>{details}</NtryDtls></Ntry>"
        )

    transfers = {t.end_to_end_id: t for t in _transfers(run)}
    content = (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>'
        "<GrpHdr><MsgId>N1</MsgId><CreDtTm>2026-04-06T19:00:00</CreDtTm></GrpHdr>"
        "<Ntfctn><Id>N1</Id><CreDtTm>2026-04-06T19:00:00</CreDtTm>"
        f"{entry(transfers[alone].amount, alone)}{entry(transfers[first].amount * 2, first, second)}"
        "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()
    read = bank_file_read(content=content)
    assert [(e.position, e.amount) for e in read.entries] == [(1, transfers[alone].amount), (2, None), (3, None)]
    assert read.entries[0].reason.code == "ZZ42" and read.entries[0].reason.details == "Retour compte inconnu"
    assert read.accounts == ()  # no account named: nothing to compare
    with pytest.raises(ValidationError) as refused:
        bank_returns_import(content=content, by=finance[0])
    assert refused.value.messages == [
        f"Entry 2: the bank gives no amount for transfer {first}.",
        f"Entry 3: the bank gives no amount for transfer {second}.",
    ]


def test_reason_codes_have_plain_words_and_an_unknown_one_blocks_the_account():
    assert reason_label("AC04", "Compte clos") == "AC04 closed account – Compte clos"
    assert reason_label("XY99") == "XY99" and reason_label("") == "no reason given"
    assert reason_effect("XY99") is Effect.BLOCK_ACCOUNT and reason_effect("AM04") is Effect.PAY_AGAIN
    assert reason_effect("AM05") is Effect.NOTHING
    with translation.override("fr"):
        assert reason_label("AC04").startswith("AC04 ")
