"""The notifications of a capital claim, through the real services: who is written to at each step (the member
while alive, in their inbox and by e-mail; the declarant who gave an e-mail address, by e-mail), once when they
are the same person, in whose language, and nothing medical: the reference, the status in words, the amount,
where to sign in. Each e-mail is a notification row, sent once the step's transaction commits."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from mutua.accounts.models import Role
from mutua.accounts.tests.factories import PASSWORD
from mutua.capital import services
from mutua.capital.designations import DesigneeInput, capital_designation_record
from mutua.capital.models import CapitalClaim, CapitalDesignation, ClaimDocument, Relationship
from mutua.capital.notices import email_in_contact
from mutua.capital.tests.helpers import IBAN, intl_member_user, pdf, staff
from mutua.contracts.models import Member
from mutua.core.formatting import money_format
from mutua.core.tests.helpers import member_login
from mutua.notifications.models import Notification
from mutua.payments.models import Payable

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Words an e-mail about a capital claim never holds, in every language it may be written in: the kind of
# claim, a cause, a degree, a document, anything medical. The refusal's reason stays on the claim's page.
MEDICAL = {
    "en": ("death", "dead", "disab", "cause", "medical", "degree", "natural", "accident", "certificate", "%"),
    "fr": ("décès", "décéd", "invalidit", "cause", "médic", "taux", "naturel", "accident", "certificat"),
    "es": ("fallec", "muerte", "invalidez", "discapacidad", "causa", "médic", "grado", "accidente", "certificado"),
    "ar": ("وفاة", "الوفاة", "عجز", "العجز", "طبي", "الطبي", "حادث", "شهادة", "درجة"),
}
REASON = "Degree of disability below the plan's threshold after the medical report"


def _subject(language: str, event: str, claim: CapitalClaim) -> str:
    msgid = {
        "received": "Capital claim %(reference)s received",
        "approved": "Capital claim %(reference)s accepted",
        "refused": "Capital claim %(reference)s refused",
        "paid": "Capital claim %(reference)s paid",
    }[event]
    with translation.override(language):
        return translation.gettext(msgid) % {"reference": claim.pk}


def _check(message, *, language: str, event: str, claim: CapitalClaim, amount: Decimal | None = None) -> None:
    """In ``language``, about ``event``, with the reference, the link, the amount when decided; nothing medical."""
    html = message.alternatives[0][0]
    assert message.subject == _subject(language, event, claim)
    if language != "en":
        assert message.subject != _subject("en", event, claim), f"{language}: the e-mail is not translated"
    for text in (message.subject, message.body, html):
        assert "{{" not in text and "{%" not in text
        lowered = text.lower()
        for word in {*MEDICAL["en"], *MEDICAL[language]}:
            assert word not in lowered, f"{language} {event}: {word!r} in {text!r}"
        assert REASON.lower() not in lowered and "threshold" not in lowered
    link = f"/portal/capital/claims/{claim.pk}/"
    assert link in message.body and f'href="{settings.SITE_URL}{link}"' in html
    if amount is not None:
        shown = money_format(amount, "USD", language=language)
        assert shown in message.body and shown in html


def _new_mail(run_tasks, function, **kwargs):
    """What ``function`` sends once its transaction commits, and its result: each e-mail the one of a
    notification row it wrote, and every row e-mailed but those without an address."""
    mail.outbox.clear()
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = run_tasks(function, **kwargs)
    rows = list(Notification.objects.filter(pk__gt=last).order_by("pk"))
    emailed = [row for row in rows if row.to]
    assert [(row.to, row.subject, row.status) for row in emailed] == [
        (message.to[0], message.subject, Notification.Status.SENT) for message in mail.outbox
    ]
    assert all(row.status == Notification.Status.NOT_EMAILED for row in rows if not row.to)
    return result, list(mail.outbox)


def _rows(claim):
    """The claim's notifications: (address, inbox's member, language, event), oldest first."""
    return [
        (row.to, row.member_id, row.language, row.context["event"])
        for row in Notification.objects.filter(template="capital/email/status", context__reference=claim.pk).order_by(
            "pk"
        )
    ]


def _designated_ana(member):
    designation = capital_designation_record(
        member=member,
        designees=[DesigneeInput("Ana", Relationship.CHILD, date(1990, 1, 1), "ana@example.org", Decimal("100"), IBAN)],
        by=member.account,
    )
    CapitalDesignation.objects.filter(pk=designation.pk).update(created_at=datetime(2024, 1, 1, tzinfo=UTC))


def _paid(claim):
    Payable.objects.filter(capital_share__claim=claim).update(status=Payable.Status.PAID)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_death_keyed_in_tells_the_declarant_each_step_in_their_language_and_never_the_member(language, run_tasks):
    user = intl_member_user(member__preferred_language="fr", member__email="member@example.org")
    _designated_ana(user.member)
    handler, advisor, finance = staff(), staff(Role.MEDICAL_ADVISOR), staff(Role.FINANCE)
    claim, sent = _new_mail(
        run_tasks,
        services.capital_claim_file,
        member=user.member,
        kind=CapitalClaim.Kind.DEATH,
        event_date=date(2025, 5, 9),
        declarant_name="Paul Martin",
        declarant_relationship="spouse",
        declarant_contact="12 rue des Lilas, Paris / paul.martin@example.org (mobile 06 12 34 56 78)",
        declarant_language=language,
        uploads=[
            (ClaimDocument.Role.DEATH_CERTIFICATE, pdf("death")),
            (ClaimDocument.Role.CAUSE_CERTIFICATE, pdf("cause")),
        ],
        by=handler,
    )
    assert (claim.declarant_email, claim.declarant_language) == ("paul.martin@example.org", language)
    [received] = sent
    assert received.to == ["paul.martin@example.org"]  # the member died: never written to
    _check(received, language=language, event="received", claim=claim)
    assert "Paul Martin" in received.body

    # The documents, the medical decision and the amounts are steps of the management unit: no e-mail.
    claim, sent = _new_mail(run_tasks, services.capital_claim_documents_complete, claim=claim, by=handler)
    assert sent == []
    claim, sent = _new_mail(
        run_tasks,
        services.capital_claim_medical_decide,
        claim=claim,
        by=advisor,
        cause=CapitalClaim.Cause.ACCIDENTAL,
        death_date=date(2025, 5, 9),
    )
    assert sent == []
    claim, sent = _new_mail(run_tasks, services.capital_claim_compute, claim=claim, by=handler)
    assert sent == []

    claim, sent = _new_mail(run_tasks, services.capital_claim_approve, claim=claim, by=handler)
    [accepted] = sent
    assert accepted.to == ["paul.martin@example.org"]
    _check(accepted, language=language, event="approved", claim=claim, amount=Decimal("25000.00"))

    _paid(claim)
    claim, sent = _new_mail(run_tasks, services.capital_claim_payment_record, claim=claim, by=finance)
    [paid] = sent
    assert paid.to == ["paul.martin@example.org"]
    _check(paid, language=language, event="paid", claim=claim, amount=Decimal("25000.00"))
    # Three rows, in no inbox (the declarant has no space of their own), none in the member's.
    assert _rows(claim) == [
        ("paul.martin@example.org", None, language, event) for event in ("received", "approved", "paid")
    ]
    for row in Notification.objects.all():
        for word in {*MEDICAL["en"], *MEDICAL[language]}:
            assert word not in (row.subject + row.body).lower()


def _disability(user, run_tasks, *, contact: str, by, language: str = ""):
    return _new_mail(
        run_tasks,
        services.capital_claim_file,
        member=user.member,
        kind=CapitalClaim.Kind.DISABILITY,
        event_date=date(2025, 3, 1),
        declarant_name="Anna Keller" if contact != user.member.email else user.member.full_name,
        declarant_relationship="",
        declarant_contact=contact,
        declarant_language=language,
        uploads=[(ClaimDocument.Role.MEDICAL_REPORT, pdf("report"))],
        by=by,
    )


def test_a_member_declaring_their_own_disability_gets_one_email_a_step_in_their_preferred_language(run_tasks):
    """The declarant is the member: one e-mail, not two, in the language the member chose for their e-mails,
    whatever the page was in."""
    user = intl_member_user(member__preferred_language="es")
    handler, advisor, finance = staff(), staff(Role.MEDICAL_ADVISOR), staff(Role.FINANCE)
    claim, sent = _disability(user, run_tasks, contact=user.member.email.upper(), by=user, language="en")
    [received] = sent
    assert received.to == [user.member.email]
    _check(received, language="es", event="received", claim=claim)

    claim = services.capital_claim_documents_complete(claim=claim, by=handler)
    claim = services.capital_claim_medical_decide(claim=claim, by=advisor, degree=Decimal("35"))
    claim = services.capital_claim_compute(claim=claim, by=handler)
    claim, sent = _new_mail(run_tasks, services.capital_claim_approve, claim=claim, by=handler)
    [accepted] = sent
    assert accepted.to == [user.member.email]
    # The amount tells the degree to nobody who does not already know it: the words never do.
    _check(accepted, language="es", event="approved", claim=claim, amount=Decimal("14000.00"))

    _paid(claim)
    claim, sent = _new_mail(run_tasks, services.capital_claim_payment_record, claim=claim, by=finance)
    [paid] = sent
    _check(paid, language="es", event="paid", claim=claim, amount=Decimal("14000.00"))
    member = user.member
    assert _rows(claim) == [(member.email, member.pk, "es", event) for event in ("received", "approved", "paid")]
    assert Notification.objects.filter(member=member).first().link == f"/portal/capital/claims/{claim.pk}/"


def test_a_refusal_tells_the_member_and_the_declarant_each_in_their_language_without_the_reason(run_tasks):
    user = intl_member_user(member__preferred_language="fr")
    handler = staff()
    claim, sent = _disability(
        user, run_tasks, contact="Anna Keller <anna.keller@example.org>", by=handler, language="ar"
    )
    assert sorted((message.to[0], message.subject) for message in sent) == sorted(
        [
            (user.member.email, _subject("fr", "received", claim)),
            ("anna.keller@example.org", _subject("ar", "received", claim)),
        ]
    )
    claim, sent = _new_mail(run_tasks, services.capital_claim_refuse, claim=claim, by=handler, reason=REASON)
    assert len(sent) == 2
    assert _rows(claim)[2:] == [
        (user.member.email, user.member.pk, "fr", "refused"),
        ("anna.keller@example.org", None, "ar", "refused"),
    ]
    assert not Notification.objects.filter(body__icontains="threshold").exists()
    by_address = {message.to[0]: message for message in sent}
    _check(by_address[user.member.email], language="fr", event="refused", claim=claim)
    _check(by_address["anna.keller@example.org"], language="ar", event="refused", claim=claim)


def test_nobody_is_written_to_without_an_email_address_nor_about_a_dead_member(run_tasks):
    user = intl_member_user()
    handler = staff()
    death, sent = _new_mail(
        run_tasks,
        services.capital_claim_file,
        member=user.member,
        kind=CapitalClaim.Kind.DEATH,
        event_date=date(2025, 5, 9),
        declarant_name="Paul Martin",
        declarant_relationship="spouse",
        declarant_contact="12 rue des Lilas, Paris — 06 12 34 56 78",
        uploads=[],
        by=handler,
    )
    assert death.declarant_email == "" and sent == [] and _rows(death) == []
    # A disability declared after the member's death is declared: the member is not written to either.
    claim, sent = _disability(user, run_tasks, contact="Anna <anna@example.org>", by=handler)
    assert [message.to for message in sent] == [["anna@example.org"]]
    # No language given: the one the claim was filed in (these tests run in English).
    assert _rows(claim) == [("anna@example.org", None, "en", "received")]


def test_a_member_without_an_email_address_reads_it_in_their_inbox_only(run_tasks):
    user = intl_member_user(member__email="", member__preferred_language="en")
    claim, sent = _disability(user, run_tasks, contact="+41 22 123 45 67", by=staff())
    assert sent == []
    assert _rows(claim) == [("", user.member.pk, "en", "received")]
    row = Notification.objects.get()
    assert row.status == Notification.Status.NOT_EMAILED and row.subject == f"Capital claim {claim.pk} received"


def test_the_declarant_is_written_to_in_the_language_of_the_page_they_declared_on(client, run_tasks):
    user = intl_member_user(member__preferred_language="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    member_login(client, user.member.member_number, PASSWORD)
    # Signing in on a Spanish page makes Spanish the household's e-mail language; the member chose French
    # again elsewhere since: the declarant keeps the page's language, the member gets their own.
    Member.objects.filter(pk=user.member.pk).update(preferred_language="fr")
    mail.outbox.clear()
    response = run_tasks(
        client.post,
        "/portal/capital/declare/",
        {
            "kind": "disability",
            "event_date": "2025-03-01",
            "declarant_name": "Anna Keller",
            "declarant_contact": "anna.keller@example.org",
            "medical_report": pdf("report"),
        },
    )
    assert response.status_code == 302
    claim = CapitalClaim.objects.get()
    assert (claim.declarant_email, claim.declarant_language) == ("anna.keller@example.org", "es")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {user.member.email, "anna.keller@example.org"}
    _check(by_address["anna.keller@example.org"], language="es", event="received", claim=claim)
    _check(by_address[user.member.email], language="fr", event="received", claim=claim)


def test_a_letter_keyed_in_records_the_language_the_handler_chose_for_the_declarant(client):
    from mutua.core.tests.helpers import staff_login

    user = intl_member_user()
    handler = staff()
    staff_login(client, handler, PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/backoffice/capital/new/").content.decode()
    assert '<option value="en" selected>' in page  # the handler's own language unless told otherwise
    client.post(
        "/backoffice/capital/new/",
        {
            "member_number": user.member.member_number,
            "kind": "death",
            "event_date": "2025-05-09",
            "declarant_name": "Karim Haddad",
            "declarant_contact": "karim.haddad@example.org",
            "declarant_language": "ar",
        },
    )
    claim = CapitalClaim.objects.get()
    assert (claim.declarant_email, claim.declarant_language) == ("karim.haddad@example.org", "ar")


@pytest.mark.parametrize(
    ("contact", "found"),
    [
        ("paul.martin@example.org", "paul.martin@example.org"),
        ("12 rue des Lilas, Paris; paul@example.org.", "paul@example.org"),
        ("Paul <paul@example.org>", "paul@example.org"),
        ("06 12 34 56 78", ""),
        ("paul@lilas, 12 rue des Lilas", ""),  # not an address: no domain
        ("", ""),
    ],
)
def test_the_email_address_is_found_in_a_free_text_contact(contact, found):
    assert email_in_contact(contact) == found
