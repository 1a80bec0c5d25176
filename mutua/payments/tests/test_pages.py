"""Payments back office: finance prepares, a second person approves, the file is downloaded, the run is
settled; the member then sees the payment date and the masked account."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD, MemberUserFactory, StaffUserFactory
from mutua.claims.statements import statement_document
from mutua.claims.tests.helpers import GP_VISIT, submitted_claim
from mutua.core.tests.helpers import member_login, staff_login
from mutua.payments import services
from mutua.payments.models import Payable, PaymentRun
from mutua.payments.tests.bank_samples import Movement, Status, camt_054, pain_002

pytestmark = pytest.mark.django_db

IBAN = "FR1420041010050500013M02606"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def member_user():
    return MemberUserFactory(member__cover_start=date(2020, 1, 1), member__iban=IBAN)


@pytest.fixture
def decided(member_user, django_capture_on_commit_callbacks):
    """A decided claim: one payable due to the member."""
    with django_capture_on_commit_callbacks(execute=True):
        claim = submitted_claim(member_user, [GP_VISIT])
    claim.refresh_from_db()
    assert Payable.objects.get().status == Payable.Status.DUE
    return claim


def _client(role: Role = Role.FINANCE) -> tuple[Client, object]:
    user = StaffUserFactory(role=role)
    client = Client()
    staff_login(client, user, PASSWORD)
    return client, user


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _prepare(client: Client) -> PaymentRun:
    response = client.post(reverse("backoffice:payment_run_create"), {"execution_date": timezone.localdate()})
    assert response.status_code == 302, response.content.decode()[:1000]
    return PaymentRun.objects.get()


def _paid_run(decided) -> PaymentRun:
    preparer, approver = _client(), _client()
    run = _prepare(preparer[0])
    approver[0].post(reverse("backoffice:payment_run_approve", args=[run.pk]))
    approver[0].post(reverse("backoffice:payment_run_file", args=[run.pk]))
    approver[0].post(reverse("backoffice:payment_run_settle", args=[run.pk]), {"paid_on": timezone.localdate()})
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.SETTLED
    return run


def test_prepare_approve_download_and_settle_a_run(decided):
    (preparer, preparer_user), (approver, approver_user) = _client(), _client()
    home = preparer.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:payment_runs") in home

    run = _prepare(preparer)
    assert run.created_by == preparer_user and run.total == decided.statement.total_paid and run.transfers == 1
    page = preparer.get(reverse("backoffice:payment_run", args=[run.pk])).content.decode()
    assert "Draft" in page and decided.statement.number in page
    assert "••••2606" in page and IBAN not in page  # the masked account, as the statements show it
    assert reverse("backoffice:payee", args=[Payable.objects.get().payee_id]) in page
    assert reverse("backoffice:payment_run_approve", args=[run.pk]) not in page  # not offered to the preparer

    page = approver.get(reverse("backoffice:payment_run", args=[run.pk])).content.decode()
    assert reverse("backoffice:payment_run_approve", args=[run.pk]) in page
    response = approver.post(reverse("backoffice:payment_run_approve", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.APPROVED and run.approved_by == approver_user

    assert approver.get(reverse("backoffice:payment_run_file", args=[run.pk])).status_code == 404  # not produced yet
    response = approver.post(reverse("backoffice:payment_run_file", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and ".xml" in response["Content-Disposition"]
    xml = response.content.decode()
    assert f"<CtrlSum>{run.total}</CtrlSum>" in xml and decided.statement.number in xml
    again = preparer.get(reverse("backoffice:payment_run_file", args=[run.pk]))
    assert again.content.decode() == xml  # downloaded again: the very same file
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.EXPORTED

    today = timezone.localdate()
    response = approver.post(reverse("backoffice:payment_run_settle", args=[run.pk]), {"paid_on": today})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.SETTLED and run.paid_on == today
    assert Payable.objects.get().status == Payable.Status.PAID

    runs = preparer.get(reverse("backoffice:payment_runs")).content.decode()
    assert "Paid" in runs and preparer_user.username in runs and approver_user.username in runs
    history = preparer.get(reverse("backoffice:payee", args=[Payable.objects.get().payee_id])).content.decode()
    assert decided.statement.number in history and reverse("backoffice:payment_run", args=[run.pk]) in history


def test_the_preparer_cannot_approve_and_is_told_why(decided):
    preparer, _user = _client()
    run = _prepare(preparer)
    response = preparer.post(reverse("backoffice:payment_run_approve", args=[run.pk]), follow=True)
    assert "The person who prepared a run cannot approve it." in response.content.decode()
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.DRAFT


def test_nothing_due_is_a_message_not_an_error():
    client, _user = _client(Role.ADMINISTRATOR)
    response = client.post(
        reverse("backoffice:payment_run_create"), {"execution_date": timezone.localdate()}, follow=True
    )
    assert response.status_code == 200 and "Nothing is due for payment." in response.content.decode()
    assert not PaymentRun.objects.exists()


def test_a_draft_is_cancelled_with_a_reason(decided):
    preparer, _user = _client()
    run = _prepare(preparer)
    response = preparer.post(reverse("backoffice:payment_run_cancel", args=[run.pk]), {"reason": ""})
    assert any("required" in message for message in _messages(response))
    preparer.post(reverse("backoffice:payment_run_cancel", args=[run.pk]), {"reason": "wrong date"})
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.CANCELLED
    assert Payable.objects.get().status == Payable.Status.DUE
    assert "wrong date" in preparer.get(reverse("backoffice:payment_run", args=[run.pk])).content.decode()


@pytest.mark.parametrize("role", [Role.CLAIMS_HANDLER, Role.MEDICAL_ADVISOR])
def test_other_staff_get_403(decided, role):
    client, _user = _client(role)
    run = services.run_create(by=None, execution_date=timezone.localdate())
    payee_id = Payable.objects.get().payee_id
    for name, args in [
        ("payment_runs", []),
        ("payment_run", [run.pk]),
        ("bank_returns", []),
        ("payee", [payee_id]),
    ]:
        assert client.get(reverse(f"backoffice:{name}", args=args)).status_code == 403, name
    for name in ("payment_run_approve", "payment_run_file", "payment_run_settle", "payment_run_cancel"):
        assert client.post(reverse(f"backoffice:{name}", args=[run.pk])).status_code == 403, name
    assert client.post(reverse("backoffice:payment_run_create"), {"execution_date": "2030-01-01"}).status_code == 403
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.DRAFT


def test_a_member_gets_403(decided, member_user, client):
    member_login(client, member_user.username, PASSWORD)
    assert client.get(reverse("backoffice:payment_runs")).status_code == 403
    assert client.post(reverse("backoffice:payment_run_create"), {"execution_date": "2030-01-01"}).status_code == 403
    assert not PaymentRun.objects.exists()


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(reverse("backoffice:payment_runs"))
    assert response.status_code == 302 and reverse("backoffice:login") in response["Location"]


def test_bank_returns_upload(decided, mailoutbox, django_capture_on_commit_callbacks):
    run = _paid_run(decided)
    client, _user = _client()
    payable = Payable.objects.get()
    e2e = f"MUTUA-R{run.pk}-P{payable.payee_id}"

    bad = SimpleUploadedFile("returns.xml", camt_054([Movement("MUTUA-R999-P1", Decimal("10.00"), "AC04")]))
    response = client.post(reverse("backoffice:bank_returns"), {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200 and "Entry 1: unknown transfer MUTUA-R999-P1." in page
    assert "nothing was recorded" in page
    assert Payable.objects.get().status == Payable.Status.PAID  # nothing recorded

    mailoutbox.clear()  # the claim's decision
    report = pain_002(run, [Status(e2e, "RJCT", "AC04", "Compte clos", payable.amount)])
    good = SimpleUploadedFile("pain.002.xml", report)
    with django_capture_on_commit_callbacks(execute=True):
        with_messages = client.post(reverse("backoffice:bank_returns"), {"file": good}, follow=True)
    assert _messages(with_messages) == [
        "pain.002.001.03 file read.",
        "1 returned transfer recorded: the amount is due again and the account is blocked until the member changes it.",
    ]
    payable.refresh_from_db()
    assert payable.status == Payable.Status.DUE and payable.run is None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [decided.member.email]
    page = client.get(reverse("backoffice:payee", args=[payable.payee_id])).content.decode()
    assert "Blocked" in page and "AC04 closed account – Compte clos" in page


def test_bank_returns_page_says_what_a_status_report_only_reported(decided):
    run = _paid_run(decided)
    client, _user = _client()
    e2e = run.transfers_made.get().end_to_end_id
    report = SimpleUploadedFile("pain.002.xml", pain_002(run, [Status(e2e, "ACSC")], version="10"))
    response = client.post(reverse("backoffice:bank_returns"), {"file": report}, follow=True)
    assert _messages(response) == [
        "pain.002.001.10 file read.",
        "1 transfer accepted by the bank: nothing changes.",
    ]
    assert Payable.objects.get().status == Payable.Status.PAID


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"end_to_end_id;amount;reason\n", "not well-formed XML"),
        (b"<Document>" + b" " * (1024 * 1024) + b"</Document>", "too large (1 MB at most)"),
    ],
)
def test_bank_returns_page_refuses_a_file_it_cannot_read(decided, content, error):
    client, _user = _client()
    response = client.post(reverse("backoffice:bank_returns"), {"file": SimpleUploadedFile("x.xml", content)})
    assert response.status_code == 200 and error in response.content.decode()


def test_the_member_sees_the_payment_date_after_settlement(decided, member_user, client):
    statement = decided.statement
    member_login(client, member_user.username, PASSWORD)
    tracking = reverse("claims:detail", args=[decided.pk])
    assert "Payment in progress" in client.get(tracking).content.decode()
    document = statement_document(statement=statement, language="en")
    assert document.payment_date is None and document.account == "••••2606"

    run = _paid_run(decided)
    # The member changes their bank details afterwards: the statement still names the account paid.
    member = decided.member
    member.iban = "FR7630006000011234567890189"
    member.save(update_fields=["iban"])

    page = client.get(tracking).content.decode()
    assert "Payment in progress" not in page
    assert "Paid on" in page and "••••2606" in page and IBAN not in page
    document = statement_document(statement=statement, language="en")
    assert document.payment_date == run.paid_on and document.account == "••••2606"
    response = client.get(reverse("claims:statement_pdf", kwargs={"statement_id": statement.pk}))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Paid on" in text and "working day" not in text


def test_a_payable_in_another_currency_is_paid_by_its_run_and_by_no_manual_export(decided):
    """Runs pay every currency (one file each): a page telling finance to pay the same payables by hand
    would pay them twice, once by hand and once by the nightly run in their currency."""
    client, _user = _client()
    payee = Payable.objects.get().payee
    payee.member.bic = "BNPAFRPPXXX"  # a transfer outside the euro names the bank
    payee.member.save(update_fields=["bic"])
    Payable.objects.create(payee=payee, amount=Decimal("80.00"), currency="USD", reason="Boston")
    assert client.get("/backoffice/payments/foreign/").status_code == 404
    assert "manual transfer" not in client.get(reverse("backoffice:payment_runs")).content.decode()
    run = services.run_create(by=None, execution_date=timezone.localdate(), currency="USD")
    assert run.total == Decimal("80.00")
