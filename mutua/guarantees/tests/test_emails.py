"""The e-mails of a guarantee's life, through the real services, in French and in English:
the member is greeted by first name, the hospital gets its own wording, nothing medical is said."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import MemberUserFactory, StaffUserFactory
from mutua.claims.tests.helpers import receipt
from mutua.core.formatting import money_format
from mutua.documents.tests.pdfs import text_pdf
from mutua.guarantees.extensions import extension_decide, extension_request
from mutua.guarantees.models import Guarantee
from mutua.guarantees.requests import guarantee_refuse, guarantee_request
from mutua.guarantees.settlement import guarantee_settle, guarantees_deadlines_check
from mutua.guarantees.stays import Cost
from mutua.guarantees.tests.planned import planned_guarantee, stay_over
from mutua.providers.tests.factories import ProviderFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

GREETING = {"fr": "Bonjour", "en": "Hello"}
SECRET_ACTS = "Arthroplastie totale de hanche"  # planned acts are medical: never in an e-mail
REPORT = text_pdf("Compte rendu: coxarthrose severe")


@pytest.fixture(params=["fr", "en"])
def language(request):
    return request.param


@pytest.fixture
def member_user(language):
    return MemberUserFactory(member__first_name="Claire", member__preferred_language=language)


def provider_for(language, **kwargs):
    # A hospital in France is written to in French, one abroad in English.
    return ProviderFactory(country="FR" if language == "fr" else "BE", **kwargs)


def request_(member_user, provider, **kwargs):
    admission = timezone.localdate() + timedelta(days=kwargs.pop("in_days", 5))
    return guarantee_request(
        member=member_user.member,
        beneficiary=None,
        by=member_user,
        channel=Guarantee.Channel.PORTAL,
        kind=Guarantee.Kind.PLANNED,
        stay_kind=Guarantee.StayKind.SURGICAL,
        admission_date=admission,
        expected_discharge=admission + timedelta(days=3),
        provider=provider,
        planned_acts=SECRET_ACTS,
        costs=[Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00"))],
    )


def sent(to):
    return [message for message in mail.outbox if message.to == [to]]


def check(message, *, language, member_user=None, must=()):
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "{{" not in text and "{%" not in text
        assert SECRET_ACTS not in text and "coxarthrose" not in text
    assert message.subject.strip() and "\n" not in message.subject
    assert GREETING[language] in message.body and GREETING[language] in html
    if member_user is not None:
        assert "Claire" in message.body
    for text in must:
        assert text in message.subject + message.body and text in html


def test_an_issued_guarantee_is_told_to_the_member_and_the_hospital(
    member_user, language, django_capture_on_commit_callbacks
):
    provider = provider_for(language)
    with django_capture_on_commit_callbacks(execute=True):
        guarantee = request_(member_user, provider)
    assert guarantee.status == Guarantee.Status.ISSUED
    until = guarantee.valid_until.strftime("%d/%m/%Y")
    [to_member] = sent(member_user.member.email)
    check(to_member, language=language, member_user=member_user, must=[guarantee.reference, until])
    [to_hospital] = sent(provider.email)
    check(to_hospital, language=language, must=[guarantee.reference, until])
    assert "Claire" in to_hospital.body  # the patient's name, for the admissions desk


def test_a_request_waiting_for_a_handler_then_refused(member_user, language, django_capture_on_commit_callbacks):
    provider = provider_for(language, in_network=False)
    with django_capture_on_commit_callbacks(execute=True):
        guarantee = request_(member_user, provider)
    assert guarantee.status == Guarantee.Status.REQUESTED
    deadline = timezone.localtime(guarantee.deadline).strftime("%d/%m/%Y %H:%M")
    [received] = sent(member_user.member.email)
    check(received, language=language, member_user=member_user, must=[guarantee.reference, deadline])
    check(sent(provider.email)[0], language=language, must=[guarantee.reference])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        guarantee_refuse(guarantee=guarantee, by=StaffUserFactory(), reason="The hospital declines direct settlement.")
    [refused] = sent(member_user.member.email)
    check(refused, language=language, member_user=member_user, must=[guarantee.reference, "declines direct settlement"])
    check(sent(provider.email)[0], language=language, must=[guarantee.reference, "declines direct settlement"])


@pytest.mark.parametrize("grant", [True, False])
def test_the_medical_advisor_answer_on_an_extension(member_user, language, grant, django_capture_on_commit_callbacks):
    provider = provider_for(language)
    guarantee = request_(member_user, provider)
    hospital = ProviderUserFactory(provider=provider)
    extension = extension_request(
        guarantee=guarantee,
        by=hospital,
        until=guarantee.valid_until + timedelta(days=3),
        report=SimpleUploadedFile("report.pdf", REPORT),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        extension_decide(
            extension=extension, by=StaffUserFactory(role=Role.MEDICAL_ADVISOR), grant=grant, answer="See the file."
        )
    guarantee.refresh_from_db()
    until = guarantee.valid_until.strftime("%d/%m/%Y")
    [to_member] = sent(member_user.member.email)
    check(to_member, language=language, member_user=member_user, must=[guarantee.reference, until, "See the file."])
    check(sent(provider.email)[0], language=language, must=[guarantee.reference, until])


def test_the_hospital_invoice_paid_directly_is_told_to_both(member_user, language, django_capture_on_commit_callbacks):
    provider = provider_for(language)
    guarantee = stay_over(planned_guarantee(user=member_user, provider=provider, in_days=0))
    assert guarantee.status == Guarantee.Status.ISSUED
    day = guarantee.valid_from
    costs = [
        (day, Cost("hosp.stay", Decimal("3000.00"), br=Decimal("2500.00"), am_paid=Decimal("2000.00"))),
        (day, Cost("hosp.private_room", Decimal("360.00"), quantity=3)),
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim = guarantee_settle(
            guarantee=guarantee,
            by=ProviderUserFactory(provider=provider),
            invoice_number="F-2026-118",
            invoice=receipt(salt="settle"),
            costs=costs,
        )
    statement = claim.statement
    # Amounts as the reader writes them: "1 300,39 €" in French, "€1,300.39" in English.
    total = money_format(statement.total_paid, language=language)
    remaining = sum(item.out_of_pocket or 0 for item in claim.items.all())
    [to_member] = sent(member_user.member.email)
    check(to_member, language=language, member_user=member_user, must=[total, statement.number])
    if remaining:
        assert money_format(remaining, language=language) in to_member.body
    [to_hospital] = sent(provider.email)
    check(to_hospital, language=language, must=[total, statement.number, guarantee.reference])


def test_a_request_past_its_deadline_alerts_the_management_unit(
    member_user, language, django_capture_on_commit_callbacks
):
    guarantee = request_(member_user, provider_for(language, in_network=False))
    Guarantee.objects.filter(pk=guarantee.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert guarantees_deadlines_check() == (1, 0)
    [alert] = sent(member_user.member.management_unit.email)
    check(alert, language="fr", must=[guarantee.reference])  # the management unit reads French
    assert "Claire" not in alert.body  # the reference is enough
